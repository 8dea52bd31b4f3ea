//! The bad-input catalogue: every way a file can be broken, hostile or unwritable, one test per case.
//!
//! Each test checks the exact message a person sees (naming the file and the problem) and proves that
//! nothing was lost or changed: the input file's bytes, the project file's bytes (and that no backup or
//! temp file appeared, i.e. nothing was saved), or the in-memory project. Cases that go through the command
//! line run the real `factmark` binary. The security cases at the end check that paths and URLs inside a
//! project or dataset are never opened, fetched or written, and that sizes and nesting are bounded.
//!
//! The README's "Robustness" section lists these cases in the same order. This file holds articles and
//! project files; `robustness_saving.rs` holds saving, datasets and the security cases.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;

use factmark::import::read_file;
use factmark::model::{DocId, DocStatus, Document};
use factmark::store::{self};

mod kursk_support;
mod robustness_support;

use kursk_support::{TEXT, kursk_project as sample};
use robustness_support::*;

// ---------------------------------------------------------------------------------------------------------
// Articles.

#[test]
fn empty_file() {
    assert_article_refused("empty.txt", b"", "the file has no text");
}

#[test]
fn only_whitespace() {
    assert_article_refused("blank.md", b" \n\t\r\n  \n", "the file has no text");
}

#[test]
fn text_of_100_mb() {
    let s = Setup::new();
    let article = s.path("huge.txt");
    let mut file = fs::File::create(&article).unwrap();
    let line = "The council voted again on the harbour bridge, and again nothing was decided.\n".repeat(13_000);
    let mut written = 0u64;
    while written < 100 << 20 {
        let chunk = &line.as_bytes()[..line.len().min((100usize << 20) - written as usize)];
        file.write_all(chunk).unwrap();
        written += chunk.len() as u64;
    }
    drop(file);
    let expected = format!("{}: 104857600 bytes is larger than the 67108864-byte import limit", shown(&article));
    assert_eq!(read_file(&article).unwrap_err().to_string(), expected);
    let out = run(&[OsStr::new("import"), s.project.as_os_str(), article.as_os_str()]);
    assert_fails_with(&out, &format!("{expected} (nothing imported)"));
    s.assert_project_unchanged();
    assert_eq!(fs::metadata(&article).unwrap().len(), 100 << 20);
}

#[test]
fn binary_file() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00";
    assert_article_refused("photo.txt", png, "looks like a binary file, not text");
}

#[test]
fn invalid_utf8() {
    // Latin-1 "é" (0xE9) in the middle of otherwise UTF-8 text: the byte is named.
    assert_article_refused("latin1.txt", b"Caf\xc3\xa9 news\n\nThe caf\xe9 closed.", "invalid UTF-8 at byte 19");
}

#[test]
fn utf16_with_bom_is_imported() {
    let text = "Zoë’s report\n\nCritics 😡 say “no”.\r\nSecond line.";
    for (name, bom, encode) in [
        ("le.txt", [0xFF, 0xFE], u16::to_le_bytes as fn(u16) -> [u8; 2]),
        ("be.txt", [0xFE, 0xFF], u16::to_be_bytes as fn(u16) -> [u8; 2]),
    ] {
        let mut bytes = bom.to_vec();
        bytes.extend(text.encode_utf16().flat_map(encode));
        let doc = import_article(name, &bytes);
        assert_eq!(doc.title, "Zoë’s report", "{name}");
        assert_eq!(doc.text, "Critics 😡 say “no”.\nSecond line.", "{name}");
    }
}

#[test]
fn utf16_with_unpaired_surrogate() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("Title\n\nBody ".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend([0x3D, 0xD8]); // the first half of 😡 and nothing after it
    assert_article_refused("half.txt", &bytes, "invalid UTF-16: unpaired surrogate");
}

#[test]
fn utf8_bom_is_stripped() {
    let doc = import_article("bom.md", "\u{feff}# Zoë’s report\n\nBody “text”.".as_bytes());
    assert_eq!(doc.title, "Zoë’s report");
    assert_eq!(doc.text, "Body “text”.");
}

#[test]
fn crlf_and_lone_cr_become_lf() {
    let doc = import_article("mixed.txt", b"Title\r\n\r\nWindows line.\r\nOld Mac line.\rUnix line.\n");
    assert_eq!(doc.title, "Title");
    assert_eq!(doc.text, "Windows line.\nOld Mac line.\nUnix line.");
}

#[test]
fn nul_bytes() {
    assert_article_refused("nul.txt", b"Title\n\nA body with a \0 in it.", "looks like a binary file, not text");
}

