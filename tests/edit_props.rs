//! Property tests over random projects and edit sequences. The default run uses a few hundred cases;
//! set `PROPTEST_CASES=10000` for the long run (see README, "Tests").
//!
//! Properties: invariants hold after every applied edit; a refused edit changes nothing; undoing every
//! edit restores the start and redoing them restores the end (the whole project: documents, schema and
//! rules); save → load is identity; every span's offsets convert to char boundaries of multi-byte text.
//! The random operations produce every kind of [`Edit`] (checked by
//! `the_operations_produce_every_kind_of_edit`).

use std::path::Path;

use factmark::edit::{Edit, History};
use factmark::model::{
    AttrValue, CharIdx, DocId, DocStatus, Document, FieldConflict, LabelDef, Metadata, Project, ProjectConflict,
    Relation, RelationId, ReviewState, Rgb, RuleKind, Schema, Span, SpanId, SuggestRule, validate,
};
use factmark::store;
use factmark::text::offsets::OffsetMap;
use proptest::prelude::*;

/// Texts mixing ASCII, accents, combining marks, astral emoji, curly quotes, dashes and newlines.
fn text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("a"),
            Just("word "),
            Just("é"),
            Just("e\u{301}"),
            Just("😡"),
            Just("👩‍👩‍👧"),
            Just("“"),
            Just("”"),
            Just("—"),
            Just("\n"),
            Just("\n\n"),
            Just("10,000"),
            Just("’"),
            Just(" "),
            Just("\""),
            Just("\\"),
            Just("\t"),
            Just("r#\""),
        ],
        1..40,
    )
    .prop_map(|parts| parts.concat())
}

#[derive(Clone, Debug)]
enum Op {
    Add { doc: usize, a: usize, b: usize, label: usize },
    Remove { pick: usize },
    Relabel { pick: usize, label: usize },
    Resize { pick: usize, a: usize, b: usize },
    Note { pick: usize, note: String },
    Attr { pick: usize, on: bool },
    Link { from: usize, to: usize },
    Unlink { pick: usize },
    Status { doc: usize, status: usize },
    RemoveDoc { doc: usize },
    Review { pick: usize, state: usize },
    Title { doc: usize, title: String },
    Meta { doc: usize, author: String },
    DocNote { doc: usize, note: String },
    DocLabel { doc: usize, on: bool },
    AddDoc { index: usize, text: String },
    MoveDoc { doc: usize, index: usize },
    Schema { change: usize, key: char },
    Rules { add: bool, label: usize },
    RecommendersOff { cues: bool },
    Origin { pick: usize, origin: String },
    RenameLabel { from: usize, to: usize },
    RenameRelationType { to_cites: bool },
    Batch { remove: usize, note: usize },
    DocConflicts { doc: usize, theirs: Option<String> },
    ProjectName { name: String },
    ProjectConflicts { on: bool },
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize, 0..80usize, 0..80usize, 0..4usize).prop_map(|(doc, a, b, label)| Op::Add { doc, a, b, label }),
        1 => (0..50usize).prop_map(|pick| Op::Remove { pick }),
        1 => (0..50usize, 0..4usize).prop_map(|(pick, label)| Op::Relabel { pick, label }),
        1 => (0..50usize, 0..80usize, 0..80usize).prop_map(|(pick, a, b)| Op::Resize { pick, a, b }),
        1 => (0..50usize, "[a-z “”😡\n]{0,8}").prop_map(|(pick, note)| Op::Note { pick, note }),
        1 => (0..50usize, any::<bool>()).prop_map(|(pick, on)| Op::Attr { pick, on }),
        2 => (0..50usize, 0..50usize).prop_map(|(from, to)| Op::Link { from, to }),
        1 => (0..20usize).prop_map(|pick| Op::Unlink { pick }),
        1 => (0..3usize, 0..4usize).prop_map(|(doc, status)| Op::Status { doc, status }),
        1 => (0..6usize).prop_map(|doc| Op::RemoveDoc { doc }),
        1 => (0..50usize, 0..3usize).prop_map(|(pick, state)| Op::Review { pick, state }),
        1 => (0..3usize, "[A-Za-zé’ ]{0,10}").prop_map(|(doc, title)| Op::Title { doc, title }),
        1 => (0..3usize, "[A-Za-zé ]{0,10}").prop_map(|(doc, author)| Op::Meta { doc, author }),
        1 => (0..3usize, "[a-z “”\n]{0,8}").prop_map(|(doc, note)| Op::DocNote { doc, note }),
        1 => (0..3usize, any::<bool>()).prop_map(|(doc, on)| Op::DocLabel { doc, on }),
        1 => (0..4usize, text()).prop_map(|(index, text)| Op::AddDoc { index, text }),
        1 => (0..4usize, 0..4usize).prop_map(|(doc, index)| Op::MoveDoc { doc, index }),
        1 => (0..3usize, prop_oneof![Just('1'), Just('c'), Just('C'), Just('x')]).prop_map(|(change, key)| Op::Schema { change, key }),
        1 => (any::<bool>(), 0..4usize).prop_map(|(add, label)| Op::Rules { add, label }),
        1 => any::<bool>().prop_map(|cues| Op::RecommendersOff { cues }),
        1 => (0..50usize, "(suggest:[a-z.]{0,6}( changed)?)?").prop_map(|(pick, origin)| Op::Origin { pick, origin }),
        1 => (0..4usize, 0..4usize).prop_map(|(from, to)| Op::RenameLabel { from, to }),
        1 => any::<bool>().prop_map(|to_cites| Op::RenameRelationType { to_cites }),
        1 => (0..50usize, 0..50usize).prop_map(|(remove, note)| Op::Batch { remove, note }),
        1 => (0..3usize, proptest::option::of("[A-Za-z “”\\\"#]{0,8}")).prop_map(|(doc, theirs)| Op::DocConflicts { doc, theirs }),
        1 => "[A-Za-zé “\\\"]{0,10}".prop_map(|name| Op::ProjectName { name }),
        1 => any::<bool>().prop_map(|on| Op::ProjectConflicts { on }),
        1 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

