//! `factmark simulate`: replays the annotation of a gold project in document order, to measure honestly
//! what the suggestions save.
//!
//! Before each document, the learned recommenders train on the documents before it (only those — the
//! annotator has not labelled the rest yet); suggestions are made for the document with its spans taken
//! away and compared with the spans people made. A simulated annotator then works through it:
//! - a suggestion that is exactly a human span (same start, end and label) is **accepted**;
//! - one that overlaps a human span no suggestion matched exactly is **adjusted** (boundaries or label
//!   fixed), pairing each human span with at most one suggestion;
//! - any other suggestion is **rejected**;
//! - human spans no suggestion matched or overlapped are **tagged by hand**.
//!
//! Time saved compares the seconds this takes under a [`TimeModel`] with tagging every span by hand.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use super::eval::{Evaluation, Score, score_relations, score_spans};
use super::{SuggestOptions, Suggester, Suggestion, learn};
use crate::model::{CharIdx, Document, Project};

/// Seconds per action of the simulated annotator.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct TimeModel {
    /// Accepting a right suggestion.
    pub accept: f64,
    /// Fixing a near miss (boundaries or label).
    pub adjust: f64,
    /// Rejecting a wrong suggestion.
    pub reject: f64,
    /// Tagging a span by hand.
    pub by_hand: f64,
}

impl Default for TimeModel {
    /// The model: accept 1 s, adjust 3 s, reject 1 s, by hand 5 s.
    fn default() -> Self {
        TimeModel { accept: 1.0, adjust: 3.0, reject: 1.0, by_hand: 5.0 }
    }
}

/// What happened on one document.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DocRun {
    /// Document id.
    pub doc: String,
    /// Documents the recommenders were trained on.
    pub trained_on: usize,
    /// Human spans.
    pub gold: usize,
    /// Suggestions made.
    pub suggested: usize,
    /// Suggestions accepted unchanged.
    pub accepted: usize,
    /// Suggestions adjusted.
    pub adjusted: usize,
    /// Suggestions rejected.
    pub rejected: usize,
    /// Human spans tagged by hand.
    pub by_hand: usize,
    /// Simulated seconds with suggestions.
    pub seconds: f64,
    /// Simulated seconds tagging everything by hand.
    pub seconds_by_hand: f64,
}

impl DocRun {
    /// Share of the by-hand time saved (negative when suggestions cost time).
    pub fn saved(&self) -> f64 {
        if self.seconds_by_hand == 0.0 { 0.0 } else { 1.0 - self.seconds / self.seconds_by_hand }
    }
}

/// The result of [`simulate`].
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Simulation {
    /// The recommenders used, by name.
    pub recommenders: Vec<String>,
    /// The time model.
    pub time: Option<TimeModel>,
    /// Documents after which the summary counts ("once N documents are labelled").
    pub warmup: usize,
    /// One entry per document, in order.
    pub runs: Vec<DocRun>,
    /// Precision and recall per label over the documents after the warm-up.
    pub scores: Evaluation,
}

fn sum(runs: &[DocRun]) -> DocRun {
    let mut t = DocRun::default();
    for r in runs {
        t.gold += r.gold;
        t.suggested += r.suggested;
        t.accepted += r.accepted;
        t.adjusted += r.adjusted;
        t.rejected += r.rejected;
        t.by_hand += r.by_hand;
        t.seconds += r.seconds;
        t.seconds_by_hand += r.seconds_by_hand;
    }
    t
}

impl Simulation {
    /// Totals over the documents after the warm-up.
    pub fn after_warmup(&self) -> DocRun {
        sum(self.runs.get(self.warmup..).unwrap_or_default())
    }

    /// Totals over every document.
    pub fn overall(&self) -> DocRun {
        sum(&self.runs)
    }
}

fn overlaps(a: &Range<CharIdx>, b: &Range<CharIdx>) -> bool {
    a.start < b.end && b.start < a.end
}

