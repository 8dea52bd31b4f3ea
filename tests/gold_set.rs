//! The gold set for the learning recommenders (tests/gold/): its project files match the markup, and
//! `factmark simulate` on the held-out part clears the floors the issue sets.
//!
//! `dev/` is what the recommenders may be tuned on; `test/` is only scored. Both were written and
//! annotated by writers who had not read the recommender code (see tests/gold/README.md).

use std::path::{Path, PathBuf};
use std::process::Command;

use factmark::model::Project;
use factmark::store;

mod markup_support;

fn gold_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold")
}

fn gold_project(part: &str) -> Project {
    markup_support::markup_project(&gold_dir().join(part), &format!("factmark gold set ({part})"), "gold")
}

#[test]
fn gold_project_files_match_the_markup() {
    for part in ["dev", "test"] {
        let project = gold_project(part);
        let path = gold_dir().join(format!("{part}.ron"));
        if std::env::var_os("FACTMARK_BLESS").is_some() || !path.exists() {
            store::save(&project, &path).unwrap();
        }
        let stored = store::load(&path).unwrap();
        assert_eq!(stored.documents, project.documents, "tests/gold/{part}.ron is stale: rerun with FACTMARK_BLESS=1");
        for doc in &project.documents {
            for span in &doc.spans {
                let text: String = doc.text.chars().skip(span.start.0).take(span.len()).collect();
                assert_eq!(text.trim(), text, "{}: span {:?} has outer whitespace", doc.id, text);
            }
        }
    }
    assert_eq!(gold_project("test").documents.len(), 20, "twenty held-out articles");
}

#[test]
fn learned_suggestions_clear_the_issue_targets_on_the_held_out_articles() {
    use factmark::analysis::suggest::SuggestOptions;
    use factmark::analysis::suggest::simulate::{TimeModel, simulate};

    let path = gold_dir().join("test.ron");
    let project = store::load(&path).unwrap();
    assert_eq!(project.documents.len(), 20);
    let all = factmark::session::suggestions::all_recommenders();
    let names: Vec<String> = all.iter().map(|r| r.name().to_string()).collect();
    let sim = simulate(&project, &SuggestOptions::only(&all), names, TimeModel::default(), 4, &|| false).unwrap();
    println!("{sim}");
    assert_eq!(sim.runs.len(), 20);
    assert_eq!(sim.scores.documents, 16, "scored after the warm-up only");
    let saved = sim.after_warmup().saved();
    assert!(saved >= 0.50, "time saved once 4 documents are labelled: {:.0} %", saved * 100.0);
    for label in ["Claim", "Opinion", "Source"] {
        let score = &sim.scores.labels[label];
        assert!(score.gold > 100, "{label} has enough human spans to measure");
        assert!(score.exact_recall() >= 0.50, "{label}: exact recall {:.2}", score.exact_recall());
        assert!(score.overlap_precision() >= 0.70, "{label}: overlap precision {:.2}", score.overlap_precision());
    }
    // `factmark simulate` reports the same run.
    let out = Command::new(env!("CARGO_BIN_EXE_factmark")).args(["simulate", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    assert!(printed.contains(&sim.to_string()), "{printed}");
}
