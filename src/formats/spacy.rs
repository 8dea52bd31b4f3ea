//! spaCy JSONL: `{"text", "title", "tokens", "spans": [{start, end, label, text}], "relations", "meta"}` in
//! code points, ready for `Doc.char_span(start, end, label, alignment_mode="strict")` into a span group
//! (`doc.spans["sc"]`, where overlaps are allowed). `tokens` are factmark's own tokens, so a `Doc` built from
//! them (`Doc(vocab, words, spaces)`) has a token edge at every span edge of a word-snapped project.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::import::{BadLines, ImportedDoc, ImportedRelation, ImportedSpan, json_rows};
use super::{ExportDoc, Format, FormatError, JsonLines, OutputFile, text_bytes};
use crate::model::CharIdx;

/// A token as spaCy and Prodigy write it.
#[derive(Serialize)]
pub(super) struct TokenJson<'a> {
    pub(super) text: &'a str,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) id: usize,
    pub(super) ws: bool,
}

/// The document's tokens as a JSON array of [`TokenJson`], rendered once per export and shared by the spaCy
/// and Prodigy rows (a million tokens are most of both files).
pub(super) fn tokens_json<'d>(d: &'d ExportDoc<'_>, format: Format) -> Result<&'d RawValue, FormatError> {
    let rendered = d.tokens_json.get_or_init(|| {
        let rows: Vec<TokenJson> = d
            .tokens()
            .iter()
            .enumerate()
            .map(|(id, t)| TokenJson { text: d.token_text(t), start: t.start.0, end: t.end.0, id, ws: t.ws })
            .collect();
        // `to_raw_value` wraps what it wrote without parsing it again.
        serde_json::value::to_raw_value(&rows).ok()
    });
    rendered.as_deref().ok_or_else(|| FormatError::write(format, "the tokens could not be written as JSON"))
}

#[derive(Serialize, Deserialize)]
struct SpanJson {
    start: usize,
    end: usize,
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct RelationJson {
    from: usize,
    to: usize,
    label: String,
}

#[derive(Serialize)]
struct Meta<'a> {
    title: &'a str,
    doc_id: &'a str,
}

#[derive(Serialize)]
struct Row<'a> {
    text: &'a str,
    title: &'a str,
    tokens: &'a RawValue,
    spans: Vec<SpanJson>,
    relations: Vec<RelationJson>,
    meta: Meta<'a>,
}

/// One line per document. Relations refer to spans by their index in `spans`.
pub fn export(docs: &[ExportDoc<'_>], out: &Path) -> Result<Vec<OutputFile>, FormatError> {
    // Token records dominate: about 13 bytes of JSON per byte of text.
    let mut lines = JsonLines::new(Format::Spacy, text_bytes(docs) * 14);
    for d in docs {
        lines.push(&Row {
            text: &d.doc.text,
            title: &d.doc.title,
            tokens: tokens_json(d, Format::Spacy)?,
            spans: d
                .spans
                .iter()
                .map(|s| SpanJson {
                    start: s.start.0,
                    end: s.end.0,
                    label: s.label.clone(),
                    text: Some(d.text_of(s).to_string()),
                })
                .collect(),
            relations: d
                .relations
                .iter()
                .filter_map(|r| {
                    Some(RelationJson { from: d.index_of(r.from)?, to: d.index_of(r.to)?, label: r.kind.clone() })
                })
                .collect(),
            meta: Meta { title: &d.doc.title, doc_id: d.doc.id.as_str() },
        })?;
    }
    Ok(vec![OutputFile { path: out.to_path_buf(), bytes: lines.finish() }])
}

#[derive(Deserialize)]
struct InRow {
    text: String,
    #[serde(default)]
    spans: Vec<SpanJson>,
    #[serde(default)]
    relations: Vec<RelationJson>,
}

/// Reads the spaCy JSONL written by [`export`] (tokens are ignored: offsets are chars). A line it cannot
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
