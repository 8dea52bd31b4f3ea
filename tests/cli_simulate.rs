//! `factmark simulate` and `factmark suggest --recommenders` through the binary, on a small gold project
//! written here in markup and saved to a temporary folder.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use factmark::model::Project;
use factmark::store;

mod markup_support;

/// Six wire reports, every Claim and Source marked and linked, in the order an annotator takes them.
const REPORTS: &[&str] = &[
    "[Claim#c1|The bridge carried 41,000 vehicles a day], [Source#s1>c1|the ministry] said. \
     [Claim#c2|Repairs will cost 4 million euros], [Source#s2>c2|officials] said. \
     [Source#s3>c3|Anna Berg] said [Claim#c3|the tunnel opened in 1998].",
    "[Claim#c1|The port handled 12 million tonnes last year], [Source#s1>c1|the harbour board] said. \
     [Source#s2>c2|Tom Hale] told reporters [Claim#c2|the cranes were replaced in 2019]. \
     [Claim#c3|Fares rose by 8 percent in March], [Source#s3>c3|the council] said.",
    "[Claim#c1|The hospital treated 3,400 patients in May], [Source#s1>c1|the health board] said. \
     [Source#s2>c2|Lena Ortiz] said [Claim#c2|the new wing has 120 beds]. \
     [Claim#c3|Waiting times fell to 41 minutes], [Source#s3>c3|officials] said.",
    "[Source#s1>c1|Paul Meyer] told the council [Claim#c1|the school has 540 pupils]. \
     [Claim#c2|The budget grew by 2.5 percent], [Source#s2>c2|the ministry] said. \
     [Claim#c3|Three teachers retired in June], [Source#s3>c3|the head teacher] said.",
    "[Claim#c1|The airport lost 9 million euros in 2023], [Source#s1>c1|the auditors] said. \
     [Source#s2>c2|Sara Lind] said [Claim#c2|the runway was resurfaced in 2021]. \
     [Claim#c3|Passenger numbers doubled since 2015], [Source#s3>c3|the ministry] said.",
    "[Claim#c1|The ferry carries 900 passengers an hour], [Source#s1>c1|the ministry] said. \
     [Source#s2>c2|Mira Castell] said [Claim#c2|the pier was rebuilt in 2010]. \
     [Claim#c3|Tolls rose by 12 percent in 2024], [Source#s3>c3|officials] said.",
];

const KNOWN: [&str; 6] = ["cues", "rules", "strings", "clauses", "tagger", "links"];

/// The reports as a project (through the markup reader the gold set uses), plus `unlabelled` documents
/// without markup, saved in `dir`.
fn saved_project(dir: &Path, unlabelled: &[&str]) -> (Project, PathBuf) {
    let articles = dir.join("articles");
    fs::create_dir_all(&articles).unwrap();
    for (i, body) in REPORTS.iter().chain(unlabelled).enumerate() {
        fs::write(articles.join(format!("{i:02}.txt")), format!("Report {i}\n\n{body}\n")).unwrap();
    }
    let project = markup_support::markup_project(&articles, "wire gold", "gold");
    let path = dir.join("gold.ron");
    store::save(&project, &path).unwrap();
    (project, path)
}

fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap()
}

fn stdout_of(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn simulate_prints_the_learning_curve_and_leaves_the_project_alone() {
    let dir = tempfile::tempdir().unwrap();
    let (project, path) = saved_project(dir.path(), &[]);
    let file = path.to_str().unwrap();
    let before = fs::read(&path).unwrap();

    let printed = stdout_of(&factmark(&["simulate", file]));
    println!("{printed}");
    assert!(printed.contains("| # | document | trained on | human | suggested |"), "{printed}");
    for (i, doc) in project.documents.iter().enumerate() {
        let row = format!("| {} | {} | {} | {} |", i + 1, doc.id, i, doc.spans.len());
        assert!(printed.contains(&row), "no row {row:?} in\n{printed}");
    }
    assert!(printed.contains("once 4 documents are labelled: "), "{printed}");
    assert!(printed.contains("| attributed_to |"), "{printed}");

    let json = stdout_of(&factmark(&["simulate", file, "--json"]));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    let runs = value["runs"].as_array().unwrap();
    assert_eq!(runs.len(), project.documents.len());
    assert_eq!(value["warmup"], 4);
    assert_eq!(value["recommenders"], serde_json::json!(KNOWN));
    let n = |run: &serde_json::Value, key: &str| run[key].as_u64().unwrap_or_else(|| panic!("{key} in {run}"));
    for (run, doc) in runs.iter().zip(&project.documents) {
        assert_eq!(run["doc"], doc.id.as_str());
        assert_eq!(n(run, "gold"), doc.spans.len() as u64);
        // Every suggestion is accepted, adjusted or rejected; every human span accepted, adjusted or tagged.
        assert_eq!(n(run, "accepted") + n(run, "adjusted") + n(run, "rejected"), n(run, "suggested"), "{run}");
        assert_eq!(n(run, "accepted") + n(run, "adjusted") + n(run, "by_hand"), n(run, "gold"), "{run}");
        let seconds = n(run, "accepted") + 3 * n(run, "adjusted") + n(run, "rejected") + 5 * n(run, "by_hand");
        assert_eq!(run["seconds"].as_f64(), Some(seconds as f64), "{run}");
    }
    // The later reports are mostly suggested right.
    let last = &runs[runs.len() - 1];
    assert!(n(last, "accepted") * 2 >= n(last, "gold"), "{last}");
    assert_eq!(value["scores"]["documents"], project.documents.len() as u64 - 4);

    // Only the rules, and the project has none: nothing is suggested, all is done by hand.
    let json = stdout_of(&factmark(&["simulate", file, "--recommenders", "rules", "--warmup", "2", "--json"]));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["recommenders"], serde_json::json!(["rules"]));
    assert_eq!(value["warmup"], 2);
    for run in value["runs"].as_array().unwrap() {
        assert_eq!((n(run, "suggested"), n(run, "by_hand")), (0, n(run, "gold")), "{run}");
    }
    let printed = stdout_of(&factmark(&["simulate", file, "--warmup", "2"]));
    assert!(printed.contains("once 2 documents are labelled: "), "{printed}");

    assert_eq!(fs::read(&path).unwrap(), before, "simulate only reads the project");
}

