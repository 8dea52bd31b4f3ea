//! The suggestion engine measured against hand-annotated articles (tests/eval/, never used for tuning):
//! prints precision and recall per label and asserts a floor, both through the library and through
//! `factmark suggest --evaluate`.
//!
//! `cargo test --release --test suggest_eval -- --nocapture` prints the table the README quotes.

use std::path::{Path, PathBuf};
use std::process::Command;

use factmark::analysis::suggest::eval::evaluate;
use factmark::analysis::suggest::{SuggestOptions, Suggester};
use factmark::model::Project;
use factmark::store;

mod markup_support;

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/eval")
}

/// The evaluation articles as a project with their human spans and relations.
fn eval_project() -> Project {
    markup_support::markup_project(&eval_dir(), "factmark suggestion evaluation set", "eval")
}

#[test]
fn evaluation_project_file_matches_the_markup() {
    let project = eval_project();
    let path = eval_dir().join("eval.ron");
    if std::env::var_os("FACTMARK_BLESS").is_some() || !path.exists() {
        store::save(&project, &path).unwrap();
    }
    let stored = store::load(&path).unwrap();
    assert_eq!(stored.documents, project.documents, "tests/eval/eval.ron is stale: rerun with FACTMARK_BLESS=1");
    for doc in &project.documents {
        // Every annotation starts and ends on real text, not on whitespace the markup left behind.
        for span in &doc.spans {
            let text: String = doc.text.chars().skip(span.start.0).take(span.len()).collect();
            assert_eq!(text.trim(), text, "{}: span {:?} has outer whitespace", doc.id, text);
        }
    }
}

#[test]
fn suggestions_clear_a_floor_on_the_evaluation_set() {
    let project = eval_project();
    let (suggester, errors) = Suggester::new(&project.schema, &[], &SuggestOptions::default()).unwrap();
    assert!(errors.is_empty());
    let eval = evaluate(&project, &suggester);
    println!("{eval}");
    assert_eq!(eval.documents, 4);
    assert!(eval.all.overlap_precision() >= 0.6, "overlap precision {:.2}", eval.all.overlap_precision());
    assert!(eval.all.overlap_recall() >= 0.6, "overlap recall {:.2}", eval.all.overlap_recall());
    for (label, score) in &eval.labels {
        assert!(score.gold > 5, "{label} has enough human spans to measure");
        assert!(score.overlap_recall() >= 0.4, "{label}: overlap recall {:.2}", score.overlap_recall());
        assert!(score.overlap_precision() >= 0.4, "{label}: overlap precision {:.2}", score.overlap_precision());
        assert!(score.exact_recall() >= 0.15, "{label}: exact recall {:.2}", score.exact_recall());
    }
    assert!(eval.relations.overlap_recall() >= 0.4, "relations: {:.2}", eval.relations.overlap_recall());
}

#[test]
fn the_evaluate_command_prints_the_same_table() {
    let project = eval_project();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eval.ron");
    store::save(&project, &path).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["suggest", path.to_str().unwrap(), "--evaluate"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let printed = String::from_utf8(out.stdout).unwrap();
    let (suggester, _) = Suggester::new(&project.schema, &[], &SuggestOptions::default()).unwrap();
    assert!(printed.contains(&evaluate(&project, &suggester).to_string()), "{printed}");
    // The project file is only read.
    assert_eq!(store::load(&path).unwrap(), project);
    let json = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["suggest", path.to_str().unwrap(), "--evaluate", "--json"])
        .output()
        .unwrap();
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["labels"]["Claim"]["gold"].as_u64().unwrap() > 5);
}
