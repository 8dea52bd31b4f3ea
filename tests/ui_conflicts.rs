//! Conflicts a merge left, seen and settled in the window: selecting a flagged span shows a warning naming
//! the other version, "Keep this version" removes the other and clears the flag in one step, and undo
//! brings both back; the curation view walks every conflict (project settings, document fields, spans)
//! across documents with both versions side by side; the document details window shows a conflicted
//! field with both values.

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

const SECOND: &str = "Councillor Ana Ruiz said the fees “will double” by June.";

/// A real three-way merge of three versions: the label Claim recoloured differently, the first document's
/// title changed differently, and a span of the second document relabelled differently. Three conflicts:
/// one project setting, one document field, one span group.
fn merged_project() -> Project {
    let mut base = ui_support::project_with_sample_schema("walk test");
    for (id, title, text) in [("d", "Grant", TEXT), ("e", "Fees", SECOND)] {
        let doc = Document::new(DocId(id.into()), title, text);
        Edit::AddDocument { index: usize::MAX, document: Box::new(doc) }.apply(&mut base).unwrap();
    }
    ui_support::add_spans(&mut base, "e", &[(0, 19, "Source", "ana"), (25, 56, "Claim", "ana")]);
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    for (p, colour, title, label) in
        [(&mut ours, [1, 1, 1], "Grant — ours", "Opinion"), (&mut theirs, [2, 2, 2], "Grant — theirs", "Source")]
    {
        let mut schema = p.schema.clone();
        schema.labels.iter_mut().filter(|l| l.name == "Claim").for_each(|l| l.color = factmark::model::Rgb(colour));
        Edit::SetSchema { schema: Box::new(schema) }.apply(p).unwrap();
        Edit::SetDocTitle { doc: DocId("d".into()), title: title.into() }.apply(p).unwrap();
        let span = p.documents[1].spans.iter().find(|s| s.label == "Claim").unwrap().id;
        Edit::SetSpanLabel { doc: DocId("e".into()), span, label: label.into() }.apply(p).unwrap();
    }
    let merged = factmark::merge::merge_three_way(&base, &ours, &theirs);
    assert_eq!(factmark::merge::conflict_count(&merged.project, None), 3, "{:?}", merged.report);
    merged.project
}

#[test]
fn the_curation_view_walks_every_merge_conflict_across_documents_and_keeps_either_side() {
    let mut h = ui_support::harness(FactmarkApp::new(merged_project(), None), [1400.0, 900.0]);
    // Shown: the first document, with its title conflict and the project's label conflict.
    h.get_by_label_contains("2 conflict(s) to settle");

    // Alt+N opens the curation view on the first conflict: the label, both colours side by side.
    ui_support::press(&mut h, Modifiers::ALT, Key::N);
    h.get_by_label_contains("3 merge conflict(s) to settle");
    h.get_by_label("Conflict 1 of 3: project label:Claim");
    h.get_by_label_contains("colour #010101");
    h.get_by_label_contains("colour #020202");
    h.get_by_label("Keep theirs").click();
    h.run();
    let colour = |h: &ui_support::H| h.state().project().schema.label("Claim").map(|l| l.color.to_string());
    assert_eq!(colour(&h), Some("#020202".to_string()));

    // The next conflict moves into the same place: the first document's title.
    h.get_by_label("Conflict 1 of 2: document d, title");
    // Ours is the title in force, so the document list and heading show it too.
    assert!(h.query_all_by_label("Grant — ours").count() >= 2);
    h.get_by_label("Grant — theirs");
    h.get_by_label("Keep ours").click();
    h.run();
    assert_eq!(h.state().project().documents[0].title, "Grant — ours");
    assert!(h.state().project().documents[0].conflicts.is_empty());
    assert!(h.query_by_label_contains("· 1 conflict(s) to settle").is_none(), "the shown document has none left");

    // Next conflict: the span group in the other document, which is shown, its first alternative selected.
    h.get_by_label("Next conflict ▶").click();
    h.run();
    h.get_by_label("Conflict 1 of 1: span 2 in document e");
    assert_eq!(h.state().workspace().cursor.doc, Some(1), "the conflict's document is shown");
    assert_eq!(h.state().workspace().cursor.selected_span, Some(SpanId(2)));
    h.get_by_label("Opinion 'the fees “will double” by June.'");
    h.get_by_label("Keep theirs").click();
    h.run();
    let labels: Vec<&str> = h.state().project().documents[1].spans.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Source", "Source"], "theirs' relabel is kept, ours' alternative gone");
    assert_eq!(factmark::merge::conflict_count(h.state().project(), None), 0);
    assert!(h.query_by_label_contains("merge conflict(s) to settle").is_none(), "the section is gone");
    assert!(h.query_by_label_contains("conflict(s) to settle").is_none(), "and the status bar count");

    // Each keep was one undoable step: undo brings the span conflict back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.get_by_label_contains("1 merge conflict(s) to settle");
}

