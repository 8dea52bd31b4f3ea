//! Inter-annotator agreement between the annotators of one project (usually made by `factmark merge`).
//!
//! Three families of figures, each with the counts behind it:
//! - span level, per pair of annotators: precision, recall and F1 for exact matches (same label, same
//!   start and end) and overlap matches (same label, at least one shared character), one-to-one;
//! - token level, per pair: Cohen's κ on each token's category, overall and per label (binary: under a
//!   span of that label or not);
//! - token level, all annotators together: Krippendorff's α (nominal), overall and per label.
//!
//! Which documents count: an annotator has *touched* a document when they have at least one span in it.
//! A document with no spans from an annotator is taken as not annotated by them (rather than as "nothing
//! in it is a claim"), because unannotated documents would otherwise inflate agreement on `O`. Pair
//! figures use the documents both annotators touched; α uses the documents at least two of the selected
//! annotators touched, with the others' values missing for those tokens, as α allows.
//!
//! - character level, all annotators together: Krippendorff's unitizing α (α_u) per label, over the
//!   documents every selected annotator touched, laid end to end as one continuum of characters (α_u
//!   needs every coder to have unitized all of it).
//!
//! Review state is ignored: agreement measures what the annotators marked, not what a reviewer kept.

mod accumulate;
mod alpha;
mod figure;
mod kappa;
mod span_match;
mod tokens;
mod unitizing;

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

pub use accumulate::AgreementAccumulator;
pub use alpha::{Alpha, AlphaCounter, CategoryCount};
pub use figure::Figure;
pub use kappa::{Kappa, KappaCell, cohen_kappa};
pub use span_match::{MatchCounts, SpanScores, exact_matches, overlap_matches};
pub use tokens::OUTSIDE;
pub use unitizing::{CodedUnit, UnitizingAlpha, alpha_of, unitizing_alpha};

use crate::model::{Project, Schema};
use accumulate::PairTotals;
use tokens::Categories;

/// The annotator name of the curated layer, left out of agreement unless asked for by name.
pub const GOLD: &str = "gold";

/// What to compute.
#[derive(Clone, Debug, Default)]
pub struct AgreementOptions {
    /// The annotators to compare, in this order; `None` means every annotator with spans except `gold`.
    pub annotators: Option<Vec<String>>,
    /// Whether to add per-document figures to every pair.
    pub by_doc: bool,
}

/// Why agreement cannot be computed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AgreementError {
    /// An annotator asked for has no spans in the project.
    #[error("annotator {name:?} has no spans in this project (annotators: {known})")]
    UnknownAnnotator {
        /// The name asked for.
        name: String,
        /// The annotators that do have spans, comma-separated.
        known: String,
    },
    /// Fewer than two annotators to compare.
    #[error("agreement needs at least two annotators; {found}")]
    TooFewAnnotators {
        /// What was found, in words.
        found: String,
    },
}

/// Span scores for one label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelScores {
    /// The label.
    pub label: String,
    /// Its scores.
    #[serde(flatten)]
    pub scores: SpanScores,
}

/// κ for one label (binary: a token is under a span of the label or not).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelKappa {
    /// The label.
    pub label: String,
    /// Its κ.
    #[serde(flatten)]
    pub kappa: Kappa,
}

/// α for one label (binary, as for [`LabelKappa`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelAlpha {
    /// The label.
    pub label: String,
    /// Its α.
    #[serde(flatten)]
    pub alpha: Alpha,
}

/// The figures of one pair in one document.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DocAgreement {
    /// Document id.
    pub doc: String,
    /// Document title.
    pub title: String,
    /// Tokens in the document.
    pub tokens: usize,
    /// Exact-match scores over all labels.
    pub exact: SpanScores,
    /// Overlap-match scores over all labels.
    pub overlap: SpanScores,
    /// κ on token categories.
    pub kappa: Kappa,
}

