//! Offline suggestions: spans the built-in English cues and the project's own rules propose, for a person
//! to accept or reject.
//!
//! Suggestions are values apart from the project — they are never stored in it, so they cannot reach an
//! export until someone accepts them, which turns them into ordinary spans through one undoable
//! [`Edit`](crate::edit::Edit) (see [`accept_edit`]). Each records the rule that made it.
//!
//! The built-in cues work sentence by sentence (UAX #29 sentences from [`crate::text::tokens`]):
//! an attribution structure ([`cues_source`]) gives a Source and its content (a Claim or Opinion, linked by
//! `attributed_to`); otherwise the sentence's own cues ([`cues_opinion`], [`cues_claim`]) decide whether
//! the sentence, or each `;`-separated clause, is suggested as an Opinion or a Claim. Every lexicon is a
//! regex compiled once per process, and each sentence is scanned a fixed number of times, so the run time
//! is linear in the text.

mod accept;
mod cues_claim;
mod cues_opinion;
mod cues_source;
pub mod eval;
pub mod learned;
pub mod llm;
pub mod provenance;
mod recommender;
mod rules;
pub mod simulate;
mod source_words;

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use regex::{Regex, RegexBuilder};

use crate::analysis::search::{SearchError, SearchText};
use crate::model::{CharIdx, Document, Project, Schema, SpanId, SuggestRule};
use crate::text::tokens::sentences;

pub use accept::{Accepted, accept_all_edit, accept_edit};
use cues_opinion::Strength;
use cues_source::Leaning;
pub use learned::{LearnWhat, Learned, ModelsError, SavedModels, Stop, learn};
pub use recommender::{Recommender, UnknownRecommender};
use rules::CompiledRule;

/// The relation type the built-in cues suggest between a Source and its content.
pub const ATTRIBUTED_TO: &str = "attributed_to";

/// Compiles a built-in lexicon: case-insensitive (Unicode case folding). `None` only if a pattern in this
/// module is broken, which the unit tests rule out.
///
/// Word boundaries are ASCII ones: a Unicode `\b` keeps the regex engine off its fast DFA on non-ASCII
/// text, which made a 1 MB article several times slower. The lexicons are English words, so an ASCII
/// boundary only differs next to an accented letter glued to an English word.
fn lexicon(pattern: &str) -> Option<Regex> {
    RegexBuilder::new(&ascii_boundaries(pattern)).case_insensitive(true).build().ok()
}

/// `pattern` with every `\b` made an ASCII word boundary.
fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

/// Which suggestions to make.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestOptions {
    /// Run the built-in English cues.
    pub builtin: bool,
    /// Run the project's own rules.
    pub rules: bool,
    /// Only suggest these labels (matched ignoring case); `None` = every label of the schema.
    pub labels: Option<Vec<String>>,
    /// Which learned recommenders to use, when the suggester is given what they learned
    /// ([`Suggester::with_learned`]).
    pub learn: LearnWhat,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        SuggestOptions {
            builtin: true,
            rules: true,
            labels: None,
            learn: LearnWhat { strings: true, clauses: true, tagger: true, links: true },
        }
    }
}

impl SuggestOptions {
    /// Options that use exactly `chosen` recommenders (the project's rules run when `Rules` is chosen).
    pub fn only(chosen: &[Recommender]) -> SuggestOptions {
        let has = |r| chosen.contains(&r);
        SuggestOptions {
            builtin: has(Recommender::Cues),
            rules: has(Recommender::Rules),
            labels: None,
            learn: LearnWhat {
                strings: has(Recommender::Strings),
                clauses: has(Recommender::Clauses),
                tagger: has(Recommender::Tagger),
                links: has(Recommender::Links),
            },
        }
    }
}

/// The other end of a suggested relation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// Another suggestion, by its index in the same list.
    Suggestion(usize),
    /// A span already in the document (a suggestion that duplicated it was dropped in its favour).
    Span(SpanId),
}

/// A relation a suggestion brings with it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct SuggestedLink {
    /// Relation type (`attributed_to`, or any type of the schema the link recommender learned).
    pub kind: String,
    /// The other end.
    pub other: LinkTarget,
    /// `true` when this suggestion is the relation's `from` end (the Source), `false` when it is the `to`.
    pub outgoing: bool,
}

