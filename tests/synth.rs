//! The synthetic corpus generator: deterministic, seed-sensitive, and always a valid project.

use factmark::model::validate;
use factmark::store;
use factmark::synth::{self, CorpusSpec, Rng};

fn spec(seed: u64) -> CorpusSpec {
    CorpusSpec { docs: 12, words_per_doc: 400, spans_per_doc: 30, relations_per_doc: 4, seed }
}

#[test]
fn same_seed_gives_the_same_bytes() {
    let a = store::to_ron(&synth::corpus(&spec(7))).unwrap();
    let b = store::to_ron(&synth::corpus(&spec(7))).unwrap();
    assert_eq!(a, b);
}

#[test]
fn different_seeds_give_different_corpora() {
    let a = store::to_ron(&synth::corpus(&spec(7))).unwrap();
    let b = store::to_ron(&synth::corpus(&spec(8))).unwrap();
    assert_ne!(a, b);
}

#[test]
fn generated_project_validates_and_has_the_asked_for_shape() {
    let project = synth::corpus(&spec(3));
    assert_eq!(validate::problems(&project), vec![]);
    assert_eq!(project.documents.len(), 12);
    for doc in &project.documents {
        assert_eq!(doc.spans.len(), 30, "{}", doc.id);
        assert_eq!(doc.relations.len(), 4, "{}", doc.id);
        assert!(doc.text.contains("\n\n"), "paragraphs");
        for rel in &doc.relations {
            assert_eq!(doc.span(rel.from).unwrap().label, "Source");
            assert!(["Claim", "Opinion"].contains(&doc.span(rel.to).unwrap().label.as_str()));
        }
    }
    let all: String = project.documents.iter().map(|d| d.text.as_str()).collect();
    for needle in ["“", "”", "’", "—"] {
        assert!(all.contains(needle), "missing {needle}");
    }
    assert!(all.chars().any(|c| c as u32 > 0xFFFF), "an astral-plane emoji");
    assert!(all.chars().any(|c| matches!(c, 'é' | 'ë' | 'ö' | 'ł' | 'ï')), "accented names");
    // Some spans are nested in others.
    let nested = project
        .documents
        .iter()
        .any(|d| d.spans.windows(2).any(|w| w[1].start >= w[0].start && w[1].end <= w[0].end && w[1].id != w[0].id));
    assert!(nested);
}

#[test]
fn generated_project_survives_a_save_and_load() {
    let project = synth::corpus(&spec(11));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("corpus.ron");
    store::save(&project, &path).unwrap();
    assert_eq!(store::load(&path).unwrap(), project);
}

#[test]
fn big_article_is_about_a_megabyte_with_ten_thousand_spans() {
    let project = synth::big_article(1);
    assert_eq!(validate::problems(&project), vec![]);
    let doc = &project.documents[0];
    assert!((900_000..1_300_000).contains(&doc.text.len()), "{}", doc.text.len());
    assert_eq!(doc.spans.len(), 10_000);
}

#[test]
fn rng_is_deterministic_and_in_range() {
    let (mut a, mut b) = (Rng::new(42), Rng::new(42));
    for _ in 0..1000 {
        let x = a.below(7);
        assert_eq!(x, b.below(7));
        assert!(x < 7);
    }
}

#[test]
fn gen_corpus_command_writes_a_loadable_project_and_articles() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["gen-corpus", "--out"])
        .arg(dir.path())
        .args(["--docs", "3", "--words-per-doc", "200", "--spans-per-doc", "10", "--seed", "4", "--txt"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let project = store::load(&dir.path().join("project.ron")).unwrap();
    assert_eq!(project.documents.len(), 3);
    assert_eq!(std::fs::read_dir(dir.path().join("articles")).unwrap().count(), 3);
}
