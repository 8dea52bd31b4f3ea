//! Suggestions as a workflow: train the learned recommenders on the project's human spans (never on the
//! document being suggested for), then suggest — the same steps for `factmark suggest` and the window.

use std::sync::Arc;

use crate::analysis::suggest::{DocSuggestions, Recommender, SuggestError, SuggestOptions, Suggester, learn};
use crate::model::{Document, Project};
use crate::session::job::Progress;

/// Every local recommender, in the order the help lists them: what `factmark suggest` and the window use
/// by default. The LLM is not among them: it sends the text to a server, so it runs only when asked
/// (see [`crate::session::llm`]).
pub fn all_recommenders() -> Vec<Recommender> {
    local_recommenders().collect()
}

fn local_recommenders() -> impl Iterator<Item = Recommender> {
    <Recommender as strum::VariantArray>::VARIANTS.iter().copied().filter(|r| r.is_local())
}

/// The recommenders `project` has on: every one of [`all_recommenders`] but those it switched off.
pub fn enabled_recommenders(project: &Project) -> Vec<Recommender> {
    enabled_iter(project).collect()
}

/// Whether `chosen` is exactly the recommenders `project` has on, in order (the window asks every frame, so
/// this compares without building a list).
pub fn is_enabled_set(project: &Project, chosen: &[Recommender]) -> bool {
    enabled_iter(project).eq(chosen.iter().copied())
}

fn enabled_iter(project: &Project) -> impl Iterator<Item = Recommender> + '_ {
    local_recommenders().filter(|r| !project.recommenders_off.iter().any(|name| name.eq_ignore_ascii_case(r.name())))
}

/// The edit that switches `recommender` on or off for `project` (stored in the project, undoable). Names
/// this version does not know stay as they are.
pub fn switch_recommender(project: &Project, recommender: Recommender, on: bool) -> crate::edit::Edit {
    let mut off: Vec<String> = project
        .recommenders_off
        .iter()
        .filter(|name| !name.eq_ignore_ascii_case(recommender.name()))
        .cloned()
        .collect();
    if !on {
        off.push(recommender.name().to_string());
        off.sort();
    }
    crate::edit::Edit::SetRecommendersOff { off }
}

/// Labelled documents are split into at most this many groups for suggesting on them: each group gets
/// models trained on the others, so no document's suggestions come from its own spans, and training runs
/// this many times rather than once per document.
const FOLDS: usize = 5;

/// Suggestions for `docs` (documents of `project`) by `chosen` recommenders, with the errors of rules
/// that could not run. Unlabelled documents share one model trained on every labelled one; labelled ones
/// get a model that never saw them. `progress` counts trainings and can cancel (what is done so far is
/// returned).
pub fn suggest_documents(
    project: &Project,
    docs: &[&Document],
    chosen: &[Recommender],
    labels: Option<Vec<String>>,
    progress: &Progress,
) -> Result<(Vec<DocSuggestions>, Vec<SuggestError>), SuggestError> {
    suggest_documents_trained_on(project, project, docs, chosen, labels, progress)
}

