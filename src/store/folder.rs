//! The project folder (`name.factmark/`): the same project as the single file, spread so that a team's git
//! history shows exactly what changed and a save touches only what changed.
//!
//! ```text
//! name.factmark/
//!   project.ron          name, id counters, schema, rules, and the index: a line per document
//!                        (id, title, status, spans per label, the hashes of its two files)
//!   docs/<id>.txt        the document's text, written once
//!   docs/<id>.ron        its annotations: spans (one per line, with the text they cover), relations,
//!                        document labels, note, status, metadata
//! ```
//!
//! Saving writes each changed document file atomically, then the index; a document whose files did not
//! change (by the hashes in the index on disk) is not written at all. A kill at any moment therefore leaves
//! every document as before or as after, and the index never names a file that is not there. Documents
//! removed from the project lose their files after the new index is in place.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::file::{DocumentRecord, FORMAT_VERSION, ProjectFile, SpanRecord};
use super::{StoreError, write_atomic};
use crate::model::{DocId, DocStatus, Metadata, Project, Relation, RelationId, Schema, SpanId, SuggestRule};

/// The name of the index file inside a project folder.
pub const INDEX: &str = "project.ron";

/// What a project folder's name ends with.
pub const FOLDER_EXTENSION: &str = "factmark";

/// Whether `path` is (or is to be) a project folder: an existing directory, or a name ending `.factmark`.
pub fn is_folder(path: &Path) -> bool {
    path.is_dir() || path.extension().is_some_and(|e| e == FOLDER_EXTENSION)
}

/// `project.ron`: everything but the documents' contents.
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
    pub documents: Vec<IndexEntry>,
}

