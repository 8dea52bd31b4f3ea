//! spaCy JSONL: `{"text", "title", "words", "spaces", "spans": [{start, end, label, text}], "relations",
//! "meta"}` in code points, ready for `Doc.char_span(start, end, label, alignment_mode="strict")` into a span
//! group (`doc.spans["sc"]`, where overlaps are allowed). `words` and `spaces` are factmark's own tokens in
//! the shape `Doc(vocab, words=…, spaces=…)` takes, so that `Doc` has exactly the document's text and a token
//! edge at every span edge of a word-snapped project.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::annotation_import::{BadLines, ImportedDoc, ImportedRelation, ImportedSpan, json_rows};
use super::json_write::push_str;
use super::{Destination, ExportDoc, Format, FormatError, JsonLines, OutputFile, text_bytes};
use crate::model::CharIdx;

/// `words` and `spaces` for `Doc(vocab, words=…, spaces=…)`: the document's spaCy token stream (factmark's
/// tokens plus whitespace words where one trailing space cannot say what lies between them, spaCy's own
/// convention), so that the `Doc`'s text is the document's text exactly and every char offset means the
/// same in both. Prodigy's tokens are the same stream.
fn words_and_spaces<'a>(d: &ExportDoc<'a>) -> (Vec<&'a str>, Vec<bool>) {
    let stream = d.spacy_tokens();
    (stream.iter().map(|t| d.token_text(t)).collect(), stream.iter().map(|t| t.ws).collect())
}

/// A span as written, borrowed from the project.
#[derive(Serialize)]
struct SpanJson<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct RelationJson<'a> {
    from: usize,
    to: usize,
    label: &'a str,
}

/// A span as read: the text is optional there.
#[derive(Deserialize)]
struct InSpan {
    start: usize,
    end: usize,
    label: String,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct InRelation {
    from: usize,
    to: usize,
    label: String,
}

#[derive(Serialize)]
struct Meta<'a> {
    title: &'a str,
    doc_id: &'a str,
}

/// The fields of a row after `text`, `title`, `words` and `spaces`, which are written by hand (a million
/// words through serde cost more than the rest of the file).
#[derive(Serialize)]
struct RowRest<'a> {
    spans: Vec<SpanJson<'a>>,
    relations: Vec<RelationJson<'a>>,
    meta: Meta<'a>,
}

/// Appends `{"text":…,"title":…,"words":[…],"spaces":[…]` for one document.
fn write_head(line: &mut Vec<u8>, d: &ExportDoc<'_>) -> Result<(), FormatError> {
    let (words, spaces) = words_and_spaces(d);
    line.extend_from_slice(b"{\"text\":");
    line.extend_from_slice(d.json_text()?.get().as_bytes());
    line.extend_from_slice(b",\"title\":");
    push_str(line, &d.doc.title, Format::Spacy)?;
    line.extend_from_slice(b",\"words\":[");
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        push_str(line, word, Format::Spacy)?;
    }
    line.extend_from_slice(b"],\"spaces\":[");
    for (i, &space) in spaces.iter().enumerate() {
        if i > 0 {
            line.push(b',');
        }
        line.extend_from_slice(if space { b"true" } else { b"false" });
    }
    line.push(b']');
    Ok(())
}

/// One line per document. Relations refer to spans by their index in `spans`.
pub fn export(docs: &[ExportDoc<'_>], out: &Path, dest: &dyn Destination) -> Result<Vec<OutputFile>, FormatError> {
    // The text twice (as text and as words) plus spans: about three bytes of JSON per byte of text.
    let mut lines = JsonLines::open(Format::Spacy, dest, out.to_path_buf(), text_bytes(docs) * 3)?;
    for d in docs {
        let rest = RowRest {
            spans: d
                .spans
                .iter()
                .map(|s| SpanJson { start: s.start.0, end: s.end.0, label: &s.label, text: d.text_of(s) })
                .collect(),
            relations: d
                .relations
                .iter()
                .filter_map(|r| Some(RelationJson { from: d.index_of(r.from)?, to: d.index_of(r.to)?, label: &r.kind }))
                .collect(),
            meta: Meta { title: &d.doc.title, doc_id: d.doc.id.as_str() },
        };
        let line = lines.raw();
        write_head(line, d)?;
        // The rest is an object of its own: its opening brace becomes the comma after `spaces`.
        let brace = line.len();
        serde_json::to_writer(&mut *line, &rest).map_err(|e| FormatError::write(Format::Spacy, e))?;
        if let Some(b) = line.get_mut(brace) {
            *b = b',';
        }
        lines.end_line()?;
    }
    Ok(vec![lines.finish()?])
}

#[derive(Deserialize)]
struct InRow {
    text: String,
    #[serde(default)]
    spans: Vec<InSpan>,
    #[serde(default)]
    relations: Vec<InRelation>,
}

/// Reads the spaCy JSONL written by [`export`] (words and spaces are ignored: offsets are chars). A line it cannot
/// read is an error, or goes to `bad_lines` when given.
pub fn parse(path: &Path, content: &str, bad_lines: BadLines<'_>) -> Result<Vec<ImportedDoc>, FormatError> {
    json_rows(path, content, bad_lines, |line, value| {
        let row: InRow = serde_json::from_value(value).map_err(|e| FormatError::at(path, line, e.to_string()))?;
        let spans = row
            .spans
            .into_iter()
            .map(|s| {
                let mut span = ImportedSpan::new(line, CharIdx(s.start)..CharIdx(s.end), &s.label);
                span.text = s.text;
                span
            })
            .collect();
        let relations = row
            .relations
            .into_iter()
            .map(|r| ImportedRelation { line, from: r.from, to: r.to, kind: r.label })
            .collect();
        Ok(Some(ImportedDoc { path: path.to_path_buf(), line, text: row.text, spans, relations }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Document};

    /// What spaCy's `Doc(vocab, words, spaces)` makes of them: each word, then a space where `spaces` says.
    fn doc_text(words: &[&str], spaces: &[bool]) -> String {
        words.iter().zip(spaces).map(|(w, &s)| if s { format!("{w} ") } else { w.to_string() }).collect()
    }

    #[test]
    fn words_and_spaces_give_back_the_text_exactly() {
        for text in [
            "Ann said “no”—twice.",
            "  Leading spaces, double  spaces and a trailing one ",
            "Line one.\n\nLine two 😡 here.\n",
            "\n",
            "",
            "a \n b",
        ] {
            let doc = Document::new(DocId("d".into()), "t", text);
            let d = ExportDoc::all(&doc);
            let (words, spaces) = words_and_spaces(&d);
            assert_eq!(words.len(), spaces.len());
            assert_eq!(doc_text(&words, &spaces), text, "{text:?}");
            assert!(words.iter().all(|w| !w.is_empty()), "{text:?}: spaCy refuses empty words");
        }
        let doc = Document::new(DocId("d".into()), "t", "Ann said “no”.");
        let (words, spaces) = words_and_spaces(&ExportDoc::all(&doc));
        assert_eq!(words, ["Ann", "said", "“", "no", "”", "."]);
        assert_eq!(spaces, [true, true, false, false, false, false]);
    }
}
