//! The three-way merge of the files of a project folder (see [`super::folder`]), for git's merge driver.
//!
//! - A document file (`docs/<id>.ron`) is merged as one document, with the rules of the single-file merge
//!   ([`crate::merge::merge_document_three_way`]). The file does not hold the text, and the work tree's
//!   `.txt` is not a safe source while git is in the middle of a merge (it may not be written yet), so the
//!   document is merged without its text: the merge only compares ranges, labels and fields, and every
//!   merged span has the range of a span of one of the three versions, which stored the text it covers.
//!   That text is written back with it, and loading the folder checks it against the `.txt` as always.
//! - The index (`project.ron`) settles the name, schema, rules and switched-off recommenders as the
//!   single-file merge does ([`crate::merge::merge_settings`], conflicts kept in the index) and raises the
//!   id counters to the highest of the three. In the sharded layout it unites the lists of shards (ours'
//!   order, theirs' new shards after the shard they follow in theirs, a shard dropped by one side dropped);
//!   in the older layout, the document lines themselves.
//! - An index shard (`index/<name>.ron`) unites the document lines by id (ours' order, theirs' additions
//!   after), takes one-sided changes, and raises its id counters to the highest of the three. A
//!   document's counts and annotations hash are caches: where both sides changed them the hash is left
//!   empty so the next save rewrites the line (loading checks only the text hash, which never changes). A
//!   document that one side moved to another shard may end up in two; opening the folder keeps its first.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::de::IgnoredAny;

use super::StoreError;
use super::file::{FORMAT_VERSION, SpanRecord};
use super::folder::{DocFile, Index, IndexEntry, SHARD_LAYOUT, SHARDED_FORMAT, Shard, parse_err, to_text};
use crate::merge::{Settings, ThreeWayReport, merge_document_three_way, merge_settings};
use crate::model::{CharIdx, DocId, Document, Span};

/// Which file of a project folder some text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FolderFile {
    /// `project.ron`, the index.
    Index,
    /// `index/<name>.ron`, a shard of the index's document lines.
    Shard,
    /// `docs/<id>.ron`, a document's annotations.
    Document,
}

/// What a `.ron` file's text is, if it is a file of a project folder: an index says `layout: "folder"`, a
/// shard `layout: "index shard"`; a document file has an `id` and a `title` at the top, which a single-file
/// project never has.
pub fn folder_file_kind(text: &str) -> Option<FolderFile> {
    if text.contains("layout: \"folder\"") && ron::from_str::<Index>(text).is_ok_and(|i| i.layout == "folder") {
        Some(FolderFile::Index)
    } else if text.contains(SHARD_LAYOUT) && ron::from_str::<Shard>(text).is_ok_and(|s| s.layout == SHARD_LAYOUT) {
        Some(FolderFile::Shard)
    } else if ron::from_str::<DocProbe>(text).is_ok() && ron::from_str::<DocFile>(text).is_ok() {
        Some(FolderFile::Document)
    } else {
        None
    }
}

/// A document file's fields and no others: a single-file project (which can be large) is refused at its
/// second field, `name`, instead of being read to the end.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct DocProbe {
    #[serde(rename = "format")]
    _format: u32,
    #[serde(rename = "id")]
    _id: IgnoredAny,
    #[serde(rename = "title", default)]
    _title: IgnoredAny,
    #[serde(rename = "meta", default)]
    _meta: IgnoredAny,
    #[serde(rename = "status", default)]
    _status: IgnoredAny,
    #[serde(rename = "doc_labels", default)]
    _doc_labels: IgnoredAny,
    #[serde(rename = "note", default)]
    _note: IgnoredAny,
    #[serde(rename = "spans", default)]
    _spans: IgnoredAny,
    #[serde(rename = "relations", default)]
    _relations: IgnoredAny,
    #[serde(rename = "conflicts", default)]
    _conflicts: IgnoredAny,
}

/// The three versions git hands a merge driver, already read.
#[derive(Debug, Clone, Copy)]
pub struct Versions<'a> {
    /// The common ancestor's text; `None` when both sides added the file.
    pub base: Option<&'a str>,
    /// Ours.
    pub ours: &'a str,
    /// Theirs.
    pub theirs: &'a str,
}

/// A version that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read {version} version: {error}")]
pub struct VersionError {
    /// "base", "our" or "their".
    pub version: &'static str,
    /// Why.
    pub error: StoreError,
}

