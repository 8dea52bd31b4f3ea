//! Edits as values: each edit's inverse restores the project exactly, refused edits change nothing.

use factmark::edit::{Edit, EditError, History};
use factmark::model::{
    AttrValue, CharIdx, DocId, DocStatus, Document, Project, Relation, ReviewState, Span, SpanId, validate,
};

const TEXT: &str = "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk.";

fn project() -> (Project, DocId) {
    let mut p = Project::new("t");
    let id = DocId("kursk-1".into());
    p.documents.push(Document::new(id.clone(), "Kursk", TEXT));
    (p, id)
}

fn add(p: &mut Project, h: &mut History, doc: &DocId, range: std::ops::Range<usize>, label: &str) -> SpanId {
    let span = Span::new(p.alloc_span_id(), CharIdx(range.start)..CharIdx(range.end), label, "ana");
    let id = span.id;
    h.apply(p, Edit::AddSpan { doc: doc.clone(), span, relations: vec![] }).unwrap();
    id
}

#[test]
fn removing_a_span_removes_its_relations_and_undo_brings_both_back() {
    let (mut p, doc) = project();
    let mut h = History::new();
    let claim = add(&mut p, &mut h, &doc, 0..87, "Claim");
    let source = add(&mut p, &mut h, &doc, 0..17, "Source");
    let rel = Relation { id: p.alloc_relation_id(), from: source, to: claim, kind: "attributed_to".into() };
    h.apply(&mut p, Edit::AddRelation { doc: doc.clone(), relation: rel }).unwrap();
    let before = p.clone();
    assert_eq!(h.undo_name(), Some("Add attributed_to relation"));
    h.apply(&mut p, Edit::RemoveSpan { doc: doc.clone(), span: source }).unwrap();
    assert!(p.documents[0].relations.is_empty());
    assert_eq!(p.documents[0].spans.len(), 1);
    assert_eq!(h.undo(&mut p).unwrap().as_deref(), Some("Remove span"));
    assert_eq!(p, before);
    h.redo(&mut p).unwrap();
    assert!(p.documents[0].relations.is_empty());
}

#[test]
fn nested_spans_are_kept_sorted_outer_first() {
    let (mut p, doc) = project();
    let mut h = History::new();
    let inner = add(&mut p, &mut h, &doc, 0..17, "Source");
    let outer = add(&mut p, &mut h, &doc, 0..87, "Claim");
    let ids: Vec<SpanId> = p.documents[0].spans.iter().map(|s| s.id).collect();
    assert_eq!(ids, [outer, inner]);
}

/// Recognises the error an edit should be refused with.
type ErrorCheck = fn(&EditError) -> bool;

#[test]
fn refused_edits_change_nothing() {
    let (mut p, doc) = project();
    let mut h = History::new();
    let claim = add(&mut p, &mut h, &doc, 0..87, "Claim");
    let other = add(&mut p, &mut h, &doc, 22..33, "Opinion");
    let before = p.clone();
    let bad_range = Span::new(p.alloc_span_id(), CharIdx(80)..CharIdx(89), "Claim", "");
    let cases: Vec<(Edit, ErrorCheck)> = vec![
        (Edit::AddSpan { doc: doc.clone(), span: bad_range, relations: vec![] }, |e| {
            matches!(e, EditError::BadRange { len: 88, .. })
        }),
        (
            Edit::AddSpan {
                doc: doc.clone(),
                span: Span::new(SpanId(99), CharIdx(5)..CharIdx(5), "Claim", ""),
                relations: vec![],
            },
            |e| matches!(e, EditError::BadRange { .. }),
        ),
        (
            Edit::AddSpan {
                doc: doc.clone(),
                span: Span::new(SpanId(98), CharIdx(0)..CharIdx(4), "Rumour", ""),
                relations: vec![],
            },
            |e| matches!(e, EditError::UnknownLabel(_)),
        ),
        (
            Edit::AddSpan {
                doc: doc.clone(),
                span: Span::new(claim, CharIdx(0)..CharIdx(4), "Claim", ""),
                relations: vec![],
            },
            |e| matches!(e, EditError::DuplicateId(_)),
        ),
        (Edit::SetSpanLabel { doc: doc.clone(), span: claim, label: "Nope".into() }, |e| {
            matches!(e, EditError::UnknownLabel(_))
        }),
        (Edit::RemoveSpan { doc: doc.clone(), span: SpanId(77) }, |e| matches!(e, EditError::NoSpan { .. })),
        (Edit::SetDocStatus { doc: DocId("missing".into()), status: DocStatus::Done }, |e| {
            matches!(e, EditError::NoDocument(_))
        }),
        (
            // attributed_to goes from a Source; an Opinion → Claim link is not allowed by the default schema.
            Edit::AddRelation {
                doc: doc.clone(),
                relation: Relation { id: p.alloc_relation_id(), from: other, to: claim, kind: "attributed_to".into() },
            },
            |e| matches!(e, EditError::RelationNotAllowed { .. }),
        ),
        (
            Edit::AddRelation {
                doc: doc.clone(),
                relation: Relation { id: p.alloc_relation_id(), from: claim, to: claim, kind: "attributed_to".into() },
            },
            |e| matches!(e, EditError::SelfRelation(_)),
        ),
        (
            Edit::SetSpanAttr {
                doc: doc.clone(),
                span: claim,
                name: "verdict".into(),
                value: Some(AttrValue::Text("maybe".into())),
            },
            |e| matches!(e, EditError::BadAttrValue { .. }),
        ),
        (
            Edit::SetSpanAttr {
                doc: doc.clone(),
                span: claim,
                name: "polarity".into(),
                value: Some(AttrValue::Text("negative".into())),
            },
            |e| matches!(e, EditError::UnknownAttribute { .. }),
        ),
        (
            Edit::Batch {
                name: "half good".into(),
                edits: vec![
                    Edit::SetDocStatus { doc: doc.clone(), status: DocStatus::Done },
                    Edit::RemoveSpan { doc: doc.clone(), span: SpanId(1234) },
                ],
            },
            |e| matches!(e, EditError::NoSpan { .. }),
        ),
    ];
    let mut before = before;
    before.next_relation_id = p.next_relation_id;
    before.next_span_id = p.next_span_id;
    for (edit, expected) in cases {
        let name = edit.describe();
        let err = h.apply(&mut p, edit).unwrap_err();
        assert!(expected(&err), "{name}: unexpected error {err:?}");
        assert_eq!(p, before, "{name} changed the project although refused");
    }
}

