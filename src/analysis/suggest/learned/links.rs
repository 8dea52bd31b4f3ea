//! The link recommender: proposes a relation (attribution: Source → the Claim or Opinion it introduces)
//! between spans, human or suggested, learned from the project's own relations.
//!
//! For each relation type with examples, a logistic regression over pairs (a span that may start it, a
//! span that may end it, in the same sentence or the next or previous one) sees where the two sit: same
//! sentence or not, which comes first, whether one holds the other, how many tokens lie between, the words
//! between when they are few (", said", "according to"). Each start span gets its best end when that
//! clears one half.

use std::collections::HashSet;
use std::ops::Range;

use super::features::{FastMap, FeatureSet, size_bucket};
use super::linear::{Example, Linear, Train};
use super::units::Tokens;
use crate::model::{CharIdx, RelationTypeDef};

/// A span as the link model sees it.
#[derive(Clone, Debug)]
pub(crate) struct End {
    pub range: Range<CharIdx>,
    pub label: String,
}

/// A training document for the link model: its tokens, its spans, and which pairs of them are linked.
pub(crate) type LinkedDoc<'a> = (&'a Tokens<'a>, Vec<End>, HashSet<(usize, usize)>);

/// A trained model for one relation type.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct LinkModel {
    pub kind: String,
    from: Vec<String>,
    to: Vec<String>,
    model: Linear,
}

fn token_of(doc: &Tokens<'_>, c: CharIdx) -> usize {
    doc.tokens.partition_point(|t| t.end <= c)
}

fn pair_features(doc: &Tokens<'_>, a: &End, b: &End) -> Option<FeatureSet> {
    let (a0, a1) = (token_of(doc, a.range.start), token_of(doc, CharIdx(a.range.end.0.saturating_sub(1))));
    let (b0, b1) = (token_of(doc, b.range.start), token_of(doc, CharIdx(b.range.end.0.saturating_sub(1))));
    let (sa, sb) = (doc.sentence_of(a0)?, doc.sentence_of(b0)?);
    let dist = sb as i64 - sa as i64;
    if dist.abs() > 1 {
        return None;
    }
    let mut f = FeatureSet::with_capacity(16);
    f.bias();
    f.add_num("sent", dist);
    f.add2("labels", &a.label, &b.label);
    let order = if b0 <= a0 && a1 <= b1 {
        "in"
    } else if a0 <= b0 && b1 <= a1 {
        "holds"
    } else if a1 < b0 {
        "before"
    } else if b1 < a0 {
        "after"
    } else {
        "cross"
    };
    f.add("order", order);
    f.add2("order-sent", order, &dist.to_string());
    let gap = match order {
        "before" => a1 + 1..b0,
        "after" => b1 + 1..a0,
        _ => 0..0,
    };
    f.add_num("gap", size_bucket(gap.len()));
    // Whether the built-in attribution cue pairs them (its speaker in one, its content in the other).
    let cue = &doc.cues[sa];
    let touches =
        |r: &Option<Range<usize>>, x0: usize, x1: usize| r.as_ref().is_some_and(|r| r.start <= x1 && x0 < r.end);
    f.add2(
        "cue",
        if touches(&cue.source, a0, a1) { "src" } else { "-" },
        if sa == sb && touches(&cue.content, b0, b1) { "content" } else { "-" },
    );
    if gap.len() <= 5 {
        for i in gap.clone() {
            f.add2("between", order, &doc.lower[i]);
        }
    }
    Some(f)
}

/// The spans grouped by the sentence they start in, so each span is paired only with those of its own
/// sentence and the two around it (a long report has tens of thousands of spans: all pairs would be
/// hundreds of millions).
struct Nearby {
    sentence: Vec<Option<usize>>,
    by_sentence: FastMap<usize, Vec<usize>>,
}

impl Nearby {
    fn new(doc: &Tokens<'_>, ends: &[End]) -> Nearby {
        let sentence: Vec<Option<usize>> = ends.iter().map(|e| doc.sentence_of(token_of(doc, e.range.start))).collect();
        let mut by_sentence: FastMap<usize, Vec<usize>> = FastMap::default();
        for (i, s) in sentence.iter().enumerate() {
            if let Some(s) = s {
                by_sentence.entry(*s).or_default().push(i);
            }
        }
        Nearby { sentence, by_sentence }
    }

    /// Indices of the spans in the sentence of span `i` and the ones before and after it.
    fn around(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        let s = self.sentence.get(i).copied().flatten();
        s.into_iter()
            .flat_map(|s| [s.checked_sub(1), Some(s), Some(s + 1)])
            .flatten()
            .flat_map(|s| self.by_sentence.get(&s).into_iter().flatten().copied())
    }
}

impl LinkModel {
    /// Whether a loaded link model is a yes/no model.
    pub fn check(&self) -> Result<(), String> {
        self.model.check(&format!("link model {:?}", self.kind), 2)
    }

    /// Trains for relation type `def` on documents with their spans and relations (pairs of indices
    /// into the spans).
    pub fn train(def: &RelationTypeDef, docs: &[LinkedDoc<'_>]) -> LinkModel {
        let mut examples = Vec::new();
        for (doc, ends, linked) in docs {
            let near = Nearby::new(doc, ends);
            for (i, a) in ends.iter().enumerate() {
                if !def.from.iter().any(|l| l == &a.label) {
                    continue;
                }
                for j in near.around(i) {
                    let b = &ends[j];
                    if i == j || !def.to.iter().any(|l| l == &b.label) {
                        continue;
                    }
                    let Some(features) = pair_features(doc, a, b) else { continue };
                    examples.push(Example { features, class: usize::from(linked.contains(&(i, j))), weight: 1.0 });
                }
            }
        }
        LinkModel {
            kind: def.name.clone(),
            from: def.from.clone(),
            to: def.to.clone(),
            model: Linear::train(2, &examples, Train::default()),
        }
    }

    /// For each span that may start this relation, its best end among `ends` (index pairs and score).
    pub fn propose(&self, doc: &Tokens<'_>, ends: &[End]) -> Vec<(usize, usize, f32)> {
        let mut out = Vec::new();
        if !self.model.is_trained() {
            return out;
        }
        let near = Nearby::new(doc, ends);
        for (i, a) in ends.iter().enumerate() {
            if !self.from.iter().any(|l| l == &a.label) {
                continue;
            }
            let best = near
                .around(i)
                .map(|j| (j, &ends[j]))
                .filter(|(j, b)| *j != i && self.to.iter().any(|l| l == &b.label))
                .filter_map(|(j, b)| Some((j, self.model.probabilities(&pair_features(doc, a, b)?)[1])))
                .max_by(|x, y| x.1.total_cmp(&y.1));
            if let Some((j, p)) = best
                && p >= 0.5
            {
                out.push((i, j, p));
            }
        }
        out
    }
}