/// A merged folder file: its new text and what the merge could not settle.
#[derive(Debug, Clone)]
pub struct MergedFile {
    /// The file's merged contents, as factmark writes them.
    pub text: String,
    /// Conflicts (flagged spans, fields where ours was kept) and renumbered ids.
    pub report: ThreeWayReport,
    /// One line for the person running the merge.
    pub summary: String,
}

fn parse<T: serde::de::DeserializeOwned>(text: &str, version: &'static str, path: &Path) -> Result<T, VersionError> {
    ron::from_str(text).map_err(|e| VersionError { version, error: parse_err(path, e) })
}

/// The three-way choice for one value: the side that changed it wins; `None` when both changed it
/// differently.
fn pick<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours.clone())
    } else if base == Some(ours) {
        Some(theirs.clone())
    } else {
        None
    }
}

/// Merges three versions of a folder's `project.ron`; `path` names the file in messages.
pub fn merge_index(v: Versions<'_>, path: &Path) -> Result<MergedFile, VersionError> {
    let base: Option<Index> = v.base.map(|t| parse(t, "base", path)).transpose()?;
    let ours: Index = parse(v.ours, "our", path)?;
    let theirs: Index = parse(v.theirs, "their", path)?;
    let mut report = ThreeWayReport::default();
    let conflicts = &mut report.field_conflicts;
    let settings = merge_settings(base.as_ref().map(settings_of), settings_of(&ours), settings_of(&theirs), conflicts);
    let sharded = [Some(&ours), Some(&theirs), base.as_ref()].into_iter().flatten().map(|i| i.format == SHARDED_FORMAT);
    let sharded: Vec<bool> = sharded.collect();
    if sharded.iter().any(|&s| s != sharded[0]) {
        // The lines of one side are in shards this driver is not given: uniting them is not possible here.
        let error = super::folder::invalid(
            path,
            "one version keeps the document lines in shards and another in project.ron (an older factmark's \
             layout); open and save the project with this factmark on both branches, then merge again"
                .into(),
        );
        return Err(VersionError { version: "merged", error });
    }
    let (shards, documents) = if sharded[0] {
        (merge_names(base.as_ref().map(|b| b.shards.as_slice()), &ours.shards, &theirs.shards), Vec::new())
    } else {
        let base_docs = base.as_ref().map(|b| b.documents.as_slice());
        (Vec::new(), merge_entries(base_docs, &ours.documents, &theirs.documents, conflicts))
    };
    let counter = |f: fn(&Index) -> u64| base.iter().chain([&ours, &theirs]).map(f).max().unwrap_or(1);
    let merged = Index {
        format: ours.format,
        layout: "folder".into(),
        name: settings.name,
        next_span_id: counter(|i| i.next_span_id),
        next_relation_id: counter(|i| i.next_relation_id),
        schema: settings.schema,
        rules: settings.rules,
        recommenders_off: settings.recommenders_off,
        conflicts: settings.conflicts,
        shards,
        documents,
    };
    let text = to_text(&merged, path).map_err(|error| VersionError { version: "merged", error })?;
    let summary = if sharded[0] {
        format!("merged the index {} ({} shards)", path.display(), merged.shards.len())
    } else {
        format!("merged the index {} ({} documents)", path.display(), merged.documents.len())
    };
    Ok(MergedFile { text, report, summary })
}

/// The settings an index holds, for [`merge_settings`].
fn settings_of(index: &Index) -> Settings<'_> {
    Settings {
        name: &index.name,
        schema: &index.schema,
        rules: &index.rules,
        recommenders_off: &index.recommenders_off,
        conflicts: &index.conflicts,
    }
}

/// Merges three versions of an index shard (`index/<name>.ron`); `path` names the file in messages.
pub fn merge_shard(v: Versions<'_>, path: &Path) -> Result<MergedFile, VersionError> {
    let base: Option<Shard> = v.base.map(|t| parse(t, "base", path)).transpose()?;
    let ours: Shard = parse(v.ours, "our", path)?;
    let theirs: Shard = parse(v.theirs, "their", path)?;
    let mut report = ThreeWayReport::default();
    let base_docs = base.as_ref().map(|b| b.documents.as_slice());
    let documents = merge_entries(base_docs, &ours.documents, &theirs.documents, &mut report.field_conflicts);
    let counter = |f: fn(&Shard) -> u64| base.iter().chain([&ours, &theirs]).map(f).max().unwrap_or(1);
    let merged = Shard {
        format: FORMAT_VERSION,
        layout: SHARD_LAYOUT.into(),
        next_span_id: counter(|s| s.next_span_id),
        next_relation_id: counter(|s| s.next_relation_id),
        documents,
    };
    let text = to_text(&merged, path).map_err(|error| VersionError { version: "merged", error })?;
    let summary = format!("merged the index shard {} ({} documents)", path.display(), merged.documents.len());
    Ok(MergedFile { text, report, summary })
}

