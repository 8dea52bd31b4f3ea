//! Per-project recommender switches (`factmark recommenders`, stored in the project file) and how often
//! accepted suggestions are kept as suggested (`factmark stats`), from the command line.

use std::process::{Command, Output};

use factmark::model::{DocId, Document, Project};
use factmark::store;

const TEXT: &str = "Officials at the Port Authority said the bridge carried 41,000 vehicles a day in 2025. \
“We did not take this lightly,” said Zoë Ibáñez, the authority’s chief engineer — and the U.S. firm agreed.";

fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).env("FACTMARK_ANNOTATOR", "ana").output().unwrap()
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn saved_project(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("p.ron");
    let mut p = Project::new("p");
    p.documents.push(Document::new(DocId("d".into()), "Bridge", TEXT));
    store::save(&p, &path).unwrap();
    path
}

fn recommenders_of(json: &str) -> Vec<String> {
    let rows: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut names: Vec<String> =
        rows.as_array().unwrap().iter().map(|r| r["recommender"].as_str().unwrap().to_string()).collect();
    names.sort();
    names.dedup();
    names
}

#[test]
fn a_recommender_switched_off_is_stored_in_the_project_and_suggest_follows_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_project(&dir);
    let p = path.to_str().unwrap();
    assert_eq!(recommenders_of(&ok(&factmark(&["suggest", p, "--json"]))), ["cues"], "the cues find the sources");

    let listing = ok(&factmark(&["recommenders", p, "--off", "cues,tagger"]));
    assert!(listing.contains("off cues"), "{listing}");
    assert!(listing.contains("off tagger"), "{listing}");
    assert!(listing.contains("on  strings"), "{listing}");
    assert_eq!(store::load(&path).unwrap().recommenders_off, ["cues", "tagger"]);
    let file = std::fs::read_to_string(&path).unwrap();
    assert!(file.contains("recommenders_off: [\n        \"cues\",\n        \"tagger\",\n    ],"), "{file}");
    assert!(recommenders_of(&ok(&factmark(&["suggest", p, "--json"]))).is_empty(), "cues are off");
    // Naming recommenders on the command line overrides the project's choice for that run.
    assert_eq!(recommenders_of(&ok(&factmark(&["suggest", p, "--json", "--recommenders", "cues"]))), ["cues"]);

    ok(&factmark(&["recommenders", p, "--on", "cues"]));
    assert_eq!(store::load(&path).unwrap().recommenders_off, ["tagger"]);
    assert_eq!(recommenders_of(&ok(&factmark(&["suggest", p, "--json"]))), ["cues"]);

    let before = std::fs::read(&path).unwrap();
    let bad = factmark(&["recommenders", p, "--off", "oracle"]);
    assert_ne!(bad.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown recommender \"oracle\""));
    let both = factmark(&["recommenders", p, "--off", "cues", "--on", "cues"]);
    assert_ne!(both.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&both.stderr).contains("cues is both in --off and in --on"));
    assert_eq!(std::fs::read(&path).unwrap(), before, "a refused switch writes nothing");
}

#[test]
fn stats_count_accepted_suggestions_and_those_changed_afterwards() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_project(&dir);
    let p = path.to_str().unwrap();
    ok(&factmark(&["suggest", p, "--accept-all"]));
    let accepted = store::load(&path).unwrap().span_count();
    assert!(accepted >= 2, "the cues found at least the two sources");
    let stats = ok(&factmark(&["stats", p]));
    assert!(stats.contains(&format!("accepted suggestions: {accepted} span(s), {accepted} (100 %) kept")), "{stats}");

    // Relabelling one accepted suggestion (a Source) marks it changed.
    let claims_before = store::load(&path).unwrap().documents[0].spans.iter().filter(|s| s.label == "Claim").count();
    let id = store::load(&path).unwrap().documents[0].spans.iter().find(|s| s.label == "Source").unwrap().id;
    let id = id.0.to_string();
    ok(&factmark(&["span", "set", p, "--doc", "d", "--span", &id, "--label", "Claim"]));
    let saved = store::load(&path).unwrap();
    assert!(saved.documents[0].spans.iter().any(|s| s.origin.ends_with(" (changed)")), "{:?}", saved.documents);
    let json: serde_json::Value = serde_json::from_str(&ok(&factmark(&["stats", p, "--json"]))).unwrap();
    assert_eq!(json["suggestions"]["accepted"], accepted);
    assert_eq!(json["suggestions"]["unchanged"], accepted - 1);
    assert_eq!(json["suggestions"]["by_label"]["Claim"]["accepted"], claims_before + 1);
    assert_eq!(json["suggestions"]["by_label"]["Claim"]["unchanged"], claims_before);

    // A span labelled by hand is not counted at all.
    ok(&factmark(&["span", "add", p, "--doc", "d", "--label", "Claim", "--find", "41,000 vehicles a day"]));
    let json: serde_json::Value = serde_json::from_str(&ok(&factmark(&["stats", p, "--json"]))).unwrap();
    assert_eq!(json["suggestions"]["accepted"], accepted);
}

#[test]
fn the_window_session_marks_a_relabelled_suggestion_and_undo_clears_the_mark() {
    use factmark::edit::Edit;
    use factmark::model::{CharIdx, Span, SpanId};
    use factmark::session::workspace::Session;
    let mut p = Project::new("p");
    let mut d = Document::new(DocId("d".into()), "Bridge", TEXT);
    let mut s = Span::new(SpanId(1), CharIdx(0)..CharIdx(31), "Source", "ana");
    s.origin = "suggest:tagger".into();
    d.spans.push(s);
    p.documents.push(d);
    p.next_span_id = 2;
    let mut session = Session::new(p, None);
    let doc = DocId("d".into());
    session.edit(Edit::SetSpanRange { doc: doc.clone(), span: SpanId(1), range: CharIdx(17)..CharIdx(31) }).unwrap();
    assert_eq!(session.project().documents[0].spans[0].origin, "suggest:tagger (changed)");
    session.undo().unwrap();
    let span = &session.project().documents[0].spans[0];
    assert_eq!((span.origin.as_str(), span.start), ("suggest:tagger", CharIdx(0)), "one undo takes both back");
}
