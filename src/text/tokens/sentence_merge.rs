//! A post-pass over UAX #29 sentence boundaries for news text. UAX #29 ends a sentence at any full stop
//! followed by a space and a capital letter, so it splits "According to U.S. | Secretary of State …",
//! "Dr. | Okonkwo", "J. | R. | R. Tolkien", and makes sentences of list markers ("1." before an item's
//! text). This pass joins such pieces again. It sits above both UAX #29 implementations (the fast scanner
//! and the crate), so they stay two exact implementations of the standard underneath.
//!
//! A boundary is only ever removed, never added, and never across a line end. A quote or bracket closing a
//! sentence (`.”`, `?)`) needs nothing here: UAX #29 already ends the sentence after the closer (SB9–SB11).
//! One more join: UAX #29 ends a sentence after `?` or `!` even before a lower-case word, which splits
//! “Why?” she asked; a lower-case word after them continues the sentence.

use std::ops::Range;

/// Words that can stand capitalised right after an abbreviation only because they start a new sentence.
/// After "U.S.", "Dr." or an initial, a capitalised word is usually part of a name or title ("U.S.
/// Secretary of State", "Dr. Okonkwo", "J. R. R. Tolkien"), so the sentence goes on; but if that word is a
/// function word such as "The" or "He", the abbreviation ended the sentence ("… in the U.S. The mayor …").
/// Function words rarely begin names, which makes this short list a safe test; a name after a sentence
/// that ends in an abbreviation ("… moved to the U.S. Maria stayed.") is still joined, the price of the
/// heuristic.
const SENTENCE_STARTERS: [&str; 62] = [
    "A",
    "After",
    "All",
    "Also",
    "An",
    "And",
    "As",
    "At",
    "Before",
    "Both",
    "But",
    "By",
    "Each",
    "For",
    "From",
    "He",
    "Her",
    "His",
    "How",
    "However",
    "I",
    "If",
    "In",
    "It",
    "Its",
    "Many",
    "Meanwhile",
    "Most",
    "My",
    "No",
    "Not",
    "Now",
    "On",
    "One",
    "Or",
    "Our",
    "She",
    "Since",
    "So",
    "Some",
    "Still",
    "That",
    "The",
    "Their",
    "Then",
    "There",
    "These",
    "They",
    "This",
    "Those",
    "To",
    "We",
    "What",
    "When",
    "Where",
    "While",
    "Who",
    "Why",
    "With",
    "Yet",
    "You",
    "Your",
];

/// What may follow an abbreviation for the sentence to go on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Follow {
    /// Lower case, a digit, or a capitalised word that is not a [`SENTENCE_STARTERS`] word: titles before
    /// names ("Dr.", "Gen."), company and name suffixes ("Inc.", "Jr."), "U.S."-style initialisms, initials.
    NotStarter,
    /// Lower case or a digit: abbreviations that end sentences as often as not ("Oct." — "Oct. 31" goes on,
    /// "in Oct. The" does not; "5 p.m. The mayor" ends at "p.m.").
    LowerOrDigit,
    /// Lower case only ("etc.").
    Lower,
}

/// The rule for a word that ends in a full stop, if it is a known abbreviation or an initial.
fn follow(word: &str) -> Option<Follow> {
    // An abbreviation can open a bracket or quote: "(Dr. Ruiz", "“U.S. officials".
    let word = word.trim_start_matches(['(', '[', '"', '\'', '“', '‘', '«']);
    // Every abbreviation known here, and an initial, is at most five bytes: most sentence-final words are
    // turned away by their length alone.
    if word.len() > 5 {
        return None;
    }
    let rule = match word {
        "U.S." | "U.K." | "U.N." | "E.U." | "Dr." | "Mr." | "Mrs." | "Ms." | "Prof." | "Gen." | "Sen." | "Rep."
        | "Gov." | "Lt." | "Col." | "Capt." | "Sgt." | "St." | "Inc." | "Corp." | "Ltd." | "Co." | "Jr." | "Sr."
        | "vs." => Follow::NotStarter,
        "No." | "Jan." | "Feb." | "Mar." | "Apr." | "Jun." | "Jul." | "Aug." | "Sept." | "Sep." | "Oct." | "Nov."
        | "Dec." | "e.g." | "i.e." | "a.m." | "p.m." => Follow::LowerOrDigit,
        "etc." => Follow::Lower,
        _ if is_initial(word) => Follow::NotStarter,
        _ => return None,
    };
    Some(rule)
}

/// One capital letter and a full stop: an initial ("J.", "Ł.").
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(c), Some('.'), None) if c.is_uppercase())
}

/// A sentence that is only a list marker: "1.", "12.", "2)", "(3)", "a.", "B)", "iv.", "XII.".
fn is_list_marker(sentence: &str) -> bool {
    let inner = sentence.strip_prefix('(').unwrap_or(sentence);
    let Some(label) = inner.strip_suffix(['.', ')']) else { return false };
    let digits = !label.is_empty() && label.len() <= 3 && label.bytes().all(|b| b.is_ascii_digit());
    let letter = label.len() == 1 && label.bytes().all(|b| b.is_ascii_alphabetic());
    let roman = (1..=6).contains(&label.len())
        && (label.bytes().all(|b| b"ivxlc".contains(&b)) || label.bytes().all(|b| b"IVXLC".contains(&b)));
    digits || letter || roman
}

