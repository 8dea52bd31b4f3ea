//! Project-wide work streamed over a project folder with the loaded documents laid over it (issue 20,
//! "lazy"): find in project, agreement, statistics and the training set each give what the same work
//! gives on the project loaded whole, with and without loaded documents that differ from their files;
//! cancelling stops early; the training cap is honoured; `factmark agree`, `learn` and `suggest` on a
//! folder print what they print for the same project as a single file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use factmark::analysis::agreement::{AgreementError, AgreementOptions, agreement};
use factmark::analysis::search::{Query, SearchOptions};
use factmark::analysis::stats::project_stats;
use factmark::model::{CharIdx, DocStatus, Document, Project, Span, SpanId};
use factmark::session::job::Progress;
use factmark::session::project_source::{DocSource, SourceError};
use factmark::session::project_wide::{
    SourceAgreementError, TrainingCap, find_in_source, source_agreement, source_stats, training_set,
};
use factmark::store::{self, folder};
use factmark::synth::{self, CorpusSpec};

fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap()
}

fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A generated project of `docs` short articles with few spans each, spread over three annotators at
/// random, so documents differ in who touched them (one, two or all three); every seventh document's first
/// span is the curated layer's (`gold`), which agreement leaves out unless named, and every eleventh
/// document's last span has no annotator. 150 documents: several rounds of batches on every core.
fn project(docs: usize) -> Project {
    let spec = CorpusSpec { docs, words_per_doc: 120, spans_per_doc: 4, relations_per_doc: 1, seed: 5 };
    let mut project = synth::corpus(&spec);
    for doc in project.documents.iter_mut().step_by(7) {
        if let Some(span) = doc.spans.first_mut() {
            span.annotator = "gold".into();
        }
    }
    for doc in project.documents.iter_mut().step_by(11) {
        if let Some(span) = doc.spans.last_mut() {
            span.annotator = String::new();
        }
    }
    project
}

/// `project` saved as a folder and as a single file in `dir`, and the folder's index.
fn saved(dir: &Path, project: &Project) -> (PathBuf, PathBuf, folder::FolderIndex) {
    let path = dir.join("p.factmark");
    let file = dir.join("p.ron");
    folder::save(project, &path).unwrap();
    store::save(project, &file).unwrap();
    let index = folder::open_index(&path).unwrap();
    (path, file, index)
}

/// Loaded documents that differ from their files: spans moved to other annotators, one document's spans
/// removed and its text rewritten, a status changed, a span added. Returned most recent first, with the
/// whole project as it would be with them saved.
fn changed_in_memory(project: &Project) -> (Vec<Document>, Project) {
    let mut loaded = Vec::new();
    let mut merged = project.clone();
    for (n, at) in [35, 40, 41, 97, 149].into_iter().enumerate() {
        let mut doc = project.documents[at].clone();
        match n {
            0 => doc.spans.iter_mut().for_each(|s| s.annotator = "ana".into()),
            1 => {
                doc.spans.clear();
                doc.relations.clear();
                doc.text = "The minister said the plan works. The opposition said it does not.".into();
            }
            2 => doc.status = DocStatus::Done,
            3 => {
                let end = doc.text.chars().take_while(|c| !c.is_whitespace()).count();
                doc.spans.push(Span::new(SpanId(900_000), CharIdx(0)..CharIdx(end), "Claim", "zoë"));
                doc.spans.sort_by_key(Span::sort_key);
            }
            _ => doc.spans.iter_mut().for_each(|s| s.annotator = "ben".into()),
        }
        merged.documents[at] = doc.clone();
        loaded.push(doc);
    }
    loaded.reverse();
    (loaded, merged)
}

fn sources(index: &folder::FolderIndex, whole: &Project) -> (DocSource, DocSource) {
    (DocSource::folder(index.clone(), None, Vec::new()), DocSource::memory(Arc::new(whole.clone())))
}

