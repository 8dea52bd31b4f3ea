//! The schema editor, inspector attributes, review keys, documents and the import/export dialogs, driven
//! headless with egui_kittest.

use egui::{Key, Modifiers};
use egui_kittest::kittest::{Queryable, by};
use factmark::model::{AttrValue, CharIdx, DocId, DocStatus, Document, Project, ReviewState, Span, SpanId};
use factmark::ui::{FactmarkApp, Intent};

mod ui_support;
use ui_support::{H, press, wait_for};

const TEXT: &str = "Officials said prices rose 4% on Friday. Critics called it “a disgrace”.";

fn project() -> Project {
    let mut p = Project::new("schema test");
    let mut d = Document::new(DocId("a".into()), "Prices", TEXT);
    d.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(9), "Source", "ana"));
    d.spans.push(Span::new(SpanId(2), CharIdx(15)..CharIdx(39), "Claim", "ana"));
    d.spans.push(Span::new(SpanId(3), CharIdx(41)..CharIdx(48), "Source", "ben"));
    p.documents.push(d);
    p.next_span_id = 4;
    p
}

fn harness(app: FactmarkApp) -> H {
    ui_support::harness(app, [1500.0, 1000.0])
}

/// Focuses the field called `label` and types `text` into it.
fn type_into(h: &mut H, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Replaces the text of the `nth` field called `label` and presses Enter (which commits it).
fn retype(h: &mut H, label: &str, nth: usize, text: &str) {
    let fields: Vec<_> = h.query_all_by_label(label).collect();
    assert!(fields.len() > nth, "only {} field(s) called {label:?}", fields.len());
    fields[nth].focus();
    h.run();
    press(h, Modifiers::COMMAND, Key::A);
    h.get_all_by_label(label).nth(nth).unwrap().type_text(text);
    h.run();
    press(h, Modifiers::NONE, Key::Enter);
}

fn select(h: &mut H, a: usize, b: usize) {
    h.state_mut().push(Intent::Select { anchor: CharIdx(a), head: CharIdx(b), snap: false });
    h.run();
}

fn spans(h: &H) -> Vec<(usize, usize, String)> {
    let doc = h.state().workspace().document().unwrap();
    doc.spans.iter().map(|s| (s.start.0, s.end.0, s.label.clone())).collect()
}

#[test]
fn add_a_label_and_tag_with_its_new_key_and_conflicts_are_refused() {
    let mut h = harness(FactmarkApp::new(project(), None));
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    type_into(&mut h, "New label", "Prediction");
    h.get_by_label("Add label").click();
    h.run();
    let schema = &h.state().project().schema;
    assert_eq!(schema.labels[3].name, "Prediction");
    assert_eq!(schema.labels[3].key, Some('4'), "the next free digit");

    // Its key tags a selection once the editor is closed (while a window that takes text is open, keys
    // are text, not labels).
    select(&mut h, 50, 54);
    press(&mut h, Modifiers::NONE, Key::Num4);
    assert!(!spans(&h).contains(&(50, 54, "Prediction".into())), "a label key acted behind the schema editor");
    press(&mut h, Modifiers::NONE, Key::Escape);
    select(&mut h, 50, 54);
    press(&mut h, Modifiers::NONE, Key::Num4);
    assert!(spans(&h).contains(&(50, 54, "Prediction".into())));
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::L);

    // Giving it the Claim's key, or a command's key, is refused with a message.
    retype(&mut h, "Key", 3, "1");
    assert_eq!(h.state().project().schema.labels[3].key, Some('4'));
    h.get_by_label_contains("already used by Claim");
    retype(&mut h, "Key", 3, "r");
    h.get_by_label_contains("is a command shortcut");
    retype(&mut h, "Key", 3, "p");
    assert_eq!(h.state().project().schema.labels[3].key, Some('p'));
    press(&mut h, Modifiers::NONE, Key::Escape);
    select(&mut h, 59, 71);
    press(&mut h, Modifiers::NONE, Key::P);
    assert!(spans(&h).contains(&(59, 71, "Prediction".into())));
}

#[test]
fn rename_and_delete_labels_in_use() {
    let mut h = harness(FactmarkApp::new(project(), None));
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::L);
    retype(&mut h, "Name", 2, "Attribution");
    assert_eq!(spans(&h)[0].2, "Attribution");
    assert_eq!(h.state().project().schema.relation_types[0].from, vec!["Attribution".to_string()]);

    // Delete Claim, moving its span to Opinion.
    h.get_all_by_label("Delete").next().unwrap().click();
    h.run();
    h.get_by_label_contains("1 span(s) have this label");
    h.get_by_label("Move them to").click();
    h.run();
    h.get(by().label("Opinion").predicate(|n| n.role() != egui::accesskit::Role::CheckBox)).click();
    h.run();
    h.get_by_label("Move and delete label").click();
    h.run();
    assert!(h.state().project().schema.label("Claim").is_none());
    assert!(spans(&h).contains(&(15, 39, "Opinion".into())));

    // Undo brings Claim back; then delete it with its spans.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(spans(&h).contains(&(15, 39, "Claim".into())));
    h.get_all_by_label("Delete").next().unwrap().click();
    h.run();
    h.get_by_label("Delete the spans too").click();
    h.run();
    assert!(!spans(&h).iter().any(|s| s.0 == 15));
    assert!(h.state().project().schema.label("Claim").is_none());
}

