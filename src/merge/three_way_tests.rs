//! Unit tests of the three-way merge on small projects built in code.

use super::*;
use crate::model::{CharIdx, DocId, Relation, RelationId, Span, SpanId, validate};

const TEXT: &str = "Zoë Martín said the U.S. plan “will fail” — officials disagree.";

fn base() -> Project {
    let mut p = Project::new("t");
    let mut d = Document::new(DocId("d1".into()), "D1", TEXT);
    d.spans = vec![
        Span::new(SpanId(1), CharIdx(0)..CharIdx(10), "Source", "a"),
        Span::new(SpanId(2), CharIdx(16)..CharIdx(40), "Claim", "a"),
    ];
    d.relations = vec![Relation { id: RelationId(1), from: SpanId(1), to: SpanId(2), kind: "attributed_to".into() }];
    p.documents.push(d);
    p.next_span_id = 3;
    p.next_relation_id = 2;
    p
}

fn add(p: &mut Project, range: std::ops::Range<usize>, label: &str) -> SpanId {
    let id = p.alloc_span_id();
    let d = &mut p.documents[0];
    d.spans.push(Span::new(id, CharIdx(range.start)..CharIdx(range.end), label, "x"));
    d.spans.sort_by_key(Span::sort_key);
    id
}

fn span(p: &Project, id: u64) -> Option<&Span> {
    p.documents[0].span(SpanId(id))
}

#[test]
fn additions_with_the_same_id_are_renumbered_and_relations_follow() {
    let b = base();
    let mut o = b.clone();
    let mut t = b.clone();
    assert_eq!(add(&mut o, 41..50, "Opinion"), SpanId(3));
    assert_eq!(add(&mut t, 44..62, "Claim"), SpanId(3));
    let source = add(&mut t, 0..3, "Source");
    t.documents[0].relations.push(Relation {
        id: RelationId(2),
        from: source,
        to: SpanId(3),
        kind: "attributed_to".into(),
    });
    t.next_relation_id = 3;
    let merged = merge_three_way(&b, &o, &t);
    assert!(!merged.report.has_conflicts(), "{:?}", merged.report);
    let p = &merged.project;
    assert!(validate::problems(p).is_empty(), "{:?}", validate::problems(p));
    assert_eq!(p.documents[0].spans.len(), 5);
    assert_eq!(span(p, 3).map(|s| s.label.as_str()), Some("Opinion"));
    let theirs_claim = p.documents[0].spans.iter().find(|s| s.start == CharIdx(44)).map(|s| s.id);
    let theirs_source =
        p.documents[0].spans.iter().find(|s| s.start == CharIdx(0) && s.end == CharIdx(3)).map(|s| s.id);
    assert!(theirs_claim.is_some_and(|id| id.0 >= 5), "fresh id above every input id: {theirs_claim:?}");
    let rel = p.documents[0].relations.iter().find(|r| r.id != RelationId(1));
    assert_eq!(rel.map(|r| (Some(r.from), Some(r.to))), Some((theirs_source, theirs_claim)));
    assert!(p.next_span_id > p.documents[0].spans.iter().map(|s| s.id.0).max().unwrap_or(0));
    assert_eq!(merged.report.renumbered_spans, 1, "only the colliding addition is renumbered");
}

#[test]
fn one_sided_changes_and_deletions_are_taken_and_same_changes_count_once() {
    let b = base();
    let mut o = b.clone();
    let mut t = b.clone();
    o.documents[0].spans[1].label = "Opinion".into();
    t.documents[0].spans[1].note = "check".into();
    t.documents[0].status = crate::model::DocStatus::Done;
    add(&mut o, 41..50, "Opinion");
    add(&mut t, 41..50, "Opinion");
    let merged = merge_three_way(&b, &o, &t);
    assert!(!merged.report.has_conflicts(), "{:?}", merged.report);
    let p = &merged.project;
    assert_eq!(span(p, 2).map(|s| (s.label.as_str(), s.note.as_str())), Some(("Opinion", "check")));
    assert_eq!(p.documents[0].status, crate::model::DocStatus::Done);
    assert_eq!(p.documents[0].spans.len(), 3, "the same addition on both sides is kept once");

    let mut t2 = b.clone();
    t2.documents[0].relations.clear();
    t2.documents[0].spans.retain(|s| s.id != SpanId(1));
    let merged = merge_three_way(&b, &b, &t2);
    assert!(!merged.report.has_conflicts());
    assert!(span(&merged.project, 1).is_none());
    assert!(merged.project.documents[0].relations.is_empty());
}