#[test]
fn every_field_edit_undoes_exactly() {
    let (mut p, doc) = project();
    let mut h = History::new();
    let claim = add(&mut p, &mut h, &doc, 0..87, "Claim");
    let start = p.clone();
    let edits = vec![
        Edit::SetSpanLabel { doc: doc.clone(), span: claim, label: "Opinion".into() },
        Edit::SetSpanRange { doc: doc.clone(), span: claim, range: CharIdx(5)..CharIdx(17) },
        Edit::SetSpanNote { doc: doc.clone(), span: claim, note: "check the 10,000 figure".into() },
        Edit::SetSpanLabel { doc: doc.clone(), span: claim, label: "Claim".into() },
        Edit::SetSpanAttr {
            doc: doc.clone(),
            span: claim,
            name: "verdict".into(),
            value: Some(AttrValue::Text("false".into())),
        },
        Edit::SetSpanAttr {
            doc: doc.clone(),
            span: claim,
            name: "check_worthy".into(),
            value: Some(AttrValue::Bool(true)),
        },
        Edit::SetSpanReview { doc: doc.clone(), span: claim, review: ReviewState::Accepted, reviewer: "rev".into() },
        Edit::SetDocStatus { doc: doc.clone(), status: DocStatus::NeedsReview },
        Edit::SetDocTitle { doc: doc.clone(), title: "Kursk — update".into() },
        Edit::SetDocNote { doc: doc.clone(), note: "second pass".into() },
        Edit::SetDocLabel { doc: doc.clone(), set: "genre".into(), value: Some("news".into()) },
    ];
    let mut states = vec![p.clone()];
    for edit in edits {
        h.apply(&mut p, edit).unwrap();
        assert!(validate::problems(&p).is_empty());
        states.push(p.clone());
    }
    assert_eq!(p.documents[0].spans[0].attributes.len(), 2);
    for expected in states.iter().rev().skip(1) {
        h.undo(&mut p).unwrap();
        assert_eq!(&p, expected);
    }
    assert_eq!(p, start);
    for expected in states.iter().skip(1) {
        h.redo(&mut p).unwrap();
        assert_eq!(&p, expected);
    }
    assert_eq!(h.redo(&mut p).unwrap(), None);
}

#[test]
fn history_state_marks_the_saved_point() {
    let (mut p, doc) = project();
    let mut h = History::new();
    assert_eq!(h.state(), 0);
    add(&mut p, &mut h, &doc, 0..4, "Source");
    let saved = h.state();
    add(&mut p, &mut h, &doc, 5..17, "Source");
    assert_ne!(h.state(), saved);
    h.undo(&mut p).unwrap();
    assert_eq!(h.state(), saved, "undoing back to the saved point is unmodified");
    add(&mut p, &mut h, &doc, 22..33, "Claim");
    assert_ne!(h.state(), saved, "a different edit after undo is a new state");
}

#[test]
fn documents_add_and_remove_undoably() {
    let (mut p, doc) = project();
    let mut h = History::new();
    add(&mut p, &mut h, &doc, 0..17, "Source");
    let before = p.clone();
    h.apply(&mut p, Edit::RemoveDocument { doc: doc.clone() }).unwrap();
    assert!(p.documents.is_empty());
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    let mut bad = Document::new(DocId("bad".into()), "Bad", "short");
    bad.spans.push(Span::new(SpanId(500), CharIdx(0)..CharIdx(50), "Claim", ""));
    let err = h.apply(&mut p, Edit::AddDocument { index: 9, document: Box::new(bad) }).unwrap_err();
    assert!(matches!(err, EditError::BadDocument { .. }), "{err:?}");
    assert_eq!(p, before);
}

#[test]
fn relabelling_drops_relations_that_no_longer_fit_and_undo_restores_them() {
    let (mut p, doc) = project();
    let mut h = History::new();
    let claim = add(&mut p, &mut h, &doc, 0..87, "Claim");
    let source = add(&mut p, &mut h, &doc, 0..17, "Source");
    let rel = Relation { id: p.alloc_relation_id(), from: source, to: claim, kind: "attributed_to".into() };
    h.apply(&mut p, Edit::AddRelation { doc: doc.clone(), relation: rel }).unwrap();
    let before = p.clone();
    // A Claim cannot be the origin of attributed_to, so the relation goes with the relabel.
    h.apply(&mut p, Edit::SetSpanLabel { doc: doc.clone(), span: source, label: "Claim".into() }).unwrap();
    assert!(p.documents[0].relations.is_empty());
    assert!(validate::problems(&p).is_empty());
    h.undo(&mut p).unwrap();
    assert_eq!(p, before);
    // Relabelling to a label that still fits keeps the relation.
    h.apply(&mut p, Edit::SetSpanLabel { doc: doc.clone(), span: claim, label: "Opinion".into() }).unwrap();
    assert_eq!(p.documents[0].relations.len(), 1);
}