/// One suggested span of one document.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    /// First char.
    pub start: CharIdx,
    /// First char after it.
    pub end: CharIdx,
    /// Label, as spelled in the schema.
    pub label: String,
    /// The rule that made it: a built-in cue (`source.according-to`, `opinion.modal` …), `user.<name>`, or
    /// the learned recommender's name.
    pub rule: String,
    /// The recommender that made it.
    pub recommender: Recommender,
    /// How sure the recommender is, from 0 to 1 (for learned ones, a probability or a consistency; the
    /// built-in cues have a fixed score, and the project's own rules a high one).
    pub score: f32,
    /// The relation it comes with, if any.
    pub relation: Option<SuggestedLink>,
}

impl Suggestion {
    /// The suggestion's char range.
    pub fn range(&self) -> Range<CharIdx> {
        self.start..self.end
    }
}

/// Why a rule cannot run, or a suggestion cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SuggestError {
    /// A user rule's pattern is empty or is a bad regex.
    #[error("rule {rule:?}: {problem}")]
    BadRule {
        /// The rule's name.
        rule: String,
        /// What is wrong with its pattern.
        problem: SearchError,
    },
    /// A user rule names a label the schema does not have.
    #[error("rule {rule:?}: label {label:?} is not in the schema")]
    UnknownLabel {
        /// The rule's name.
        rule: String,
        /// The label it names.
        label: String,
    },
    /// `--labels` (or the options) named a label the schema does not have.
    #[error("label {0:?} is not in the schema")]
    UnknownFilterLabel(String),
    /// Accepting in a document the project does not have.
    #[error("no document with id {0:?}")]
    NoDocument(String),
    /// An accepted index is not in the suggestion list.
    #[error("there is no suggestion number {0}")]
    NoSuggestion(usize),
}

/// Score of a built-in cue's suggestion: below anything a trained model is sure of, so a learned
/// suggestion wins where the two overlap.
const CUE_SCORE: f32 = 0.3;
/// Score of a suggestion by one of the project's own rules: the user wrote the rule, so it is trusted.
const RULE_SCORE: f32 = 0.9;

/// A suggestion engine ready to run over many documents: rules compiled, labels resolved, and (when
/// given) what the learned recommenders learned.
#[derive(Clone, Debug)]
pub struct Suggester {
    rules: Vec<CompiledRule>,
    builtin: bool,
    /// Labels that may be suggested (schema spelling).
    labels: HashSet<String>,
    /// Labels `attributed_to` may go to from a Source, when the schema has that relation type.
    relation_targets: Option<HashSet<String>>,
    /// The learned models, shared with the thread that trained them.
    learned: Option<Arc<Learned>>,
    /// Which of them to use.
    learn: LearnWhat,
}

impl Suggester {
    /// Compiles `rules` for `schema`. Rules that cannot run are left out and returned as errors, so one
    /// broken rule does not stop the others; a bad label in the options is an error of its own.
    pub fn new(
        schema: &Schema,
        rules: &[SuggestRule],
        options: &SuggestOptions,
    ) -> Result<(Suggester, Vec<SuggestError>), SuggestError> {
        let labels: HashSet<String> = match &options.labels {
            None => schema.labels.iter().map(|l| l.name.clone()).collect(),
            Some(wanted) => wanted
                .iter()
                .map(|w| {
                    schema
                        .label_ignore_case(w.trim())
                        .map(|l| l.name.clone())
                        .ok_or_else(|| SuggestError::UnknownFilterLabel(w.clone()))
                })
                .collect::<Result<_, _>>()?,
        };
        let mut compiled = Vec::new();
        let mut errors = Vec::new();
        for rule in rules.iter().filter(|_| options.rules) {
            match rules::compile(schema, rule) {
                Ok(Some(rule)) if labels.contains(&rule.label) => compiled.push(rule),
                Ok(_) => {}
                Err(err) => errors.push(err),
            }
        }
        let relation_targets = schema.relation_type(ATTRIBUTED_TO).map(|def| {
            schema.labels.iter().filter(|l| def.allows("Source", &l.name)).map(|l| l.name.clone()).collect()
        });
        let suggester = Suggester {
            rules: compiled,
            builtin: options.builtin,
            labels,
            relation_targets,
            learned: None,
            learn: options.learn,
        };
        Ok((suggester, errors))
    }

