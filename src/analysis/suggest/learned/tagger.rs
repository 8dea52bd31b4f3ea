//! The tagger recommender: proposes short spans (Source, or any label whose spans are phrases rather than
//! clauses) by tagging tokens Begin / Inside / Outside, one tagger per label so nested spans of different
//! labels work.
//!
//! An averaged perceptron over hashed token features — the word, its shape and affixes, its neighbours
//! two either side, and the words up to four tokens away that the project's own Source spans sit next to
//! (the reporting verbs and "according to" of *this* project, learned, not listed). Decoding is greedy
//! left to right with the previous tag as a feature. A span's score is the mean, over its tokens, of the
//! softmax of the perceptron's scores for the tags it got.

use std::ops::Range;

use super::features::{BUCKETS, FastMap, FastSet, FeatureSet, shape, suffix};
use super::units::Tokens;
use crate::model::CharIdx;

const OUT: usize = 0;
const BEGIN: usize = 1;
const INSIDE: usize = 2;
const TAGS: usize = 3;
const EPOCHS: usize = 5;
/// Most token visits in one training (tokens × epochs).
const MAX_TOKEN_VISITS: usize = 2_000_000;
/// Words seen right next to a label's spans at least this often become its context words.
const MIN_CONTEXT_COUNT: usize = 2;

/// A training document for a tagger: its tokens, their features, and the label's spans in it.
pub(crate) type TaggedDoc<'a> = (&'a Tokens<'a>, &'a [FeatureSet], Vec<Range<CharIdx>>);

/// A trained tagger for one label.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Tagger {
    pub label: String,
    /// `weights[bucket * TAGS + tag]`.
    #[serde(with = "super::saved::sparse")]
    weights: Vec<f32>,
    /// Words found within four tokens of this label's spans, in the training documents.
    context: FastSet<String>,
}

/// The features of every token of a document that do not depend on the tags (computed once per
/// document and shared by all the label taggers).
pub(crate) fn token_features(doc: &Tokens<'_>) -> Vec<FeatureSet> {
    let n = doc.tokens.len();
    let lw = |i: isize| -> &str { if i < 0 || i as usize >= n { "<>" } else { doc.lower[i as usize].as_str() } };
    // Each token's shape is used three times (its own, and as a neighbour's): made once.
    let shapes: Vec<String> = (0..n).map(|i| shape(doc.word(i))).collect();
    let sh = |i: isize| -> &str { if i < 0 || i as usize >= n { "<>" } else { shapes[i as usize].as_str() } };
    let mut sentence = 0;
    (0..n)
        .map(|i| {
            let mut f = FeatureSet::with_capacity(18);
            let ii = i as isize;
            let w = lw(ii);
            f.bias();
            f.add("w", w);
            f.add("shape", sh(ii));
            f.add("suf", suffix(w, 3));
            f.add("pre", w.get(..w.char_indices().nth(3).map_or(w.len(), |(b, _)| b)).unwrap_or(""));
            f.add("w-1", lw(ii - 1));
            f.add("w+1", lw(ii + 1));
            f.add("w-2", lw(ii - 2));
            f.add("w+2", lw(ii + 2));
            f.add2("w-1w", lw(ii - 1), w);
            f.add2("ww+1", w, lw(ii + 1));
            f.add("shape-1", sh(ii - 1));
            f.add("shape+1", sh(ii + 1));
            // Tokens come in order, so the sentence index only moves forward.
            while doc.sentences.get(sentence).is_some_and(|s| s.end <= i) {
                sentence += 1;
            }
            let in_sentence = doc.sentences.get(sentence).filter(|s| s.contains(&i));
            if in_sentence.is_some_and(|s| s.start == i) {
                f.add("first", "");
            }
            // Where the built-in attribution cue puts the speaker: the tagger learns how far to trust it.
            if let Some(cue) = in_sentence.and_then(|_| doc.cues[sentence].source.as_ref()) {
                let at = if cue.start == i {
                    "B"
                } else if cue.contains(&i) {
                    "I"
                } else if cue.end == i {
                    "after"
                } else {
                    "O"
                };
                f.add("cue", at);
                f.add2("cue-w", at, w);
            }
            f
        })
        .collect()
}

