//! The one tokenizer and sentence splitter, shared by every export format and by selection snapping.
//!
//! Words follow UAX #29 word boundaries. Whitespace is not a token. Punctuation — curly quotes, dashes,
//! commas, full stops — stands as its own token, so a span that ends at ” or before — ends on a token
//! edge. One exception keeps abbreviations whole: a word with inner dots (`U.S`) takes the dot after it
//! (`U.S.`), as annotators expect and as common NLP tokenizers do.
//!
//! Both follow `unicode-segmentation` to the boundary, but most text goes through the hand-written fast
//! paths in `fast_words` and `fast_sentences`, several times quicker than the crate; only stretches with
//! characters those do not know (other scripts, combining marks, emoji modifiers and ZWJ sequences) are
//! handed to the crate. The `segment_equivalence` tests and fuzz target hold the two to the same output.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

use super::offsets::ForwardCursor;
use crate::model::CharIdx;

mod fast_sentences;
mod fast_words;
mod sentence_merge;

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

/// Words of a text: tokens with at least one letter or digit (punctuation does not count).
pub fn word_count(text: &str) -> usize {
    // Each token is sliced by the byte range the tokenizer found it at: converting its char offsets back
    // through an offset map was 40% of `factmark stats` on a large folder.
    tokenize(text)
        .iter()
        .filter(|t| text.get(t.bytes.0..t.bytes.1).is_some_and(|word| word.chars().any(char::is_alphanumeric)))
        .count()
}

/// Tokens of `text`, in order, with char offsets.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let segments = word_segments(text);
    let mut cursor = ForwardCursor::new(text);
    let mut out = Vec::with_capacity(segments.len());
    let mut next = 0;
    while let Some(mut range) = segments.get(next).cloned() {
        next += 1;
        // A word with inner dots and a letter takes the lone "." right after it: `U.S` + `.`.
        while let Some(dot) = segments.get(next)
            && dot.start == range.end
            && dot.len() == 1
            && bytes[dot.start] == b'.'
            && text.get(range.clone()).is_some_and(|w| w.contains('.') && w.chars().any(char::is_alphabetic))
        {
            range.end = dot.end;
            next += 1;
        }
        // Segment edges are char boundaries by construction, so the cursor cannot fail here; a token that
        // somehow did would be skipped rather than given wrong offsets.
        let (Ok(start), Ok(end)) = (cursor.step_to_char(range.start), cursor.step_to_char(range.end)) else {
            continue;
        };
        out.push(Token { start, end, ws: whitespace_at(text, range.end), bytes: (range.start, range.end) });
    }
    out
}

/// Whether the char at byte `at` (a char boundary) is whitespace; false at the end.
fn whitespace_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        None => false,
        // ASCII whitespace in the Unicode sense: tab, LF, VT, FF, CR and space.
        Some(&b) if b.is_ascii() => matches!(b, b'\t'..=b'\r' | b' '),
        Some(_) => text.get(at..).and_then(|rest| rest.chars().next()).is_some_and(char::is_whitespace),
    }
}

/// Byte ranges of the UAX #29 word segments of `text` that are not all whitespace: the fast path where it
/// knows every char, the crate from one restart point to the next around any char it does not.
fn word_segments(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(text.len() / 4);
    let mut from = 0;
    while let fast_words::Scan::Stopped { at, restart, kept } = fast_words::scan(text, from, &mut out) {
        out.truncate(kept);
        let end = fast_words::next_restart_point(text.as_bytes(), at);
        if let Some(stretch) = text.get(restart..end) {
            for (at, segment) in stretch.split_word_bound_indices() {
                if !segment.chars().all(char::is_whitespace) {
                    out.push(restart + at..restart + at + segment.len());
                }
            }
        }
        from = end;
    }
    out
}

/// Sentence ranges of `text`, trimmed of surrounding whitespace, empty ones left out: UAX #29 sentence
/// boundaries (which also break at line ends), minus those after abbreviations, initials and lone list
/// markers (`sentence_merge`). Every user of sentences (exports, suggestions) goes through this one
/// splitter.
pub fn sentences(text: &str) -> Vec<Range<CharIdx>> {
    trimmed_chars(text, sentence_merge::merge(text, uax29_byte_sentences(text)))
}

/// Sentence ranges of `text` exactly by UAX #29 (as `unicode-segmentation` gives them), trimmed, empty ones
/// left out; [`sentences`] without the news-text post-pass. The equivalence tests compare this layer with
/// the crate.
pub fn uax29_sentences(text: &str) -> Vec<Range<CharIdx>> {
    trimmed_chars(text, uax29_byte_sentences(text))
}

/// UAX #29 sentences of `text` as byte ranges, untrimmed and contiguous.
fn uax29_byte_sentences(text: &str) -> Vec<Range<usize>> {
    // Every line ends a sentence (SB4) and no rule looks back past a line feed, so each line is split on
    // its own: by the fast path if it knows all its chars, else by the crate.
    let mut raw: Vec<Range<usize>> = Vec::with_capacity(text.len() / 64);
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let kept = raw.len();
        let range = line_start..line_start + line.len();
        if fast_sentences::split_line(text, range, &mut raw).is_err() {
            raw.truncate(kept);
            for (at, sentence) in line.split_sentence_bound_indices() {
                raw.push(line_start + at..line_start + at + sentence.len());
            }
        }
        line_start += line.len();
    }
    raw
}

/// Byte ranges trimmed of whitespace and turned into char ranges; empty ones left out.
fn trimmed_chars(text: &str, raw: Vec<Range<usize>>) -> Vec<Range<CharIdx>> {
    let mut cursor = ForwardCursor::new(text);
    let mut out = Vec::with_capacity(raw.len());
    for range in raw {
        let Some(sentence) = text.get(range.clone()) else { continue };
        let trimmed_start = sentence.len() - sentence.trim_start().len();
        let trimmed = sentence.trim();
        if trimmed.is_empty() {
            continue;
        }
        let start = range.start + trimmed_start;
        let end = start + trimmed.len();
        if let (Ok(s), Ok(e)) = (cursor.step_to_char(start), cursor.step_to_char(end)) {
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
