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
        let mut running = 0;
        let max_end = doc
            .spans
            .iter()
            .map(|s| {
                running = running.max(s.end.0);
                running
            })
            .collect();
        let mut from: std::collections::HashMap<crate::model::SpanId, Vec<usize>> = std::collections::HashMap::new();
        for (i, rel) in doc.relations.iter().enumerate() {
            from.entry(rel.from).or_default().push(i);
        }
        SpanIndex { doc: doc.id.clone(), revision, max_end, from }
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
}
