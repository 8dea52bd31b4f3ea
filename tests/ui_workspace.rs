//! The annotation workspace driven headless with egui_kittest, the way a user drives it: drag over text,
//! press label keys, click spans, press R, Delete, Ctrl+Z, Ctrl+S — then check the project itself.

use egui::{Event, Key, Modifiers, PointerButton, Pos2};
use egui_kittest::kittest::Queryable;
use factmark::model::{CharIdx, DocStatus, Project, SpanId};
use factmark::store;
use factmark::ui::FactmarkApp;

mod ui_support;
use ui_support::{H, press};

/// The sample project, copied so the test can save it.
fn sample_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.ron");
    std::fs::copy(factmark::ui::sample_project_path(), &path).unwrap();
    (dir, path)
}

fn harness(app: FactmarkApp) -> H {
    ui_support::harness(app, [1400.0, 900.0])
}

/// Char range of the first occurrence of `needle` in the shown document.
fn chars_of(app: &FactmarkApp, needle: &str) -> (usize, usize) {
    let text = &app.workspace().document().unwrap().text;
    let byte = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in the document"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn pos_of(h: &H, at: usize) -> Pos2 {
    h.state().view().char_screen_pos(CharIdx(at)).unwrap_or_else(|| panic!("char {at} is not laid out"))
}

fn drag(h: &mut H, from: usize, to: usize) {
    let (from, to) = (pos_of(h, from), pos_of(h, to));
    h.hover_at(from);
    h.run();
    h.drag_at(from);
    h.run();
    h.hover_at(Pos2::new((from.x + to.x) / 2.0, (from.y + to.y) / 2.0));
    h.run();
    h.hover_at(to);
    h.run();
    h.drop_at(to);
    h.run();
}

fn click(h: &mut H, at: usize) {
    let at = pos_of(h, at);
    // Let the double-click window pass, so this is a single click.
    h.run_steps(30);
    h.hover_at(at);
    h.run();
    for pressed in [true, false] {
        h.event(Event::PointerButton { pos: at, button: PointerButton::Primary, pressed, modifiers: Modifiers::NONE });
    }
    h.run();
}

fn key(h: &mut H, key: Key) {
    h.key_press(key);
    h.run();
}

/// The span of the shown document with exactly this range and label.
fn span_with(app: &FactmarkApp, range: (usize, usize), label: &str) -> Option<SpanId> {
    let doc = app.workspace().document()?;
    doc.spans.iter().find(|s| (s.start.0, s.end.0) == range && s.label == label).map(|s| s.id)
}

