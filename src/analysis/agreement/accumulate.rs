//! Agreement added up a document at a time: [`AgreementAccumulator`] takes documents in project order (or
//! parts gathered apart, on other threads, merged in project order) and gives the report at the end.
//!
//! Which annotators are compared depends on the whole project (by default, everyone with spans but `gold`),
//! but what one document adds does not: it adds figures for every pair of the annotators who may be
//! compared and touched it, and the pairs that are finally selected are read out at the end. Every total is
//! a count (α's disagreement too, see [`AlphaCounter`]), so the order parts are merged in changes nothing
//! and a report streamed from a project folder is exactly the report of the project loaded whole.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;

use super::tokens::{Categories, token_labels};
use super::{
    AgreementError, AgreementOptions, AgreementReport, AlphaAgreement, AlphaCounter, CodedUnit, DocAgreement, GOLD,
    LabelAlpha, MatchCounts, binary_name, exact_matches, finish_pair, kappa_of, overlap_matches, select_annotators,
    unitizing_agreement,
};
use crate::model::Document;
use crate::text::tokens::{Token, tokenize};

/// Which annotators a document's spans may be compared for; decided by the options alone, so a document
/// can be counted before the rest of the project is seen.
#[derive(Clone, Debug)]
enum Eligible {
    /// The annotators asked for, in that order, without repeats.
    Listed(Vec<String>),
    /// Everyone with spans but `gold`, in name order.
    AllButGold,
}

impl Eligible {
    /// The annotators of `doc` who may be compared and have spans in it, in the order pairs are formed.
    fn touched<'d>(&self, doc: &'d Document) -> Vec<&'d str> {
        match self {
            Eligible::Listed(names) => names
                .iter()
                .filter_map(|name| doc.spans.iter().find(|s| s.annotator == *name).map(|s| s.annotator.as_str()))
                .collect(),
            Eligible::AllButGold => {
                let found: BTreeSet<&str> =
                    doc.spans.iter().map(|s| s.annotator.as_str()).filter(|a| !a.is_empty() && *a != GOLD).collect();
                found.into_iter().collect()
            }
        }
    }
}

/// Running totals for one pair of annotators, A and B (A first in the selection order).
#[derive(Clone, Debug, Default)]
pub(super) struct PairTotals {
    pub(super) documents: usize,
    pub(super) tokens: usize,
    pub(super) exact: Vec<MatchCounts>,
    pub(super) overlap: Vec<MatchCounts>,
    pub(super) table: HashMap<(u32, u32), usize>,
    /// Per label: [both, only A, only B, neither] token counts.
    pub(super) binary: Vec<[usize; 4]>,
    pub(super) by_doc: Vec<DocAgreement>,
}

impl PairTotals {
    pub(super) fn new(n_labels: usize) -> PairTotals {
        PairTotals {
            exact: vec![MatchCounts::default(); n_labels],
            overlap: vec![MatchCounts::default(); n_labels],
            binary: vec![[0; 4]; n_labels],
            ..PairTotals::default()
        }
    }

    /// Adds `other`'s totals (documents that follow these), its category ids read through `remap`.
    fn merge(&mut self, other: PairTotals, remap: &[u32]) {
        self.documents += other.documents;
        self.tokens += other.tokens;
        for (into, from) in self.exact.iter_mut().zip(other.exact) {
            into.add(from);
        }
        for (into, from) in self.overlap.iter_mut().zip(other.overlap) {
            into.add(from);
        }
        for ((a, b), count) in other.table {
            *self.table.entry((remapped(remap, a), remapped(remap, b))).or_default() += count;
        }
        for (into, from) in self.binary.iter_mut().zip(other.binary) {
            for (cell, add) in into.iter_mut().zip(from) {
                *cell += add;
            }
        }
        self.by_doc.extend(other.by_doc);
    }
}

/// Category `id` of another accumulator as this one numbers it.
fn remapped(remap: &[u32], id: u32) -> u32 {
    remap.get(id as usize).copied().unwrap_or(id)
}

/// A document that may belong to the unitizing continuum (every selected annotator touched it), kept
/// until the selection is known: its length and the units of the annotators who touched it.
#[derive(Clone, Debug)]
struct Candidate {
    /// Annotators (numbers into the accumulator's coder names) with spans in it.
    touched: Vec<u32>,
    chars: u64,
    /// (label index, coder number, char range in the document).
    units: Vec<(usize, u32, Range<u64>)>,
}

