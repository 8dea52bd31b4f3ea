//! Source cues: attribution structures in one sentence — "according to X", "X said (that) …",
//! "…, X said." / "“…,” said X", and quoted speech with its speaker.
//!
//! Everything here works on one sentence as a `&str` and returns byte ranges relative to it; the engine
//! turns them into char offsets through [`crate::text::offsets`].

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::lexicon;
use super::source_words::{
    AUXILIARIES, CLAUSE_WORDS, CLOSING_VERBS, FINITE, JUDGING, LOOSE_VERBS, LOWER_SPEAKERS, NOT_SPEAKERS, THAT_VERBS,
};

/// What the verb of an attribution says about its content when the content carries no cue of its own.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Leaning {
    /// Reporting facts: "said", "found", "estimated" — content is a Claim unless it reads as an opinion.
    Report,
    /// Judging or predicting: "argued", "warned", "expects" — content is an Opinion unless it carries numbers.
    Judge,
}

/// One attribution found in a sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Attribution {
    /// Which structure found it (the Source suggestion's rule name).
    pub rule: &'static str,
    /// The speaker phrase.
    pub source: Range<usize>,
    /// What is attributed, when it could be delimited.
    pub content: Option<Range<usize>>,
    /// Whether the content is quoted speech.
    pub quoted: bool,
    /// How the verb leans.
    pub leaning: Leaning,
}

static VERB: LazyLock<Option<Regex>> = LazyLock::new(|| lexicon(&format!(r"\b(?:{LOOSE_VERBS}|{THAT_VERBS})\b")));
static ACCORDING: LazyLock<Option<Regex>> = LazyLock::new(|| lexicon(r"\baccording\s+to\s+"));

/// Most words a speaker phrase may have (appositives included: "Inès Moreau, the bank’s regional economist").
const MAX_SPEAKER_WORDS: usize = 14;
/// Fewest words attributed content must have to be worth suggesting.
const MIN_CONTENT_WORDS: usize = 3;

fn word_count(text: &str) -> usize {
    text.split_whitespace().count()
}

fn first_word(text: &str) -> &str {
    let text = text.trim_start_matches(|c: char| !c.is_alphanumeric());
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '.' || c == '’' || c == '\''))
        .unwrap_or(text.len());
    &text[..end]
}

/// Whether `segment` could start a speaker phrase.
fn speaker_like(segment: &str) -> bool {
    let word = first_word(segment);
    let lower = word.to_lowercase();
    if word.is_empty() || NOT_SPEAKERS.contains(&lower.as_str()) {
        return false;
    }
    // A determiner alone is not a speaker ("…, the show went on").
    if word_count(segment) == 1 && matches!(lower.as_str(), "the" | "a" | "an" | "its" | "his" | "her" | "their") {
        return false;
    }
    word.chars().next().is_some_and(|c| c.is_uppercase() || c.is_ascii_digit())
        || LOWER_SPEAKERS.contains(&lower.as_str())
}

/// `range` of `s` without surrounding whitespace.
fn trim(s: &str, range: Range<usize>) -> Range<usize> {
    let inner = &s[range.clone()];
    let start = range.start + (inner.len() - inner.trim_start().len());
    let end = start + inner.trim().len();
    start..end.max(start)
}

/// Whether byte `at` of `s` lies inside “…” (curly quotes count depth; straight quotes toggle).
fn inside_quote(s: &str, at: usize) -> bool {
    let (mut depth, mut straight) = (0i32, false);
    for c in s[..at].chars() {
        match c {
            '“' => depth += 1,
            '”' => depth = (depth - 1).max(0),
            '"' => straight = !straight,
            _ => {}
        }
    }
    depth > 0 || straight
}

