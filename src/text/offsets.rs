//! The one place where offsets change units: chars ↔ UTF-8 bytes ↔ UTF-16 code units ↔ lines/columns
//! (and, through [`crate::text::tokens`], tokens). Nothing else in factmark converts offsets.
//!
//! factmark stores every offset in chars (Unicode scalar values). Exports need bytes (Rust slicing),
//! UTF-16 units (doccano, JavaScript) or lines (error messages). A naive conversion walks the text from the
//! start, which is O(n) per lookup and makes a 1 MB article with thousands of spans crawl. [`OffsetMap`]
//! keeps a checkpoint every [`STRIDE`] chars, so each lookup walks at most `STRIDE` chars.

use std::ops::Range;

use crate::model::CharIdx;
use crate::text::tokens::Token;

/// Chars between two checkpoints: lookups walk at most this many chars.
pub const STRIDE: usize = 64;

/// A conversion that cannot be done: the offset is past the end or inside a character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OffsetError {
    /// The offset is beyond the end of the text.
    #[error("{unit} offset {offset} is past the end of the text ({len} {unit})")]
    OutOfRange {
        /// "chars", "bytes" or "UTF-16 units"
        unit: &'static str,
        /// The offset asked for.
        offset: usize,
        /// The text's length in that unit.
        len: usize,
    },
    /// The offset falls inside a multi-byte character or a surrogate pair.
    #[error("{unit} offset {offset} falls inside a character")]
    NotOnBoundary {
        /// "bytes" or "UTF-16 units"
        unit: &'static str,
        /// The offset asked for.
        offset: usize,
    },
    /// The range's end is before its start.
    #[error("range {start}..{end} is inverted")]
    Inverted {
        /// Start of the range.
        start: usize,
        /// End of the range.
        end: usize,
    },
}

#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    byte: usize,
    utf16: usize,
}

/// A 1-based line and column (columns in chars), for messages people read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    /// Line number, from 1.
    pub line: usize,
    /// Column in chars, from 1.
    pub column: usize,
}

/// Fast offset conversions over one text. Build once per text (one pass), then convert in O(STRIDE).
#[derive(Clone, Debug)]
pub struct OffsetMap<'a> {
    text: &'a str,
    /// `checkpoints[k]` is where char `k * STRIDE` starts. Empty when the text is ASCII (identity).
    checkpoints: Vec<Checkpoint>,
    ascii: bool,
    char_len: usize,
    utf16_len: usize,
    /// Char index where each line starts; `line_starts[0] == 0`.
    line_starts: Vec<usize>,
}

impl<'a> OffsetMap<'a> {
    /// Indexes `text` in a single pass.
    pub fn new(text: &'a str) -> OffsetMap<'a> {
        let ascii = text.is_ascii();
        let mut checkpoints = Vec::new();
        let mut line_starts = vec![0];
        let (mut chars, mut utf16) = (0usize, 0usize);
        if ascii {
            for (i, b) in text.bytes().enumerate() {
                if b == b'\n' {
                    line_starts.push(i + 1);
                }
            }
            chars = text.len();
            utf16 = text.len();
        } else {
            checkpoints.reserve(text.len() / STRIDE + 1);
            for (byte, ch) in text.char_indices() {
                if chars % STRIDE == 0 {
                    checkpoints.push(Checkpoint { byte, utf16 });
                }
                chars += 1;
                utf16 += ch.len_utf16();
                if ch == '\n' {
                    line_starts.push(chars);
                }
            }
        }
        OffsetMap { text, checkpoints, ascii, char_len: chars, utf16_len: utf16, line_starts }
    }

    /// The text this map converts offsets of.
    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Length in chars.
    pub fn char_len(&self) -> usize {
        self.char_len
    }

    /// Length in UTF-16 code units.
    pub fn utf16_len(&self) -> usize {
        self.utf16_len
    }

    /// Number of lines (a text without a newline has one).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    fn check_char(&self, c: CharIdx) -> Result<(), OffsetError> {
        if c.0 > self.char_len {
            return Err(OffsetError::OutOfRange { unit: "chars", offset: c.0, len: self.char_len });
        }
        Ok(())
    }

