//! Finding the words a model returned in the chunk it was given. Models copy text loosely — straight
//! quotes for curly ones, a hyphen for a dash, a changed case or spacing — so an exact match is tried
//! first, then one that ignores those differences.

use std::collections::HashSet;
use std::ops::Range;

use crate::text::offsets::OffsetMap;

/// Finds returned text in one chunk. The k-th time the same text comes back with the same label, it maps
/// to the k-th occurrence not already taken by that label.
pub struct Aligner<'a> {
    text: &'a str,
    map: OffsetMap<'a>,
    /// The chunk normalised: one entry per normalised char, with the chunk char range it stands for.
    folded: Vec<(char, Range<usize>)>,
    /// Ranges (chunk chars) already given out, per label.
    used: HashSet<(usize, usize, String)>,
}

impl<'a> Aligner<'a> {
    /// An aligner over the chunk `text`.
    pub fn new(text: &'a str) -> Aligner<'a> {
        Aligner { text, map: OffsetMap::new(text), folded: fold(text), used: HashSet::new() }
    }

    /// The char range (in the chunk) of the next unused occurrence of `wanted` for `label`: exact
    /// occurrences first, then loose ones. `None` when it is not in the chunk (or every occurrence is taken).
    pub fn find(&mut self, wanted: &str, label: &str) -> Option<Range<usize>> {
        let wanted = wanted.trim();
        if wanted.is_empty() {
            return None;
        }
        let found = self.exact(wanted, label).or_else(|| self.loose(wanted, label))?;
        self.used.insert((found.start, found.end, label.to_string()));
        Some(found)
    }

    fn free(&self, range: &Range<usize>, label: &str) -> bool {
        !self.used.contains(&(range.start, range.end, label.to_string()))
    }

    fn exact(&self, wanted: &str, label: &str) -> Option<Range<usize>> {
        let mut from = 0;
        while let Some(at) = self.text[from..].find(wanted) {
            let bytes = from + at..from + at + wanted.len();
            if let Ok(chars) = self.map.char_range_from_bytes(bytes) {
                let chars = chars.start.0..chars.end.0;
                if self.free(&chars, label) {
                    return Some(chars);
                }
            }
            // Next char boundary after this match's start (the match may overlap a later one).
            from += at + self.text[from + at..].chars().next().map_or(1, char::len_utf8);
        }
        None
    }

    fn loose(&self, wanted: &str, label: &str) -> Option<Range<usize>> {
        let needle: Vec<char> = fold(wanted).into_iter().map(|(c, _)| c).collect();
        if needle.is_empty() || needle.len() > self.folded.len() {
            return None;
        }
        for start in 0..=self.folded.len() - needle.len() {
            let window = &self.folded[start..start + needle.len()];
            if window.iter().zip(&needle).all(|((c, _), n)| c == n) {
                let range = window[0].1.start..window[needle.len() - 1].1.end;
                if self.free(&range, label) {
                    return Some(range);
                }
            }
        }
        None
    }
}

/// `text` with every quote made `"`, every dash `-`, every run of whitespace one space (none at the ends)
/// and letters lower-cased; each char keeps the char range of the original it came from.
fn fold(text: &str) -> Vec<(char, Range<usize>)> {
    let mut out: Vec<(char, Range<usize>)> = Vec::with_capacity(text.len());
    let mut space: Option<Range<usize>> = None;
    for (i, c) in text.chars().enumerate() {
        if c.is_whitespace() {
            space = Some(space.map_or(i..i + 1, |s| s.start..i + 1));
            continue;
        }
        if let Some(s) = space.take()
            && !out.is_empty()
        {
            out.push((' ', s));
        }
        match c {
            '\'' | '‘' | '’' | '"' | '“' | '”' | '″' | '„' | '‚' | '`' | '´' => {
                out.push(('"', i..i + 1))
            }
            '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' => out.push(('-', i..i + 1)),
            c => out.extend(c.to_lowercase().map(|l| (l, i..i + 1))),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(text: &str, r: Range<usize>) -> String {
        text.chars().skip(r.start).take(r.end - r.start).collect()
    }

    #[test]
    fn exact_then_loose_quotes_dashes_space_and_case() {
        let text = "Mayor Zoë Brandt said the “new” bridge — built in 2019 — was safe.\u{a0}The U.S.  port";
        let mut a = Aligner::new(text);
        let r = a.find("Zoë Brandt", "Source").unwrap();
        assert_eq!(text_of(text, r), "Zoë Brandt");
        let r = a.find("the \"new\" bridge - built", "Claim").unwrap();
        assert_eq!(text_of(text, r), "the “new” bridge — built");
        let r = a.find("was SAFE. the u.s. port", "Claim").unwrap();
        assert_eq!(text_of(text, r), "was safe.\u{a0}The U.S.  port");
        assert_eq!(a.find("not in there", "Claim"), None);
        assert_eq!(a.find("   ", "Claim"), None);
    }

    #[test]
    fn repeated_text_takes_successive_occurrences_per_label() {
        let text = "officials said; later, Officials said again; officials said";
        let mut a = Aligner::new(text);
        let first = a.find("officials said", "Source").unwrap();
        let second = a.find("officials said", "Source").unwrap();
        assert_eq!(first, 0..14);
        assert_eq!(second.start, 45, "the next exact occurrence");
        let third = a.find("officials said", "Source").unwrap();
        assert_eq!(text_of(text, third), "Officials said", "then the loose one");
        assert_eq!(a.find("officials said", "Source"), None, "all three taken");
        assert_eq!(a.find("officials said", "Claim"), Some(0..14), "another label may take the same words");
    }
}
