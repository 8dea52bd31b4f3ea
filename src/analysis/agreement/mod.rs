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

mod alpha;
mod figure;
mod kappa;
mod span_match;
mod tokens;
mod unitizing;

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde::Serialize;

pub use alpha::{Alpha, AlphaCounter, CategoryCount};
pub use figure::Figure;
pub use kappa::{Kappa, KappaCell, cohen_kappa};
pub use span_match::{MatchCounts, SpanScores, exact_matches, overlap_matches};
pub use tokens::OUTSIDE;
pub use unitizing::{CodedUnit, UnitizingAlpha, alpha_of, unitizing_alpha};

use crate::model::{Document, Project};
use crate::text::tokens::tokenize;
use tokens::{Categories, token_labels};

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

/// Running totals for one pair.
#[derive(Default)]
struct PairTotals {
    documents: usize,
    only_a: usize,
    only_b: usize,
    tokens: usize,
    exact: Vec<MatchCounts>,
    overlap: Vec<MatchCounts>,
    table: HashMap<(u32, u32), usize>,
    /// Per label: [both, only A, only B, neither] token counts.
    binary: Vec<[usize; 4]>,
    by_doc: Vec<DocAgreement>,
}

/// One annotator's layer of one document.
struct Layer {
    /// Char ranges per label index.
    ranges: Vec<Vec<Range<usize>>>,
    /// Label indices over each token.
    token_labels: Vec<Vec<usize>>,
    /// Category id of each token.
    categories: Vec<u32>,
}

/// Computes every agreement figure for `project`.
pub fn agreement(project: &Project, options: &AgreementOptions) -> Result<AgreementReport, AgreementError> {
    let labels = label_list(project);
    let index: HashMap<&str, usize> = labels.iter().enumerate().map(|(i, l)| (l.as_str(), i)).collect();
    let annotators = select_annotators(project, options)?;
    let n_labels = labels.len();
    let mut categories = Categories::default();
    let mut pairs: Vec<(usize, usize, PairTotals)> = Vec::new();
    for i in 0..annotators.len() {
        for j in i + 1..annotators.len() {
            let totals = PairTotals {
                exact: vec![MatchCounts::default(); n_labels],
                overlap: vec![MatchCounts::default(); n_labels],
                binary: vec![[0; 4]; n_labels],
                ..PairTotals::default()
            };
            pairs.push((i, j, totals));
        }
    }
    let mut alpha_all: AlphaCounter<u32> = AlphaCounter::new();
    let mut alpha_labels: Vec<AlphaCounter<bool>> = (0..n_labels).map(|_| AlphaCounter::new()).collect();
    let mut alpha_documents = 0;
    let mut continuum = Continuum { units: vec![Vec::new(); n_labels], ..Continuum::default() };
    for doc in &project.documents {
        let touched: Vec<bool> = annotators.iter().map(|name| doc.spans.iter().any(|s| &s.annotator == name)).collect();
        if touched.iter().all(|&t| t) {
            continuum.add(doc, &annotators, &index);
        }
        for (i, j, totals) in &mut pairs {
            match (touched[*i], touched[*j]) {
                (true, false) => totals.only_a += 1,
                (false, true) => totals.only_b += 1,
                _ => {}
            }
        }
        if touched.iter().filter(|&&t| t).count() < 2 {
            continue;
        }
        alpha_documents += 1;
        let tokens = tokenize(&doc.text);
        let layers: Vec<Option<Layer>> = annotators
            .iter()
            .zip(&touched)
            .map(|(name, &t)| t.then(|| layer(doc, name, &tokens, &index, &labels, &mut categories)))
            .collect();
        for (i, j, totals) in &mut pairs {
            if let (Some(a), Some(b)) = (&layers[*i], &layers[*j]) {
                add_pair(totals, doc, tokens.len(), a, b, options.by_doc, &categories);
            }
        }
        let present: Vec<&Layer> = layers.iter().flatten().collect();
        let mut values: Vec<u32> = Vec::with_capacity(present.len());
        let mut flags: Vec<bool> = Vec::with_capacity(present.len());
        for t in 0..tokens.len() {
            values.clear();
            values.extend(present.iter().map(|l| l.categories[t]));
            alpha_all.add_unit(&values);
            for (label, counter) in alpha_labels.iter_mut().enumerate() {
                flags.clear();
                flags.extend(present.iter().map(|l| l.token_labels[t].contains(&label)));
                counter.add_unit(&flags);
            }
        }
    }
    let pairs = pairs
        .into_iter()
        .map(|(i, j, totals)| finish_pair(&annotators[i], &annotators[j], totals, &labels, &categories))
        .collect();
    let alpha = AlphaAgreement {
        documents: alpha_documents,
        overall: alpha_all.finish(|&id| categories.name(id)),
        by_label: labels
            .iter()
            .zip(&alpha_labels)
            .map(|(label, counter)| LabelAlpha {
                label: label.clone(),
                alpha: counter.finish(|&b| binary_name(label, b)),
            })
            .collect(),
    };
    let unitizing = continuum.finish(&labels, annotators.len());
    Ok(AgreementReport {
        unitizing,
        annotators,
        labels,
        documents: project.documents.len(),
        spans_without_annotator: project
            .documents
            .iter()
            .flat_map(|d| &d.spans)
            .filter(|s| s.annotator.is_empty())
            .count(),
        pairs,
        alpha,
    })
}

