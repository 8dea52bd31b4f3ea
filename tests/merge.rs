//! Merging annotators' copies of a project: documents matched by text, every span kept as its annotator's
//! layer, ids reallocated with relations following, and every difference reported.

use std::path::Path;

use factmark::merge::{Aspect, MergeInput, Merged, SchemaItem, merge_projects};
use factmark::model::{CharIdx, DocId, DocStatus, Document, Project, Relation, Rgb, Span, SpanId, validate};
use factmark::store;

const BRIDGE: &str = "The Vellmar Harbour Bridge will close for six weeks, the Port Authority said.";
const WATER: &str = "Critics 😡 say the water plan is “reckless”. Bills rose 23% in 2025.";
const FESTIVAL: &str = "The festival drew 40,000 visitors, organisers said.";

fn span(project: &mut Project, doc: usize, start: usize, end: usize, label: &str, annotator: &str) -> SpanId {
    let id = project.alloc_span_id();
    let document = &mut project.documents[doc];
    document.spans.push(Span::new(id, CharIdx(start)..CharIdx(end), label, annotator));
    document.spans.sort_by_key(Span::sort_key);
    id
}

fn relate(project: &mut Project, doc: usize, from: SpanId, to: SpanId) {
    let id = project.alloc_relation_id();
    project.documents[doc].relations.push(Relation { id, from, to, kind: "attributed_to".into() });
}

/// ana's copy: bridge then water, with her own titles and ids; one relation.
fn ana() -> Project {
    let mut p = Project::new("ana's copy");
    p.documents.push(Document::new(DocId("bridge".into()), "Bridge closes", BRIDGE));
    p.documents.push(Document::new(DocId("water".into()), "Water bills", WATER));
    let claim = span(&mut p, 0, 0, 51, "Claim", "ana");
    let source = span(&mut p, 0, 53, 75, "Source", "ana");
    relate(&mut p, 0, source, claim);
    span(&mut p, 1, 18, 43, "Opinion", "ana");
    span(&mut p, 1, 46, 66, "Claim", "ana");
    p
}

/// ben's copy: the same two texts in the other order, other titles and ids, plus a third text; his
/// spans carry no annotator (the file name stands in). Span ids overlap ana's on purpose.
fn ben() -> Project {
    let mut p = Project::new("ben's copy");
    p.documents.push(Document::new(DocId("vellmar-water".into()), "Vellmar water prices", WATER));
    p.documents.push(Document::new(DocId("harbour-bridge".into()), "Harbour bridge to close", BRIDGE));
    p.documents.push(Document::new(DocId("festival".into()), "Festival", FESTIVAL));
    span(&mut p, 0, 46, 66, "Claim", "");
    let claim = span(&mut p, 1, 0, 51, "Claim", "");
    let source = span(&mut p, 1, 57, 75, "Source", "");
    relate(&mut p, 1, source, claim);
    span(&mut p, 2, 0, 34, "Claim", "");
    p
}

fn merge(inputs: &[(&str, &Project)]) -> Merged {
    let inputs: Vec<MergeInput> = inputs.iter().map(|(name, project)| MergeInput { name, project }).collect();
    merge_projects(&inputs).unwrap()
}

fn doc_with_text<'p>(project: &'p Project, text: &str) -> &'p Document {
    project.documents.iter().find(|d| d.text == text).unwrap()
}

