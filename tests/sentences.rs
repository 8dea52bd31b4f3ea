//! The sentence splitter on news text: no sentence ends after an abbreviation, an initial or a lone list
//! marker that the text goes on from, while real sentence ends after the same words stay. Each positive
//! case also checks that plain UAX #29 (`uax29_sentences`) splits there, so the case tests the post-pass.

use factmark::text::tokens::{sentences, uax29_sentences};

fn split(text: &str) -> Vec<String> {
    texts(text, &sentences(text))
}

fn split_uax29(text: &str) -> Vec<String> {
    texts(text, &uax29_sentences(text))
}

fn texts(text: &str, ranges: &[std::ops::Range<factmark::model::CharIdx>]) -> Vec<String> {
    ranges.iter().map(|r| text.chars().skip(r.start.0).take(r.end.0 - r.start.0).collect()).collect()
}

/// `text` is one sentence, which plain UAX #29 splits.
fn joined(text: &str) {
    assert_eq!(split(text), [text], "should be one sentence");
    assert!(split_uax29(text).len() > 1, "UAX #29 alone does not split {text:?}, so this tests nothing");
}

#[test]
fn country_initialisms_before_a_name_or_title() {
    joined("According to U.S. Secretary of State Maria Ruiz, the talks failed.");
    joined("A 2023 U.S. Congressional report found the same.");
    joined("The U.K. Treasury and the U.N. Security Council disagreed, as did E.U. Commissioners.");
    let indented = "    Indented: the U.S. Senate voted, said (U.S. Officials) and “U.S. Envoys”.";
    assert_eq!(split(indented), [indented.trim()]);
    joined("The U.S. 2024 Budget Act passed.");
}

#[test]
fn an_initialism_that_ends_a_sentence_still_ends_it() {
    let text = "He flew back to the U.S. The talks had failed. She stayed in the U.K. But not for long.";
    assert_eq!(
        split(text),
        ["He flew back to the U.S.", "The talks had failed.", "She stayed in the U.K.", "But not for long."]
    );
}

#[test]
fn titles_and_name_suffixes() {
    joined("Dr. Okonkwo met Gen. Aydın, Sen. Park and Mrs. Hale at St. Mary’s.");
    joined("Mr. Król, Ms. Lee, Prof. Lindqvist, Rep. Diaz, Gov. Ward, Lt. Moss, Col. Reyes, Capt. Ito and Sgt. Bo.");
    joined("Acme Inc. Chief Executive Dana Roe and Martin Luther King Jr. Day were both cited.");
    joined("The case was Smith vs. Jones Ltd. Holdings, filed by Orbit Corp. Lawyers.");
    assert_eq!(
        split("She finally became Dr. The title suited her."),
        ["She finally became Dr.", "The title suited her."]
    );
}

#[test]
fn months_and_numbers_go_on_only_before_a_digit() {
    let text = "The vote is set for Nov. 8. It was moved from Sept. 5.";
    assert_eq!(split(text), ["The vote is set for Nov. 8.", "It was moved from Sept. 5."]);
    assert_eq!(split_uax29(text).len(), 4, "UAX #29 alone splits after each month");
    assert_eq!(
        split("The vote is set for Nov. 8. Polls close in Oct. Nobody knows why."),
        ["The vote is set for Nov. 8.", "Polls close in Oct.", "Nobody knows why."]
    );
    joined("She lives at No. 10 Harbour Street.");
    assert_eq!(split("Did he agree? No. The vote failed."), ["Did he agree?", "No.", "The vote failed."]);
}

