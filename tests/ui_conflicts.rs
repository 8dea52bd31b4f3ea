//! A span a merge left in conflict, seen and settled in the window: selecting it shows a warning naming
//! the other version, "Keep this version" removes the other and clears the flag in one step, and undo
//! brings both back.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::edit::Edit;
use factmark::model::{CharIdx, DocId, Document, Project, Span, SpanId};
use factmark::ui::FactmarkApp;

mod ui_support;

const TEXT: &str = "Mayor Léa Durand said the U.S. grant “changes everything” — critics called it a stunt.";

/// One document with a source span and span 7 relabelled differently on each side: 7 is ours (Claim),
/// 9 theirs (Opinion), over the same words.
fn project() -> Project {
    let mut project = ui_support::project_with_sample_schema("conflict test");
    let doc = Document::new(DocId("d".into()), "Grant", TEXT);
    Edit::AddDocument { index: 0, document: Box::new(doc) }.apply(&mut project).unwrap();
    let range = CharIdx(26)..CharIdx(56);
    let mut ours = Span::new(SpanId(7), range.clone(), "Claim", "ana");
    ours.conflict = "7/ours".into();
    let mut theirs = Span::new(SpanId(9), range, "Opinion", "ben");
    theirs.conflict = "7/theirs".into();
    let source = Span::new(SpanId(3), CharIdx(0)..CharIdx(16), "Source", "ana");
    for span in [source, ours, theirs] {
        Edit::AddSpan { doc: DocId("d".into()), span, relations: Vec::new() }.apply(&mut project).unwrap();
    }
    project.next_span_id = 10;
    project
}

fn flags(app: &FactmarkApp) -> Vec<(u64, String, String)> {
    let doc = &app.project().documents[0];
    let mut out: Vec<_> = doc
        .spans
        .iter()
        .filter(|s| s.start == CharIdx(26))
        .map(|s| (s.id.0, s.label.clone(), s.conflict.clone()))
        .collect();
    out.sort();
    out
}

#[test]
fn a_flagged_span_shows_the_other_version_and_keeping_it_is_one_undoable_step() {
    let chars: String = TEXT.chars().skip(26).take(30).collect();
    assert_eq!(chars, "U.S. grant “changes everything", "the test's range covers the quoted words");
    let mut h = ui_support::harness(FactmarkApp::new(project(), None), [1400.0, 900.0]);
    h.get_by_label_contains("1 conflict(s) to settle");

    // Select ours (the Claim) from the span list.
    h.get_by_label("Claim  U.S. grant “changes everything").click();
    h.run();
    assert_eq!(h.state().workspace().cursor.selected_span, Some(SpanId(7)));
    h.get_by_label("⚠ Conflict from a merge: ours — the other version: Opinion 'U.S. grant “changes everything'");

    h.get_by_label("Keep this version").click();
    h.run();
    assert_eq!(flags(h.state()), vec![(7, "Claim".to_string(), String::new())], "one span left, unflagged");
    assert_eq!(h.state().project().documents[0].spans.len(), 2, "the source span is untouched");
    assert!(h.query_by_label_contains("Conflict from a merge").is_none(), "the warning is gone");
    assert!(h.query_by_label_contains("conflict(s) to settle").is_none());

    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(
        flags(h.state()),
        vec![(7, "Claim".to_string(), "7/ours".to_string()), (9, "Opinion".to_string(), "7/theirs".to_string())],
        "one undo brings both versions back, flagged"
    );
    h.get_by_label_contains("1 conflict(s) to settle");
}
