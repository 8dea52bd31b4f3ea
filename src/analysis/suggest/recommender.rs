//! The recommenders by name: what `--recommenders` lists, what each suggestion records as its maker, and
//! what a project can switch off.

use std::fmt;
use std::str::FromStr;

/// One source of suggestions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, strum::VariantArray)]
pub enum Recommender {
    /// The built-in English cues (reporting verbs, opinion and claim words).
    Cues,
    /// The project's own regex and word-list rules.
    Rules,
    /// Text labelled before, proposed where it recurs.
    Strings,
    /// The learned sentence and clause classifier (Claim, Opinion).
    Clauses,
    /// The learned phrase tagger (Source).
    Tagger,
    /// The learned relation model (Source → what it said).
    Links,
    /// A large language model on a server the user chose. Never in the default set: it sends the text away,
    /// so it runs only when asked (`factmark suggest --llm`).
    Llm,
}

impl Recommender {
    /// Its name on the command line, in JSON and in the window.
    pub fn name(self) -> &'static str {
        match self {
            Recommender::Cues => "cues",
            Recommender::Rules => "rules",
            Recommender::Strings => "strings",
            Recommender::Clauses => "clauses",
            Recommender::Tagger => "tagger",
            Recommender::Links => "links",
            Recommender::Llm => "llm",
        }
    }

    /// One line on what it does, for help texts.
    pub fn about(self) -> &'static str {
        match self {
            Recommender::Cues => "built-in English cues: reporting verbs, opinion and claim words",
            Recommender::Rules => "the project's own rules (regexes and word lists)",
            Recommender::Strings => "text labelled before, wherever it recurs",
            Recommender::Clauses => "sentences and clauses, classified as the project's annotators label them",
            Recommender::Tagger => "short phrases such as sources, tagged as the annotators tag them",
            Recommender::Links => "relations from sources to what they said, as the annotators link them",
            Recommender::Llm => {
                "a large language model on an OpenAI-compatible server you chose (off until you set one)"
            }
        }
    }

    /// Whether it runs on this machine. Only [`Recommender::Llm`] does not: it is left out of the default
    /// set and runs only when the user asks for it.
    pub fn is_local(self) -> bool {
        match self {
            Recommender::Llm => false,
            Recommender::Cues
            | Recommender::Rules
            | Recommender::Strings
            | Recommender::Clauses
            | Recommender::Tagger
            | Recommender::Links => true,
        }
    }

    /// Whether it learns from the project's spans.
    pub fn learns(self) -> bool {
        match self {
            Recommender::Cues | Recommender::Rules | Recommender::Llm => false,
            Recommender::Strings | Recommender::Clauses | Recommender::Tagger | Recommender::Links => true,
        }
    }
}

impl fmt::Display for Recommender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A recommender name that is not one of [`Recommender`]'s.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown recommender {0:?} (known: cues, rules, strings, clauses, tagger, links)")]
pub struct UnknownRecommender(pub String);

impl FromStr for Recommender {
    type Err = UnknownRecommender;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        use strum::VariantArray;
        let wanted = s.trim();
        Recommender::VARIANTS
            .iter()
            .copied()
            .find(|r| r.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| UnknownRecommender(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::VariantArray;

    #[test]
    fn every_name_parses_back() {
        for r in Recommender::VARIANTS {
            assert_eq!(r.name().parse::<Recommender>(), Ok(*r));
        }
        assert!("model".parse::<Recommender>().is_err());
    }
}