/// The speaker phrase that ends right before `verb_start`, walking back over auxiliaries to the start of
/// the clause and taking comma-separated appositives while they still look like part of a name.
fn speaker_before(s: &str, verb_start: usize) -> Option<Range<usize>> {
    // An appositive closes with a comma before the verb ("A spokesperson, Henrik Dahl, said").
    let mut end = s[..verb_start].trim_end().trim_end_matches(',').len();
    // Drop auxiliaries and adverbs between speaker and verb, word by word.
    loop {
        let head = &s[..end];
        let word_start = head.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let word = &head[word_start..];
        if AUXILIARIES.contains(&word.to_lowercase().as_str()) && word_start > 0 {
            end = head[..word_start].trim_end().len();
        } else {
            break;
        }
    }
    let head = &s[..end];
    // The clause starts after the last quote mark, dash, semicolon, colon, bracket or clause word.
    let mut start = head
        .rfind(['“', '”', '—', '–', ';', ':', '(', ')', '"'])
        .map_or(0, |i| i + head[i..].chars().next().map_or(1, char::len_utf8));
    let mut offset = start;
    let mut clause_start = start;
    for word in head[start..].split(' ') {
        if CLAUSE_WORDS.iter().any(|c| c.eq_ignore_ascii_case(word)) {
            clause_start = offset + word.len() + 1;
        }
        offset += word.len() + 1;
    }
    start = clause_start.min(end);
    let clause = &head[start..];
    // Walk comma-separated segments from the right; the head segment must look like a speaker.
    let mut phrase_start = end;
    let mut words = 0;
    for (i, segment) in clause.rsplit(',').enumerate() {
        let seg_words = word_count(segment);
        let relative = matches!(first_word(segment).to_lowercase().as_str(), "who" | "which");
        // Segments left of the head are appositives or relative clauses: short, and without a finite verb
        // of their own ("The bridge will close, the authority said" has a clause there, not a title).
        let appositive = !segment.split_whitespace().any(|w| FINITE.contains(&w.to_lowercase().as_str()))
            && seg_words <= if relative { 9 } else { 6 };
        // An appositive names or titles someone: it opens with a capital or a determiner, never with a bare
        // plural ("records began, the weather service said" is a clause ending, not a title).
        let opener = first_word(segment);
        let titled = opener.starts_with(char::is_uppercase)
            || matches!(opener.to_lowercase().as_str(), "the" | "a" | "an" | "its" | "his" | "her" | "their");
        let fits = if i == 0 {
            speaker_like(segment)
        } else {
            (speaker_like(segment) && titled && appositive) || (relative && seg_words <= 9)
        };
        if !fits || seg_words == 0 || words + seg_words > MAX_SPEAKER_WORDS {
            break;
        }
        words += seg_words;
        phrase_start -= segment.len() + usize::from(i > 0);
    }
    if phrase_start >= end {
        return None;
    }
    let range = trim(s, phrase_start..end);
    let text = &s[range.clone()];
    // A relative clause cannot open the phrase ("who runs a bakery, said" has lost its name).
    let opener = first_word(text).to_lowercase();
    if matches!(opener.as_str(), "who" | "which") || text.is_empty() {
        return None;
    }
    Some(range)
}

/// The speaker phrase after an inverted verb ("said Margarethe Olsen, the authority’s chief engineer.").
fn speaker_after(s: &str, verb_end: usize) -> Option<Range<usize>> {
    let rest = &s[verb_end..];
    let stop = rest.find(['“', '”', '"', ';', ':', '—']).unwrap_or(rest.len());
    let range = trim_end_punct(s, trim(s, verb_end..verb_end + stop));
    let text = &s[range.clone()];
    (!text.is_empty() && speaker_like(text) && word_count(text) <= MAX_SPEAKER_WORDS + 2).then_some(range)
}

/// `range` without a final full stop, comma or exclamation mark (a question mark is kept: it is the cue).
fn trim_end_punct(s: &str, range: Range<usize>) -> Range<usize> {
    let text = &s[range.clone()];
    let cut = text.trim_end_matches(['.', ',', '!', ';', ':']).trim_end();
    range.start..range.start + cut.len()
}

/// Content in `range`, with quotes unwrapped: returns the range and whether it was a quotation.
fn content(s: &str, range: Range<usize>) -> Option<(Range<usize>, bool)> {
    let range = trim(s, range);
    let text = &s[range.clone()];
    let closes = text.ends_with('”');
    let (range, quoted) = match (text.strip_prefix('“'), text.rfind('”')) {
        (Some(_), Some(close)) if closes => (trim(s, range.start + '“'.len_utf8()..range.start + close), true),
        // The quotation opened in an earlier sentence: drop the dangling closing mark.
        (None, Some(close)) if closes && !text.contains('“') => (trim(s, range.start..range.start + close), true),
        // It goes on in the next sentence: drop the dangling opening mark.
        (Some(_), None) => (trim(s, range.start + '“'.len_utf8()..range.end), true),
        _ => (range, false),
    };
    let range = trim_end_punct(s, range);
    (word_count(&s[range.clone()]) >= MIN_CONTENT_WORDS).then_some((range, quoted))
}

