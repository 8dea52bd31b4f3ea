//! `tokenize` and `uax29_sentences` (the UAX #29 layer under `sentences`) give exactly what the plain
//! `unicode-segmentation` implementation gives, token for token and boundary for boundary, on every input:
//! the synthetic scale corpus, every text fixture in the repository, every char the fast paths know in many
//! contexts, and hundreds of thousands of random strings — hostile ones (every script and joiner the fast
//! paths hand to the crate) and ones made only of chars the fast paths handle themselves. It also checks,
//! on the crate alone, the two facts the fast paths rely on: lines are segmented independently, and so are
//! the stretches between word restart points.

use std::fs;
use std::ops::Range;
use std::path::{Path, PathBuf};

use factmark::model::CharIdx;
use factmark::synth::{CorpusSpec, Rng, corpus};
use factmark::text::tokens::{Token, tokenize, uax29_sentences};
use unicode_segmentation::UnicodeSegmentation;

/// Char index of every byte offset that starts a char, plus the end: a naive conversion the reference uses
/// so that it does not share code with the implementation under test.
fn char_index(text: &str) -> impl Fn(usize) -> CharIdx + '_ {
    let starts: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
    move |b| CharIdx(starts.binary_search(&b).expect("segment edges are char boundaries"))
}

/// The tokenizer as it was before the fast paths: the crate's word bounds, whitespace dropped, `U.S` + `.`
/// joined.
fn reference_tokenize(text: &str) -> Vec<Token> {
    let to_char = char_index(text);
    let mut byte_tokens: Vec<Range<usize>> = Vec::new();
    for (at, segment) in text.split_word_bound_indices() {
        if segment.chars().all(char::is_whitespace) {
            continue;
        }
        let range = at..at + segment.len();
        if segment == "."
            && let Some(prev) = byte_tokens.last_mut()
        {
            let word = &text[prev.clone()];
            if prev.end == at && word.contains('.') && word.chars().any(char::is_alphabetic) {
                prev.end = range.end;
                continue;
            }
        }
        byte_tokens.push(range);
    }
    byte_tokens
        .into_iter()
        .map(|r| Token {
            start: to_char(r.start),
            end: to_char(r.end),
            ws: text[r.end..].chars().next().is_some_and(char::is_whitespace),
            bytes: (r.start, r.end),
        })
        .collect()
}

/// The sentence splitter as it was before the fast path: the crate's sentence bounds, trimmed, empty ones
/// dropped.
fn reference_sentences(text: &str) -> Vec<Range<CharIdx>> {
    let to_char = char_index(text);
    let mut out = Vec::new();
    for (at, sentence) in text.split_sentence_bound_indices() {
        let trimmed = sentence.trim();
        if trimmed.is_empty() {
            continue;
        }
        let start = at + sentence.len() - sentence.trim_start().len();
        out.push(to_char(start)..to_char(start + trimmed.len()));
    }
    out
}

/// Fails with the first differing token or sentence, in text, if the fast paths deviate.
fn check(text: &str) {
    let (got, want) = (tokenize(text), reference_tokenize(text));
    if got != want {
        let at = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(got.len().min(want.len()));
        let show = |t: Option<&Token>| t.map(|t| (t.text(text).to_string(), t.start.0, t.end.0, t.ws));
        panic!(
            "tokens differ at #{at} in {text:?}: fast {:?}, crate {:?} ({} vs {} tokens)",
            show(got.get(at)),
            show(want.get(at)),
            got.len(),
            want.len()
        );
    }
    let (got, want) = (uax29_sentences(text), reference_sentences(text));
    if got != want {
        let at = got.iter().zip(&want).position(|(g, w)| g != w).unwrap_or(got.len().min(want.len()));
        panic!("sentences differ at #{at} in {text:?}: fast {:?}, crate {:?}", got.get(at), want.get(at));
    }
}

#[test]
fn the_scale_corpus_segments_identically() {
    let project = corpus(&CorpusSpec::scale());
    assert_eq!(project.documents.len(), 1000);
    let mut bytes = 0;
    for doc in &project.documents {
        check(&doc.text);
        check(&doc.title);
        bytes += doc.text.len();
    }
    assert!(bytes > 4_000_000, "the corpus is the 5 MB one ({bytes} bytes)");
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn every_text_fixture_segments_identically() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["assets", "tests", "saves", "fuzz/seeds"] {
        files_under(&root.join(dir), &mut files);
    }
    files.push(root.join("README.md"));
    let mut checked = 0;
    for path in files {
        // Every UTF-8 file counts: articles, golden exports, projects, even sources are text to segment.
        let Ok(text) = fs::read_to_string(&path) else { continue };
        check(&text);
        // The same text with Windows line ends, and each line alone.
        check(&text.replace('\n', "\r\n"));
        for line in text.lines() {
            check(line);
        }
        checked += 1;
    }
    assert!(checked >= 40, "found the fixtures ({checked} files)");
}

