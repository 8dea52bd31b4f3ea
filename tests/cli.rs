//! The command line, run as a real process: names, flags, JSON shapes and exit codes (0 ok, 1 bad input,
//! 2 usage) as the foundation issue fixes them.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use factmark::model::{DocId, Document, Project};
use factmark::store;
use serde_json::Value;

const TEXT: &str = "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk.\n\nCritics 😡 say the minister’s plan is “reckless”. U.S. intelligence disagrees.";

fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).env("FACTMARK_ANNOTATOR", "tester").output().unwrap()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn ok(args: &[&str]) -> String {
    let out = factmark(args);
    assert_eq!(out.status.code(), Some(0), "{args:?} failed: {}", stderr(&out));
    stdout(&out)
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

/// Exit code 1 with one line on stderr that contains every `parts`; returns the line.
fn fails(args: &[&str], parts: &[&str]) -> String {
    let out = factmark(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{args:?}: expected exit 1, stderr: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    for part in parts {
        assert!(err.contains(part), "expected {part:?} in {err}");
    }
    err
}

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Fixture {
    fn p(&self) -> &str {
        self.path.to_str().unwrap()
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.ron");
    let mut project = Project::new("Kursk coverage");
    let mut doc = Document::new(DocId("kursk-troops".into()), "Kursk — troops “confirmed”", TEXT);
    doc.meta.author = "Zoë Marchetti".into();
    project.documents.push(doc);
    project.documents.push(Document::new(DocId("other".into()), "Harbour fees", "Fees rose 4% in 2025."));
    store::save(&project, &path).unwrap();
    Fixture { _dir: dir, path }
}

#[test]
fn new_creates_a_project_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.ron");
    let p = path.to_str().unwrap();
    ok(&["new", p, "--name", "Kursk coverage"]);
    assert_eq!(store::load(&path).unwrap().name, "Kursk coverage");
    let before = fs::read(&path).unwrap();
    fails(&["new", p], &["mine.ron", "already exists"]);
    assert_eq!(fs::read(&path).unwrap(), before);
    let missing = dir.path().join("nope/mine.ron");
    fails(&["new", missing.to_str().unwrap()], &["nope/mine.ron"]);
}

#[test]
fn span_add_by_find_counts_chars_not_bytes() {
    let f = fixture();
    let span =
        json(&["span", "add", f.p(), "--doc", "kursk-troops", "--label", "Opinion", "--find", "“reckless”", "--json"]);
    // The first paragraph and blank line are 90 chars; "Critics 😡 say the minister’s plan is " adds 37
    // (the emoji is one char, though 4 bytes and 2 UTF-16 units), so the quote starts at char 127.
    assert_eq!(span["start"], 127);
    assert_eq!(span["end"], 137);
    assert_eq!(span["text"], "“reckless”");
    assert_eq!(span["label"], "Opinion");
    assert_eq!(span["annotator"], "tester");
    assert_eq!(span["doc"], "kursk-troops");
    let second = json(&[
        "span",
        "add",
        f.p(),
        "--doc",
        "Kursk",
        "--label",
        "source",
        "--find",
        "U.S. intelligence",
        "--nth",
        "2",
        "--json",
    ]);
    assert_eq!(second["start"], 139);
    assert_eq!(second["label"], "Source");
    fails(
        &[
            "span",
            "add",
            f.p(),
            "--doc",
            "kursk-troops",
            "--label",
            "Source",
            "--find",
            "U.S. intelligence",
            "--nth",
            "3",
        ],
        &["mine.ron", "kursk-troops", "occurs 2 time(s)"],
    );
}

#[test]
fn span_add_by_offsets_with_note_and_annotator_then_list_and_remove() {
    let f = fixture();
    let claim = json(&[
        "span",
        "add",
        f.p(),
        "--doc",
        "kursk-troops",
        "--label",
        "Claim",
        "--start",
        "0",
        "--end",
        "87",
        "--note",
        "check 10,000",
        "--annotator",
        "ana",
        "--json",
    ]);
    assert_eq!(
        claim["text"],
        "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk"
    );
    let source = json(&[
        "span",
        "add",
        f.p(),
        "--doc",
        "kursk-troops",
        "--label",
        "Source",
        "--start",
        "0",
        "--end",
        "17",
        "--json",
    ]);
    let rel = json(&[
        "relation",
        "add",
        f.p(),
        "--doc",
        "kursk-troops",
        "--from",
        &source["id"].to_string(),
        "--to",
        &claim["id"].to_string(),
        "--json",
    ]);
    assert_eq!(rel["type"], "attributed_to");
    let spans = json(&["span", "list", f.p(), "--json"]);
    let spans = spans.as_array().unwrap();
    assert_eq!(spans.len(), 2);
    // Sorted by position, the outer Claim first; every documented field present.
    assert_eq!(spans[0]["label"], "Claim");
    assert_eq!(spans[0]["note"], "check 10,000");
    assert_eq!(spans[0]["annotator"], "ana");
    for key in ["id", "doc", "label", "start", "end", "text"] {
        assert!(spans[1].get(key).is_some(), "missing {key}");
    }
    let out = ok(&["span", "remove", f.p(), "--doc", "kursk-troops", "--span", &source["id"].to_string()]);
    assert!(out.contains("1 relation"), "{out}");
    assert_eq!(json(&["relation", "list", f.p(), "--json"]).as_array().unwrap().len(), 0);
    assert_eq!(json(&["span", "list", f.p(), "--doc", "kursk-troops", "--json"]).as_array().unwrap().len(), 1);
}

#[test]
fn refused_edits_leave_the_file_unchanged() {
    let f = fixture();
    let before = fs::read(&f.path).unwrap();
    fails(
        &["span", "add", f.p(), "--doc", "kursk-troops", "--label", "Claim", "--start", "5", "--end", "900"],
        &["mine.ron", "900"],
    );
    fails(
        &["span", "add", f.p(), "--doc", "kursk-troops", "--label", "Rumour", "--start", "0", "--end", "4"],
        &["mine.ron", "Rumour"],
    );
    fails(
        &["span", "add", f.p(), "--doc", "nowhere", "--label", "Claim", "--start", "0", "--end", "4"],
        &["mine.ron", "nowhere"],
    );
    fails(&["span", "remove", f.p(), "--doc", "kursk-troops", "--span", "99"], &["mine.ron", "no span 99"]);
    assert_eq!(fs::read(&f.path).unwrap(), before);
    // The same label on the same chars by the same annotator is one span, not two.
    let add = ["span", "add", f.p(), "--doc", "kursk-troops", "--label", "Claim", "--start", "0", "--end", "4"];
    ok(&add);
    let once = fs::read(&f.path).unwrap();
    fails(&add, &["mine.ron", "already has this Claim span", "tester"]);
    assert_eq!(fs::read(&f.path).unwrap(), once, "the refused duplicate changed the file");
    fs::write(&f.path, &before).unwrap();
    fails(&["relation", "add", f.p(), "--doc", "kursk-troops", "--from", "1", "--to", "2"], &["mine.ron"]);
    assert_eq!(fs::read(&f.path).unwrap(), before);
}

#[test]
fn relation_types_are_checked_against_labels() {
    let f = fixture();
    let a = json(&[
        "span",
        "add",
        f.p(),
        "--doc",
        "kursk-troops",
        "--label",
        "Claim",
        "--start",
        "0",
        "--end",
        "87",
        "--json",
    ]);
    let b =
        json(&["span", "add", f.p(), "--doc", "kursk-troops", "--label", "Opinion", "--find", "“reckless”", "--json"]);
    fails(
        &[
            "relation",
            "add",
            f.p(),
            "--doc",
            "kursk-troops",
            "--from",
            &a["id"].to_string(),
            "--to",
            &b["id"].to_string(),
        ],
        &["cannot go from a Claim span to a Opinion span"],
    );
}

#[test]
fn doc_list_and_show() {
    let f = fixture();
    let docs = json(&["doc", "list", f.p(), "--json"]);
    assert_eq!(docs[0]["id"], "kursk-troops");
    assert_eq!(docs[0]["status"], "todo");
    assert_eq!(docs[0]["meta"]["author"], "Zoë Marchetti");
    assert_eq!(docs[1]["chars"], 21);
    let shown = json(&["doc", "show", f.p(), "--doc", "Harbour fees", "--json"]);
    assert_eq!(shown["text"], "Fees rose 4% in 2025.");
    assert_eq!(shown["content_hash"].as_str().unwrap().len(), 32);
    let text = ok(&["doc", "show", f.p(), "--doc", "kursk-troops"]);
    assert!(text.contains("author: Zoë Marchetti") && text.contains("Critics 😡"), "{text}");
    fails(&["doc", "show", f.p(), "--doc", "zzz"], &["no document", "zzz"]);
    ok(&["doc", "set", f.p(), "--doc", "other", "--status", "needs-review", "--note", "check the 4%"]);
    let docs = json(&["doc", "list", f.p(), "--json"]);
    assert_eq!(docs[1]["status"], "needs-review");
    assert_eq!(factmark(&["doc", "set", f.p(), "--doc", "other", "--status", "finished"]).status.code(), Some(2));
}

#[test]
fn stats_and_validate() {
    let f = fixture();
    ok(&["span", "add", f.p(), "--doc", "kursk-troops", "--label", "Claim", "--start", "0", "--end", "87"]);
    ok(&["span", "add", f.p(), "--doc", "kursk-troops", "--label", "Source", "--start", "0", "--end", "17"]);
    let stats = json(&["stats", f.p(), "--json"]);
    assert_eq!(stats["documents"], 2);
    assert_eq!(stats["spans"], 2);
    assert_eq!(stats["nested_spans"], 1);
    assert_eq!(stats["spans_by_label"]["Claim"], 1);
    assert_eq!(stats["spans_by_label"]["Opinion"], 0);
    assert_eq!(stats["documents_by_status"]["todo"], 2);
    assert!(ok(&["stats", f.p()]).contains("spans by label"));
    assert!(ok(&["validate", f.p()]).contains("valid (2 documents, 2 spans)"));
    let broken = fs::read_to_string(&f.path).unwrap().replacen("end: 17", "end: 18", 1);
    fs::write(&f.path, &broken).unwrap();
    fails(&["validate", f.p()], &["mine.ron", "span 2"]);
    assert_eq!(fs::read_to_string(&f.path).unwrap(), broken);
}

#[test]
fn usage_errors_exit_2() {
    let f = fixture();
    for args in [
        vec!["span", "add", f.p(), "--doc", "kursk-troops"],
        vec!["frobnicate"],
        vec!["span", "add", f.p(), "--doc", "x", "--label", "Claim", "--find", "a", "--start", "1", "--end", "2"],
        vec!["span", "remove", f.p(), "--doc", "x", "--span", "not-a-number"],
    ] {
        assert_eq!(factmark(&args).status.code(), Some(2), "{args:?}");
    }
    assert_eq!(factmark(&["--help"]).status.code(), Some(0));
}

#[test]
fn missing_and_broken_project_files_are_bad_input() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent.ron");
    fails(&["stats", missing.to_str().unwrap()], &["absent.ron"]);
    let garbage = dir.path().join("garbage.ron");
    fs::write(&garbage, "this is not ron").unwrap();
    fails(&["doc", "list", garbage.to_str().unwrap()], &["garbage.ron:1:"]);
}

#[test]
fn import_reads_articles_and_reports_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    let p = project.to_str().unwrap();
    ok(&["new", p]);
    let article = dir.path().join("bridge.txt");
    fs::write(&article, "Bridge closes for “urgent” repairs\r\nBy Zoë Marchetti\r\nMarch 14, 2026\r\n\r\nThe bridge—built in 1931—closed on Monday.\r\n").unwrap();
    fs::write(dir.path().join("notes.pdf"), b"%PDF").unwrap();
    let out = ok(&["import", p, dir.path().to_str().unwrap()]);
    assert!(out.contains("1 document(s) imported"), "{out}");
    assert!(out.contains("notes.pdf"), "skipped files are listed: {out}");
    let docs = json(&["doc", "list", p, "--json"]);
    assert_eq!(docs[0]["title"], "Bridge closes for “urgent” repairs");
    assert_eq!(docs[0]["meta"]["author"], "Zoë Marchetti");
    let shown = json(&["doc", "show", p, "--doc", docs[0]["id"].as_str().unwrap(), "--json"]);
    assert_eq!(shown["text"], "The bridge—built in 1931—closed on Monday.");
    let again = ok(&["import", p, article.to_str().unwrap()]);
    assert!(again.contains("duplicate") && again.contains("0 document(s) imported"), "{again}");
    let bad = dir.path().join("bad.txt");
    fs::write(&bad, b"Title\n\nbroken \xff here").unwrap();
    let before = fs::read(&project).unwrap();
    fails(&["import", p, bad.to_str().unwrap()], &["bad.txt", "UTF-8"]);
    assert_eq!(fs::read(&project).unwrap(), before);
}

#[test]
fn span_list_of_missing_doc_names_project() {
    let f = fixture();
    let err = fails(&["span", "list", f.p(), "--doc", "nope"], &["nope"]);
    assert!(err.contains(Path::new(f.p()).file_name().unwrap().to_str().unwrap()));
}
