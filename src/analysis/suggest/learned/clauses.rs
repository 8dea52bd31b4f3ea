//! The clause recommender: proposes sentence- and clause-long spans (Claim, Opinion, or any label whose
//! spans are such units) on the boundaries the project's annotators use.
//!
//! Two logistic regressions, trained on the project's human spans:
//! - the **unit** model says whether a candidate (see [`super::units`]) is a span someone would mark — it
//!   sees the edges: the words just outside and just inside, whether the unit is the whole sentence, what
//!   the built-in attribution cue thinks the content is;
//! - the **label** model says which label a unit gets — it sees the words (and word pairs) inside and the
//!   built-in claim and opinion cues.
//!
//! A candidate's score for a label is P(unit) × P(label | unit). Per sentence, candidates are taken best
//! first while they clear the threshold and do not overlap one already taken.

use std::ops::Range;

use super::features::{FastMap, FeatureSet, shape, size_bucket, suffix};
use super::linear::{Example, Linear, Train};
use super::units::{Edges, SentenceCue, Tokens, candidates, is_punct};
use crate::analysis::suggest::{cues_claim, cues_opinion};
use crate::model::CharIdx;

/// Unmarked candidates kept in full before thinning (about 300 articles' worth).
const NEGATIVE_BUDGET: usize = 300_000;

/// Spans per document looked at to decide whether a label is clause-long.
const FIT_SAMPLE: usize = 20;

/// A word becomes a learned unit edge once seen this often next to a span's start or end.
const MIN_EDGE_COUNT: usize = 2;

/// Lowest unit probability a clause suggestion needs. Low on purpose: under the time model a wrong
/// suggestion costs one second to reject and a right one saves four, so recall pays (chosen on the gold
/// set's dev part, tests/gold/dev).
pub(crate) const THRESHOLD: f32 = 0.3;
/// Most weight a marked unit gets against the unmarked candidates around it (dev part: 8 gave more
/// recall than 2 or 4 at the same precision).
const MAX_UNIT_WEIGHT: f32 = 8.0;

/// A trained clause recommender.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct ClauseModel {
    /// The labels it proposes, in the label model's class order.
    labels: Vec<String>,
    /// Start and end words learned from the spans.
    edges: Edges,
    unit: Linear,
    label: Linear,
}

/// A proposed unit.
pub(crate) struct Proposal {
    pub range: Range<CharIdx>,
    pub label: String,
    pub score: f32,
}

/// Features of a candidate's edges, for the unit model.
fn unit_features(doc: &Tokens<'_>, s: &Range<usize>, c: &Range<usize>, cue: &SentenceCue, edges: &Edges) -> FeatureSet {
    let mut f = FeatureSet::with_capacity(40);
    f.bias();
    let lw = |i: usize| doc.lower.get(i).map_or("", String::as_str);
    let before = |k: usize| if c.start >= s.start + k { lw(c.start - k) } else { "<s>" };
    let after = |k: usize| if c.end + k - 1 < s.end { lw(c.end + k - 1) } else { "</s>" };
    let whole_start = c.start == first_word(doc, s);
    let whole_end = after(1) == "</s>" || (c.end..s.end).all(|i| is_punct(doc.word(i)));
    f.add2("edges", if whole_start { "S" } else { "-" }, if whole_end { "E" } else { "-" });
    f.add("b1", before(1));
    f.add2("b12", before(2), before(1));
    f.add("a1", after(1));
    f.add2("a12", after(1), after(2));
    f.add("first", lw(c.start));
    f.add("last", lw(c.end - 1));
    f.add("firstshape", &shape(doc.word(c.start)));
    f.add2("b1first", before(1), &shape(doc.word(c.start)));
    f.add2("first2", &shape(doc.word(c.start)), lw(c.start + 1));
    if c.len() >= 2 {
        f.add2("last2", lw(c.end - 2), lw(c.end - 1));
    }
    // Frame words inside the unit ("said", "found", a speaker's "Caldeira:"): a unit that holds the
    // attribution frame is usually not what the annotators mark.
    let mut frame = 0;
    for i in c.start + 1..c.end {
        let w = lw(i);
        if edges.after.contains(w) || edges.before.contains(w) {
            frame += 1;
            f.add("frame", w);
        }
    }
    f.add_num("frames", size_bucket(frame));
    f.add_num("len", size_bucket(c.len()));
    f.add_num("share", (c.len() * 10 / s.len().max(1)) as i64);
    let commas = (c.clone()).filter(|&i| doc.word(i) == ",").count();
    f.add_num("commas", size_bucket(commas));
    let quotes = (c.clone()).filter(|&i| matches!(doc.word(i), "“" | "”" | "\"")).count();
    f.add_num("quotes", quotes as i64);
    // Words of the frame around the unit (reporting verbs, "according to"), as a bag.
    for k in 1..=4 {
        if c.end + k - 1 < s.end {
            f.add("after", lw(c.end + k - 1));
        }
        if c.start >= s.start + k {
            f.add("before", lw(c.start - k));
        }
    }
    let cue_content = cue.content.as_ref();
    f.add2(
        "cue",
        match cue_content {
            Some(r) if r == c => "content",
            Some(r) if r.start <= c.start && c.end <= r.end => "inside",
            Some(r) if c.start <= r.start && r.end <= c.end => "around",
            Some(_) => "other",
            None => "none",
        },
        match &cue.source {
            Some(r) if c.start <= r.start && r.end <= c.end => "has-source",
            Some(r) if r.end <= c.start || c.end <= r.start => "apart",
            Some(_) => "cuts-source",
            None => "-",
        },
    );
    f
}