    /// Whether the `len` bytes from `byte` are all ASCII, where a char is one byte and one UTF-16 unit. Most
    /// of an article between two checkpoints is: one vectorised check instead of decoding up to STRIDE chars.
    fn ascii_run(&self, byte: usize, len: usize) -> bool {
        self.text.as_bytes().get(byte..byte + len).is_some_and(|run| run.is_ascii())
    }

    /// The byte where char `c` starts (`c == len` gives the text's byte length).
    pub fn char_to_byte(&self, c: CharIdx) -> Result<usize, OffsetError> {
        self.check_char(c)?;
        if self.ascii {
            return Ok(c.0);
        }
        if c.0 == self.char_len {
            return Ok(self.text.len());
        }
        let cp = self.checkpoints[c.0 / STRIDE];
        let skip = c.0 % STRIDE;
        if self.ascii_run(cp.byte, skip) {
            return Ok(cp.byte + skip);
        }
        Ok(self.text[cp.byte..].char_indices().nth(skip).map_or(self.text.len(), |(b, _)| cp.byte + b))
    }

    /// The char index of byte `b`, which must be on a char boundary.
    pub fn byte_to_char(&self, b: usize) -> Result<CharIdx, OffsetError> {
        if b > self.text.len() {
            return Err(OffsetError::OutOfRange { unit: "bytes", offset: b, len: self.text.len() });
        }
        if !self.text.is_char_boundary(b) {
            return Err(OffsetError::NotOnBoundary { unit: "bytes", offset: b });
        }
        if self.ascii {
            return Ok(CharIdx(b));
        }
        let k = self.checkpoints.partition_point(|cp| cp.byte <= b).saturating_sub(1);
        let Some(cp) = self.checkpoints.get(k) else { return Ok(CharIdx(0)) };
        Ok(CharIdx(k * STRIDE + self.text[cp.byte..b].chars().count()))
    }

    /// The UTF-16 code unit where char `c` starts.
    pub fn char_to_utf16(&self, c: CharIdx) -> Result<usize, OffsetError> {
        self.check_char(c)?;
        if self.ascii {
            return Ok(c.0);
        }
        if c.0 == self.char_len {
            return Ok(self.utf16_len);
        }
        let cp = self.checkpoints[c.0 / STRIDE];
        let skip = c.0 % STRIDE;
        if self.ascii_run(cp.byte, skip) {
            return Ok(cp.utf16 + skip);
        }
        let walked: usize = self.text[cp.byte..].chars().take(skip).map(char::len_utf16).sum();
        Ok(cp.utf16 + walked)
    }

    /// The char index of UTF-16 unit `u`, which must not split a surrogate pair.
    pub fn utf16_to_char(&self, u: usize) -> Result<CharIdx, OffsetError> {
        if u > self.utf16_len {
            return Err(OffsetError::OutOfRange { unit: "UTF-16 units", offset: u, len: self.utf16_len });
        }
        if self.ascii {
            return Ok(CharIdx(u));
        }
        let k = self.checkpoints.partition_point(|cp| cp.utf16 <= u).saturating_sub(1);
        let Some(cp) = self.checkpoints.get(k) else { return Ok(CharIdx(0)) };
        let (mut at, mut chars) = (cp.utf16, k * STRIDE);
        for ch in self.text[cp.byte..].chars() {
            if at >= u {
                break;
            }
            at += ch.len_utf16();
            chars += 1;
        }
        if at != u {
            return Err(OffsetError::NotOnBoundary { unit: "UTF-16 units", offset: u });
        }
        Ok(CharIdx(chars))
    }

    /// Byte range of a char range, checking it is in bounds and not inverted.
    pub fn byte_range(&self, range: Range<CharIdx>) -> Result<Range<usize>, OffsetError> {
        if range.start > range.end {
            return Err(OffsetError::Inverted { start: range.start.0, end: range.end.0 });
        }
        Ok(self.char_to_byte(range.start)?..self.char_to_byte(range.end)?)
    }