#[test]
fn stats_streamed_with_loaded_documents_equal_the_whole_project() {
    let dir = tempfile::tempdir().unwrap();
    let original = project(150);
    let (_, _, index) = saved(dir.path(), &original);
    let progress = Progress::default();
    let (disk, memory) = sources(&index, &original);
    assert_eq!(source_stats(&disk, &progress).unwrap(), project_stats(&original));
    assert_eq!(progress.get(), (150, 150), "progress ends at every document done");
    assert_eq!(source_stats(&memory, &progress).unwrap(), project_stats(&original));
    let (loaded, merged) = changed_in_memory(&original);
    let overlaid = DocSource::folder(index, None, loaded);
    let stats = source_stats(&overlaid, &progress).unwrap();
    assert_ne!(project_stats(&merged), project_stats(&original), "the loaded documents do change the figures");
    assert_eq!(stats, project_stats(&merged));
}

#[test]
fn find_in_project_streamed_equals_the_whole_project_cut_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let original = project(150);
    let (_, _, index) = saved(dir.path(), &original);
    let (loaded, merged) = changed_in_memory(&original);
    let query = Query::new("the", SearchOptions { whole_word: true, ..SearchOptions::default() }).unwrap();
    let progress = Progress::default();
    for (source, whole) in [
        (DocSource::folder(index.clone(), None, Vec::new()), &original),
        (DocSource::folder(index.clone(), None, loaded.clone()), &merged),
        (DocSource::memory(Arc::new(merged.clone())), &merged),
    ] {
        let expected = query.find_in_project(whole);
        assert!(expected.len() > 500, "a common word: {} matches", expected.len());
        for limit in [0, 7, 300, usize::MAX] {
            let found = find_in_source(&source, &query, limit, &progress).unwrap();
            let kept: Vec<_> = found.matches.iter().map(|m| m.found.clone()).collect();
            assert_eq!(kept, expected.iter().take(limit).cloned().collect::<Vec<_>>());
            assert_eq!(found.total, expected.len());
            assert_eq!(found.not_shown(), expected.len().saturating_sub(limit));
            assert_eq!(found.searched, 150);
            for m in &found.matches {
                assert_eq!(whole.documents[m.position].id, m.found.doc, "the position is the document's");
            }
            let with_matches = whole.documents.iter().filter(|d| !query.find_in_document(d).is_empty()).count();
            assert_eq!(found.documents, with_matches);
        }
    }
    // The rewritten loaded document is searched as it is in memory, not as it is on disk.
    let minister = Query::new("minister said", SearchOptions::default()).unwrap();
    let on_disk = find_in_source(&DocSource::folder(index.clone(), None, Vec::new()), &minister, 10, &progress);
    let in_memory = find_in_source(&DocSource::folder(index, None, loaded), &minister, 10, &progress).unwrap();
    assert!(in_memory.matches.iter().any(|m| m.position == 40));
    assert!(on_disk.unwrap().matches.iter().all(|m| m.position != 40));
}