/// Per token of `doc`, whether it is one of the label's context words (looked up once per document, not
/// once per neighbour per epoch).
fn context_flags(doc: &Tokens<'_>, context: &FastSet<String>) -> Vec<bool> {
    doc.lower.iter().map(|w| context.contains(w)).collect()
}

/// Features of the context words near token `i`: "ctx+k" when the word k tokens after is one, "ctx-k"
/// when k before. These let the tagger find a speaker by its verb.
fn context_features(doc: &Tokens<'_>, flags: &[bool], i: usize, f: &mut Vec<u32>) {
    let mut set = FeatureSet::default();
    for k in 1..=4usize {
        if flags.get(i + k).copied().unwrap_or(false) {
            set.add_num("ctx+", k as i64);
            set.add2("ctxw+", &doc.lower[i + k], "");
        }
        if i.checked_sub(k).is_some_and(|j| flags[j]) {
            set.add_num("ctx-", k as i64);
        }
    }
    f.extend(set.ids);
}

fn tag_feature(prev: usize) -> u32 {
    let mut set = FeatureSet::default();
    set.add_num("prev", prev as i64);
    set.ids[0]
}

fn scores(weights: &[f32], ids: &[u32], out: &mut [f32; TAGS]) {
    *out = [0.0; TAGS];
    for &id in ids {
        let base = id as usize * TAGS;
        for (t, o) in out.iter_mut().enumerate() {
            *o += weights[base + t];
        }
    }
}

/// Best allowed tag: Inside only after Begin or Inside.
fn best(s: &[f32; TAGS], prev: usize) -> usize {
    let mut best = OUT;
    for t in [BEGIN, INSIDE] {
        if t == INSIDE && prev == OUT {
            continue;
        }
        if s[t] > s[best] {
            best = t;
        }
    }
    best
}

impl Tagger {
    /// Whether a loaded tagger's weights cover every bucket and tag.
    pub fn check(&self) -> Result<(), String> {
        let what = format!("tagger {:?}", self.label);
        if self.weights.is_empty() {
            return Err(format!("{what}: no weights"));
        }
        super::saved::check_weights(&what, &self.weights, TAGS)
    }

