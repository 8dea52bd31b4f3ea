//! The project folder (`name.factmark/`): converted there and back without losing a byte, saved by writing
//! only what changed, opened by every command, and a broken document file reported by name.

use std::path::{Path, PathBuf};

use factmark::edit::Edit;
use factmark::model::{CharIdx, DocId, Document, Project, Span, SpanId};
use factmark::store::{self, folder};

mod folder_support;
use folder_support::{factmark, ok, s};

/// Converts `file` to a folder and back with the command line; the file that comes back is byte-identical.
fn round_trip(file: &Path, dir: &Path) -> PathBuf {
    let folder = dir.join("p.factmark");
    let back = dir.join("back.ron");
    ok(&factmark(&["convert", s(file), s(&folder)]));
    assert!(folder.join("project.ron").is_file() && folder.join("docs").is_dir());
    ok(&factmark(&["convert", s(&folder), s(&back)]));
    assert_eq!(std::fs::read(&back).unwrap(), std::fs::read(file).unwrap(), "{} came back changed", file.display());
    folder
}

#[test]
fn the_sample_and_a_generated_corpus_go_to_a_folder_and_back_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let sample = dir.path().join("sample.ron");
    // Saved once by this build, so the comparison is of layouts and not of an older writer's choices.
    store::save(&store::load(&factmark::ui::sample_project_path()).unwrap(), &sample).unwrap();
    let folder = round_trip(&sample, dir.path());
    assert_eq!(store::load(&folder).unwrap(), store::load(&sample).unwrap());

    let corpus = tempfile::tempdir().unwrap();
    let big = corpus.path().join("big.ron");
    ok(&factmark(&["gen-corpus", "--out", s(&big), "--docs", "40", "--seed", "7"]));
    round_trip(&big, corpus.path());
    // gen-corpus writes a folder itself too, the same project.
    let gen_folder = corpus.path().join("gen.factmark");
    ok(&factmark(&["gen-corpus", "--out", s(&gen_folder), "--docs", "40", "--seed", "7", "--layout", "folder"]));
    assert_eq!(store::load(&gen_folder).unwrap(), store::load(&big).unwrap());
    let docs = std::fs::read_dir(gen_folder.join("docs")).unwrap().count();
    assert_eq!(docs, 80, "a text and an annotation file per document");

    let refused = factmark(&["convert", s(&big), s(&gen_folder)]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("already exists"));
}

fn small_project() -> Project {
    let mut p = Project::new("folder test");
    let texts = [
        ("bridge", "Officials said the U.S. bridge “will close” — soon, Zoë Ibáñez wrote on Oct 31, 2024."),
        ("ferry", "The ferry replaces the bridge for six weeks, the authority’s engineer said."),
        ("odd id/../x", "A document whose id is no file name: it gets a safe one."),
    ];
    for (id, text) in texts {
        p.documents.push(Document::new(DocId(id.into()), id, text));
    }
    p.documents[0].spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(9), "Source", "ana"));
    p.next_span_id = 2;
    p
}

fn contents(folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(folder.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_save_writes_only_the_changed_document_then_the_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.factmark");
    let mut p = small_project();
    let first = folder::save(&p, &path).unwrap();
    assert_eq!((first.files, first.unchanged), (6, 0));
    let before = contents(&path);
    assert!(before.iter().all(|(name, _)| !name.contains('/') && !name.starts_with("..")), "{before:?}");

    let again = folder::save(&p, &path).unwrap();
    assert_eq!((again.files, again.unchanged), (0, 3), "nothing changed, nothing written");

    Edit::SetSpanLabel { doc: DocId("bridge".into()), span: SpanId(1), label: "Claim".into() }.apply(&mut p).unwrap();
    let one = folder::save(&p, &path).unwrap();
    assert_eq!((one.files, one.unchanged), (1, 2), "only bridge's annotations");
    let after = contents(&path);
    let changed: Vec<&str> = before.iter().zip(&after).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0.as_str()).collect();
    assert_eq!(changed, ["bridge.ron"]);
    let index = std::fs::read_to_string(path.join("index/0000.ron")).unwrap();
    assert!(index.contains("spans: {\"Claim\": 1}"), "the index counts the relabelled span:\n{index}");
    assert_eq!(store::load(&path).unwrap(), p);

    Edit::RemoveDocument { doc: DocId("ferry".into()) }.apply(&mut p).unwrap();
    let removed = folder::save(&p, &path).unwrap();
    assert_eq!(removed.removed, 2);
    assert!(!path.join("docs/ferry.txt").exists() && !path.join("docs/ferry.ron").exists());
    assert_eq!(store::load(&path).unwrap(), p);
}

