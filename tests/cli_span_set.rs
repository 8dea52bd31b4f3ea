//! `factmark span set`: attributes of every kind, label, note and review from the command line, checked
//! against the schema, saved as one edit; bad values leave the file untouched.

use std::process::{Command, Output};

use factmark::model::{AttrValue, CharIdx, DocId, Document, Project, ReviewState, Span, SpanId};
use factmark::store;

fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).env("FACTMARK_ANNOTATOR", "rev").output().unwrap()
}

#[test]
fn sets_attributes_label_note_and_review() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let mut project = Project::new("p");
    let mut doc = Document::new(DocId("d".into()), "D", "Prices rose 4% in “Zürich” — officials said.");
    doc.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(14), "Claim", "ana"));
    project.documents.push(doc);
    project.next_span_id = 2;
    store::save(&project, &path).unwrap();
    let p = path.to_str().unwrap();

    let out = factmark(&[
        "span",
        "set",
        p,
        "--doc",
        "d",
        "--span",
        "1",
        "--attr",
        "verdict=false",
        "--attr",
        "check_worthy=yes",
        "--attr",
        "evidence=https://example.org/stats",
        "--note",
        "see the bulletin",
        "--review",
        "accepted",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let span = store::load(&path).unwrap().documents[0].spans[0].clone();
    assert_eq!(span.attributes.get("verdict"), Some(&AttrValue::Text("false".into())));
    assert_eq!(span.attributes.get("check_worthy"), Some(&AttrValue::Bool(true)));
    assert_eq!(span.attributes.get("evidence"), Some(&AttrValue::Text("https://example.org/stats".into())));
    assert_eq!(
        (span.note.as_str(), span.review, span.reviewer.as_str()),
        ("see the bulletin", ReviewState::Accepted, "rev")
    );

    let before = std::fs::read(&path).unwrap();
    for (attr, says) in [
        ("verdict=maybe", "not one of"),
        ("evidence=example.org", "not a web address"),
        ("check_worthy=perhaps", "not yes or no"),
        ("colour=red", "no attribute"),
    ] {
        let out = factmark(&["span", "set", p, "--doc", "d", "--span", "1", "--attr", attr]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{attr}: {err}");
        assert!(err.contains(says), "{attr}: {err}");
        assert_eq!(std::fs::read(&path).unwrap(), before, "{attr}: file untouched");
    }

    // Relabel to Opinion and set one of its attributes in the same call; an empty value clears.
    let out =
        factmark(&["span", "set", p, "--doc", "d", "--span", "1", "--label", "opinion", "--attr", "polarity=negative"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let out = factmark(&["span", "set", p, "--doc", "d", "--span", "1", "--attr", "polarity="]);
    assert_eq!(out.status.code(), Some(0));
    let span = store::load(&path).unwrap().documents[0].spans[0].clone();
    assert_eq!(span.label, "Opinion");
    assert!(!span.attributes.contains_key("polarity"));
}
