//! A document cut into what the learned recommenders look at: tokens, sentences as token ranges, and the
//! candidate units (sentences and clauses) a Claim or an Opinion may cover.
//!
//! Candidates are every pair of a plausible start and a plausible end inside one sentence: the sentence's
//! own edges, and the token edges next to punctuation, quotation marks and clause words ("that", "but").
//! The model then learns which of them the annotators use — whole sentences without the full stop, the
//! content without the attribution frame, the words inside the quotation marks — so the boundaries come
//! from the user's own spans, not from rules written here.

use std::ops::Range;

use super::features::{FastMap, FastSet};
use crate::analysis::suggest::cues_source;
use crate::model::CharIdx;
use crate::text::tokens::{Token, sentences, tokenize};

/// Most starts (and most ends) tried per sentence: a sentence with more commas keeps those nearest its
/// edges, which bounds the work on run-on text.
const MAX_EDGES: usize = 8;

/// A tokenized document.
pub(crate) struct Tokens<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    /// Lower-cased token texts.
    pub lower: Vec<String>,
    /// Sentences as token index ranges.
    pub sentences: Vec<Range<usize>>,
    /// Per sentence, what the built-in attribution cue finds in it: every learned model uses it as a
    /// feature, so the cues' knowledge of reporting verbs carries over while the boundaries are learned.
    pub cues: Vec<SentenceCue>,
}

impl<'a> Tokens<'a> {
    /// Tokens and sentences of `text`.
    pub fn new(text: &'a str) -> Tokens<'a> {
        let tokens = tokenize(text);
        let lower = tokens.iter().map(|t| t.text(text).to_lowercase()).collect();
        let mut out = Vec::new();
        let mut at = 0;
        for s in sentences(text) {
            while at < tokens.len() && tokens[at].end <= s.start {
                at += 1;
            }
            let first = at;
            while at < tokens.len() && tokens[at].start < s.end {
                at += 1;
            }
            if at > first {
                out.push(first..at);
            }
        }
        let mut doc = Tokens { text, tokens, lower, sentences: out, cues: Vec::new() };
        doc.cues = doc.sentences.iter().map(|s| sentence_cue(&doc, s)).collect();
        doc
    }

    /// The token's text.
    pub fn word(&self, i: usize) -> &'a str {
        self.tokens.get(i).map_or("", |t| t.text(self.text))
    }

    /// Char range of tokens `range` (first to last).
    pub fn chars(&self, range: Range<usize>) -> Range<CharIdx> {
        match (self.tokens.get(range.start), range.end.checked_sub(1).and_then(|l| self.tokens.get(l))) {
            (Some(a), Some(b)) => a.start..b.end,
            _ => CharIdx(0)..CharIdx(0),
        }
    }

    /// Token index range exactly covering `chars`, if its edges fall on token edges.
    pub fn token_range(&self, chars: Range<CharIdx>) -> Option<Range<usize>> {
        let first = self.tokens.partition_point(|t| t.start < chars.start);
        let end = self.tokens.partition_point(|t| t.end <= chars.end);
        let ok = self.tokens.get(first).is_some_and(|t| t.start == chars.start)
            && end > first
            && self.tokens.get(end - 1).is_some_and(|t| t.end == chars.end);
        ok.then_some(first..end)
    }

    /// The sentence holding token `i`.
    pub fn sentence_of(&self, i: usize) -> Option<usize> {
        let s = self.sentences.partition_point(|s| s.end <= i);
        self.sentences.get(s).filter(|r| r.contains(&i)).map(|_| s)
    }
}

/// What the built-in attribution cue found in one sentence, as token ranges.
pub(crate) struct SentenceCue {
    /// The speaker phrase.
    pub source: Option<Range<usize>>,
    /// What is attributed to it.
    pub content: Option<Range<usize>>,
}

fn sentence_cue(doc: &Tokens<'_>, s: &Range<usize>) -> SentenceCue {
    let none = SentenceCue { source: None, content: None };
    let (Some(first), Some(last)) = (doc.tokens.get(s.start), s.end.checked_sub(1).and_then(|l| doc.tokens.get(l)))
    else {
        return none;
    };
    let base = first.bytes.0;
    let Some(sentence) = doc.text.get(base..last.bytes.1) else { return none };
    let Some(found) = cues_source::attribution(sentence) else { return none };
    // Byte ranges in the sentence back to token ranges: the tokens whose bytes fall inside.
    let to_tokens = |r: Range<usize>| -> Option<Range<usize>> {
        let (a, b) = (base + r.start, base + r.end);
        let first = s.start + doc.tokens[s.clone()].partition_point(|t| t.bytes.0 < a);
        let end = s.start + doc.tokens[s.clone()].partition_point(|t| t.bytes.1 <= b);
        (end > first).then_some(first..end)
    };
    SentenceCue { source: to_tokens(found.source), content: found.content.and_then(to_tokens) }
}

/// Whether a token is punctuation (no letter or digit in it).
pub(crate) fn is_punct(word: &str) -> bool {
    !word.chars().any(char::is_alphanumeric)
}

fn opens(word: &str) -> bool {
    matches!(word, "“" | "‘" | "\"" | "'" | "(" | "[" | "«")
}

fn closes(word: &str) -> bool {
    matches!(word, "”" | "’" | "\"" | "'" | ")" | "]" | "»")
}

fn breaks(word: &str) -> bool {
    matches!(word, "," | ";" | ":" | "—" | "–" | "-" | "…")
}