#[test]
fn line_of_10000_chars() {
    let mut line: String = "Zoë 😡 “quoted” — ".chars().cycle().take(9_999).collect();
    line.push('.');
    let doc = import_article("long.txt", format!("Long line\n\n{line}\n").as_bytes());
    assert_eq!(doc.text, line);
    assert_eq!(doc.char_len(), 10_000);
    // A span at the very end of the line lands on the right characters.
    let s = Setup::new();
    let mut project = sample();
    project.documents.push(doc.clone());
    store::save(&project, &s.project).unwrap();
    let (project, id) = (shown(&s.project), doc.id.to_string());
    let args = ["span", "add", &project, "--doc", &id, "--label", "Claim", "--start", "9990", "--end", "10000"];
    let out = run(&[&args[..], &["--json"]].concat());
    let json: serde_json::Value = serde_json::from_str(&assert_succeeds(&out)).unwrap();
    let tail: String = line.chars().skip(9990).collect();
    assert_eq!(json["text"], tail.as_str());
}

#[test]
fn deeply_nested_html() {
    let page = format!("<html><body>{}deep{}</body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000));
    assert_article_refused("deep.html", page.as_bytes(), "HTML nested 100000 elements deep; the limit is 1000");
}

#[test]
fn html_with_scripts_and_external_resources() {
    let (listener, port) = listener();
    let url = format!("http://127.0.0.1:{port}");
    let page = format!(
        r#"<html><head><title>Trams</title><link rel="stylesheet" href="{url}/s.css">
        <script src="{url}/a.js"></script><script>document.write("INJECTED"); fetch("{url}/x");</script>
        <meta http-equiv="refresh" content="0; url={url}/redirect"></head>
        <body><article><h1>Trams</h1><p>The council should act.<img src="{url}/i.png" onerror="alert(1)"></p>
        <iframe src="{url}/frame"></iframe><object data="{url}/o.swf">OBJECT</object>
        <p>Second <a href="{url}/link">paragraph</a>.<noscript>NOSCRIPT</noscript></p>
        <video src="{url}/v.mp4" poster="{url}/p.jpg"></video></article></body></html>"#
    );
    let doc = import_article("page.html", page.as_bytes());
    assert_eq!(doc.title, "Trams");
    assert_eq!(doc.text, "The council should act.\n\nSecond paragraph.");
    assert_nothing_connected(&listener);
}

#[test]
fn jsonl_with_one_bad_line_among_good_ones() {
    // By default the whole file is refused naming the line; the good lines are not imported either.
    let feed = b"{\"text\": \"First article.\"}\n{\"text\": \"Second, broken\"\n{\"text\": \"Third article.\"}\n";
    let problem = ":2: not valid JSON (EOF while parsing an object at line 1 column 25)";
    assert_article_refused_at_line("feed.jsonl", feed, problem);
    // Only when asked (--skip-bad-lines) are the good lines imported, with the bad one reported.
    let s = Setup::new();
    let article = s.write("feed.jsonl", feed);
    let out = assert_succeeds(&run(&[
        OsStr::new("import"),
        s.project.as_os_str(),
        article.as_os_str(),
        OsStr::new("--skip-bad-lines"),
    ]));
    assert!(out.starts_with(&format!("skipped {}{problem}\n1 bad line(s) skipped\n", shown(&article))), "{out}");
    assert!(out.ends_with(&format!("2 document(s) imported into {}\n", shown(&s.project))), "{out}");
    s.assert_old_version_kept_as_backup();
    let texts: Vec<String> = store::load(&s.project).unwrap().documents.into_iter().map(|d| d.text).collect();
    assert_eq!(texts, [TEXT, "First article.", "Third article."]);
    assert_eq!(fs::read(&article).unwrap(), feed, "the article file changed");
}

// ---------------------------------------------------------------------------------------------------------
// Project files.

#[test]
fn truncated_ron() {
    let good = good_ron();
    let cut = &good[..good.find("relations: [").unwrap()];
    // The parser points just after the last thing it read.
    let read = cut.trim_end();
    let (line, column) = (read.split('\n').count(), read.split('\n').next_back().unwrap().chars().count() + 1);
    assert_project_refused(cut.as_bytes(), &format!(":{line}:{column}: Unexpected end of RON"));
}

#[test]
fn ron_with_wrong_types() {
    let bad = hand_edited("next_span_id: 4", "next_span_id: \"four\"");
    let line = line_of(&bad, "\"four\"");
    assert_project_refused(bad.as_bytes(), &format!(":{line}:18: Expected integer"));
}

#[test]
fn ron_from_a_future_format_version() {
    let bad = hand_edited("format: 1,", "format: 7,");
    assert_project_refused(
        bad.as_bytes(),
        ": project format 7 is newer than this factmark supports (1); update factmark",
    );
}

#[test]
fn ron_that_is_not_a_project() {
    assert_project_refused(b"(name: \"shopping list\")", ": not a factmark project (no `format` version field)");
}

#[test]
fn ron_that_is_not_utf8() {
    let mut bytes = good_ron().into_bytes();
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 5;
    bytes.insert(at, 0xff);
    assert_project_refused(&bytes, ":2:5: the file is not valid UTF-8");
}

#[test]
fn span_out_of_range() {
    let bad = hand_edited("(id: 3, start: 104, end: 137", "(id: 3, start: 104, end: 999");
    assert_project_refused(bad.as_bytes(), ": document \"kursk-1\": span 3 ends at 999 but the text has 138 chars");
}

#[test]
fn span_inverted() {
    let bad = hand_edited(
        "(id: 2, start: 0, end: 17, label: \"Source\", text: \"U.S. intelligence\"",
        "(id: 2, start: 17, end: 0, label: \"Source\", text: \"U.S. intelligence\"",
    );
    assert_project_refused(bad.as_bytes(), ": document \"kursk-1\": span 2 is empty or inverted (17..0)");
}

#[test]
fn span_empty() {
    let bad = hand_edited(
        "(id: 2, start: 0, end: 17, label: \"Source\", text: \"U.S. intelligence\"",
        "(id: 2, start: 5, end: 5, label: \"Source\", text: \"\"",
    );
    assert_project_refused(bad.as_bytes(), ": document \"kursk-1\": span 2 is empty or inverted (5..5)");
}

#[test]
fn span_counted_in_bytes_splits_a_multibyte_char() {
    // A tool that counted UTF-8 bytes instead of chars marked the 😡: as chars, its byte offsets land on
    // other text (the three-byte quotes and dashes before it shift them), and loading says so.
    let start = TEXT.find('😡').unwrap();
    let end = start + '😡'.len_utf8();
    let bad = hand_edited(
        "(id: 3, start: 104, end: 137, label: \"Opinion\", text: \"the minister’s plan is “reckless”\"",
        &format!("(id: 3, start: {start}, end: {end}, label: \"Opinion\", text: \"😡\""),
    );
    let actual: String = TEXT.chars().skip(start).take(end - start).collect();
    assert_project_refused(
        bad.as_bytes(),
        &format!(": document \"kursk-1\": span 3 stores text \"😡\" but the text at {start}..{end} is {actual:?}"),
    );
}

#[test]
fn span_whose_stored_text_no_longer_matches() {
    let bad = hand_edited("text: \"U.S. intelligence\"", "text: \"U.K. intelligence\"");
    assert_project_refused(
        bad.as_bytes(),
        ": document \"kursk-1\": span 2 stores text \"U.K. intelligence\" but the text at 0..17 is \"U.S. intelligence\"",
    );
}

#[test]
fn duplicate_span_ids() {
    let bad = hand_edited("(id: 3, start: 104", "(id: 1, start: 104");
    assert_project_refused(bad.as_bytes(), ": document \"kursk-1\": duplicate span id 1");
}

#[test]
fn duplicate_document_ids() {
    let mut project = sample();
    let mut copy = Document::new(DocId("kursk-1".into()), "Copy", "Another text.");
    copy.status = DocStatus::Done;
    project.documents.push(copy);
    let ron = store::to_ron(&project).unwrap();
    assert_project_refused(ron.as_bytes(), ": document \"kursk-1\": duplicate document id");
}

#[test]
fn unknown_label() {
    let bad = hand_edited("label: \"Opinion\", text: \"the minister", "label: \"Rumour\", text: \"the minister");
    assert_project_refused(
        bad.as_bytes(),
        ": document \"kursk-1\": span 3 has label \"Rumour\", which the schema does not define",
    );
}

#[test]
fn relation_to_missing_span() {
    let bad = hand_edited("from: 2, to: 1", "from: 2, to: 42");
    assert_project_refused(
        bad.as_bytes(),
        ": document \"kursk-1\": relation 1 points to span 42, which is not in this document",
    );
}

#[test]
fn missing_project_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gone.ron");
    let expected = format!("{}: No such file or directory (os error 2)", shown(&path));
    assert_eq!(store::load(&path).unwrap_err().to_string(), expected);
    assert_fails_with(&run(&[OsStr::new("doc"), OsStr::new("list"), path.as_os_str()]), &expected);
    assert!(!path.exists(), "loading must not create the file");
}

// ---------------------------------------------------------------------------------------------------------
