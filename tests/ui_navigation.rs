//! Moving around a document and a project with the keyboard and the lists: Page Up / Page Down / Home /
//! End, the span list bringing a span into sight, the document list following Alt+↓, and reopening a
//! project where the user left it.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::model::{CharIdx, DocId, Document, Project, Span, SpanId};
use factmark::ui::{FactmarkApp, Intent, Preferences};

mod ui_support;
use ui_support::{H, press};

/// One document of `n` numbered paragraphs, with a Claim on the first word of paragraph `span_at`.
fn long_project(n: usize, span_at: usize) -> Project {
    let mut project = ui_support::project_with_sample_schema("long");
    let text: String = (0..n).map(|i| format!("Paragraph {i} says “something” — café.\n\n")).collect();
    let mut doc = Document::new(DocId("long".into()), "Long", text);
    let at = doc.text.find(&format!("Paragraph {span_at} says")).unwrap();
    let start = doc.text[..at].chars().count();
    doc.spans.push(Span::new(SpanId(1), CharIdx(start)..CharIdx(start + 9), "Claim", "t"));
    project.documents.push(doc);
    project.next_span_id = 2;
    project
}

fn shows(h: &H, paragraph: usize) -> bool {
    h.query_by_label_contains(&format!("Paragraph {paragraph} says")).is_some()
}

#[test]
fn page_keys_home_and_end_move_through_the_document() {
    let mut h = ui_support::harness(FactmarkApp::new(long_project(300, 299), None), [1200.0, 800.0]);
    assert!(shows(&h, 0) && !shows(&h, 299));
    press(&mut h, Modifiers::NONE, Key::End);
    assert!(shows(&h, 299) && !shows(&h, 0), "End goes to the end of the document");
    press(&mut h, Modifiers::NONE, Key::Home);
    assert!(shows(&h, 0) && !shows(&h, 299), "Home goes back to the top");
    press(&mut h, Modifiers::NONE, Key::PageDown);
    assert!(!shows(&h, 0), "Page Down scrolls the first paragraph away");
    let on_second_page = (1..40).find(|&p| shows(&h, p)).expect("some paragraph shows");
    press(&mut h, Modifiers::NONE, Key::PageDown);
    assert!(!shows(&h, on_second_page) || (1..80).any(|p| p > on_second_page + 5 && shows(&h, p)));
    press(&mut h, Modifiers::NONE, Key::PageUp);
    press(&mut h, Modifiers::NONE, Key::PageUp);
    assert!(shows(&h, 0), "two Page Ups undo two Page Downs");
}

#[test]
fn choosing_a_span_in_the_list_scrolls_the_text_to_it() {
    let mut h = ui_support::harness(FactmarkApp::new(long_project(300, 250), None), [1200.0, 800.0]);
    assert!(!shows(&h, 250));
    // What a click on the row in the span list (or a relation end in the inspector) asks for.
    h.state_mut().push(Intent::ClickSpan(SpanId(1)));
    h.run();
    assert!(shows(&h, 250), "the chosen span is brought into sight");
    assert_eq!(h.state().workspace().cursor.selected_span, Some(SpanId(1)));
}

#[test]
fn the_document_list_follows_alt_down() {
    let mut project = ui_support::project_with_sample_schema("many");
    for i in 0..80 {
        project.documents.push(Document::new(DocId(format!("d{i}")), format!("Article number {i:02}"), "Some text."));
    }
    let mut h = ui_support::harness(FactmarkApp::new(project, None), [1200.0, 800.0]);
    assert!(h.query_by_label("Article number 60").is_none(), "row 60 starts out of sight");
    for _ in 0..60 {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowDown);
        h.run();
    }
    assert_eq!(h.state().selected(), Some(60));
    // The heading of the shown document, and its row in the list.
    assert_eq!(h.query_all_by_label("Article number 60").count(), 2, "the list scrolled to the shown document");
    assert!(h.query_by_label("Article number 00").is_none());
}

