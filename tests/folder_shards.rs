//! The project folder's index in shards: a save touches the shards of what changed and nothing else, a
//! project of stand-ins (what a window holds before it opens each document) saves without losing a byte,
//! an older folder (the lines in `project.ron`) opens and is converted by its next save, and documents
//! whose files are broken open as stand-ins that no save writes over.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use factmark::edit::Edit;
use factmark::model::{CharIdx, DocId, Document, Project, Span, SpanId};
use factmark::store::{self, StoreError, folder};

mod folder_support;
use folder_support::to_older_layout;

/// A project of `n` small documents `d0000`…, each with a span.
fn project(n: usize) -> Project {
    let mut p = Project::new("shards");
    for i in 0..n {
        let mut doc = Document::new(DocId(format!("d{i:04}")), format!("Doc “{i}”"), format!("Zoë said {i} times."));
        doc.spans.push(Span::new(SpanId(i as u64 + 1), CharIdx(0)..CharIdx(3), "Source", "ana"));
        p.documents.push(doc);
    }
    p.next_span_id = n as u64 + 1;
    p
}

/// Every file of the folder (relative path → contents).
fn files(folder: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for sub in ["", "docs", "index"] {
        let Ok(dir) = std::fs::read_dir(folder.join(sub)) else { continue };
        for entry in dir {
            let path = entry.unwrap().path();
            if path.is_file() {
                let name = path.strip_prefix(folder).unwrap().to_string_lossy().into_owned();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    out
}

/// The files that differ between two snapshots: changed, added or removed.
fn differ(before: &BTreeMap<String, Vec<u8>>, after: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut names: Vec<String> = before.keys().chain(after.keys()).cloned().collect();
    names.sort();
    names.dedup();
    names.into_iter().filter(|n| before.get(n) != after.get(n)).collect()
}

/// The project as a window holds it before opening any document: stand-ins with the right id, title and
/// status, and no text or spans.
fn stubs(index: &folder::FolderIndex) -> Project {
    let mut p = index.header().clone();
    p.documents = index
        .entries()
        .iter()
        .map(|e| {
            let mut d = Document::new(e.id.clone(), e.title.clone(), "");
            d.status = e.status;
            d
        })
        .collect();
    p
}

/// Checks what the folder holds: it loads as `expected`, its index lists the documents in order, every
/// shard holds at most 1,000 lines, and no shard file is left that the index does not name.
fn holds(path: &Path, expected: &Project) {
    assert_eq!(&store::load(path).unwrap_or_else(|e| panic!("{e}")), expected);
    let index = folder::open_index(path).unwrap();
    let ids: Vec<&DocId> = index.entries().iter().map(|e| &e.id).collect();
    assert_eq!(ids, expected.documents.iter().map(|d| &d.id).collect::<Vec<_>>());
    let names = index.shard_names();
    let on_disk: Vec<String> = std::fs::read_dir(path.join("index"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".ron").to_string())
        .collect();
    assert_eq!(on_disk.len(), names.len(), "{on_disk:?} against {names:?}");
    for name in &names {
        let text = std::fs::read_to_string(path.join("index").join(format!("{name}.ron"))).unwrap();
        let lines = text.lines().filter(|l| l.trim_start().starts_with("(id: ")).count();
        assert!((1..=folder::SHARD_SIZE).contains(&lines), "shard {name} holds {lines} lines");
    }
}

#[test]
fn a_large_folder_saves_by_shard_and_a_project_of_stand_ins_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.factmark");
    let mut whole = project(2_100);
    folder::save(&whole, &path).unwrap();
    let index = folder::open_index(&path).unwrap();
    assert_eq!(index.shard_names(), ["0000", "0001", "0002"]);
    holds(&path, &whole);

    // One span added to a document of the second shard, through a project of stand-ins: that document's
    // file and its shard are written, nothing else (the new span id's counter goes in the shard).
    let mut index = index;
    let mut stand_ins = stubs(&index);
    let doc = DocId("d1500".into());
    let at = index.position(&doc).unwrap();
    stand_ins.documents[at] = index.document(at).unwrap();
    let edit = |p: &mut Project| {
        let id = p.alloc_span_id();
        let span = Span::new(id, CharIdx(4)..CharIdx(8), "Claim", "bo");
        Edit::AddSpan { doc: doc.clone(), span, relations: vec![] }.apply(p).unwrap();
    };
    edit(&mut stand_ins);
    edit(&mut whole);
    let before = files(&path);
    let written = index.save_changed(&stand_ins, std::slice::from_ref(&doc)).unwrap();
    assert_eq!((written.files, written.index_files), (1, 1), "{written:?}");
    assert_eq!(differ(&before, &files(&path)), ["docs/d1500.ron", "index/0001.ron"]);
    // A shard of 1,000 lines of about 300 bytes (these documents' counts are short), and one small document.
    assert!(written.bytes < 400_000, "{written:?}");
    assert_eq!(folder::open_index(&path).unwrap().header().next_span_id, whole.next_span_id);
    holds(&path, &whole);

    // Two added (in the full first shard, which splits), one removed (a stand-in), one moved (a stand-in,
    // from the first shard to the last) and one edited document, saved through the stand-ins: only the
    // edited and added documents' files are written, the removed one's deleted, every other file
    // byte-identical.
    let added = Document::new(DocId("new".into()), "New", "A document added in the window.");
    let added2 = Document::new(DocId("new2".into()), "New 2", "Another one.");
    let moved = DocId("d0003".into());
    let removed = DocId("d2050".into());
    let edited = DocId("d0700".into());
    let mut expected = whole.clone();
    for p in [&mut stand_ins, &mut expected] {
        p.documents.insert(10, added.clone());
        p.documents.insert(11, added2.clone());
        p.documents.retain(|d| d.id != removed);
        let from = p.documents.iter().position(|d| d.id == moved).unwrap();
        let doc = p.documents.remove(from);
        p.documents.push(doc);
    }
    let at = stand_ins.documents.iter().position(|d| d.id == edited).unwrap();
    stand_ins.documents[at] = index.document_by_id(&edited).unwrap();
    for p in [&mut stand_ins, &mut expected] {
        Edit::SetDocNote { doc: edited.clone(), note: "edited".into() }.apply(p).unwrap();
    }
    let before = files(&path);
    let written = index.save_changed(&stand_ins, std::slice::from_ref(&edited)).unwrap();
    assert_eq!((written.files, written.removed), (5, 2), "{written:?}");
    let changed = differ(&before, &files(&path));
    let doc_files: Vec<&String> = changed.iter().filter(|n| n.starts_with("docs/")).collect();
    let expected_files = ["d0700.ron", "d2050.ron", "d2050.txt", "new.ron", "new.txt", "new2.ron", "new2.txt"]
        .map(|f| format!("docs/{f}"));
    assert_eq!(doc_files, expected_files.iter().collect::<Vec<_>>());
    assert!(changed.contains(&"project.ron".to_string()), "the first shard split: a new shard is named");
    assert_eq!(index.shard_names(), ["0000", "0003", "0001", "0002"]);
    holds(&path, &expected);
    assert_eq!(index.entries(), folder::open_index(&path).unwrap().entries(), "the index kept open is what is on disk");

    // Every document of the last shard removed: its file goes, and project.ron no longer names it.
    let last = folder::open_index(&path).unwrap().shard_names().last().unwrap().to_string();
    let first_of_last = 2_001;
    expected.documents.truncate(first_of_last);
    let mut stand_ins = stubs(&index);
    stand_ins.documents.truncate(first_of_last);
    index.save_changed(&stand_ins, &[]).unwrap();
    assert!(!path.join("index").join(format!("{last}.ron")).exists());
    holds(&path, &expected);
}

#[test]
fn a_folder_in_the_older_layout_opens_and_its_next_save_writes_shards() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.factmark");
    let mut p = project(30);
    folder::save(&p, &path).unwrap();
    let sharded = folder::open_index(&path).unwrap();
    to_older_layout(&path);
    let old = folder::open_index(&path).unwrap();
    assert!(old.is_unsharded() && old.shard_names().is_empty());
    assert_eq!(old.entries(), sharded.entries());
    assert_eq!(store::load(&path).unwrap(), p);

    // A one-document save from the command line converts it: every shard, then project.ron.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["doc", "set", path.to_str().unwrap(), "--doc", "d0007", "--note", "converted"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    Edit::SetDocNote { doc: DocId("d0007".into()), note: "converted".into() }.apply(&mut p).unwrap();
    let head = std::fs::read_to_string(path.join("project.ron")).unwrap();
    assert!(head.contains("format: 2,") && !head.contains("(id: "), "{head}");
    holds(&path, &p);
}

#[test]
fn index_files_that_are_wrong_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.factmark");
    folder::save(&project(3), &path).unwrap();
    let head = std::fs::read_to_string(path.join("project.ron")).unwrap();
    let refused = |text: String| -> String {
        std::fs::write(path.join("project.ron"), text).unwrap();
        folder::open_index(&path).unwrap_err().to_string()
    };
    let err = refused(head.replace("\"0000\"", "\"../../etc/passwd\""));
    assert!(err.contains("project.ron") && err.contains("not a plain file name"), "{err}");
    let err = refused(head.replace("\"0000\"", "\"0009\""));
    assert!(err.contains("0009.ron"), "a missing shard is named: {err}");
    let err = refused(head.replacen("format: 2,", "format: 3,", 1));
    assert!(err.contains("newer than this factmark supports"), "{err}");
    // A shard broken by hand: its own line and column.
    std::fs::write(path.join("project.ron"), &head).unwrap();
    std::fs::write(path.join("index/0000.ron"), "(format: 1, layout: \"index shard\", next_span_id: ").unwrap();
    let err = folder::open_index(&path).unwrap_err();
    assert!(matches!(&err, StoreError::Parse { path: p, .. } if p.ends_with("index/0000.ron")), "{err}");
}

