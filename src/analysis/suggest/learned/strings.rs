//! The string recommender: what the user labelled once is proposed wherever the same words recur.
//!
//! The score is how consistently that text got that label in the training documents: the times it was
//! labelled so, divided by the times it occurs there as whole words. "the ministry" labelled Source twice
//! out of ten occurrences scores 0.2 and is not proposed; "Dr. Ilse Maro" labelled all three times scores 1.

use std::collections::HashMap;
use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::model::CharIdx;
use crate::text::offsets::OffsetMap;

/// Lowest consistency a text needs to be proposed.
const MIN_SCORE: f32 = 0.5;
/// Texts of more words are clauses; they rarely recur word for word and would only slow the search
/// (the clause recommender proposes those).
const MAX_WORDS: usize = 8;

/// A training document for the string matcher: its text and its spans with their labels.
pub(crate) type LabelledText<'a> = (&'a str, Vec<(Range<CharIdx>, &'a str)>);

/// A trained string matcher.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
#[serde(from = "SavedStrings", into = "SavedStrings")]
pub(crate) struct StringMatcher {
    /// The texts, in the automaton's pattern order, with their best label and its score.
    entries: Vec<(String, String, f32)>,
    automaton: Option<AhoCorasick>,
}

/// A string matcher as saved: its entries only; the automaton is built again from them on loading.
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct SavedStrings {
    entries: Vec<(String, String, f32)>,
}

impl From<SavedStrings> for StringMatcher {
    fn from(saved: SavedStrings) -> StringMatcher {
        let texts: Vec<&str> = saved.entries.iter().map(|(t, _, _)| t.as_str()).collect();
        StringMatcher { automaton: build_automaton(&texts), entries: saved.entries }
    }
}

impl From<StringMatcher> for SavedStrings {
    fn from(m: StringMatcher) -> SavedStrings {
        SavedStrings { entries: m.entries }
    }
}

/// The automaton that finds the kept texts: case-insensitive, the longest text where several start.
fn build_automaton<S: AsRef<[u8]>>(texts: &[S]) -> Option<AhoCorasick> {
    AhoCorasick::builder().ascii_case_insensitive(true).match_kind(MatchKind::LeftmostLongest).build(texts).ok()
}

fn on_word_edges(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

impl StringMatcher {
    /// Learns from the training documents: `(text, spans)` with each span's char range and label.
    pub fn train(docs: &[LabelledText<'_>]) -> StringMatcher {
        let mut labelled: HashMap<String, HashMap<String, usize>> = HashMap::new();
        for (text, spans) in docs {
            let map = OffsetMap::new(text);
            for (range, label) in spans {
                let Ok(s) = map.slice(range.clone()) else { continue };
                let s = s.trim();
                if s.chars().count() < 2
                    || s.split_whitespace().count() > MAX_WORDS
                    || !s.chars().any(char::is_alphabetic)
                {
                    continue;
                }
                *labelled.entry(s.to_string()).or_default().entry(label.to_string()).or_default() += 1;
            }
        }
        // Sorted: the automaton prefers the earlier of two patterns matching the same words (case variants),
        // and a hash map's order changes from one training to the next.
        let mut texts: Vec<String> = labelled.keys().cloned().collect();
        texts.sort_unstable();
        let Ok(automaton) =
            AhoCorasick::builder().ascii_case_insensitive(true).match_kind(MatchKind::Standard).build(&texts)
        else {
            return StringMatcher::default();
        };
        let mut occurs = vec![0usize; texts.len()];
        for (text, _) in docs {
            for m in automaton.find_overlapping_iter(*text) {
                if on_word_edges(text, m.start(), m.end()) {
                    occurs[m.pattern().as_usize()] += 1;
                }
            }
        }
        let mut entries = Vec::new();
        let mut kept = Vec::new();
        for (i, t) in texts.iter().enumerate() {
            let Some(labels) = labelled.get(t) else { continue };
            let Some((label, &n)) = labels.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))) else {
                continue;
            };
            let score = n as f32 / occurs[i].max(n) as f32;
            if score >= MIN_SCORE {
                entries.push((t.clone(), label.clone(), score));
                kept.push(t.clone());
            }
        }
        StringMatcher { entries, automaton: build_automaton(&kept) }
    }

    /// The labels it proposes.
    pub fn labels(&self) -> impl Iterator<Item = String> + '_ {
        self.entries.iter().map(|(_, label, _)| label.clone())
    }

    /// Number of texts it proposes.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Proposals in `text`: char range, label, score.
    pub fn propose(&self, text: &str) -> Vec<(Range<CharIdx>, String, f32)> {
        let Some(automaton) = &self.automaton else { return Vec::new() };
        let map = OffsetMap::new(text);
        let mut out = Vec::new();
        for m in automaton.find_iter(text) {
            if !on_word_edges(text, m.start(), m.end()) {
                continue;
            }
            let Some((_, label, score)) = self.entries.get(m.pattern().as_usize()) else { continue };
            if let Ok(range) = map.char_range_from_bytes(m.start()..m.end()) {
                out.push((range, label.clone(), *score));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(text: &str, part: &str) -> Range<CharIdx> {
        let b = text.find(part).expect("part is in text");
        let start = text[..b].chars().count();
        CharIdx(start)..CharIdx(start + part.chars().count())
    }

    #[test]
    fn proposes_consistently_labelled_text_where_it_recurs() {
        let a = "Dr. Ilse Maro said the ministry was late. The ministry disagreed. The ministry paid.";
        let b = "Dr. Ilse Maro, the director, said so.";
        let docs = vec![
            (a, vec![(span(a, "Dr. Ilse Maro"), "Source"), (span(a, "the ministry"), "Source")]),
            (b, vec![(span(b, "Dr. Ilse Maro"), "Source")]),
        ];
        let m = StringMatcher::train(&docs);
        let new = "Later, Dr. Ilse Maro told the ministry’s staff; Maro’s team (not Dr. Ilse Maroni) agreed.";
        let found = m.propose(new);
        assert_eq!(found, vec![(span(new, "Dr. Ilse Maro"), "Source".to_string(), 1.0)]);
    }
}