#[test]
fn reopening_a_project_shows_the_document_last_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.ron");
    std::fs::copy(factmark::ui::sample_project_path(), &path).unwrap();
    let prefs = Preferences { annotator: "t".into(), annotator_confirmed: true, ..Preferences::default() };
    let mut h = ui_support::harness(FactmarkApp::from_path(&path).with_preferences(prefs, false), [1200.0, 800.0]);
    press(&mut h, Modifiers::ALT, Key::ArrowDown);
    press(&mut h, Modifiers::ALT, Key::ArrowDown);
    assert_eq!(h.state().selected(), Some(2));
    let stored = h.state().preferences().clone();
    drop(h);
    let again = ui_support::harness(FactmarkApp::from_path(&path).with_preferences(stored, false), [1200.0, 800.0]);
    assert_eq!(again.state().selected(), Some(2), "the project opens on the document last shown");
}

/// One wheel notch (a line-based wheel event, as X11 and most mice send) over `at`.
fn wheel(h: &mut H, at: egui::Pos2, notches: f32) {
    h.hover_at(at);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Line,
        delta: egui::vec2(0.0, -notches),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    });
}

#[test]
fn a_wheel_notch_scrolls_three_lines_at_once_and_stops_with_the_wheel() {
    let mut h = ui_support::harness(FactmarkApp::new(long_project(300, 299), None), [1200.0, 800.0]);
    let over_text = h.get_by_label_contains("Paragraph 2 says").rect().center();
    let top = |h: &H| h.state().view().scroll_top();
    assert_eq!(top(&h), 0.0);
    wheel(&mut h, over_text, 1.0);
    h.step();
    let line = 16.0 * factmark::ui::LINE_HEIGHT;
    let after_one = top(&h);
    assert!((after_one - 3.0 * line).abs() < 1.0, "one notch moved {after_one} px in its own frame");
    h.run();
    assert_eq!(top(&h), after_one, "nothing moves after the wheel stops");
    // Twenty quick notches: all of them, at once, and no drift afterwards.
    for _ in 0..20 {
        wheel(&mut h, over_text, 1.0);
    }
    h.step();
    let after_twenty = top(&h);
    assert!((after_twenty - 21.0 * 3.0 * line).abs() < 1.0, "twenty more notches moved to {after_twenty}");
    h.run();
    assert_eq!(top(&h), after_twenty);
    wheel(&mut h, over_text, -21.0);
    h.run();
    assert!(top(&h).abs() < 0.5, "back up to the top: {}", top(&h));
}

#[test]
fn hovering_a_span_highlights_the_spans_at_the_other_ends_of_its_relations() {
    let project = factmark::store::load(&factmark::ui::sample_project_path()).unwrap();
    let doc = &project.documents[0];
    let rel = &doc.relations[0];
    let (from, to) = (doc.span(rel.from).unwrap().clone(), doc.span(rel.to).unwrap().clone());
    let mut h = ui_support::harness(FactmarkApp::new(project, None), [1400.0, 900.0]);
    // The middle of the `from` span's smallest part: hover where only it is under the pointer.
    let at = CharIdx((from.start.0 + from.end.0) / 2);
    let pos = h.state().view().char_screen_pos(at).expect("the span is in sight");
    h.hover_at(pos);
    h.run();
    let hovered = h.state().view().hovered_span().expect("a span under the pointer");
    let expected = if hovered == from.id { to.id } else { from.id };
    assert!(
        h.state().view().linked_spans().contains(&expected),
        "hovering span {hovered:?} does not highlight {expected:?}: {:?}",
        h.state().view().linked_spans()
    );
    assert!(h.state().workspace().cursor.selected_span.is_none(), "hovering selects nothing");
}

#[test]
fn the_keyboard_help_lists_the_page_keys_and_the_palette_keys() {
    let mut h = ui_support::harness(FactmarkApp::new(long_project(3, 1), None), [1200.0, 900.0]);
    press(&mut h, Modifiers::NONE, Key::F1);
    for keys in ["Page Up / Page Down", "Home / End", "↑ ↓ then Enter", "Mouse wheel"] {
        assert!(h.query_by_label(keys).is_some(), "F1 lists {keys:?}");
    }
}
