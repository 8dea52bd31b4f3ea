//! "Most to learn from": unlabelled documents ordered by how unsure the learned recommenders are about
//! them, labelled ones last — on the tuning half of the gold set (`tests/gold/dev.ron`).

use factmark::session::job::Progress;
use factmark::session::learning_order::{learning_value, order_by_learning_value};
use factmark::store;

fn gold_with_unlabelled(n: usize) -> factmark::model::Project {
    let mut p = store::load(std::path::Path::new("tests/gold/dev.ron")).unwrap();
    for d in p.documents.iter_mut().rev().take(n) {
        d.spans.clear();
        d.relations.clear();
    }
    p
}

#[test]
fn unlabelled_documents_are_scored_by_the_models_doubt_and_labelled_ones_come_last() {
    let p = gold_with_unlabelled(3);
    let count = p.documents.len();
    let values = learning_value(&p, &Progress::default());
    assert_eq!(values.len(), count);
    for (i, v) in values.iter().enumerate() {
        assert_eq!(v.is_none(), !p.documents[i].spans.is_empty(), "labelled documents have no value: {values:?}");
    }
    let scored: Vec<f32> = values.iter().flatten().copied().collect();
    assert_eq!(scored.len(), 3);
    assert!(scored.iter().all(|v| *v > 0.0), "the models are unsure somewhere in every article: {scored:?}");
    let mut rows: Vec<usize> = (0..count).collect();
    order_by_learning_value(&mut rows, &values);
    let firsts: Vec<f32> = rows[..3].iter().map(|&i| values[i].unwrap()).collect();
    assert!(firsts.windows(2).all(|w| w[0] >= w[1]), "most doubt first: {firsts:?}");
    assert!(rows[3..].iter().all(|&i| values[i].is_none()), "then the labelled ones: {rows:?}");
    assert_eq!(rows[3..], (0..count - 3).collect::<Vec<_>>(), "in the project's order");

    // Switching the learned recommenders off leaves nothing to learn: every value 0.
    let mut off = p.clone();
    off.recommenders_off = ["strings", "clauses", "tagger", "links"].map(String::from).to_vec();
    assert!(learning_value(&off, &Progress::default()).iter().flatten().all(|v| *v == 0.0));
}

#[test]
fn nothing_labelled_means_nothing_to_rank_and_cancel_stops_early() {
    let p = gold_with_unlabelled(usize::MAX);
    assert!(learning_value(&p, &Progress::default()).iter().all(|v| *v == Some(0.0)));
    let p = gold_with_unlabelled(3);
    let cancelled = Progress::default();
    cancelled.cancel();
    let values = learning_value(&p, &cancelled);
    assert_eq!(values.iter().flatten().filter(|v| **v > 0.0).count(), 0, "cancelled before any document");
}
