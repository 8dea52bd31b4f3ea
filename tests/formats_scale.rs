//! 50k spans export in every format: every format copes with a project of that size. Speed is measured
//! by the benchmarks (the performance issue), not asserted here.

use std::path::Path;

use factmark::formats::{self, ExportDoc, ExportOptions, Format};
use factmark::model::{CharIdx, DocId, Document, Project, Relation, RelationId, Span, SpanId};

fn big_project() -> Project {
    let mut project = Project::new("big");
    let sentence = "Critics 😡 say the minister’s plan is “reckless”—officials disagree. ";
    let (mut span_id, mut rel_id) = (1, 1);
    for d in 0..10 {
        let text = sentence.repeat(2500);
        let mut doc = Document::new(DocId(format!("doc-{d}")), format!("Doc {d}"), text);
        let len = sentence.chars().count();
        for i in 0..2500 {
            let base = i * len;
            let source = Span::new(SpanId(span_id), CharIdx(base)..CharIdx(base + 7), "Source", "ana");
            let opinion = Span::new(SpanId(span_id + 1), CharIdx(base + 14)..CharIdx(base + 47), "Opinion", "ana");
            doc.relations.push(Relation {
                id: RelationId(rel_id),
                from: source.id,
                to: opinion.id,
                kind: "attributed_to".into(),
            });
            doc.spans.push(source);
            doc.spans.push(opinion);
            span_id += 2;
            rel_id += 1;
        }
        doc.spans.sort_by_key(Span::sort_key);
        project.documents.push(doc);
    }
    project.next_span_id = span_id;
    project.next_relation_id = rel_id;
    project
}

#[test]
fn fifty_thousand_spans_export_in_every_format() {
    let project = big_project();
    assert_eq!(project.span_count(), 50_000);
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    for format in Format::ALL {
        let export =
            formats::export(&project.schema, &docs, format, &ExportOptions::default(), Path::new("out")).unwrap();
        assert!(export.files.iter().map(|f| f.bytes.len()).sum::<usize>() > 0);
    }
}

/// The command line writes each file as it is made, a megabyte at a time, into temp files it renames at
/// the end: what lands on disk must be byte for byte the export made in memory, in every format.
#[test]
fn files_written_as_they_are_made_are_the_files_made_in_memory() {
    let project = big_project();
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    let dir = tempfile::tempdir().unwrap();
    let options = ExportOptions::default();
    let batch = factmark::store::Batch::new();
    let streamed = formats::export_many_to(&project.schema, &docs, &Format::ALL, &options, dir.path(), &batch).unwrap();
    // Nothing is in place before the commit: only temp files.
    assert!(!dir.path().join("prodigy.jsonl").exists());
    batch.commit().unwrap();
    let in_memory = formats::export_many(&project.schema, &docs, &Format::ALL, &options, dir.path()).unwrap();
    let mut largest = 0;
    for ((format, on_disk), (_, kept)) in streamed.iter().zip(&in_memory) {
        assert_eq!(on_disk.files.len(), kept.files.len(), "{format}");
        for (written, file) in on_disk.files.iter().zip(&kept.files) {
            assert_eq!(written.path, file.path);
            assert!(written.bytes.is_empty(), "{format}: bytes went to the file, not to memory");
            let bytes = std::fs::read(&file.path).unwrap();
            assert_eq!(written.len, bytes.len() as u64, "{}", file.path.display());
            assert!(bytes == file.bytes, "{}: differs from the export made in memory", file.path.display());
            largest = largest.max(bytes.len());
        }
    }
    // Large enough that files went out in many pieces.
    assert!(largest > 8 << 20, "largest file {largest} bytes");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".factmark-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");
}

/// A format that fails after other files were written replaces nothing and leaves no temp files.
#[test]
fn a_failed_export_written_as_made_leaves_the_folder_as_it_was() {
    let mut project = big_project();
    // brat refuses a label with a space, after the other formats have written their files.
    project.documents[9].spans[0].label = "Bad label".into();
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("prodigy.jsonl"), "earlier export\n").unwrap();
    let batch = factmark::store::Batch::new();
    let result =
        formats::export_many_to(&project.schema, &docs, &Format::ALL, &ExportOptions::default(), dir.path(), &batch);
    assert!(result.unwrap_err().to_string().contains("Bad label"));
    drop(batch);
    let mut names: Vec<String> =
        walk(dir.path()).iter().map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string()).collect();
    names.sort();
    assert_eq!(names, ["prodigy.jsonl"], "only the earlier file remains, and no folder made for the export");
    assert_eq!(std::fs::read_to_string(dir.path().join("prodigy.jsonl")).unwrap(), "earlier export\n");
}

/// Everything under `dir`, files and folders.
fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        }
        found.push(path);
    }
    found
}
