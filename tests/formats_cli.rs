//! `factmark export` and `factmark import-annotations` run as real processes: files written, the summary
//! printed, filters applied, exit codes 0 / 1 (one line naming file and problem) / 2 (usage).

mod formats_support;

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use factmark::store;
use formats_support::golden_project;

fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).env("FACTMARK_ANNOTATOR", "tester").output().unwrap()
}

fn ok(args: &[&str]) -> String {
    let out = factmark(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Exit 1 with a single stderr line containing every part.
fn fails(args: &[&str], parts: &[&str]) -> String {
    let out = factmark(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    for part in parts {
        assert!(err.contains(part), "{err} lacks {part:?}");
    }
    err
}

fn setup() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("golden.ron");
    store::save(&golden_project(), &path).unwrap();
    let path = path.display().to_string();
    (dir, path)
}

fn p(dir: &tempfile::TempDir, name: &str) -> String {
    dir.path().join(name).display().to_string()
}

#[test]
fn export_writes_every_format_and_prints_a_summary() {
    let (dir, project) = setup();
    for (format, out) in [
        ("doccano", "d.jsonl"),
        ("doccano-rel", "dr.jsonl"),
        ("labelstudio", "ls.json"),
        ("spacy", "s.jsonl"),
        ("prodigy", "p.jsonl"),
        ("brat", "brat"),
        ("csv", "tables"),
        ("conll", "c.conll"),
        ("sentences", "sent.csv"),
    ] {
        let stdout = ok(&["export", &project, "--format", format, "--out", &p(&dir, out)]);
        assert!(stdout.starts_with("exported 2 documents, "), "{format}: {stdout}");
        assert!(Path::new(&p(&dir, out)).exists(), "{format}");
    }
    assert!(Path::new(&p(&dir, "ls_config.xml")).exists());
    assert!(Path::new(&p(&dir, "brat/minister-plan.ann")).exists());
    assert!(Path::new(&p(&dir, "tables/relations.csv")).exists());
    assert!(fs::read_to_string(p(&dir, "sent.csv")).unwrap().starts_with("doc,sentence,start,end,text,"));
    let stdout = ok(&["export", &project, "--format", "doccano", "--out", &p(&dir, "d.jsonl")]);
    assert!(stdout.contains("left out 3 relations (doccano sequence labelling"), "{stdout}");
}

#[test]
fn filters_restrict_the_export_and_say_what_they_left_out() {
    let (dir, project) = setup();
    let out = p(&dir, "f.jsonl");
    let stdout = ok(&[
        "export",
        &project,
        "--format",
        "spacy",
        "--out",
        &out,
        "--labels",
        "claim,SOURCE",
        "--status",
        "done,needs-review",
    ]);
    assert!(stdout.starts_with("exported 2 documents, 5 spans, 2 relations"), "{stdout}");
    assert!(stdout.contains("left out 1 spans with labels not selected"), "{stdout}");
    let stdout = ok(&["export", &project, "--format", "spacy", "--out", &out, "--accepted-only"]);
    assert!(stdout.starts_with("exported 2 documents, 2 spans, 0 relations"), "{stdout}");
    let stdout =
        ok(&["export", &project, "--format", "spacy", "--out", &out, "--annotator", "ben", "--status", "needs-review"]);
    assert!(stdout.starts_with("exported 1 document, 2 spans, 1 relation "), "{stdout}");
    assert!(stdout.contains("left out 1 documents not in the selected statuses"), "{stdout}");
    let stdout = ok(&["export", &project, "--format", "conll", "--flat", "--out", &p(&dir, "c.conll")]);
    assert!(stdout.contains("left out 2 spans overlapping a longer span (--flat keeps the longest)"), "{stdout}");
}

#[test]
fn bad_export_arguments_fail_cleanly() {
    let (dir, project) = setup();
    fails(
        &["export", &project, "--format", "spacy", "--out", &p(&dir, "x.jsonl"), "--labels", "Person"],
        &["\"Person\" is not a label"],
    );
    assert!(!Path::new(&p(&dir, "x.jsonl")).exists(), "nothing written");
    fails(&["export", &project, "--format", "brat", "--out", &project], &["writes a folder"]);
    fails(&["export", &p(&dir, "missing.ron"), "--format", "spacy", "--out", &p(&dir, "x.jsonl")], &["missing.ron"]);
    let usage = factmark(&["export", &project, "--format", "xml", "--out", "x"]);
    assert_eq!(usage.status.code(), Some(2));
    let usage = factmark(&["export", &project, "--format", "doccano", "--doccano-units", "bytes", "--out", "x"]);
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn import_annotations_round_trips_through_the_command_line() {
    let (dir, project) = setup();
    let export = p(&dir, "rel.jsonl");
    ok(&["export", &project, "--format", "doccano-rel", "--out", &export]);
    let mut stripped = golden_project();
    for doc in &mut stripped.documents {
        doc.spans.clear();
        doc.relations.clear();
    }
    let target = p(&dir, "stripped.ron");
    store::save(&stripped, Path::new(&target)).unwrap();
    let stdout = ok(&["import-annotations", &target, "--format", "doccano-rel", &export]);
    assert!(stdout.starts_with("imported 6 spans, 3 relations into 2 documents"), "{stdout}");
    let back = store::load(Path::new(&target)).unwrap();
    let ranges = |p: &factmark::model::Project| -> Vec<_> {
        p.documents.iter().flat_map(|d| d.spans.iter().map(|s| (s.start, s.end, s.label.clone()))).collect()
    };
    assert_eq!(ranges(&back), ranges(&golden_project()));
    assert!(back.documents.iter().flat_map(|d| &d.spans).all(|s| s.annotator == "tester"));
    let stdout = ok(&["import-annotations", &target, "--format", "doccano-rel", &export]);
    assert!(stdout.starts_with("imported 0 spans, 0 relations into 0 documents"), "{stdout}");
}

#[test]
fn broken_import_changes_nothing() {
    let (dir, project) = setup();
    let before = fs::read(&project).unwrap();
    let bad = p(&dir, "bad.jsonl");
    let good = serde_json::json!({"text": formats_support::REFERENCE, "label": [[0, 17, "Source"]]});
    fs::write(&bad, format!("{good}\n{good}\n{{\"text\": \"x\", \"label\": [[0, 1, \"Claim\"]\n")).unwrap();
    fails(&["import-annotations", &project, "--format", "doccano", &bad], &[&format!("{bad}:3: invalid JSON")]);
    assert_eq!(fs::read(&project).unwrap(), before, "the project file is unchanged");
    fails(&["import-annotations", &project, "--format", "conll", &bad], &["conll cannot be imported"]);
}

#[test]
fn format_all_writes_every_format_into_a_folder_and_nothing_when_one_file_cannot_be_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, project) = setup();
    let out = p(&dir, "datasets");
    let stdout = ok(&["export", &project, "--format", "all", "--out", &out]);
    let folder = Path::new(&out);
    for name in ["doccano.jsonl", "doccano-rel.jsonl", "labelstudio.json", "spacy.jsonl", "prodigy.jsonl"] {
        assert!(stdout.contains(&format!("to {}", folder.join(name).display())), "{stdout}");
    }
    assert!(stdout.contains("left out 3 relations (CoNLL has no relations) (conll)"), "{stdout}");
    // The same bytes as exporting that one format alone.
    let alone = p(&dir, "alone.jsonl");
    ok(&["export", &project, "--format", "prodigy", "--out", &alone]);
    assert_eq!(fs::read(folder.join("prodigy.jsonl")).unwrap(), fs::read(&alone).unwrap());

    // A read-only file in the folder: the command fails on one line and replaces nothing.
    let before = fs::read(folder.join("doccano.jsonl")).unwrap();
    fs::write(folder.join("doccano.jsonl"), b"edited by hand").unwrap();
    fs::set_permissions(folder.join("spacy.jsonl"), fs::Permissions::from_mode(0o444)).unwrap();
    fails(&["export", &project, "--format", "all", "--out", &out], &["nothing exported", "spacy.jsonl is read-only"]);
    assert_eq!(fs::read(folder.join("doccano.jsonl")).unwrap(), b"edited by hand");
    assert_ne!(before, b"edited by hand");

    // A file where the folder should be.
    fails(
        &["export", &project, "--format", "all", "--out", &alone],
        &["--format all writes a folder, but this is a file"],
    );
}