    /// The text of a char range.
    pub fn slice(&self, range: Range<CharIdx>) -> Result<&'a str, OffsetError> {
        let bytes = self.byte_range(range)?;
        Ok(&self.text[bytes])
    }

    /// UTF-16 range of a char range.
    pub fn utf16_range(&self, range: Range<CharIdx>) -> Result<Range<usize>, OffsetError> {
        if range.start > range.end {
            return Err(OffsetError::Inverted { start: range.start.0, end: range.end.0 });
        }
        Ok(self.char_to_utf16(range.start)?..self.char_to_utf16(range.end)?)
    }

    /// Char range of a UTF-16 range.
    pub fn char_range_from_utf16(&self, range: Range<usize>) -> Result<Range<CharIdx>, OffsetError> {
        if range.start > range.end {
            return Err(OffsetError::Inverted { start: range.start, end: range.end });
        }
        Ok(self.utf16_to_char(range.start)?..self.utf16_to_char(range.end)?)
    }

    /// Char range of a byte range.
    pub fn char_range_from_bytes(&self, range: Range<usize>) -> Result<Range<CharIdx>, OffsetError> {
        if range.start > range.end {
            return Err(OffsetError::Inverted { start: range.start, end: range.end });
        }
        Ok(self.byte_to_char(range.start)?..self.byte_to_char(range.end)?)
    }

    /// 1-based line and char column of char `c`.
    pub fn line_col(&self, c: CharIdx) -> Result<LineCol, OffsetError> {
        self.check_char(c)?;
        let line = self.line_starts.partition_point(|&start| start <= c.0);
        Ok(LineCol { line, column: c.0 - self.line_starts[line - 1] + 1 })
    }

    /// Char range of 1-based line `line`, without its newline.
    pub fn line_range(&self, line: usize) -> Option<Range<CharIdx>> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self.line_starts.get(line).map_or(self.char_len, |next| next - 1);
        Some(CharIdx(start)..CharIdx(end))
    }
}

/// Walks a text forwards turning increasing byte offsets into char indices in time proportional to the
/// distance walked. Scanners (tokenizer, search, importers) use it instead of counting chars themselves.
#[derive(Clone, Debug)]
pub struct ForwardCursor<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
    /// Bytes known to be all ASCII, where [`ForwardCursor::step_to_char`] converts without counting.
    ascii_run: Range<usize>,
}

impl<'a> ForwardCursor<'a> {
    /// A cursor at the start of `text`.
    pub fn new(text: &'a str) -> ForwardCursor<'a> {
        ForwardCursor { text, byte: 0, chars: 0, ascii_run: 0..0 }
    }

    /// The char index of byte `b`. `b` must be a char boundary at or after the previous call's byte.
    pub fn to_char(&mut self, b: usize) -> Result<CharIdx, OffsetError> {
        if b > self.text.len() {
            return Err(OffsetError::OutOfRange { unit: "bytes", offset: b, len: self.text.len() });
        }
        if !self.text.is_char_boundary(b) {
            return Err(OffsetError::NotOnBoundary { unit: "bytes", offset: b });
        }
        if b < self.byte {
            // Going backwards is rare (only callers that restart); recount from the start.
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..b].chars().count();
        self.byte = b;
        Ok(CharIdx(self.chars))
    }

    /// The char index of byte `b`, as [`ForwardCursor::to_char`], for scanners that step forward a few bytes
    /// at a time (a tokenizer asks for both edges of a million tokens). Most text is long runs of ASCII,
    /// where bytes and chars count 1:1: the cursor remembers how far the current run goes and converts
    /// within it by subtraction; only a step that leaves the run counts chars as `to_char` does, and looks
    /// for the end of the next run.
    #[inline]
    pub fn step_to_char(&mut self, b: usize) -> Result<CharIdx, OffsetError> {
        if self.ascii_run.start <= self.byte && b >= self.byte && b <= self.ascii_run.end {
            self.chars += b - self.byte;
            self.byte = b;
            return Ok(CharIdx(self.chars));
        }
        self.step_across(b)
    }

    /// [`ForwardCursor::step_to_char`] for a step that leaves the known ASCII run: convert as usual, then
    /// find where the ASCII run from the new position ends.
    fn step_across(&mut self, b: usize) -> Result<CharIdx, OffsetError> {
        let chars = self.to_char(b)?;
        let rest = self.text.as_bytes().get(self.byte..).unwrap_or_default();
        self.ascii_run = self.byte..self.byte + ascii_prefix_len(rest);
        Ok(chars)
    }
}

/// Length of the all-ASCII start of `bytes`, checked eight bytes at a time: the high bit of every byte of
/// a word at once, and the lowest one set gives the first non-ASCII byte.
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut len = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
        let high = u64::from_le_bytes(word) & HIGH_BITS;
        if high != 0 {
            return len + high.trailing_zeros() as usize / 8;
        }
        len += 8;
    }
    len + bytes[len..].iter().position(|byte| !byte.is_ascii()).unwrap_or(bytes.len() - len)
}

