//! How good the suggestions are: precision and recall per label against a project's human spans.
//!
//! Each document is stripped of its annotations, suggestions are made for it, and they are compared with
//! the spans people made. Two match criteria are reported: **exact** (same label, same start and end) and
//! **overlap** (same label, at least one char in common — what an annotator who accepts and then trims a
//! suggestion experiences). A relation counts as found when a suggested `attributed_to` joins a suggested
//! Source and a suggested target that overlap the two ends of a human relation.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::model::{CharIdx, Document, Project};

use super::{LinkTarget, Suggester, Suggestion};

/// Counts for one label (or for relations).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Score {
    /// Human spans with this label.
    pub gold: usize,
    /// Suggestions with this label.
    pub suggested: usize,
    /// Suggestions that exactly match a human span.
    pub exact_suggested: usize,
    /// Human spans exactly matched by a suggestion.
    pub exact_gold: usize,
    /// Suggestions that overlap a human span.
    pub overlap_suggested: usize,
    /// Human spans overlapped by a suggestion.
    pub overlap_gold: usize,
}

fn ratio(hits: usize, total: usize) -> f64 {
    if total == 0 { 0.0 } else { hits as f64 / total as f64 }
}

impl Score {
    /// Exact-match precision (0 when nothing was suggested).
    pub fn exact_precision(&self) -> f64 {
        ratio(self.exact_suggested, self.suggested)
    }
    /// Exact-match recall.
    pub fn exact_recall(&self) -> f64 {
        ratio(self.exact_gold, self.gold)
    }
    /// Overlap precision.
    pub fn overlap_precision(&self) -> f64 {
        ratio(self.overlap_suggested, self.suggested)
    }
    /// Overlap recall.
    pub fn overlap_recall(&self) -> f64 {
        ratio(self.overlap_gold, self.gold)
    }

    pub(crate) fn add(&mut self, other: &Score) {
        self.gold += other.gold;
        self.suggested += other.suggested;
        self.exact_suggested += other.exact_suggested;
        self.exact_gold += other.exact_gold;
        self.overlap_suggested += other.overlap_suggested;
        self.overlap_gold += other.overlap_gold;
    }
}

/// The result of [`evaluate`].
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Evaluation {
    /// Documents compared.
    pub documents: usize,
    /// Scores per span label, by name.
    pub labels: BTreeMap<String, Score>,
    /// All labels together (micro-averaged).
    pub all: Score,
    /// `attributed_to` relations (overlap criterion on both ends).
    pub relations: Score,
}

fn overlaps(a: &Range<CharIdx>, b: &Range<CharIdx>) -> bool {
    a.start < b.end && b.start < a.end
}

/// Compares `suggester`'s output with the human spans of every document of `project`.
pub fn evaluate(project: &Project, suggester: &Suggester) -> Evaluation {
    let mut eval = Evaluation { documents: project.documents.len(), ..Evaluation::default() };
    for label in &project.schema.labels {
        eval.labels.insert(label.name.clone(), Score::default());
    }
    for doc in &project.documents {
        // Suggest on a bare copy, so the duplicate filter cannot hide the very spans being measured.
        let bare = Document { spans: Vec::new(), relations: Vec::new(), ..doc.clone() };
        let suggestions = suggester.suggest(&bare);
        score_spans(doc, &suggestions, &mut eval);
        score_relations(doc, &suggestions, &mut eval.relations);
    }
    let mut all = Score::default();
    for score in eval.labels.values() {
        all.add(score);
    }
    eval.all = all;
    eval
}

pub(crate) fn score_spans(doc: &Document, suggestions: &[Suggestion], eval: &mut Evaluation) {
    for (label, score) in eval.labels.iter_mut() {
        let gold: Vec<Range<CharIdx>> = doc.spans.iter().filter(|s| &s.label == label).map(|s| s.range()).collect();
        let ours: Vec<Range<CharIdx>> = suggestions.iter().filter(|s| &s.label == label).map(|s| s.range()).collect();
        score.gold += gold.len();
        score.suggested += ours.len();
        score.exact_suggested += ours.iter().filter(|o| gold.contains(o)).count();
        score.exact_gold += gold.iter().filter(|g| ours.contains(g)).count();
        score.overlap_suggested += ours.iter().filter(|o| gold.iter().any(|g| overlaps(o, g))).count();
        score.overlap_gold += gold.iter().filter(|g| ours.iter().any(|o| overlaps(o, g))).count();
    }
}

pub(crate) fn score_relations(doc: &Document, suggestions: &[Suggestion], score: &mut Score) {
    let gold: Vec<(Range<CharIdx>, Range<CharIdx>)> = doc
        .relations
        .iter()
        .filter(|r| r.kind == super::ATTRIBUTED_TO)
        .filter_map(|r| Some((doc.span(r.from)?.range(), doc.span(r.to)?.range())))
        .collect();
    let ours: Vec<(Range<CharIdx>, Range<CharIdx>)> = suggestions
        .iter()
        .filter_map(|s| {
            let link = s.relation.as_ref()?;
            let LinkTarget::Suggestion(j) = link.other else { return None };
            let other = suggestions.get(j)?.range();
            Some(if link.outgoing { (s.range(), other) } else { (other, s.range()) })
        })
        .collect();
    let same = |a: &(Range<CharIdx>, Range<CharIdx>), b: &(Range<CharIdx>, Range<CharIdx>)| a == b;
    let near = |a: &(Range<CharIdx>, Range<CharIdx>), b: &(Range<CharIdx>, Range<CharIdx>)| {
        overlaps(&a.0, &b.0) && overlaps(&a.1, &b.1)
    };
    score.gold += gold.len();
    score.suggested += ours.len();
    score.exact_suggested += ours.iter().filter(|o| gold.iter().any(|g| same(o, g))).count();
    score.exact_gold += gold.iter().filter(|g| ours.iter().any(|o| same(o, g))).count();
    score.overlap_suggested += ours.iter().filter(|o| gold.iter().any(|g| near(o, g))).count();
    score.overlap_gold += gold.iter().filter(|g| ours.iter().any(|o| near(o, g))).count();
}

impl fmt::Display for Evaluation {
    /// A Markdown table: one row per label, then all labels, then relations.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| label | human | suggested | exact P | exact R | overlap P | overlap R |")?;
        writeln!(f, "|---|---:|---:|---:|---:|---:|---:|")?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, s: &Score| {
            writeln!(
                f,
                "| {name} | {} | {} | {:.2} | {:.2} | {:.2} | {:.2} |",
                s.gold,
                s.suggested,
                s.exact_precision(),
                s.exact_recall(),
                s.overlap_precision(),
                s.overlap_recall()
            )
        };
        for (label, score) in &self.labels {
            row(f, label, score)?;
        }
        row(f, "all spans", &self.all)?;
        row(f, "attributed_to", &self.relations)
    }
}
