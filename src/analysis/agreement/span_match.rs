//! Span-level agreement: how many of two annotators' spans (of one label) match, exactly or by overlap,
//! and the precision, recall and F1 that follow.
//!
//! Matching is one-to-one in both modes, so one span can never be credited twice and tp, fp and fn always
//! add up: tp + fp = A's spans, tp + fn = B's spans. A is read as the "prediction" and B as the
//! "reference": precision = tp / A's spans, recall = tp / B's spans, F1 = 2·tp / (A's + B's spans), which
//! is the same whichever annotator is called A.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::Serialize;

use super::figure::Figure;

/// Spans compared and matched, added up over documents and labels.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MatchCounts {
    /// A's spans.
    pub spans_a: usize,
    /// B's spans.
    pub spans_b: usize,
    /// Pairs matched one-to-one.
    pub matched: usize,
}

impl MatchCounts {
    /// Adds another set of counts.
    pub fn add(&mut self, other: MatchCounts) {
        self.spans_a += other.spans_a;
        self.spans_b += other.spans_b;
        self.matched += other.matched;
    }

    /// The scores these counts give.
    pub fn scores(&self) -> SpanScores {
        let tp = self.matched;
        SpanScores {
            spans_a: self.spans_a,
            spans_b: self.spans_b,
            tp,
            fp: self.spans_a - tp,
            fn_: self.spans_b - tp,
            precision: Figure::ratio(tp as f64, self.spans_a as f64, || "the first annotator has no spans here".into()),
            recall: Figure::ratio(tp as f64, self.spans_b as f64, || "the second annotator has no spans here".into()),
            f1: Figure::ratio(2.0 * tp as f64, (self.spans_a + self.spans_b) as f64, || {
                "neither annotator has spans here".into()
            }),
        }
    }
}

/// Precision, recall and F1 with their counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SpanScores {
    /// A's spans.
    pub spans_a: usize,
    /// B's spans.
    pub spans_b: usize,
    /// Matched pairs.
    pub tp: usize,
    /// A's spans without a match.
    pub fp: usize,
    /// B's spans without a match.
    #[serde(rename = "fn")]
    pub fn_: usize,
    /// tp / A's spans.
    pub precision: Figure,
    /// tp / B's spans.
    pub recall: Figure,
    /// 2·tp / (A's + B's spans).
    pub f1: Figure,
}

/// Exact matches between two lists of ranges (of one label): the size of their multiset intersection,
/// so a range annotated twice by A and once by B matches once.
pub fn exact_matches(a: &[Range<usize>], b: &[Range<usize>]) -> usize {
    let mut counts: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
    for r in a {
        counts.entry((r.start, r.end)).or_default().0 += 1;
    }
    for r in b {
        counts.entry((r.start, r.end)).or_default().1 += 1;
    }
    counts.values().map(|&(x, y)| x.min(y)).sum()
}

/// Overlap matches between two lists of ranges (of one label): the largest one-to-one pairing in which
/// paired ranges share at least one character. A maximum bipartite matching (augmenting paths), because
/// greedy pairing can miss matches when one long span overlaps several short ones.
pub fn overlap_matches(a: &[Range<usize>], b: &[Range<usize>]) -> usize {
    let overlaps = |x: &Range<usize>, y: &Range<usize>| x.start < y.end && y.start < x.end;
    let mut b_order: Vec<usize> = (0..b.len()).collect();
    b_order.sort_by_key(|&j| (b[j].start, b[j].end));
    // Candidate lists: B's ranges overlapping each of A's, found from B sorted by start.
    let edges: Vec<Vec<usize>> = a
        .iter()
        .map(|x| {
            let stop = b_order.partition_point(|&j| b[j].start < x.end);
            b_order[..stop].iter().copied().filter(|&j| overlaps(x, &b[j])).collect()
        })
        .collect();
    let mut owner: Vec<Option<usize>> = vec![None; b.len()];
    let mut matched = 0;
    for i in 0..a.len() {
        let mut seen = vec![false; b.len()];
        if augment(i, &edges, &mut owner, &mut seen) {
            matched += 1;
        }
    }
    matched
}

/// Kuhn's augmenting path from A's range `i`, iterative so long chains cannot overflow the stack.
fn augment(start: usize, edges: &[Vec<usize>], owner: &mut [Option<usize>], seen: &mut [bool]) -> bool {
    // Each frame: (A-side node, next edge to try, the B node we came through).
    let mut stack: Vec<(usize, usize, Option<usize>)> = vec![(start, 0, None)];
    while let Some(frame) = stack.last_mut() {
        let (node, next) = (frame.0, frame.1);
        let Some(&j) = edges[node].get(next) else {
            stack.pop();
            continue;
        };
        frame.1 += 1;
        if seen[j] {
            continue;
        }
        seen[j] = true;
        match owner[j] {
            None => {
                // Free B node: flip the path. Each frame's `via` is the B node that led to the next frame.
                let mut free = j;
                while let Some((a_node, _, via)) = stack.pop() {
                    owner[free] = Some(a_node);
                    match via {
                        Some(v) => free = v,
                        None => break,
                    }
                }
                return true;
            }
            Some(other) => stack.push((other, 0, Some(j))),
        }
    }
    false
}

#[cfg(test)]
#[allow(clippy::single_range_in_vec_init)] // lists of one range are what these tests are about
mod tests {
    use super::*;

    #[test]
    fn exact_is_a_multiset_intersection() {
        assert_eq!(exact_matches(&[0..3, 0..3, 5..7], &[0..3, 5..8]), 1);
    }

    #[test]
    fn overlap_finds_the_largest_one_to_one_pairing() {
        // A's long span overlaps both of B's; A's short span overlaps only the first. Greedy pairing of the
        // long span with B[0] would leave the short one unmatched; the maximum matching pairs both.
        let a = [0..10, 0..2];
        let b = [1..3, 6..8];
        assert_eq!(overlap_matches(&a, &b), 2);
        // Touching is not overlapping: ranges are half-open.
        assert_eq!(overlap_matches(&[0..3], &[3..5]), 0);
        assert_eq!(overlap_matches(&[0..3, 1..2], &[2..4]), 1);
    }

    #[test]
    fn counts_add_up() {
        let s = MatchCounts { spans_a: 4, spans_b: 5, matched: 3 }.scores();
        assert_eq!((s.tp, s.fp, s.fn_), (3, 1, 2));
        assert_eq!(s.f1, Figure::Value(6.0 / 9.0));
        assert!(MatchCounts::default().scores().f1.reason().is_some());
    }
}