#[test]
fn times_and_latin_abbreviations_go_on_only_before_lower_case_or_a_digit() {
    assert_eq!(split("It starts at 5 p.m. The mayor will speak."), ["It starts at 5 p.m.", "The mayor will speak."]);
    assert_eq!(split("Doors open at 9 a.m. Tickets are free."), ["Doors open at 9 a.m.", "Tickets are free."]);
    joined("Use recent figures, e.g. 2024 Census data, for this.");
    joined("Count the rooms, i.e. 12 Classrooms and a hall.");
    assert_eq!(
        split("They used census data, i.e. The official count."),
        ["They used census data, i.e.", "The official count."]
    );
    // "etc." only before lower case (which UAX #29 already joins): before a capital it ends the sentence.
    assert_eq!(
        split("We packed tents, stoves, etc. and left early."),
        ["We packed tents, stoves, etc. and left early."]
    );
    assert_eq!(
        split("We packed tents, stoves, etc. Then we left."),
        ["We packed tents, stoves, etc.", "Then we left."]
    );
}

#[test]
fn initials_of_a_name() {
    joined("J. R. R. Tolkien wrote it in Oxford.");
    joined("The report by Ana M. Pereira was published.");
    assert_eq!(split("They chose plan B. The rest failed."), ["They chose plan B.", "The rest failed."]);
}

#[test]
fn a_list_marker_joins_its_item() {
    let text = "Three steps:\n1. Open the floor.\n2. Extend the shuttle.\niv. Publish the counts.\na. Check the label.";
    assert_eq!(
        split(text),
        [
            "Three steps:",
            "1. Open the floor.",
            "2. Extend the shuttle.",
            "iv. Publish the counts.",
            "a. Check the label."
        ]
    );
    assert!(split_uax29(text).contains(&"1.".to_string()), "UAX #29 alone makes a sentence of the marker");
    // A marker alone on its line stays there: a line end is always a sentence end.
    assert_eq!(split("1.\nOpen the floor."), ["1.", "Open the floor."]);
    // A number ending a sentence is not a marker.
    assert_eq!(split("The score was 3. Then it rained."), ["The score was 3.", "Then it rained."]);
}

#[test]
fn a_sentence_ends_after_its_closing_quote_or_bracket() {
    let text = "She said, “We will stay.” Then she left. (He disagreed.) Others did too! ‘Why?’ Nobody knew.";
    let want =
        ["She said, “We will stay.”", "Then she left.", "(He disagreed.)", "Others did too!", "‘Why?’", "Nobody knew."];
    assert_eq!(split(text), want);
    assert_eq!(split_uax29(text), want, "UAX #29 already ends these after the closer");
    // After a quoted question or exclamation, a lower-case word goes on.
    joined("“Why now?” she asked the council.");
    joined("“Stop!” shouted the guard.");
}

#[test]
fn ordinary_sentences_are_untouched() {
    let text = "The bridge closed. Traffic moved to the ring road! Was it needed? Engineers said yes.";
    assert_eq!(split(text), split_uax29(text));
    assert_eq!(split(text).len(), 4);
}

#[test]
fn the_sentences_export_and_conll_use_the_same_splitter() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    let project = dir.path().join("p.ron");
    let article = dir.path().join("a.txt");
    std::fs::write(&article, "Talks\n\nAccording to U.S. Secretary Ruiz, it failed. It ends at 5 p.m. The end.\n")
        .unwrap();
    let (p, a) = (project.to_str().unwrap(), article.to_str().unwrap());
    run(&["new", p]);
    run(&["import", p, a]);
    let out = dir.path().join("s.jsonl");
    run(&["export", p, "--format", "sentences", "--out", out.to_str().unwrap()]);
    let rows: Vec<serde_json::Value> =
        std::fs::read_to_string(&out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let got: Vec<&str> = rows.iter().map(|r| r["text"].as_str().unwrap()).collect();
    assert_eq!(got, ["According to U.S. Secretary Ruiz, it failed.", "It ends at 5 p.m.", "The end."]);
    let conll = dir.path().join("d.conll");
    run(&["export", p, "--format", "conll", "--out", conll.to_str().unwrap()]);
    let conll = std::fs::read_to_string(&conll).unwrap();
    // CoNLL separates sentences with a blank line: "U.S." and "Secretary" are in the same block.
    let block = conll.split("\n\n").find(|b| b.contains("U.S.")).unwrap();
    assert!(block.contains("Secretary") && block.contains("failed"), "{conll}");
}
