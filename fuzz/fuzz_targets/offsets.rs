//! Offset conversions on arbitrary strings: every `OffsetMap` conversion (char ↔ byte ↔ UTF-16 ↔ line)
//! agrees with a naive walk of the text, refuses exactly the offsets that are past the end or inside a
//! character, and round-trips; `ForwardCursor`, `slice_from` and the token conversions agree too.
//!
//! The first byte picks how the rest becomes text: even = the bytes as UTF-8 (invalid sequences become
//! U+FFFD), odd = each byte picks one of a few awkward characters (multi-byte, astral, CR/LF, combining
//! marks, ZWJ), so long multi-byte texts that cross many checkpoints are common.
#![no_main]

use factmark::model::CharIdx;
use factmark::text::offsets::{
    ForwardCursor, OffsetError, OffsetMap, char_len, char_range_to_tokens, slice_from, tokens_to_char_range, utf16_len,
};
use factmark::text::tokens::tokenize;
use libfuzzer_sys::fuzz_target;

const ALPHABET: [&str; 16] =
    ["a", " ", "\n", "\r", "é", "e\u{301}", "😡", "👩\u{200d}👩", "“", "”", "—", "漢", "\u{10FFFF}", ".", "\t", "Z"];

fn text_of(data: &[u8]) -> String {
    match data.split_first() {
        None => String::new(),
        Some((mode, rest)) if mode % 2 == 0 => String::from_utf8_lossy(rest).into_owned(),
        Some((_, rest)) => rest.iter().map(|b| ALPHABET[usize::from(b % 16)]).collect(),
    }
}

