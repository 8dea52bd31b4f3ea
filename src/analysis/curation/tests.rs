use super::*;
use crate::model::{AttrValue, DocId, Project};

/// "The bridge will close. Officials said so. It is a disgrace." with ana's and ben's layers:
/// - both: Claim 0..22 ("The bridge will close.") — agreed;
/// - ana: Source 23..32 ("Officials"), ben: Source 23..41 ("Officials said so.") — same label, overlapping;
/// - ana: Opinion 42..59, ben: Claim 42..59 — same place, different labels;
/// - ben only: Source 0..10 ("The bridge") nested in the agreed Claim.
fn doc() -> Document {
    let mut doc = Document::new(DocId("d".into()), "T", "The bridge will close. Officials said so. It is a disgrace.");
    let spans = [
        (1, 0, 22, "Claim", "ana"),
        (2, 0, 22, "Claim", "ben"),
        (3, 23, 32, "Source", "ana"),
        (4, 23, 41, "Source", "ben"),
        (5, 42, 59, "Opinion", "ana"),
        (6, 42, 59, "Claim", "ben"),
        (7, 0, 10, "Source", "ben"),
    ];
    for (id, start, end, label, who) in spans {
        doc.insert_span(Span::new(SpanId(id), CharIdx(start)..CharIdx(end), label, who));
    }
    doc
}

fn project(doc: Document) -> Project {
    let mut project = Project::new("t");
    project.schema.labels = ["Claim", "Opinion", "Source"]
        .iter()
        .map(|name| crate::model::LabelDef {
            name: name.to_string(),
            color: crate::model::Rgb([0, 0, 0]),
            key: None,
            guideline: String::new(),
            attributes: Vec::new(),
        })
        .collect();
    project.schema.relation_types = vec![crate::model::RelationTypeDef {
        name: "attributed_to".into(),
        from: vec!["Source".into()],
        to: vec!["Claim".into(), "Opinion".into()],
        guideline: String::new(),
    }];
    project.next_span_id = doc.spans.iter().map(|s| s.id.0 + 1).max().unwrap_or(1);
    project.next_relation_id = doc.relations.iter().map(|r| r.id.0 + 1).max().unwrap_or(1);
    project.documents.push(doc);
    project
}

fn ids(project: &Project) -> NextIds {
    NextIds { span: project.next_span_id, relation: project.next_relation_id }
}

fn names() -> Vec<String> {
    vec!["ana".into(), "ben".into()]
}

fn apply(project: &mut Project, edit: Edit) {
    edit.apply(project).unwrap();
}

#[test]
fn agreed_spans_and_groups_follow_the_rules() {
    let doc = doc();
    assert_eq!(annotators_of(&doc), names());
    let cur = curate(&doc, &names());
    assert_eq!(cur.agreed.len(), 1);
    assert_eq!(cur.agreed[0].range, CharIdx(0)..CharIdx(22));
    assert_eq!(cur.agreed[0].spans, vec![SpanId(1), SpanId(2)]);
    assert!(!cur.agreed[0].in_gold);
    // Three questions: the nested Source alone (it shares chars with no other Source and covers under half
    // of the Claim), the two Sources together, the Opinion/Claim pair together.
    let ranges: Vec<_> = cur.disagreements.iter().map(|d| (d.range.start.0, d.range.end.0)).collect();
    assert_eq!(ranges, vec![(0, 10), (23, 41), (42, 59)]);
    assert_eq!(cur.disagreements[0].versions[0].spans, Vec::<SpanId>::new());
    assert_eq!(cur.disagreements[0].versions[1].spans, vec![SpanId(7)]);
    assert_eq!(cur.disagreements[2].labels, vec!["Claim".to_string(), "Opinion".to_string()]);
    assert!(cur.disagreements.iter().all(|d| d.state == GroupState::Open));
    assert_eq!((cur.agreed_pending(), cur.open()), (1, 3));
}

#[test]
fn one_annotator_alone_agrees_with_nobody() {
    let cur = curate(&doc(), &["ana".to_string()]);
    assert!(cur.agreed.is_empty());
    assert_eq!(cur.disagreements.len(), 3);
}