fn damaged(dir: &Path) -> (PathBuf, Project) {
    let path = dir.join("p.factmark");
    let p = project(5);
    folder::save(&p, &path).unwrap();
    // d0002: its annotations truncated; d0004: its text changed under its annotations.
    let ann = path.join("docs/d0002.ron");
    let text = std::fs::read_to_string(&ann).unwrap();
    std::fs::write(&ann, &text[..text.len() / 2]).unwrap();
    std::fs::write(path.join("docs/d0004.txt"), "Something else.").unwrap();
    (path, p)
}

#[test]
fn broken_documents_open_as_stand_ins_that_no_save_writes_over() {
    let dir = tempfile::tempdir().unwrap();
    let (path, p) = damaged(dir.path());
    let err = store::load(&path).unwrap_err().to_string();
    assert!(err.contains("d0002.ron"), "the whole load still refuses, naming the file: {err}");

    let mut index = folder::open_index(&path).unwrap();
    let (mut loaded, broken) = index.load_lenient().unwrap();
    let named: Vec<(&str, String)> =
        broken.iter().map(|b| (b.id.as_str(), b.path.file_name().unwrap().to_string_lossy().into_owned())).collect();
    assert_eq!(named, [("d0002", "d0002.ron".to_string()), ("d0004", "d0004.txt".to_string())]);
    assert!(broken[1].reason.contains("the text differs"), "{}", broken[1].reason);
    assert!(broken[0].to_string().starts_with(&broken[0].path.display().to_string()));
    assert_eq!(loaded.documents.len(), 5, "the broken documents keep their places");
    assert_eq!(loaded.documents[2].title, p.documents[2].title);
    assert!(loaded.documents[2].text.is_empty() && loaded.documents[2].spans.is_empty());
    assert_eq!(loaded.documents[1], p.documents[1]);

    // Saved with a broken document named as changed (as a careless caller might): its files stay.
    let before = files(&path);
    Edit::SetDocNote { doc: DocId("d0001".into()), note: "fine".into() }.apply(&mut loaded).unwrap();
    let changed = [DocId("d0001".into()), DocId("d0002".into()), DocId("d0004".into())];
    let written = index.save_changed(&loaded, &changed).unwrap();
    assert_eq!((written.files, written.kept_broken), (1, 2), "{written:?}");
    assert_eq!(differ(&before, &files(&path)), ["docs/d0001.ron", "index/0000.ron"]);
    // So is a save that adds a document (which lays the index out anew).
    loaded.documents.push(Document::new(DocId("late".into()), "Late", "Added after."));
    index.save_changed(&loaded, &[]).unwrap();
    let after = files(&path);
    for name in ["docs/d0002.ron", "docs/d0004.txt", "docs/d0004.ron"] {
        assert_eq!(before[name], after[name], "{name} was written over");
    }
    assert_eq!(folder::open_index(&path).unwrap().len(), 6);
}