    /// The same suggester using what the learned recommenders learned (see [`learn`]).
    pub fn with_learned(mut self, learned: Arc<Learned>) -> Suggester {
        self.learned = Some(learned);
        self
    }

    /// Suggestions for `doc`, sorted by position, without any that exactly repeat one of its spans (same
    /// range and label). Where suggestions of one label overlap, the one with the higher score stays; the
    /// built-in cues stay silent on labels a learned model has learned.
    pub fn suggest(&self, doc: &Document) -> Vec<Suggestion> {
        let text = SearchText::new(&doc.text);
        let mut raw: Vec<Raw> = Vec::new();
        let learned = self.learned.as_deref().filter(|l| !l.is_empty());
        let taken = learned.map(|l| l.labels(self.learn)).unwrap_or_default();
        // The cues make Claims, Opinions and Sources; when learned models took all three, skip them.
        let cues_needed = ["Claim", "Opinion", "Source"].iter().any(|l| !taken.contains(l));
        if self.builtin && cues_needed {
            builtin_cues(&text, &mut raw);
            if learned.is_some() {
                let keep: Vec<bool> = raw.iter().map(|r| !taken.contains(r.label.as_str())).collect();
                // Dropping cue suggestions shifts indices: remap the cue links as we go.
                let mut new_index = vec![None; raw.len()];
                let mut kept = Vec::new();
                for (i, r) in raw.into_iter().enumerate() {
                    if keep[i] {
                        new_index[i] = Some(kept.len());
                        kept.push(r);
                    }
                }
                for r in &mut kept {
                    r.link = r.link.and_then(|l| new_index[l]);
                }
                raw = kept;
            }
        }
        for rule in &self.rules {
            for range in rule.find(&text) {
                raw.push(Raw {
                    range,
                    label: rule.label.clone(),
                    rule: rule.rule.clone(),
                    by: Recommender::Rules,
                    score: RULE_SCORE,
                    link: None,
                });
            }
        }
        let tokens = learned.map(|_| learned::Tokens::new(&doc.text));
        if let (Some(learned), Some(tokens)) = (learned, &tokens) {
            for p in learned.propose(doc, tokens, self.learn) {
                let rule = format!("learned.{}", p.by.name());
                raw.push(Raw { range: p.range, label: p.label, rule, by: p.by, score: p.score, link: None });
            }
        }
        let mut out = self.finish(doc, raw);
        if let (Some(learned), Some(tokens)) = (learned, &tokens)
            && self.learn.links
        {
            link_learned(learned, doc, tokens, &mut out);
        }
        out
    }

    /// Drops unwanted labels, duplicates and weaker overlaps, sorts, and turns raw links into
    /// [`SuggestedLink`]s.
    fn finish(&self, doc: &Document, raw: Vec<Raw>) -> Vec<Suggestion> {
        let human: HashMap<(CharIdx, CharIdx, &str), SpanId> =
            doc.spans.iter().map(|s| ((s.start, s.end, s.label.as_str()), s.id)).collect();
        let mut by_score: Vec<usize> = (0..raw.len()).collect();
        by_score.sort_by(|&a, &b| raw[b].score.total_cmp(&raw[a].score).then(a.cmp(&b)));
        // For each raw suggestion: kept, or replaced by a human span, or dropped.
        let mut fate: Vec<Fate> = vec![Fate::Dropped; raw.len()];
        // Per label, the kept ranges by start. They never overlap one another, so a new range overlaps one
        // of them exactly when it overlaps the last one starting before its end.
        let mut kept: HashMap<&str, std::collections::BTreeMap<CharIdx, CharIdx>> = HashMap::new();
        for &i in &by_score {
            let r = &raw[i];
            let key = (r.range.start, r.range.end, r.label.as_str());
            fate[i] = if !self.labels.contains(&r.label) || r.range.start >= r.range.end {
                Fate::Dropped
            } else if let Some(&id) = human.get(&key) {
                Fate::Human(id)
            } else if kept
                .get(r.label.as_str())
                .and_then(|m| m.range(..r.range.end).next_back())
                .is_some_and(|(_, &end)| end > r.range.start)
            {
                Fate::Dropped
            } else {
                kept.entry(r.label.as_str()).or_default().insert(r.range.start, r.range.end);
                Fate::Kept
            };
        }
        let mut order: Vec<usize> = (0..raw.len()).filter(|&i| fate[i] == Fate::Kept).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&raw[a], &raw[b]);
            (x.range.start, std::cmp::Reverse(x.range.end), &x.label).cmp(&(
                y.range.start,
                std::cmp::Reverse(y.range.end),
                &y.label,
            ))
        });
        let position: HashMap<usize, usize> = order.iter().enumerate().map(|(new, &old)| (old, new)).collect();
        let mut out: Vec<Suggestion> = order
            .iter()
            .map(|&i| Suggestion {
                start: raw[i].range.start,
                end: raw[i].range.end,
                label: raw[i].label.clone(),
                rule: raw[i].rule.clone(),
                recommender: raw[i].by,
                score: raw[i].score,
                relation: None,
            })
            .collect();
        for (from, r) in raw.iter().enumerate() {
            let Some(to) = r.link else { continue };
            let Some(targets) = &self.relation_targets else { continue };
            if r.label != "Source" || !targets.contains(&raw[to].label) {
                continue;
            }
            let end = |i: usize| match fate[i] {
                Fate::Kept => position.get(&i).map(|&p| LinkTarget::Suggestion(p)),
                Fate::Human(id) => Some(LinkTarget::Span(id)),
                Fate::Dropped => None,
            };
            let link = |other, outgoing| SuggestedLink { kind: ATTRIBUTED_TO.to_string(), other, outgoing };
            match (end(from), end(to)) {
                (Some(LinkTarget::Suggestion(f)), Some(t)) => out[f].relation = Some(link(t, true)),
                (Some(f @ LinkTarget::Span(_)), Some(LinkTarget::Suggestion(t))) => {
                    out[t].relation = Some(link(f, false))
                }
                _ => {}
            }
        }
        out
    }
}

