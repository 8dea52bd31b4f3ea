//! Project folders read document by document (issue 20): the index alone, one document, every document in
//! batches on every core; `stats` and the JSONL exports of a folder streamed and byte-identical to the same
//! project as a single file; a save after one edit writing only that document and the index.

use std::path::{Path, PathBuf};

use factmark::edit::Edit;
use factmark::model::{DocId, SpanId};
use factmark::store::{self, StoreError, folder};

mod folder_support;
use folder_support::{factmark, ok, s};

/// The same generated project as a single file and as a folder. 300 documents: more than one round of
/// batches on every core, so order across batches and threads is exercised.
fn both(dir: &Path, docs: &str) -> (PathBuf, PathBuf) {
    let file = dir.join("big.ron");
    let folder = dir.join("big.factmark");
    ok(&factmark(&["gen-corpus", "--out", s(&file), "--docs", docs, "--seed", "11"]));
    ok(&factmark(&["gen-corpus", "--out", s(&folder), "--docs", docs, "--seed", "11", "--layout", "folder"]));
    (file, folder)
}

#[test]
fn the_index_alone_then_each_document_as_loading_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let (file, path) = both(dir.path(), "150");
    let whole = store::load(&file).unwrap();
    let index = folder::open_index(&path).unwrap();
    assert_eq!(index.len(), 150);
    assert_eq!(index.header().name, whole.name);
    assert_eq!(index.header().schema, whole.schema);
    assert!(index.header().documents.is_empty(), "the index holds no document");
    for (entry, doc) in index.entries().iter().zip(&whole.documents) {
        assert_eq!((&entry.id, &entry.title, entry.status), (&doc.id, &doc.title, doc.status));
        assert_eq!(entry.spans.values().sum::<usize>(), doc.spans.len());
    }
    assert_eq!(index.document(17).unwrap(), whole.documents[17]);
    assert_eq!(index.document_by_id(&whole.documents[42].id).unwrap(), whole.documents[42]);
    let streamed: Vec<_> = index.documents().collect::<Result<_, _>>().unwrap();
    assert_eq!(streamed, whole.documents);
    // Batches on every core come back in project order, each batch whole.
    let mut seen = Vec::new();
    index
        .for_each_batch(
            7,
            |docs| Ok::<_, StoreError>(docs.into_iter().map(|d| d.id).collect::<Vec<_>>()),
            |ids| {
                assert!(ids.len() <= 7);
                seen.extend(ids);
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(seen, whole.documents.iter().map(|d| d.id.clone()).collect::<Vec<_>>());
    // `folder::load` (every core) gives the project `store::load` of the single file gives.
    assert_eq!(folder::load(&path).unwrap(), whole);
    assert!(index.document(150).is_err(), "past the end is an error, not a panic");
    // A single-file project is not a folder's index; read_index says so with None.
    assert!(folder::read_index(&file).unwrap().is_none());
    let plain = dir.path().join("plain");
    ok(&factmark(&["gen-corpus", "--out", s(&plain), "--docs", "3"]));
    assert!(folder::read_index(&plain).unwrap().is_none());
    let refused = folder::open_index(&plain).unwrap_err().to_string();
    assert!(refused.contains("project.ron") && refused.contains("single-file"), "{refused}");
}

#[test]
fn a_broken_document_is_named_when_it_is_read_and_only_then() {
    let dir = tempfile::tempdir().unwrap();
    let (_, path) = both(dir.path(), "100");
    let index = folder::open_index(&path).unwrap();
    let victim = index.entries()[60].id.clone();
    let ann = path.join(format!("docs/{victim}.ron"));
    let good = std::fs::read_to_string(&ann).unwrap();
    // A label the schema lacks: parses, but breaks an invariant of that document.
    let label = index.document(60).unwrap().spans[0].label.clone();
    std::fs::write(&ann, good.replacen(&format!("label: \"{label}\""), "label: \"Nonsense\"", 1)).unwrap();
    let err = index.document(60).unwrap_err().to_string();
    assert!(err.contains(&format!("{victim}.ron")) && err.contains("Nonsense"), "{err}");
    assert!(index.document(59).is_ok(), "the other documents still read");
    // `stats` counts the rest and names the document it left out.
    let out = factmark(&["stats", s(&path)]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(
        warning.contains("1 document(s) could not be read") && warning.contains(&format!("{victim}.ron")),
        "{warning}"
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("99 documents"));
    // Truncated: a parse error naming the file, from the streaming readers and from the whole load.
    std::fs::write(&ann, &good[..good.len() / 3]).unwrap();
    let err = index.document(60).unwrap_err().to_string();
    assert!(err.contains(&format!("{victim}.ron:")), "{err}");
    let err = folder::load(&path).unwrap_err().to_string();
    assert!(err.contains(&format!("{victim}.ron:")), "{err}");
    let out = factmark(&["export", s(&path), "--format", "spacy", "--out", s(&dir.path().join("x.jsonl"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("{victim}.ron:")));
    assert!(!dir.path().join("x.jsonl").exists(), "a failed export writes nothing");
}

#[test]
fn stats_of_a_folder_are_byte_identical_to_the_single_file() {
    let dir = tempfile::tempdir().unwrap();
    let (file, path) = both(dir.path(), "300");
    for json in [false, true] {
        let run = |p: &Path| {
            let mut args = vec!["stats", s(p)];
            if json {
                args.push("--json");
            }
            ok(&factmark(&args))
        };
        let (a, b) = (run(&file), run(&path));
        assert!(a.contains("300 documents") || a.contains("\"documents\": 300"), "{}", &a[..200]);
        assert_eq!(a, b, "stats{} differ", if json { " --json" } else { "" });
    }
}

#[test]
fn jsonl_exports_of_a_folder_are_byte_identical_to_the_single_file() {
    let dir = tempfile::tempdir().unwrap();
    let (file, path) = both(dir.path(), "300");
    let cases: [&[&str]; 7] = [
        &["--format", "spacy"],
        &["--format", "prodigy"],
        &["--format", "doccano"],
        &["--format", "doccano-rel"],
        // Filtered: doccano's row ids count exported documents, so batches must be renumbered.
        &["--format", "doccano", "--status", "done", "--labels", "Claim"],
        &["--format", "spacy", "--status", "todo,in-progress", "--annotator", "ana"],
        // Not streamed: loaded whole, the same file.
        &["--format", "labelstudio"],
    ];
    for (n, extra) in cases.iter().enumerate() {
        let mut outputs = Vec::new();
        for (side, project) in [("file", &file), ("folder", &path)] {
            let out_dir = dir.path().join(format!("{side}-{n}"));
            std::fs::create_dir_all(&out_dir).unwrap();
            let target = out_dir.join("out.json");
            let mut args = vec!["export", s(project), "--out", s(&target)];
            args.extend_from_slice(extra);
            let report = ok(&factmark(&args)).replace(s(&out_dir), "OUT");
            let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&out_dir)
                .unwrap()
                .map(|e| e.unwrap().path())
                .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
                .collect();
            files.sort();
            outputs.push((report, files));
        }
        assert!(!outputs[0].1.is_empty() && !outputs[0].1[0].1.is_empty(), "case {extra:?} exported nothing");
        assert_eq!(outputs[0].0, outputs[1].0, "case {extra:?}: the reports differ");
        assert!(outputs[0].1 == outputs[1].1, "case {extra:?}: the files differ");
    }
}

/// Names and contents of every file of a folder project, the index and its shards included.
fn snapshot(path: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![("project.ron".to_string(), std::fs::read(path.join("project.ron")).unwrap())];
    let mut shards: Vec<(String, Vec<u8>)> = std::fs::read_dir(path.join("index"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (format!("index/{}", p.file_name().unwrap().to_string_lossy()), std::fs::read(&p).unwrap()))
        .collect();
    shards.sort();
    out.extend(shards);
    let mut docs: Vec<(String, Vec<u8>)> = std::fs::read_dir(path.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

fn changed(before: &[(String, Vec<u8>)], after: &[(String, Vec<u8>)]) -> Vec<String> {
    assert_eq!(before.len(), after.len(), "files were added or removed");
    before.iter().zip(after).filter(|(a, b)| a != b).map(|(a, _)| a.0.clone()).collect()
}

#[test]
fn a_one_document_edit_writes_that_document_and_its_index_shard_only() {
    let dir = tempfile::tempdir().unwrap();
    let (_, path) = both(dir.path(), "80");
    let index = folder::open_index(&path).unwrap();
    let doc = index.entries()[33].id.clone();

    // From the command line: a span added to one document.
    let before = snapshot(&path);
    let first_word = index.document(33).unwrap().text.split_whitespace().next().unwrap().to_string();
    ok(&factmark(&["span", "add", s(&path), "--doc", doc.as_str(), "--label", "Source", "--find", &first_word]));
    let after = snapshot(&path);
    // The new span's id raised the counter, which the shard carries: project.ron is not written.
    assert_eq!(changed(&before, &after), ["index/0000.ron".to_string(), format!("{doc}.ron")]);
    let whole = store::load(&path).unwrap();
    assert!(whole.doc(&doc).unwrap().spans.iter().any(|s| s.annotator == "ana"));

    // Through the store: save_changed serialises only the documents it is told about. Another document
    // changed in memory but not named stays as it is on disk, which shows it was not even looked at.
    let mut project = whole;
    let other = project.documents[5].id.clone();
    let span = project.documents[5].spans[0].id;
    Edit::SetSpanNote { doc: other.clone(), span, note: "not named".into() }.apply(&mut project).unwrap();
    let named = project.documents[6].id.clone();
    let span6: SpanId = project.documents[6].spans[0].id;
    Edit::SetSpanNote { doc: named.clone(), span: span6, note: "named".into() }.apply(&mut project).unwrap();
    let before = snapshot(&path);
    let written = folder::save_changed(&project, &path, std::slice::from_ref(&named)).unwrap();
    assert_eq!(written.files, 1);
    assert_eq!(changed(&before, &snapshot(&path)), ["index/0000.ron".to_string(), format!("{named}.ron")]);
    let reread = folder::open_index(&path).unwrap();
    assert!(reread.document_by_id(&named).unwrap().spans.iter().any(|s| s.note == "named"));
    assert!(reread.document_by_id(&other).unwrap().spans.iter().all(|s| s.note != "not named"));

    // An index kept open saves the same way, and afterwards describes what is on disk.
    let mut open = reread;
    let written = open.save_changed(&project, std::slice::from_ref(&other)).unwrap();
    assert_eq!(written.files, 1);
    assert_eq!(store::load(&path).unwrap(), project);
    assert_eq!(open.entries(), folder::open_index(&path).unwrap().entries());

    // A document removed: its line goes, then its files.
    Edit::RemoveDocument { doc: DocId(other.to_string()) }.apply(&mut project).unwrap();
    let written = open.save_changed(&project, &[]).unwrap();
    assert_eq!(written.removed, 2);
    assert_eq!(store::load(&path).unwrap(), project);
    assert_eq!(open.len(), 79);
}