/// The simulated annotator on one document.
fn replay(doc: &Document, suggestions: &[Suggestion], time: &TimeModel) -> DocRun {
    let gold: Vec<(Range<CharIdx>, &str)> = doc.spans.iter().map(|s| (s.range(), s.label.as_str())).collect();
    let mut used = vec![false; suggestions.len()];
    let mut done = vec![false; gold.len()];
    let mut run = DocRun {
        doc: doc.id.as_str().to_string(),
        gold: gold.len(),
        suggested: suggestions.len(),
        ..DocRun::default()
    };
    for (g, (range, label)) in gold.iter().enumerate() {
        if let Some(i) = (0..suggestions.len())
            .find(|&i| !used[i] && suggestions[i].range() == *range && suggestions[i].label == *label)
        {
            used[i] = true;
            done[g] = true;
            run.accepted += 1;
        }
    }
    for (g, (range, _)) in gold.iter().enumerate() {
        if done[g] {
            continue;
        }
        // The free suggestion that overlaps the most.
        let best =
            (0..suggestions.len()).filter(|&i| !used[i] && overlaps(&suggestions[i].range(), range)).max_by_key(|&i| {
                let s = suggestions[i].range();
                s.end.0.min(range.end.0) - s.start.0.max(range.start.0)
            });
        if let Some(i) = best {
            used[i] = true;
            done[g] = true;
            run.adjusted += 1;
        }
    }
    run.by_hand = done.iter().filter(|d| !**d).count();
    run.rejected = used.iter().filter(|u| !**u).count();
    run.seconds = run.accepted as f64 * time.accept
        + run.adjusted as f64 * time.adjust
        + run.rejected as f64 * time.reject
        + run.by_hand as f64 * time.by_hand;
    run.seconds_by_hand = run.gold as f64 * time.by_hand;
    run
}

/// Replays `project` in document order with the recommenders `options` turns on; the summary counts the
/// documents after the first `warmup`. `stop` ends the run early (what ran so far is returned).
pub fn simulate(
    project: &Project,
    options: &SuggestOptions,
    recommenders: Vec<String>,
    time: TimeModel,
    warmup: usize,
    stop: super::learned::Stop<'_>,
) -> Result<Simulation, super::SuggestError> {
    let (base, _rule_errors) = Suggester::new(&project.schema, &project.rules, options)?;
    let mut sim = Simulation { recommenders, time: Some(time), warmup, ..Simulation::default() };
    let mut labels: BTreeMap<String, Score> = BTreeMap::new();
    for l in &project.schema.labels {
        labels.insert(l.name.clone(), Score::default());
    }
    sim.scores = Evaluation { labels, ..Evaluation::default() };
    for (i, doc) in project.documents.iter().enumerate() {
        if stop() {
            break;
        }
        let before = Project { documents: project.documents[..i].to_vec(), ..project.clone() };
        let learned = learn(&before, None, options.learn, stop);
        let trained_on = learned.documents;
        let suggester = base.clone().with_learned(Arc::new(learned));
        let bare = Document { spans: Vec::new(), relations: Vec::new(), ..doc.clone() };
        let suggestions = suggester.suggest(&bare);
        let mut run = replay(doc, &suggestions, &time);
        run.trained_on = trained_on;
        if i >= warmup {
            score_spans(doc, &suggestions, &mut sim.scores);
            score_relations(doc, &suggestions, &mut sim.scores.relations);
            sim.scores.documents += 1;
        }
        sim.runs.push(run);
    }
    let mut all = Score::default();
    for s in sim.scores.labels.values() {
        all.add(s);
    }
    sim.scores.all = all;
    Ok(sim)
}

impl fmt::Display for Simulation {
    /// The learning curve, the totals and the per-label table.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "recommenders: {}", self.recommenders.join(", "))?;
        if let Some(t) = &self.time {
            writeln!(
                f,
                "time model: accept {} s, adjust {} s, reject {} s, tag by hand {} s\n",
                t.accept, t.adjust, t.reject, t.by_hand
            )?;
        }
        writeln!(
            f,
            "| # | document | trained on | human | suggested | accepted | adjusted | rejected | by hand | saved |"
        )?;
        writeln!(f, "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")?;
        for (i, r) in self.runs.iter().enumerate() {
            writeln!(
                f,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.0} % |",
                i + 1,
                r.doc,
                r.trained_on,
                r.gold,
                r.suggested,
                r.accepted,
                r.adjusted,
                r.rejected,
                r.by_hand,
                r.saved() * 100.0
            )?;
        }
        let total = |f: &mut fmt::Formatter<'_>, name: &str, t: &DocRun| {
            let unchanged = if t.accepted + t.adjusted == 0 {
                0.0
            } else {
                t.accepted as f64 / (t.accepted + t.adjusted) as f64 * 100.0
            };
            writeln!(
                f,
                "{name}: {:.0} % of the time saved ({:.0} s instead of {:.0} s); {} of {} suggestions used, {:.0} % of them unchanged",
                t.saved() * 100.0,
                t.seconds,
                t.seconds_by_hand,
                t.accepted + t.adjusted,
                t.suggested,
                unchanged
            )
        };
        writeln!(f)?;
        total(f, "all documents", &self.overall())?;
        total(f, &format!("once {} documents are labelled", self.warmup), &self.after_warmup())?;
        writeln!(f, "\nsuggestions against human spans, documents {} and on:\n", self.warmup + 1)?;
        write!(f, "{}", self.scores)
    }
}