fn first_word(doc: &Tokens<'_>, s: &Range<usize>) -> usize {
    (s.clone()).find(|&i| !is_punct(doc.word(i))).unwrap_or(s.start)
}

/// Features of a unit's content, for the label model.
fn label_features(doc: &Tokens<'_>, c: &Range<usize>) -> FeatureSet {
    let mut f = FeatureSet::with_capacity(4 * c.len() + 8);
    f.bias();
    let mut prev = "<s>";
    for i in c.clone() {
        let w = doc.lower[i].as_str();
        f.add("w", w);
        f.add2("bi", prev, w);
        if w.chars().count() > 4 {
            f.add("suf", suffix(w, 3));
        }
        if w.chars().any(|ch| ch.is_ascii_digit()) {
            f.add("has", "digit");
        }
        prev = w;
    }
    f.add("last", doc.lower[c.end - 1].as_str());
    let text = doc.text.get(doc.tokens[c.start].bytes.0..doc.tokens[c.end - 1].bytes.1).unwrap_or("");
    if let Some((rule, _)) = cues_opinion::opinion_cue(text) {
        f.add("cue", rule);
    }
    if let Some((rule, _)) = cues_claim::claim_cue(text) {
        f.add("cue", rule);
    }
    f
}

/// Training input: a document and its human spans of the labels this model may learn.
pub(crate) struct Gold<'a> {
    pub doc: &'a Tokens<'a>,
    pub spans: Vec<(Range<CharIdx>, &'a str)>,
}

impl ClauseModel {
    /// Whether a loaded clause model's parts fit its labels.
    pub fn check(&self) -> Result<(), String> {
        self.unit.check("clause unit model", 2)?;
        let classes = if self.labels.len() > 1 { self.labels.len() } else { 1 };
        self.label.check("clause label model", classes)
    }