/// [`suggest_documents`] with the learned recommenders trained on `training`'s documents only (a capped
/// set of a large project: [`crate::session::project_wide::training_set`]); `project` gives the schema and
/// rules. A labelled document of `docs` that is in `training` gets a model that never saw it; every other
/// document gets the model of all of `training`.
pub fn suggest_documents_trained_on(
    project: &Project,
    training: &Project,
    docs: &[&Document],
    chosen: &[Recommender],
    labels: Option<Vec<String>>,
    progress: &Progress,
) -> Result<(Vec<DocSuggestions>, Vec<SuggestError>), SuggestError> {
    let options = SuggestOptions { labels, ..SuggestOptions::only(chosen) };
    let (base, errors) = Suggester::new(&project.schema, &project.rules, &options)?;
    let stop = || progress.is_cancelled();
    if !options.learn.any() {
        return Ok((docs.iter().map(|d| (d.id.clone(), base.suggest(d))).collect(), errors));
    }
    let trained: std::collections::HashSet<&crate::model::DocId> = training.documents.iter().map(|d| &d.id).collect();
    let labelled: Vec<usize> =
        (0..docs.len()).filter(|&i| !docs[i].spans.is_empty() && trained.contains(&docs[i].id)).collect();
    let folds = FOLDS.min(labelled.len());
    let total = 1 + folds as u64;
    let mut out: Vec<Option<DocSuggestions>> = vec![None; docs.len()];
    // Documents the training set does not hold: one model on all of it.
    progress.set(0, total);
    let everything = Arc::new(learn(training, None, options.learn, &stop));
    let suggester = base.clone().with_learned(everything);
    for (i, d) in docs.iter().enumerate() {
        if labelled.binary_search(&i).is_err() {
            out[i] = Some((d.id.clone(), suggester.suggest(d)));
        }
    }
    for fold in 0..folds {
        if stop() {
            break;
        }
        progress.set(1 + fold as u64, total);
        let members: Vec<usize> = labelled.iter().copied().skip(fold).step_by(folds).collect();
        let held_out: std::collections::HashSet<&crate::model::DocId> = members.iter().map(|&i| &docs[i].id).collect();
        let rest = Project {
            documents: training.documents.iter().filter(|d| !held_out.contains(&d.id)).cloned().collect(),
            ..super::project_source::header_only(training)
        };
        let suggester = base.clone().with_learned(Arc::new(learn(&rest, None, options.learn, &stop)));
        for i in members {
            out[i] = Some((docs[i].id.clone(), suggester.suggest(docs[i])));
        }
    }
    progress.set(total, total);
    Ok((out.into_iter().flatten().collect(), errors))
}

/// What a set of learned models was trained for: the project as of `revision`, without `exclude`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TrainedFor {
    exclude: crate::model::DocId,
    revision: u64,
    chosen: Vec<Recommender>,
}

/// Keeps the learned recommenders of the open project up to date as the user labels: training runs on a
/// worker thread (a frame never waits for it), at most one at a time; until it finishes, the models
/// trained last go on suggesting. The models live only here, in memory — never in the project file.
pub struct Trainer {
    /// The recommenders in use (all by default).
    pub chosen: Vec<Recommender>,
    running: Option<(crate::session::job::Job<Result<crate::analysis::suggest::Learned, String>>, TrainedFor)>,
    learned: Option<(Arc<crate::analysis::suggest::Learned>, TrainedFor)>,
    /// Why the last training failed, and for what.
    error: Option<(String, TrainedFor)>,
}

/// A training to run on the worker: the models, or why the documents could not be read.
type Training = Box<dyn FnOnce(&Progress) -> Result<crate::analysis::suggest::Learned, String> + Send>;

impl Default for Trainer {
    fn default() -> Self {
        Trainer { chosen: all_recommenders(), running: None, learned: None, error: None }
    }
}

impl Trainer {
    /// Collects a finished training and starts a new one when the models are older than the project's
    /// `revision` (or were trained with `doc` in, or with other recommenders). Returns `true` when new
    /// models arrived, so suggestions should be made again.
    pub fn update(&mut self, project: &Project, doc: &crate::model::DocId, revision: u64) -> bool {
        self.update_with(doc, revision, |what, exclude| {
            // The worker gets its own copy, since the user goes on editing while it trains; only of what
            // training reads (the documents with spans, but the excluded one), so a large project of
            // mostly unlabelled articles is not copied on every edit.
            let snapshot = Project {
                documents: project
                    .documents
                    .iter()
                    .filter(|d| !d.spans.is_empty() && d.id != exclude)
                    .cloned()
                    .collect(),
                name: project.name.clone(),
                schema: project.schema.clone(),
                rules: Vec::new(),
                recommenders_off: Vec::new(),
                conflicts: Vec::new(),
                next_span_id: project.next_span_id,
                next_relation_id: project.next_relation_id,
            };
            Box::new(move |progress: &Progress| Ok(learn(&snapshot, Some(&exclude), what, &|| progress.is_cancelled())))
        })
    }

