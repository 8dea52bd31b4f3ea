//! Import of two articles written after the boilerplate rules were made, and never used to tune them
//! (kept in `tests/articles-unseen/`, apart from the tuning samples in `tests/articles/`): title, byline,
//! ISO date, the page furniture left out and listed, the prose kept exactly.

use std::path::Path;

use factmark::import::{ImportedArticle, read_file};

fn read(name: &str) -> ImportedArticle {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/articles-unseen").join(name);
    let mut articles = read_file(&path).unwrap();
    assert_eq!(articles.len(), 1);
    articles.remove(0)
}

fn dropped(a: &ImportedArticle) -> Vec<&str> {
    a.dropped.iter().map(|d| d.text.as_str()).collect()
}

#[test]
fn a_news_story_with_a_share_bar_above_a_starred_byline_and_a_tag_line() {
    let a = read("rural-clinics.txt");
    assert_eq!(a.title, "Rural clinics turn to night nurses as staffing gap widens");
    assert_eq!(a.meta.author, "Ingrid Solberg");
    assert_eq!(a.meta.date, "2024-10-31");
    let gone = dropped(&a);
    for noise in ["Share this:", "Topic: Health Region: Nordics Tags: hospitals, staffing, rural care", "Facebook", "X"]
    {
        assert!(gone.contains(&noise), "{noise:?} not listed as left out: {gone:?}");
        assert!(!a.text.lines().any(|l| l == noise), "{noise:?} is still in the body");
    }
    assert!(gone.contains(&a.title.as_str()), "the repeated title is left out");
    assert!(a.text.starts_with("When the clinic in Vardø closed its doors at 10 p.m. last winter"));
    for kept in [
        "“We could not keep telling families to wait until morning,” said Dr. Henrik Aas",
        "1. Nurses on rotation rarely stay longer than a year.",
        "A 2023 U.S. study of similar programmes in Alaska",
        "— longer when the coast road iced over.",
        "*Ingrid Solberg covers health for the paper.",
    ] {
        assert!(a.text.contains(kept), "{kept:?} is missing");
    }
    assert!(!a.text.lines().any(|l| !l.is_empty() && l.trim().is_empty()), "a blank line of spaces is left");
    assert!(!a.text.contains("\n\n\n"));
}

#[test]
fn a_student_op_ed_with_class_year_byline_and_trailing_tags() {
    let a = read("library-midnight-oped.txt");
    assert_eq!(a.title, "The library should stay open past midnight");
    assert_eq!(a.meta.author, "Marcus Lee ’27");
    assert_eq!(a.meta.date, "2024-11-08");
    assert_eq!(dropped(&a), ["Share this article", "Tags: campus, library, students"]);
    assert!(a.text.starts_with("Every exam season the same scene repeats itself"));
    assert!(a.text.ends_with("the only quiet, warm place we have."));
}
