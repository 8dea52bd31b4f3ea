//! Sentence boundaries of one line without the general UAX #29 machinery, for the characters most text is
//! made of.
//!
//! A sentence boundary is decided by a short context: whether a terminator (`.` is ATerm; `!`, `?` are
//! STerm) came, then closing punctuation (Close), then spaces (Sp), and what follows. Between terminators
//! nothing can break, so the scanner runs through plain text with one table lookup per byte and only
//! applies SB6–SB11 after a terminator. It reproduces `unicode-segmentation`'s sentence iterator for the
//! chars it has a class for (ASCII, Latin letters, general punctuation, combining marks, emoji and their
//! modifiers); a line with any other char is left to the crate. Lines are independent because every
//! paragraph separator ends a sentence (SB4) and no rule looks back past one; the `segment_equivalence`
//! tests check that, and both paths, against the crate.

use std::ops::Range;

/// UAX #29 `Sentence_Break` values, for the chars the fast path knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Class {
    /// Upper (and titlecase letters).
    Upper,
    /// Lower.
    Lower,
    /// OLetter: letters without case. They stop SB8's search for a lowercase letter.
    OLetter,
    /// Numeric: a digit right after `.` continues the sentence (SB6: `3.5`).
    Numeric,
    /// ATerm (`.`).
    ATerm,
    /// STerm (`!`, `?`, `‼`).
    STerm,
    /// Close: quotes and brackets that may follow a terminator.
    Close,
    /// SContinue (`,` `-` `:` `;` `–` `—`): continues a sentence after a terminator (SB8a).
    SContinue,
    /// Sp: spaces, tab, no-break space.
    Sp,
    /// Carriage return.
    Cr,
    /// Line feed.
    Lf,
    /// Sep: U+0085, U+2028, U+2029.
    Sep,
    /// Extend and Format: invisible to the rules (SB5).
    Extend,
    /// Everything else the fast path knows.
    Other,
    /// A char the fast path does not know: the line goes to the crate.
    Unknown,
}

