//! The folder's fast readers against the `ron` crate they stand in for: every file factmark writes is read
//! by the fast path, to exactly what `ron` reads; hand-edited files either read the same or go to `ron`.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Serialize;

use super::super::{DocFile, INDEX, Index, IndexEntry, SHARD_LAYOUT, SHARDED_FORMAT, Shard, to_text};
use super::{doc_file, index, shard};
use crate::model::{
    AttrValue, CharIdx, DocCounts, DocId, DocStatus, Metadata, Relation, RelationId, ReviewState, Schema, SpanId,
};
use crate::store::file::{FORMAT_VERSION, SpanRecord};
use crate::synth::{self, CorpusSpec};

/// `value` as factmark writes it (the comparison is of these texts: the file shapes have no `PartialEq`).
fn written<T: Serialize>(value: &T) -> String {
    to_text(value, std::path::Path::new("test.ron")).unwrap()
}

/// The fast reader's result, which must exist, is what ron reads from `text`.
fn fast_reads_as_ron<T: Serialize + serde::de::DeserializeOwned>(text: &str, fast: Option<T>) {
    let ron: T = ron::from_str(text).unwrap_or_else(|e| panic!("ron refuses {text}: {e}"));
    let fast = fast.unwrap_or_else(|| panic!("the fast reader gave up on a file factmark wrote:\n{text}"));
    assert_eq!(written(&fast), written(&ron), "{text}");
}

/// Where the fast reader accepts `text`, it reads what ron reads; where ron refuses it, so does the fast
/// reader (it never accepts a file ron would refuse).
fn agrees<T: Serialize + serde::de::DeserializeOwned>(text: &str, fast: Option<T>) -> bool {
    let ron = ron::from_str::<T>(text);
    match (fast, ron) {
        (Some(fast), Ok(ron)) => {
            assert_eq!(written(&fast), written(&ron), "{text}");
            true
        }
        (Some(_), Err(e)) => panic!("the fast reader accepted what ron refuses ({e}): {text}"),
        (None, _) => false,
    }
}

#[test]
fn every_file_of_a_generated_folder_reads_fast_as_ron_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("g.factmark");
    let mut project = synth::corpus(&CorpusSpec { docs: 12, ..CorpusSpec::scale() });
    project.documents[0].note = "a \"note\" with \\ and\nlines".into();
    project.documents[1].doc_labels.insert("topic".into(), "ünïcödé 😀".into());
    crate::store::save(&project, &folder).unwrap();
    let index_text = std::fs::read_to_string(folder.join(INDEX)).unwrap();
    fast_reads_as_ron::<Index>(&index_text, index(&index_text));
    let mut shards = 0;
    for file in std::fs::read_dir(folder.join("index")).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        fast_reads_as_ron::<Shard>(&text, shard(&text));
        // The counts are kept as the line writes them, so a line read and written again is the same line.
        for line in shard(&text).unwrap().documents {
            let counts = line.counts.expect("every line factmark writes keeps counts");
            assert_eq!(super::super::LineCounts::new(&counts.get().unwrap()), counts);
        }
        shards += 1;
    }
    assert_eq!(shards, 1);
    let mut docs = 0;
    for file in std::fs::read_dir(folder.join("docs")).unwrap() {
        let path = file.unwrap().path();
        if path.extension().is_some_and(|e| e == "ron") {
            let text = std::fs::read_to_string(&path).unwrap();
            fast_reads_as_ron::<DocFile>(&text, doc_file(&text));
            docs += 1;
        }
    }
    assert_eq!(docs, 12);
}

/// Text with what makes string reading hard: quotes, backslashes, `#`, raw-string look-alikes, line breaks,
/// tabs, brackets and commas, and characters of every UTF-8 length.
fn awkward() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-z \"\\\\#r(){}\\[\\],:\n\té‘😀]{0,14}").unwrap()
}

fn entry(id: String, title: String, label: String, count: usize, status: DocStatus) -> IndexEntry {
    let spans = if count == 0 { BTreeMap::new() } else { BTreeMap::from([(label, count)]) };
    // Every other line keeps counts, their maps keyed by the awkward strings too (annotators may be "").
    let counts = (count % 2 == 1).then(|| DocCounts {
        words: count * 7,
        chars: count * 40,
        annotators: spans.iter().map(|(label, n)| (label.clone(), *n)).collect(),
        relations: BTreeMap::from([(title.clone(), count)]),
        nested: count / 2,
        suggested: spans.clone(),
        kept: BTreeMap::new(),
        conflicts: count,
    });
    let counts = counts.map(|c| super::super::LineCounts::new(&c));
    IndexEntry { id: DocId(id), title, status, spans, text: "ab12".into(), annotations: String::new(), counts }
}

fn statuses() -> impl Strategy<Value = DocStatus> {
    prop_oneof![Just(DocStatus::Todo), Just(DocStatus::InProgress), Just(DocStatus::NeedsReview), Just(DocStatus::Done)]
}

