//! Statistics of a project folder counted from its index lines (issue 20: `factmark stats` of 100,000
//! documents in seconds): each line keeps what statistics count of its document, and a document whose two
//! files still hash to what the line says is counted from the line without being parsed. Every test holds
//! the result to the statistics of the project loaded whole, and checks which way each document went, so
//! a line trusted when its files changed, or never used at all, fails.

mod folder_support;

use std::path::Path;
use std::sync::Arc;

use factmark::analysis::stats::{folder_stats, folder_stats_skipping_broken, project_stats};
use factmark::model::{CharIdx, DocStatus, FieldConflict, Project, Span, SpanId};
use factmark::session::job::Progress;
use factmark::session::project_source::DocSource;
use factmark::session::project_wide::source_stats;
use factmark::store::folder::{self, FolderDoc, FolderIndex};
use factmark::synth::{self, CorpusSpec};
use folder_support::{factmark, ok, s, to_older_layout};

/// A generated project with what the counts must carry: several annotators and a span with none, relations,
/// nested spans, accepted suggestions kept and changed, and conflicts a merge left.
fn project() -> Project {
    let spec = CorpusSpec { docs: 40, words_per_doc: 150, spans_per_doc: 6, relations_per_doc: 2, seed: 11 };
    let mut project = synth::corpus(&spec);
    for (i, doc) in project.documents.iter_mut().enumerate() {
        if let Some(span) = doc.spans.first_mut() {
            span.origin = if i % 2 == 0 { "suggest:tagger".into() } else { "suggest:tagger (changed)".into() };
        }
        if i % 9 == 0
            && let Some(span) = doc.spans.last_mut()
        {
            span.annotator = String::new();
        }
        if i % 13 == 0 {
            doc.conflicts.push(FieldConflict { field: "title".into(), theirs: "Another title".into() });
        }
    }
    let id = project.alloc_span_id();
    let doc = &mut project.documents[3];
    let outer = doc.spans[0].clone();
    let inner = Span::new(id, outer.start..CharIdx(outer.start.0 + 2), outer.label.clone(), "bo");
    doc.spans.push(inner);
    doc.spans.sort_by_key(Span::sort_key);
    project.documents[5].status = DocStatus::Done;
    project
}

/// How each document of the folder is counted: true when from its line (false when read, or broken).
fn from_lines(path: &Path) -> Vec<bool> {
    let index = folder::open_index(path).unwrap();
    (0..index.len()).map(|at| matches!(index.counted(at), Ok(FolderDoc::Line(..)))).collect()
}

fn saved(dir: &Path, project: &Project) -> (std::path::PathBuf, FolderIndex) {
    let path = dir.join("p.factmark");
    folder::save(project, &path).unwrap();
    let index = folder::open_index(&path).unwrap();
    (path, index)
}

#[test]
fn a_saved_folder_is_counted_from_its_lines_exactly_as_the_project_loaded_whole() {
    let dir = tempfile::tempdir().unwrap();
    let project = project();
    let (path, index) = saved(dir.path(), &project);
    assert!(from_lines(&path).iter().all(|&line| line), "every line of a fresh save keeps true counts");
    let whole = project_stats(&project);
    assert!(whole.suggestions.accepted > 0 && whole.nested_spans > 0 && whole.relations > 0);
    assert_eq!(folder_stats(&index).unwrap(), whole);
    let source = DocSource::folder(index, None, Vec::new());
    assert_eq!(source_stats(&source, &Progress::default()).unwrap(), whole);
    // The command prints the same figures from the folder as from the single file.
    let file = dir.path().join("p.ron");
    factmark::store::save(&project, &file).unwrap();
    let of = |p: &Path| ok(&factmark(&["stats", s(p), "--json"]));
    assert_eq!(of(&path), of(&file));
}

#[test]
fn a_document_file_changed_behind_the_index_is_read_and_counted_as_it_is_now() {
    let dir = tempfile::tempdir().unwrap();
    let project = project();
    let (path, _) = saved(dir.path(), &project);
    // By hand: document 2's first Claim becomes an Opinion (the span's text is unchanged, so it is valid).
    let doc = &project.documents[2];
    let claim = doc.spans.iter().find(|sp| sp.label == "Claim").unwrap().id;
    let file = path.join("docs").join(format!("{}.ron", doc.id.as_str()));
    let before = std::fs::read_to_string(&file).unwrap();
    let marker = format!("(id: {claim}, ");
    let at = before.find(&marker).unwrap();
    let line_end = at + before[at..].find('\n').unwrap();
    let edited_line = before[at..line_end].replacen("label: \"Claim\"", "label: \"Opinion\"", 1);
    let after = format!("{}{}{}", &before[..at], edited_line, &before[line_end..]);
    assert_ne!(after, before);
    std::fs::write(&file, after).unwrap();

    let lines = from_lines(&path);
    assert!(!lines[2], "a document whose file changed must not be counted from its line");
    assert_eq!(lines.iter().filter(|&&line| !line).count(), 1);
    let mut expected = project.clone();
    let span = expected.documents[2].spans.iter_mut().find(|sp| sp.id == claim).unwrap();
    span.label = "Opinion".into();
    let index = folder::open_index(&path).unwrap();
    assert_eq!(folder_stats(&index).unwrap(), project_stats(&expected));
}