    /// [`Trainer::update`] for a project that may not be wholly in memory (a project folder opened lazily):
    /// the training reads its documents from `source` on the worker, within `cap`
    /// ([`crate::session::project_wide::training_set`]: the most recently changed first). `source` is asked
    /// for only when a training starts, so building it (cloning the loaded documents) is not paid every
    /// frame. A document that cannot be read leaves the models as they were and is reported by
    /// [`Trainer::error`].
    pub fn update_from_source(
        &mut self,
        source: impl FnOnce() -> crate::session::project_source::DocSource,
        doc: &crate::model::DocId,
        revision: u64,
        cap: crate::session::project_wide::TrainingCap,
    ) -> bool {
        self.update_with(doc, revision, |what, exclude| {
            let source = source();
            Box::new(move |progress: &Progress| {
                let set = crate::session::project_wide::training_set(&source, Some(&exclude), cap, progress)
                    .map_err(|e| e.to_string())?;
                Ok(learn(&set.project, None, what, &|| progress.is_cancelled()))
            })
        })
    }

    /// The common part of the updates: collect a finished training, and start `training` when the models
    /// are not current.
    fn update_with(
        &mut self,
        doc: &crate::model::DocId,
        revision: u64,
        training: impl FnOnce(crate::analysis::suggest::LearnWhat, crate::model::DocId) -> Training,
    ) -> bool {
        use crate::session::job::{Job, Poll};
        let mut arrived = false;
        if let Some((job, key)) = &self.running {
            match job.poll() {
                Poll::Running => return false,
                Poll::Done(Ok(learned)) => {
                    self.learned = Some((Arc::new(learned), key.clone()));
                    self.error = None;
                    arrived = true;
                }
                // Kept with the state it failed for, so a broken file is not read again every frame; the
                // models trained before go on suggesting.
                Poll::Done(Err(message)) => self.error = Some((message, key.clone())),
                Poll::Lost => {}
            }
            self.running = None;
        }
        // Runs every frame the window is open: compare in place, allocate only to start a training.
        let current = |key: &TrainedFor| key.exclude == *doc && key.revision == revision && key.chosen == self.chosen;
        let failed = self.error.as_ref().is_some_and(|(_, key)| current(key));
        if failed || self.learned.as_ref().is_some_and(|(_, key)| current(key)) {
            return arrived;
        }
        let what = SuggestOptions::only(&self.chosen).learn;
        if what.any() {
            let wanted = TrainedFor { exclude: doc.clone(), revision, chosen: self.chosen.clone() };
            let work = training(what, doc.clone());
            let job = Job::spawn("learn", move |progress| work(progress));
            self.running = Some((job, wanted));
        }
        arrived
    }

    /// Why the last training from a source failed (a document could not be read), until one succeeds.
    pub fn error(&self) -> Option<&str> {
        self.error.as_ref().map(|(message, _)| message.as_str())
    }

    /// Whether a training is running.
    pub fn is_training(&self) -> bool {
        self.running.is_some()
    }

    /// Documents and spans the current models learned from, if any were trained.
    pub fn trained_on(&self) -> Option<(usize, usize)> {
        self.learned.as_ref().map(|(l, _)| (l.documents, l.spans))
    }

    /// Suggestions for `doc` by the chosen recommenders, with the latest models; plus rule errors.
    pub fn suggest(
        &self,
        project: &Project,
        doc: &Document,
    ) -> Result<(Vec<crate::analysis::suggest::Suggestion>, Vec<SuggestError>), SuggestError> {
        let (suggester, errors) = self.suggester(project)?;
        Ok((suggester.suggest(doc), errors))
    }

    /// The chosen recommenders with the latest models, ready to suggest (on any thread: the window runs it
    /// on a worker, since a long report takes longer than a frame); plus rule errors.
    pub fn suggester(&self, project: &Project) -> Result<(Suggester, Vec<SuggestError>), SuggestError> {
        let (suggester, errors) = Suggester::new(&project.schema, &project.rules, &SuggestOptions::only(&self.chosen))?;
        let suggester = match &self.learned {
            Some((learned, _)) => suggester.with_learned(Arc::clone(learned)),
            None => suggester,
        };
        Ok((suggester, errors))
    }
}

impl Drop for Trainer {
    fn drop(&mut self) {
        // A training nobody will read stops at its next step.
        if let Some((job, _)) = &self.running {
            job.progress().cancel();
        }
    }
}
