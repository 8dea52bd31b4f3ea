//! The project's own suggestion rules: a lexicon the team grows while labelling ("the ministry's
//! spokesperson" → Source). The matching itself lives in [`crate::analysis::suggest`].

use serde::{Deserialize, Serialize};

/// How a rule's pattern is read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RuleKind {
    /// The pattern is one phrase, matched at word boundaries.
    #[default]
    Phrase,
    /// The pattern is a list of words or phrases separated by `|` or new lines; any of them matches.
    Words,
    /// The pattern is a regular expression (Rust `regex` syntax).
    Regex,
}

impl RuleKind {
    /// Every kind, in the order the window offers them.
    pub const ALL: [RuleKind; 3] = [RuleKind::Phrase, RuleKind::Words, RuleKind::Regex];

    /// Its lower-case name, as shown and as typed.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Phrase => "phrase",
            RuleKind::Words => "words",
            RuleKind::Regex => "regex",
        }
    }
}

/// A rule kind's name is not one of `phrase`, `words`, `regex`.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{0:?}: expected phrase, words or regex")]
pub struct UnknownRuleKind(pub String);

impl std::str::FromStr for RuleKind {
    type Err = UnknownRuleKind;

    /// Reads the name [`RuleKind::as_str`] writes.
    fn from_str(s: &str) -> Result<RuleKind, UnknownRuleKind> {
        RuleKind::ALL.into_iter().find(|k| k.as_str() == s).ok_or_else(|| UnknownRuleKind(s.to_string()))
    }
}

/// One user rule: text matching `pattern` is suggested as `label`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestRule {
    /// A short name shown as the suggestion's provenance.
    pub name: String,
    /// How `pattern` is read.
    #[serde(default)]
    pub kind: RuleKind,
    /// The phrase, word list or regex.
    pub pattern: String,
    /// The label suggested for matches.
    pub label: String,
    /// Whether case must match (default: no).
    #[serde(default)]
    pub case_sensitive: bool,
    /// Off rules are kept but not run.
    #[serde(default = "enabled_default")]
    pub enabled: bool,
}

fn enabled_default() -> bool {
    true
}