    /// Trains a tagger for `label` on documents with their spans of that label.
    pub fn train(label: &str, docs: &[TaggedDoc<'_>]) -> Tagger {
        let context = context_words(docs);
        let flags: Vec<Vec<bool>> = docs.iter().map(|(doc, _, _)| context_flags(doc, &context)).collect();
        let size = BUCKETS * TAGS;
        let mut w = vec![0.0f32; size];
        let mut u = vec![0.0f32; size];
        let mut step = 1.0f32;
        let mut ids = Vec::new();
        let mut s = [0.0; TAGS];
        // As with the linear models: a large project needs fewer passes.
        let tokens: usize = docs.iter().map(|(d, _, _)| d.tokens.len()).sum();
        let epochs = EPOCHS.min(MAX_TOKEN_VISITS / tokens.max(1)).max(1);
        for _ in 0..epochs {
            for ((doc, feats, spans), flags) in docs.iter().zip(&flags) {
                let gold = gold_tags(doc, spans);
                for sentence in &doc.sentences {
                    let mut prev = OUT;
                    for i in sentence.clone() {
                        ids.clear();
                        ids.extend_from_slice(&feats[i].ids);
                        context_features(doc, flags, i, &mut ids);
                        ids.push(tag_feature(prev));
                        scores(&w, &ids, &mut s);
                        let guess = best(&s, prev);
                        let truth = gold[i];
                        if guess != truth {
                            for &id in &ids {
                                let base = id as usize * TAGS;
                                w[base + truth] += 1.0;
                                u[base + truth] += step;
                                w[base + guess] -= 1.0;
                                u[base + guess] -= step;
                            }
                        }
                        step += 1.0;
                        // Train on the true history, as the decoder will mostly follow it.
                        prev = truth;
                    }
                }
            }
        }
        for (wi, ui) in w.iter_mut().zip(&u) {
            *wi -= ui / step;
        }
        Tagger { label: label.to_string(), weights: w, context }
    }

    /// Spans of this label in `doc`, with scores.
    pub fn tag(&self, doc: &Tokens<'_>, feats: &[FeatureSet]) -> Vec<(Range<CharIdx>, f32)> {
        let flags = context_flags(doc, &self.context);
        let mut out = Vec::new();
        let mut ids = Vec::new();
        let mut s = [0.0; TAGS];
        for sentence in &doc.sentences {
            let mut prev = OUT;
            let mut open: Option<(usize, f32)> = None;
            let close = |open: &mut Option<(usize, f32)>, end: usize, out: &mut Vec<(Range<CharIdx>, f32)>| {
                if let Some((start, sum)) = open.take() {
                    out.push((doc.chars(start..end), sum / (end - start) as f32));
                }
            };
            for i in sentence.clone() {
                ids.clear();
                ids.extend_from_slice(&feats[i].ids);
                context_features(doc, &flags, i, &mut ids);
                ids.push(tag_feature(prev));
                scores(&self.weights, &ids, &mut s);
                let tag = best(&s, prev);
                let p = softmax_of(&s, tag, prev);
                match tag {
                    BEGIN => {
                        close(&mut open, i, &mut out);
                        open = Some((i, p));
                    }
                    INSIDE => {
                        if let Some((_, sum)) = open.as_mut() {
                            *sum += p;
                        }
                    }
                    _ => close(&mut open, i, &mut out),
                }
                prev = tag;
            }
            close(&mut open, sentence.end, &mut out);
        }
        out
    }
}

/// The probability of `tag` among the tags allowed after `prev` (Inside is not allowed after Outside, so
/// its score must not count: it made sure picks look like 0.00).
fn softmax_of(s: &[f32; TAGS], tag: usize, prev: usize) -> f32 {
    let allowed = |t: usize| t != INSIDE || prev != OUT;
    let max = (0..TAGS).filter(|&t| allowed(t)).map(|t| s[t]).fold(f32::NEG_INFINITY, f32::max);
    let sum: f32 = (0..TAGS).filter(|&t| allowed(t)).map(|t| (s[t] - max).exp()).sum();
    (s[tag] - max).exp() / sum
}

fn gold_tags(doc: &Tokens<'_>, spans: &[Range<CharIdx>]) -> Vec<usize> {
    let mut tags = vec![OUT; doc.tokens.len()];
    for range in spans {
        let first = doc.tokens.partition_point(|t| t.end <= range.start);
        let end = doc.tokens.partition_point(|t| t.start < range.end);
        for (k, tag) in tags.iter_mut().enumerate().take(end).skip(first) {
            *tag = if k == first { BEGIN } else { INSIDE };
        }
    }
    tags
}

/// Words seen within four tokens after or before the spans often enough, and mostly there: "said" next to
/// a speaker counts, "the" (everywhere) does not.
fn context_words(docs: &[TaggedDoc<'_>]) -> FastSet<String> {
    let mut near: FastMap<&str, usize> = FastMap::default();
    for (doc, _, spans) in docs {
        for range in spans {
            let first = doc.tokens.partition_point(|t| t.end <= range.start);
            let end = doc.tokens.partition_point(|t| t.start < range.end);
            for k in 1..=4 {
                for at in [end + k - 1, first.wrapping_sub(k)] {
                    if let Some(w) = doc.lower.get(at)
                        && w.chars().any(char::is_alphabetic)
                    {
                        *near.entry(w.as_str()).or_default() += 1;
                    }
                }
            }
        }
    }
    let mut total: FastMap<&str, usize> = FastMap::default();
    for (doc, _, _) in docs {
        for w in &doc.lower {
            if let Some(c) = total.get_mut(w.as_str()) {
                *c += 1;
            } else if near.contains_key(w.as_str()) {
                total.insert(w.as_str(), 1);
            }
        }
    }
    near.into_iter()
        .filter(|&(w, c)| c >= MIN_CONTEXT_COUNT && c * 3 >= total.get(w).copied().unwrap_or(0))
        .map(|(w, _)| w.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tag_not_allowed_does_not_count_in_the_score() {
        // Inside scores highest but cannot follow Outside: Begin, the best allowed tag, is a sure pick.
        let s = [0.0, 5.0, 50.0];
        assert!(softmax_of(&s, BEGIN, OUT) > 0.99);
        assert!(softmax_of(&s, BEGIN, BEGIN) < 0.01);
        assert_eq!(best(&s, OUT), BEGIN);
    }
}