/// Agreement gathered a document at a time; [`AgreementAccumulator::finish`] gives the report that
/// [`super::agreement`] gives for a project holding the same documents in the same order.
#[derive(Clone, Debug)]
pub struct AgreementAccumulator {
    labels: Vec<String>,
    index: HashMap<String, usize>,
    eligible: Eligible,
    options: AgreementOptions,
    categories: Categories,
    documents: usize,
    spans_without_annotator: usize,
    /// Every annotator with spans (the ones a selection may name).
    found: BTreeSet<String>,
    /// Per annotator who may be compared: the documents they touched.
    touched: BTreeMap<String, usize>,
    pairs: BTreeMap<(String, String), PairTotals>,
    alpha_documents: usize,
    alpha_all: AlphaCounter<u32>,
    alpha_labels: Vec<AlphaCounter<bool>>,
    coders: Vec<String>,
    candidates: Vec<Candidate>,
}

impl AgreementAccumulator {
    /// An accumulator with no documents yet, for a project whose labels are `labels` (schema order, then
    /// any label a span uses that the schema lacks: see [`super::agreement_labels`]; spans of a label not
    /// listed are not compared).
    pub fn new(labels: Vec<String>, options: &AgreementOptions) -> AgreementAccumulator {
        let index = labels.iter().enumerate().map(|(i, l)| (l.clone(), i)).collect();
        let eligible = match &options.annotators {
            Some(wanted) => {
                let mut names: Vec<String> = Vec::new();
                for name in wanted {
                    if !names.contains(name) {
                        names.push(name.clone());
                    }
                }
                Eligible::Listed(names)
            }
            None => Eligible::AllButGold,
        };
        AgreementAccumulator {
            alpha_labels: (0..labels.len()).map(|_| AlphaCounter::new()).collect(),
            labels,
            index,
            eligible,
            options: options.clone(),
            categories: Categories::default(),
            documents: 0,
            spans_without_annotator: 0,
            found: BTreeSet::new(),
            touched: BTreeMap::new(),
            pairs: BTreeMap::new(),
            alpha_documents: 0,
            alpha_all: AlphaCounter::new(),
            coders: Vec::new(),
            candidates: Vec::new(),
        }
    }

    /// An accumulator with the same labels and options and no documents, to gather a part apart (on
    /// another thread) and [`AgreementAccumulator::merge`] later.
    pub fn empty_like(&self) -> AgreementAccumulator {
        AgreementAccumulator::new(self.labels.clone(), &self.options)
    }

    /// Documents added so far.
    pub fn documents(&self) -> usize {
        self.documents
    }

    /// Counts one more document, the next in project order.
    pub fn add_document(&mut self, doc: &Document) {
        self.documents += 1;
        for span in &doc.spans {
            if span.annotator.is_empty() {
                self.spans_without_annotator += 1;
            } else if !self.found.contains(&span.annotator) {
                self.found.insert(span.annotator.clone());
            }
        }
        let touched = self.eligible.touched(doc);
        for name in &touched {
            *self.touched.entry((*name).to_string()).or_default() += 1;
        }
        if touched.len() < 2 {
            return;
        }
        let every_listed = match &self.eligible {
            Eligible::Listed(names) => touched.len() == names.len(),
            Eligible::AllButGold => true,
        };
        if every_listed {
            self.add_candidate(doc, &touched);
        }
        self.alpha_documents += 1;
        let tokens = tokenize(&doc.text);
        let layers: Vec<Layer> = touched
            .iter()
            .map(|name| layer(doc, name, &tokens, &self.index, &self.labels, &mut self.categories))
            .collect();
        for i in 0..touched.len() {
            for j in i + 1..touched.len() {
                let key = (touched[i].to_string(), touched[j].to_string());
                let totals = self.pairs.entry(key).or_insert_with(|| PairTotals::new(self.labels.len()));
                add_pair(totals, doc, tokens.len(), &layers[i], &layers[j], self.options.by_doc, &self.categories);
            }
        }
        let mut values: Vec<u32> = Vec::with_capacity(layers.len());
        let mut flags: Vec<bool> = Vec::with_capacity(layers.len());
        for t in 0..tokens.len() {
            values.clear();
            values.extend(layers.iter().map(|l| l.categories[t]));
            self.alpha_all.add_unit(&values);
            for (label, counter) in self.alpha_labels.iter_mut().enumerate() {
                flags.clear();
                flags.extend(layers.iter().map(|l| l.token_labels[t].contains(&label)));
                counter.add_unit(&flags);
            }
        }
    }

    fn coder(&mut self, name: &str) -> u32 {
        match self.coders.iter().position(|c| c == name) {
            Some(at) => u32::try_from(at).unwrap_or(u32::MAX),
            None => {
                self.coders.push(name.to_string());
                u32::try_from(self.coders.len() - 1).unwrap_or(u32::MAX)
            }
        }
    }

