//! The token stream spaCy (and so Prodigy, whose tokens come from spaCy) would make of a document:
//! factmark's tokens, each followed by one space or none (`ws`), plus a token of its own for any
//! whitespace one trailing space cannot express — a line break, a second space, a non-breaking space,
//! leading whitespace. Words and `ws` flags then rebuild the text exactly:
//! `Doc(vocab, words=[t.text…], spaces=[t.ws…]).text == text`. The spaCy and Prodigy exports share it, so
//! both give the same tokens for the same document.

use crate::model::CharIdx;
use crate::text::tokens::Token;

/// The spaCy token stream of `text` (of `char_len` chars) from factmark's `tokens` of it. Whitespace
/// tokens are [`Token`]s too, so the offset helpers that take tokens work on the stream.
pub fn spacy_tokens(text: &str, tokens: &[Token], char_len: usize) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len() + tokens.len() / 8 + 1);
    // The gap between the previous token (or the start) and the next one (or the end), in bytes and chars.
    let gap = |out: &mut Vec<Token>, (mut b, mut c): (usize, usize), (to_b, to_c): (usize, usize)| {
        if let Some(last) = out.last_mut()
            && b < to_b
            && text.as_bytes().get(b) == Some(&b' ')
        {
            // One plain space after a token is that token's `ws`, as spaCy writes it.
            last.ws = true;
            b += 1;
            c += 1;
        }
        if b < to_b {
            out.push(Token { start: CharIdx(c), end: CharIdx(to_c), ws: false, bytes: (b, to_b) });
        }
    };
    let mut at = (0, 0);
    for token in tokens {
        gap(&mut out, at, (token.bytes.0, token.start.0));
        out.push(Token { ws: false, ..*token });
        at = (token.bytes.1, token.end.0);
    }
    gap(&mut out, at, (text.len(), char_len));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokens::tokenize;

    fn rebuilt(text: &str) -> (String, Vec<Token>) {
        let stream = spacy_tokens(text, &tokenize(text), text.chars().count());
        let mut out = String::new();
        for t in &stream {
            out.push_str(t.text(text));
            if t.ws {
                out.push(' ');
            }
        }
        (out, stream)
    }

    #[test]
    fn words_and_spaces_rebuild_the_text_with_whitespace_tokens_where_one_space_cannot_say_it() {
        for text in [
            "Plain words here.",
            "  Leading spaces, a  double space\tand a tab.",
            "A “quote” — and\n\nA new paragraph.\n",
            "Non\u{a0}breaking and thin\u{202f}spaces, emoji 😡 too ",
            "",
            "\n\n",
        ] {
            let (again, stream) = rebuilt(text);
            assert_eq!(again, text);
            let chars: Vec<char> = text.chars().collect();
            for t in &stream {
                let by_chars: String = chars[t.start.0..t.end.0].iter().collect();
                assert_eq!(by_chars, t.text(text), "char and byte offsets agree");
                assert!(!t.text(text).is_empty());
            }
        }
        let (_, stream) = rebuilt("a\n\nb");
        let words: Vec<(&str, bool)> = stream.iter().map(|t| (t.text("a\n\nb"), t.ws)).collect();
        assert_eq!(words, [("a", false), ("\n\n", false), ("b", false)]);
        let (_, stream) = rebuilt("a  b");
        let words: Vec<(&str, bool)> = stream.iter().map(|t| (t.text("a  b"), t.ws)).collect();
        assert_eq!(words, [("a", true), (" ", false), ("b", false)], "spaCy's own split of a double space");
    }
}
