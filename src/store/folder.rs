//! The project folder (`name.factmark/`): the same project as the single file, spread so that a team's git
//! history shows exactly what changed and a save touches only what changed.
//!
//! ```text
//! name.factmark/
//!   project.ron          name, id counters, schema, rules, and the names of the index shards in order
//!   index/<nnnn>.ron     an index shard: a line per document for up to [`SHARD_SIZE`] documents in
//!                        project order (id, title, status, spans per label, the hashes of its two files,
//!                        and what statistics count of it: words, annotators, relations …)
//!   docs/<id>.txt        the document's text, written once
//!   docs/<id>.ron        its annotations: spans (one per line, with the text they cover), relations,
//!                        document labels, note, status, metadata
//! ```
//!
//! Saving writes each changed document file atomically, then the shards whose lines changed, then
//! `project.ron` only when its own fields or the list of shards changed; a document whose files did not
//! change (by the hashes in the index on disk) is not written at all. A save after one edit therefore writes
//! that document and one shard of at most a thousand lines, however large the project (see
//! [`FolderIndex::save_changed`] for the order that keeps every document old or new whenever a save is
//! killed). Documents removed from the project lose their files after the new index is in place.
//!
//! A folder written before the index was sharded (`format: 1`, the document lines inside `project.ron`)
//! still opens; its next save writes the sharded form (`format: 2`, so an older factmark refuses it by name
//! instead of misreading it).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::file::{FORMAT_VERSION, SpanRecord};
use super::{StoreError, write_atomic_among_many};
use crate::model::{
    DocCounts, DocId, DocStatus, Document, FieldConflict, Metadata, Project, ProjectConflict, Relation, RelationId,
    Schema, SpanId, SuggestRule,
};

#[path = "folder_index.rs"]
mod index;

#[path = "folder_load.rs"]
mod load;

#[path = "folder_save.rs"]
mod save_index;

#[path = "fast_folder.rs"]
mod fast_read;

#[path = "folder_counted.rs"]
mod counted;

pub use counted::{FolderDoc, LineCounts};
pub use index::{BATCH, FolderIndex, open_index, ranges_in_order, read_index};
pub use load::BrokenDocument;

/// The name of the index file inside a project folder.
pub const INDEX: &str = "project.ron";

/// The folder of the index shards inside a project folder.
pub const SHARDS: &str = "index";

/// The most document lines a save puts in one index shard. A one-document save rewrites one shard, so
/// this bounds its cost (about 40 bytes of title, 130 of hashes and 100–200 of counts per line: 300–500
/// kB); 100,000 documents make 100 shards, so `project.ron` stays small too.
pub const SHARD_SIZE: usize = 1000;

/// The `format` of a `project.ron` whose document lines are in shards. Document files and shards stay at
/// [`FORMAT_VERSION`]; only the index's own shape changed, and a factmark older than the shards must refuse
/// it (it would read a project without documents) rather than open it.
pub const SHARDED_FORMAT: u32 = 2;

/// What a project folder's name ends with.
pub const FOLDER_EXTENSION: &str = "factmark";

/// Whether `path` is (or is to be) a project folder: an existing directory, or a name ending `.factmark`.
pub fn is_folder(path: &Path) -> bool {
    path.is_dir() || path.extension().is_some_and(|e| e == FOLDER_EXTENSION)
}

/// `project.ron`: everything but the documents' contents. Format 1 holds the document lines itself
/// (`documents`); format 2 ([`SHARDED_FORMAT`]) names the shards that hold them (`shards`).
#[derive(Serialize, Deserialize)]
pub(super) struct Index {
    pub format: u32,
    /// Always "folder": tells an index from a single-file project that happens to be named project.ron.
    pub layout: String,
    pub name: String,
    pub next_span_id: u64,
    pub next_relation_id: u64,
    pub schema: Schema,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<SuggestRule>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recommenders_off: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ProjectConflict>,
    /// Format 2: the shards (`index/<name>.ron`), in project order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shards: Vec<String>,
    /// Format 1: the document lines.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub documents: Vec<IndexEntry>,
}