/// The slice of `text` covering chars `range`, counted from a known point (`base_char` is the char index
/// of byte `base_byte`) instead of from the start: callers that know a nearby paragraph start slice in time
/// proportional to the paragraph, not the document. `None` when the range is before the base or out of
/// the text.
pub fn slice_from(text: &str, base_byte: usize, base_char: CharIdx, range: Range<CharIdx>) -> Option<&str> {
    let rest = text.get(base_byte..)?;
    let skip = range.start.0.checked_sub(base_char.0)?;
    let take = range.end.0.checked_sub(range.start.0)?;
    let mut indices = rest.char_indices().map(|(b, _)| b).chain(std::iter::once(rest.len()));
    let start = indices.nth(skip)?;
    let end = if take == 0 { start } else { indices.nth(take - 1)? };
    rest.get(start..end)
}

/// Number of chars in `text`. For one-off lengths; build an [`OffsetMap`] for repeated conversions.
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

/// Length of `text` in UTF-16 code units.
pub fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

/// The tokens a char range covers, as indices into a [`tokenize`](crate::text::tokens::tokenize) result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenRange {
    /// Index of the first token the range touches.
    pub first: usize,
    /// Index of the last token the range touches (inclusive, as Prodigy's `token_end`).
    pub last: usize,
    /// Whether the range starts on the first token's start and ends on the last token's end.
    pub aligned: bool,
}

/// The tokens that overlap `range`, or `None` when it covers only whitespace. `tokens` must be sorted and
/// non-overlapping, as [`tokenize`](crate::text::tokens::tokenize) returns them. Binary search: O(log n).
pub fn char_range_to_tokens(tokens: &[Token], range: Range<CharIdx>) -> Option<TokenRange> {
    let first = tokens.partition_point(|t| t.end <= range.start);
    let after = tokens.partition_point(|t| t.start < range.end);
    if first >= after {
        return None;
    }
    let last = after - 1;
    let aligned = tokens[first].start == range.start && tokens[last].end == range.end;
    Some(TokenRange { first, last, aligned })
}