/// The shard names: ours' in order without those theirs dropped (and ours kept as they were), then each
/// shard only theirs added, after the shard it follows in theirs.
fn merge_names(base: Option<&[String]>, ours: &[String], theirs: &[String]) -> Vec<String> {
    let in_base = |n: &String| base.is_some_and(|b| b.contains(n));
    let mut out: Vec<String> = ours.iter().filter(|n| !in_base(n) || theirs.contains(n)).cloned().collect();
    for (at, name) in theirs.iter().enumerate() {
        if out.contains(name) || in_base(name) {
            continue;
        }
        let after = theirs[..at].iter().rev().find_map(|before| out.iter().position(|o| o == before));
        out.insert(after.map_or(0, |p| p + 1), name.clone());
    }
    out
}

/// What to do about a document line kept because one side deleted the document and the other changed it:
/// git deletes the document's text with the deletion (no driver sees the unchanged text file), so the
/// folder opens only once `factmark git-restore` brings it back and flags the document.
const RESTORE: &str = "git deleted its text: `factmark git-restore <folder>` brings it back and flags the document to \
                       keep or delete";

/// The document lines: ours' in ours' order, then theirs' additions; a deletion is taken when the other
/// side left the line as it was.
fn merge_entries(
    base: Option<&[IndexEntry]>,
    ours: &[IndexEntry],
    theirs: &[IndexEntry],
    conflicts: &mut Vec<String>,
) -> Vec<IndexEntry> {
    let by_id = |i: &[IndexEntry]| i.iter().map(|e| (e.id.clone(), e.clone())).collect::<HashMap<_, _>>();
    let base_entries = base.map(by_id).unwrap_or_default();
    let theirs_entries = by_id(theirs);
    let mut out = Vec::new();
    for o in ours {
        match (base_entries.get(&o.id), theirs_entries.get(&o.id)) {
            (b, Some(t)) => out.push(merge_entry(b, o, t, conflicts)),
            (Some(b), None) if b == o => {}
            (Some(_), None) => {
                conflicts.push(format!("doc {}: deleted in theirs but changed in ours; kept ({RESTORE})", o.id));
                out.push(o.clone());
            }
            (None, None) => out.push(o.clone()),
        }
    }
    let ours_ids: HashSet<&DocId> = ours.iter().map(|e| &e.id).collect();
    for t in theirs.iter().filter(|t| !ours_ids.contains(&t.id)) {
        match base_entries.get(&t.id) {
            Some(b) if b == t => {}
            Some(_) => {
                conflicts.push(format!("doc {}: deleted in ours but changed in theirs; kept ({RESTORE})", t.id));
                out.push(t.clone());
            }
            None => out.push(t.clone()),
        }
    }
    out
}

/// One document line both sides have. Title, status and counts are copies of the document file's (which
/// its own merge settles), so a disagreement there is not a conflict: ours' stays until the next save.
fn merge_entry(
    base: Option<&IndexEntry>,
    ours: &IndexEntry,
    theirs: &IndexEntry,
    conflicts: &mut Vec<String>,
) -> IndexEntry {
    let text = pick(base.map(|b| &b.text), &ours.text, &theirs.text).unwrap_or_else(|| {
        conflicts.push(format!("doc {}: the two sides hold different texts under this id; kept ours", ours.id));
        ours.text.clone()
    });
    // Both sides changed the document file, so its merged contents are known only to its own merge.
    let annotations = pick(base.map(|b| &b.annotations), &ours.annotations, &theirs.annotations).unwrap_or_default();
    // Counts belong to the two files they were counted from: a side's counts come along only when the
    // merged line names that side's files (and then the statistics check the files' hashes anyway).
    let counts = [ours, theirs]
        .into_iter()
        .find(|side| !annotations.is_empty() && side.annotations == annotations && side.text == text)
        .and_then(|side| side.counts.clone());
    IndexEntry {
        id: ours.id.clone(),
        title: pick(base.map(|b| &b.title), &ours.title, &theirs.title).unwrap_or_else(|| ours.title.clone()),
        status: pick(base.map(|b| &b.status), &ours.status, &theirs.status).unwrap_or(ours.status),
        spans: pick(base.map(|b| &b.spans), &ours.spans, &theirs.spans).unwrap_or_else(|| ours.spans.clone()),
        text,
        annotations,
        counts,
    }
}