/// Words after which a new clause, or the reported content, begins.
fn clause_word(lower: &str) -> bool {
    matches!(lower, "that" | "but" | "and" | "while" | "because" | "although" | "though" | "whereas" | "so")
}

/// Words learned from the annotators' spans: those that often come right before a span starts ("said",
/// "argued") and right after one ends ("according", "officials"), so units begin and end there too.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Edges {
    pub after: FastSet<String>,
    pub before: FastSet<String>,
}

impl Edges {
    /// Learns the edge words from spans (token ranges) in documents: a word counts once seen `min` times.
    pub fn learn<'a>(spans: impl Iterator<Item = (&'a Tokens<'a>, Range<usize>)>, min: usize) -> Edges {
        let mut after: FastMap<&str, usize> = FastMap::default();
        let mut before: FastMap<&str, usize> = FastMap::default();
        for (doc, r) in spans {
            if let Some(w) = r.start.checked_sub(1).and_then(|i| doc.lower.get(i)) {
                *after.entry(w.as_str()).or_default() += 1;
            }
            if let Some(w) = doc.lower.get(r.end) {
                *before.entry(w.as_str()).or_default() += 1;
            }
        }
        let keep = |m: FastMap<&str, usize>| -> FastSet<String> {
            m.into_iter()
                .filter(|&(w, c)| c >= min && w.chars().any(char::is_alphabetic))
                .map(|(w, _)| w.to_string())
                .collect()
        };
        Edges { after: keep(after), before: keep(before) }
    }
}

/// Candidate units of sentence `s` (token ranges), each at least two tokens, none starting or ending on
/// punctuation except a final question mark. `edges` adds the starts and ends learned from the project.
pub(crate) fn candidates(doc: &Tokens<'_>, s: Range<usize>, edges: &Edges) -> Vec<Range<usize>> {
    let mut starts = vec![s.start];
    let mut ends = Vec::new();
    for i in s.clone() {
        let w = doc.word(i);
        if opens(w) || breaks(w) || clause_word(&doc.lower[i]) || edges.after.contains(&doc.lower[i]) {
            starts.push(i + 1);
        }
        if closes(w) || breaks(w) || matches!(w, "." | "!" | "?") || edges.before.contains(&doc.lower[i]) {
            ends.push(i);
        }
    }
    ends.push(s.end);
    // A final question mark belongs to the question.
    for e in ends.iter_mut() {
        if *e > s.start && doc.word(*e - 1) != "?" && doc.word(*e) == "?" {
            *e += 1;
        }
    }
    let mut starts: Vec<usize> = starts.into_iter().map(|i| skip_punct(doc, i, s.end)).collect();
    let mut ends: Vec<usize> = ends.into_iter().map(|e| trim_punct(doc, s.start, e)).collect();
    for v in [&mut starts, &mut ends] {
        v.sort_unstable();
        v.dedup();
        if v.len() > MAX_EDGES {
            let keep = MAX_EDGES / 2;
            let tail = v.split_off(v.len() - keep);
            v.truncate(keep);
            v.extend(tail);
        }
    }
    let mut out = Vec::new();
    for &a in &starts {
        for &b in &ends {
            if b >= a + 2 {
                out.push(a..b);
            }
        }
    }
    out
}

fn skip_punct(doc: &Tokens<'_>, mut i: usize, end: usize) -> usize {
    while i < end && is_punct(doc.word(i)) {
        i += 1;
    }
    i
}

fn trim_punct(doc: &Tokens<'_>, start: usize, mut e: usize) -> usize {
    while e > start && is_punct(doc.word(e - 1)) && doc.word(e - 1) != "?" {
        e -= 1;
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        let doc = Tokens::new(text);
        let s = doc.sentences[0].clone();
        candidates(&doc, s, &Edges::default())
            .into_iter()
            .map(|r| {
                let c = doc.chars(r);
                text.chars().skip(c.start.0).take(c.end.0 - c.start.0).collect()
            })
            .collect()
    }

    #[test]
    fn the_units_annotators_use_are_among_the_candidates() {
        let all = texts("The plan, the minister said on Tuesday, would cost $4 million.");
        assert!(all.contains(&"The plan, the minister said on Tuesday, would cost $4 million".to_string()));
        assert!(all.contains(&"the minister".to_string()) || all.contains(&"the minister said on Tuesday".into()));
        let all = texts("“We will not close the clinic,” said Dr. Ana Lívia Souza, its director.");
        assert!(all.contains(&"We will not close the clinic".to_string()), "{all:?}");
        let all = texts("Officials said that the bridge carried 41,000 vehicles a day.");
        assert!(all.contains(&"the bridge carried 41,000 vehicles a day".to_string()), "{all:?}");
        let all = texts("Is this really the best the U.S. can do?");
        assert!(all.contains(&"Is this really the best the U.S. can do?".to_string()), "{all:?}");
    }

    #[test]
    fn token_ranges_round_trip() {
        let doc = Tokens::new("Prices rose 4 percent. Nobody — not even Gen. Ortiz — expected it.");
        assert_eq!(doc.sentences.len(), 2);
        let r = doc.token_range(CharIdx(0)..CharIdx(11)).expect("on token edges");
        assert_eq!(doc.chars(r), CharIdx(0)..CharIdx(11));
        assert_eq!(doc.token_range(CharIdx(1)..CharIdx(11)), None);
        assert_eq!(doc.sentence_of(doc.sentences[1].start), Some(1));
    }
}