/// Pieces of hostile text: everything the fast paths do not know (combining marks, variation selectors, ZWJ
/// sequences, skin tones, flags, other scripts and their digits, odd spaces and separators) mixed with
/// what they do.
#[rustfmt::skip]
const HOSTILE: &[&str] = &[
    "a", "Z", "é", "É", "ß", "1", "0", ".", ",", ";", ":", "!", "?", "'", "’", "‘", "“", "”", "\"", "(", ")",
    "[", "]", "_", "-", "–", "—", "…", " ", " ", "\t", "\n", "\r\n", "\r", "\u{301}", "e\u{301}", "\u{fe0f}",
    "\u{200d}", "👩", "👩\u{200d}👩\u{200d}👧", "👍🏽", "🏽", "⚠️", "😡", "🇪", "🇺", "🇪🇺", "漢", "字", "カ", "ー", "ا",
    "ب", "٣", "א", "ב", "״", "׳", "\u{a0}", "\u{2028}", "\u{2029}", "\u{85}", "\u{ad}", "\u{200b}", "\u{202f}",
    "\u{3000}", "\u{2003}", "Σ", "ς", "ж", "५", "\u{ff0e}", "\u{3002}", "\u{589}", "\u{2024}", "ǅ", "ƻ", "·",
    "\u{b}", "\u{c}", "U.S", "e.g.", "10,000", "3.5", "a:b", "don't", "’s", "Mr. ", ". ", "? ", "\" ", ") ",
];

/// Pieces the fast paths handle themselves, weighted towards the patterns UAX #29 treats specially.
#[rustfmt::skip]
const SIMPLE: &[&str] = &[
    "a", "b", "x", "A", "B", "Q", "é", "É", "ł", "Ł", "ễ", "ǅ", "ƻ", "ª", "¸", "ß", "1", "2", "0", ".", ".", ",",
    ";", ":", "!", "?", "'", "’", "‘", "“", "”", "\"", "(", ")", "[", "]", "{", "_", "-", "–", "—", "…", " ",
    " ", " ", "\t", "\n", "\r\n", "\r", "\u{a0}", "\u{2024}", "\u{2028}", "\u{85}", "\u{2003}", "«", "»", "·",
    "×", "€", "£", "%", "😡", "✅", "🌊", "‼", "\u{b}", "U.S", "e.g.", "10,000", "3.5", "a:b", "don't", "’s",
    "Mr. ", ". ", "? ", "! ", ".\" ", ".) ", ". a", ". A", "a_1", "x2", "... ", " \n", "\n\n",
];

/// Chars for short strings, where edge cases live: few enough that every pair and triple shows up.
#[rustfmt::skip]
const SHORT: &[&str] = &[
    "a", "B", "é", "1", ".", ",", ":", ";", "'", "’", " ", "!", "?", "\"", ")", "\n", "\r", "_", "-", "—", "\t",
    "\u{a0}", "…", "“", "ǅ", "ƻ",
];

fn random_text(rng: &mut Rng, pieces: &[&str], len: usize) -> String {
    (0..len).map(|_| pieces[rng.below(pieces.len())]).collect()
}

#[test]
fn random_hostile_strings_segment_identically() {
    let mut rng = Rng::new(0x5e6);
    for n in 0..20_000 {
        let len = if n % 100 == 0 { 400 + rng.below(1600) } else { rng.below(40) };
        check(&random_text(&mut rng, HOSTILE, len));
    }
    // Mostly simple text with a rare hostile char: the fast path hands over a stretch and takes back.
    for _ in 0..5_000 {
        let len = 20 + rng.below(200);
        let mut text = random_text(&mut rng, SIMPLE, len);
        for _ in 0..1 + rng.below(3) {
            let at = rng.below(text.len() + 1);
            if text.is_char_boundary(at) {
                text.insert_str(at, HOSTILE[rng.below(HOSTILE.len())]);
            }
        }
        check(&text);
    }
}

#[test]
fn random_simple_strings_segment_identically() {
    let mut rng = Rng::new(0x51e);
    for _ in 0..200_000 {
        let len = 1 + rng.below(12);
        check(&random_text(&mut rng, SHORT, len));
    }
    for _ in 0..50_000 {
        let len = 1 + rng.below(12);
        check(&random_text(&mut rng, SIMPLE, len));
    }
    for _ in 0..3_000 {
        let len = 100 + rng.below(2000);
        check(&random_text(&mut rng, SIMPLE, len));
    }
}

