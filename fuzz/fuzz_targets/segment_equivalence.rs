//! `tokenize` and `uax29_sentences` (hand-written fast paths with the crate as fallback) agree exactly with the
//! plain `unicode-segmentation` implementation they replace: the same tokens (char and byte ranges, `ws`),
//! the same trimmed sentences.
//!
//! The first byte picks how the rest becomes text: even = the bytes as UTF-8 (invalid sequences become
//! U+FFFD), odd = each byte picks one of 64 pieces — ASCII punctuation and letters the fast paths know,
//! and the joiners, marks, scripts and separators they hand to the crate — so the boundary between the
//! two paths is crossed constantly.
#![no_main]

use std::ops::Range;

use factmark::model::CharIdx;
use factmark::text::tokens::{Token, tokenize, uax29_sentences};
use libfuzzer_sys::fuzz_target;
use unicode_segmentation::UnicodeSegmentation;

const ALPHABET: [&str; 64] = [
    "a", "b", "Z", "Q", "é", "É", "ł", "ǅ", "1", "0", ".", ".", ",", ";", ":", "!", "?", "'", "’", "‘", "“", "”", "\"",
    ")", "(", "_", "-", "—", "…", " ", " ", "\t", "\n", "\r", "\u{a0}", "\u{2028}", "\u{85}", "\u{2024}", "😡", "✅",
    "\u{301}", "\u{fe0f}", "\u{200d}", "👩", "🏽", "🇪", "漢", "カ", "א", "״", "ا", "٣", "Σ", "ж", "\u{ad}", "\u{200b}",
    "\u{202f}", "\u{3000}", "\u{2003}", "\u{3002}", "\u{ff0e}", "ƻ", "·", "ª",
];

fn text_of(data: &[u8]) -> String {
    match data.split_first() {
        None => String::new(),
        Some((mode, rest)) if mode % 2 == 0 => String::from_utf8_lossy(rest).into_owned(),
        Some((_, rest)) => rest.iter().map(|b| ALPHABET[usize::from(b % 64)]).collect(),
    }
}

/// Char index of a byte offset that starts a char (or is the end), counted naively.
fn char_at(text: &str, b: usize) -> CharIdx {
    CharIdx(text[..b].chars().count())
}

/// The tokenizer before the fast paths: the crate's word bounds, whitespace dropped, `U.S` + `.` joined.
fn reference_tokenize(text: &str) -> Vec<Token> {
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for (at, segment) in text.split_word_bound_indices() {
        if segment.chars().all(char::is_whitespace) {
            continue;
        }
        if segment == "."
            && let Some(prev) = ranges.last_mut()
        {
            let word = &text[prev.clone()];
            if prev.end == at && word.contains('.') && word.chars().any(char::is_alphabetic) {
                prev.end = at + 1;
                continue;
            }
        }
        ranges.push(at..at + segment.len());
    }
    ranges
        .into_iter()
        .map(|r| Token {
            start: char_at(text, r.start),
            end: char_at(text, r.end),
            ws: text[r.end..].chars().next().is_some_and(char::is_whitespace),
            bytes: (r.start, r.end),
        })
        .collect()
}

/// The sentence splitter before the fast path: the crate's sentence bounds, trimmed, empty ones dropped.
fn reference_sentences(text: &str) -> Vec<Range<CharIdx>> {
    let mut out = Vec::new();
    for (at, sentence) in text.split_sentence_bound_indices() {
        let trimmed = sentence.trim();
        if !trimmed.is_empty() {
            let start = at + sentence.len() - sentence.trim_start().len();
            out.push(char_at(text, start)..char_at(text, start + trimmed.len()));
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    assert_eq!(tokenize(&text), reference_tokenize(&text), "tokens of {text:?}");
    assert_eq!(uax29_sentences(&text), reference_sentences(&text), "sentences of {text:?}");
});
