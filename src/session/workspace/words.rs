//! Word boundaries for snapping selections and moving span edges, from the shared UAX #29 tokenizer, so a
//! span made in the window ends on the same token edges the exports use.

use std::ops::Range;

use crate::model::CharIdx;
use crate::text::tokens::{Token, tokenize};

/// The tokens of one document, searched by binary search.
pub struct WordIndex {
    tokens: Vec<Token>,
}

impl WordIndex {
    /// Tokenizes `text` once.
    pub fn new(text: &str) -> WordIndex {
        WordIndex { tokens: tokenize(text) }
    }

    /// Index of the first token ending after `at`: the token holding `at`, or the next one.
    fn first_ending_after(&self, at: CharIdx) -> usize {
        self.tokens.partition_point(|t| t.end <= at)
    }

    /// Widens `range` to whole tokens; whitespace at either end is dropped instead. A range with no token
    /// in it comes back unchanged.
    pub fn snap(&self, range: Range<CharIdx>) -> Range<CharIdx> {
        let first = self.first_ending_after(range.start);
        let Some(first_token) = self.tokens.get(first).filter(|t| t.start < range.end) else { return range };
        // The last token starting before the range ends.
        let last = self.tokens.partition_point(|t| t.start < range.end);
        let Some(last_token) = last.checked_sub(1).and_then(|i| self.tokens.get(i)) else { return range };
        first_token.start..last_token.end
    }

    /// The token at `at` (or the one just before it, when `at` is after a word's last char).
    pub fn word_at(&self, at: CharIdx) -> Option<Range<CharIdx>> {
        let index = self.first_ending_after(at);
        match self.tokens.get(index) {
            Some(t) if t.start <= at => Some(t.range()),
            _ => index.checked_sub(1).and_then(|i| self.tokens.get(i)).filter(|t| t.end == at).map(Token::range),
        }
    }

    /// Moves one edge of `range` by a token: `left` picks the edge, `grow` the direction (outwards or in).
    /// Returns `range` unchanged when there is no token to move to.
    pub fn move_edge(&self, range: Range<CharIdx>, left: bool, grow: bool) -> Range<CharIdx> {
        let Range { start, end } = range.clone();
        let moved = match (left, grow) {
            (true, true) => {
                let i = self.tokens.partition_point(|t| t.start < start);
                i.checked_sub(1).map(|i| self.tokens[i].start..end)
            }
            (false, true) => {
                let i = self.tokens.partition_point(|t| t.end <= end);
                self.tokens.get(i).map(|t| start..t.end)
            }
            (true, false) => {
                let i = self.tokens.partition_point(|t| t.start <= start);
                self.tokens.get(i).filter(|t| t.start < end).map(|t| t.start..end)
            }
            (false, false) => {
                let i = self.tokens.partition_point(|t| t.end < end);
                i.checked_sub(1).map(|i| self.tokens[i].end).filter(|&e| e > start).map(|e| start..e)
            }
        };
        moved.unwrap_or(range)
    }

    /// Where Ctrl+→ / Ctrl+← go from `at`: the next token end, or the previous token start.
    pub fn next_word_edge(&self, at: CharIdx, forward: bool) -> CharIdx {
        if forward {
            let i = self.tokens.partition_point(|t| t.end <= at);
            self.tokens.get(i).map_or(at, |t| t.end)
        } else {
            let i = self.tokens.partition_point(|t| t.start < at);
            i.checked_sub(1).map_or(CharIdx(0), |i| self.tokens[i].start)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(a: usize, b: usize) -> Range<CharIdx> {
        CharIdx(a)..CharIdx(b)
    }

    // "Officials at the Port—Authority said “no”."
    //  0         10        20        30        40
    const TEXT: &str = "Officials at the Port—Authority said “no”.";

    #[test]
    fn snapping_widens_to_words_and_drops_spaces() {
        let w = WordIndex::new(TEXT);
        assert_eq!(w.snap(r(2, 11)), r(0, 12), "Offi|cials a|t → Officials at");
        assert_eq!(w.snap(r(9, 13)), r(10, 12), "leading and trailing spaces dropped");
        assert_eq!(w.snap(r(18, 25)), r(17, 31), "Port—Authority: the dash is its own token");
        assert_eq!(w.snap(r(12, 13)), r(12, 13), "only a space: unchanged");
        assert_eq!(w.snap(r(37, 39)), r(37, 40), "“n → “no: the quote is a token of its own");
    }

    #[test]
    fn words_and_edges() {
        let w = WordIndex::new(TEXT);
        assert_eq!(w.word_at(CharIdx(14)), Some(r(13, 16)));
        assert_eq!(w.word_at(CharIdx(16)), Some(r(13, 16)), "just after 'the'");
        assert_eq!(w.move_edge(r(13, 16), true, true), r(10, 16));
        assert_eq!(w.move_edge(r(13, 16), false, true), r(13, 21));
        assert_eq!(w.move_edge(r(10, 21), true, false), r(13, 21));
        assert_eq!(w.move_edge(r(10, 21), false, false), r(10, 16));
        assert_eq!(w.move_edge(r(13, 16), true, false), r(13, 16), "cannot shrink a single word away");
        assert_eq!(w.move_edge(r(0, 9), true, true), r(0, 9), "nothing further left");
        assert_eq!(w.next_word_edge(CharIdx(0), true), CharIdx(9));
        assert_eq!(w.next_word_edge(CharIdx(11), false), CharIdx(10));
    }
}