#[test]
fn agreement_streamed_gives_exactly_the_whole_project_report() {
    let dir = tempfile::tempdir().unwrap();
    let original = project(150);
    let (_, _, index) = saved(dir.path(), &original);
    let (loaded, merged) = changed_in_memory(&original);
    let progress = Progress::default();
    let option_sets = [
        AgreementOptions::default(),
        AgreementOptions { annotators: None, by_doc: true },
        AgreementOptions { annotators: Some(vec!["zoë".into(), "ana".into(), "zoë".into()]), by_doc: true },
        AgreementOptions { annotators: Some(vec!["gold".into(), "ben".into()]), by_doc: false },
    ];
    for options in &option_sets {
        let whole = agreement(&original, options).unwrap();
        assert!(whole.spans_without_annotator > 0);
        // The generated project exercises every part of the report.
        assert!(whole.pairs.iter().all(|p| p.documents > 0 && p.documents_only_a + p.documents_only_b > 0));
        assert!(whole.unitizing.documents > 0 && whole.unitizing.documents <= whole.alpha.documents);
        if options.annotators.is_none() {
            assert!(whole.unitizing.documents < whole.alpha.documents, "some documents lack an annotator");
        }
        let (disk, memory) = sources(&index, &original);
        assert_eq!(source_agreement(&disk, options, &progress).unwrap(), whole);
        assert_eq!(source_agreement(&memory, options, &progress).unwrap(), whole);
        let overlaid = DocSource::folder(index.clone(), None, loaded.clone());
        let changed = agreement(&merged, options).unwrap();
        assert_ne!(changed, whole, "the loaded documents do change the report");
        assert_eq!(source_agreement(&overlaid, options, &progress).unwrap(), changed);
    }
    // The same refusals as for the whole project.
    let unknown = AgreementOptions { annotators: Some(vec!["ana".into(), "nobody".into()]), by_doc: false };
    let disk = DocSource::folder(index, None, Vec::new());
    match source_agreement(&disk, &unknown, &progress) {
        Err(SourceAgreementError::Agreement(err)) => assert_eq!(Err(err), agreement(&original, &unknown)),
        other => panic!("expected the unknown annotator, got {other:?}"),
    }
    let one = AgreementOptions { annotators: Some(vec!["ana".into()]), by_doc: false };
    assert!(matches!(
        source_agreement(&disk, &one, &progress),
        Err(SourceAgreementError::Agreement(AgreementError::TooFewAnnotators { .. }))
    ));
}

#[test]
fn cancelling_stops_the_stream_early() {
    let dir = tempfile::tempdir().unwrap();
    let original = project(150);
    let (_, _, index) = saved(dir.path(), &original);
    let source = DocSource::folder(index, None, Vec::new());
    let progress = Progress::default();
    let mut seen = 0;
    let result = source.for_each_batch(
        5,
        &progress,
        |batch| {
            // The user cancels while the first batches are being read.
            progress.cancel();
            Ok::<_, SourceError>(batch.docs.len())
        },
        |n| {
            seen += n;
            Ok(())
        },
    );
    assert!(matches!(result, Err(SourceError::Cancelled)), "{result:?}");
    assert!(seen <= 5, "at most the batch that was done when the cancel came reached the sink: {seen}");
    assert!(progress.get().0 < 150, "stopped early: {:?}", progress.get());
    // Cancelled before it starts: nothing read.
    let query = Query::new("the", SearchOptions::default()).unwrap();
    assert!(matches!(find_in_source(&source, &query, 10, &progress), Err(SourceError::Cancelled)));
    assert!(matches!(source_stats(&source, &progress), Err(SourceError::Cancelled)));
    assert_eq!(progress.get().0, 0);
}