/// The char range of tokens `first..=last`, or `None` when the indices are out of range or inverted.
pub fn tokens_to_char_range(tokens: &[Token], first: usize, last: usize) -> Option<Range<CharIdx>> {
    if first > last {
        return None;
    }
    Some(tokens.get(first)?.start..tokens.get(last)?.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slices_from_a_known_point() {
        let text = "Ça “va” 😡.\n\nNext “one”.";
        let map = OffsetMap::new(text);
        let base_char = CharIdx(12);
        let base_byte = map.char_to_byte(base_char).unwrap();
        for (a, b) in [(12, 16), (17, 22), (12, 12), (22, 23), (12, 23)] {
            let range = CharIdx(a)..CharIdx(b);
            assert_eq!(slice_from(text, base_byte, base_char, range.clone()), map.slice(range).ok(), "{a}..{b}");
        }
        assert_eq!(slice_from(text, base_byte, base_char, CharIdx(3)..CharIdx(5)), None, "before the base");
        assert_eq!(slice_from(text, base_byte, base_char, CharIdx(20)..CharIdx(30)), None, "past the end");
    }

    const SAMPLE: &str = "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk.";

    #[test]
    fn reference_sentence_units_match_the_shared_examples() {
        let map = OffsetMap::new(SAMPLE);
        assert_eq!(map.char_len(), 88);
        assert_eq!(map.utf16_len(), 88);
        assert_eq!(SAMPLE.len(), 96);
        assert_eq!(map.char_to_byte(CharIdx(87)), Ok(95));
        assert_eq!(map.slice(CharIdx(0)..CharIdx(17)), Ok("U.S. intelligence"));
    }

    #[test]
    fn astral_emoji_shift_utf16_but_not_chars() {
        let text = "Critics 😡 say the minister’s plan";
        let map = OffsetMap::new(text);
        let say = CharIdx(10);
        assert_eq!(map.slice(say..CharIdx(13)), Ok("say"));
        assert_eq!(map.char_to_utf16(say), Ok(11));
        assert_eq!(map.utf16_to_char(11), Ok(say));
        assert!(matches!(map.utf16_to_char(9), Err(OffsetError::NotOnBoundary { .. })));
        assert!(matches!(map.byte_to_char(9), Err(OffsetError::NotOnBoundary { .. })));
    }

    #[test]
    fn every_offset_round_trips_across_checkpoints() {
        let text: String = "aé😡—\n".repeat(100);
        let map = OffsetMap::new(&text);
        let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
        let mut utf16 = 0;
        for (c, &b) in bytes.iter().enumerate() {
            assert_eq!(map.char_to_byte(CharIdx(c)), Ok(b));
            assert_eq!(map.byte_to_char(b), Ok(CharIdx(c)));
            assert_eq!(map.char_to_utf16(CharIdx(c)), Ok(utf16));
            assert_eq!(map.utf16_to_char(utf16), Ok(CharIdx(c)));
            utf16 += text[b..].chars().next().map_or(0, char::len_utf16);
        }
        assert!(map.char_to_byte(CharIdx(bytes.len())).is_err());
    }

    #[test]
    fn lines_and_columns_are_one_based() {
        let map = OffsetMap::new("ab\nçd\n");
        assert_eq!(map.line_col(CharIdx(0)), Ok(LineCol { line: 1, column: 1 }));
        assert_eq!(map.line_col(CharIdx(4)), Ok(LineCol { line: 2, column: 2 }));
        assert_eq!(map.line_col(CharIdx(6)), Ok(LineCol { line: 3, column: 1 }));
        assert_eq!(map.line_range(2), Some(CharIdx(3)..CharIdx(5)));
        assert_eq!(map.line_count(), 3);
    }

    #[test]
    fn forward_cursor_counts_chars() {
        let text = "é😡a";
        let mut cursor = ForwardCursor::new(text);
        assert_eq!(cursor.to_char(2), Ok(CharIdx(1)));
        assert_eq!(cursor.to_char(6), Ok(CharIdx(2)));
        assert_eq!(cursor.to_char(0), Ok(CharIdx(0)));
        assert!(cursor.to_char(3).is_err());
    }

    #[test]
    fn stepping_cursor_agrees_with_the_general_one() {
        let text = "a é😡 “b” \u{10FFFF}z";
        let mut stepping = ForwardCursor::new(text);
        for b in 0..=text.len() + 1 {
            assert_eq!(stepping.step_to_char(b), ForwardCursor::new(text).to_char(b), "byte {b}");
        }
        // Stepping backwards (after an error, or after a later offset) still works: `é` is bytes 2..4.
        assert_eq!(stepping.step_to_char(4), Ok(CharIdx(3)));
        assert_eq!(stepping.step_to_char(3).ok(), None);
        assert_eq!(stepping.step_to_char(1), Ok(CharIdx(1)));
        assert_eq!(stepping.step_to_char(text.len()), Ok(CharIdx(text.chars().count())));
    }

    #[test]
    fn char_ranges_map_to_inclusive_token_ranges() {
        let tokens = crate::text::tokens::tokenize(SAMPLE);
        // The shared Prodigy reference: SOURCE is tokens 0..=1, CLAIM 0..=17.
        let source = char_range_to_tokens(&tokens, CharIdx(0)..CharIdx(17));
        assert_eq!(source, Some(TokenRange { first: 0, last: 1, aligned: true }));
        let claim = char_range_to_tokens(&tokens, CharIdx(0)..CharIdx(87));
        assert_eq!(claim, Some(TokenRange { first: 0, last: 17, aligned: true }));
        // "ntelligence" starts inside token 1: it touches token 1 but is not aligned.
        let inside = char_range_to_tokens(&tokens, CharIdx(6)..CharIdx(17));
        assert_eq!(inside, Some(TokenRange { first: 1, last: 1, aligned: false }));
        // The space between tokens 0 and 1 touches no token.
        assert_eq!(char_range_to_tokens(&tokens, CharIdx(4)..CharIdx(5)), None);
        assert_eq!(tokens_to_char_range(&tokens, 0, 17), Some(CharIdx(0)..CharIdx(87)));
        assert_eq!(tokens_to_char_range(&tokens, 3, 2), None);
        assert_eq!(tokens_to_char_range(&tokens, 0, 99), None);
    }
}