const LABELS: [&str; 4] = ["Claim", "Opinion", "Source", "NotALabel"];

/// Names labels are renamed between: some taken, some new.
const RENAMES: [&str; 4] = ["Claim", "Fact", "Opinion", "View"];

/// A schema change: a label added (with a key that may clash, in either case), the last label dropped
/// (refused while spans use it), or the first label's key changed.
fn changed_schema(schema: &Schema, change: usize, key: char) -> Schema {
    let mut schema = schema.clone();
    match change {
        0 => schema.labels.push(LabelDef {
            name: format!("Extra{}", schema.labels.len()),
            color: Rgb([10, 20, 30]),
            key: Some(key),
            guideline: String::new(),
            attributes: Vec::new(),
        }),
        1 => {
            schema.labels.pop();
        }
        _ => {
            if let Some(first) = schema.labels.first_mut() {
                first.key = Some(key);
            }
        }
    }
    schema
}

fn all_spans(p: &Project) -> Vec<(DocId, SpanId)> {
    p.documents.iter().flat_map(|d| d.spans.iter().map(move |s| (d.id.clone(), s.id))).collect()
}

fn all_relations(p: &Project) -> Vec<(DocId, RelationId)> {
    p.documents.iter().flat_map(|d| d.relations.iter().map(move |r| (d.id.clone(), r.id))).collect()
}