/// Contexts where a char's word and sentence classes decide boundaries; `X` stands for the char.
#[rustfmt::skip]
const CONTEXTS: &[&str] = &[
    "X", "XX", "aX", "Xa", "aXb", "AXB", "1X2", "a1X", "_X_", "X.", "X:", "X'a", "aX.", "a.X", "A.X", "a. X",
    "a. Xb", "a.\" X", "a.) X", "a! X", "a? X.", "X. a", "X.) a", "A. X a", "e.g. X", "a X", " X ", "X\u{301}",
    "X\u{fe0f}", "X\u{200d}😡", "X🏽", "\nX\n", "\r\nX\r\n", "X\rX", "aX\u{301}b", "1X\u{301}2", "a.X\u{301}",
    "X 'a", "Mr.X", "Mr. X", "... X", "X\u{a0}a", "a.X?b",
];

#[test]
fn every_char_the_fast_paths_know_segments_identically_in_context() {
    // Everything the fast paths have a class for, and the blocks around it.
    let blocks = [
        0..0x370,
        0x1e00..0x1f00,
        0x2000..0x2100,
        0x2190..0x2200,
        0x2600..0x27c0,
        0x2b00..0x2c00,
        0xfe00..0xfe10,
        0x1f000..0x1fb00,
    ];
    let mut checked = 0;
    for c in blocks.into_iter().flatten().filter_map(char::from_u32) {
        let x = c.to_string();
        for context in CONTEXTS {
            check(&context.replace('X', &x));
            checked += 1;
        }
    }
    assert!(checked > 200_000, "{checked}");
}

/// The segment boundaries the crate finds, as byte offsets.
fn word_bounds(text: &str) -> Vec<usize> {
    text.split_word_bound_indices().map(|(at, s)| at + s.len()).collect()
}

fn sentence_bounds(text: &str) -> Vec<usize> {
    text.split_sentence_bound_indices().map(|(at, s)| at + s.len()).collect()
}

/// The crate's boundaries of `text` cut at `cuts` and segmented piece by piece.
fn piecewise(text: &str, cuts: &[usize], bounds: fn(&str) -> Vec<usize>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut start = 0;
    for &end in cuts.iter().chain([&text.len()]) {
        if end > start {
            out.extend(bounds(&text[start..end]).into_iter().map(|b| start + b));
            start = end;
        }
    }
    out
}

#[test]
fn lines_and_restart_points_segment_independently_in_the_crate() {
    // The fast paths rest on these: cutting a text after every line feed changes no word or sentence
    // boundary, and neither does cutting words at a space followed by an ASCII char other than a space.
    let mut rng = Rng::new(0x11e);
    for n in 0..30_000 {
        let pieces = if n % 2 == 0 { HOSTILE } else { SIMPLE };
        let len = rng.below(60);
        let text = random_text(&mut rng, pieces, len);
        let bytes = text.as_bytes();
        let lines: Vec<usize> = (1..bytes.len()).filter(|&i| bytes[i - 1] == b'\n').collect();
        assert_eq!(piecewise(&text, &lines, word_bounds), word_bounds(&text), "{text:?}");
        assert_eq!(piecewise(&text, &lines, sentence_bounds), sentence_bounds(&text), "{text:?}");
        let restarts: Vec<usize> = (1..bytes.len())
            .filter(|&i| bytes[i - 1] == b'\n' || (bytes[i - 1] == b' ' && bytes[i].is_ascii() && bytes[i] != b' '))
            .collect();
        assert_eq!(piecewise(&text, &restarts, word_bounds), word_bounds(&text), "{text:?}");
    }
}

#[test]
fn edge_cases_named() {
    for text in [
        "",
        " ",
        "\n",
        "\r\n",
        "U.S.",
        "U.S..",
        "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk.",
        "e.g. this, i.e. that.",
        "He said “No.” Then left.",
        "3.5 million. 4,000.5",
        "Mr. Smith went to Washington. He arrived at 5 p.m. on Tuesday.",
        "a.b.c. d",
        "(Yes.) No!? Maybe...  “Really?” she asked.",
        "l’État, aujourd’hui’s",
        "First line\nsecond line.\r\nThird\rFourth\u{2028}Fifth\u{85}sixth",
        "x\u{301}.\u{301} y",
        "🇪🇺🇪🇺🇪 👍🏽👍 ⚠️ 👩\u{200d}👩\u{200d}👧",
        "Zoë said: “It’s naïve.” 😡",
    ] {
        check(text);
    }
}