/// What an index shard's `layout` says, so the merge driver and a reader can tell one from other files.
pub(super) const SHARD_LAYOUT: &str = "index shard";

/// `index/<name>.ron`: the lines of a run of documents, in project order.
///
/// The id counters are the project's when the shard was written: a save after one edit that handed out a
/// new span id writes this shard and not `project.ron`, and opening the folder takes the highest counter of
/// all, so no id is handed out twice after a reload.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub(super) struct Shard {
    pub format: u32,
    /// Always [`SHARD_LAYOUT`].
    pub layout: String,
    pub next_span_id: u64,
    pub next_relation_id: u64,
    #[serde(default)]
    pub documents: Vec<IndexEntry>,
}

/// A document's line in the index: enough to list it without reading its files.
/// The counts and the annotations hash are caches: loading never checks them and every save rewrites them,
/// so a merge that cannot know them leaves the hash empty.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct IndexEntry {
    /// The document's id.
    pub id: DocId,
    /// Its title.
    pub title: String,
    /// Its status.
    pub status: DocStatus,
    /// Its spans per label (labels without spans left out).
    #[serde(default)]
    pub spans: BTreeMap<String, usize>,
    /// blake3 hash (hex) of `docs/<id>.txt`.
    pub text: String,
    /// blake3 hash (hex) of `docs/<id>.ron`.
    pub annotations: String,
    /// The document's counts beyond its spans per label, counted from the two files the hashes name, so
    /// statistics of a large project can skip parsing and tokenizing a document whose files still hash
    /// the same (see [`FolderIndex::counted`]). `None` in lines of an older factmark, or from a merge that
    /// cannot know them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counts: Option<LineCounts>,
}

/// `docs/<id>.ron`.
#[derive(Serialize, Deserialize)]
pub(super) struct DocFile {
    pub format: u32,
    pub id: DocId,
    pub title: String,
    #[serde(default)]
    pub meta: Metadata,
    #[serde(default)]
    pub status: DocStatus,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub doc_labels: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    #[serde(default)]
    pub spans: Vec<SpanRecord>,
    #[serde(default)]
    pub relations: Vec<Relation>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<FieldConflict>,
}