/// A document file as a document without its text (see the module comment).
fn to_document(file: &DocFile) -> Document {
    let mut spans: Vec<Span> = file.spans.iter().map(|r| super::span_from_record(r.clone())).collect();
    spans.sort_by_key(Span::sort_key);
    let mut relations = file.relations.clone();
    relations.sort_by_key(|r| r.id);
    Document {
        id: file.id.clone(),
        title: file.title.clone(),
        meta: file.meta.clone(),
        text: String::new(),
        status: file.status,
        spans,
        relations,
        doc_labels: file.doc_labels.clone(),
        note: file.note.clone(),
        conflicts: file.conflicts.clone(),
        char_count: Default::default(),
    }
}

/// Merges three versions of a folder's `docs/<id>.ron`; `path` names the file in messages.
pub fn merge_document_file(v: Versions<'_>, path: &Path) -> Result<MergedFile, VersionError> {
    let base: Option<DocFile> = v.base.map(|t| parse(t, "base", path)).transpose()?;
    let ours: DocFile = parse(v.ours, "our", path)?;
    let theirs: DocFile = parse(v.theirs, "their", path)?;
    // Every version's spans say what text their range covers; the text is the same in all three.
    let mut covered: HashMap<(CharIdx, CharIdx), &str> = HashMap::new();
    for r in base.iter().chain([&ours, &theirs]).flat_map(|f| &f.spans) {
        covered.entry((r.start, r.end)).or_insert(&r.text);
    }
    let (merged, report) =
        merge_document_three_way(base.as_ref().map(to_document).as_ref(), &to_document(&ours), &to_document(&theirs));
    let mut spans = Vec::with_capacity(merged.spans.len());
    for s in &merged.spans {
        let Some(text) = covered.get(&(s.start, s.end)) else {
            // Cannot happen (a merged span has one version's range), but the file must never lose its text.
            let error = super::folder::invalid(path, format!("merged span {} has no stored text", s.id));
            return Err(VersionError { version: "merged", error });
        };
        spans.push(record(s, text));
    }
    let file = DocFile {
        format: FORMAT_VERSION,
        id: merged.id.clone(),
        title: merged.title.clone(),
        meta: merged.meta.clone(),
        status: merged.status,
        doc_labels: merged.doc_labels.clone(),
        note: merged.note.clone(),
        spans,
        relations: merged.relations.clone(),
        conflicts: merged.conflicts.clone(),
    };
    let text = to_text(&file, path).map_err(|error| VersionError { version: "merged", error })?;
    let summary = format!("merged document {} ({} spans)", merged.id, merged.spans.len());
    Ok(MergedFile { text, report, summary })
}

fn record(s: &Span, text: &str) -> SpanRecord {
    SpanRecord::of(s, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Project};

    #[test]
    fn the_three_kinds_of_ron_file_are_told_apart() {
        let dir = tempfile::tempdir().unwrap();
        let mut project = Project::new("p");
        project.documents.push(Document::new(DocId("d".into()), "D", "Zoë said “no” — twice."));
        let single = crate::store::to_ron(&project).unwrap();
        crate::store::save(&project, &dir.path().join("p.factmark")).unwrap();
        let read = |p: &str| std::fs::read_to_string(dir.path().join("p.factmark").join(p)).unwrap();
        assert_eq!(folder_file_kind(&read("project.ron")), Some(FolderFile::Index));
        assert_eq!(folder_file_kind(&read("docs/d.ron")), Some(FolderFile::Document));
        assert_eq!(folder_file_kind(&read("index/0000.ron")), Some(FolderFile::Shard));
        assert_eq!(folder_file_kind(&single), None, "a single-file project is merged as one");
        assert_eq!(folder_file_kind("(format: 1, id: \"d\", title: \"D\", colour: 3)"), None);
    }
}
