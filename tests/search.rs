//! Search modes (plain, whole word, case, regex) with exact char offsets, and label-all as one undoable edit.

use factmark::analysis::search::{
    Match, Query, SearchError, SearchOptions, find_in_document, find_in_project, label_all_edit,
};
use factmark::edit::{Edit, History};
use factmark::model::{CharIdx, DocId, Document, Project, Span, SpanId};

const TEXT: &str =
    "İİ The minister’s plan — the MINISTER said — is “reckless”. Ministers disagree; the minister-led group 😡 met.";

fn doc(text: &str) -> Document {
    Document::new(DocId("d".into()), "Doc", text)
}

fn ranges(found: &[Match]) -> Vec<(usize, usize)> {
    found.iter().map(|m| (m.start.0, m.end.0)).collect()
}

fn slice(text: &str, m: &Match) -> String {
    text.chars().skip(m.start.0).take(m.end.0 - m.start.0).collect()
}

fn opts(regex: bool, case_sensitive: bool, whole_word: bool) -> SearchOptions {
    SearchOptions { regex, case_sensitive, whole_word }
}

#[test]
fn plain_search_ignores_case_by_default_with_exact_char_offsets() {
    let d = doc(TEXT);
    let found = find_in_document(&d, "minister", SearchOptions::default()).unwrap();
    let texts: Vec<String> = found.iter().map(|m| slice(TEXT, m)).collect();
    assert_eq!(texts, ["minister", "MINISTER", "Minister", "minister"]);
    // 'İ' lowercases to two chars; offsets must still count the original text's chars.
    assert_eq!(found[0].start, CharIdx(TEXT.chars().position(|c| c == 'm').unwrap()));
    assert_eq!(found[0].range(), CharIdx(7)..CharIdx(15));
}

#[test]
fn case_sensitive_search_only_matches_the_same_case() {
    let d = doc(TEXT);
    let found = find_in_document(&d, "minister", opts(false, true, false)).unwrap();
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|m| slice(TEXT, m) == "minister"));
    // Unicode case folding, not just ASCII: É matches é without lowercasing the text.
    let accents = doc("ÉCOLE école Zoë ZOË");
    assert_eq!(ranges(&find_in_document(&accents, "école", SearchOptions::default()).unwrap()), [(0, 5), (6, 11)]);
    assert_eq!(ranges(&find_in_document(&accents, "zoë", SearchOptions::default()).unwrap()), [(12, 15), (16, 19)]);
    assert_eq!(ranges(&find_in_document(&accents, "zoë", opts(false, true, false)).unwrap()), []);
}

#[test]
fn whole_word_uses_the_export_tokenizer_edges() {
    let d = doc(TEXT);
    let found = find_in_document(&d, "minister", opts(false, false, true)).unwrap();
    let texts: Vec<String> = found.iter().map(|m| slice(TEXT, m)).collect();
    // "Ministers" and "minister’s" are other words (UAX #29 keeps the apostrophe inside a word), while
    // "minister-led" splits at the hyphen: exactly the tokens the exports write.
    assert_eq!(texts, ["MINISTER", "minister"]);
    assert_eq!(find_in_document(&d, "minister’s", opts(false, false, true)).unwrap().len(), 1);
    // A rejected match does not hide an overlapping one that sits on word edges.
    let tricky = doc("ba a a");
    assert_eq!(ranges(&find_in_document(&tricky, "a a", opts(false, false, true)).unwrap()), [(3, 6)]);
    // Punctuation tokens are words of their own: the curly quote around "reckless" is an edge.
    assert_eq!(find_in_document(&d, "reckless", opts(false, false, true)).unwrap().len(), 1);
}

#[test]
fn regex_search_and_bad_regex_errors() {
    let d = doc(TEXT);
    let found = find_in_document(&d, r"minister\w*", opts(true, true, false)).unwrap();
    assert_eq!(found.iter().map(|m| slice(TEXT, m)).collect::<Vec<_>>(), ["minister", "minister"]);
    let quoted = find_in_document(&d, "“[^”]+”", opts(true, false, false)).unwrap();
    assert_eq!(quoted.iter().map(|m| slice(TEXT, m)).collect::<Vec<_>>(), ["“reckless”"]);
    // Empty matches are skipped rather than looping or making empty spans.
    assert!(find_in_document(&d, "x*", opts(true, false, false)).unwrap().is_empty());
    let err = find_in_document(&d, "(unclosed", opts(true, false, false)).unwrap_err();
    assert!(matches!(&err, SearchError::BadRegex { pattern, .. } if pattern == "(unclosed"));
    assert!(!err.to_string().contains('\n'), "one-line message: {err}");
    // The same characters are literal in plain mode.
    assert!(find_in_document(&d, "(unclosed", SearchOptions::default()).unwrap().is_empty());
    assert_eq!(Query::new("", SearchOptions::default()).unwrap_err(), SearchError::EmptyPattern);
}

#[test]
fn emoji_and_astral_chars_keep_offsets_exact() {
    let text = "😡😡 met 😡 met";
    let found = find_in_document(&doc(text), "met", SearchOptions::default()).unwrap();
    assert_eq!(ranges(&found), [(3, 6), (9, 12)]);
}

fn project() -> Project {
    let mut p = Project::new("t");
    p.documents.push(Document::new(DocId("a".into()), "A", "Officials said the plan works. Officials disagree."));
    p.documents.push(Document::new(DocId("b".into()), "B", "officials said so."));
    let id = p.alloc_span_id();
    p.documents[0].spans.push(Span::new(id, CharIdx(0)..CharIdx(9), "Source", "ana"));
    p
}

#[test]
fn project_search_lists_matches_in_document_order() {
    let p = project();
    let found = find_in_project(&p, "officials", SearchOptions::default()).unwrap();
    let docs: Vec<&str> = found.iter().map(|m| m.doc.as_str()).collect();
    assert_eq!(docs, ["a", "a", "b"]);
    assert_eq!(ranges(&found), [(0, 9), (31, 40), (0, 9)]);
}

#[test]
fn label_all_is_one_undoable_edit_that_skips_existing_spans() {
    let mut p = project();
    let found = find_in_project(&p, "officials", SearchOptions::default()).unwrap();
    let mut matches = found.clone();
    matches.push(found[1].clone()); // listed twice: labelled once
    let plan = label_all_edit(&p, &matches, "Source", "ben").unwrap();
    assert_eq!((plan.added, plan.skipped), (2, 2));
    let Edit::Batch { edits, name } = &plan.edit else { panic!("one batch") };
    assert_eq!(edits.len(), 2);
    assert!(name.contains('2'), "{name}");
    let before = p.clone();
    let mut history = History::new();
    history.apply(&mut p, plan.edit).unwrap();
    assert_eq!(p.span_count(), 3);
    assert!(p.documents.iter().flat_map(|d| &d.spans).filter(|s| s.id != SpanId(1)).all(|s| s.annotator == "ben"));
    assert!(history.undo(&mut p).unwrap().is_some());
    assert_eq!(p.documents, before.documents, "one undo removes every span label-all added");
    // Another label is not a duplicate: the existing Source does not stop a Claim.
    let claims = label_all_edit(&p, &found, "claim", "ben");
    assert!(matches!(claims, Err(SearchError::UnknownLabel(_))), "labels are exact schema names");
    let claims = label_all_edit(&p, &found, "Claim", "ben").unwrap();
    assert_eq!((claims.added, claims.skipped), (3, 0));
}