#[test]
fn validate_lists_every_broken_document_and_stats_counts_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let (path, _) = damaged(dir.path());
    let run = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap();
    let out = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("d0002.ron:") && listed.contains("d0004.txt: the text differs"), "{listed}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("2 of 5 documents cannot be read"));
    let out = run(&["stats", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let warning = String::from_utf8_lossy(&out.stderr);
    assert!(warning.contains("2 document(s) could not be read") && warning.contains("d0004.txt"), "{warning}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("3 documents, 3 spans"));
}

#[test]
fn a_document_listed_in_two_shards_opens_at_its_first_place_and_the_next_save_tidies_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.factmark");
    let p = project(3);
    folder::save(&p, &path).unwrap();
    // What a save killed between writing the shard a document moved to and the one it left can leave (or a
    // merge of two clones that moved it differently): its line in two shards.
    let shard = std::fs::read_to_string(path.join("index/0000.ron")).unwrap();
    let second = shard.lines().filter(|l| !l.contains("\"d0000\"") && !l.contains("\"d0002\"")).collect::<Vec<_>>();
    std::fs::write(path.join("index/0001.ron"), second.join("\n")).unwrap();
    let head = std::fs::read_to_string(path.join("project.ron")).unwrap();
    std::fs::write(path.join("project.ron"), head.replace("\"0000\",", "\"0000\",\n        \"0001\",")).unwrap();
    let mut index = folder::open_index(&path).unwrap();
    assert_eq!(index.shard_names(), ["0000", "0001"]);
    assert_eq!(index.len(), 3, "the second line of d0001 is dropped");
    assert_eq!(store::load(&path).unwrap(), p);
    index.save_changed(&p, &[]).unwrap();
    assert_eq!(index.shard_names(), ["0000"]);
    holds(&path, &p);
}