    /// Trains on `docs` for `labels` (the labels judged to be clause-long).
    pub fn train(labels: Vec<String>, docs: &[Gold<'_>]) -> ClauseModel {
        let index: FastMap<&str, usize> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
        let edges = Edges::learn(
            docs.iter().flat_map(|g| {
                g.spans
                    .iter()
                    .filter(|(_, l)| index.contains_key(l))
                    .filter_map(|(r, _)| Some((g.doc, g.doc.token_range(r.clone())?)))
            }),
            MIN_EDGE_COUNT,
        );
        let mut unit_examples = Vec::new();
        let mut label_examples = Vec::new();
        // A large project has far more candidates than a model needs: after the first NEGATIVE_BUDGET,
        // unmarked ones are thinned out (weighted up to match), so training stays in its time budget.
        let sentences: usize = docs.iter().map(|g| g.doc.sentences.len()).sum();
        let thin = (sentences * 25 / NEGATIVE_BUDGET).max(1);
        let mut seen = 0usize;
        for gold in docs {
            let doc = gold.doc;
            let mut marked: FastMap<Range<usize>, usize> = FastMap::default();
            for (range, label) in &gold.spans {
                let Some(&class) = index.get(label) else { continue };
                let Some(tokens) = doc.token_range(range.clone()) else { continue };
                label_examples.push(Example { features: label_features(doc, &tokens), class, weight: 1.0 });
                marked.insert(tokens, class);
            }
            for (si, s) in doc.sentences.iter().enumerate() {
                let cue = &doc.cues[si];
                for c in candidates(doc, s.clone(), &edges) {
                    let class = usize::from(marked.contains_key(&c));
                    seen += 1;
                    // Past the budget, one unmarked candidate in `thin` is kept, standing for the others.
                    if class == 0 && seen > NEGATIVE_BUDGET && !seen.is_multiple_of(thin) {
                        continue;
                    }
                    let weight = if class == 0 && seen > NEGATIVE_BUDGET { thin as f32 } else { 1.0 };
                    let features = unit_features(doc, s, &c, cue, &edges);
                    unit_examples.push(Example { features, class, weight });
                }
            }
        }
        // Candidates outnumber units several times over; weigh units up so "no" is not the safe answer.
        let positives = unit_examples.iter().filter(|e| e.class == 1).count().max(1);
        let boost = ((unit_examples.len() - positives) as f32 / positives as f32).clamp(1.0, MAX_UNIT_WEIGHT);
        for e in unit_examples.iter_mut().filter(|e| e.class == 1) {
            e.weight = boost;
        }
        let unit = Linear::train(2, &unit_examples, Train::default());
        let label = if labels.len() > 1 {
            Linear::train(labels.len(), &label_examples, Train::default())
        } else {
            Linear::empty(1)
        };
        ClauseModel { labels, edges, unit, label }
    }

    /// The labels it proposes.
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// Whether it learned anything.
    pub fn is_trained(&self) -> bool {
        self.unit.is_trained() && !self.labels.is_empty()
    }

    /// Proposals for `doc`, best first within each sentence, none overlapping another.
    pub fn propose(&self, doc: &Tokens<'_>, threshold: f32) -> Vec<Proposal> {
        let mut out = Vec::new();
        if !self.is_trained() {
            return out;
        }
        for (si, s) in doc.sentences.iter().enumerate() {
            let cue = &doc.cues[si];
            let mut scored: Vec<(f32, usize, Range<usize>)> = candidates(doc, s.clone(), &self.edges)
                .into_iter()
                .filter_map(|c| {
                    let unit = self.unit.probabilities(&unit_features(doc, s, &c, cue, &self.edges))[1];
                    if unit < threshold {
                        return None;
                    }
                    let (class, p) = if self.labels.len() > 1 {
                        let probs = self.label.probabilities(&label_features(doc, &c));
                        probs.iter().copied().enumerate().fold((0, 0.0), |b, x| if x.1 > b.1 { x } else { b })
                    } else {
                        (0, 1.0)
                    };
                    Some((unit * p, class, c))
                })
                .collect();
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            let mut taken: Vec<Range<usize>> = Vec::new();
            for (score, class, c) in scored {
                if score < threshold * 0.5 || taken.iter().any(|t| t.start < c.end && c.start < t.end) {
                    continue;
                }
                out.push(Proposal { range: doc.chars(c.clone()), label: self.labels[class].clone(), score });
                taken.push(c);
            }
        }
        out
    }
}

/// The share of `spans` that are exactly one of the candidates of their sentence: how well this model's
/// units fit a label (a label whose spans rarely fit is left to the tagger).
pub(crate) fn unit_fit(doc: &Tokens<'_>, spans: &[Range<CharIdx>]) -> (usize, usize) {
    let mut fit = 0;
    // A sample is enough to tell clauses from phrases; a document's first spans are that sample.
    let spans = &spans[..spans.len().min(FIT_SAMPLE)];
    for range in spans {
        let Some(tokens) = doc.token_range(range.clone()) else { continue };
        let Some(s) = doc.sentence_of(tokens.start) else { continue };
        if candidates(doc, doc.sentences[s].clone(), &Edges::default()).contains(&tokens) {
            fit += 1;
        }
    }
    (fit, spans.len())
}
