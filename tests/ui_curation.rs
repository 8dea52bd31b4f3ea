//! The curation window driven headless: open it with Ctrl+K, accept the agreed spans, take one annotator's
//! version of a disagreement with the N key and a click, undo — then check the gold layer itself.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::edit::Edit;
use factmark::model::{CharIdx, DocId, Document, Project, Span};
use factmark::ui::FactmarkApp;

mod ui_support;
use ui_support::H;

const TEXT: &str = "The bridge will close. Officials said so. It is a disgrace. Repairs cost €18 million.";

/// One document, the sample's schema, and two annotators:
/// - agreed: Claim 0..22 ("The bridge will close.") and Opinion 42..59 ("It is a disgrace.");
/// - Source: ana 23..32 ("Officials"), ben 23..41 ("Officials said so.");
/// - Claim: ben only, 60..85 ("Repairs cost €18 million.").
fn project() -> Project {
    let mut project = ui_support::project_with_sample_schema("curation test");
    let doc = Document::new(DocId("d".into()), "Bridge", TEXT);
    Edit::AddDocument { index: 0, document: Box::new(doc) }.apply(&mut project).unwrap();
    ui_support::add_spans(
        &mut project,
        "d",
        &[
            (0, 22, "Claim", "ana"),
            (0, 22, "Claim", "ben"),
            (42, 59, "Opinion", "ana"),
            (42, 59, "Opinion", "ben"),
            (23, 32, "Source", "ana"),
            (23, 41, "Source", "ben"),
            (60, 85, "Claim", "ben"),
        ],
    );
    project
}

fn harness(app: FactmarkApp) -> H {
    ui_support::harness(app, [1400.0, 900.0])
}

fn gold(app: &FactmarkApp) -> Vec<(usize, usize, String, String)> {
    let doc = &app.project().documents[0];
    doc.spans
        .iter()
        .filter(|s| s.annotator == "gold")
        .map(|s| (s.start.0, s.end.0, s.label.clone(), s.origin.clone()))
        .collect()
}

fn g(start: usize, end: usize, label: &str, origin: &str) -> (usize, usize, String, String) {
    (start, end, label.to_string(), origin.to_string())
}

#[test]
fn accept_agreed_take_a_version_and_undo() {
    let mut h = harness(FactmarkApp::new(project(), None));
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_label_contains("Annotators: ana, ben · 2 agreed (2 not in gold yet) · 2 disagreements (2 open)");

    h.get_by_label("Accept 2 agreed").click();
    h.run();
    assert_eq!(gold(h.state()), vec![g(0, 22, "Claim", "curation:agreed"), g(42, 59, "Opinion", "curation:agreed")]);
    h.get_by_label_contains("2 agreed (0 not in gold yet)");

    // N makes the first open disagreement (the Sources) current and selects its first span in the text.
    h.key_press(Key::N);
    h.run();
    h.get_by_label("Current: chars 23–41");
    // Spans are kept by start, longer first, so ben's longer Source comes first.
    let selected = h.state().workspace().cursor.selected_span;
    let first = h.state().project().documents[0].spans.iter().find(|s| s.annotator == "ben" && s.label == "Source");
    assert_eq!(selected, first.map(|s| s.id));

    h.get_by_label("Take ana's version").click();
    h.run();
    let expected_source = g(23, 32, "Source", "curation:ana");
    assert!(gold(h.state()).contains(&expected_source), "{:?}", gold(h.state()));
    assert_eq!(gold(h.state()).len(), 3);
    h.get_by_label("gold = ana's version");

    // Switching to ben's version is one edit; undo brings ana's back, undo again removes it.
    h.get_by_label("Take ben's version").click();
    h.run();
    assert!(gold(h.state()).contains(&g(23, 41, "Source", "curation:ben")));
    assert!(!gold(h.state()).contains(&expected_source));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(gold(h.state()).contains(&expected_source));
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(gold(h.state()).len(), 2, "undo removed the chosen span, the agreed ones stay");

    // N again: the Sources are open again (undone), so they stay current until settled; then the next one.
    h.get_by_label("Take ana's version").click();
    h.run();
    h.key_press(Key::N);
    h.run();
    h.get_by_label("Current: chars 60–85");
    h.get_by_label("Reject all versions").click();
    h.run();
    h.get_by_label_contains("2 disagreements (0 open)");
    assert_eq!(gold(h.state()).len(), 3, "rejecting adds nothing");
    h.key_press(Key::N);
    h.run();
    h.get_by_label("No open disagreements left in the project");
}

#[test]
fn one_annotator_is_explained() {
    let mut project = project();
    project.documents[0].spans.retain(|s| s.annotator == "ana");
    let mut h = harness(FactmarkApp::new(project, None));
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.get_by_label_contains("only ana has spans in this document");
    assert!(h.query_by_label("Take ana's version").is_none());
}

#[test]
fn next_walks_disagreements_that_start_together() {
    let mut project = project();
    // ana's Claim 0..22 and a Source ben nests in it start at the same char but are separate questions.
    project.documents[0].spans.retain(|s| s.start.0 == 0 && s.annotator == "ana");
    let span = Span::new(project.alloc_span_id(), CharIdx(0)..CharIdx(10), "Source", "ben");
    Edit::AddSpan { doc: DocId("d".into()), span, relations: Vec::new() }.apply(&mut project).unwrap();
    let mut h = harness(FactmarkApp::new(project, None));
    for expected in ["Current: chars 0–22", "Current: chars 0–10", "Current: chars 0–22"] {
        h.key_press(Key::N);
        h.run();
        h.get_by_label(expected);
    }
}