fuzz_target!(|data: &[u8]| {
    let text = text_of(data);
    let map = OffsetMap::new(&text);
    // The naive answers: where each char starts in bytes and UTF-16 units, with the end appended.
    let mut byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    byte_at.push(text.len());
    let mut utf16_at = vec![0usize];
    for ch in text.chars() {
        let last = utf16_at.last().copied().unwrap_or(0);
        utf16_at.push(last + ch.len_utf16());
    }
    let n = byte_at.len() - 1;
    let units = utf16_at[n];
    assert_eq!(map.char_len(), n);
    assert_eq!(char_len(&text), n);
    assert_eq!(map.utf16_len(), units);
    assert_eq!(utf16_len(&text), units);
    assert_eq!(map.text(), text.as_str());

    let (mut line, mut column) = (1usize, 1usize);
    for c in 0..=n {
        let idx = CharIdx(c);
        assert_eq!(map.char_to_byte(idx), Ok(byte_at[c]), "char_to_byte({c})");
        assert_eq!(map.byte_to_char(byte_at[c]), Ok(idx), "byte_to_char({})", byte_at[c]);
        assert_eq!(map.char_to_utf16(idx), Ok(utf16_at[c]), "char_to_utf16({c})");
        assert_eq!(map.utf16_to_char(utf16_at[c]), Ok(idx), "utf16_to_char({})", utf16_at[c]);
        let lc = map.line_col(idx).unwrap_or_else(|e| panic!("line_col({c}): {e}"));
        assert_eq!((lc.line, lc.column), (line, column), "line_col({c})");
        if text[byte_at[c]..].starts_with('\n') {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    assert_eq!(map.line_count(), line);
    let past = CharIdx(n + 1);
    assert!(matches!(map.char_to_byte(past), Err(OffsetError::OutOfRange { .. })));
    assert!(matches!(map.char_to_utf16(past), Err(OffsetError::OutOfRange { .. })));
    assert!(map.line_col(past).is_err());

    // Every byte and UTF-16 offset: accepted exactly when it is a char boundary.
    for b in 0..=text.len() + 1 {
        let got = map.byte_to_char(b);
        match byte_at.binary_search(&b) {
            Ok(c) => assert_eq!(got, Ok(CharIdx(c))),
            Err(_) if b > text.len() => assert!(matches!(got, Err(OffsetError::OutOfRange { .. })), "byte {b}"),
            Err(_) => assert!(matches!(got, Err(OffsetError::NotOnBoundary { .. })), "byte {b}: {got:?}"),
        }
    }
    for u in 0..=units + 1 {
        let got = map.utf16_to_char(u);
        match utf16_at.binary_search(&u) {
            Ok(c) => assert_eq!(got, Ok(CharIdx(c))),
            Err(_) if u > units => assert!(matches!(got, Err(OffsetError::OutOfRange { .. })), "unit {u}"),
            Err(_) => assert!(matches!(got, Err(OffsetError::NotOnBoundary { .. })), "unit {u}: {got:?}"),
        }
    }

    // Lines: `line_range` gives each line without its newline.
    for (i, expected) in text.split('\n').enumerate() {
        let range = map.line_range(i + 1).unwrap_or_else(|| panic!("line {} has no range", i + 1));
        assert_eq!(map.slice(range), Ok(expected), "line {}", i + 1);
    }
    assert_eq!(map.line_range(0), None);
    assert_eq!(map.line_range(line + 1), None);

    // Ranges picked by the input bytes: slices, UTF-16 and byte ranges round-trip; inverted is refused.
    let picks: Vec<usize> = data.iter().map(|&b| usize::from(b) * (n + 1) / 256).collect();
    for pair in picks.chunks_exact(2).take(64) {
        let (a, b) = (pair[0].min(pair[1]), pair[0].max(pair[1]));
        let range = CharIdx(a)..CharIdx(b);
        let expected = &text[byte_at[a]..byte_at[b]];
        assert_eq!(map.slice(range.clone()), Ok(expected));
        assert_eq!(map.byte_range(range.clone()), Ok(byte_at[a]..byte_at[b]));
        let u = map.utf16_range(range.clone()).unwrap_or_else(|e| panic!("utf16_range {a}..{b}: {e}"));
        assert_eq!(u, utf16_at[a]..utf16_at[b]);
        assert_eq!(map.char_range_from_utf16(u), Ok(range.clone()));
        assert_eq!(map.char_range_from_bytes(byte_at[a]..byte_at[b]), Ok(range.clone()));
        if a < b {
            let inverted = CharIdx(b)..CharIdx(a);
            assert!(matches!(map.slice(inverted.clone()), Err(OffsetError::Inverted { .. })));
            assert!(matches!(map.utf16_range(inverted), Err(OffsetError::Inverted { .. })));
            assert!(matches!(map.char_range_from_utf16(utf16_at[b]..utf16_at[a]), Err(OffsetError::Inverted { .. })));
            assert!(matches!(map.char_range_from_bytes(byte_at[b]..byte_at[a]), Err(OffsetError::Inverted { .. })));
        }
        // Slicing from a known earlier point gives the same text; from a later point, nothing.
        let base = a / 2;
        assert_eq!(slice_from(&text, byte_at[base], CharIdx(base), range.clone()), Some(expected));
        if a < n {
            assert_eq!(slice_from(&text, byte_at[a + 1], CharIdx(a + 1), range.clone()), None);
        }
    }
    assert_eq!(slice_from(&text, 0, CharIdx(0), CharIdx(0)..CharIdx(n + 1)), None);

    // A forward cursor over every boundary, then backwards to the start.
    let mut cursor = ForwardCursor::new(&text);
    for (c, &b) in byte_at.iter().enumerate() {
        assert_eq!(cursor.to_char(b), Ok(CharIdx(c)));
    }
    assert_eq!(cursor.to_char(0), Ok(CharIdx(0)));
    assert!(cursor.to_char(text.len() + 1).is_err());

    // Tokens: sorted, non-empty, inside the text, and each maps to itself.
    let tokens = tokenize(&text);
    let mut previous_end = CharIdx(0);
    for (i, token) in tokens.iter().enumerate() {
        assert!(token.start < token.end && token.end.0 <= n, "token {i}: {token:?}");
        assert!(token.start >= previous_end, "tokens overlap at {i}");
        previous_end = token.end;
        let found = char_range_to_tokens(&tokens, token.range());
        assert!(found.is_some_and(|t| t.first == i && t.last == i && t.aligned), "token {i}: {found:?}");
        assert_eq!(tokens_to_char_range(&tokens, i, i), Some(token.range()));
    }
    if !tokens.is_empty() {
        let last = tokens.len() - 1;
        assert_eq!(tokens_to_char_range(&tokens, last, 0).is_none(), last > 0);
        assert_eq!(tokens_to_char_range(&tokens, 0, last + 1), None);
    }
});
