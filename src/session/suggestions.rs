//! Suggestions as a workflow: train the learned recommenders on the project's human spans (never on the
//! document being suggested for), then suggest — the same steps for `factmark suggest` and the window.

use std::sync::Arc;

use crate::analysis::suggest::{DocSuggestions, Recommender, SuggestError, SuggestOptions, Suggester, learn};
use crate::model::{Document, Project};
use crate::session::job::Progress;

/// Every recommender, in the order the help lists them: what `factmark suggest` uses by default.
pub fn all_recommenders() -> Vec<Recommender> {
    <Recommender as strum::VariantArray>::VARIANTS.to_vec()
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
    let options = SuggestOptions { labels, ..SuggestOptions::only(chosen) };
    let (base, errors) = Suggester::new(&project.schema, &project.rules, &options)?;
    let stop = || progress.is_cancelled();
    if !options.learn.any() {
        return Ok((docs.iter().map(|d| (d.id.clone(), base.suggest(d))).collect(), errors));
    }
    let labelled: Vec<usize> = (0..docs.len()).filter(|&i| !docs[i].spans.is_empty()).collect();
    let folds = FOLDS.min(labelled.len());
    let total = 1 + folds as u64;
    let mut out: Vec<Option<DocSuggestions>> = vec![None; docs.len()];
    // Unlabelled documents: one model on everything labelled.
    progress.set(0, total);
    let everything = Arc::new(learn(project, None, options.learn, &stop));
    let suggester = base.clone().with_learned(everything);
    for (i, d) in docs.iter().enumerate() {
        if d.spans.is_empty() {
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
            documents: project.documents.iter().filter(|d| !held_out.contains(&d.id)).cloned().collect(),
            ..project.clone()
        };
        let suggester = base.clone().with_learned(Arc::new(learn(&rest, None, options.learn, &stop)));
        for i in members {
            out[i] = Some((docs[i].id.clone(), suggester.suggest(docs[i])));
        }
    }
    progress.set(total, total);
    Ok((out.into_iter().flatten().collect(), errors))
}