#[test]
fn the_document_details_window_shows_a_conflicted_field_with_both_values() {
    let mut h = ui_support::harness(FactmarkApp::new(merged_project(), None), [1400.0, 900.0]);
    ui_support::press(&mut h, Modifiers::COMMAND | Modifiers::SHIFT, Key::I);
    h.get_by_label_contains("1 field(s) in conflict after a merge");
    h.get_by_label("Grant — theirs");
    h.get_by_label("Keep theirs").click();
    h.run();
    assert_eq!(h.state().project().documents[0].title, "Grant — theirs");
    assert!(h.query_by_label_contains("field(s) in conflict").is_none());
    // The typed title follows the kept one, so Apply has nothing to do.
    assert_eq!(h.get_by_label("Title").value().as_deref(), Some("Grant — theirs"));
}

/// A real three-way merge where Claim is renamed differently on each side (Fact ours, Assertion theirs),
/// relation 1 of the first document is changed differently, and the second document is changed in ours
/// and deleted in theirs: three conflicts, none of them spans.
fn merged_with_rename_relation_and_deletion() -> Project {
    let mut base = ui_support::project_with_sample_schema("walk test");
    for (id, title, text) in [("d", "Grant", TEXT), ("e", "Fees", SECOND)] {
        let doc = Document::new(DocId(id.into()), title, text);
        Edit::AddDocument { index: usize::MAX, document: Box::new(doc) }.apply(&mut base).unwrap();
    }
    let d_spans =
        [(0, 16, "Source", "ana"), (26, 56, "Claim", "ana"), (60, 85, "Opinion", "ana"), (60, 67, "Source", "ana")];
    ui_support::add_spans(&mut base, "d", &d_spans);
    ui_support::add_spans(&mut base, "e", &[(0, 19, "Source", "ana")]);
    let relation = |from: u64, to: u64| factmark::model::Relation {
        id: factmark::model::RelationId(1),
        from: SpanId(from),
        to: SpanId(to),
        kind: "attributed_to".into(),
    };
    let d = || DocId("d".into());
    Edit::AddRelation { doc: d(), relation: relation(1, 2) }.apply(&mut base).unwrap();
    base.next_relation_id = 2;
    let (mut ours, mut theirs) = (base.clone(), base.clone());
    for (p, name, (from, to)) in [(&mut ours, "Fact", (1, 3)), (&mut theirs, "Assertion", (4, 2))] {
        Edit::RenameLabel { from: "Claim".into(), to: name.into() }.apply(p).unwrap();
        Edit::RemoveRelation { doc: d(), relation: factmark::model::RelationId(1) }.apply(p).unwrap();
        Edit::AddRelation { doc: d(), relation: relation(from, to) }.apply(p).unwrap();
    }
    ui_support::add_spans(&mut ours, "e", &[(25, 56, "Fact", "ana")]);
    Edit::RemoveDocument { doc: DocId("e".into()) }.apply(&mut theirs).unwrap();
    let merged = factmark::merge::merge_three_way(&base, &ours, &theirs);
    assert_eq!(factmark::merge::conflict_count(&merged.project, None), 3, "{:?}", merged.report);
    merged.project
}

#[test]
fn the_curation_view_walks_a_rename_a_relation_and_a_deleted_document_and_keeps_theirs() {
    let mut h =
        ui_support::harness(FactmarkApp::new(merged_with_rename_relation_and_deletion(), None), [1400.0, 900.0]);
    ui_support::press(&mut h, Modifiers::ALT, Key::N);
    h.get_by_label_contains("3 merge conflict(s) to settle");

    // The rename: one conflict for the label, not one per span; theirs renames the label and its spans.
    h.get_by_label("Conflict 1 of 3: project label_name:Fact");
    h.get_by_label("label \"Claim\" renamed \"Fact\"");
    h.get_by_label("label \"Claim\" renamed \"Assertion\"");
    h.get_by_label("Keep theirs").click();
    h.run();
    let project = h.state().project();
    assert!(project.schema.label("Assertion").is_some() && project.schema.label("Fact").is_none());
    let labels: Vec<&str> = project.documents.iter().flat_map(|d| &d.spans).map(|s| s.label.as_str()).collect();
    assert_eq!(labels.iter().filter(|l| **l == "Assertion").count(), 2, "{labels:?}");

    // The relation: ours in force, theirs beside it.
    h.get_by_label("Conflict 1 of 2: document d, relation 1");
    h.get_by_label("attributed_to: span 1 → span 3");
    h.get_by_label("attributed_to: span 4 → span 2");
    h.get_by_label("Keep theirs").click();
    h.run();
    let relations = &h.state().project().documents[0].relations;
    assert_eq!(relations.iter().map(|r| (r.from.0, r.to.0)).collect::<Vec<_>>(), [(4, 2)]);

    // The document theirs deleted: keeping theirs deletes it.
    h.get_by_label("Next conflict ▶").click();
    h.run();
    h.get_by_label("Conflict 1 of 1: document e, deleted on one side and changed on the other");
    h.get_by_label_contains("Keeping the side that deleted the document deletes it");
    h.get_by_label("Keep theirs").click();
    h.run();
    assert!(h.state().project().doc(&DocId("e".into())).is_none(), "theirs' deletion is kept");
    assert_eq!(factmark::merge::conflict_count(h.state().project(), None), 0);
    assert!(h.query_by_label_contains("merge conflict(s) to settle").is_none());

    // One undo brings the document back, flagged.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(h.state().project().doc(&DocId("e".into())).is_some_and(|d| d.conflicts.len() == 1));
}