#[test]
fn attributes_of_every_kind_are_edited_in_the_inspector() {
    let mut h = harness(FactmarkApp::new(project(), None));
    h.state_mut().push(Intent::ClickSpan(SpanId(2)));
    h.run();
    // yes/no
    h.get_by_label("check_worthy").click();
    h.run();
    // one of
    h.get_by_label("verdict").click();
    h.run();
    h.get_by_label("misleading").click();
    h.run();
    // URL: refused unless it is a web address, then kept.
    retype(&mut h, "evidence", 0, "stats office");
    h.get_by_label_contains("not a web address");
    retype(&mut h, "evidence", 0, "https://example.org/cpi");
    let span = h.state().workspace().document().unwrap().span(SpanId(2)).unwrap().clone();
    assert_eq!(span.attributes.get("check_worthy"), Some(&AttrValue::Bool(true)));
    assert_eq!(span.attributes.get("verdict"), Some(&AttrValue::Text("misleading".into())));
    assert_eq!(span.attributes.get("evidence"), Some(&AttrValue::Text("https://example.org/cpi".into())));
    // free text on an Opinion, and a number attribute added in the schema.
    h.state_mut().push(Intent::Edit(factmark::edit::Edit::SetSpanLabel {
        doc: DocId("a".into()),
        span: SpanId(2),
        label: "Opinion".into(),
    }));
    h.run();
    retype(&mut h, "target", 0, "the ministry");
    let span = h.state().workspace().document().unwrap().span(SpanId(2)).unwrap().clone();
    assert_eq!(span.attributes.get("target"), Some(&AttrValue::Text("the ministry".into())));
    let mut schema = h.state().project().schema.clone();
    schema.labels[1]
        .attributes
        .push(factmark::model::AttributeDef { name: "strength".into(), kind: factmark::model::AttrKind::Number });
    h.state_mut().push(Intent::Edit(factmark::edit::Edit::SetSchema { schema: Box::new(schema) }));
    h.run();
    retype(&mut h, "strength", 0, "0.75");
    let span = h.state().workspace().document().unwrap().span(SpanId(2)).unwrap().clone();
    assert_eq!(span.attributes.get("strength"), Some(&AttrValue::Number(0.75)));
}

#[test]
fn review_keys_walk_and_mark_spans_then_the_document_is_done() {
    let mut project = project();
    project.documents[0].status = DocStatus::NeedsReview;
    let mut app = FactmarkApp::new(project, None);
    app.push(Intent::SetAnnotator("rev".into()));
    let mut h = harness(app);
    press(&mut h, Modifiers::NONE, Key::Tab);
    press(&mut h, Modifiers::NONE, Key::A);
    press(&mut h, Modifiers::NONE, Key::X);
    let doc = h.state().workspace().document().unwrap();
    assert_eq!(doc.spans[0].review, ReviewState::Accepted);
    assert_eq!(doc.spans[1].review, ReviewState::Rejected);
    assert_eq!(doc.spans[0].reviewer, "rev");
    assert_eq!(doc.status, DocStatus::NeedsReview);
    // Marking done with one span left unreviewed asks first.
    h.get_by_label("Document").click();
    h.run();
    h.get_by_label("Mark done").click();
    h.run();
    h.get_by_label("Go on reviewing").click();
    h.run();
    assert_eq!(h.state().workspace().document().unwrap().status, DocStatus::NeedsReview);
    press(&mut h, Modifiers::NONE, Key::A);
    let doc = h.state().workspace().document().unwrap();
    assert_eq!(doc.spans[2].review, ReviewState::Accepted);
    assert_eq!(doc.status, DocStatus::Done, "the last review finishes the document");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().workspace().document().unwrap().status, DocStatus::NeedsReview);
}

