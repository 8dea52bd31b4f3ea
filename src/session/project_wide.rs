//! Project-wide work over a [`DocSource`] (a project in memory, or a project folder with the loaded
//! documents laid over it): find in project, agreement, statistics, and the documents the learned
//! recommenders train on. Each reads the documents a batch at a time on every core, reports progress and
//! stops when cancelled, and gives exactly what the same work gives on the project loaded whole.

use std::collections::HashMap;

use crate::analysis::agreement::{
    AgreementAccumulator, AgreementError, AgreementOptions, AgreementReport, agreement_labels,
};
use crate::analysis::search::{FoundMatches, Query};
use crate::analysis::stats::ProjectStats;
use crate::model::{DocId, Document, Project};

use super::job::Progress;
use super::project_source::{Batch, Counting, DocSource, SourceError, header_only};

/// Documents per batch: small enough that a batch of long articles per core stays small, large enough that
/// starting a thread per batch is noise.
pub const BATCH: usize = 64;

/// Matches a find in project keeps by default; the rest are counted ("N more not shown").
pub const FIND_LIMIT: usize = 10_000;

/// Why agreement over a source gave no report.
#[derive(Debug, thiserror::Error)]
pub enum SourceAgreementError {
    /// The documents could not be read, or the user cancelled.
    #[error(transparent)]
    Source(#[from] SourceError),
    /// Agreement cannot be computed (unknown annotator, fewer than two).
    #[error(transparent)]
    Agreement(#[from] AgreementError),
}

/// Every match of `query` in the source's documents, in project order, the first `limit` kept and the rest
/// counted: [`Query::find_in_project`] of the project (with the loaded documents as they are in memory),
/// cut at `limit`.
pub fn find_in_source(
    source: &DocSource,
    query: &Query,
    limit: usize,
    progress: &Progress,
) -> Result<FoundMatches, SourceError> {
    let mut found = FoundMatches::new(limit);
    source.for_each_batch(
        BATCH,
        progress,
        |batch: Batch<'_>| {
            let mut part = FoundMatches::new(limit);
            for (i, doc) in batch.docs.iter().enumerate() {
                part.add_document(query, batch.start + i, doc);
            }
            Ok::<_, SourceError>(part)
        },
        |part| {
            found.merge(part);
            Ok(())
        },
    )?;
    Ok(found)
}

/// The statistics of the source's project: [`crate::analysis::stats::project_stats`] of the project with
/// the loaded documents as they are in memory. A document on disk whose files its index line's counts
/// were made from is counted from the line (see [`DocSource::counted`]).
pub fn source_stats(source: &DocSource, progress: &Progress) -> Result<ProjectStats, SourceError> {
    let schema = &source.header().schema;
    let mut stats = ProjectStats::empty(schema);
    source.for_each_counted_batch(
        BATCH,
        progress,
        |docs: Vec<Counting<'_>>| {
            let mut part = ProjectStats::empty(schema);
            for doc in &docs {
                match doc {
                    Counting::Document(doc) => part.add_document(schema, doc),
                    Counting::Line(entry, counts) => part.add_line(schema, entry, counts),
                }
            }
            Ok::<_, SourceError>(part)
        },
        |part| {
            stats.merge(part);
            Ok(())
        },
    )?;
    Ok(stats)
}

/// Every agreement figure of the source's project: the report [`crate::analysis::agreement::agreement`]
/// gives for the project with the loaded documents as they are in memory. The labels are known before any
/// document is read (the index counts each document's spans per label), so it is one pass.
pub fn source_agreement(
    source: &DocSource,
    options: &AgreementOptions,
    progress: &Progress,
) -> Result<AgreementReport, SourceAgreementError> {
    let counts = source.span_counts();
    let labels =
        agreement_labels(&source.header().schema, counts.iter().flat_map(|(_, c)| c.keys()).map(String::as_str));
    let mut totals = AgreementAccumulator::new(labels, options);
    let empty = totals.empty_like();
    source.for_each_batch(
        BATCH,
        progress,
        |batch: Batch<'_>| {
            let mut part = empty.clone();
            for doc in &batch.docs {
                part.add_document(doc);
            }
            Ok::<_, SourceError>(part)
        },
        |part| {
            totals.merge(part);
            Ok(())
        },
    )?;
    Ok(totals.finish()?)
}

/// How much the learned recommenders train on at most. Training time grows with the spans: 1,000
/// documents of 50 spans train in about 1.5 s on the 2-core benchmark machine (`cargo bench --bench scale
/// -- learn`), which the defaults keep to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TrainingCap {
    /// Labelled documents at most.
    pub documents: usize,
    /// Spans over all of them at most.
    pub spans: usize,
}

impl Default for TrainingCap {
    fn default() -> Self {
        TrainingCap { documents: 1_000, spans: 50_000 }
    }
}

/// The documents to train on, and what the cap left out.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingSet {
    /// The project's header with the documents chosen: the most recently changed first, then project
    /// order.
    pub project: Project,
    /// Labelled documents left out because they did not fit the cap.
    pub left_out: usize,
}

/// The labelled documents (those with spans) of the source to train the learned recommenders on, but
/// `exclude`, within `cap`: the documents of [`DocSource::recent`] first (most recent first: what the user
/// just labelled teaches most about what they will label next), then the others in project order. A
/// document is taken when it fits in what is left of the cap and skipped when it does not, so the cap is
/// never exceeded. Which documents are labelled, and their span counts, come from the index for documents
/// on disk: only the documents taken are read.
pub fn training_set(
    source: &DocSource,
    exclude: Option<&DocId>,
    cap: TrainingCap,
    progress: &Progress,
) -> Result<TrainingSet, SourceError> {
    let counts = source.span_counts();
    let spans: Vec<usize> = counts.iter().map(|(_, c)| c.values().sum()).collect();
    let positions: HashMap<&DocId, usize> = counts.iter().enumerate().map(|(at, (id, _))| (id, at)).collect();
    let wanted = |at: &usize| spans[*at] > 0 && exclude != Some(&counts[*at].0);
    let recent: Vec<usize> =
        source.recent().iter().filter_map(|id| positions.get(id).copied()).filter(wanted).collect();
    let mut seen = vec![false; counts.len()];
    let (mut chosen, mut left_out, mut total) = (Vec::new(), 0, 0);
    for at in recent.into_iter().chain((0..counts.len()).filter(wanted)) {
        if std::mem::replace(&mut seen[at], true) {
            continue;
        }
        if chosen.len() < cap.documents && total + spans[at] <= cap.spans {
            chosen.push(at);
            total += spans[at];
        } else {
            left_out += 1;
        }
    }
    let mut documents: Vec<Document> = Vec::with_capacity(chosen.len());
    source.for_each_batch_of(
        &chosen,
        BATCH,
        progress,
        |batch: Batch<'_>| Ok::<_, SourceError>(batch.docs.into_iter().map(|d| d.into_owned()).collect::<Vec<_>>()),
        |docs| {
            // The index's counts are what the files held when it was written; a document read without
            // spans after all teaches nothing.
            documents.extend(docs.into_iter().filter(|d| !d.spans.is_empty()));
            Ok(())
        },
    )?;
    Ok(TrainingSet { project: Project { documents, ..header_only(source.header()) }, left_out })
}