#[test]
fn same_texts_in_another_order_and_title_are_one_document_and_every_span_is_kept() {
    let (a, b) = (ana(), ben());
    let Merged { project, report } = merge(&[("ana", &a), ("ben", &b)]);
    assert!(validate::problems(&project).is_empty(), "{:?}", validate::problems(&project));
    // Three texts, three documents: bridge and water matched by content, not by id, title or position.
    assert_eq!(project.documents.len(), 3);
    assert_eq!(report.documents_in_all, 2);
    // Every span of both inputs is there: 4 + 4.
    assert_eq!(project.span_count(), a.span_count() + b.span_count());
    assert_eq!(report.duplicate_spans, 0);
    // ana's order and ids come first; ben's extra document is added after.
    let ids: Vec<&str> = project.documents.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(ids, ["bridge", "water", "festival"]);
    let bridge = doc_with_text(&project, BRIDGE);
    let layers: Vec<(&str, usize, usize, &str)> =
        bridge.spans.iter().map(|s| (s.annotator.as_str(), s.start.0, s.end.0, s.label.as_str())).collect();
    assert_eq!(
        layers,
        [("ana", 0, 51, "Claim"), ("ben", 0, 51, "Claim"), ("ana", 53, 75, "Source"), ("ben", 57, 75, "Source")]
    );
    // ben's spans had no annotator: they carry his file's name, and the report says how many.
    assert_eq!(report.inputs[1].spans_given_input_name, 4);
    // Fresh ids, unique across the project, below the counters.
    let mut span_ids: Vec<u64> = project.documents.iter().flat_map(|d| &d.spans).map(|s| s.id.0).collect();
    span_ids.sort_unstable();
    assert_eq!(span_ids, (1..=8).collect::<Vec<_>>());
    assert_eq!(project.next_span_id, 9);
    // Each input's relation now joins that input's Source and Claim, under new ids.
    assert_eq!(bridge.relations.len(), 2);
    for rel in &bridge.relations {
        let (from, to) = (bridge.span(rel.from).unwrap(), bridge.span(rel.to).unwrap());
        assert_eq!((from.label.as_str(), to.label.as_str()), ("Source", "Claim"));
        assert_eq!(from.annotator, to.annotator);
    }
    // The festival article is only ben's: kept, and reported.
    assert_eq!(report.partial_documents.len(), 1);
    assert_eq!(report.partial_documents[0].doc, "festival");
    assert_eq!(report.partial_documents[0].missing_from, ["ana"]);
    // Titles and ids differ: reported, the first input's kept.
    let title = report.doc_conflicts.iter().find(|c| c.doc == "bridge" && c.field == "title").unwrap();
    assert_eq!(title.kept, "Bridge closes");
    assert_eq!(title.values[1].value, "Harbour bridge to close");
    assert!(report.doc_conflicts.iter().any(|c| c.doc == "water" && c.field == "id"));
}

#[test]
fn merged_project_saves_and_loads() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("merged.ron");
    let merged = merge(&[("ana", &ana()), ("ben", &ben())]);
    store::save(&merged.project, &path).unwrap();
    assert_eq!(store::load(Path::new(&path)).unwrap(), merged.project);
}

#[test]
fn exact_duplicates_are_kept_once_and_counted() {
    // A file merged with itself: every span is an exact duplicate (same range, label and annotator).
    let a = ana();
    let mut copy = ana();
    copy.documents[1].spans[0].note = "changed my mind".into();
    let Merged { project, report } = merge(&[("ana", &a), ("ana-again", &copy)]);
    assert_eq!(project.span_count(), a.span_count());
    assert_eq!(report.duplicate_spans, 4);
    assert_eq!(report.duplicate_relations, 1);
    assert_eq!(project.documents[0].relations.len(), 1);
    // The copy that differs in its note is not silently lost: it is reported.
    assert_eq!(report.duplicate_differences.len(), 1);
    assert_eq!(report.duplicate_differences[0].fields, ["note"]);
}

#[test]
fn schema_differences_are_reported_and_the_union_is_kept() {
    let a = ana();
    let mut b = ben();
    b.schema.labels[1].color = Rgb([0xff, 0, 0]);
    b.schema.labels.push(factmark::model::LabelDef {
        name: "Rumour".into(),
        color: Rgb([1, 2, 3]),
        key: Some('1'),
        guideline: String::new(),
        attributes: Vec::new(),
    });
    b.schema.relation_types[0].to.push("Rumour".into());
    let rumour = span(&mut b, 2, 36, 50, "Rumour", "ben");
    let _ = rumour;
    let Merged { project, report } = merge(&[("ana", &a), ("ben", &b)]);
    assert!(validate::problems(&project).is_empty());
    let color = report.schema.iter().find(|d| d.aspect == Aspect::Color).unwrap();
    assert_eq!((color.item, color.name.as_str()), (SchemaItem::Label, "Opinion"));
    assert_eq!(color.values[1].value, "#ff0000");
    let missing = report.schema.iter().find(|d| d.aspect == Aspect::Missing).unwrap();
    assert_eq!(missing.name, "Rumour");
    assert_eq!(missing.values[0].value, "(absent)");
    // Rumour's key 1 is Claim's already: the merged Rumour has none, and that is reported.
    assert!(report.schema.iter().any(|d| d.aspect == Aspect::KeyClash && d.name == "Rumour"));
    assert_eq!(project.schema.label("Rumour").unwrap().key, None);
    assert!(report.schema.iter().any(|d| d.aspect == Aspect::To && d.item == SchemaItem::RelationType));
    assert!(project.schema.relation_type("attributed_to").unwrap().to.contains(&"Rumour".to_string()));
    assert_eq!(project.schema.label("Opinion").unwrap().color, a.schema.label("Opinion").unwrap().color);
}