#[test]
fn different_changes_keep_both_alternatives_flagged() {
    let b = base();
    let mut o = b.clone();
    let mut t = b.clone();
    o.documents[0].spans[1].label = "Opinion".into();
    t.documents[0].spans[1].label = "Source".into();
    t.documents[0].spans[1].note = "theirs".into();
    o.documents[0].note = "ours".into();
    t.documents[0].note = "theirs".into();
    let merged = merge_three_way(&b, &o, &t);
    assert_eq!(merged.report.span_conflicts.len(), 1);
    assert_eq!(merged.report.field_conflicts.len(), 1, "{:?}", merged.report.field_conflicts);
    let p = &merged.project;
    assert!(validate::problems(p).is_empty(), "{:?}", validate::problems(p));
    assert_eq!(p.documents[0].note, "ours");
    let list = validate::conflicts(p);
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].group, 2);
    assert!(list[0].detail.contains("label Opinion (ours) vs Source (theirs)"), "{}", list[0]);
    let alternatives: Vec<&Span> = p.documents[0].spans.iter().filter(|s| !s.conflict.is_empty()).collect();
    assert_eq!(alternatives.len(), 2);
    assert_ne!(alternatives[0].id, alternatives[1].id);
    // The note only theirs changed is on both alternatives.
    assert!(alternatives.iter().all(|s| s.note == "theirs"));
}

#[test]
fn deleted_on_one_side_and_changed_on_the_other_is_a_conflict() {
    let b = base();
    let mut o = b.clone();
    let mut t = b.clone();
    o.documents[0].relations.clear();
    o.documents[0].spans.retain(|s| s.id != SpanId(2));
    t.documents[0].spans[1].label = "Opinion".into();
    let merged = merge_three_way(&b, &o, &t);
    assert_eq!(merged.report.span_conflicts.len(), 1);
    assert_eq!(span(&merged.project, 2).map(|s| s.conflict.as_str()), Some("2/theirs"));
    assert!(validate::problems(&merged.project).is_empty());
}

#[test]
fn documents_added_on_each_side_are_kept_and_matched_by_text() {
    let b = base();
    let mut o = b.clone();
    let mut t = b.clone();
    o.documents.push(Document::new(DocId("new".into()), "New", "Ours’ article."));
    t.documents.push(Document::new(DocId("new".into()), "New", "Theirs’ article — different."));
    t.documents.push(Document::new(DocId("same".into()), "Same", "Ours’ article."));
    let merged = merge_three_way(&b, &o, &t);
    let ids: Vec<&str> = merged.project.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["d1", "new", "new-2"]);
    assert!(validate::problems(&merged.project).is_empty());
}

#[test]
fn spans_of_documents_added_on_both_sides_get_distinct_ids() {
    let b = base();
    let mut o = b.clone();
    let mut t = b.clone();
    for (p, text) in [(&mut o, "Ours’ article — on the U.S."), (&mut t, "Théirs’ article — elsewhere")] {
        let id = p.alloc_span_id();
        let mut d = Document::new(DocId(format!("doc-{}", text.len())), "N", text);
        d.spans.push(Span::new(id, CharIdx(0)..CharIdx(4), "Claim", "x"));
        p.documents.push(d);
    }
    let merged = merge_three_way(&b, &o, &t);
    assert!(!merged.report.has_conflicts(), "{:?}", merged.report);
    assert!(validate::problems(&merged.project).is_empty(), "{:?}", validate::problems(&merged.project));
    assert_eq!(merged.project.documents.len(), 3);
    assert_eq!(merged.project.span_count(), 4);
    assert_eq!(merged.report.renumbered_spans, 1);
}

#[test]
fn a_label_removed_on_one_side_but_used_on_the_other_is_kept_and_reported() {
    let mut b = base();
    b.documents[0].spans.truncate(2);
    let mut o = b.clone();
    let mut t = b.clone();
    add(&mut o, 41..50, "Opinion");
    // As deleting a label in factmark does: relation types stop naming it too.
    t.schema.labels.retain(|l| l.name != "Opinion");
    t.schema.relation_types[0].to.retain(|l| l != "Opinion");
    let merged = merge_three_way(&b, &o, &t);
    assert!(merged.project.schema.label("Opinion").is_some());
    assert!(validate::problems(&merged.project).is_empty());
    assert!(merged.report.field_conflicts.iter().any(|l| l.contains("label Opinion")), "{:?}", merged.report);

    // Changed on one side only, the schema is simply taken.
    let merged = merge_three_way(&b, &b, &t);
    assert!(!merged.report.has_conflicts());
    assert!(merged.project.schema.label("Opinion").is_none());
}