/// Turns a random op into an edit on the current project (some deliberately invalid).
fn to_edit(p: &mut Project, op: &Op) -> Option<Edit> {
    let spans = all_spans(p);
    let pick = |i: usize| spans.get(i % spans.len().max(1)).cloned();
    Some(match op {
        Op::Add { doc, a, b, label } => {
            let doc = p.documents.get(*doc % p.documents.len().max(1))?.id.clone();
            let span = Span::new(p.alloc_span_id(), CharIdx(*a.min(b))..CharIdx(*a.max(b)), LABELS[*label], "prop");
            Edit::AddSpan { doc, span, relations: vec![] }
        }
        Op::Remove { pick: i } => {
            let (doc, span) = pick(*i)?;
            Edit::RemoveSpan { doc, span }
        }
        Op::Relabel { pick: i, label } => {
            let (doc, span) = pick(*i)?;
            Edit::SetSpanLabel { doc, span, label: LABELS[*label].into() }
        }
        Op::Resize { pick: i, a, b } => {
            let (doc, span) = pick(*i)?;
            Edit::SetSpanRange { doc, span, range: CharIdx(*a.min(b))..CharIdx(*a.max(b)) }
        }
        Op::Note { pick: i, note } => {
            let (doc, span) = pick(*i)?;
            Edit::SetSpanNote { doc, span, note: note.clone() }
        }
        Op::Attr { pick: i, on } => {
            let (doc, span) = pick(*i)?;
            Edit::SetSpanAttr { doc, span, name: "check_worthy".into(), value: Some(AttrValue::Bool(*on)) }
        }
        Op::Link { from, to } => {
            let (doc, from) = pick(*from)?;
            let (_, to) = pick(*to)?;
            Edit::AddRelation {
                doc,
                relation: Relation { id: p.alloc_relation_id(), from, to, kind: "attributed_to".into() },
            }
        }
        Op::Unlink { pick: i } => {
            let rels = all_relations(p);
            let (doc, relation) = rels.get(i % rels.len().max(1))?.clone();
            Edit::RemoveRelation { doc, relation }
        }
        Op::Status { doc, status } => {
            let doc = p.documents.get(*doc % p.documents.len().max(1))?.id.clone();
            Edit::SetDocStatus { doc, status: DocStatus::ALL[*status] }
        }
        Op::RemoveDoc { doc } => {
            Edit::RemoveDocument { doc: p.documents.get(*doc % p.documents.len().max(1))?.id.clone() }
        }
        Op::Review { pick: i, state } => {
            let (doc, span) = pick(*i)?;
            let review = [ReviewState::Unreviewed, ReviewState::Accepted, ReviewState::Rejected][*state];
            Edit::SetSpanReview { doc, span, review, reviewer: review.reviewer("rev") }
        }
        Op::Title { doc, title } => Edit::SetDocTitle {
            doc: p.documents.get(*doc % p.documents.len().max(1))?.id.clone(),
            title: title.clone(),
        },
        Op::Meta { doc, author } => Edit::SetDocMeta {
            doc: p.documents.get(*doc % p.documents.len().max(1))?.id.clone(),
            meta: Metadata { author: author.clone(), date: "2024-10-31".into(), ..Metadata::default() },
        },
        Op::DocNote { doc, note } => {
            Edit::SetDocNote { doc: p.documents.get(*doc % p.documents.len().max(1))?.id.clone(), note: note.clone() }
        }
        Op::DocLabel { doc, on } => {
            let set = p.schema.doc_labels.first()?;
            let value = if *on { set.choices.first().cloned() } else { None };
            Edit::SetDocLabel {
                doc: p.documents.get(*doc % p.documents.len().max(1))?.id.clone(),
                set: set.name.clone(),
                value,
            }
        }
        Op::AddDoc { index, text } => {
            let id = DocId(format!("added{}", p.documents.len()));
            Edit::AddDocument { index: *index, document: Box::new(Document::new(id, "Added", text.clone())) }
        }
        Op::MoveDoc { doc, index } => {
            Edit::MoveDocument { doc: p.documents.get(*doc % p.documents.len().max(1))?.id.clone(), index: *index }
        }
        Op::Schema { change, key } => Edit::SetSchema { schema: Box::new(changed_schema(&p.schema, *change, *key)) },
        Op::Rules { add, label } => {
            let mut rules = p.rules.clone();
            if *add {
                rules.push(SuggestRule {
                    name: format!("rule {}", rules.len()),
                    kind: RuleKind::Phrase,
                    pattern: "said".into(),
                    label: LABELS[*label].into(),
                    case_sensitive: false,
                    enabled: true,
                });
            } else {
                rules.pop();
            }
            Edit::SetRules { rules }
        }
        Op::RecommendersOff { cues } => {
            let off = if *cues { vec!["cues".to_string(), "tagger".to_string()] } else { Vec::new() };
            Edit::SetRecommendersOff { off }
        }
        Op::Origin { pick: i, origin } => {
            let (doc, span) = pick(*i)?;
            Edit::SetSpanOrigin { doc, span, origin: origin.clone() }
        }
        Op::RenameLabel { from, to } => Edit::RenameLabel { from: LABELS[*from].into(), to: RENAMES[*to].into() },
        Op::RenameRelationType { to_cites } => {
            let (from, to) = if *to_cites { ("attributed_to", "cites") } else { ("cites", "attributed_to") };
            Edit::RenameRelationType { from: from.into(), to: to.into() }
        }
        Op::Batch { remove, note } => {
            let (doc_a, a) = pick(*remove)?;
            let (doc_b, b) = pick(*note)?;
            Edit::Batch {
                name: "Two at once".into(),
                edits: vec![
                    Edit::SetSpanNote { doc: doc_b, span: b, note: "batched".into() },
                    Edit::RemoveSpan { doc: doc_a, span: a },
                ],
            }
        }
        Op::DocConflicts { doc, theirs } => Edit::SetDocConflicts {
            doc: p.documents.get(*doc % p.documents.len().max(1))?.id.clone(),
            conflicts: theirs
                .iter()
                .map(|t| FieldConflict { field: "title".into(), theirs: t.clone() })
                .chain([FieldConflict { field: "doc_label:genre".into(), theirs: String::new() }])
                .collect(),
        },
        Op::ProjectName { name } => Edit::SetProjectName { name: name.clone() },
        Op::ProjectConflicts { on } => {
            let mut recoloured = p.schema.labels.first()?.clone();
            recoloured.color = Rgb([1, 2, 3]);
            let conflicts = if *on {
                vec![
                    ProjectConflict::Name { theirs: "their \"name\"".into() },
                    ProjectConflict::Label { name: recoloured.name.clone(), theirs: Some(recoloured) },
                ]
            } else {
                Vec::new()
            };
            Edit::SetProjectConflicts { conflicts }
        }
        Op::Undo | Op::Redo => return None,
    })
}