#[test]
fn suggest_lists_only_the_chosen_recommenders_with_their_scores() {
    let dir = tempfile::tempdir().unwrap();
    let (project, path) = saved_project(
        dir.path(),
        &["The library lent 80,000 books in 2022, the council said. Jonas Weber said the roof leaked."],
    );
    let file = path.to_str().unwrap();
    let before = fs::read(&path).unwrap();
    let json = stdout_of(&factmark(&["suggest", file, "--recommenders", "strings,clauses", "--json"]));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert!(!rows.is_empty());
    let mut seen = BTreeSet::new();
    for row in &rows {
        let by = row["recommender"].as_str().unwrap_or_else(|| panic!("recommender in {row}"));
        assert!(["strings", "clauses"].contains(&by), "{row}");
        seen.insert(by.to_string());
        let score = row["score"].as_f64().unwrap_or_else(|| panic!("numeric score in {row}"));
        assert!((0.0..=1.0).contains(&score), "{row}");
        assert_eq!(row["rule"], format!("learned.{by}"), "{row}");
    }
    assert_eq!(seen, BTreeSet::from(["clauses".to_string(), "strings".to_string()]), "both make suggestions");

    // One document: its rows only, the learned ones trained on the labelled reports.
    let new = &project.documents.last().unwrap().id;
    let json = stdout_of(&factmark(&["suggest", file, "--doc", new.as_str(), "--json"]));
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    let text = |row: &serde_json::Value| row["text"].as_str().unwrap().to_string();
    assert!(rows.iter().all(|r| r["doc"] == new.as_str()), "{rows:?}");
    assert!(rows.iter().any(|r| r["label"] == "Source" && text(r) == "the council"), "{rows:#?}");
    assert!(
        rows.iter().any(|r| r["label"] == "Claim" && text(r) == "The library lent 80,000 books in 2022"),
        "{rows:#?}"
    );
    for row in &rows {
        let by = row["recommender"].as_str().unwrap();
        assert!(KNOWN.contains(&by), "{row}");
    }
    assert_eq!(fs::read(&path).unwrap(), before, "listing suggestions only reads the project");
}

#[test]
fn an_unknown_recommender_is_refused_with_the_known_ones_listed() {
    let dir = tempfile::tempdir().unwrap();
    let (_, path) = saved_project(dir.path(), &[]);
    let file = path.to_str().unwrap();
    for args in
        [vec!["suggest", file, "--recommenders", "strings,model"], vec!["simulate", file, "--recommenders", "model"]]
    {
        let out = factmark(&args);
        let code = out.status.code();
        assert!(code.is_some_and(|c| c != 0), "{args:?} exits with {code:?}");
        assert_eq!(code, Some(2), "a usage error, as clap reports them");
        assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("\"model\""), "{err}");
        for name in KNOWN {
            assert!(err.contains(name), "{name} missing from {err}");
        }
    }
    // Case and spaces do not matter for the known ones.
    let out = factmark(&["suggest", file, "--recommenders", "Strings, TAGGER", "--json"]);
    let rows: Vec<serde_json::Value> = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert!(rows.iter().all(|r| r["recommender"] == "strings" || r["recommender"] == "tagger"), "{rows:?}");
}
