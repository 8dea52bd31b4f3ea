//! Property tests over random projects and edit sequences. The default run uses a few hundred cases;
//! set `PROPTEST_CASES=10000` for the long run (see README, "Tests").
//!
//! Properties: invariants hold after every applied edit; a refused edit changes nothing; undoing every
//! edit restores the start and redoing them restores the end; save → load is identity; every span's
//! offsets convert to char boundaries of multi-byte text.

use std::path::Path;

use factmark::edit::{Edit, History};
use factmark::model::{
    AttrValue, CharIdx, DocId, DocStatus, Document, Project, Relation, RelationId, Span, SpanId, validate,
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
        1 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

const LABELS: [&str; 4] = ["Claim", "Opinion", "Source", "NotALabel"];

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
        Op::Undo | Op::Redo => return None,
    })
}

/// The part of a project edits are about (id counters only grow and are not restored by undo).
fn content(p: &Project) -> (&Vec<Document>, &str) {
    (&p.documents, &p.name)
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
