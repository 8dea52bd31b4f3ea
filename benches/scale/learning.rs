//! The learning recommenders' cases: retraining on the 1,000-article project, suggesting with what was
//! learned on the 1 MB article, and the window's frames while training runs on another thread.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use anyhow::Context;

use factmark::analysis::suggest::{LearnWhat, SuggestOptions, Suggester, learn};
use factmark::synth;

use super::{Row, Setup, frames, time_runs, warmed};

fn everything() -> LearnWhat {
    LearnWhat { strings: true, clauses: true, tagger: true, links: true }
}

/// Training every learned recommender on the whole project's human spans.
pub fn learn_all(setup: &Setup) -> anyhow::Result<Row> {
    let mut spans = 0;
    let samples = time_runs(3, || {
        let learned = learn(&setup.project, None, everything(), &|| false);
        spans = learned.spans;
        std::hint::black_box(learned);
        Ok(())
    })?;
    let mut row = Row::timed("learn", "≤ 2 s (background)", &samples);
    row.note = format!("strings, clauses, tagger, links on {} documents, {spans} spans", setup.project.documents.len());
    Ok(row)
}

/// Suggestions by every recommender, trained on the project, for the 1 MB article.
pub fn learned_suggestions(setup: &Setup) -> anyhow::Result<Row> {
    let learned = Arc::new(learn(&setup.project, None, everything(), &|| false));
    let mut article = synth::big_article(1);
    let doc = article.documents.first_mut().context("no article")?;
    doc.spans.clear();
    doc.relations.clear();
    let (suggester, _) = Suggester::new(&article.schema, &article.rules, &SuggestOptions::default())?;
    let suggester = suggester.with_learned(learned);
    let doc = article.documents.first().context("no article")?;
    let mut made = 0;
    let samples = time_runs(5, || {
        made = std::hint::black_box(suggester.suggest(doc)).len();
        Ok(())
    })?;
    let mut row = Row::timed("learned_suggest", "≤ 300 ms", &samples);
    row.note = format!("all recommenders on {:.1} MB, {made} suggestions", doc.text.len() as f64 / 1e6);
    Ok(row)
}

/// Still frames of the window on the 1 MB article while `learn` runs over and over on another thread
/// (as the window's background retraining does); the figure is the slowest frame's share of the p95.
pub fn frame_while_learning(setup: &Setup) -> anyhow::Result<Row> {
    let (with_spans, _) = super::big_articles();
    let mut bench = warmed(with_spans);
    let stop = Arc::new(AtomicBool::new(false));
    let rounds = Arc::new(AtomicUsize::new(0));
    let project = setup.project.clone();
    let worker = {
        let (stop, rounds) = (Arc::clone(&stop), Arc::clone(&rounds));
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::hint::black_box(learn(&project, None, everything(), &|| stop.load(Ordering::Relaxed)));
                rounds.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    // Frames for as long as two whole trainings take (at least 300), so every frame ran beside training.
    let mut samples = Vec::new();
    while (rounds.load(Ordering::Relaxed) < 2 || samples.len() < 300) && samples.len() < 100_000 {
        samples.extend(frames(&mut bench, 10, factmark::ui::bench::FrameBench::frame));
    }
    stop.store(true, Ordering::Relaxed);
    let _ignored = worker.join();
    let rounds = rounds.load(Ordering::Relaxed);
    let worst = samples.iter().copied().fold(0.0, f64::max);
    let mut row = Row::timed("frame_learning", "no frame > 16 ms", &samples);
    row.note =
        format!("{} still frames while training ran {rounds} time(s); slowest frame {worst:.2} ms", samples.len());
    Ok(row)
}
