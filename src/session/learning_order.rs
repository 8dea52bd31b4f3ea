//! Active learning over documents: which unlabelled document would teach the learned recommenders most.
//!
//! A document's value is how unsure the models are about it: for each suggestion a learned recommender
//! makes there, the doubt `1 − |2·score − 1|` (1 for a coin toss, 0 for a sure call), summed and taken per
//! 1,000 words so a long report does not come first merely for being long. Labelling the documents with the
//! most doubt first gives the models the decisions they could not make themselves — the ordering Prodigy
//! and INCEpTION use for single examples, applied to whole articles.

use std::sync::Arc;

use crate::analysis::stats::word_count;
use crate::analysis::suggest::{SuggestOptions, Suggester, learn};
use crate::model::Project;
use crate::session::job::Progress;

use super::suggestions::enabled_recommenders;

/// What there is to learn from each document, by its index in the project: `Some(doubt per 1,000 words)`
/// for a document without spans, `None` for one already labelled (nothing to gain from suggesting there).
/// Trains once on every labelled document. With nothing labelled yet, every value is 0. Cancelling returns
/// what was scored so far (the rest `Some(0.0)`).
pub fn learning_value(project: &Project, progress: &Progress) -> Vec<Option<f32>> {
    let unlabelled: Vec<usize> =
        (0..project.documents.len()).filter(|&i| project.documents[i].spans.is_empty()).collect();
    let mut out: Vec<Option<f32>> =
        project.documents.iter().map(|d| if d.spans.is_empty() { Some(0.0) } else { None }).collect();
    let learners: Vec<_> = enabled_recommenders(project).into_iter().filter(|r| r.learns()).collect();
    if learners.is_empty() || unlabelled.len() == project.documents.len() {
        return out;
    }
    let total = unlabelled.len() as u64 + 1;
    progress.set(0, total);
    let options = SuggestOptions::only(&learners);
    let stop = || progress.is_cancelled();
    let learned = Arc::new(learn(project, None, options.learn, &stop));
    let Ok((suggester, _)) = Suggester::new(&project.schema, &project.rules, &options) else { return out };
    let suggester = suggester.with_learned(learned);
    for (n, &i) in unlabelled.iter().enumerate() {
        if stop() {
            break;
        }
        progress.set(1 + n as u64, total);
        let doc = &project.documents[i];
        let doubt: f32 = suggester.suggest(doc).iter().map(|s| 1.0 - (2.0 * s.score.clamp(0.0, 1.0) - 1.0).abs()).sum();
        let words = word_count(&doc.text).max(1) as f32;
        out[i] = Some(doubt * 1000.0 / words);
    }
    progress.set(total, total);
    out
}

/// `rows` (document indices) ordered by `values` from [`learning_value`]: most to learn from first, then
/// documents already labelled, each group in its given order.
pub fn order_by_learning_value(rows: &mut [usize], values: &[Option<f32>]) {
    let key = |i: usize| values.get(i).copied().flatten();
    rows.sort_by(|&a, &b| match (key(a), key(b)) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_doubt_first_then_labelled_documents_in_their_order() {
        let mut rows = vec![0, 1, 2, 3, 4];
        order_by_learning_value(&mut rows, &[None, Some(0.5), Some(3.0), None, Some(0.0)]);
        assert_eq!(rows, [2, 1, 4, 0, 3]);
    }
}
