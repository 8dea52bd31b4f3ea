//! Unit tests of the conflict list and of keeping one side of a field or setting conflict.

use super::*;
use crate::model::{CharIdx, DocStatus, Document, Rgb, Span, SpanId};

fn conflicted() -> Project {
    let mut p = Project::new("ours");
    let mut d = Document::new(DocId("d1".into()), "Our title", "Zoë said it — twice.");
    d.status = DocStatus::Done;
    d.meta.author = "Ana".into();
    d.doc_labels.insert("genre".into(), "news".into());
    d.conflicts = vec![
        FieldConflict { field: "title".into(), theirs: "Their title".into() },
        FieldConflict { field: "status".into(), theirs: "needs-review".into() },
        FieldConflict { field: "meta.author".into(), theirs: "Ben".into() },
        FieldConflict { field: "doc_label:genre".into(), theirs: String::new() },
    ];
    let mut a = Span::new(SpanId(1), CharIdx(0)..CharIdx(3), "Source", "a");
    a.conflict = "1/ours".into();
    let mut b = Span::new(SpanId(2), CharIdx(0)..CharIdx(3), "Claim", "b");
    b.conflict = "1/theirs".into();
    d.spans = vec![a, b];
    p.documents.push(d);
    p.next_span_id = 3;
    let mut claim = p.schema.labels[0].clone();
    claim.color = Rgb([9, 9, 9]);
    p.conflicts = vec![
        ProjectConflict::Name { theirs: "theirs".into() },
        ProjectConflict::Label { name: "Claim".into(), theirs: Some(claim) },
    ];
    p
}

#[test]
fn the_list_has_settings_then_fields_then_spans_with_both_values() {
    let p = conflicted();
    let list = merge_conflicts(&p);
    assert_eq!(list.len(), 7);
    assert_eq!(conflict_count(&p, None), 7);
    assert_eq!(conflict_count(&p, Some(&DocId("d1".into()))), 7);
    assert!(matches!(&list[0], MergeConflict::Project { item, ours, theirs }
        if item == "name" && ours == "\"ours\"" && theirs == "\"theirs\""));
    assert!(matches!(&list[1], MergeConflict::Project { item, ours, theirs }
        if item == "label:Claim" && ours.contains("#2b7bd6") && theirs.contains("#090909")));
    assert!(matches!(&list[2], MergeConflict::Field { field, ours, theirs, .. }
        if field == "title" && ours == "Our title" && theirs == "Their title"));
    assert!(matches!(&list[3], MergeConflict::Field { ours, .. } if ours == "done"));
    assert!(matches!(&list[6], MergeConflict::Span(c) if c.group == 1));
    assert_eq!(list[2].command("p.ron"), "factmark resolve p.ron title --doc d1 --keep ours|theirs");
    assert_eq!(list[1].command("p.ron"), "factmark resolve p.ron label:Claim --keep ours|theirs");
}

#[test]
fn keeping_theirs_sets_each_kind_of_field_and_undo_brings_the_conflict_back() {
    let mut p = conflicted();
    let before = p.clone();
    let doc = DocId("d1".into());
    let mut undo = Vec::new();
    for field in ["title", "status", "meta.author", "doc_label:genre"] {
        let edit = keep_field(&p, &doc, field, Side::Theirs).unwrap();
        undo.push(edit.apply(&mut p).unwrap());
    }
    let d = &p.documents[0];
    assert_eq!((d.title.as_str(), d.status, d.meta.author.as_str()), ("Their title", DocStatus::NeedsReview, "Ben"));
    assert!(d.doc_labels.is_empty(), "theirs had no genre");
    assert!(d.conflicts.is_empty());
    for edit in undo.into_iter().rev() {
        edit.apply(&mut p).unwrap();
    }
    assert_eq!(p, before);
}

#[test]
fn keeping_ours_only_clears_the_conflict() {
    let mut p = conflicted();
    let doc = DocId("d1".into());
    keep_field(&p, &doc, "title", Side::Ours).unwrap().apply(&mut p).unwrap();
    assert_eq!(p.documents[0].title, "Our title");
    assert_eq!(p.documents[0].conflicts.len(), 3);
    let err = keep_field(&p, &doc, "title", Side::Theirs).unwrap_err();
    assert_eq!(
        err.to_string(),
        "document d1 has no conflict on \"title\" (open: status, meta.author, doc_label:genre)"
    );
    keep_setting(&p, "name", Side::Ours).unwrap().apply(&mut p).unwrap();
    assert_eq!(p.name, "ours");
    assert_eq!(p.conflicts.len(), 1);
}

#[test]
fn keeping_their_setting_changes_the_schema_and_name() {
    let mut p = conflicted();
    keep_setting(&p, "label:Claim", Side::Theirs).unwrap().apply(&mut p).unwrap();
    assert_eq!(p.schema.label("Claim").map(|l| l.color), Some(Rgb([9, 9, 9])));
    keep_setting(&p, "name", Side::Theirs).unwrap().apply(&mut p).unwrap();
    assert_eq!(p.name, "theirs");
    assert!(p.conflicts.is_empty());
    let err = keep_setting(&p, "label:Claim", Side::Ours).unwrap_err();
    assert!(err.to_string().contains("open: none"), "{err}");
}

#[test]
fn a_hand_edited_status_is_refused_with_its_value() {
    let mut p = conflicted();
    p.documents[0].conflicts[1].theirs = "finished".into();
    let err = keep_field(&p, &DocId("d1".into()), "status", Side::Theirs).unwrap_err();
    assert_eq!(err.to_string(), "theirs' status \"finished\" is not a value factmark can set");
    assert_eq!("THEIRS".parse::<Side>(), Ok(Side::Theirs));
    assert!("both".parse::<Side>().is_err());
}