/// Adds the relations the link recommender proposes between the document's human spans and the
/// suggestions, to suggestions that have none yet (a suggestion carries one relation).
fn link_learned(learned: &Learned, doc: &Document, tokens: &learned::Tokens<'_>, out: &mut [Suggestion]) {
    let humans: Vec<&crate::model::Span> =
        doc.spans.iter().filter(|s| s.review != crate::model::ReviewState::Rejected).collect();
    let mut ends: Vec<learned::End> =
        humans.iter().map(|s| learned::End { range: s.range(), label: s.label.clone() }).collect();
    ends.extend(out.iter().map(|s| learned::End { range: s.range(), label: s.label.clone() }));
    let n = humans.len();
    let end = |k: usize| if k < n { LinkTarget::Span(humans[k].id) } else { LinkTarget::Suggestion(k - n) };
    for (i, j, kind, _) in learned.link(tokens, &ends) {
        match (end(i), end(j)) {
            (LinkTarget::Suggestion(f), to) if out[f].relation.is_none() => {
                out[f].relation = Some(SuggestedLink { kind, other: to, outgoing: true });
            }
            (from @ LinkTarget::Span(_), LinkTarget::Suggestion(t)) if out[t].relation.is_none() => {
                out[t].relation = Some(SuggestedLink { kind, other: from, outgoing: false });
            }
            _ => {}
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fate {
    Kept,
    Human(SpanId),
    Dropped,
}

/// A suggestion before filtering: `link` is the index (in the raw list) of the content a Source belongs to.
#[derive(Clone, Debug)]
struct Raw {
    range: Range<CharIdx>,
    label: String,
    rule: String,
    by: Recommender,
    score: f32,
    link: Option<usize>,
}

/// Runs the built-in cues over every sentence of `text`.
fn builtin_cues(text: &SearchText<'_>, raw: &mut Vec<Raw>) {
    let map = text.map();
    for sentence in sentences(text.text()) {
        let Ok(bytes) = map.byte_range(sentence) else { continue };
        let s = &text.text()[bytes.clone()];
        let mut push = |range: Range<usize>, label: &str, rule: &str, link: Option<usize>| -> Option<usize> {
            let chars = map.char_range_from_bytes(bytes.start + range.start..bytes.start + range.end).ok()?;
            raw.push(Raw {
                range: chars,
                label: label.to_string(),
                rule: rule.to_string(),
                by: Recommender::Cues,
                score: CUE_SCORE,
                link,
            });
            Some(raw.len() - 1)
        };
        if let Some(found) = cues_source::attribution(s) {
            let content = found.content.clone().and_then(|range| {
                let (label, rule) = classify_attributed(&s[range.clone()], found.leaning, found.quoted);
                push(range, label, rule, None)
            });
            push(found.source, "Source", found.rule, content);
            continue;
        }
        // Headings, captions and list items carry no final punctuation; they are not statements.
        if !s.trim_end().ends_with(['.', '!', '?', '”', '"', '…', ')']) {
            continue;
        }
        // No attribution: each `;`-separated clause stands on its own.
        let mut at = 0;
        for clause in s.split(';') {
            let range = clause_range(s, at..at + clause.len());
            at += clause.len() + 1;
            if let Some((label, rule)) = classify(&s[range.clone()])
                && s[range.clone()].split_whitespace().count() >= 3
            {
                push(range, label, rule, None);
            }
        }
    }
}

/// A clause's range without surrounding whitespace and final full stop (a question mark stays).
fn clause_range(s: &str, range: Range<usize>) -> Range<usize> {
    let text = &s[range.clone()];
    let start = range.start + (text.len() - text.trim_start().len());
    let kept = text.trim().trim_end_matches(['.', '!', ',']).trim_end();
    start..start + kept.len()
}

/// The strongest cue of a clause: strong opinion cues beat strong claim cues, which beat weak opinion
/// cues, which beat weak claim cues. `weak_claims` is off for quotations, where spelled-out numbers are
/// mostly rhetoric ("they spent millions on a wall").
fn strongest(clause: &str, weak_claims: bool) -> Option<(&'static str, &'static str)> {
    let opinion = cues_opinion::opinion_cue(clause);
    let claim = cues_claim::claim_cue(clause);
    match (opinion, claim) {
        (Some((rule, Strength::Strong)), _) => Some(("Opinion", rule)),
        (_, Some((rule, Strength::Strong))) => Some(("Claim", rule)),
        (Some((rule, Strength::Weak)), _) => Some(("Opinion", rule)),
        (None, Some((rule, Strength::Weak))) if weak_claims => Some(("Claim", rule)),
        (None, _) => None,
    }
}

/// The label and rule for an unattributed clause.
fn classify(clause: &str) -> Option<(&'static str, &'static str)> {
    strongest(clause, true)
}

/// The label and rule for attributed content: its own cues first, else what the verb leans to (quoted
/// speech leans to opinion: reporters quote people for their views and paraphrase their facts).
fn classify_attributed(content: &str, leaning: Leaning, quoted: bool) -> (&'static str, &'static str) {
    match strongest(content, !quoted) {
        Some(("Opinion", _)) => ("Opinion", "opinion.attributed"),
        Some(_) => ("Claim", "claim.attributed"),
        None if leaning == Leaning::Judge || quoted => ("Opinion", "opinion.attributed"),
        None => ("Claim", "claim.attributed"),
    }
}

/// Suggestions for one document with the given rules. Rules that cannot run are skipped (see
/// [`Suggester::new`] to get their errors); a bad label filter gives no suggestions.
pub fn suggest(doc: &Document, schema: &Schema, rules: &[SuggestRule], options: &SuggestOptions) -> Vec<Suggestion> {
    match Suggester::new(schema, rules, options) {
        Ok((suggester, _errors)) => suggester.suggest(doc),
        Err(_) => Vec::new(),
    }
}

/// One document's suggestions, as [`suggest_project`] lists them and [`accept_all_edit`] takes them.
pub type DocSuggestions = (crate::model::DocId, Vec<Suggestion>);

/// Suggestions for every document of a project with its own rules, in document order, plus the errors of
/// rules that could not run.
pub fn suggest_project(
    project: &Project,
    options: &SuggestOptions,
) -> Result<(Vec<DocSuggestions>, Vec<SuggestError>), SuggestError> {
    let (suggester, errors) = Suggester::new(&project.schema, &project.rules, options)?;
    let all = project.documents.iter().map(|d| (d.id.clone(), suggester.suggest(d))).collect();
    Ok((all, errors))
}

/// Every rule problem in `rules` (bad regexes, empty patterns, unknown labels), for the rule editor.
pub fn check_rules(schema: &Schema, rules: &[SuggestRule]) -> Vec<SuggestError> {
    rules.iter().filter_map(|r| rules::compile(schema, r).err()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_lexicon_compiles() {
        assert!(cues_claim::lexicons_compile());
        assert!(cues_opinion::lexicons_compile());
        assert!(cues_source::lexicons_compile());
    }
}