#[test]
fn accepting_agreed_spans_makes_gold_copies_once() {
    let mut doc = doc();
    doc.spans.iter_mut().filter(|s| s.id.0 <= 2).for_each(|s| {
        s.attributes.insert("verdict".into(), AttrValue::Text("false".into()));
    });
    if let Some(s) = doc.spans.iter_mut().find(|s| s.id == SpanId(1)) {
        s.note = "only ana wrote this".into();
    }
    let mut project = project(doc);
    let cur = curate(&project.documents[0], &names());
    let edit = accept_agreed(&project.documents[0], &cur, ids(&project)).unwrap();
    apply(&mut project, edit);
    let gold: Vec<&Span> = project.documents[0].spans.iter().filter(|s| s.annotator == GOLD).collect();
    assert_eq!(gold.len(), 1);
    assert_eq!((gold[0].id, gold[0].start.0, gold[0].end.0), (SpanId(8), 0, 22));
    assert_eq!(gold[0].origin, AGREED_ORIGIN);
    assert_eq!(gold[0].attributes.get("verdict"), Some(&AttrValue::Text("false".into())));
    // The notes differ, so the gold span has none.
    assert_eq!(gold[0].note, "");
    assert_eq!(project.next_span_id, 9);
    let cur = curate(&project.documents[0], &names());
    assert!(cur.agreed[0].in_gold);
    assert_eq!(accept_agreed(&project.documents[0], &cur, ids(&project)), None);
    // The agreed gold span is not mistaken for a choice in the nested Source's group.
    assert_eq!(cur.disagreements[0].state, GroupState::Open);
}

#[test]
fn taking_switching_and_rejecting_versions() {
    let mut project = project(doc());
    let sources = |p: &Project| curate(&p.documents[0], &names()).disagreements[1].clone();
    let edit = choose(&project.documents[0], &sources(&project), Choice::Take("ana"), ids(&project)).unwrap();
    apply(&mut project, edit);
    let gold: Vec<&Span> = project.documents[0].spans.iter().filter(|s| s.annotator == GOLD).collect();
    assert_eq!(gold.len(), 1);
    assert_eq!((gold[0].start.0, gold[0].end.0, gold[0].label.as_str()), (23, 32, "Source"));
    assert_eq!(gold[0].origin, "curation:ana");
    assert_eq!(sources(&project).state, GroupState::Chosen("ana".into()));
    // Taking the same version again changes nothing.
    assert_eq!(choose(&project.documents[0], &sources(&project), Choice::Take("ana"), ids(&project)), None);

    // Switching to ben's version replaces ana's in one edit.
    let edit = choose(&project.documents[0], &sources(&project), Choice::Take("ben"), ids(&project)).unwrap();
    apply(&mut project, edit);
    let gold: Vec<(usize, usize, &str)> = project.documents[0]
        .spans
        .iter()
        .filter(|s| s.annotator == GOLD)
        .map(|s| (s.start.0, s.end.0, s.origin.as_str()))
        .collect();
    assert_eq!(gold, vec![(23, 41, "curation:ben")]);
    assert_eq!(sources(&project).state, GroupState::Chosen("ben".into()));

    let edit = choose(&project.documents[0], &sources(&project), Choice::Reject, ids(&project)).unwrap();
    apply(&mut project, edit);
    assert!(project.documents[0].spans.iter().all(|s| s.annotator != GOLD));
    assert_eq!(sources(&project).state, GroupState::Open);
}

#[test]
fn a_hand_made_gold_span_reads_as_edited() {
    let mut doc = doc();
    doc.insert_span(Span::new(SpanId(20), CharIdx(23)..CharIdx(36), "Source", GOLD));
    let cur = curate(&doc, &names());
    assert_eq!(cur.disagreements[1].gold, vec![SpanId(20)]);
    assert_eq!(cur.disagreements[1].state, GroupState::Edited);
}

#[test]
fn relations_follow_chosen_spans_into_gold() {
    let mut doc = doc();
    // ben: Source "The bridge" attributed_to the (agreed) Claim.
    doc.insert_relation(Relation { id: RelationId(1), from: SpanId(7), to: SpanId(2), kind: "attributed_to".into() });
    let mut project = project(doc);
    let cur = curate(&project.documents[0], &names());
    let edit = accept_agreed(&project.documents[0], &cur, ids(&project)).unwrap();
    apply(&mut project, edit);
    // The agreed Claim alone: the relation's other end has no gold copy yet.
    assert_eq!(project.documents[0].relations.len(), 1);
    let cur = curate(&project.documents[0], &names());
    let edit = choose(&project.documents[0], &cur.disagreements[0], Choice::Take("ben"), ids(&project)).unwrap();
    apply(&mut project, edit);
    let doc = &project.documents[0];
    let gold_source = doc.spans.iter().find(|s| s.annotator == GOLD && s.label == "Source").unwrap().id;
    let gold_claim = doc.spans.iter().find(|s| s.annotator == GOLD && s.label == "Claim").unwrap().id;
    let carried: Vec<_> = doc.relations.iter().filter(|r| r.from == gold_source).collect();
    assert_eq!(carried.len(), 1);
    assert_eq!(carried[0].to, gold_claim);
    assert_eq!(crate::model::validate::problems(&project), Vec::new());
}