#[test]
fn document_fields_changed_differently_are_kept_in_the_document() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    let (od, td) = (&mut o.documents[0], &mut t.documents[0]);
    od.title = "Ours".into();
    td.title = "Theirs".into();
    od.status = crate::model::DocStatus::Done;
    td.status = crate::model::DocStatus::NeedsReview;
    od.meta.author = "Ana".into();
    td.meta.author = "Ben".into();
    // Different metadata fields on each side are no conflict.
    od.meta.date = "2026-01-01".into();
    td.meta.url = "https://example.org".into();
    od.doc_labels.insert("genre".into(), "news".into());
    td.doc_labels.insert("genre".into(), "opinion".into());
    od.note = "same".into();
    td.note = "same".into();
    let merged = merge_three_way(&b, &o, &t);
    let d = &merged.project.documents[0];
    assert_eq!((d.title.as_str(), d.status, d.meta.author.as_str()), ("Ours", crate::model::DocStatus::Done, "Ana"));
    assert_eq!(
        (d.meta.date.as_str(), d.meta.url.as_str(), d.note.as_str()),
        ("2026-01-01", "https://example.org", "same")
    );
    let fields: Vec<(&str, &str)> = d.conflicts.iter().map(|c| (c.field.as_str(), c.theirs.as_str())).collect();
    assert_eq!(
        fields,
        [("title", "Theirs"), ("meta.author", "Ben"), ("status", "needs-review"), ("doc_label:genre", "opinion")]
    );
    assert_eq!(merged.report.field_conflicts.len(), 4);
    assert!(merged.report.has_conflicts());
    assert!(validate::problems(&merged.project).is_empty());
}

#[test]
fn a_settled_field_conflict_stays_settled_and_a_schema_conflict_is_kept_in_the_project() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.schema.labels[0].color = crate::model::Rgb([1, 2, 3]);
    t.schema.labels[0].color = crate::model::Rgb([3, 2, 1]);
    let merged = merge_three_way(&b, &o, &t);
    assert_eq!(merged.project.conflicts.len(), 1);
    assert_eq!(merged.project.conflicts[0].key(), "label:Claim");
    assert_eq!(merged.project.schema.labels[0].color, crate::model::Rgb([1, 2, 3]));

    // An open conflict in the base that ours settled and theirs left alone is gone after the next merge.
    let mut b2 = b.clone();
    b2.documents[0].conflicts = vec![crate::model::FieldConflict { field: "note".into(), theirs: "x".into() }];
    let mut o2 = b2.clone();
    o2.documents[0].conflicts.clear();
    let merged = merge_three_way(&b2, &o2, &b2);
    assert!(merged.project.documents[0].conflicts.is_empty());
}

#[test]
fn a_label_renamed_differently_on_each_side_is_one_setting_conflict_and_the_spans_follow_ours() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    crate::edit::Edit::RenameLabel { from: "Claim".into(), to: "Fact".into() }.apply(&mut o).unwrap();
    crate::edit::Edit::RenameLabel { from: "Claim".into(), to: "Assertion".into() }.apply(&mut t).unwrap();
    // Theirs also adds a span with its new name: it follows ours' name too.
    add(&mut t, 44..62, "Assertion");
    let merged = merge_three_way(&b, &o, &t);
    assert!(merged.report.has_conflicts());
    let p = &merged.project;
    assert!(validate::problems(p).is_empty(), "{:?}", validate::problems(p));
    let names: Vec<&str> = p.schema.labels.iter().map(|l| l.name.as_str()).collect();
    assert!(names.contains(&"Fact") && !names.contains(&"Assertion") && !names.contains(&"Claim"), "{names:?}");
    assert!(validate::conflicts(p).is_empty(), "no span is in conflict: {:?}", validate::conflicts(p));
    let labels: Vec<&str> = p.documents[0].spans.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["Source", "Fact", "Fact"]);
    assert_eq!(
        p.conflicts,
        vec![crate::model::ProjectConflict::LabelName {
            name: "Fact".into(),
            theirs: "Assertion".into(),
            was: "Claim".into()
        }]
    );

    // Keeping theirs renames the label and its spans, and one undo brings ours' name back.
    let mut settled = p.clone();
    let edit = crate::merge::keep_setting(&settled, "label_name:Fact", crate::merge::Side::Theirs).unwrap();
    let undo = edit.apply(&mut settled).unwrap();
    assert!(settled.conflicts.is_empty() && settled.schema.label("Assertion").is_some());
    assert!(settled.documents[0].spans.iter().all(|s| s.label != "Fact"));
    assert_eq!(settled.documents[0].spans.iter().filter(|s| s.label == "Assertion").count(), 2);
    undo.apply(&mut settled).unwrap();
    assert_eq!(&settled, p);
    let mut ours_kept = p.clone();
    crate::merge::keep_setting(p, "label_name:Fact", crate::merge::Side::Ours).unwrap().apply(&mut ours_kept).unwrap();
    assert!(ours_kept.conflicts.is_empty() && ours_kept.schema.label("Fact").is_some());
}