/// The documents every annotator touched, end to end, with each annotator's spans per label on it.
#[derive(Default)]
struct Continuum {
    documents: usize,
    chars: u64,
    /// Per label index: every annotator's units, at their place in the continuum.
    units: Vec<Vec<CodedUnit>>,
}

impl Continuum {
    fn add(&mut self, doc: &Document, annotators: &[String], index: &HashMap<&str, usize>) {
        for span in &doc.spans {
            let (Some(coder), Some(&label)) =
                (annotators.iter().position(|a| *a == span.annotator), index.get(span.label.as_str()))
            else {
                continue;
            };
            let range = self.chars + span.start.0 as u64..self.chars + span.end.0 as u64;
            if let Some(units) = self.units.get_mut(label) {
                units.push(CodedUnit { coder, range });
            }
        }
        self.documents += 1;
        self.chars += doc.char_len() as u64;
    }

    fn finish(self, labels: &[String], coders: usize) -> UnitizingAgreement {
        let by_label = labels
            .iter()
            .zip(&self.units)
            .map(|(label, units)| LabelUnitizing {
                label: label.clone(),
                alpha: unitizing_alpha(self.chars, coders, units),
            })
            .collect::<Vec<LabelUnitizing>>();
        let n = by_label.len().max(1) as f64;
        let observed = by_label.iter().map(|l| l.alpha.observed).sum::<f64>() / n;
        let expected = by_label.iter().map(|l| l.alpha.expected).sum::<f64>() / n;
        let units = by_label.iter().map(|l| l.alpha.units).sum();
        let overall = UnitizingAlpha { observed, expected, alpha: alpha_of(observed, expected), units };
        UnitizingAgreement { documents: self.documents, chars: self.chars, overall, by_label }
    }
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

fn select_annotators(project: &Project, options: &AgreementOptions) -> Result<Vec<String>, AgreementError> {
    let found = annotators_in(project);
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
    let mut labels: Vec<String> = project.schema.labels.iter().map(|l| l.name.clone()).collect();
    let extra: BTreeSet<&str> = project
        .documents
        .iter()
        .flat_map(|d| &d.spans)
        .map(|s| s.label.as_str())
        .filter(|l| project.schema.label(l).is_none())
        .collect();
    labels.extend(extra.into_iter().map(str::to_string));
    labels
}

fn layer(
    doc: &Document,
    annotator: &str,
    tokens: &[crate::text::tokens::Token],
    index: &HashMap<&str, usize>,
    labels: &[String],
    categories: &mut Categories,
) -> Layer {
    let spans = || doc.spans.iter().filter(move |s| s.annotator == annotator);
    let mut ranges = vec![Vec::new(); labels.len()];
    for span in spans() {
        if let Some(&l) = index.get(span.label.as_str()) {
            ranges[l].push(span.start.0..span.end.0);
        }
    }
    let token_labels = token_labels(tokens, spans(), |label| index.get(label).copied());
    let categories = token_labels.iter().map(|set| categories.id(set, labels)).collect();
    Layer { ranges, token_labels, categories }
}

fn add_pair(
    totals: &mut PairTotals,
    doc: &Document,
    n_tokens: usize,
    a: &Layer,
    b: &Layer,
    by_doc: bool,
    categories: &Categories,
) {
    totals.documents += 1;
    totals.tokens += n_tokens;
    let (mut exact_doc, mut overlap_doc) = (MatchCounts::default(), MatchCounts::default());
    for (label, (ra, rb)) in a.ranges.iter().zip(&b.ranges).enumerate() {
        let base = MatchCounts { spans_a: ra.len(), spans_b: rb.len(), matched: 0 };
        let exact = MatchCounts { matched: exact_matches(ra, rb), ..base };
        let overlap = MatchCounts { matched: overlap_matches(ra, rb), ..base };
        totals.exact[label].add(exact);
        totals.overlap[label].add(overlap);
        exact_doc.add(exact);
        overlap_doc.add(overlap);
    }
    let mut doc_table: HashMap<(u32, u32), usize> = HashMap::new();
    for t in 0..n_tokens {
        *doc_table.entry((a.categories[t], b.categories[t])).or_default() += 1;
        for (label, cell) in totals.binary.iter_mut().enumerate() {
            let (in_a, in_b) = (a.token_labels[t].contains(&label), b.token_labels[t].contains(&label));
            cell[match (in_a, in_b) {
                (true, true) => 0,
                (true, false) => 1,
                (false, true) => 2,
                (false, false) => 3,
            }] += 1;
        }
    }
    for (&key, &count) in &doc_table {
        *totals.table.entry(key).or_default() += count;
    }
    if by_doc {
        totals.by_doc.push(DocAgreement {
            doc: doc.id.to_string(),
            title: doc.title.clone(),
            tokens: n_tokens,
            exact: exact_doc.scores(),
            overlap: overlap_doc.scores(),
            kappa: kappa_of(&doc_table, categories),
        });
    }
}

fn kappa_of(table: &HashMap<(u32, u32), usize>, categories: &Categories) -> Kappa {
    cohen_kappa(table.iter().map(|(&(a, b), &count)| (categories.name(a), categories.name(b), count)))
}

/// The two categories of a per-label figure: the label itself, or `not <label>`.
fn binary_name(label: &str, inside: bool) -> String {
    if inside { label.to_string() } else { format!("not {label}") }
}

fn finish_pair(a: &str, b: &str, totals: PairTotals, labels: &[String], categories: &Categories) -> PairAgreement {
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
        documents_only_a: totals.only_a,
        documents_only_b: totals.only_b,
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