#[test]
fn an_id_taken_by_another_text_gets_a_new_id_and_fields_fill_in() {
    let a = ana();
    let mut b = Project::new("b");
    // Same id as ana's bridge, different text.
    let mut other = Document::new(DocId("bridge".into()), "Bridge (other article)", FESTIVAL);
    other.status = DocStatus::Done;
    b.documents.push(other);
    // ana's water article with a note and an author ana's copy lacks, and another status.
    let mut water = Document::new(DocId("w".into()), "Water", WATER);
    water.note = "check the 23%".into();
    water.meta.author = "Zoë Marchetti".into();
    water.status = DocStatus::Done;
    b.documents.push(water);
    span(&mut b, 1, 0, 7, "Source", "ben");
    let Merged { project, report } = merge(&[("ana", &a), ("ben", &b)]);
    assert!(validate::problems(&project).is_empty());
    assert_eq!(report.renamed_documents.len(), 1);
    assert_eq!(report.renamed_documents[0].old_id, "bridge");
    let renamed = doc_with_text(&project, FESTIVAL);
    assert_ne!(renamed.id.as_str(), "bridge");
    assert_eq!(renamed.id.as_str(), report.renamed_documents[0].new_id);
    let merged_water = doc_with_text(&project, WATER);
    // Only ben wrote a note and an author: filled in, not a conflict. Status differs: first kept, reported.
    assert_eq!(merged_water.note, "check the 23%");
    assert_eq!(merged_water.meta.author, "Zoë Marchetti");
    assert_eq!(merged_water.status, DocStatus::Todo);
    assert!(report.doc_conflicts.iter().any(|c| c.doc == "water" && c.field == "status"));
    assert!(!report.doc_conflicts.iter().any(|c| c.field == "note" || c.field == "author"));
}

#[test]
fn three_inputs_and_no_inputs() {
    let (a, b) = (ana(), ben());
    let mut c = ana();
    for s in c.documents.iter_mut().flat_map(|d| d.spans.iter_mut()) {
        s.annotator = "cy".into();
    }
    let Merged { project, report } = merge(&[("ana", &a), ("ben", &b), ("cy", &c)]);
    assert_eq!(project.span_count(), 12);
    assert_eq!(report.inputs.len(), 3);
    assert_eq!(report.partial_documents[0].missing_from, ["ana", "cy"]);
    assert!(merge_projects(&[]).is_err());
}

#[test]
fn rules_are_united_and_a_text_repeated_inside_one_input_is_reported() {
    use factmark::model::{RuleKind, SuggestRule};
    let rule = |name: &str| SuggestRule {
        name: name.into(),
        kind: RuleKind::Phrase,
        pattern: "the ministry".into(),
        label: "Source".into(),
        case_sensitive: false,
        enabled: true,
    };
    let mut a = ana();
    a.rules.push(rule("ministry"));
    let mut b = ben();
    b.rules = vec![rule("ministry"), rule("ministry, again")];
    // ben imported the water article twice under two ids (an older factmark could do that).
    b.documents.push(Document::new(DocId("water-2".into()), "Water again", WATER));
    let Merged { project, report } = merge(&[("ana", &a), ("ben", &b)]);
    assert_eq!(project.rules.len(), 2);
    assert_eq!(report.rules, 1);
    assert_eq!(project.documents.len(), 3);
    assert_eq!(report.repeated_texts.len(), 1);
    assert_eq!(
        (report.repeated_texts[0].doc.as_str(), report.repeated_texts[0].same_as.as_str()),
        ("water-2", "water")
    );
}
