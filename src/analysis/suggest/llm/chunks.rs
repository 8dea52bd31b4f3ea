//! Cutting a document into pieces small enough for one request, so that every answer maps back: each
//! chunk is an exact slice of the text with the char offset where it starts.

use std::ops::Range;

use crate::model::CharIdx;
use crate::text::offsets::OffsetMap;
use crate::text::tokens::sentences;

/// A piece of a document sent in one request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chunk<'a> {
    /// Char offset of the chunk's first char in the document.
    pub start: CharIdx,
    /// The exact text of the document from `start` on.
    pub text: &'a str,
}

/// Cuts `text` into chunks of at most `max_chars` chars (at least 1). Whole paragraphs (lines) are packed
/// together; a paragraph is only cut when it alone is longer, at sentence ends, and a sentence only when it
/// alone is longer, at a space. Blank text between chunks is left out; nothing else is.
pub fn chunks(text: &str, max_chars: usize) -> Vec<Chunk<'_>> {
    let max = max_chars.max(1);
    let map = OffsetMap::new(text);
    let chars = |r: &Range<usize>| -> usize {
        match (map.byte_to_char(r.start), map.byte_to_char(r.end)) {
            (Ok(a), Ok(b)) => b.0 - a.0,
            // Unreachable for ranges cut at char boundaries; counting bytes over-estimates, which is safe.
            _ => r.end - r.start,
        }
    };
    let mut units: Vec<Range<usize>> = Vec::new();
    for para in paragraphs(text) {
        if chars(&para) <= max {
            units.push(para);
        } else {
            split_long(text, para, max, &chars, &mut units);
        }
    }
    let mut out = Vec::new();
    let mut current: Option<Range<usize>> = None;
    for unit in units {
        current = match current {
            Some(c) if chars(&(c.start..unit.end)) <= max => Some(c.start..unit.end),
            Some(c) => {
                push(text, &map, c, &mut out);
                Some(unit)
            }
            None => Some(unit),
        };
    }
    if let Some(c) = current {
        push(text, &map, c, &mut out);
    }
    out
}

fn push<'a>(text: &'a str, map: &OffsetMap<'_>, range: Range<usize>, out: &mut Vec<Chunk<'a>>) {
    if let Ok(start) = map.byte_to_char(range.start) {
        out.push(Chunk { start, text: &text[range] });
    }
}

/// Byte ranges of the non-blank lines of `text`, without their line ends and outer whitespace.
fn paragraphs(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let lead = line.len() - line.trim_start().len();
        let kept = line.trim();
        if !kept.is_empty() {
            out.push(at + lead..at + lead + kept.len());
        }
        at += line.len();
    }
    out
}

/// Splits an over-long paragraph at sentence ends, and an over-long sentence at spaces.
fn split_long(
    text: &str,
    para: Range<usize>,
    max: usize,
    chars: &dyn Fn(&Range<usize>) -> usize,
    units: &mut Vec<Range<usize>>,
) {
    let slice = &text[para.clone()];
    let map = OffsetMap::new(slice);
    for sentence in sentences(slice) {
        let Ok(bytes) = map.byte_range(sentence) else { continue };
        let mut rest = para.start + bytes.start..para.start + bytes.end;
        while chars(&rest) > max {
            let window = &text[rest.clone()];
            // The byte where the first `max` chars end, then back to the last space before it.
            let limit = window.char_indices().nth(max).map_or(window.len(), |(b, _)| b);
            let cut = window[..limit].rfind(char::is_whitespace).filter(|&b| b > 0).unwrap_or(limit);
            units.push(rest.start..rest.start + cut);
            let next = rest.start + cut;
            let skip = text[next..rest.end].len() - text[next..rest.end].trim_start().len();
            rest = next + skip..rest.end;
        }
        if rest.start < rest.end {
            units.push(rest);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn char_slice(text: &str, start: usize, len: usize) -> String {
        text.chars().skip(start).take(len).collect()
    }

    #[test]
    fn paragraphs_are_packed_whole_and_map_back() {
        let text = "“Río” opened — fully.\n\nSecond paragraph, a bit longer.\nThird one.\n";
        // The second and third paragraphs fit in 45 chars together; the first with the second does not.
        let got = chunks(text, 45);
        assert_eq!(got.len(), 2, "{got:?}");
        assert_eq!(got[0].text, "“Río” opened — fully.");
        assert_eq!(got[1].text, "Second paragraph, a bit longer.\nThird one.");
        for c in &got {
            assert_eq!(char_slice(text, c.start.0, c.text.chars().count()), c.text);
        }
    }

    #[test]
    fn a_long_paragraph_is_cut_at_sentence_ends() {
        let text =
            "Mayor Zoë Brandt said it. The U.S. port reopened on Monday. Then a very long sentence follows here.";
        let got = chunks(text, 40);
        assert!(got.iter().all(|c| c.text.chars().count() <= 40), "{got:?}");
        assert_eq!(got[0].text, "Mayor Zoë Brandt said it.");
        assert_eq!(got[1].text, "The U.S. port reopened on Monday.");
        let joined: Vec<&str> = got.iter().map(|c| c.text).collect();
        assert_eq!(joined.join(" "), text, "nothing lost between the pieces");
        for c in &got {
            assert_eq!(char_slice(text, c.start.0, c.text.chars().count()), c.text);
        }
    }

    #[test]
    fn a_sentence_longer_than_a_chunk_is_cut_at_spaces() {
        let texts: Vec<&str> = chunks("alpha beta gamma delta epsilon", 12).iter().map(|c| c.text).collect();
        assert_eq!(texts, ["alpha beta", "gamma delta", "epsilon"]);
        let texts: Vec<&str> = chunks("abcdefghij", 4).iter().map(|c| c.text).collect();
        assert_eq!(texts, ["abcd", "efgh", "ij"], "no space: cut at the limit");
    }

    #[test]
    fn blank_text_gives_no_chunk() {
        assert!(chunks(" \n\n \n", 10).is_empty());
        assert_eq!(chunks("one", 10), vec![Chunk { start: CharIdx(0), text: "one" }]);
    }
}