    fn add_candidate(&mut self, doc: &Document, touched: &[&str]) {
        let ids: Vec<u32> = touched.iter().map(|name| self.coder(name)).collect();
        let mut units = Vec::new();
        for span in &doc.spans {
            let (Some(at), Some(&label)) =
                (touched.iter().position(|a| *a == span.annotator), self.index.get(span.label.as_str()))
            else {
                continue;
            };
            units.push((label, ids[at], span.start.0 as u64..span.end.0 as u64));
        }
        self.candidates.push(Candidate { touched: ids, chars: doc.char_len() as u64, units });
    }

    /// Adds the documents `other` gathered, which follow these in project order.
    pub fn merge(&mut self, other: AgreementAccumulator) {
        let remap = self.categories.absorb(&other.categories, &self.labels);
        self.documents += other.documents;
        self.spans_without_annotator += other.spans_without_annotator;
        self.found.extend(other.found);
        for (name, n) in other.touched {
            *self.touched.entry(name).or_default() += n;
        }
        for (key, totals) in other.pairs {
            match self.pairs.get_mut(&key) {
                Some(into) => into.merge(totals, &remap),
                None => {
                    let mut fresh = PairTotals::new(self.labels.len());
                    fresh.merge(totals, &remap);
                    self.pairs.insert(key, fresh);
                }
            }
        }
        self.alpha_documents += other.alpha_documents;
        self.alpha_all.merge(other.alpha_all.map(|&id| remapped(&remap, id)));
        for (into, from) in self.alpha_labels.iter_mut().zip(other.alpha_labels) {
            into.merge(from);
        }
        let coders: Vec<u32> = other.coders.iter().map(|name| self.coder(name)).collect();
        let coder = |id: u32| coders.get(id as usize).copied().unwrap_or(id);
        for mut candidate in other.candidates {
            candidate.touched.iter_mut().for_each(|id| *id = coder(*id));
            candidate.units.iter_mut().for_each(|unit| unit.1 = coder(unit.1));
            self.candidates.push(candidate);
        }
    }

    /// The report over every document added, or why there is none (the annotators asked for are not in
    /// the documents, or fewer than two can be compared).
    pub fn finish(mut self) -> Result<AgreementReport, AgreementError> {
        let annotators = select_annotators(self.found.iter().cloned().collect(), &self.options)?;
        let (labels, categories) = (&self.labels, &self.categories);
        let mut pairs = Vec::new();
        for i in 0..annotators.len() {
            for j in i + 1..annotators.len() {
                let (a, b) = (&annotators[i], &annotators[j]);
                let totals =
                    self.pairs.remove(&(a.clone(), b.clone())).unwrap_or_else(|| PairTotals::new(labels.len()));
                // A document touched by one of them only is every document they touched but the shared ones.
                let only =
                    |name: &String| self.touched.get(name).copied().unwrap_or(0).saturating_sub(totals.documents);
                let (only_a, only_b) = (only(a), only(b));
                pairs.push(finish_pair(a, b, totals, (only_a, only_b), labels, categories));
            }
        }
        let alpha = AlphaAgreement {
            documents: self.alpha_documents,
            overall: self.alpha_all.finish(|&id| categories.name(id)),
            by_label: labels
                .iter()
                .zip(&self.alpha_labels)
                .map(|(label, counter)| LabelAlpha {
                    label: label.clone(),
                    alpha: counter.finish(|&b| binary_name(label, b)),
                })
                .collect(),
        };
        let unitizing = self.continuum(&annotators);
        Ok(AgreementReport {
            unitizing,
            annotators,
            labels: self.labels,
            documents: self.documents,
            spans_without_annotator: self.spans_without_annotator,
            pairs,
            alpha,
        })
    }

    /// α_u over the candidates every one of `annotators` touched, laid end to end in project order.
    fn continuum(&self, annotators: &[String]) -> super::UnitizingAgreement {
        // Coder number (of this accumulator) → position in the selection.
        let selected: Vec<Option<usize>> =
            self.coders.iter().map(|name| annotators.iter().position(|a| a == name)).collect();
        let position = |id: u32| selected.get(id as usize).copied().flatten();
        let mut units: Vec<Vec<CodedUnit>> = vec![Vec::new(); self.labels.len()];
        let (mut documents, mut chars) = (0, 0u64);
        for candidate in &self.candidates {
            let covered = candidate.touched.iter().filter(|&&id| position(id).is_some()).count();
            if covered < annotators.len() {
                continue;
            }
            for (label, coder, range) in &candidate.units {
                if let (Some(coder), Some(into)) = (position(*coder), units.get_mut(*label)) {
                    into.push(CodedUnit { coder, range: chars + range.start..chars + range.end });
                }
            }
            documents += 1;
            chars += candidate.chars;
        }
        unitizing_agreement(documents, chars, units, &self.labels, annotators.len())
    }
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

fn layer(
    doc: &Document,
    annotator: &str,
    tokens: &[Token],
    index: &HashMap<String, usize>,
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
