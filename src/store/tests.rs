//! The fast writer and reader against the `ron` crate they stand in for: same bytes out, same project in.

use std::collections::BTreeMap;
use std::path::Path;

use super::file::ProjectFile;
use super::{fast, from_file, to_file, write};
use crate::model::{
    AttrValue, CharIdx, DocId, DocStatus, Document, FieldConflict, Project, ProjectConflict, Relation, RelationId,
    ReviewState, RuleKind, Span, SpanId, SuggestRule,
};
use crate::synth::{self, CorpusSpec};

fn ron_text(project: &Project) -> String {
    ron::ser::to_string_pretty(&to_file(project), write::pretty_config()).unwrap()
}

fn project_of(file: ProjectFile) -> Project {
    let (project, problems) = from_file(file);
    assert!(problems.is_empty(), "{problems:?}");
    project
}

/// Strings that exercise every branch of string writing and reading.
fn awkward_project() -> Project {
    let text = "He said \"no\" — twice.\n\n\tTabs, r#\"raw\"# and \\ backslashes 😡 ‘ok’ #\"## end.";
    let mut project = Project::new("weird \"name\" with \\ and ## and \"#");
    project.rules.push(SuggestRule {
        name: "verbs".into(),
        kind: RuleKind::Words,
        pattern: "said|told".into(),
        label: "Source".into(),
        case_sensitive: false,
        enabled: true,
    });
    project.recommenders_off = vec!["cues".into(), "a \"future\" one".into()];
    let mut doc = Document::new(DocId("d-1".into()), "Title with \"quotes\"", text);
    doc.meta.date = "2026-01-02".into();
    doc.meta.source_file = "C:\\articles\\a.txt".into();
    doc.status = DocStatus::NeedsReview;
    doc.doc_labels = BTreeMap::from([("genre".into(), "news".into()), ("z".into(), "x\"#y".into())]);
    doc.note = "multi\nline note".into();
    let len = crate::text::offsets::char_len(text);
    let mut outer = Span::new(SpanId(1), CharIdx(0)..CharIdx(len), "Claim", "");
    outer.attributes = BTreeMap::from([
        ("check_worthy".into(), AttrValue::Bool(true)),
        ("n".into(), AttrValue::Number(1.5)),
        ("m".into(), AttrValue::Number(3.0)),
        ("verdict".into(), AttrValue::Text("false".into())),
    ]);
    outer.review = ReviewState::Rejected;
    outer.reviewer = "ben".into();
    outer.note = "see \"appendix\"".into();
    let mut inner = Span::new(SpanId(2), CharIdx(8)..CharIdx(12), "Source", "zoë");
    inner.origin = "suggest:x".into();
    // A merge's conflict flag is written last and read by both readers.
    inner.conflict = "2/ours".into();
    let mut alternative = Span::new(SpanId(3), CharIdx(8)..CharIdx(12), "Claim", "zoë");
    alternative.conflict = "2/theirs".into();
    doc.spans = vec![outer, inner, alternative];
    doc.relations = vec![Relation { id: RelationId(1), from: SpanId(2), to: SpanId(1), kind: "attributed_to".into() }];
    // A merge's field conflicts, written after the relations and read by both readers.
    doc.conflicts = vec![
        FieldConflict { field: "title".into(), theirs: "Their \"title\" #\"".into() },
        FieldConflict { field: "doc_label:genre".into(), theirs: String::new() },
    ];
    project.documents.push(doc);
    project.documents.push(Document::new(DocId("empty".into()), "", "x"));
    let mut theirs_claim = project.schema.labels[0].clone();
    theirs_claim.color = crate::model::Rgb([1, 2, 3]);
    project.conflicts = vec![
        ProjectConflict::Name { theirs: "their \"name\"".into() },
        ProjectConflict::Label { name: "Claim".into(), theirs: Some(theirs_claim) },
        ProjectConflict::Rule { name: "verbs".into(), theirs: None },
    ];
    project.next_span_id = 4;
    project.next_relation_id = 2;
    project
}

fn projects() -> Vec<Project> {
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/sample.ron");
    vec![
        Project::new("empty"),
        awkward_project(),
        synth::corpus(&CorpusSpec { docs: 20, words_per_doc: 300, spans_per_doc: 30, relations_per_doc: 4, seed: 5 }),
        super::load(&sample).unwrap(),
    ]
}

#[test]
fn writer_gives_the_same_bytes_as_the_ron_serializer() {
    for project in projects() {
        assert_eq!(write::project_text(&project).unwrap(), ron_text(&project), "{}", project.name);
    }
}

#[test]
fn fast_reader_reads_what_ron_reads() {
    for project in projects() {
        let text = ron_text(&project);
        let fast = fast::parse(&text).unwrap_or_else(|| panic!("fast path refused {}", project.name));
        let slow: ProjectFile = ron::from_str(&text).unwrap();
        let fast = project_of(fast);
        assert_eq!(fast, project_of(slow));
        assert_eq!(fast, project);
    }
}

/// Hand edits the fast reader leaves to ron: each must still load, to the same project.
#[test]
fn unusual_but_valid_files_load_through_ron() {
    let project = awkward_project();
    let text = ron_text(&project);
    let variants = [
        text.replacen("(\n    format: 1,", "// a comment\n(\n    format: 1,", 1),
        text.replacen("(\n    format: 1,", "ProjectFile(\n    format: 1,", 1),
        text.replacen("label: \"Source\"", "label: \"Sour\\u{63}e\"", 1),
        text.replacen("id: \"d-1\",", "id: \"d-1\", /* inline */", 1),
        text.replacen("(id: 1, from: 2", "(id: 0x1, from: 2", 1),
        text.replacen("status: NeedsReview,", "status: NeedsReview, future_field: 3,", 1),
    ];
    for (i, variant) in variants.iter().enumerate() {
        assert_ne!(variant, &text, "variant {i} changed nothing");
        assert!(fast::parse(variant).is_none(), "variant {i} should be left to ron");
        match super::from_bytes(Path::new("v.ron"), variant.as_bytes()) {
            Ok(loaded) => assert_eq!(loaded, project, "variant {i}"),
            // ron refuses some of them itself; then the error must be a proper located message.
            Err(err) => assert!(err.to_string().starts_with("v.ron"), "variant {i}: {err}"),
        }
    }
}

#[test]
fn duplicate_fields_are_left_to_ron() {
    let text = ron_text(&awkward_project()).replacen("status: NeedsReview,", "status: NeedsReview, status: Done,", 1);
    assert!(fast::parse(&text).is_none());
    assert!(super::from_bytes(Path::new("v.ron"), text.as_bytes()).is_err());
}