/// The kind of an edit. An exhaustive match: a new kind of edit does not compile until it is named here,
/// and then `the_operations_produce_every_kind_of_edit` fails until an operation produces it.
fn kind(edit: &Edit) -> &'static str {
    match edit {
        Edit::AddSpan { .. } => "AddSpan",
        Edit::RemoveSpan { .. } => "RemoveSpan",
        Edit::SetSpanLabel { .. } => "SetSpanLabel",
        Edit::SetSpanRange { .. } => "SetSpanRange",
        Edit::SetSpanNote { .. } => "SetSpanNote",
        Edit::SetSpanOrigin { .. } => "SetSpanOrigin",
        Edit::SetSpanAttr { .. } => "SetSpanAttr",
        Edit::SetSpanReview { .. } => "SetSpanReview",
        Edit::AddRelation { .. } => "AddRelation",
        Edit::RemoveRelation { .. } => "RemoveRelation",
        Edit::SetDocStatus { .. } => "SetDocStatus",
        Edit::SetDocTitle { .. } => "SetDocTitle",
        Edit::SetDocMeta { .. } => "SetDocMeta",
        Edit::SetDocNote { .. } => "SetDocNote",
        Edit::SetDocLabel { .. } => "SetDocLabel",
        Edit::SetDocConflicts { .. } => "SetDocConflicts",
        Edit::SetProjectName { .. } => "SetProjectName",
        Edit::SetProjectConflicts { .. } => "SetProjectConflicts",
        Edit::AddDocument { .. } => "AddDocument",
        Edit::RemoveDocument { .. } => "RemoveDocument",
        Edit::MoveDocument { .. } => "MoveDocument",
        Edit::SetSchema { .. } => "SetSchema",
        Edit::SetRules { .. } => "SetRules",
        Edit::SetRecommendersOff { .. } => "SetRecommendersOff",
        Edit::RenameLabel { .. } => "RenameLabel",
        Edit::RenameRelationType { .. } => "RenameRelationType",
        Edit::Batch { .. } => "Batch",
    }
}

/// Every kind of edit, as [`kind`] names them.
const KINDS: [&str; 27] = [
    "AddSpan",
    "RemoveSpan",
    "SetSpanLabel",
    "SetSpanRange",
    "SetSpanNote",
    "SetSpanOrigin",
    "SetSpanAttr",
    "SetSpanReview",
    "AddRelation",
    "RemoveRelation",
    "SetDocStatus",
    "SetDocTitle",
    "SetDocMeta",
    "SetDocNote",
    "SetDocLabel",
    "SetDocConflicts",
    "SetProjectName",
    "SetProjectConflicts",
    "AddDocument",
    "RemoveDocument",
    "MoveDocument",
    "SetSchema",
    "SetRules",
    "SetRecommendersOff",
    "RenameLabel",
    "RenameRelationType",
    "Batch",
];

