//! Schema edits: renaming and deleting labels in use, hotkey conflicts, relation types, document order —
//! each one undoable step that leaves a valid project.

use factmark::edit::{Edit, EditError, History, LabelFate, delete_attribute, delete_label};
use factmark::model::{CharIdx, DocId, Document, Project, Relation, RelationId, Span, SpanId, validate};

fn project() -> Project {
    let mut p = Project::new("schema");
    let mut d = Document::new(DocId("a".into()), "A", "Officials said the bridge will close on Friday.");
    d.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(9), "Source", "ana"));
    d.spans.push(Span::new(SpanId(2), CharIdx(15)..CharIdx(46), "Claim", "ana"));
    d.relations.push(Relation { id: RelationId(1), from: SpanId(1), to: SpanId(2), kind: "attributed_to".into() });
    p.documents.push(d);
    p.documents.push(Document::new(DocId("b".into()), "B", "Second."));
    p.next_span_id = 3;
    p.next_relation_id = 2;
    p
}

fn apply(p: &mut Project, h: &mut History, e: Edit) -> Result<String, EditError> {
    let r = h.apply(p, e);
    assert!(validate::problems(p).is_empty(), "{:?}", validate::problems(p));
    r
}

#[test]
fn renaming_a_label_in_use_renames_spans_and_relation_ends() {
    let (mut p, mut h) = (project(), History::new());
    let before = p.clone();
    apply(&mut p, &mut h, Edit::RenameLabel { from: "Claim".into(), to: "Fact".into() }).unwrap();
    assert_eq!(p.documents[0].spans[1].label, "Fact");
    assert_eq!(p.schema.relation_types[0].to, vec!["Fact".to_string(), "Opinion".to_string()]);
    assert_eq!(p.schema.labels[0].name, "Fact", "keeps its place, colour and key");
    let refused = apply(&mut p, &mut h, Edit::RenameLabel { from: "Fact".into(), to: "Opinion".into() });
    assert!(matches!(refused, Err(EditError::BadSchema(_))));
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
}

#[test]
fn deleting_a_label_in_use_moves_or_deletes_its_spans_in_one_step() {
    let (mut p, mut h) = (project(), History::new());
    let before = p.clone();
    // Move Claims to Opinion: the attributed_to relation still fits Source → Opinion and stays.
    let edit = delete_label(&p, "Claim", &LabelFate::MoveTo("Opinion".into())).unwrap();
    apply(&mut p, &mut h, edit).unwrap();
    assert!(p.schema.label("Claim").is_none());
    assert_eq!(p.documents[0].spans[1].label, "Opinion");
    assert_eq!(p.documents[0].relations.len(), 1);
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);

    // Delete Sources: their spans and relations go, and attributed_to (only from Source) goes too.
    let edit = delete_label(&p, "Source", &LabelFate::Delete).unwrap();
    apply(&mut p, &mut h, edit).unwrap();
    assert_eq!(p.documents[0].spans.len(), 1);
    assert!(p.documents[0].relations.is_empty());
    assert!(p.schema.relation_type("attributed_to").is_none(), "an empty end would mean any label");
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    assert!(delete_label(&p, "Claim", &LabelFate::MoveTo("Claim".into())).is_err());
}

#[test]
fn schema_changes_are_checked() {
    let (mut p, mut h) = (project(), History::new());
    let mut schema = p.schema.clone();
    schema.labels[1].key = Some('1');
    let err = apply(&mut p, &mut h, Edit::SetSchema { schema: Box::new(schema) }).unwrap_err();
    assert!(err.to_string().contains("key '1' is used by two labels"), "{err}");

    let mut schema = p.schema.clone();
    schema.labels.retain(|l| l.name != "Claim");
    schema.relation_types[0].to = vec!["Opinion".into()];
    let err = apply(&mut p, &mut h, Edit::SetSchema { schema: Box::new(schema) }).unwrap_err();
    assert!(err.to_string().contains("Claim spans"), "{err}");

    let mut schema = p.schema.clone();
    schema.relation_types[0].to = vec!["Opinion".into()];
    let err = apply(&mut p, &mut h, Edit::SetSchema { schema: Box::new(schema) }).unwrap_err();
    assert!(err.to_string().contains("does not allow"), "{err}");

    let mut schema = p.schema.clone();
    schema.labels[0].color = factmark::model::Rgb([1, 2, 3]);
    schema.labels[0].key = Some('c');
    let before = p.clone();
    apply(&mut p, &mut h, Edit::SetSchema { schema: Box::new(schema) }).unwrap();
    assert_eq!(p.schema.labels[0].key, Some('c'));
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
}

#[test]
fn relation_types_rename_and_documents_move() {
    let (mut p, mut h) = (project(), History::new());
    apply(&mut p, &mut h, Edit::RenameRelationType { from: "attributed_to".into(), to: "said_by".into() }).unwrap();
    assert_eq!(p.documents[0].relations[0].kind, "said_by");
    apply(&mut p, &mut h, Edit::MoveDocument { doc: DocId("a".into()), index: 5 }).unwrap();
    assert_eq!(p.documents[1].id.0, "a", "clamped to the end");
    h.undo(&mut p).unwrap();
    h.undo(&mut p).unwrap();
    assert_eq!(p, project());
}

#[test]
fn deleting_an_attribute_clears_its_values_and_undoes_in_one_step() {
    let (mut p, mut h) = (project(), History::new());
    let claim = p.schema.labels.iter().find(|l| l.name == "Claim").unwrap().clone();
    let attr = claim.attributes.first().expect("the default Claim has attributes").clone();
    let value = match &attr.kind {
        factmark::model::AttrKind::Bool => factmark::model::AttrValue::Bool(true),
        factmark::model::AttrKind::Number => factmark::model::AttrValue::Number(3.0),
        factmark::model::AttrKind::Choice(choices) => factmark::model::AttrValue::Text(choices[0].clone()),
        factmark::model::AttrKind::Text | factmark::model::AttrKind::Url => {
            factmark::model::AttrValue::Text("https://example.org/report".into())
        }
    };
    let set =
        Edit::SetSpanAttr { doc: DocId("a".into()), span: SpanId(2), name: attr.name.clone(), value: Some(value) };
    apply(&mut p, &mut h, set).unwrap();
    let before = p.clone();
    let delete = delete_attribute(&p, "Claim", &attr.name).unwrap();
    apply(&mut p, &mut h, delete).unwrap();
    let label = p.schema.labels.iter().find(|l| l.name == "Claim").unwrap();
    assert!(label.attributes.iter().all(|a| a.name != attr.name), "the schema no longer has it");
    assert!(!p.documents[0].spans[1].attributes.contains_key(&attr.name), "the span's value went with it");
    assert_eq!(h.undo_name(), Some(format!("Delete attribute {}", attr.name).as_str()));
    h.undo(&mut p).unwrap();
    assert_eq!(p, before, "one undo puts the attribute and the span's value back");
    assert!(matches!(delete_attribute(&p, "Claim", "no such"), Err(EditError::UnknownAttribute { .. })));
    assert!(matches!(delete_attribute(&p, "Nope", &attr.name), Err(EditError::UnknownLabel(_))));
}