#[test]
fn every_command_takes_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.factmark");
    folder::save(&small_project(), &path).unwrap();
    let p = s(&path);
    ok(&factmark(&["span", "add", p, "--doc", "ferry", "--label", "Source", "--find", "the authority’s engineer"]));
    let listed = ok(&factmark(&["span", "list", p, "--doc", "ferry"]));
    assert!(listed.contains("the authority’s engineer"), "{listed}");
    assert!(ok(&factmark(&["validate", p])).contains("valid (3 documents, 2 spans)"));
    assert!(ok(&factmark(&["stats", p])).contains("3 documents, 2 spans"));
    let export = dir.path().join("out.jsonl");
    ok(&factmark(&["export", p, "--format", "doccano", "--out", s(&export)]));
    assert!(std::fs::read_to_string(&export).unwrap().contains("the authority’s engineer"));
    // A folder holding a single-file project.ron (as gen-corpus --out dir writes) opens as that file.
    let plain = dir.path().join("plain");
    ok(&factmark(&["gen-corpus", "--out", s(&plain), "--docs", "3"]));
    assert!(ok(&factmark(&["stats", s(&plain)])).contains("3 documents"));
}

#[test]
fn a_broken_document_file_is_reported_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.factmark");
    folder::save(&small_project(), &path).unwrap();
    let ann = path.join("docs/ferry.ron");
    let good = std::fs::read_to_string(&ann).unwrap();
    type Damage<'a> = Box<dyn Fn() + 'a>;
    let cases: Vec<(&str, Damage, String)> = vec![
        ("truncated", Box::new(|| std::fs::write(&ann, &good[..good.len() / 2]).unwrap()), "ferry.ron:".into()),
        (
            "text edited",
            Box::new(|| std::fs::write(path.join("docs/ferry.txt"), "Something else entirely.").unwrap()),
            "ferry.txt: the text differs".into(),
        ),
        ("text missing", Box::new(|| std::fs::remove_file(path.join("docs/ferry.txt")).unwrap()), "ferry.txt".into()),
    ];
    for (name, damage, expected) in cases {
        folder::save(&small_project(), &path).unwrap();
        std::fs::write(&ann, &good).unwrap();
        damage();
        // `validate` lists the broken document by file and fails; the whole load refuses the project.
        let out = factmark(&["validate", s(&path)]);
        assert_eq!(out.status.code(), Some(1), "case {name}");
        let listed = String::from_utf8_lossy(&out.stdout);
        assert!(listed.contains(&expected), "case {name}: {listed}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("1 of 3 documents cannot be read"), "case {name}");
        assert!(store::load(&path).unwrap_err().to_string().contains(&expected), "case {name}");
        // `stats` counts the other two and names the one it left out.
        let out = factmark(&["stats", s(&path)]);
        assert_eq!(out.status.code(), Some(0), "case {name}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&expected), "case {name}: {err}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("2 documents"), "case {name}");
        std::fs::write(&ann, &good).unwrap();
        let _ = std::fs::write(path.join("docs/ferry.txt"), small_project().documents[1].text.as_bytes());
    }
}

/// A save killed after a document's file but before its index line leaves the line naming the older
/// contents; an edit back to exactly those contents must still be written (the index's hash is a cache).
#[test]
fn an_edit_back_to_what_a_stale_index_line_names_is_still_written() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.factmark");
    let mut project = Project::new("p");
    project.documents.push(Document::new(DocId("d".into()), "D", "Zoë said the U.S. plan “works”."));
    folder::save(&project, &path).unwrap();
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    };
    let kept = dir.path().join("kept");
    std::fs::copy(path.join(folder::INDEX), dir.path().join("project.ron")).unwrap();
    copy(&path.join(folder::SHARDS), &kept);
    // The killed save: the document file written, the index lines not.
    let mut newer = project.clone();
    newer.documents[0].note = "newer".into();
    folder::save(&newer, &path).unwrap();
    std::fs::copy(dir.path().join("project.ron"), path.join(folder::INDEX)).unwrap();
    copy(&kept, &path.join(folder::SHARDS));

    let mut reopened = store::load(&path).unwrap();
    assert_eq!(reopened.documents[0].note, "newer", "the document file is the newer one");
    reopened.documents[0].note = String::new();
    folder::save_changed(&reopened, &path, &[DocId("d".into())]).unwrap();
    assert_eq!(store::load(&path).unwrap(), project, "the edit back reached the disk");
}
