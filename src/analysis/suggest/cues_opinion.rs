//! Opinion cues: evaluative and normative language — obligation modals, stance markers, predictions and
//! hedges, evaluative adjectives and nouns, rhetorical questions.
//!
//! Cues are whole-word, case-insensitive regexes compiled once per process. They are tuned on the sample
//! project (`saves/sample.ron`), never on the evaluation articles in `tests/eval/`.

use std::sync::LazyLock;

use regex::Regex;

use super::lexicon;

/// How much an opinion cue outweighs a claim cue in the same clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// Evaluative words: an opinion unless the clause also carries numbers or dates ("a terrible 12 percent").
    Weak,
    /// Obligation, stance, prediction and questions: an opinion even next to numbers ("should cut fees by 5%").
    Strong,
}

/// "should", "must", "ought to", "needs to": telling someone what to do is a judgement.
static MODAL: LazyLock<Option<Regex>> = LazyLock::new(|| {
    lexicon(r"\b(?:should(?:n[’']t)?|must(?:n[’']t)?|ought\s+to|needs?\s+to|cannot\s+afford|has\s+got\s+to)\b")
});

/// Stance markers: the writer (or speaker) vouching for or framing the statement.
static STANCE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    lexicon(
        r"\b(?:clearly|obviously|surely|of\s+course|undoubtedly|frankly|plainly|evidently|arguably|admittedly|sadly|fortunately|unfortunately|seriously|in\s+(?:my|our)\s+(?:view|opinion)|i\s+(?:believe|think|fear|suspect|doubt)|we\s+(?:believe|think|fear)|it\s+is\s+(?:time|clear|obvious|absurd|wrong|right|hard\s+to|difficult\s+to|impossible\s+to|worth|a\s+(?:shame|scandal|mistake|disgrace))|it\s+is\s+(?:no\s+)?(?:wonder|surprise)|let\s+us|let[’']s|the\s+(?:truth|point)\s+is)\b",
    )
});

/// Predictions and hedged judgements: "likely", "expect … to", "will become more …".
static PREDICTION: LazyLock<Option<Regex>> = LazyLock::new(|| {
    lexicon(
        r"\b(?:(?:un)?likely|probably|perhaps|may\s+well|might\s+well|is\s+bound\s+to|are\s+bound\s+to|expects?\s+\S+(?:\s+\S+){0,4}\s+to|will\s+(?:become|get|grow)\s+(?:more|less|worse|better)|will\s+(?:help|hurt|fail|succeed|suffer|pay\s+off)|(?:a|the)\s+(?:recipe|promise)\s+for)\b",
    )
});

/// Evaluative adjectives, nouns and verbs: they grade rather than describe.
static EVALUATIVE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    lexicon(
        r"\b(?:reckless|unfair|unjust|disgraceful|absurd|shameful|shameless|excellent|terrible|awful|dreadful|appalling|outrageous|ridiculous|scandalous|laughable|pathetic|brilliant|wonderful|admirable|impressive|remarkable|foolish|wise|naive|naïve|misguided|wrong|irresponsible|reasonable|unreasonable|sensible|senseless|pointless|useless|worthless|vital|essential|crucial|dangerous|alarming|worrying|troubling|disappointing|welcome|overdue|long-overdue|better|worse|best|worst|bold|timid|short-sighted|shortsighted|cynical|hypocritical|incompetent|arrogant|lazy|careless|costly|wasteful|expensive|cheap|failure|failures|disaster|disastrous|mistake|mistakes|blunder|neglect|folly|fiasco|scandal|hypocrisy|nonsense|betrayal|farce|mess|deserves?|deserved|fails?|failed\s+to|hard\s+to\s+(?:test|believe|justify|defend|see|accept)|too\s+(?:long|late|little|much|many|few|slow|fast|expensive|costly|high|low|small|big|weak|risky|soon|often)|far\s+too|threaten|threatens|waste|wasted|wasting|success|successful|unacceptable|acceptable|inexcusable|baffling|puzzling|bizarre|strange|smart|clever|stupid|madness|tragic|tragedy|shocking|sham)\b",
    )
});

/// Whole-word, case-insensitive test of one cue.
fn hits(cue: &LazyLock<Option<Regex>>, text: &str) -> bool {
    cue.as_ref().is_some_and(|r| r.is_match(text))
}

/// The opinion cue in `clause`, if any: the rule name and how strong it is. Checked strongest first, so
/// the rule name says why the clause reads as an opinion.
pub(crate) fn opinion_cue(clause: &str) -> Option<(&'static str, Strength)> {
    let trimmed = clause.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '”' | '"' | '’' | '\''));
    if trimmed.ends_with('?') {
        return Some(("opinion.question", Strength::Strong));
    }
    if hits(&MODAL, clause) {
        return Some(("opinion.modal", Strength::Strong));
    }
    if hits(&STANCE, clause) {
        return Some(("opinion.stance", Strength::Strong));
    }
    if hits(&PREDICTION, clause) {
        return Some(("opinion.prediction", Strength::Strong));
    }
    if hits(&EVALUATIVE, clause) {
        return Some(("opinion.evaluative", Strength::Weak));
    }
    None
}

/// Whether every opinion lexicon compiled (checked by the tests, since the statics cannot report errors).
#[cfg(test)]
pub(crate) fn lexicons_compile() -> bool {
    [&MODAL, &STANCE, &PREDICTION, &EVALUATIVE].iter().all(|cue| cue.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_fire_on_typical_opinions() {
        assert!(lexicons_compile());
        assert_eq!(opinion_cue("The council should scrap the extension"), Some(("opinion.modal", Strength::Strong)));
        assert_eq!(opinion_cue("Does anyone believe this?"), Some(("opinion.question", Strength::Strong)));
        assert_eq!(opinion_cue("It is time to break the habit"), Some(("opinion.stance", Strength::Strong)));
        assert_eq!(opinion_cue("bills are likely to rise"), Some(("opinion.prediction", Strength::Strong)));
        assert_eq!(opinion_cue("the plan is reckless"), Some(("opinion.evaluative", Strength::Weak)));
        assert_eq!(opinion_cue("The bridge opened in 1963"), None);
    }
}