proptest! {
    #[test]
    fn index_lines_with_awkward_strings_read_as_ron_reads_them(
        lines in proptest::collection::vec((awkward(), awkward(), awkward(), 0usize..4, statuses()), 0..6),
        name in awkward(),
        next in 1u64..u64::MAX,
    ) {
        let documents: Vec<IndexEntry> =
            lines.into_iter().map(|(id, title, label, n, status)| entry(id, title, label, n, status)).collect();
        let shard_file = Shard {
            format: FORMAT_VERSION,
            layout: SHARD_LAYOUT.into(),
            next_span_id: next,
            next_relation_id: 1,
            documents: documents.clone(),
        };
        let text = written(&shard_file);
        fast_reads_as_ron::<Shard>(&text, shard(&text));
        for (format, shards, documents) in [(SHARDED_FORMAT, vec![name.clone(), "0001".into()], vec![]), (1, vec![], documents)] {
            let index_file = Index {
                format,
                layout: "folder".into(),
                name: name.clone(),
                next_span_id: next,
                next_relation_id: 3,
                schema: Schema::default(),
                rules: vec![],
                recommenders_off: vec![name.clone()],
                conflicts: vec![],
                shards,
                documents,
            };
            let text = written(&index_file);
            fast_reads_as_ron::<Index>(&text, index(&text));
        }
    }

    #[test]
    fn document_files_with_awkward_strings_read_as_ron_reads_them(
        title in awkward(),
        note in awkward(),
        author in awkward(),
        label in awkward(),
        key in awkward(),
        value in awkward(),
        number in -1.0e6f64..1.0e6,
        start in 0usize..1000,
    ) {
        let mut attributes = BTreeMap::new();
        attributes.insert(key.clone(), AttrValue::Text(value.clone()));
        attributes.insert(format!("{key}#n"), AttrValue::Number(number));
        attributes.insert(format!("{key}#b"), AttrValue::Bool(start % 2 == 0));
        let span = SpanRecord {
            id: SpanId(start as u64 + 1),
            start: CharIdx(start),
            end: CharIdx(start + 3),
            label: label.clone(),
            text: value.clone(),
            annotator: author.clone(),
            note: note.clone(),
            attributes,
            review: ReviewState::Rejected,
            reviewer: key.clone(),
            origin: title.clone(),
            conflict: String::new(),
        };
        let file = DocFile {
            format: FORMAT_VERSION,
            id: DocId(key.clone()),
            title,
            meta: Metadata { author, url: value.clone(), ..Metadata::default() },
            status: DocStatus::InProgress,
            doc_labels: BTreeMap::from([(key, value.clone())]),
            note,
            spans: vec![span.clone(), SpanRecord { attributes: BTreeMap::new(), ..span }],
            relations: vec![Relation { id: RelationId(7), from: SpanId(1), to: SpanId(2), kind: label }],
            // A field a merge left in conflict (read through ron inside the fast reader).
            conflicts: vec![crate::model::FieldConflict { field: "note".into(), theirs: value.clone() }],
        };
        let text = written(&file);
        fast_reads_as_ron::<DocFile>(&text, doc_file(&text));
    }
}

#[test]
fn hand_edited_files_read_as_ron_reads_them_or_go_to_ron() {
    let line = r#"(id: "a", title: "A", status: Done, spans: {"Claim": 2}, text: "h", annotations: "g")"#;
    let shard_text = |documents: &str| {
        format!("(format: 1, layout: \"index shard\", next_span_id: 4, next_relation_id: 2, documents: [{documents}])")
    };
    // Read by the fast path: empty maps, no spans field, fields in another order, a trailing comma, CRLF.
    for ok in [
        line.to_string(),
        line.replace(r#"spans: {"Claim": 2}, "#, ""),
        line.replace(r#"{"Claim": 2}"#, "{}"),
        r#"(annotations: "g", text: "h", spans: {}, status: Todo, title: "Zoë “quoted” 😀", id: "a b",)"#.into(),
        line.replace(", ", ",\r\n  "),
    ] {
        assert!(agrees::<Shard>(&shard_text(&ok), shard(&shard_text(&ok))), "the fast path should read {ok}");
    }
    // Valid RON the fast path leaves to ron: escapes, comments, struct names, unknown fields, raw
    // identifiers; and broken files, which both refuse.
    for odd in [
        line.replace(r#"title: "A""#, r#"title: "A \"quoted\" \u{e9}""#),
        format!("// a comment\n{line}"),
        format!("IndexEntry{line}"),
        line.replace("status: Done", "status: Done, colour: 3"),
        line.replace(r#"text: "h""#, r#"text: "h", text: "h""#),
        line.replace("2}", "02}"),
        line.replace("status: Done", "status: Finished"),
        line.replace(r#""a""#, "\"a"),
    ] {
        let text = shard_text(&odd);
        assert!(!agrees::<Shard>(&text, shard(&text)), "the fast path should leave {odd} to ron");
    }
    let doc = "(format: 1, id: \"d\", title: \"T\", meta: (), status: Todo, spans: [], relations: [])";
    assert!(agrees::<DocFile>(doc, doc_file(doc)));
    let doc_with_comment = doc.replace("spans: []", "/* none */ spans: []");
    assert!(!agrees::<DocFile>(&doc_with_comment, doc_file(&doc_with_comment)));
    assert!(ron::from_str::<DocFile>(&doc_with_comment).is_ok());
}