#[test]
fn a_relation_changed_differently_keeps_ours_in_force_and_theirs_to_choose() {
    let mut b = base();
    add(&mut b, 41..50, "Opinion");
    let (mut o, mut t) = (b.clone(), b.clone());
    o.documents[0].relations[0].to = SpanId(3);
    let source = add(&mut t, 0..3, "Source");
    t.documents[0].relations[0].from = source;
    let merged = merge_three_way(&b, &o, &t);
    assert!(merged.report.has_conflicts());
    let p = &merged.project;
    assert!(validate::problems(p).is_empty(), "{:?}", validate::problems(p));
    let d = &p.documents[0];
    assert_eq!((d.relations[0].from, d.relations[0].to), (SpanId(1), SpanId(3)), "ours in force");
    let fields: Vec<(&str, &str)> = d.conflicts.iter().map(|c| (c.field.as_str(), c.theirs.as_str())).collect();
    assert_eq!(fields, [("relation:1", "attributed_to: span 4 → span 2")]);
    let listed = crate::merge::merge_conflicts(p);
    assert_eq!(listed.len(), 1);
    assert_eq!(
        listed[0].to_string(),
        "doc d1: relation 1 changed differently on each side: ours attributed_to: span 1 → span 3, theirs \
         attributed_to: span 4 → span 2"
    );

    let doc = DocId("d1".into());
    let mut theirs_kept = p.clone();
    let edit = crate::merge::keep_field(p, &doc, "relation:1", crate::merge::Side::Theirs).unwrap();
    let undo = edit.apply(&mut theirs_kept).unwrap();
    let r = &theirs_kept.documents[0].relations;
    assert_eq!(r.iter().map(|r| (r.id, r.from, r.to)).collect::<Vec<_>>(), [(RelationId(1), SpanId(4), SpanId(2))]);
    assert!(theirs_kept.documents[0].conflicts.is_empty());
    undo.apply(&mut theirs_kept).unwrap();
    assert_eq!(&theirs_kept, p);
    let mut ours_kept = p.clone();
    crate::merge::keep_field(p, &doc, "relation:1", crate::merge::Side::Ours).unwrap().apply(&mut ours_kept).unwrap();
    assert_eq!(ours_kept.documents[0].relations, p.documents[0].relations);
    assert!(ours_kept.documents[0].conflicts.is_empty());
}

#[test]
fn a_document_deleted_on_one_side_and_changed_on_the_other_stays_flagged_until_kept_or_deleted() {
    let mut b = base();
    b.documents.push(Document::new(DocId("d2".into()), "D2", "A second article."));
    let deleted = |p: &Project| Project { documents: p.documents[1..].to_vec(), ..p.clone() };
    let mut changed = b.clone();
    add(&mut changed, 41..50, "Opinion");
    let doc = DocId("d1".into());
    for (o, t, theirs, deleting_side) in [
        (changed.clone(), deleted(&b), crate::model::DELETED, crate::merge::Side::Theirs),
        (deleted(&b), changed.clone(), crate::model::CHANGED, crate::merge::Side::Ours),
    ] {
        let merged = merge_three_way(&b, &o, &t);
        assert!(merged.report.has_conflicts());
        let p = &merged.project;
        assert!(validate::problems(p).is_empty(), "{:?}", validate::problems(p));
        let d = p.doc(&doc).expect("the changed document is kept");
        assert_eq!(d.spans.len(), 3, "with the change");
        let fields: Vec<(&str, &str)> = d.conflicts.iter().map(|c| (c.field.as_str(), c.theirs.as_str())).collect();
        assert_eq!(fields, [("document", theirs)]);
        let listed = crate::merge::merge_conflicts(p);
        assert_eq!(listed.len(), 1);
        assert!(listed[0].to_string().contains("deleted in"), "{}", listed[0]);

        let mut gone = p.clone();
        let undo = crate::merge::keep_field(p, &doc, "document", deleting_side).unwrap().apply(&mut gone).unwrap();
        assert!(gone.doc(&doc).is_none() && gone.documents.len() == 1);
        undo.apply(&mut gone).unwrap();
        assert_eq!(&gone, p);
        let keeping_side = match deleting_side {
            crate::merge::Side::Ours => crate::merge::Side::Theirs,
            crate::merge::Side::Theirs => crate::merge::Side::Ours,
        };
        let mut kept = p.clone();
        crate::merge::keep_field(p, &doc, "document", keeping_side).unwrap().apply(&mut kept).unwrap();
        assert!(kept.doc(&doc).is_some_and(|d| d.conflicts.is_empty() && d.spans.len() == 3));
    }
}