/// Classes of the ASCII chars.
const ASCII: [Class; 128] = {
    let mut table = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'a'..=b'z' => Class::Lower,
            b'A'..=b'Z' => Class::Upper,
            b'0'..=b'9' => Class::Numeric,
            b'.' => Class::ATerm,
            b'!' | b'?' => Class::STerm,
            b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Class::Close,
            b',' | b'-' | b':' | b';' => Class::SContinue,
            b'\t' | b' ' | 0x0b | 0x0c => Class::Sp,
            b'\r' => Class::Cr,
            b'\n' => Class::Lf,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

/// The bytes plain text cannot skip over: ASCII terminators and line breaks, and every byte of a non-ASCII
/// char (which needs decoding).
const STOPS_PLAIN_TEXT: [bool; 256] = {
    let mut table = [true; 256];
    let mut b = 0;
    while b < 128 {
        table[b] = matches!(ASCII[b], Class::ATerm | Class::STerm | Class::Cr | Class::Lf);
        b += 1;
    }
    table
};

/// Class of a non-ASCII char; `Unknown` outside the blocks listed.
fn class_of(c: char) -> Class {
    match u32::from(c) {
        0x85 | 0x2028 | 0x2029 => Class::Sep,
        0xa0 | 0x2000..=0x200a | 0x202f => Class::Sp,
        0xad | 0x200b..=0x200f | 0x202a..=0x202e | 0x300..=0x36f | 0xfe00..=0xfe0f => Class::Extend,
        0xab | 0xbb | 0x2018..=0x201f | 0x2039 | 0x203a | 0x275b..=0x2760 | 0x2768..=0x2775 | 0x1f676..=0x1f678 => {
            Class::Close
        }
        0x2013 | 0x2014 => Class::SContinue,
        0x2024 => Class::ATerm,
        0x203c | 0x203d => Class::STerm,
        0xaa | 0xb5 | 0xba | 0xdf..=0xf6 | 0xf8..=0xff => Class::Lower,
        0xc0..=0xd6 | 0xd8..=0xde => Class::Upper,
        0x100..=0x24f | 0x1e00..=0x1eff => latin_letter(c),
        0x80..=0xff
        | 0x2010..=0x203e
        | 0x20a0..=0x20cf
        | 0x2190..=0x21ff
        | 0x2600..=0x27bf
        | 0x2b00..=0x2bff
        | 0x1f1e6..=0x1f1ff
        | 0x1f300..=0x1faff => Class::Other,
        _ => Class::Unknown,
    }
}

/// Class of a letter of Latin Extended-A/B or Latin Extended Additional. These blocks mix cases without a
/// pattern, so the standard library's case tables decide; the four titlecase digraphs count as Upper, and
/// the few caseless letters (ƻ, ǀ–ǃ) as OLetter.
fn latin_letter(c: char) -> Class {
    if c.is_lowercase() {
        Class::Lower
    } else if c.is_uppercase() || matches!(c, 'ǅ' | 'ǈ' | 'ǋ' | 'ǲ') {
        Class::Upper
    } else {
        Class::OLetter
    }
}

/// The class of the char starting at byte `i` (a char boundary) and its length in bytes; `None` at the end.
#[inline]
fn class_at(line: &str, i: usize) -> Option<(Class, usize)> {
    match *line.as_bytes().get(i)? {
        b if b < 0x80 => Some((ASCII[usize::from(b)], 1)),
        _ => {
            let c = line.get(i..)?.chars().next()?;
            Some((class_of(c), c.len_utf8()))
        }
    }
}

/// What the text so far means for the next boundary (Extend and Format chars left out, SB5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    /// No terminator is pending. `after_cased`: the last char was Upper or Lower, which SB7 asks about
    /// when a `.` follows.
    Plain { after_cased: bool },
    /// A terminator, maybe closing punctuation after it, maybe spaces after that: `SATerm Close* Sp*`.
    Terminated {
        /// The terminator was ATerm (`.`), not STerm.
        full_stop: bool,
        /// The char before the `.` was Upper or Lower (SB7: `U.S`).
        cased_before: bool,
        /// Close chars followed the terminator.
        closed: bool,
        /// Sp chars followed (after any Close chars).
        spaced: bool,
    },
    /// A paragraph separator was the last char: the next char starts a sentence (SB4), unless it is the LF
    /// of CR LF (SB3).
    Separated { after_cr: bool },
}

impl Context {
    /// The context after a char of `class` (not Extend), given the context before it.
    fn after(self, class: Class) -> Context {
        match (class, self) {
            (Class::Upper | Class::Lower, _) => Context::Plain { after_cased: true },
            (Class::ATerm, _) => Context::Terminated {
                full_stop: true,
                cased_before: self == Context::Plain { after_cased: true },
                closed: false,
                spaced: false,
            },
            (Class::STerm, _) => {
                Context::Terminated { full_stop: false, cased_before: false, closed: false, spaced: false }
            }
            (Class::Close, Context::Terminated { full_stop, cased_before, spaced: false, .. }) => {
                Context::Terminated { full_stop, cased_before, closed: true, spaced: false }
            }
            (Class::Sp, Context::Terminated { full_stop, cased_before, closed, .. }) => {
                Context::Terminated { full_stop, cased_before, closed, spaced: true }
            }
            (Class::Cr, _) => Context::Separated { after_cr: true },
            (Class::Lf | Class::Sep, _) => Context::Separated { after_cr: false },
            _ => Context::Plain { after_cased: false },
        }
    }
}

/// A char the fast path does not know was found; the line must go to the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Unknown;

