//! The importers on the bundled sample articles and on crafted bad inputs.

use std::fs;
use std::path::{Path, PathBuf};

use factmark::import::{ImportError, plan_import, read_bytes, read_file};
use factmark::model::{DocId, Document, Project};

fn article(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/articles").join(name)
}

#[test]
fn news_txt_header_becomes_metadata_and_body_is_kept() {
    let a = &read_file(&article("harbour-bridge-closure.txt")).unwrap()[0];
    assert_eq!(a.title, "Harbour bridge to close for six weeks as inspectors find “serious” corrosion");
    assert_eq!(a.meta.author, "Zoë Marchetti and José Álvarez");
    assert_eq!(a.meta.date, "2026-03-14");
    assert!(a.text.starts_with("The Vellmar Harbour Bridge will close"));
    // The share bar at the end is left out and reported; other trailing text (a reading list) is kept,
    // because it could be the article's own: annotators decide what to label.
    assert!(a.text.ends_with("Further reading\nVellmar ferries to run every 15 minutes during bridge repairs\nWhat the 2019 bridge inspection really said"));
    assert!(!a.text.contains("Share this:"));
    let dropped: Vec<&str> = a.dropped.iter().map(|d| d.text.as_str()).collect();
    assert_eq!(dropped, ["Share this:", "Facebook", "X", "Email"]);
}

#[test]
fn markdown_analysis() {
    let a = &read_file(&article("water-prices-analysis.md")).unwrap()[0];
    assert_eq!(a.title, "Why Vellmar’s water bills are rising faster than inflation");
    assert_eq!(a.meta.author, "Ana Pereira");
    assert_eq!(a.meta.date, "2026-02-02");
    assert!(a.text.starts_with("Households in Vellmar paid"));
    assert!(a.text.contains("## Pipes, not profits"));
}

#[test]
fn html_op_ed_keeps_article_text_only() {
    let a = &read_file(&article("transit-oped.html")).unwrap()[0];
    assert_eq!(a.title, "Vellmar needs trams, not another ring road");
    assert_eq!(a.meta.author, "Inès Duval");
    assert_eq!(a.meta.date, "2026-01-20");
    assert_eq!(a.meta.publication, "The Vellmar Courier");
    assert_eq!(a.meta.url, "https://courier.example/opinion/trams-not-roads");
    assert!(a.text.starts_with("Every few years, Vellmar’s council"), "{}", a.text);
    assert!(a.text.contains("name for it — induced demand — and"), "entities decoded, inline markup flattened");
    assert!(a.text.contains("“A tram line is a promise"), "blockquote kept");
    for furniture in
        ["tracker", "Winter tyres", "Share this", "Privacy", "Independent since", "Sport", "20 January 2026"]
    {
        assert!(!a.text.contains(furniture), "{furniture:?} leaked into the body");
    }
}

#[test]
fn crlf_file_becomes_lf() {
    let raw = fs::read(article("flood-report-crlf.txt")).unwrap();
    assert!(raw.windows(2).any(|w| w == b"\r\n"), "the sample really is CRLF");
    let a = &read_file(&article("flood-report-crlf.txt")).unwrap()[0];
    assert!(!a.text.contains('\r') && !a.title.contains('\r'));
    assert_eq!(a.meta.author, "Mikkel Sørensen");
    assert_eq!(a.meta.date, "2026-04-03");
}

#[test]
fn emoji_and_combining_marks_survive() {
    let a = &read_file(&article("festival-social-emoji.txt")).unwrap()[0];
    assert_eq!(a.meta.author, "Chloe\u{308} Martín");
    for needle in ["Critics 😡 say the minister’s plan", "👍🏽", "🇫🇷", "👩‍👩‍👧", "Noe\u{308}mie"]
    {
        assert!(a.text.contains(needle), "{needle}");
    }
}

#[test]
fn jsonl_feed_and_its_errors() {
    let briefs = read_file(&article("briefs.jsonl")).unwrap();
    assert_eq!(briefs.len(), 3);
    assert_eq!(briefs[1].title, "Library opening hours to be cut");
    assert_eq!(briefs[1].meta.author, "José Álvarez");
    assert!(briefs[2].meta.source_file.ends_with("briefs.jsonl#3"));
    let path = Path::new("feed.jsonl");
    let bad = b"{\"text\": \"fine\"}\n\n{\"title\": \"no text\"}\n";
    assert_eq!(read_bytes(path, bad).unwrap_err().to_string(), "feed.jsonl:3: expected a \"text\" string");
    let broken = b"{\"text\": \"fine\"}\n{not json\n";
    assert!(read_bytes(path, broken).unwrap_err().to_string().starts_with("feed.jsonl:2: not valid JSON"));
    let untitled = read_bytes(path, "{\"text\": \"First line — here\\nmore\"}".as_bytes()).unwrap();
    assert_eq!(untitled[0].title, "First line — here");
}

#[test]
fn bad_files_name_the_file_and_problem() {
    let cases: [(&str, &[u8], &str); 5] = [
        ("a.txt", b"Title\n\nbad \xc3\x28 byte", "a.txt: invalid UTF-8 at byte 11"),
        ("b.txt", b"", "b.txt: the file has no text"),
        ("c.txt", b" \n\t\n", "c.txt: the file has no text"),
        ("d.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "d.txt: looks like a binary file, not text"),
        ("e.md", b"Title\n\0\0", "e.md: looks like a binary file, not text"),
    ];
    for (name, bytes, expected) in cases {
        let err = read_bytes(Path::new(name), bytes).unwrap_err();
        assert_eq!(err.to_string(), expected);
    }
    assert!(matches!(read_file(Path::new("/no/such/file.txt")), Err(ImportError::Io { .. })));
}

#[test]
fn folder_plan_skips_unsupported_and_finds_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("one.txt"), "Same title\n\nSame body text.").unwrap();
    fs::write(dir.path().join("two.md"), "# Same title\n\nSame body text.").unwrap();
    fs::write(dir.path().join("three.txt"), "Same title\n\nA different body.").unwrap();
    fs::write(dir.path().join("picture.png"), b"\x89PNG").unwrap();
    fs::write(dir.path().join(".hidden.txt"), "Hidden\n\nnot imported").unwrap();
    fs::create_dir(dir.path().join("sub")).unwrap();
    fs::write(dir.path().join("sub/four.txt"), "Already here\n\nKnown text.").unwrap();
    let mut project = Project::new("t");
    project.documents.push(Document::new(DocId("same-title".into()), "Old", "Known text."));
    let plan = plan_import(&project, &[dir.path().to_path_buf()]);
    let ids: Vec<&str> = plan.documents.iter().map(|d| d.id.as_str()).collect();
    // Sorted walk: one.txt, sub/four.txt (duplicate of the project), three.txt, two.md (duplicate of one.txt).
    assert_eq!(ids, ["same-title-2", "same-title-3"]);
    assert_eq!(plan.duplicates.len(), 2);
    assert_eq!(plan.duplicates[0].existing.as_str(), "same-title");
    assert_eq!(plan.duplicates[1].existing.as_str(), "same-title-2");
    assert_eq!(plan.skipped.len(), 1);
    assert_eq!(plan.skipped[0].reason, "unsupported file type .png");
    assert!(plan.errors.is_empty());
    let edit = plan.into_edit().unwrap();
    edit.apply(&mut project).unwrap();
    assert_eq!(project.documents.len(), 3);
}