/// Everything measured between two annotators, A and B.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PairAgreement {
    /// Annotator A (the "prediction" side of precision).
    pub a: String,
    /// Annotator B (the "reference" side).
    pub b: String,
    /// Documents both touched: the ones compared.
    pub documents: usize,
    /// Documents only A touched (not compared).
    pub documents_only_a: usize,
    /// Documents only B touched (not compared).
    pub documents_only_b: usize,
    /// Tokens in the compared documents.
    pub tokens: usize,
    /// Exact matches, all labels together (micro-averaged: counts added up, then divided).
    pub exact: SpanScores,
    /// Exact matches per label, in schema order.
    pub exact_by_label: Vec<LabelScores>,
    /// Overlap matches, all labels together.
    pub overlap: SpanScores,
    /// Overlap matches per label.
    pub overlap_by_label: Vec<LabelScores>,
    /// κ on each token's category (its set of labels, `O` for none).
    pub kappa: Kappa,
    /// κ per label.
    pub kappa_by_label: Vec<LabelKappa>,
    /// Per compared document, when asked for.
    pub by_doc: Vec<DocAgreement>,
}

/// Krippendorff's α over all selected annotators.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AlphaAgreement {
    /// Documents touched by at least two of the annotators.
    pub documents: usize,
    /// α on token categories.
    pub overall: Alpha,
    /// α per label.
    pub by_label: Vec<LabelAlpha>,
}

/// α_u of one label.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LabelUnitizing {
    /// The label.
    pub label: String,
    /// Its α_u and disagreements.
    #[serde(flatten)]
    pub alpha: UnitizingAlpha,
}

/// Krippendorff's unitizing α over all selected annotators, on characters.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitizingAgreement {
    /// Documents every selected annotator touched: the continuum.
    pub documents: usize,
    /// Its length in characters.
    pub chars: u64,
    /// All labels together: 1 − (mean D_o) / (mean D_e) over the labels.
    pub overall: UnitizingAlpha,
    /// α_u per label, in schema order.
    pub by_label: Vec<LabelUnitizing>,
}

/// The whole agreement report.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgreementReport {
    /// The annotators compared.
    pub annotators: Vec<String>,
    /// The labels, in schema order.
    pub labels: Vec<String>,
    /// Documents in the project.
    pub documents: usize,
    /// Spans with no annotator, which no figure can use.
    pub spans_without_annotator: usize,
    /// One entry per pair of annotators, in the order the annotators were given.
    pub pairs: Vec<PairAgreement>,
    /// Krippendorff's α over all of them.
    pub alpha: AlphaAgreement,
    /// Krippendorff's unitizing α over all of them.
    pub unitizing: UnitizingAgreement,
}

/// Computes every agreement figure for `project`.
pub fn agreement(project: &Project, options: &AgreementOptions) -> Result<AgreementReport, AgreementError> {
    let mut totals = AgreementAccumulator::new(label_list(project), options);
    for doc in &project.documents {
        totals.add_document(doc);
    }
    totals.finish()
}

/// α_u of every label over a continuum of `documents` documents, `chars` characters, holding `units`
/// (per label index) of `coders` coders; the overall figure averages the labels' disagreements.
fn unitizing_agreement(
    documents: usize,
    chars: u64,
    units: Vec<Vec<CodedUnit>>,
    labels: &[String],
    coders: usize,
) -> UnitizingAgreement {
    let by_label = labels
        .iter()
        .zip(&units)
        .map(|(label, units)| LabelUnitizing { label: label.clone(), alpha: unitizing_alpha(chars, coders, units) })
        .collect::<Vec<LabelUnitizing>>();
    let n = by_label.len().max(1) as f64;
    let observed = by_label.iter().map(|l| l.alpha.observed).sum::<f64>() / n;
    let expected = by_label.iter().map(|l| l.alpha.expected).sum::<f64>() / n;
    let units = by_label.iter().map(|l| l.alpha.units).sum();
    let overall = UnitizingAlpha { observed, expected, alpha: alpha_of(observed, expected), units };
    UnitizingAgreement { documents, chars, overall, by_label }
}

/// Every annotator with at least one span, sorted by name (spans with no annotator are not a layer).
pub fn annotators_in(project: &Project) -> Vec<String> {
    let found: BTreeSet<&str> = project
        .documents
        .iter()
        .flat_map(|d| &d.spans)
        .map(|s| s.annotator.as_str())
        .filter(|a| !a.is_empty())
        .collect();
    found.into_iter().map(str::to_string).collect()
}