fn leaning(verb: &str) -> Leaning {
    if JUDGING.contains(&verb.to_lowercase().as_str()) { Leaning::Judge } else { Leaning::Report }
}

/// "according to X": X up to the next comma or the sentence end; the content is the rest of the clause.
fn according_to(s: &str) -> Option<Attribution> {
    let found = ACCORDING.as_ref()?.find(s)?;
    let rest = &s[found.end()..];
    let stop = rest.find([',', ';', ':', '—', '“', '(']).unwrap_or(rest.len());
    let source = trim_end_punct(s, trim(s, found.end()..found.end() + stop));
    if source.is_empty() || word_count(&s[source.clone()]) > MAX_SPEAKER_WORDS {
        return None;
    }
    let before = s[..found.start()].trim_end().trim_end_matches(',');
    let body = if word_count(before) >= MIN_CONTENT_WORDS {
        content(s, 0..before.len())
    } else {
        let after = source.end + s[source.end..].find(',').map_or(s.len() - source.end, |i| i + 1);
        content(s, after.min(s.len())..s.len())
    };
    let (content, quoted) = body.map_or((None, false), |(r, q)| (Some(r), q));
    Some(Attribution { rule: "source.according-to", source, content, quoted, leaning: Leaning::Report })
}

/// "…, X said." / "“…,” said X." : the attribution closes the sentence and the content comes first.
fn trailing(s: &str, verb: Range<usize>) -> Option<Attribution> {
    let verb_word = &s[verb.clone()];
    let closing = |list: &str| list.split('|').any(|v| v.eq_ignore_ascii_case(verb_word));
    if !(closing(LOOSE_VERBS) || closing(CLOSING_VERBS)) || inside_quote(s, verb.start) || passive(s, verb.start) {
        return None;
    }
    let rule = |quoted: bool| if quoted { "source.quoted-speech" } else { "source.reporting-verb" };
    // Plain: "…, X said on Friday." — at most a short adverbial follows the verb, and the speaker phrase
    // is set off from the content by a comma or a closing quote.
    let after = &s[verb.end..];
    let tail = after.find(',').map_or(after, |i| &after[..i]);
    if word_count(tail) <= 4
        && !tail.contains(['“', '”'])
        && let Some(source) = speaker_before(s, verb.start)
    {
        let gap = s[..source.start].trim_end();
        if (gap.ends_with(',') || gap.ends_with('”'))
            && let Some((content, quoted)) = content(s, 0..gap.trim_end_matches(',').len())
        {
            return Some(Attribution {
                rule: rule(quoted),
                source,
                content: Some(content),
                quoted,
                leaning: leaning(verb_word),
            });
        }
    }
    // Inverted: "…,” said X." — the verb follows the closing quote (or a comma) directly.
    let before = s[..verb.start].trim_end();
    let after_quote = before.ends_with('”');
    if !(after_quote || before.ends_with(',')) {
        return None;
    }
    let source = speaker_after(s, verb.end)?;
    let named = s[source.clone()].split_whitespace().any(|w| w.starts_with(char::is_uppercase));
    // Without a quotation, "X, said the …" is too often a speaker followed by its content: ask for a
    // short phrase that names someone.
    if !after_quote && (!named || word_count(&s[source.clone()]) > 8) {
        return None;
    }
    let (content, quoted) = content(s, 0..before.trim_end_matches(',').len())?;
    Some(Attribution { rule: rule(quoted), source, content: Some(content), quoted, leaning: leaning(verb_word) })
}

/// Whether the verb at `verb_start` is passive or a predicate ("is expected to", "was reported"), which
/// states something about the subject rather than attributing words to it.
fn passive(s: &str, verb_start: usize) -> bool {
    let before = s[..verb_start].trim_end();
    let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
    matches!(word.to_lowercase().as_str(), "is" | "are" | "was" | "were" | "be" | "been" | "being" | "widely")
}