#[test]
fn drag_label_nest_link_relabel_delete_undo_redo() {
    let (_dir, path) = sample_copy();
    let mut h = harness(FactmarkApp::from_path(&path));
    let original: Project = h.state().project().clone();
    let phrase = chars_of(h.state(), "announced on Friday");
    let friday = (phrase.1 - "Friday".len(), phrase.1);

    // Drag from inside "announced" to inside "Friday": the selection snaps to whole words.
    drag(&mut h, phrase.0 + 3, phrase.1 - 2);
    assert_eq!(h.state().workspace().cursor.selection.map(|s| s.range()), Some(CharIdx(phrase.0)..CharIdx(phrase.1)));
    key(&mut h, Key::Num1);
    let claim = span_with(h.state(), phrase, "Claim").expect("a Claim with exactly the dragged words");
    assert_eq!(h.state().workspace().cursor.selected_span, Some(claim));

    // A Source nested inside it: double-click "Friday", press 3.
    let p = pos_of(&h, friday.0 + 2);
    h.hover_at(p);
    h.run();
    for _ in 0..2 {
        for pressed in [true, false] {
            h.event(Event::PointerButton {
                pos: p,
                button: PointerButton::Primary,
                pressed,
                modifiers: Modifiers::NONE,
            });
            h.step();
        }
    }
    h.run();
    key(&mut h, Key::Num3);
    let source = span_with(h.state(), friday, "Source").expect("a nested Source on Friday");
    assert!(span_with(h.state(), phrase, "Claim").is_some(), "the Claim is still there");

    // Link: the Source is selected; R, then click the Claim (on "announced", outside the Source).
    assert_eq!(h.state().workspace().cursor.selected_span, Some(source));
    key(&mut h, Key::R);
    click(&mut h, phrase.0 + 2);
    let doc = h.state().workspace().document().unwrap();
    let rel = doc.relations.iter().find(|r| r.from == source && r.to == claim).expect("relation made");
    assert_eq!(rel.kind, "attributed_to");

    // Relabel the Claim as Opinion with key 2 (attributed_to still fits Source → Opinion).
    click(&mut h, phrase.0 + 2);
    assert_eq!(h.state().workspace().cursor.selected_span, Some(claim));
    key(&mut h, Key::Num2);
    assert!(span_with(h.state(), phrase, "Opinion").is_some());
    assert!(h.state().workspace().document().unwrap().relations.iter().any(|r| r.from == source && r.to == claim));

    // Delete it: the relation goes with it.
    key(&mut h, Key::Delete);
    let doc = h.state().workspace().document().unwrap();
    assert!(doc.span(claim).is_none());
    assert!(!doc.relations.iter().any(|r| r.to == claim));
    assert!(h.state().window_title().ends_with('●'), "modified marker in the title");

    // Undo restores span and relation; redo removes them again; undo everything gives the original back.
    let after_delete = h.state().project().clone();
    press(&mut h, Modifiers::COMMAND, Key::Z);
    let doc = h.state().workspace().document().unwrap();
    assert_eq!(doc.span(claim).map(|s| s.label.as_str()), Some("Opinion"));
    assert!(doc.relations.iter().any(|r| r.from == source && r.to == claim));
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(h.state().project(), &after_delete);
    press(&mut h, Modifiers::COMMAND, Key::Y);
    assert_eq!(h.state().project(), &after_delete, "nothing left to redo");
    for _ in 0..5 {
        press(&mut h, Modifiers::COMMAND, Key::Z);
    }
    let mut undone = h.state().project().clone();
    // Ids handed out stay handed out (never reused); everything else is back.
    undone.next_span_id = original.next_span_id;
    undone.next_relation_id = original.next_relation_id;
    assert_eq!(undone, original);
    assert!(!h.state().workspace().session.is_dirty(), "back at the saved state");
}

#[test]
fn status_menu_save_and_reload() {
    let (_dir, path) = sample_copy();
    let mut h = harness(FactmarkApp::from_path(&path));
    let phrase = chars_of(h.state(), "announced on Friday");
    drag(&mut h, phrase.0 + 1, phrase.1 - 1);
    key(&mut h, Key::Num1);
    h.get_by_label("Document").click();
    h.run();
    h.get_by_label("Mark done").click();
    h.run();
    assert_eq!(h.state().workspace().document().unwrap().status, DocStatus::Done);
    press(&mut h, Modifiers::COMMAND, Key::S);
    assert!(!h.state().workspace().session.is_dirty(), "{}", h.state().message());
    let reloaded = store::load(&path).unwrap();
    assert_eq!(&reloaded, h.state().project());
    assert!(span_with(h.state(), phrase, "Claim").is_some());
}

#[test]
fn unsaved_changes_are_asked_about() {
    let (_dir, path) = sample_copy();
    let mut h = harness(FactmarkApp::from_path(&path));
    let phrase = chars_of(h.state(), "announced on Friday");
    drag(&mut h, phrase.0 + 1, phrase.1 - 1);
    key(&mut h, Key::Num1);
    let edited = h.state().project().clone();

    // New project with unsaved changes: the schema is chosen (Enter takes the default), then the question
    // comes; Cancel keeps everything.
    press(&mut h, Modifiers::COMMAND, Key::N);
    h.get_by_label("New project");
    key(&mut h, Key::Enter);
    h.get_by_label("Save changes?");
    h.get_by_label("Cancel").click();
    h.run();
    assert_eq!(h.state().project(), &edited);
    assert!(h.query_by_label("Save changes?").is_none());

    // Again, and Discard: an empty project, and the file on disk untouched.
    press(&mut h, Modifiers::COMMAND, Key::N);
    key(&mut h, Key::Enter);
    h.get_by_label("Discard").click();
    h.run();
    assert!(h.state().project().documents.is_empty());
    assert_eq!(store::load(&path).unwrap(), store::load(&factmark::ui::sample_project_path()).unwrap());
}