#[test]
fn the_training_set_takes_recent_documents_first_and_honours_the_cap() {
    let dir = tempfile::tempdir().unwrap();
    let mut original = project(150);
    // Some documents without spans, which training never takes.
    for at in [0, 1, 2, 50, 120] {
        original.documents[at].spans.clear();
        original.documents[at].relations.clear();
    }
    let (_, _, index) = saved(dir.path(), &original);
    let (loaded, merged) = changed_in_memory(&original);
    let progress = Progress::default();
    let labelled: Vec<&Document> = merged.documents.iter().filter(|d| !d.spans.is_empty()).collect();
    // No cap to speak of: every labelled document, the loaded (most recent first) ones first.
    let overlaid = DocSource::folder(index.clone(), None, loaded.clone());
    let all = training_set(&overlaid, None, TrainingCap { documents: 10_000, spans: 1_000_000 }, &progress).unwrap();
    assert_eq!(all.left_out, 0);
    assert_eq!(all.project.documents.len(), labelled.len());
    let recent_labelled: Vec<&Document> = loaded.iter().filter(|d| !d.spans.is_empty()).collect();
    assert_eq!(all.project.documents.iter().take(recent_labelled.len()).collect::<Vec<_>>(), recent_labelled);
    let rest: Vec<&Document> =
        labelled.iter().copied().filter(|d| !loaded.iter().any(|l| l.id == d.id)).collect::<Vec<_>>();
    assert_eq!(all.project.documents.iter().skip(recent_labelled.len()).collect::<Vec<_>>(), rest);
    assert_eq!((all.project.name.as_str(), &all.project.schema), (merged.name.as_str(), &merged.schema));
    // A document cap: that many, recent first, the rest counted as left out; `exclude` is never taken.
    let exclude = loaded[0].id.clone();
    let cap = TrainingCap { documents: 10, spans: 1_000_000 };
    let capped = training_set(&overlaid, Some(&exclude), cap, &progress).unwrap();
    assert_eq!(capped.project.documents.len(), 10);
    assert_eq!(capped.left_out, labelled.len() - 1 - 10);
    assert!(capped.project.documents.iter().all(|d| d.id != exclude && !d.spans.is_empty()));
    assert_eq!(capped.project.documents[0], *recent_labelled[1], "the most recent after the excluded one");
    // A span cap: never exceeded, and the documents that fit are taken.
    let spans_cap = TrainingCap { documents: 10_000, spans: 100 };
    let by_spans = training_set(&overlaid, None, spans_cap, &progress).unwrap();
    let taken: usize = by_spans.project.documents.iter().map(|d| d.spans.len()).sum();
    assert!(taken <= 100 && taken > 90, "{taken} spans");
    assert_eq!(by_spans.project.documents.len() + by_spans.left_out, labelled.len());
    // A project in memory gives the same set as the folder with the same documents.
    let memory = DocSource::memory(Arc::new(merged.clone())).with_recent(loaded.iter().map(|d| d.id.clone()).collect());
    assert_eq!(training_set(&memory, Some(&exclude), cap, &progress).unwrap(), capped);
}

#[test]
fn agree_learn_and_suggest_on_a_folder_print_what_they_print_for_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = project(150);
    let (path, file, _) = saved(dir.path(), &original);
    for args in [&[][..], &["--by-label", "--by-doc"], &["--json", "--annotators", "zoë,ben"]] {
        let run = |p: &Path| ok(&factmark(&[&["agree", s(p)][..], args].concat()));
        let (a, b) = (run(&file), run(&path));
        assert!(a.contains("zoë") && a.contains("ben"), "{a}");
        assert_eq!(a, b, "agree {args:?}");
    }
    let models = |name: &str| dir.path().join(name);
    let learn = |p: &Path, out: &Path| ok(&factmark(&["learn", s(p), "--out", s(out)]));
    let (a, b) = (learn(&file, &models("a.json")), learn(&path, &models("b.json")));
    assert_eq!(a.lines().next(), b.lines().next(), "learned from the same documents and spans");
    assert!(a.starts_with("learned from "), "{a}");
    assert_eq!(std::fs::read(models("a.json")).unwrap(), std::fs::read(models("b.json")).unwrap());
    let doc = original.documents[12].id.to_string();
    let suggest = |p: &Path| ok(&factmark(&["suggest", s(p), "--doc", &doc, "--recommenders", "strings,tagger"]));
    let (a, b) = (suggest(&file), suggest(&path));
    assert!(a.contains("suggestion(s)"), "{a}");
    assert_eq!(a, b);
}