/// "X said (that) …", "X told reporters that …", "X said: “…”": the speaker first, the content after.
fn forward(s: &str, verb: Range<usize>) -> Option<Attribution> {
    if inside_quote(s, verb.start) {
        return None;
    }
    if passive(s, verb.start) {
        return None;
    }
    let verb_word = &s[verb.clone()];
    let loose = LOOSE_VERBS.split('|').any(|v| v.eq_ignore_ascii_case(verb_word));
    let source = speaker_before(s, verb.start)?;
    let rest = &s[verb.end..];
    // "that" within a few words (no punctuation between) opens the content: "said on Friday that …".
    let that = rest
        .match_indices(" that ")
        .next()
        .filter(|(i, _)| word_count(&rest[..*i]) <= 5 && !rest[..*i].contains([',', '.', ';', '“', '”']))
        .map(|(i, m)| verb.end + i + m.len());
    let start = match that {
        Some(at) => at,
        None if !loose => return None,
        None => {
            let trimmed = rest.trim_start();
            if let Some(after_colon) = trimmed.strip_prefix(':') {
                s.len() - after_colon.len()
            } else if verb_word.to_lowercase().starts_with("tel") || verb_word.eq_ignore_ascii_case("told") {
                // "told X: …" — the listener is not content; without "that" or a colon there is none.
                let colon = rest.find(':').filter(|&i| word_count(&rest[..i]) <= 5)?;
                verb.end + colon + 1
            } else {
                s.len() - trimmed.trim_start_matches(',').len()
            }
        }
    };
    let body = content(s, start..s.len());
    let quoted = body.as_ref().is_some_and(|(_, q)| *q);
    let rule = if quoted { "source.quoted-speech" } else { "source.reporting-verb" };
    Some(Attribution { rule, source, content: body.map(|(r, _)| r), quoted, leaning: leaning(verb_word) })
}

/// The attribution in sentence `s`, if it has one. The closing forms are tried from the last reporting verb
/// backwards, so a verb inside the quotation ("“Critics say …,” she said") is not mistaken for the frame.
pub(crate) fn attribution(s: &str) -> Option<Attribution> {
    // A question asks rather than reports ("Does anyone seriously believe …?"): leave it to the opinion cues.
    if s.trim_end_matches(['”', '"', ' ']).ends_with('?') {
        return None;
    }
    if let Some(found) = according_to(s) {
        return Some(found);
    }
    let verbs: Vec<Range<usize>> = VERB.as_ref()?.find_iter(s).map(|m| m.range()).collect();
    if let Some(found) = verbs.iter().rev().find_map(|verb| trailing(s, verb.clone())) {
        return Some(found);
    }
    verbs.into_iter().find_map(|verb| forward(s, verb))
}

/// Whether the source lexicons compiled (checked by the tests).
#[cfg(test)]
pub(crate) fn lexicons_compile() -> bool {
    VERB.is_some() && ACCORDING.is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> (String, String, &'static str) {
        let a = attribution(s).unwrap_or_else(|| panic!("no attribution in {s:?}"));
        (s[a.source].to_string(), a.content.map(|c| s[c].to_string()).unwrap_or_default(), a.rule)
    }

    #[test]
    fn finds_the_common_structures() {
        assert!(lexicons_compile());
        assert_eq!(
            parts("Officials at the Port Authority said the bridge carried 41,000 vehicles a day in 2025."),
            (
                "Officials at the Port Authority".into(),
                "the bridge carried 41,000 vehicles a day in 2025".into(),
                "source.reporting-verb"
            )
        );
        assert_eq!(
            parts("“We did not take this decision lightly,” said Margarethe Olsen, the authority’s chief engineer."),
            (
                "Margarethe Olsen, the authority’s chief engineer".into(),
                "We did not take this decision lightly".into(),
                "source.quoted-speech"
            )
        );
        assert_eq!(
            parts("A spokesperson, Henrik Dahl, said on Friday that the report had recommended monitoring."),
            (
                "A spokesperson, Henrik Dahl".into(),
                "the report had recommended monitoring".into(),
                "source.reporting-verb"
            )
        );
        assert_eq!(
            parts("The bridge will close for six weeks, the Port Authority announced on Friday, after a test."),
            ("the Port Authority".into(), "The bridge will close for six weeks".into(), "source.reporting-verb")
        );
        assert_eq!(
            parts("According to the inspection report, corrosion had reduced the cable by 7 percent."),
            (
                "the inspection report".into(),
                "corrosion had reduced the cable by 7 percent".into(),
                "source.according-to"
            )
        );
    }

    #[test]
    fn ignores_non_attributions() {
        for s in ["The closure is the longest since the bridge opened in 1963.", "Despite the rain, the show went on."]
        {
            assert_eq!(attribution(s), None, "{s}");
        }
    }
}
