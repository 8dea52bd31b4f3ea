//! Learned models saved on request to a file of their own (`factmark learn`, the window's "Save learned
//! models"), read back exactly, and refused with a reason when the file is damaged.

use std::process::{Command, Output};
use std::sync::Arc;

use factmark::analysis::suggest::{LearnWhat, SavedModels, SuggestOptions, Suggester, learn};
use factmark::model::Project;
use factmark::session::saved_models::{load_models, save_models};
use factmark::store;

fn gold() -> Project {
    store::load(std::path::Path::new("tests/gold/dev.ron")).unwrap()
}

fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap()
}

const ALL: LearnWhat = LearnWhat { strings: true, clauses: true, tagger: true, links: true };

#[test]
fn saved_models_suggest_exactly_what_the_trained_ones_do() {
    let mut p = gold();
    let held_out = p.documents.pop().unwrap();
    let learned = learn(&p, None, ALL, &|| false);
    assert!(!learned.is_empty());
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.models.json");
    let bytes = save_models(&p, &learned, &path).unwrap();
    assert_eq!(bytes as u64, std::fs::metadata(&path).unwrap().len());
    assert!(store::load(&path).is_err(), "a models file is not a project");
    let (loaded, warnings) = load_models(&path, &p).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!((loaded.documents, loaded.spans), (learned.documents, learned.spans));
    assert_eq!(loaded.summary(), learned.summary());

    let options = SuggestOptions::default();
    let (base, _) = Suggester::new(&p.schema, &p.rules, &options).unwrap();
    let before = base.clone().with_learned(Arc::new(learned)).suggest(&held_out);
    let after = base.with_learned(Arc::new(loaded)).suggest(&held_out);
    assert!(before.iter().filter(|s| s.recommender.learns()).count() > 10, "the models suggest something");
    let key = |v: &[factmark::analysis::suggest::Suggestion]| -> Vec<(usize, usize, String, String, u32)> {
        v.iter().map(|s| (s.start.0, s.end.0, s.label.clone(), s.rule.clone(), s.score.to_bits())).collect()
    };
    assert_eq!(key(&after), key(&before), "same spans, labels and scores to the bit");
}

#[test]
fn damaged_or_foreign_files_are_refused_with_the_reason_and_the_file_name() {
    let p = gold();
    let learned = learn(&p, None, ALL, &|| false);
    let good = SavedModels::new(&p.name, learned).to_json().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        ("truncated", good[..good.len() / 2].to_string(), "not a factmark models file"),
        ("project", std::fs::read_to_string("tests/gold/dev.ron").unwrap(), "not a factmark models file"),
        ("other kind", good.replacen("factmark learned models", "something else", 1), "it says it is"),
        ("newer", good.replacen("\"version\":1", "\"version\":9", 1), "version 9 is newer"),
        // A weight vector one entry short: its model would read past its end.
        ("short weights", good.replacen("[786432,", "[786431,", 1), "the models file is damaged"),
        ("index out of range", good.replacen("[786432,[[", "[786432,[[99999999,0.5],[", 1), "out of"),
        ("huge", good.replacen("[786432,", "[999999999999,", 1), "too long"),
    ];
    for (name, text, expected) in cases {
        assert_ne!(text, good, "case {name} changed nothing");
        let path = dir.path().join(format!("{name}.json"));
        std::fs::write(&path, text).unwrap();
        let err = match load_models(&path, &p) {
            Ok(_) => panic!("case {name} was accepted"),
            Err(err) => err.to_string(),
        };
        assert!(err.contains(expected), "case {name}: {err}");
        assert!(err.contains(&path.display().to_string()), "case {name} names the file: {err}");
    }
}

#[test]
fn the_command_line_learns_saves_and_suggests_with_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gold.ron");
    let mut p = gold();
    let last = p.documents.len() - 1;
    p.documents[last].spans.clear();
    p.documents[last].relations.clear();
    let doc = p.documents[last].id.0.clone();
    store::save(&p, &path).unwrap();
    let project_bytes = std::fs::read(&path).unwrap();
    let ps = path.to_str().unwrap();
    let out = factmark(&["learn", ps]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("learned from 7 document(s)"), "{said}");
    assert!(said.contains("gold.models.json"), "{said}");
    assert_eq!(std::fs::read(&path).unwrap(), project_bytes, "the project file is untouched");
    let models = dir.path().join("gold.models.json");
    // The unlabelled document gets the same suggestions from the saved models as from training now.
    let trained = factmark(&["suggest", ps, "--doc", &doc, "--json"]);
    let saved = factmark(&["suggest", ps, "--doc", &doc, "--json", "--models", models.to_str().unwrap()]);
    assert_eq!(saved.status.code(), Some(0), "{}", String::from_utf8_lossy(&saved.stderr));
    assert_eq!(String::from_utf8_lossy(&saved.stdout), String::from_utf8_lossy(&trained.stdout));
    assert!(String::from_utf8_lossy(&saved.stdout).contains("\"recommender\": \"clauses\""));

    // Models whose labels the project lacks: a warning, and none of those labels suggested.
    let mut renamed = p.clone();
    factmark::edit::Edit::RenameLabel { from: "Source".into(), to: "Speaker".into() }.apply(&mut renamed).unwrap();
    let other = dir.path().join("renamed.ron");
    store::save(&renamed, &other).unwrap();
    let out = factmark(&["suggest", other.to_str().unwrap(), "--json", "--models", models.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("propose labels this project lacks: Source"));
    assert!(!String::from_utf8_lossy(&out.stdout).contains("\"label\": \"Source\""));

    let none = factmark(&["learn", ps, "--recommenders", "cues"]);
    assert_ne!(none.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&none.stderr).contains("none of the chosen recommenders learns"));
}
