//! Recommenders that learn from the project's own human spans: a string matcher, a clause classifier, a
//! tagger per short label, and a link model per relation type. No downloaded weights — everything is
//! trained here, in a fraction of a second for a few hundred articles, and kept in memory only.
//!
//! Which labels the clause model takes and which get a tagger is learned too: a label whose spans are
//! mostly whole sentences or clauses (one of the candidate units) goes to the clause model, any other to
//! a tagger.

mod clauses;
mod features;
mod linear;
mod links;
mod saved;
mod strings;
mod tagger;
mod units;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::model::{CharIdx, DocId, Document, Project, ReviewState};

pub(crate) use links::End;
pub use saved::{ModelsError, SavedModels};
pub(crate) use units::Tokens;

/// Labels whose spans fit the candidate units at least this often are clause labels.
const CLAUSE_FIT: f32 = 0.5;

/// What the learned recommenders learned from a project.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Learned {
    strings: Option<strings::StringMatcher>,
    clauses: Option<clauses::ClauseModel>,
    taggers: Vec<tagger::Tagger>,
    links: Vec<links::LinkModel>,
    /// Documents trained on.
    pub documents: usize,
    /// Human spans trained on.
    pub spans: usize,
}

/// Which learned recommenders to train.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LearnWhat {
    /// The string matcher.
    pub strings: bool,
    /// The clause classifier.
    pub clauses: bool,
    /// The taggers.
    pub tagger: bool,
    /// The link models.
    pub links: bool,
}

impl LearnWhat {
    /// Whether any is on.
    pub fn any(self) -> bool {
        self.strings || self.clauses || self.tagger || self.links
    }
}

/// A span a learned recommender proposes.
#[derive(Clone, Debug)]
pub(crate) struct Proposed {
    pub range: Range<CharIdx>,
    pub label: String,
    pub score: f32,
    pub by: super::Recommender,
}

/// Whether a human span counts as a label to learn from (a rejected one does not).
fn teaches(span: &crate::model::Span) -> bool {
    span.review != ReviewState::Rejected
}

/// Documents that teach: those with at least one human span, except `exclude`.
fn training_docs<'a>(project: &'a Project, exclude: Option<&DocId>) -> Vec<&'a Document> {
    project.documents.iter().filter(|d| Some(&d.id) != exclude && d.spans.iter().any(teaches)).collect()
}

/// What training needs to stop early: asked between steps, from two threads.
pub type Stop<'a> = &'a (dyn Fn() -> bool + Sync);

/// Trains `what` on the human spans of `project`'s documents, leaving out `exclude` (the document being
/// suggested for, so a suggestion never just echoes the spans it will be compared with). `stop` is asked
/// between steps; when it says yes, training ends early with what it has.
///
/// Two threads share the work: the string matcher and the taggers on one, the clause and link models on
/// the other (the window runs this on a worker, so its own frames keep their core).
pub fn learn(project: &Project, exclude: Option<&DocId>, what: LearnWhat, stop: Stop<'_>) -> Learned {
    let docs = training_docs(project, exclude);
    let mut learned = Learned {
        documents: docs.len(),
        spans: docs.iter().map(|d| d.spans.iter().filter(|s| teaches(s)).count()).sum(),
        ..Learned::default()
    };
    if docs.is_empty() || !what.any() {
        return learned;
    }
    let tokens = tokenize_all(&docs);
    let (clause_labels, tag_labels) = split_labels(project, &docs, &tokens);
    std::thread::scope(|scope| {
        let phrases = scope.spawn(|| {
            let strings = what.strings.then(|| train_strings(&docs));
            let taggers = if what.tagger { train_taggers(&docs, &tokens, tag_labels, stop) } else { Vec::new() };
            (strings, taggers)
        });
        if what.clauses && !clause_labels.is_empty() && !stop() {
            let gold: Vec<clauses::Gold<'_>> = docs
                .iter()
                .zip(&tokens)
                .map(|(d, t)| clauses::Gold {
                    doc: t,
                    spans: d.spans.iter().filter(|s| teaches(s)).map(|s| (s.range(), s.label.as_str())).collect(),
                })
                .collect();
            learned.clauses = Some(clauses::ClauseModel::train(clause_labels, &gold));
        }
        if what.links {
            learned.links = train_links(project, &docs, &tokens, stop);
        }
        // A worker that panicked only loses its models; the others are still good.
        if let Ok((strings, taggers)) = phrases.join() {
            learned.strings = strings;
            learned.taggers = taggers;
        }
    });
    learned
}