#[test]
fn the_operations_produce_every_kind_of_edit() {
    let mut p = Project::new("kinds");
    p.documents.push(Document::new(DocId("d0".into()), "Doc", "Officials said the bridge “will close” — soon."));
    let span = Span::new(p.alloc_span_id(), CharIdx(0)..CharIdx(9), "Source", "t");
    p.documents[0].spans.push(span);
    let ops = [
        Op::Add { doc: 0, a: 15, b: 25, label: 0 },
        Op::Remove { pick: 0 },
        Op::Relabel { pick: 0, label: 1 },
        Op::Resize { pick: 0, a: 0, b: 8 },
        Op::Note { pick: 0, note: "n".into() },
        Op::Attr { pick: 0, on: true },
        Op::Review { pick: 0, state: 1 },
        Op::Link { from: 0, to: 0 },
        Op::Unlink { pick: 0 },
        Op::Status { doc: 0, status: 1 },
        Op::Title { doc: 0, title: "T".into() },
        Op::Meta { doc: 0, author: "A".into() },
        Op::DocNote { doc: 0, note: "n".into() },
        Op::DocLabel { doc: 0, on: true },
        Op::AddDoc { index: 0, text: "x".into() },
        Op::RemoveDoc { doc: 0 },
        Op::MoveDoc { doc: 0, index: 1 },
        Op::Schema { change: 0, key: '1' },
        Op::Rules { add: true, label: 0 },
        Op::RecommendersOff { cues: true },
        Op::Origin { pick: 0, origin: "suggest:x".into() },
        Op::RenameLabel { from: 0, to: 1 },
        Op::RenameRelationType { to_cites: true },
        Op::Batch { remove: 0, note: 0 },
        Op::DocConflicts { doc: 0, theirs: Some("t".into()) },
        Op::ProjectName { name: "n".into() },
        Op::ProjectConflicts { on: true },
    ];
    // The Relation op needs a relation to remove: give the document one first.
    let rel = Relation { id: p.alloc_relation_id(), from: SpanId(1), to: SpanId(1), kind: "attributed_to".into() };
    p.documents[0].relations.push(rel);
    let mut seen: Vec<&str> = ops.iter().filter_map(|op| to_edit(&mut p.clone(), op)).map(|e| kind(&e)).collect();
    seen.sort_unstable();
    seen.dedup();
    let mut all = KINDS.to_vec();
    all.sort_unstable();
    assert_eq!(seen, all, "an operation per kind of edit");
}

/// The part of a project edits are about: all of it but the id counters (they only grow, and undo does
/// not wind them back).
type Content<'p> =
    (&'p Vec<Document>, &'p str, &'p Schema, &'p Vec<SuggestRule>, &'p Vec<String>, &'p Vec<ProjectConflict>);

fn content(p: &Project) -> Content<'_> {
    (&p.documents, &p.name, &p.schema, &p.rules, &p.recommenders_off, &p.conflicts)
}

fn check_offsets(p: &Project) {
    for doc in &p.documents {
        let map = OffsetMap::new(&doc.text);
        for span in &doc.spans {
            let bytes = map.byte_range(span.range()).expect("span converts to bytes");
            assert!(doc.text.is_char_boundary(bytes.start) && doc.text.is_char_boundary(bytes.end));
            let utf16 = map.utf16_range(span.range()).expect("span converts to UTF-16");
            assert_eq!(map.char_range_from_utf16(utf16).expect("and back"), span.range());
        }
    }
}

/// 256 cases by default; `PROPTEST_CASES` overrides (the documented long run uses 10,000).
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn random_edit_sequences_keep_invariants_and_undo_exactly(texts in proptest::collection::vec(text(), 1..4), ops in proptest::collection::vec(op(), 1..60)) {
        let mut p = Project::new("prop");
        for (i, t) in texts.iter().enumerate() {
            p.documents.push(Document::new(DocId(format!("d{i}")), format!("Doc {i}"), t.clone()));
        }
        let start = p.clone();
        let mut h = History::new();
        for op in &ops {
            match op {
                Op::Undo => { h.undo(&mut p).expect("undo of a recorded edit applies"); }
                Op::Redo => { h.redo(&mut p).expect("redo of an undone edit applies"); }
                _ => {
                    let Some(edit) = to_edit(&mut p, op) else { continue };
                    let before = p.clone();
                    if h.apply(&mut p, edit).is_err() {
                        prop_assert_eq!(content(&p), content(&before), "a refused edit changed the project");
                    }
                }
            }
            let problems = validate::problems(&p);
            prop_assert!(problems.is_empty(), "invariants broken after {:?}: {:?}", op, problems);
        }
        check_offsets(&p);
        let end = p.clone();
        let mut undone = 0;
        while h.undo(&mut p).expect("undo applies").is_some() {
            undone += 1;
        }
        prop_assert_eq!(content(&p), content(&start));
        for _ in 0..undone {
            h.redo(&mut p).expect("redo applies");
        }
        prop_assert_eq!(content(&p), content(&end));

        let ron = store::to_ron(&p).expect("serialises");
        let loaded = store::from_bytes(Path::new("prop.ron"), ron.as_bytes()).expect("loads what it saved");
        prop_assert_eq!(&loaded, &p);
        prop_assert_eq!(store::to_ron(&loaded).expect("serialises"), ron);
    }
}