#[test]
fn a_text_changed_behind_the_index_is_reported_not_counted() {
    let dir = tempfile::tempdir().unwrap();
    let project = project();
    let (path, index) = saved(dir.path(), &project);
    let doc = &project.documents[7];
    let text = path.join("docs").join(format!("{}.txt", doc.id.as_str()));
    std::fs::write(&text, doc.text.replacen('e', "é", 1)).unwrap();
    let (stats, broken) = folder_stats_skipping_broken(&index).unwrap();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].id, doc.id);
    assert!(broken[0].path.ends_with(format!("{}.txt", doc.id.as_str())), "{:?}", broken[0]);
    let mut rest = project.clone();
    rest.documents.remove(7);
    assert_eq!(stats.documents, rest.documents.len());
    assert_eq!(stats.spans, project_stats(&rest).spans);
    assert_eq!(stats.words, project_stats(&rest).words);
    assert!(folder_stats(&index).is_err());
}

#[test]
fn lines_of_an_older_factmark_without_counts_are_read_and_the_next_save_adds_counts() {
    let dir = tempfile::tempdir().unwrap();
    let project = project();
    let (path, _) = saved(dir.path(), &project);
    // The folder as the release before counts wrote it: no `counts` in any line.
    for shard in std::fs::read_dir(path.join("index")).unwrap() {
        let shard = shard.unwrap().path();
        let text = std::fs::read_to_string(&shard).unwrap();
        let stripped: String = text
            .lines()
            .map(|line| match line.find(", counts: Some(") {
                Some(at) => format!("{}),", &line[..at]),
                None => line.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n");
        assert_ne!(stripped, text);
        std::fs::write(&shard, stripped + "\n").unwrap();
    }
    assert!(from_lines(&path).iter().all(|&line| !line));
    let index = folder::open_index(&path).unwrap();
    assert_eq!(folder_stats(&index).unwrap(), project_stats(&project));
    // A save with nothing changed writes no document, and gives every line its counts.
    let mut index = index;
    let all: Vec<_> = project.documents.iter().map(|d| d.id.clone()).collect();
    let written = index.save_changed(&project, &all).unwrap();
    assert_eq!(written.files, 0, "{written:?}");
    assert!(from_lines(&path).iter().all(|&line| line));
    // The older layout (lines in project.ron) keeps its counts too.
    to_older_layout(&path);
    assert!(from_lines(&path).iter().all(|&line| line));
    assert_eq!(folder_stats(&folder::open_index(&path).unwrap()).unwrap(), project_stats(&project));
}

#[test]
fn a_schema_edited_by_hand_sends_documents_using_a_dropped_label_to_be_read_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    let project = project();
    let (path, _) = saved(dir.path(), &project);
    let head = path.join("project.ron");
    let text = std::fs::read_to_string(&head).unwrap();
    let without = text.replacen("name: \"Opinion\"", "name: \"View\"", 1);
    assert_ne!(without, text);
    std::fs::write(&head, without).unwrap();
    let index = folder::open_index(&path).unwrap();
    let uses_opinion: Vec<bool> =
        project.documents.iter().map(|d| d.spans.iter().any(|sp| sp.label == "Opinion")).collect();
    assert!(uses_opinion.iter().any(|&u| u));
    let lines = from_lines(&path);
    for (at, uses) in uses_opinion.iter().enumerate() {
        assert_eq!(lines[at], !uses, "document {at}");
    }
    let (_, broken) = folder_stats_skipping_broken(&index).unwrap();
    assert_eq!(broken.len(), uses_opinion.iter().filter(|&&u| u).count());
    assert!(broken[0].reason.contains("Opinion"), "{:?}", broken[0]);
}

#[test]
fn a_window_source_counts_loaded_documents_as_they_are_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let project = project();
    let (_, index) = saved(dir.path(), &project);
    let mut changed = project.clone();
    let doc = &mut changed.documents[4];
    let id = SpanId(changed.next_span_id);
    changed.next_span_id += 1;
    let doc_len = doc.char_len();
    doc.spans.push(Span::new(id, CharIdx(0)..CharIdx(doc_len.min(5)), "Claim", "zoë"));
    doc.spans.sort_by_key(Span::sort_key);
    let source = DocSource::folder(index, Some(&changed), vec![changed.documents[4].clone()]);
    assert_eq!(source_stats(&source, &Progress::default()).unwrap(), project_stats(&changed));
    let memory = DocSource::memory(Arc::new(changed.clone()));
    assert_eq!(source_stats(&memory, &Progress::default()).unwrap(), project_stats(&changed));
}