/// Tokens of every document, on two threads.
fn tokenize_all<'a>(docs: &[&'a Document]) -> Vec<Tokens<'a>> {
    let (first, second) = docs.split_at(docs.len() / 2);
    std::thread::scope(|scope| {
        let later = scope.spawn(|| second.iter().map(|d| Tokens::new(&d.text)).collect::<Vec<_>>());
        let mut out: Vec<Tokens<'a>> = first.iter().map(|d| Tokens::new(&d.text)).collect();
        match later.join() {
            Ok(rest) => out.extend(rest),
            Err(_) => out.extend(second.iter().map(|d| Tokens::new(&d.text))),
        }
        out
    })
}

fn spans_of(d: &Document, label: &str) -> Vec<Range<CharIdx>> {
    d.spans.iter().filter(|s| teaches(s) && s.label == label).map(|s| s.range()).collect()
}

/// The labels whose spans are mostly candidate units (for the clause model), and the others (taggers).
fn split_labels(project: &Project, docs: &[&Document], tokens: &[Tokens<'_>]) -> (Vec<String>, Vec<String>) {
    let mut clause_labels = Vec::new();
    let mut tag_labels = Vec::new();
    for label in &project.schema.labels {
        let (mut fit, mut total) = (0, 0);
        for (d, t) in docs.iter().zip(tokens) {
            let (f, n) = clauses::unit_fit(t, &spans_of(d, &label.name));
            fit += f;
            total += n;
        }
        if total == 0 {
            continue;
        }
        if fit as f32 >= CLAUSE_FIT * total as f32 {
            clause_labels.push(label.name.clone());
        } else {
            tag_labels.push(label.name.clone());
        }
    }
    (clause_labels, tag_labels)
}

fn train_strings(docs: &[&Document]) -> strings::StringMatcher {
    let input: Vec<strings::LabelledText<'_>> = docs
        .iter()
        .map(|d| {
            (d.text.as_str(), d.spans.iter().filter(|s| teaches(s)).map(|s| (s.range(), s.label.as_str())).collect())
        })
        .collect();
    strings::StringMatcher::train(&input)
}

fn train_taggers(
    docs: &[&Document],
    tokens: &[Tokens<'_>],
    labels: Vec<String>,
    stop: Stop<'_>,
) -> Vec<tagger::Tagger> {
    let mut out = Vec::new();
    if labels.is_empty() {
        return out;
    }
    let feats: Vec<Vec<features::FeatureSet>> = tokens.iter().map(tagger::token_features).collect();
    for label in labels {
        if stop() {
            break;
        }
        let input: Vec<_> =
            docs.iter().zip(tokens).zip(&feats).map(|((d, t), f)| (t, f.as_slice(), spans_of(d, &label))).collect();
        out.push(tagger::Tagger::train(&label, &input));
    }
    out
}

fn train_links(project: &Project, docs: &[&Document], tokens: &[Tokens<'_>], stop: Stop<'_>) -> Vec<links::LinkModel> {
    let mut out = Vec::new();
    for def in &project.schema.relation_types {
        if stop() {
            break;
        }
        let input: Vec<_> = docs
            .iter()
            .zip(tokens)
            .filter_map(|(d, t)| {
                let kept: Vec<&crate::model::Span> = d.spans.iter().filter(|s| teaches(s)).collect();
                let index: HashMap<crate::model::SpanId, usize> =
                    kept.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
                let linked: HashSet<(usize, usize)> = d
                    .relations
                    .iter()
                    .filter(|r| r.kind == def.name)
                    .filter_map(|r| Some((*index.get(&r.from)?, *index.get(&r.to)?)))
                    .collect();
                if linked.is_empty() {
                    return None;
                }
                let ends = kept.iter().map(|s| End { range: s.range(), label: s.label.clone() }).collect();
                Some((t, ends, linked))
            })
            .collect();
        if !input.is_empty() {
            out.push(links::LinkModel::train(def, &input));
        }
    }
    out
}

impl Learned {
    /// Every label the models propose, sorted.
    pub fn proposed_labels(&self) -> Vec<String> {
        let all = LearnWhat { strings: true, clauses: true, tagger: true, links: true };
        let mut out: Vec<String> = self.labels(all).into_iter().map(str::to_string).collect();
        if let Some(m) = &self.strings {
            out.extend(m.labels());
        }
        out.sort();
        out.dedup();
        out
    }

    /// What the models hold, in a line: "strings: 41 texts; clauses: Claim, Opinion; taggers: Source; links:
    /// attributed_to".
    pub fn summary(&self) -> String {
        let strings = self.strings.as_ref().map_or(0, |s| s.len());
        let clauses =
            self.clauses.as_ref().filter(|c| c.is_trained()).map_or_else(|| "-".to_string(), |c| c.labels().join(", "));
        let taggers: Vec<&str> = self.taggers.iter().map(|t| t.label.as_str()).collect();
        let links: Vec<&str> = self.links.iter().map(|l| l.kind.as_str()).collect();
        let or_dash = |v: Vec<&str>| if v.is_empty() { "-".to_string() } else { v.join(", ") };
        format!(
            "strings: {strings} text(s); clauses: {clauses}; taggers: {}; links: {}",
            or_dash(taggers),
            or_dash(links)
        )
    }

    /// Whether every model's numbers fit together (a loaded file could say anything).
    pub(crate) fn check(&self) -> Result<(), String> {
        if let Some(c) = &self.clauses {
            c.check()?;
        }
        for t in &self.taggers {
            t.check()?;
        }
        for l in &self.links {
            l.check()?;
        }
        Ok(())
    }

    /// Whether any model learned something to propose.
    pub fn is_empty(&self) -> bool {
        self.strings.as_ref().is_none_or(|s| s.len() == 0)
            && self.clauses.as_ref().is_none_or(|c| !c.is_trained())
            && self.taggers.is_empty()
            && self.links.is_empty()
    }

    /// The labels the span models in `what` propose (the built-in cues leave these to them).
    pub(crate) fn labels(&self, what: LearnWhat) -> HashSet<&str> {
        let mut out = HashSet::new();
        if what.clauses
            && let Some(c) = self.clauses.as_ref().filter(|c| c.is_trained())
        {
            out.extend(c.labels().iter().map(String::as_str));
        }
        if what.tagger {
            out.extend(self.taggers.iter().map(|t| t.label.as_str()));
        }
        out
    }

    /// Spans proposed for `doc` (tokenized as `tokens`) by the span models in `what`: the clause model on
    /// this thread, the string matcher and the taggers on another.
    pub(crate) fn propose(&self, doc: &Document, tokens: &Tokens<'_>, what: LearnWhat) -> Vec<Proposed> {
        use super::Recommender;
        let phrases = || {
            let mut out = Vec::new();
            if what.strings
                && let Some(m) = &self.strings
            {
                for (range, label, score) in m.propose(&doc.text) {
                    out.push(Proposed { range, label, score, by: Recommender::Strings });
                }
            }
            if what.tagger && !self.taggers.is_empty() {
                let feats = tagger::token_features(tokens);
                for t in &self.taggers {
                    for (range, score) in t.tag(tokens, &feats) {
                        out.push(Proposed { range, label: t.label.clone(), score, by: Recommender::Tagger });
                    }
                }
            }
            out
        };
        let units = || {
            let mut out = Vec::new();
            if what.clauses
                && let Some(m) = &self.clauses
            {
                for p in m.propose(tokens, clauses::THRESHOLD) {
                    out.push(Proposed { range: p.range, label: p.label, score: p.score, by: Recommender::Clauses });
                }
            }
            out
        };
        std::thread::scope(|scope| {
            let other = scope.spawn(phrases);
            let mut out = units();
            // A worker that panicked loses only its own proposals.
            out.extend(other.join().unwrap_or_default());
            out
        })
    }

    /// Relations proposed between `ends` (the document's human spans and the kept suggestions):
    /// `(from, to, type, score)` with indices into `ends`.
    pub(crate) fn link(&self, tokens: &Tokens<'_>, ends: &[End]) -> Vec<(usize, usize, String, f32)> {
        let mut out = Vec::new();
        for m in &self.links {
            for (i, j, p) in m.propose(tokens, ends) {
                out.push((i, j, m.kind.clone(), p));
            }
        }
        out
    }
}