#[test]
fn keyboard_only_labelling_and_span_walk() {
    let (_dir, path) = sample_copy();
    let mut h = harness(FactmarkApp::from_path(&path));
    // Tab selects the first span; Alt+→ grows it by a word; Esc clears.
    key(&mut h, Key::Tab);
    let first = h.state().workspace().document().unwrap().spans[0].clone();
    assert_eq!(h.state().workspace().cursor.selected_span, Some(first.id));
    press(&mut h, Modifiers::ALT, Key::ArrowRight);
    let grown = h.state().workspace().document().unwrap().span(first.id).unwrap().clone();
    assert_eq!(grown.start, first.start);
    assert!(grown.end > first.end, "grew to the next word edge");
    key(&mut h, Key::Escape);
    assert_eq!(h.state().workspace().cursor.selected_span, None);

    // A caret by keyboard: Right moves it, Ctrl+Shift+Right selects a word, then 2 labels it.
    let start = chars_of(h.state(), "Commuters").0;
    h.state_mut().push(factmark::ui::Intent::Select { anchor: CharIdx(start), head: CharIdx(start), snap: false });
    h.run();
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    let sel = h.state().workspace().cursor.selection.unwrap().range();
    assert_eq!(sel, CharIdx(start)..CharIdx(start + "Commuters reacted".len()));
    key(&mut h, Key::Num2);
    assert!(span_with(h.state(), (start, start + 17), "Opinion").is_some());
}

#[test]
fn long_documents_are_laid_out_only_where_visible() {
    let mut project = Project::new("long");
    let text: String = (0..3000).map(|i| format!("Paragraph {i} says “something” — café 😡.\n\n")).collect();
    let mut doc = factmark::model::Document::new(factmark::model::DocId("long".into()), "Long", text);
    let last_para = doc.text.find("Paragraph 2999").unwrap();
    let last_char = doc.text[..last_para].chars().count();
    doc.spans.push(factmark::model::Span::new(SpanId(1), CharIdx(last_char)..CharIdx(last_char + 9), "Claim", "t"));
    project.documents.push(doc);
    project.next_span_id = 2;
    let mut h = harness(FactmarkApp::new(project, None));
    let laid = h.state().view().laid_out_paragraphs();
    assert!(laid > 0 && laid < 100, "{laid} of 3000 paragraphs laid out");
    // Tab jumps to the only span, at the very end: the view scrolls there and lays that part out.
    key(&mut h, Key::Tab);
    h.run();
    assert!(h.state().view().char_screen_pos(CharIdx(last_char)).is_some());
    assert!(h.state().view().laid_out_paragraphs() < 200);
    h.get_by_label_contains("Paragraph 2999 says");
}

#[test]
fn bench_frames_scroll_and_add_spans() {
    let mut project = Project::new("long");
    let text: String = (0..2000).map(|i| format!("Paragraph {i} says “something” — café.\n\n")).collect();
    project.documents.push(factmark::model::Document::new(factmark::model::DocId("long".into()), "Long", text));
    let mut bench = factmark::ui::bench::FrameBench::new(project);
    bench.frame();
    bench.frame();
    let first = bench.laid_out_paragraphs();
    for _ in 0..5 {
        bench.scroll_page();
    }
    assert!(bench.laid_out_paragraphs() > first, "scrolling lays out the paragraphs that come into sight");
    bench.add_span(CharIdx(0)..CharIdx(9));
    let doc = bench.app().workspace().document().unwrap();
    assert_eq!(doc.spans.len(), 1);
    assert_eq!((doc.spans[0].start, doc.spans[0].end), (CharIdx(0), CharIdx(9)));
}

#[test]
fn span_list_rows_select_spans_and_arrows_start_a_caret() {
    let (_dir, path) = sample_copy();
    let mut h = harness(FactmarkApp::from_path(&path));
    // A fresh document has no caret: → puts one at the start, then Ctrl+Shift+→ selects the first word.
    assert!(h.state().workspace().caret().is_none());
    key(&mut h, Key::ArrowRight);
    let caret = h.state().workspace().caret().expect("a caret after →");
    assert_eq!((caret.anchor, caret.head), (CharIdx(0), CharIdx(0)));
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::ArrowRight);
    assert!(h.state().workspace().cursor.selection.unwrap().range().end > CharIdx(0));

    // Each row of the span list is a button named by its label and text; clicking one selects that span.
    let doc = h.state().workspace().document().unwrap().clone();
    let second = &doc.spans[1];
    let text: String = doc.text.chars().skip(second.start.0).take(second.end.0 - second.start.0).take(48).collect();
    let row = format!("{}  {text}", second.label);
    h.get_by_label(&row).click();
    h.run();
    assert_eq!(h.state().workspace().cursor.selected_span, Some(second.id));
}