/// Pushes the byte ranges of the sentences of `text[line]` (untrimmed, covering the line), where `line`
/// starts at the start of `text` or after a line feed and ends at a line feed or the end. On `Err` some
/// ranges may have been pushed; the caller drops them.
pub(super) fn split_line(text: &str, line: Range<usize>, out: &mut Vec<Range<usize>>) -> Result<(), Unknown> {
    let s = text.get(line.clone()).ok_or(Unknown)?;
    let bytes = s.as_bytes();
    let Some((first, mut i)) = class_at(s, 0) else { return Ok(()) };
    let mut context = match first {
        Class::Unknown => return Err(Unknown),
        Class::Extend => Context::Plain { after_cased: false },
        class => Context::Plain { after_cased: false }.after(class),
    };
    let mut start = 0;
    while i < bytes.len() {
        if let Context::Plain { .. } = context {
            // Nothing breaks inside plain text: skip ASCII up to the next terminator or line break. Whether
            // the last char skipped was cased is all the context keeps of it (SB7).
            let from = i;
            while bytes.get(i).is_some_and(|&b| !STOPS_PLAIN_TEXT[usize::from(b)]) {
                i += 1;
            }
            if i > from {
                let last = ASCII[usize::from(bytes[i - 1])];
                context = Context::Plain { after_cased: matches!(last, Class::Upper | Class::Lower) };
            }
        }
        let Some((class, len)) = class_at(s, i) else { break };
        let (breaks, next) = step(s, i, context, class)?;
        if breaks {
            out.push(line.start + start..line.start + i);
            start = i;
        }
        context = next;
        i += len;
    }
    out.push(line.start + start..line.end);
    Ok(())
}

/// Whether there is a boundary before the char at byte `i` of class `class`, and the context after it.
fn step(line: &str, i: usize, context: Context, class: Class) -> Result<(bool, Context), Unknown> {
    match (context, class) {
        (_, Class::Unknown) => Err(Unknown),
        (Context::Separated { after_cr: true }, Class::Lf) => Ok((false, Context::Separated { after_cr: false })),
        (Context::Separated { .. }, Class::Extend) => Ok((true, Context::Plain { after_cased: false })),
        (Context::Separated { .. }, _) => Ok((true, context.after(class))),
        (_, Class::Extend) => Ok((false, context)),
        (Context::Plain { .. }, _) => Ok((false, context.after(class))),
        (Context::Terminated { full_stop, cased_before, closed, spaced }, _) => {
            let bare_full_stop = full_stop && !closed && !spaced;
            let continues = match class {
                Class::Numeric => bare_full_stop,                       // SB6: 3.5
                Class::Upper => bare_full_stop && cased_before,         // SB7: U.S
                Class::SContinue | Class::STerm | Class::ATerm => true, // SB8a
                Class::Close => !spaced,                                // SB9
                Class::Sp | Class::Cr | Class::Lf | Class::Sep => true, // SB9, SB10
                _ => false,
            };
            // SB8: after a `.`, a lowercase letter ahead (before any other letter or terminator) continues
            // the sentence: `e.g. the`, `etc.) and`.
            let continues = continues || (full_stop && lowercase_ahead(line, i)?);
            Ok((!continues, context.after(class)))
        }
    }
}

/// SB8's look-ahead from byte `i`: whether a Lower char comes before any OLetter, Upper, Sep, CR, LF,
/// STerm or ATerm char.
fn lowercase_ahead(line: &str, mut i: usize) -> Result<bool, Unknown> {
    while let Some((class, len)) = class_at(line, i) {
        match class {
            Class::Lower => return Ok(true),
            Class::Unknown => return Err(Unknown),
            Class::OLetter | Class::Upper | Class::Sep | Class::Cr | Class::Lf | Class::STerm | Class::ATerm => {
                return Ok(false);
            }
            _ => i += len,
        }
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Result<Vec<&str>, Unknown> {
        let mut out = Vec::new();
        split_line(text, 0..text.len(), &mut out)?;
        Ok(out.into_iter().filter_map(|r| text.get(r)).collect())
    }

    /// Ordinary news text, emoji with modifiers included, must stay on the fast path.
    #[test]
    fn news_text_needs_no_fallback() {
        let text = "“It is naïve,” said Zoë. U.S. officials agreed 👍🏽 ⚠️ 🇪🇺! Prices rose 3.5% (e.g. bread).\n";
        assert_eq!(
            split(text),
            Ok(vec![
                "“It is naïve,” said Zoë. ",
                "U.S. officials agreed 👍🏽 ⚠️ 🇪🇺! ",
                "Prices rose 3.5% (e.g. bread).\n"
            ])
        );
    }

    #[test]
    fn other_scripts_go_to_the_crate() {
        assert_eq!(split("Привет. Мир."), Err(Unknown));
    }
}
