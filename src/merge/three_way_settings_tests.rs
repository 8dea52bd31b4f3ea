//! Unit tests of the three-way merge of project settings, item kind by item kind.

use super::*;
use crate::model::{AttrKind, AttributeDef, DocLabelSet, Rgb, RuleKind};

fn base() -> Project {
    let mut p = Project::new("team");
    p.rules.push(SuggestRule {
        name: "verbs".into(),
        kind: RuleKind::Words,
        pattern: "said|told".into(),
        label: "Source".into(),
        case_sensitive: false,
        enabled: true,
    });
    p
}

fn merge(b: &Project, o: &Project, t: &Project) -> (MergedSettings, Vec<String>) {
    let mut lines = Vec::new();
    let merged = merge_settings(Some(Settings::of(b)), Settings::of(o), Settings::of(t), &mut lines);
    (merged, lines)
}

#[test]
fn different_fields_of_one_label_and_different_items_merge_cleanly() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.schema.labels[0].color = Rgb([1, 1, 1]);
    t.schema.labels[0].guideline = "theirs".into();
    t.schema.labels[1].key = Some('9');
    o.schema.doc_labels[0].choices.push("review".into());
    t.rules[0].pattern = "said|told|claimed".into();
    o.recommenders_off.push("cues".into());
    t.name = "renamed".into();
    let (m, lines) = merge(&b, &o, &t);
    assert!(m.conflicts.is_empty() && lines.is_empty(), "{lines:?}");
    assert_eq!(m.name, "renamed");
    assert_eq!((m.schema.labels[0].color, m.schema.labels[0].guideline.as_str()), (Rgb([1, 1, 1]), "theirs"));
    assert_eq!(m.schema.labels[1].key, Some('9'));
    assert!(m.schema.doc_labels[0].choices.contains(&"review".to_string()));
    assert_eq!(m.rules[0].pattern, "said|told|claimed");
    assert_eq!(m.recommenders_off, ["cues"]);
}

#[test]
fn the_same_label_recoloured_differently_keeps_ours_and_theirs_beside_it() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.schema.labels[0].color = Rgb([1, 1, 1]);
    t.schema.labels[0].color = Rgb([2, 2, 2]);
    // A one-sided change to another field of the same label is on both versions.
    t.schema.labels[0].attributes.push(AttributeDef { name: "source_url".into(), kind: AttrKind::Url });
    let (m, lines) = merge(&b, &o, &t);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(m.schema.labels[0].color, Rgb([1, 1, 1]));
    assert_eq!(m.schema.labels[0].attributes.len(), 4, "theirs' new attribute is taken");
    let [ProjectConflict::Label { name, theirs: Some(theirs) }] = m.conflicts.as_slice() else {
        panic!("{:?}", m.conflicts)
    };
    assert_eq!((name.as_str(), theirs.color, theirs.attributes.len()), ("Claim", Rgb([2, 2, 2]), 4));
}

#[test]
fn name_rule_relation_type_and_document_label_set_conflicts() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    o.name = "ours".into();
    t.name = "theirs".into();
    o.rules[0].pattern = "said".into();
    t.rules.clear();
    o.schema.relation_types[0].guideline = "ours".into();
    t.schema.relation_types[0].guideline = "theirs".into();
    o.schema.doc_labels[0].choices.push("a".into());
    t.schema.doc_labels[0].choices.push("b".into());
    let (m, _) = merge(&b, &o, &t);
    let keys: Vec<String> = m.conflicts.iter().map(ProjectConflict::key).collect();
    assert_eq!(keys, ["name", "relation_type:attributed_to", "doc_label_set:genre", "rule:verbs"]);
    assert_eq!(m.name, "ours");
    assert_eq!(m.rules[0].pattern, "said", "ours' change stays in force");
    assert!(matches!(&m.conflicts[3], ProjectConflict::Rule { theirs: None, .. }), "theirs deleted the rule");
    assert!(matches!(&m.conflicts[2], ProjectConflict::DocLabelSet { theirs: Some(DocLabelSet { choices, .. }), .. }
        if choices.last().map(String::as_str) == Some("b")));
}

#[test]
fn additions_deletions_and_clashing_keys() {
    let b = base();
    let (mut o, mut t) = (b.clone(), b.clone());
    let mut ours_new = o.schema.labels[0].clone();
    ours_new.name = "Quote".into();
    ours_new.key = Some('7');
    o.schema.labels.push(ours_new);
    let mut theirs_new = t.schema.labels[0].clone();
    theirs_new.name = "Hedge".into();
    theirs_new.key = Some('7');
    t.schema.labels.push(theirs_new);
    t.schema.doc_labels.clear();
    let (m, lines) = merge(&b, &o, &t);
    assert!(m.conflicts.is_empty());
    let names: Vec<(&str, Option<char>)> = m.schema.labels.iter().map(|l| (l.name.as_str(), l.key)).collect();
    assert_eq!(
        names,
        [("Claim", Some('1')), ("Opinion", Some('2')), ("Source", Some('3')), ("Quote", Some('7')), ("Hedge", None)]
    );
    assert!(lines.iter().any(|l| l.contains("Hedge lost its key")), "{lines:?}");
    assert!(m.schema.doc_labels.is_empty(), "theirs' deletion of an unchanged set is taken");
    assert!(crate::edit::schema_problems(&m.schema).is_empty());
}

#[test]
fn conflicts_of_an_earlier_merge_stay_until_settled() {
    let mut b = base();
    b.conflicts = vec![ProjectConflict::Name { theirs: "old".into() }];
    let (mut o, t) = (b.clone(), b.clone());
    o.conflicts.clear();
    let (m, _) = merge(&b, &o, &t);
    assert!(m.conflicts.is_empty(), "ours settled it");
    let (m, _) = merge(&b, &t, &t);
    assert_eq!(m.conflicts.len(), 1, "nobody settled it");
}
