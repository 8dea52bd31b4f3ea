//! `factmark merge`, `factmark agree` and the figures `factmark stats --json` gained, run as a real
//! process: exit codes (0 ok, 1 bad input, 2 usage) and output shapes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use factmark::model::{CharIdx, DocId, Document, Project, Span};
use factmark::store;
use serde_json::Value;

const BRIDGE: &str = "The Vellmar Harbour Bridge will close for six weeks, the Port Authority said.";
const WATER: &str = "Critics say the water plan is reckless. Bills rose 23% in 2025.";

fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).env("FACTMARK_ANNOTATOR", "tester").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(args: &[&str]) -> String {
    let out = factmark(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
    text(&out.stdout)
}

fn fails(args: &[&str], code: i32, part: &str) {
    let out = factmark(args);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
    assert!(err.contains(part), "expected {part:?} in {err}");
    if code == 1 {
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    }
}

/// A project with the two texts in the given order, titled differently per annotator, and spans by
/// `annotator` (empty: none recorded) at the given ranges of each text.
fn write_copy(
    dir: &Path,
    file: &str,
    annotator: &str,
    reversed: bool,
    spans: &[(&str, usize, usize, &str)],
) -> PathBuf {
    let mut project = Project::new(file);
    let mut texts = vec![("bridge", BRIDGE), ("water", WATER)];
    if reversed {
        texts.reverse();
    }
    for (id, body) in texts {
        let mut doc = Document::new(DocId(format!("{id}-{file}")), format!("{id} by {file}"), body);
        for &(which, start, end, label) in spans {
            if which == id {
                let span_id = project.alloc_span_id();
                doc.spans.push(Span::new(span_id, CharIdx(start)..CharIdx(end), label, annotator));
            }
        }
        doc.spans.sort_by_key(Span::sort_key);
        project.documents.push(doc);
    }
    let path = dir.join(format!("{file}.ron"));
    store::save(&project, &path).unwrap();
    path
}

struct Setup {
    _dir: tempfile::TempDir,
    ana: String,
    ben: String,
    out: String,
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let ana = write_copy(
        dir.path(),
        "ana",
        "ana",
        false,
        &[("bridge", 0, 51, "Claim"), ("bridge", 53, 75, "Source"), ("water", 0, 7, "Source")],
    );
    // ben records no annotator: his spans become "ben" after the merge, from the file name.
    let ben = write_copy(dir.path(), "ben", "", true, &[("bridge", 0, 51, "Claim"), ("bridge", 57, 75, "Source")]);
    let out = dir.path().join("merged.ron");
    let s = |p: &Path| p.to_str().unwrap().to_string();
    Setup { ana: s(&ana), ben: s(&ben), out: s(&out), _dir: dir }
}

#[test]
fn merge_writes_the_project_and_prints_the_report() {
    let s = setup();
    let report = ok(&["merge", &s.out, &s.ana, &s.ben]);
    assert!(report.contains("merged 2 projects"), "{report}");
    assert!(report.contains("2 documents (2 in every input), 5 spans"), "{report}");
    assert!(report.contains("title"), "title differences are listed: {report}");
    let merged = store::load(Path::new(&s.out)).unwrap();
    assert_eq!(merged.span_count(), 5);
    let annotators: Vec<&str> = merged.documents[0].spans.iter().map(|sp| sp.annotator.as_str()).collect();
    assert_eq!(annotators, ["ana", "ben", "ana", "ben"]);
}

#[test]
fn merge_refuses_to_overwrite_unless_forced() {
    let s = setup();
    ok(&["merge", &s.out, &s.ana, &s.ben]);
    let before = fs::read(&s.out).unwrap();
    fails(&["merge", &s.out, &s.ana, &s.ben], 1, "already exists");
    assert_eq!(fs::read(&s.out).unwrap(), before);
    ok(&["merge", &s.out, &s.ana, &s.ben, "--force"]);
    fails(&["merge", &s.ana, &s.ana, &s.ben, "--force"], 1, "is also an input");
}

#[test]
fn merge_usage_and_input_errors() {
    let s = setup();
    // One input is a usage error (exit 2); a missing input is bad input (exit 1) and writes nothing.
    fails(&["merge", &s.out, &s.ana], 2, "");
    fails(&["merge", &s.out, &s.ana, "/no/such/file.ron"], 1, "/no/such/file.ron");
    assert!(!Path::new(&s.out).exists());
}

#[test]
fn merge_json_report_shape() {
    let s = setup();
    let json: Value = serde_json::from_str(&ok(&["merge", &s.out, &s.ana, &s.ben, "--json"])).unwrap();
    assert_eq!(json["out"], s.out.as_str());
    assert_eq!(json["documents"], 2);
    assert_eq!(json["spans"], 5);
    assert_eq!(json["inputs"][1]["name"], "ben");
    assert_eq!(json["inputs"][1]["spans_given_input_name"], 2);
    assert!(json["doc_conflicts"].as_array().unwrap().iter().any(|c| c["field"] == "title"));
    assert!(json["schema"].as_array().unwrap().is_empty());
}

#[test]
fn agree_prints_tables_and_json() {
    let s = setup();
    ok(&["merge", &s.out, &s.ana, &s.ben]);
    let table = ok(&["agree", &s.out, "--by-label", "--by-doc"]);
    for part in ["ana × ben", "exact", "overlap", "κ", "Krippendorff", "Claim", "bridge-ana", "undefined (—)"] {
        assert!(table.contains(part), "{part:?} missing from\n{table}");
    }
    let json: Value = serde_json::from_str(&ok(&["agree", &s.out, "--json"])).unwrap();
    assert_eq!(json["annotators"], serde_json::json!(["ana", "ben"]));
    let pair = &json["pairs"][0];
    // Only the bridge document has spans from both: the water one (ana only) is not compared.
    assert_eq!(pair["documents"], 1);
    assert_eq!(pair["documents_only_a"], 1);
    // Exact: the Claims match, the Sources (53..75 vs 57..75) do not: tp 1 of 2 and 2.
    assert_eq!(pair["exact"]["tp"], 1);
    assert_eq!(pair["exact"]["fn"], 1);
    assert_eq!(pair["exact"]["f1"]["value"], 0.5);
    assert_eq!(pair["overlap"]["f1"]["value"], 1.0);
    assert!(pair["kappa"]["kappa"]["value"].is_number());
    assert_eq!(pair["exact_by_label"][0]["label"], "Claim");
    assert!(pair["by_doc"].as_array().unwrap().is_empty());
    assert!(json["alpha"]["overall"]["alpha"]["value"].is_number());
    // Opinion was never used: its κ is undefined with a reason, not NaN.
    let opinion = &pair["kappa_by_label"][1];
    assert_eq!(opinion["label"], "Opinion");
    assert!(opinion["kappa"]["value"].is_null() && opinion["kappa"]["undefined"].is_string());
}

#[test]
fn agree_errors() {
    let s = setup();
    ok(&["merge", &s.out, &s.ana, &s.ben]);
    fails(&["agree", &s.out, "--annotators", "ana,zed"], 1, "zed");
    // ana's own file has one annotator: nothing to compare.
    fails(&["agree", &s.ana], 1, "at least two annotators");
    fails(&["agree", "/no/such/project.ron"], 1, "/no/such/project.ron");
    fails(&["agree"], 2, "");
}

#[test]
fn stats_json_keeps_its_fields_and_adds_per_document_figures() {
    let s = setup();
    ok(&["merge", &s.out, &s.ana, &s.ben]);
    let json: Value = serde_json::from_str(&ok(&["stats", &s.out, "--json"])).unwrap();
    for key in ["documents", "spans", "relations", "chars", "nested_spans", "spans_by_label", "documents_by_status"] {
        assert!(json.get(key).is_some(), "{key} missing");
    }
    assert_eq!(json["spans_by_annotator"]["ben"], 2);
    assert_eq!(json["documents_by_annotator"]["ana"], 2);
    let bridge = &json["per_document"][0];
    assert_eq!(bridge["words"], 13);
    assert_eq!(bridge["spans"], 4);
    assert_eq!(bridge["spans_by_label"]["Source"], 2);
    assert!((bridge["spans_per_1000_words"].as_f64().unwrap() - 4000.0 / 13.0).abs() < 1e-9);
}
