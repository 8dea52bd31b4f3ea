//! The one tokenizer and sentence splitter, shared by every export format and by selection snapping.
//!
//! Words follow UAX #29 word boundaries. Whitespace is not a token. Punctuation — curly quotes, dashes,
//! commas, full stops — stands as its own token, so a span that ends at ” or before — ends on a token
//! edge. One exception keeps abbreviations whole: a word with inner dots (`U.S`) takes the dot after it
//! (`U.S.`), as annotators expect and as common NLP tokenizers do.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::offsets::ForwardCursor;
use crate::model::CharIdx;

/// One token with its char range and whether whitespace follows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// First char of the token.
    pub start: CharIdx,
    /// First char after it.
    pub end: CharIdx,
    /// Whether the char after the token is whitespace (spaCy's and Prodigy's `ws`).
    pub ws: bool,
    /// The token's UTF-8 byte range in the text it came from: the tokenizer finds tokens by bytes, and
    /// keeping them lets exports slice a million tokens without converting offsets again.
    pub bytes: (usize, usize),
}

impl Token {
    /// The token's char range.
    pub fn range(&self) -> Range<CharIdx> {
        self.start..self.end
    }

    /// The token's text in `text`, the string it was tokenized from (empty for any other string whose
    /// bytes do not line up).
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        text.get(self.bytes.0..self.bytes.1).unwrap_or_default()
    }
}

/// Tokens of `text`, in order, with char offsets.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut cursor = ForwardCursor::new(text);
    let mut byte_tokens: Vec<Range<usize>> = Vec::new();
    for (at, segment) in text.split_word_bound_indices() {
        if segment.chars().all(char::is_whitespace) {
            continue;
        }
        let range = at..at + segment.len();
        if segment == "."
            && let Some(prev) = byte_tokens.last_mut()
        {
            let word = &text[prev.clone()];
            let abbreviation = prev.end == at && word.contains('.') && word.chars().any(char::is_alphabetic);
            if abbreviation {
                prev.end = range.end;
                continue;
            }
        }
        byte_tokens.push(range);
    }
    let mut out = Vec::with_capacity(byte_tokens.len());
    for range in byte_tokens {
        // Segment edges are char boundaries by construction, so the cursor cannot fail here; a token that
        // somehow did would be skipped rather than given wrong offsets.
        let (Ok(start), Ok(end)) = (cursor.to_char(range.start), cursor.to_char(range.end)) else { continue };
        let ws = text.get(range.end..).and_then(|rest| rest.chars().next()).is_some_and(char::is_whitespace);
        out.push(Token { start, end, ws, bytes: (range.start, range.end) });
    }
    out
}

/// Sentence ranges of `text` (UAX #29 sentence boundaries, which also break at line ends), trimmed of
/// surrounding whitespace; empty sentences are left out.
pub fn sentences(text: &str) -> Vec<Range<CharIdx>> {
    let mut cursor = ForwardCursor::new(text);
    let mut out = Vec::new();
    for (at, sentence) in text.split_sentence_bound_indices() {
        let trimmed_start = sentence.len() - sentence.trim_start().len();
        let trimmed = sentence.trim();
        if trimmed.is_empty() {
            continue;
        }
        let start = at + trimmed_start;
        let end = start + trimmed.len();
        if let (Ok(s), Ok(e)) = (cursor.to_char(start), cursor.to_char(end)) {
            out.push(s..e);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text).iter().map(|t| text.chars().skip(t.start.0).take(t.end.0 - t.start.0).collect()).collect()
    }

    #[test]
    fn matches_the_shared_prodigy_reference_tokens() {
        let text = "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk.";
        assert_eq!(
            words(text),
            [
                "U.S.",
                "intelligence",
                "has",
                "“",
                "confirmed",
                "”",
                "that",
                "up",
                "to",
                "10,000",
                "troops",
                "—",
                "mostly",
                "infantry",
                "—",
                "are",
                "in",
                "Kursk",
                "."
            ]
        );
        let toks = tokenize(text);
        assert_eq!((toks[3].start, toks[3].end, toks[3].ws), (CharIdx(22), CharIdx(23), false));
        assert!(toks[5].ws);
        assert_eq!(toks[17].end, CharIdx(87));
    }

    #[test]
    fn emoji_and_combining_marks_stay_whole() {
        assert_eq!(words("Zoe\u{308} 👩‍👩‍👧 ok"), ["Zoe\u{308}", "👩‍👩‍👧", "ok"]);
    }

    #[test]
    fn sentences_split_and_trim() {
        let text = "First one. Second “quoted” one!\n\nThird";
        let got: Vec<(usize, usize)> = sentences(text).iter().map(|r| (r.start.0, r.end.0)).collect();
        assert_eq!(got, [(0, 10), (11, 31), (33, 38)]);
    }
}
