//! Which spans touch a range of chars, without scanning every span of a long document each frame.
//!
//! A document's spans are kept sorted by start. With the running maximum of their ends, the spans touching
//! `a..b` are found by a binary search for the last start before `b`, then a walk back that stops as soon
//! as no earlier span can reach past `a`. Rebuilt once per project revision (one pass over the spans).

use std::ops::Range;

use crate::model::{DocId, Document, Span};

/// The running maximum of span ends for one document at one revision.
pub struct SpanIndex {
    doc: DocId,
    revision: u64,
    max_end: Vec<usize>,
    /// Indices into the document's relations, by the span they start from (for drawing arcs of the
    /// spans in sight without walking every relation each frame).
    from: std::collections::HashMap<crate::model::SpanId, Vec<usize>>,
}

impl SpanIndex {
    /// Indexes `doc`'s spans.
    pub fn new(doc: &Document, revision: u64) -> SpanIndex {
        SpanIndex { doc: doc.id.clone(), revision, max_end: max_ends(doc), from: relations_by_start(doc) }
    }

    /// Brings the index up to `revision`, to which `doc` changed by one edit that left its relations
    /// alone (`relations_kept`): only the span part is redone. Anything else rebuilds the index.
    pub fn refresh(slot: &mut Option<SpanIndex>, doc: &Document, revision: u64, relations_kept: bool) {
        match slot {
            Some(index) if index.is_for(&doc.id, revision) => {}
            Some(index) if index.doc == doc.id && index.revision + 1 == revision && relations_kept => {
                index.max_end = max_ends(doc);
                index.revision = revision;
            }
            _ => *slot = Some(SpanIndex::new(doc, revision)),
        }
    }

    /// Relations starting at `span` (indices into the document's relations).
    pub fn relations_from(&self, span: crate::model::SpanId) -> &[usize] {
        self.from.get(&span).map_or(&[], Vec::as_slice)
    }

    /// Whether this index describes `doc` at `revision`.
    pub fn is_for(&self, doc: &DocId, revision: u64) -> bool {
        self.doc == *doc && self.revision == revision
    }

    /// Spans overlapping `range` (chars), in stored order (outer spans before the spans nested in them).
    pub fn in_range<'d>(&self, doc: &'d Document, range: Range<usize>) -> impl Iterator<Item = &'d Span> {
        let spans = if self.max_end.len() == doc.spans.len() { doc.spans.as_slice() } else { &[] };
        let end = spans.partition_point(|s| s.start.0 < range.end);
        let mut first = end;
        while first > 0 && self.max_end[first - 1] > range.start {
            first -= 1;
        }
        spans[first..end].iter().filter(move |s| s.end.0 > range.start)
    }
}

/// The running maximum of span ends, in stored order.
fn max_ends(doc: &Document) -> Vec<usize> {
    let mut running = 0;
    doc.spans
        .iter()
        .map(|s| {
            running = running.max(s.end.0);
            running
        })
        .collect()
}

/// Relations by the span they start from. Relations change far less often than spans, so this part of
/// the index survives span edits.
fn relations_by_start(doc: &Document) -> std::collections::HashMap<crate::model::SpanId, Vec<usize>> {
    let mut from: std::collections::HashMap<crate::model::SpanId, Vec<usize>> = std::collections::HashMap::new();
    for (i, rel) in doc.relations.iter().enumerate() {
        from.entry(rel.from).or_default().push(i);
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharIdx, SpanId};

    #[test]
    fn finds_exactly_the_overlapping_spans() {
        let mut doc = Document::new(DocId("d".into()), "t", "x".repeat(100));
        for (id, (a, b)) in [(0, 50), (5, 8), (20, 30), (60, 70), (65, 66)].into_iter().enumerate() {
            doc.spans.push(Span::new(SpanId(id as u64), CharIdx(a)..CharIdx(b), "Claim", ""));
        }
        let index = SpanIndex::new(&doc, 0);
        for range in [0..1, 8..20, 29..61, 66..100, 50..60, 0..100] {
            let got: Vec<u64> = index.in_range(&doc, range.clone()).map(|s| s.id.0).collect();
            let want: Vec<u64> =
                doc.spans.iter().filter(|s| s.start.0 < range.end && s.end.0 > range.start).map(|s| s.id.0).collect();
            assert_eq!(got, want, "{range:?}");
        }
    }

    #[test]
    fn a_refreshed_index_matches_a_new_one() {
        let mut doc = Document::new(DocId("d".into()), "t", "x".repeat(100));
        doc.spans.push(Span::new(SpanId(1), CharIdx(10)..CharIdx(20), "Claim", ""));
        doc.relations.push(crate::model::Relation {
            id: crate::model::RelationId(1),
            from: SpanId(1),
            to: SpanId(1),
            kind: "attributed_to".into(),
        });
        let mut slot = Some(SpanIndex::new(&doc, 0));
        doc.spans.insert(0, Span::new(SpanId(2), CharIdx(0)..CharIdx(90), "Claim", ""));
        SpanIndex::refresh(&mut slot, &doc, 1, true);
        let index = slot.as_ref().expect("index");
        assert!(index.is_for(&doc.id, 1));
        assert_eq!(index.max_end, SpanIndex::new(&doc, 1).max_end);
        assert_eq!(index.in_range(&doc, 50..60).map(|s| s.id.0).collect::<Vec<_>>(), [2]);
        assert_eq!(index.relations_from(SpanId(1)), [0]);
        // Relations changed (or two revisions passed): rebuilt.
        doc.relations.clear();
        SpanIndex::refresh(&mut slot, &doc, 2, false);
        assert!(slot.as_ref().expect("index").relations_from(SpanId(1)).is_empty());
    }
}