#[test]
fn documents_new_details_move_delete_and_annotator_filter() {
    let mut h = harness(FactmarkApp::new(project(), None));
    // Hide ben's spans: the view no longer paints them (the project keeps them).
    h.get_by_label("ben").click();
    h.run();
    assert!(h.state().workspace().hidden_annotators.contains("ben"));
    assert_eq!(h.state().workspace().document().unwrap().spans.len(), 3);

    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::V);
    type_into(&mut h, "Text", "Rail fares rise — again.\n\nPassengers say “enough”.");
    h.get_by_label("Add document").click();
    h.run();
    assert_eq!(h.state().project().documents.len(), 2);
    assert_eq!(h.state().selected(), Some(1));
    assert_eq!(h.state().project().documents[1].title, "Rail fares rise — again.");

    press(&mut h, Modifiers::ALT | Modifiers::SHIFT, Key::ArrowUp);
    assert_eq!(h.state().project().documents[0].title, "Rail fares rise — again.");
    press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::I);
    retype(&mut h, "Author", 0, "Zoë Çelik");
    h.get_by_label("Apply").click();
    h.run();
    assert_eq!(h.state().project().documents[0].meta.author, "Zoë Çelik");
    h.get_by_label("Close").click();
    h.run();

    h.get_by_label("Document").click();
    h.run();
    h.get_by_label("Delete document…").click();
    h.run();
    h.get_by_label("Delete").click();
    h.run();
    assert_eq!(h.state().project().documents.len(), 1);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().project().documents.len(), 2);
}

#[test]
fn import_preview_then_import_and_export_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("one.txt"), "Bridge to close\n\nThe bridge will close on 2 April.").unwrap();
    std::fs::write(dir.path().join("two.md"), "# Fares\n\nFares rise 5% — officials.").unwrap();
    std::fs::write(dir.path().join("notes.pdf"), "%PDF").unwrap();
    let mut h = harness(FactmarkApp::new(project(), None));
    press(&mut h, Modifiers::COMMAND, Key::I);
    type_into(&mut h, "Paths", dir.path().to_str().unwrap());
    h.get_by_label("Preview").click();
    wait_for(&mut h, "Import 2 document(s)");
    h.get_by_label_contains("+ Bridge to close");
    h.get_by_label_contains("skipped");
    assert_eq!(h.state().project().documents.len(), 1, "nothing imported before confirming");
    h.get_by_label("Import 2 document(s)").click();
    h.run();
    assert_eq!(h.state().project().documents.len(), 3);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().project().documents.len(), 1, "one undoable step");

    let out = dir.path().join("out.jsonl");
    press(&mut h, Modifiers::COMMAND, Key::E);
    type_into(&mut h, "Write to (a file; a folder for brat, csv and all)", out.to_str().unwrap());
    h.get_by_label("Preview").click();
    wait_for(&mut h, "Write files");
    h.get_by_label_contains("1 documents, 3 spans");
    assert!(!out.exists(), "the preview writes nothing");
    h.get_by_label("Write files").click();
    wait_for(&mut h, "Wrote 1 file(s)");
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.contains("Officials said"), "{written}");
    // The report the command line prints, shown under it.
    h.get_by_label_contains(&format!("spans, 0 relations as doccano to {}", out.display()));

    // Every format at once, into a folder.
    let folder = dir.path().join("datasets");
    h.get_by_label("Format").click();
    h.run();
    h.get_by_label("all (every format, into a folder)").scroll_to_me();
    h.run();
    h.get_by_label("all (every format, into a folder)").click();
    h.run();
    let label = "Write to (a file; a folder for brat, csv and all)";
    h.get_by_label(label).focus();
    h.run();
    press(&mut h, Modifiers::COMMAND, Key::A);
    h.get_by_label(label).type_text(folder.to_str().unwrap());
    h.run();
    h.get_by_label("Preview").click();
    wait_for(&mut h, "Write files");
    h.get_by_label("Write files").click();
    wait_for(&mut h, "Wrote 16 file(s)");
    for name in [
        "doccano.jsonl",
        "labelstudio.json",
        "spacy.jsonl",
        "prodigy.jsonl",
        "dataset.conll",
        "brat",
        "csv",
        "checkthat_subjectivity.tsv",
        "checkthat_checkworthiness.tsv",
        "claimbuster.csv",
        "claims.json",
    ] {
        assert!(folder.join(name).exists(), "{name} written");
    }
}

#[test]
fn export_refuses_a_file_where_it_writes_a_folder_with_the_command_line_s_words() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken.txt");
    std::fs::write(&file, "keep me").unwrap();
    let mut h = harness(FactmarkApp::new(project(), None));
    press(&mut h, Modifiers::COMMAND, Key::E);
    h.get_by_label("Format").click();
    h.run();
    h.get_by_label("all (every format, into a folder)").scroll_to_me();
    h.run();
    h.get_by_label("all (every format, into a folder)").click();
    h.run();
    type_into(&mut h, "Write to (a file; a folder for brat, csv and all)", file.to_str().unwrap());
    h.get_by_label("Preview").click();
    wait_for(&mut h, &format!("{}: --format all writes a folder, but this is a file", file.display()));
    assert!(h.query_by_label("Write files").is_none(), "nothing to write");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}