/// The annotators to compare, from `found` (every annotator with spans, sorted by name) and the options.
fn select_annotators(found: Vec<String>, options: &AgreementOptions) -> Result<Vec<String>, AgreementError> {
    let chosen: Vec<String> = match &options.annotators {
        Some(wanted) => {
            let mut chosen: Vec<String> = Vec::new();
            for name in wanted {
                if !found.contains(name) {
                    return Err(AgreementError::UnknownAnnotator { name: name.clone(), known: found.join(", ") });
                }
                if !chosen.contains(name) {
                    chosen.push(name.clone());
                }
            }
            chosen
        }
        None => found.iter().filter(|a| a.as_str() != GOLD).cloned().collect(),
    };
    if chosen.len() < 2 {
        let found = match chosen.as_slice() {
            [] => "the project has no spans with an annotator".to_string(),
            [one] => format!("only {one:?} is selected"),
            _ => String::new(),
        };
        return Err(AgreementError::TooFewAnnotators { found });
    }
    Ok(chosen)
}

/// Schema labels in order, then any label a span uses that the schema lacks (a valid project has none).
fn label_list(project: &Project) -> Vec<String> {
    agreement_labels(&project.schema, project.documents.iter().flat_map(|d| &d.spans).map(|s| s.label.as_str()))
}

/// The labels agreement is computed for: `schema`'s in order, then those of `used` (the labels spans use)
/// that the schema lacks, sorted. What [`AgreementAccumulator::new`] needs to give [`agreement`]'s report.
pub fn agreement_labels<'a>(schema: &Schema, used: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut labels: Vec<String> = schema.labels.iter().map(|l| l.name.clone()).collect();
    let extra: BTreeSet<&str> = used.into_iter().filter(|l| schema.label(l).is_none()).collect();
    labels.extend(extra.into_iter().map(str::to_string));
    labels
}

fn kappa_of(table: &HashMap<(u32, u32), usize>, categories: &Categories) -> Kappa {
    cohen_kappa(table.iter().map(|(&(a, b), &count)| (categories.name(a), categories.name(b), count)))
}

/// The two categories of a per-label figure: the label itself, or `not <label>`.
fn binary_name(label: &str, inside: bool) -> String {
    if inside { label.to_string() } else { format!("not {label}") }
}

fn finish_pair(
    a: &str,
    b: &str,
    totals: PairTotals,
    (only_a, only_b): (usize, usize),
    labels: &[String],
    categories: &Categories,
) -> PairAgreement {
    let sum = |counts: &[MatchCounts]| {
        let mut all = MatchCounts::default();
        counts.iter().for_each(|c| all.add(*c));
        all.scores()
    };
    let by_label = |counts: &[MatchCounts]| {
        labels.iter().zip(counts).map(|(label, c)| LabelScores { label: label.clone(), scores: c.scores() }).collect()
    };
    let kappa_by_label = labels
        .iter()
        .zip(&totals.binary)
        .map(|(label, &[both, only_a, only_b, neither])| {
            let (yes, no) = (binary_name(label, true), binary_name(label, false));
            let kappa = cohen_kappa([
                (yes.clone(), yes.clone(), both),
                (yes.clone(), no.clone(), only_a),
                (no.clone(), yes, only_b),
                (no.clone(), no, neither),
            ]);
            LabelKappa { label: label.clone(), kappa }
        })
        .collect();
    PairAgreement {
        a: a.to_string(),
        b: b.to_string(),
        documents: totals.documents,
        documents_only_a: only_a,
        documents_only_b: only_b,
        tokens: totals.tokens,
        exact: sum(&totals.exact),
        exact_by_label: by_label(&totals.exact),
        overlap: sum(&totals.overlap),
        overlap_by_label: by_label(&totals.overlap),
        kappa: kappa_of(&totals.table, categories),
        kappa_by_label,
        by_doc: totals.by_doc,
    }
}