pub(super) fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// A document id as a file name: letters, digits, `-`, `_` and `.` as they are (not leading `.`), any other
/// byte as `%XX`, so every id gets its own file and none can point outside `docs/`.
fn file_stem(id: &DocId) -> String {
    let mut out = String::new();
    for (i, b) in id.as_str().bytes().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || (b == b'.' && i > 0);
        if plain {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn docs_dir(folder: &Path) -> PathBuf {
    folder.join("docs")
}

fn pretty() -> ron::ser::PrettyConfig {
    // Depth 2: a line per index entry, span and relation, so a diff shows exactly which one changed.
    ron::ser::PrettyConfig::new().depth_limit(2).struct_names(false).escape_strings(false)
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> StoreError + '_ {
    move |source| StoreError::Io { path: path.to_path_buf(), source }
}

pub(super) fn parse_err(path: &Path, e: ron::error::SpannedError) -> StoreError {
    StoreError::Parse {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: e.code.to_string(),
    }
}

pub(super) fn to_text<T: Serialize>(value: &T, path: &Path) -> Result<String, StoreError> {
    let mut text = ron::ser::to_string_pretty(value, pretty())
        .map_err(|e| StoreError::Io { path: path.to_path_buf(), source: std::io::Error::other(e) })?;
    text.push('\n');
    Ok(text)
}

/// Reads a project folder: the index, then each document's two files on all cores, checked as a single
/// file is (span texts against offsets, every invariant). A document file that is missing or broken is
/// reported by name. A folder whose `project.ron` is a single-file project opens as that file.
pub fn load(folder: &Path) -> Result<Project, StoreError> {
    match read_index(folder)? {
        Some(index) => index.load(),
        None => super::load(&folder.join(INDEX)),
    }
}

/// Gives the spans and relations of a document new ids where an earlier document (in index order) already
/// uses them, rewriting the document's relations to match, and raises the counters above every id.
///
/// Ids are project-wide, but two clones hand them out on their own: when one annotator adds spans to one
/// document and another to a different document, git merges the two document files without conflict and
/// both hold the same new ids; no merge driver sees both files. Settling it here, from the files alone,
/// keeps every span, and is deterministic, so every clone that loads the same files gets the same ids (and
/// the next save writes them).
pub(super) fn renumber_duplicates(documents: &mut [Document], next_span: &mut u64, next_relation: &mut u64) {
    let max_span = documents.iter().flat_map(|d| d.spans.iter().map(|s| s.id.0 + 1)).max().unwrap_or(1);
    let max_relation = documents.iter().flat_map(|d| d.relations.iter().map(|r| r.id.0 + 1)).max().unwrap_or(1);
    *next_span = (*next_span).max(max_span);
    *next_relation = (*next_relation).max(max_relation);
    let mut seen_spans: HashSet<SpanId> = HashSet::new();
    let mut seen_relations: HashSet<RelationId> = HashSet::new();
    for doc in documents {
        let mut map: HashMap<SpanId, SpanId> = HashMap::new();
        for span in doc.spans.iter_mut().filter(|s| seen_spans.contains(&s.id)) {
            let fresh = SpanId(*next_span);
            *next_span += 1;
            map.insert(span.id, fresh);
            span.id = fresh;
        }
        for rel in &mut doc.relations {
            rel.from = map.get(&rel.from).copied().unwrap_or(rel.from);
            rel.to = map.get(&rel.to).copied().unwrap_or(rel.to);
            if seen_relations.contains(&rel.id) {
                rel.id = RelationId(*next_relation);
                *next_relation += 1;
            }
        }
        // Added after the document: a duplicate inside one document is not a merge's doing, and is left for
        // the invariant check to report.
        // Relations are kept in id order.
        doc.relations.sort_by_key(|r| r.id);
        seen_spans.extend(doc.spans.iter().map(|s| s.id));
        seen_relations.extend(doc.relations.iter().map(|r| r.id));
    }
}

pub(super) fn invalid(path: &Path, problem: String) -> StoreError {
    StoreError::Invalid { path: path.to_path_buf(), first: problem.clone(), problems: vec![problem] }
}

/// What [`save`] did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Document files written (texts and annotations).
    pub files: usize,
    /// Documents whose files were already up to date.
    pub unchanged: usize,
    /// Documents whose files were removed.
    pub removed: usize,
    /// Index files written: shards and `project.ron`.
    pub index_files: usize,
    /// Bytes written, document and index files together.
    pub bytes: u64,
    /// Documents in `changed` whose files were left alone because they could not be read when the project
    /// was opened (see [`FolderIndex::load_lenient`]): what the project holds for them is a stand-in.
    pub kept_broken: usize,
}

/// Saves `project` as a folder at `folder` (created if missing), writing only the document files that
/// changed since the index on disk was written. Every document is serialised to compare its hashes; when
/// the changed documents are known, [`save_changed`] does without that. An index in the layout of an
/// older factmark (the lines in `project.ron`) is replaced by the sharded one.
pub fn save(project: &Project, folder: &Path) -> Result<Written, StoreError> {
    let mut index = existing_or_empty(folder)?;
    let all: Vec<DocId> = project.documents.iter().map(|d| d.id.clone()).collect();
    index.save_changed(project, &all)
}

/// Saves `project` into the project folder at `folder`, of whose documents only those in `changed` may
/// differ from their files: those are written (if their hashes changed), documents added to the project
/// too, then the index shards that changed (see [`FolderIndex::save_changed`]). The other documents are not
/// even serialised, so a save after one edit costs that document and one shard, however large the project.
pub fn save_changed(project: &Project, folder: &Path, changed: &[DocId]) -> Result<Written, StoreError> {
    match read_index(folder) {
        Ok(Some(mut index)) => index.save_changed(project, changed),
        // No index of a folder (yet), or one that does not read: the full save rewrites what it must.
        Ok(None) | Err(_) => save(project, folder),
    }
}

/// The index on disk, or an empty one when there is none (or it does not read: every file is then
/// written anew, which is what a full save does).
fn existing_or_empty(folder: &Path) -> Result<FolderIndex, StoreError> {
    let docs = docs_dir(folder);
    fs::create_dir_all(&docs).map_err(io_err(&docs))?;
    Ok(read_index(folder).ok().flatten().unwrap_or_else(|| FolderIndex::empty(folder)))
}

/// Writes `doc`'s two files in `docs` where they differ from `old` (its entry in the index on disk), and
/// gives its new index entry.
fn write_document(
    docs: &Path,
    doc: &crate::model::Document,
    old: Option<&IndexEntry>,
    written: &mut Written,
) -> Result<IndexEntry, StoreError> {
    let record = super::document_record(doc);
    let stem = file_stem(&record.id);
    let text_path = docs.join(format!("{stem}.txt"));
    let ann_path = docs.join(format!("{stem}.ron"));
    let mut spans = BTreeMap::new();
    for s in &record.spans {
        *spans.entry(s.label.clone()).or_insert(0) += 1;
    }
    let text_hash = hash(record.text.as_bytes());
    // Tokenizing is most of what counting costs: a text the line already counted is not counted again.
    let known = old.filter(|o| o.text == text_hash).and_then(|o| o.counts.as_ref()?.get());
    let counts = match known {
        Some(known) => DocCounts::with_text(doc, known.words, known.chars),
        None => DocCounts::of(doc),
    };
    let file = DocFile {
        format: FORMAT_VERSION,
        id: record.id.clone(),
        title: record.title.clone(),
        meta: record.meta,
        status: record.status,
        doc_labels: record.doc_labels,
        note: record.note,
        spans: record.spans,
        relations: record.relations,
        conflicts: record.conflicts,
    };
    let ann = to_text(&file, &ann_path)?;
    let ann_hash = hash(ann.as_bytes());
    let mut changed = false;
    if old.is_none_or(|o| o.text != text_hash) || !text_path.exists() {
        write_atomic_among_many(&text_path, record.text.as_bytes()).map_err(io_err(&text_path))?;
        written.files += 1;
        written.bytes += record.text.len() as u64;
        changed = true;
    }
    // The index's hash is a cache: a save killed after a document's file but before its index line leaves
    // the line naming the older contents. When the line says "unchanged", the file itself must agree, or
    // an edit back to that older state would never reach the disk.
    let on_disk_differs = || fs::read(&ann_path).map_or(true, |bytes| hash(&bytes) != ann_hash);
    if old.is_none_or(|o| o.annotations != ann_hash) || on_disk_differs() {
        write_atomic_among_many(&ann_path, ann.as_bytes()).map_err(io_err(&ann_path))?;
        written.files += 1;
        written.bytes += ann.len() as u64;
        changed = true;
    }
    if !changed {
        written.unchanged += 1;
    }
    Ok(IndexEntry {
        id: record.id,
        title: record.title,
        status: record.status,
        spans,
        text: text_hash,
        annotations: ann_hash,
        counts: Some(LineCounts::new(&counts)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_become_safe_distinct_file_names() {
        let stem = |s: &str| file_stem(&DocId(s.into()));
        assert_eq!(stem("measles-214_v2.1"), "measles-214_v2.1");
        assert_eq!(stem("../etc/passwd"), "%2E.%2Fetc%2Fpasswd");
        assert_eq!(stem("a b"), "a%20b");
        assert_ne!(stem("a b"), stem("a%20b"));
        assert_eq!(stem("Zoë"), "Zo%C3%AB");
    }
}
