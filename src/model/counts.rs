//! What a document holds, counted: the figures project statistics are made of. A project folder keeps
//! them in each document's index line, next to the hashes of the two files they were counted from, so
//! that statistics of 100,000 documents need not parse and tokenize every one (see
//! `store::folder::FolderIndex::counted`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::document::Document;
use super::span::Changed;
use crate::text::tokens::word_count;

/// A document's counts beyond its spans per label (which an index line holds anyway). Serialised in the
/// index with empty maps and zeros left out, so a line grows only by what the document has.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocCounts {
    /// Words of the text: tokens with a letter or digit.
    pub words: usize,
    /// Characters of the text.
    pub chars: usize,
    /// Spans per annotator (`""` for spans with none).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotators: BTreeMap<String, usize>,
    /// Relations per type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub relations: BTreeMap<String, usize>,
    /// Spans that lie inside another span of the document.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub nested: usize,
    /// Spans that came from accepted suggestions, per label (the span's label now).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub suggested: BTreeMap<String, usize>,
    /// Of those, the ones kept exactly as suggested, per label.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub kept: BTreeMap<String, usize>,
    /// Decisions a merge left in the document: groups of spans flagged as alternatives, and fields (and
    /// relations, or the document itself) in conflict.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub conflicts: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl DocCounts {
    /// Counts `doc`, tokenizing its text.
    pub fn of(doc: &Document) -> DocCounts {
        DocCounts::with_text(doc, word_count(&doc.text), doc.char_len())
    }

    /// Counts `doc` with its text's `words` and `chars` already known: a save whose text did not change
    /// takes them from the index line instead of tokenizing the text again.
    pub fn with_text(doc: &Document, words: usize, chars: usize) -> DocCounts {
        let mut counts = DocCounts { words, chars, nested: nested_spans(doc), ..DocCounts::default() };
        for span in &doc.spans {
            *counts.annotators.entry(span.annotator.clone()).or_default() += 1;
            if let Some(changed) = span.from_suggestion() {
                *counts.suggested.entry(span.label.clone()).or_default() += 1;
                if changed == Changed::No {
                    *counts.kept.entry(span.label.clone()).or_default() += 1;
                }
            }
        }
        for rel in &doc.relations {
            *counts.relations.entry(rel.kind.clone()).or_default() += 1;
        }
        // A span conflict is its group (the alternatives together), as the curation walk counts it.
        let mut groups: Vec<u64> =
            doc.spans.iter().filter_map(|s| s.conflict_group().map(|(group, _)| group)).collect();
        groups.sort_unstable();
        groups.dedup();
        counts.conflicts = groups.len() + doc.conflicts.len();
        counts
    }

    /// Spans in all (the sum over annotators).
    pub fn spans(&self) -> usize {
        self.annotators.values().sum()
    }
}

/// Spans contained in an earlier, longer-or-equal span. Spans are sorted by start then longest first, so a
/// span is nested exactly when some earlier span reaches at least as far; tracking the furthest end seen
/// makes this one pass.
fn nested_spans(doc: &Document) -> usize {
    let mut furthest = None;
    let mut nested = 0;
    for span in &doc.spans {
        if furthest.is_some_and(|end| end >= span.end) {
            nested += 1;
        }
        furthest = Some(furthest.map_or(span.end, |end: super::CharIdx| end.max(span.end)));
    }
    nested
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharIdx, DocId, Relation, RelationId, Span, SpanId};

    #[test]
    fn counts_words_annotators_relations_nesting_suggestions_and_conflicts() {
        let mut doc = Document::new(DocId("d".into()), "T", "U.S. officials said “it will act” — soon.");
        doc.insert_span(Span::new(SpanId(1), CharIdx(0)..CharIdx(14), "Source", "ana"));
        let mut inner = Span::new(SpanId(2), CharIdx(0)..CharIdx(4), "Source", "");
        inner.origin = "suggest:tagger".into();
        doc.insert_span(inner);
        let mut changed = Span::new(SpanId(3), CharIdx(20)..CharIdx(33), "Claim", "bo");
        changed.origin = "suggest:tagger (changed)".into();
        changed.conflict = "3/ours".into();
        doc.insert_span(changed);
        doc.relations.push(Relation { id: RelationId(1), from: SpanId(1), to: SpanId(3), kind: "supports".into() });
        let counts = DocCounts::of(&doc);
        // U.S. / officials / said / it / will / act / soon: quotes, the dash and the full stop are no words.
        assert_eq!((counts.words, counts.chars), (7, 41));
        assert_eq!(counts.annotators, BTreeMap::from([(String::new(), 1), ("ana".into(), 1), ("bo".into(), 1)]));
        assert_eq!(counts.spans(), 3);
        assert_eq!(counts.relations["supports"], 1);
        assert_eq!(counts.nested, 1);
        assert_eq!(counts.suggested, BTreeMap::from([("Claim".into(), 1), ("Source".into(), 1)]));
        assert_eq!(counts.kept, BTreeMap::from([("Source".into(), 1)]));
        assert_eq!(counts.conflicts, 1);
    }
}