/// How a sentence ends, when that ending may not be a sentence end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// The sentence is only a list marker: it always joins the item after it.
    Marker,
    /// A known abbreviation or an initial, continued as its rule says.
    Abbreviation(Follow),
    /// `?` or `!`, perhaps inside a closing quote or bracket: continued by a lower-case word ("“Why?” she
    /// asked"). UAX #29 ends a sentence after them whatever follows; only a full stop waits for a
    /// lower-case word.
    Question,
}

/// Quotes and brackets that can close a sentence after its terminator.
const CLOSERS: [char; 7] = [')', ']', '”', '’', '"', '\'', '»'];

/// How `body` (a sentence without trailing spaces) ends, if the boundary after it may be removed. Checks
/// the last byte first and the last word only after a full stop, so ordinary sentence ends cost little.
fn ending(body: &str) -> Option<Ending> {
    let body = body.trim_start();
    let bytes = body.as_bytes();
    let last = *bytes.last()?;
    if matches!(last, b'.' | b')') {
        // A list marker is at most a few bytes ("(xii)").
        if body.len() <= 6 && is_list_marker(body) {
            return Some(Ending::Marker);
        }
        if last == b'.' {
            // The last word, found on bytes: an ASCII space or the start ends it (both are char
            // boundaries). A word longer than any abbreviation with an opening quote ("“Sept.") is not one,
            // so the search stops there.
            const LONGEST: usize = 8;
            let from = bytes.len().saturating_sub(LONGEST + 1);
            let start = match bytes[from..].iter().rposition(u8::is_ascii_whitespace) {
                Some(space) => from + space + 1,
                None if from == 0 => 0,
                None => return None,
            };
            return body.get(start..).and_then(follow).map(Ending::Abbreviation);
        }
    }
    body.trim_end_matches(CLOSERS).ends_with(['?', '!']).then_some(Ending::Question)
}

/// Whether the sentence `before` goes on into `after` (two neighbouring UAX #29 sentences, with their
/// spaces): it ends in an abbreviation or initial that `after`'s first word continues, is only a list
/// marker, or is a question or exclamation that a lower-case word continues.
fn joins(before: &str, after: &str) -> bool {
    let body = before.trim_end();
    let Some(ending) = ending(body) else { return false };
    // A line end is a sentence end, even after "1." alone on its line.
    if before[body.len()..].contains(['\n', '\r', '\u{85}', '\u{2028}', '\u{2029}']) {
        return false;
    }
    let next = after.trim_start().trim_start_matches(['(', '[', '"', '\'', '“', '‘', '«']);
    let Some(first) = next.chars().next() else { return false };
    let rule = match ending {
        Ending::Marker => return true,
        Ending::Question => return first.is_lowercase(),
        Ending::Abbreviation(rule) => rule,
    };
    if first.is_lowercase() {
        return true;
    }
    if first.is_ascii_digit() {
        return rule != Follow::Lower;
    }
    if rule != Follow::NotStarter || !first.is_uppercase() {
        return false;
    }
    let word: &str = next.split(|c: char| !c.is_alphabetic()).next().unwrap_or_default();
    !SENTENCE_STARTERS.contains(&word)
}

/// Joins each UAX #29 sentence (byte ranges of `text`, in order) to the next where news text goes on.
/// Works in place: the pass runs over every sentence of every export, so it allocates nothing.
pub fn merge(text: &str, mut raw: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut kept = 0;
    for i in 1..raw.len() {
        let (current, next) = (raw[kept].clone(), raw[i].clone());
        let continues = current.end == next.start
            && text.get(current).zip(text.get(next.clone())).is_some_and(|(a, b)| joins(a, b));
        if continues {
            raw[kept].end = next.end;
        } else {
            kept += 1;
            raw[kept] = next;
        }
    }
    raw.truncate(kept + 1);
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_and_initials() {
        for marker in ["1.", "12.", "2)", "(3)", "a.", "B)", "iv.", "XII."] {
            assert!(is_list_marker(marker), "{marker}");
        }
        for not in ["1234.", "ab.", "No.", "1", "ivy.", ""] {
            assert!(!is_list_marker(not), "{not}");
        }
        assert!(is_initial("J.") && is_initial("Ł.") && !is_initial("j.") && !is_initial("JR."));
    }

    #[test]
    fn joins_by_the_word_after() {
        assert!(joins("According to U.S. ", "Secretary of State Ruiz, talks failed."));
        assert!(!joins("He flew to the U.S. ", "The talks failed."));
        assert!(joins("It opens Oct. ", "31 at noon."));
        assert!(!joins("It opened in Oct. ", "Nobody came."));
        assert!(!joins("It ends at 5 p.m. ", "The mayor spoke."));
        assert!(!joins("Pens, paper, etc. ", "Then we left."));
        assert!(!joins("According to U.S.\n", "Secretary of State Ruiz spoke."));
        assert!(!joins("It rained. ", "Secretary Ruiz spoke."));
        assert!(joins("“Why?” ", "she asked."));
        assert!(!joins("“Why?” ", "She asked again."));
    }
}
