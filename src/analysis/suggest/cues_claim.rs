//! Claim cues: what makes a statement checkable — numbers and quantities, dates, named places and events.

use std::sync::LazyLock;

use regex::Regex;

use super::cues_opinion::Strength;
use super::lexicon;

/// Digits, currency and percentages: measured, countable facts.
static DIGITS: LazyLock<Option<Regex>> = LazyLock::new(|| lexicon(r"(?:\d|[€$£¥%]|\bper\s*cent\b)"));

/// Spelled-out amounts: checkable too, but common in figures of speech ("a million reasons").
static NUMBER_WORDS: LazyLock<Option<Regex>> = LazyLock::new(|| {
    lexicon(
        r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|quarter|doubled|tripled|halved|majority|minority)\b",
    )
});

/// Dates and times that pin a statement to a moment.
static DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    lexicon(
        r"\b(?:january|february|march|april|may\s+\d|june|july|august|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|last\s+(?:week|month|year|spring|summer|autumn|winter)|this\s+(?:week|month|year)|since\s+\d{4}|in\s+\d{4})\b",
    )
});

/// A named place or event after a preposition: "in Kursk", "at the Port Authority", "during the Games".
/// Case-sensitive on purpose: the capital letter is the cue.
static NAMED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(?:in|at|from|near|across|outside|inside|along|during|into|to)\s+(?:the\s+)?\p{Lu}\p{Ll}+")
        .ok()
});

/// Past-tense events and measured states: "was flooded", "were evacuated", "has risen".
static EVENT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    lexicon(
        r"\b(?:was|were|has\s+been|have\s+been|had\s+been)\s+\w+(?:ed|en)\b|\b(?:rose|fell|grew|increased|decreased|dropped|doubled|opened|closed|won|lost|killed|injured|arrested|evacuated|published|announced|approved|rejected|signed|voted|passed|elected|measured|recorded|reported)\b",
    )
});

fn hits(cue: &LazyLock<Option<Regex>>, text: &str) -> bool {
    cue.as_ref().is_some_and(|r| r.is_match(text))
}

/// The claim cue in `clause`, if any, as a rule name and strength. Digits and currency are strong; spelled
/// amounts, dates and named places with an event verb are weak, since they also turn up in judgements ("the
/// next fifty years deserve better").
pub(crate) fn claim_cue(clause: &str) -> Option<(&'static str, Strength)> {
    if hits(&DIGITS, clause) {
        return Some(("claim.number", Strength::Strong));
    }
    if hits(&NUMBER_WORDS, clause) {
        return Some(("claim.number", Strength::Weak));
    }
    if hits(&DATE, clause) {
        return Some(("claim.date", Strength::Weak));
    }
    // Names alone appear in every kind of sentence; next to an event verb they place a checkable event.
    if hits(&NAMED, clause) && hits(&EVENT, clause) {
        return Some(("claim.named-event", Strength::Weak));
    }
    None
}

/// Whether every claim lexicon compiled (checked by the tests).
#[cfg(test)]
pub(crate) fn lexicons_compile() -> bool {
    [&DIGITS, &NUMBER_WORDS, &DATE, &NAMED, &EVENT].iter().all(|cue| cue.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_fire_on_checkable_statements() {
        assert!(lexicons_compile());
        assert_eq!(claim_cue("the bridge carried 41,000 vehicles a day"), Some(("claim.number", Strength::Strong)));
        assert_eq!(claim_cue("The closure starts on Friday"), Some(("claim.date", Strength::Weak)));
        assert_eq!(claim_cue("Three villages were flooded"), Some(("claim.number", Strength::Weak)));
        assert_eq!(claim_cue("The road was closed in Kleve"), Some(("claim.named-event", Strength::Weak)));
        assert_eq!(claim_cue("The mood in Kleve is grim"), None);
        assert_eq!(claim_cue("We may go"), None);
    }
}
