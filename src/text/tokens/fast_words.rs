//! Word segments without the general UAX #29 machinery, for the characters most text is made of.
//!
//! `unicode-segmentation` looks every char up in large tables and runs a state machine built for all of
//! Unicode, which makes it the bulk of an export's time. Here each char the fast path understands gets one
//! of a few classes (an ASCII table, a short `match` for the rest), and a small scanner reproduces the
//! crate's forward iterator for exactly those classes: a segment is a run of letters, digits and `_`, with a
//! `.` `'` `’` `:` between two letters or `.` `,` `;` `'` between two digits kept inside it (WB5–WB13b), or
//! any other single char (WB999). Whitespace segments are dropped by the tokenizer, so the scanner skips
//! whitespace without grouping it (runs of spaces, CR LF): among the chars it knows, whitespace never joins
//! anything else (only Extend/Format/ZWJ chars and U+202F could, and those are unknown to it).
//!
//! The rules this scanner leaves out are the ones that involve Extend, Format, ZWJ, Hebrew, Katakana and
//! regional-indicator chars: none of them is in the table, and meeting one stops the scan. The caller then
//! drops what the scan found since the last [restart point](is_restart_point) before that char — so also
//! the segment right before it, which the char might have joined (WB4) — has the crate segment the stretch
//! up to the next restart point, and goes on from there. Which chars are known, and their classes, follow
//! the crate's own tables (Unicode 17); the `segment_equivalence` tests compare both paths on every one.

use std::ops::Range;

/// What a char does to word boundaries, for the chars the fast path knows: UAX #29 `Word_Break` values,
/// folded together where they behave alike when no Extend/Format/ZWJ/Hebrew char is near.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// ALetter.
    Letter,
    /// Numeric.
    Digit,
    /// ExtendNumLet (`_`): continues a run of letters and digits and is continued by either (WB13a/b).
    Connector,
    /// MidLetter (`:` `·`): stays inside a word only between two letters (WB6/7).
    MidLetter,
    /// MidNum (`,` `;`): stays inside a number only between two digits (WB11/12).
    MidNum,
    /// MidNumLet and Single_Quote (`.` `'` `‘` `’`): between two letters or between two digits.
    MidNumLet,
    /// Any other char the fast path knows that is not whitespace: a segment on its own.
    Other,
    /// Whitespace (spaces, tab, CR, LF, no-break space, U+2028, …): in segments of whitespace only.
    Blank,
    /// A char the fast path does not know; the scan stops before deciding anything about it.
    Unknown,
    /// Past the end of the text.
    End,
}

/// Class of each byte when it is an ASCII char; bytes of multi-byte chars (0x80 and up) are `Unknown` here,
/// meaning "decode the char and ask [`class_of`]".
const BYTE: [Class; 256] = {
    let mut table = [Class::Unknown; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
            b'0'..=b'9' => Class::Digit,
            b'_' => Class::Connector,
            b':' => Class::MidLetter,
            b',' | b';' => Class::MidNum,
            b'.' | b'\'' => Class::MidNumLet,
            b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c => Class::Blank,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

/// Class of a non-ASCII char: Latin-1, the Latin Extended letters, general punctuation, currency signs,
/// arrows, symbols and emoji. Chars that can join what precedes them (combining marks, U+FE0F, skin tones,
/// ZWJ, soft hyphen), U+202F (whitespace that joins words) and every other script are `Unknown`.
fn class_of(c: char) -> Class {
    match u32::from(c) {
        0x85 | 0xa0 | 0x2000..=0x200a | 0x2028 | 0x2029 => Class::Blank,
        0xad => Class::Unknown,
        0xaa | 0xb5 | 0xb8 | 0xba | 0xc0..=0xd6 | 0xd8..=0xf6 | 0xf8..=0x24f | 0x1e00..=0x1eff => Class::Letter,
        0xb7 | 0x2027 => Class::MidLetter,
        0x2018 | 0x2019 | 0x2024 => Class::MidNumLet,
        0x1f3fb..=0x1f3ff => Class::Unknown,
        0x80..=0xff
        | 0x2010..=0x2026
        | 0x2030..=0x203e
        | 0x20a0..=0x20cf
        | 0x2190..=0x21ff
        | 0x2600..=0x27bf
        | 0x2b00..=0x2bff
        | 0x1f300..=0x1faff => Class::Other,
        _ => Class::Unknown,
    }
}

/// The class of the char starting at byte `i` (a char boundary) and its length in bytes.
#[inline(always)]
fn class_at(text: &str, i: usize) -> (Class, usize) {
    match text.as_bytes().get(i) {
        None => (Class::End, 0),
        Some(&b) if b.is_ascii() => (BYTE[usize::from(b)], 1),
        Some(_) => match text.get(i..).and_then(|rest| rest.chars().next()) {
            Some(c) => (class_of(c), c.len_utf8()),
            None => (Class::Unknown, 1),
        },
    }
}

/// Whether byte `b` is an ASCII letter, digit or `_`: the bulk of every word.
#[inline(always)]
fn is_ascii_word_byte(b: u8) -> bool {
    matches!(BYTE[usize::from(b)], Class::Letter | Class::Digit | Class::Connector)
}

/// How a fast scan ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Scan {
    /// It reached the end of the text.
    Done,
    /// It met a char it does not know at byte `at`. The segments it pushed before byte `restart`, the last
    /// [restart point](is_restart_point) before `at`, are final, and `kept` is how many segments the output
    /// held there; the ones after must be dropped, as the unknown char may change them.
    Stopped {
        /// Where the unknown char starts.
        at: usize,
        /// The last restart point the scan passed.
        restart: usize,
        /// Output length at `restart`.
        kept: usize,
    },
}

/// Pushes the byte ranges of the non-whitespace word segments of `text`, starting at byte `from` (the start
/// or a restart point), until the end or the first char the fast path does not know.
pub(super) fn scan(text: &str, from: usize, out: &mut Vec<Range<usize>>) -> Scan {
    let bytes = text.as_bytes();
    let (mut restart, mut kept) = (from, out.len());
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        // The usual case first, without the general dispatch: a word, then one space.
        if is_ascii_word_byte(b) {
            let end = word_end(text, i + 1);
            out.push(i..end);
            i = end;
            if bytes.get(i) == Some(&b' ') {
                i += 1;
                if is_restart_point(bytes, i) {
                    (restart, kept) = (i, out.len());
                }
            }
            continue;
        }
        let (class, len) = match BYTE[usize::from(b)] {
            Class::Unknown => class_at(text, i),
            class => (class, 1),
        };
        let end = match class {
            Class::Letter | Class::Digit | Class::Connector => word_end(text, i + len),
            Class::MidLetter | Class::MidNum | Class::MidNumLet | Class::Other => i + len,
            Class::Blank => {
                // Restart points only ever follow a space or a line feed.
                i += len;
                if is_restart_point(bytes, i) {
                    (restart, kept) = (i, out.len());
                }
                continue;
            }
            Class::Unknown | Class::End => return Scan::Stopped { at: i, restart, kept },
        };
        out.push(i..end);
        i = end;
    }
    Scan::Done
}

