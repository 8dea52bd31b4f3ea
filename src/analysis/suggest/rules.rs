//! The project's own rules ([`SuggestRule`]): compiled once into [`Query`]s and run like searches.

use crate::analysis::search::{Query, SearchOptions, SearchText};
use crate::model::RuleKind;
use crate::model::{CharIdx, Schema, SuggestRule};

use super::SuggestError;

/// A rule ready to run.
#[derive(Clone, Debug)]
pub(crate) struct CompiledRule {
    /// The rule name recorded on its suggestions (`user.<name>`).
    pub rule: String,
    /// The label it suggests (as spelled in the schema).
    pub label: String,
    query: Query,
}

impl CompiledRule {
    /// Char ranges of the rule's matches in `text`.
    pub fn find(&self, text: &SearchText<'_>) -> Vec<std::ops::Range<CharIdx>> {
        self.query.find(text)
    }
}

/// The alternatives of a word list: split on `|` and new lines, trimmed, empties dropped.
fn word_list(pattern: &str) -> Vec<&str> {
    pattern.split(['|', '\n']).map(str::trim).filter(|w| !w.is_empty()).collect()
}

/// Compiles one rule against the schema. Off rules are not compiled (`Ok(None)`).
pub(crate) fn compile(schema: &Schema, rule: &SuggestRule) -> Result<Option<CompiledRule>, SuggestError> {
    if !rule.enabled {
        return Ok(None);
    }
    let label = schema
        .label_ignore_case(&rule.label)
        .ok_or_else(|| SuggestError::UnknownLabel { rule: rule.name.clone(), label: rule.label.clone() })?
        .name
        .clone();
    let bad = |problem| SuggestError::BadRule { rule: rule.name.clone(), problem };
    let case_sensitive = rule.case_sensitive;
    let query = match rule.kind {
        RuleKind::Phrase => {
            // Runs of whitespace in a phrase match any whitespace, so a phrase still matches across a line
            // break or a double space in the article.
            let words: Vec<String> = rule.pattern.split_whitespace().map(regex::escape).collect();
            if words.is_empty() {
                return Err(bad(crate::analysis::search::SearchError::EmptyPattern));
            }
            let options = SearchOptions { regex: true, case_sensitive, whole_word: true };
            Query::from_regex_source(&words.join(r"\s+"), &rule.pattern, options).map_err(bad)?
        }
        RuleKind::Words => {
            let mut words = word_list(&rule.pattern);
            if words.is_empty() {
                return Err(bad(crate::analysis::search::SearchError::EmptyPattern));
            }
            // Longest first: the regex takes the first alternative that matches, and "prime minister"
            // must win over "minister".
            words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
            let source: Vec<String> = words
                .iter()
                .map(|w| w.split_whitespace().map(regex::escape).collect::<Vec<_>>().join(r"\s+"))
                .collect();
            let options = SearchOptions { regex: true, case_sensitive, whole_word: true };
            Query::from_regex_source(&source.join("|"), &rule.pattern, options).map_err(bad)?
        }
        RuleKind::Regex => {
            let options = SearchOptions { regex: true, case_sensitive, whole_word: false };
            Query::new(&rule.pattern, options).map_err(bad)?
        }
    };
    Ok(Some(CompiledRule { rule: format!("user.{}", rule.name), label, query }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(kind: RuleKind, pattern: &str) -> SuggestRule {
        SuggestRule {
            name: "t".into(),
            kind,
            pattern: pattern.into(),
            label: "source".into(),
            case_sensitive: false,
            enabled: true,
        }
    }

    #[test]
    fn word_lists_prefer_longer_phrases() {
        let schema = Schema::default();
        let compiled = compile(&schema, &rule(RuleKind::Words, "minister | prime  minister\n")).unwrap().unwrap();
        let text = SearchText::new("The Prime Minister met a minister.");
        let found: Vec<(usize, usize)> = compiled.find(&text).iter().map(|r| (r.start.0, r.end.0)).collect();
        assert_eq!(found, [(4, 18), (25, 33)]);
        assert_eq!(compiled.label, "Source");
        assert_eq!(compiled.rule, "user.t");
    }

    #[test]
    fn broken_rules_are_errors_and_off_rules_are_skipped() {
        let schema = Schema::default();
        assert!(matches!(compile(&schema, &rule(RuleKind::Regex, "(")), Err(SuggestError::BadRule { .. })));
        assert!(matches!(compile(&schema, &rule(RuleKind::Words, " | ")), Err(SuggestError::BadRule { .. })));
        let mut off = rule(RuleKind::Phrase, "x");
        off.enabled = false;
        assert!(compile(&schema, &off).unwrap().is_none());
        off.enabled = true;
        off.label = "Nope".into();
        assert!(matches!(compile(&schema, &off), Err(SuggestError::UnknownLabel { .. })));
    }
}