#[test]
fn the_trainer_learns_from_a_folder_source_and_reports_a_file_it_cannot_read() {
    use factmark::analysis::suggest::{SuggestOptions, learn};
    use factmark::session::suggestions::Trainer;
    let dir = tempfile::tempdir().unwrap();
    let original = project(150);
    let (path, _, index) = saved(dir.path(), &original);
    let (loaded, _) = changed_in_memory(&original);
    let in_memory: Vec<_> = loaded.iter().map(|d| d.id.clone()).collect();
    let source = DocSource::folder(index.clone(), None, loaded);
    let exclude = original.documents[7].id.clone();
    let cap = TrainingCap { documents: 20, spans: 1_000 };
    let mut trainer = Trainer::default();
    let wait = |trainer: &mut Trainer, revision: u64| {
        let start = std::time::Instant::now();
        while trainer.update_from_source(|| source.clone(), &exclude, revision, cap) || trainer.is_training() {
            assert!(start.elapsed().as_secs() < 120, "training did not finish");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    };
    wait(&mut trainer, 1);
    let set = training_set(&source, Some(&exclude), cap, &Progress::default()).unwrap();
    let what = SuggestOptions::only(&trainer.chosen).learn;
    let expected = learn(&set.project, None, what, &|| false);
    assert!(expected.documents > 0);
    assert_eq!(trainer.trained_on(), Some((expected.documents, expected.spans)));
    assert_eq!(trainer.error(), None);
    // A document the cap takes is broken on disk: the next training fails, says which file, keeps the
    // models it had and is not tried again until the project changes.
    let victim = set.project.documents.iter().find(|d| !in_memory.contains(&d.id)).unwrap();
    let broken = path.join(format!("docs/{}.ron", victim.id));
    std::fs::write(&broken, "(not ron").unwrap();
    wait(&mut trainer, 2);
    let error = trainer.error().expect("the failure is reported");
    assert!(error.contains(&format!("{}.ron", victim.id)), "{error}");
    assert_eq!(trainer.trained_on(), Some((expected.documents, expected.spans)));
    assert!(!trainer.update_from_source(|| panic!("not started again for the same state"), &exclude, 2, cap));
    assert!(!trainer.is_training());
}

#[test]
fn a_folder_source_in_the_order_of_the_project_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    let original = project(150);
    let (_, _, index) = saved(dir.path(), &original);
    let (mut loaded, mut merged) = changed_in_memory(&original);
    // Not saved yet: a document removed, two swapped, one added (loaded, with spans).
    merged.documents.remove(10);
    merged.documents.swap(20, 21);
    let mut added = original.documents[60].clone();
    added.id = factmark::model::DocId("added-in-memory".into());
    for (id, span) in (1_000_000..).zip(added.spans.iter_mut()) {
        span.id = SpanId(id);
    }
    added.relations.clear();
    merged.documents.insert(5, added.clone());
    loaded.push(added);
    let order: Vec<_> = merged.documents.iter().map(|d| d.id.clone()).collect();
    let source = DocSource::folder_in_order(index.clone(), Some(&merged), loaded.clone(), &order).unwrap();
    let progress = Progress::default();
    assert_eq!(source.len(), merged.documents.len());
    assert_eq!(source.position(&order[5]), Some((5, true)), "the added document, loaded");
    assert_eq!(source.position(&order[21]), Some((21, false)), "a moved document, on disk");
    assert_eq!(source.position(&original.documents[10].id), None, "the removed document");
    assert_eq!(*source.document(21).unwrap(), merged.documents[21]);
    assert!(matches!(source.document(order.len()), Err(SourceError::NoDocument { .. })));
    assert_eq!(source_stats(&source, &progress).unwrap(), project_stats(&merged));
    let options = AgreementOptions { annotators: None, by_doc: true };
    assert_eq!(source_agreement(&source, &options, &progress).unwrap(), agreement(&merged, &options).unwrap());
    let query = Query::new("said", SearchOptions::default()).unwrap();
    let found = find_in_source(&source, &query, usize::MAX, &progress).unwrap();
    let kept: Vec<_> = found.matches.into_iter().map(|m| m.found).collect();
    assert_eq!(kept, query.find_in_project(&merged));
    // An id neither loaded nor on disk is refused, by name.
    let mut wrong = order.clone();
    wrong.push(factmark::model::DocId("nowhere".into()));
    let refused = DocSource::folder_in_order(index, None, loaded, &wrong).unwrap_err().to_string();
    assert!(refused.contains("nowhere") && refused.contains("p.factmark"), "{refused}");
}