/// A document's line in the index: enough to list it without reading its files.
/// The counts and the annotations hash are caches: loading never checks them and every save rewrites them,
/// so a merge that cannot know them leaves the hash empty.
#[derive(Serialize, Deserialize, Clone, PartialEq, Eq)]
pub(super) struct IndexEntry {
    pub id: DocId,
    pub title: String,
    pub status: DocStatus,
    #[serde(default)]
    pub spans: BTreeMap<String, usize>,
    /// Hash of `docs/<id>.txt`.
    pub text: String,
    /// Hash of `docs/<id>.ron`.
    pub annotations: String,
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

/// Reads a project folder: the index, then each document's two files, checked as a single file is (span
/// texts against offsets, every invariant). A document file that is missing or broken is reported by name.
pub fn load(folder: &Path) -> Result<Project, StoreError> {
    let index_path = folder.join(INDEX);
    let text = fs::read_to_string(&index_path).map_err(io_err(&index_path))?;
    let probe: super::file::VersionProbe = ron::from_str(&text).map_err(|e| parse_err(&index_path, e))?;
    if probe.format == 0 {
        return Err(StoreError::NotAProject { path: index_path });
    }
    if probe.format > FORMAT_VERSION {
        return Err(StoreError::NewerFormat { path: index_path, found: probe.format, supported: FORMAT_VERSION });
    }
    if !text.contains("layout: \"folder\"") {
        // A single-file project saved as project.ron in a plain folder (as `gen-corpus --out dir` writes).
        return super::load(&index_path);
    }
    let index: Index = ron::from_str(&text).map_err(|e| parse_err(&index_path, e))?;
    let docs = docs_dir(folder);
    let mut documents = Vec::with_capacity(index.documents.len());
    for entry in &index.documents {
        let stem = file_stem(&entry.id);
        let text_path = docs.join(format!("{stem}.txt"));
        let ann_path = docs.join(format!("{stem}.ron"));
        let text = fs::read_to_string(&text_path).map_err(io_err(&text_path))?;
        let ann_text = fs::read_to_string(&ann_path).map_err(io_err(&ann_path))?;
        let doc: DocFile = ron::from_str(&ann_text).map_err(|e| parse_err(&ann_path, e))?;
        if doc.id != entry.id {
            return Err(invalid(
                &ann_path,
                format!("holds document {:?}, not {:?}", doc.id.as_str(), entry.id.as_str()),
            ));
        }
        if hash(text.as_bytes()) != entry.text {
            return Err(invalid(&text_path, "the text differs from the one the annotations were made on".into()));
        }
        documents.push(DocumentRecord {
            id: doc.id,
            title: doc.title,
            meta: doc.meta,
            status: doc.status,
            doc_labels: doc.doc_labels,
            note: doc.note,
            text,
            spans: doc.spans,
            relations: doc.relations,
        });
    }
    let (mut next_span_id, mut next_relation_id) = (index.next_span_id, index.next_relation_id);
    renumber_duplicates(&mut documents, &mut next_span_id, &mut next_relation_id);
    let file = ProjectFile {
        format: FORMAT_VERSION,
        name: index.name,
        next_span_id,
        next_relation_id,
        schema: index.schema,
        rules: index.rules,
        recommenders_off: index.recommenders_off,
        documents,
    };
    super::checked(folder, file)
}

/// Gives the spans and relations of a document new ids where an earlier document (in index order) already
/// uses them, rewriting the document's relations to match, and raises the counters above every id.
///
/// Ids are project-wide, but two clones hand them out on their own: when one annotator adds spans to one
/// document and another to a different document, git merges the two document files without conflict and
/// both hold the same new ids; no merge driver sees both files. Settling it here, from the files alone,
/// keeps every span, and is deterministic, so every clone that loads the same files gets the same ids (and
/// the next save writes them).
fn renumber_duplicates(documents: &mut [DocumentRecord], next_span: &mut u64, next_relation: &mut u64) {
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
}

/// Saves `project` as a folder at `folder` (created if missing), writing only the document files that
/// changed since the index on disk was written.
pub fn save(project: &Project, folder: &Path) -> Result<Written, StoreError> {
    let docs = docs_dir(folder);
    fs::create_dir_all(&docs).map_err(io_err(&docs))?;
    let index_path = folder.join(INDEX);
    // The hashes on disk say which files are up to date; a missing or unreadable index means none is.
    let on_disk: HashMap<DocId, IndexEntry> = fs::read_to_string(&index_path)
        .ok()
        .and_then(|t| ron::from_str::<Index>(&t).ok())
        .map(|i| i.documents.into_iter().map(|e| (e.id.clone(), e)).collect())
        .unwrap_or_default();
    let file = super::to_file(project);
    let mut written = Written::default();
    let mut entries = Vec::with_capacity(file.documents.len());
    for record in file.documents {
        let stem = file_stem(&record.id);
        let text_path = docs.join(format!("{stem}.txt"));
        let ann_path = docs.join(format!("{stem}.ron"));
        let mut spans = BTreeMap::new();
        for s in &record.spans {
            *spans.entry(s.label.clone()).or_insert(0) += 1;
        }
        let text_hash = hash(record.text.as_bytes());
        let doc = DocFile {
            format: FORMAT_VERSION,
            id: record.id.clone(),
            title: record.title.clone(),
            meta: record.meta,
            status: record.status,
            doc_labels: record.doc_labels,
            note: record.note,
            spans: record.spans,
            relations: record.relations,
        };
        let ann = to_text(&doc, &ann_path)?;
        let ann_hash = hash(ann.as_bytes());
        let old = on_disk.get(&record.id);
        let mut changed = false;
        if old.is_none_or(|o| o.text != text_hash) || !text_path.exists() {
            write_atomic(&text_path, record.text.as_bytes()).map_err(io_err(&text_path))?;
            written.files += 1;
            changed = true;
        }
        if old.is_none_or(|o| o.annotations != ann_hash) || !ann_path.exists() {
            write_atomic(&ann_path, ann.as_bytes()).map_err(io_err(&ann_path))?;
            written.files += 1;
            changed = true;
        }
        if !changed {
            written.unchanged += 1;
        }
        entries.push(IndexEntry {
            id: record.id,
            title: record.title,
            status: record.status,
            spans,
            text: text_hash,
            annotations: ann_hash,
        });
    }
    let kept: std::collections::HashSet<DocId> = entries.iter().map(|e| e.id.clone()).collect();
    let index = Index {
        format: FORMAT_VERSION,
        layout: "folder".into(),
        name: file.name,
        next_span_id: file.next_span_id,
        next_relation_id: file.next_relation_id,
        schema: file.schema,
        rules: file.rules,
        recommenders_off: file.recommenders_off,
        documents: entries,
    };
    let index_text = to_text(&index, &index_path)?;
    write_atomic(&index_path, index_text.as_bytes()).map_err(io_err(&index_path))?;
    // Only now, with the new index in place, can the files of removed documents go.
    for id in on_disk.keys().filter(|id| !kept.contains(*id)) {
        let stem = file_stem(id);
        for ext in ["txt", "ron"] {
            let path = docs.join(format!("{stem}.{ext}"));
            if fs::remove_file(&path).is_ok() {
                written.removed += 1;
            }
        }
    }
    Ok(written)
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