/// End of a word that started with a letter, digit or connector and continues at byte `i`. It ends before
/// any char that does not continue it, known or not (an unknown char then stops the scan and the word is
/// redone by the crate).
fn word_end(text: &str, mut i: usize) -> usize {
    let bytes = text.as_bytes();
    loop {
        while bytes.get(i).is_some_and(|&b| is_ascii_word_byte(b)) {
            i += 1;
        }
        let (class, len) = class_at(text, i);
        let joins = match class {
            Class::Letter | Class::Digit | Class::Connector => {
                i += len;
                continue;
            }
            Class::MidLetter | Class::MidNum | Class::MidNumLet => match (class, class_before(bytes, i)) {
                (Class::MidLetter | Class::MidNumLet, Class::Letter) => Class::Letter,
                (Class::MidNum | Class::MidNumLet, Class::Digit) => Class::Digit,
                _ => return i,
            },
            _ => return i,
        };
        // A middle char stays only if the same kind of char follows it; otherwise the word ends before it.
        match class_at(text, i + len) {
            (next, next_len) if next == joins => i += len + next_len,
            _ => return i,
        }
    }
}

/// Class of the char that ends just before byte `i`, inside a word: an ASCII byte has its class in the
/// table, and the only non-ASCII chars a word here can hold are letters.
#[inline]
fn class_before(bytes: &[u8], i: usize) -> Class {
    match bytes.get(i.wrapping_sub(1)) {
        Some(&b) if b.is_ascii() => BYTE[usize::from(b)],
        _ => Class::Letter,
    }
}

/// Whether byte `i` is a restart point: a word boundary that no rule of the crate's segmenter looks across,
/// so the text before it and the text after it can be segmented separately with the same result. The text's
/// start and end are; so is the start of every line (nothing joins a line feed, WB3a/b); and so is an ASCII
/// char other than a space right after a space: the space ends a run of spaces (its segment always starts
/// with a space), and only Extend, Format or ZWJ chars — never ASCII — could continue that run.
#[inline]
pub(super) fn is_restart_point(bytes: &[u8], i: usize) -> bool {
    if i == 0 || i >= bytes.len() {
        return true;
    }
    match (bytes[i - 1], bytes[i]) {
        (b'\n', _) => true,
        (b' ', next) => next.is_ascii() && next != b' ',
        _ => false,
    }
}

/// The first restart point after byte `at`.
pub(super) fn next_restart_point(bytes: &[u8], at: usize) -> usize {
    (at + 1..bytes.len()).find(|&i| is_restart_point(bytes, i)).unwrap_or(bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path must cover ordinary news text by itself, or the tokenizer silently falls back to the
    /// crate's speed.
    #[test]
    fn news_text_needs_no_fallback() {
        let text = "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk. \
                    Zoë Marchetti, the authority’s engineer, said it’s ‘naïve’ 😡 — Łukasz Nowak: €7.5 million…\r\n";
        let mut out = Vec::new();
        assert_eq!(scan(text, 0, &mut out), Scan::Done);
        let words: Vec<&str> = out.iter().filter_map(|r| text.get(r.clone())).collect();
        assert_eq!(&words[..5], ["U.S", ".", "intelligence", "has", "“"]);
        assert!(words.contains(&"10,000") && words.contains(&"authority’s") && words.contains(&"7.5"));
    }

    #[test]
    fn unknown_chars_stop_at_the_last_restart_point() {
        let text = "one two\u{301} three";
        let mut out = Vec::new();
        assert_eq!(scan(text, 0, &mut out), Scan::Stopped { at: 7, restart: 4, kept: 1 });
        // The stretch the crate redoes ends before "three".
        assert_eq!(next_restart_point(text.as_bytes(), 7), 10);
    }
}
