//! Prodigy JSONL: `tokens` ({text, start, end, id, ws}: spaCy's token stream, the same as the spaCy
//! export's words, so line breaks and other whitespace that one trailing space cannot express are tokens of
//! their own and `ws` is true only for a single following space), `spans` ({start, end, token_start, token_end,
//! label}; char `end` exclusive, `token_end` inclusive) and `relations` ({head, child, head_span,
//! child_span, label}, where head and child are the last token of each span), as Prodigy's `rel.manual`
//! writes them.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::annotation_import::{BadLines, ImportedDoc, ImportedRelation, ImportedSpan, json_rows};
use super::json_write::{push_number, push_str};
use super::{Destination, ExportDoc, ExportSummary, Format, FormatError, JsonLines, OutputFile, text_bytes};
use crate::model::CharIdx;
use crate::text::offsets::char_range_to_tokens;

/// A span as written; borrowed, so 50,000 spans are not 100,000 copied strings.
#[derive(Clone, Copy, Serialize)]
struct SpanJson<'a> {
    start: usize,
    end: usize,
    token_start: usize,
    token_end: usize,
    label: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

#[derive(Serialize)]
struct RelationJson<'a> {
    head: usize,
    child: usize,
    head_span: SpanJson<'a>,
    child_span: SpanJson<'a>,
    label: &'a str,
}

#[derive(Serialize)]
struct Meta<'a> {
    title: &'a str,
    doc_id: &'a str,
}

/// Appends the document's tokens as Prodigy's `tokens` array: `[{"text":…,"start":…,"end":…,"id":…,"ws":…}]`,
/// byte for byte what serde_json writes for those records. Written by hand because a million token records
/// were most of the export's time, spent in serde's per-field machinery rather than in the bytes.
fn write_tokens(out: &mut Vec<u8>, d: &ExportDoc<'_>) -> Result<(), FormatError> {
    out.push(b'[');
    for (id, token) in d.spacy_tokens().iter().enumerate() {
        if id > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"text\":");
        push_str(out, d.token_text(token), Format::Prodigy)?;
        out.extend_from_slice(b",\"start\":");
        push_number(out, token.start.0);
        out.extend_from_slice(b",\"end\":");
        push_number(out, token.end.0);
        out.extend_from_slice(b",\"id\":");
        push_number(out, id);
        out.extend_from_slice(if token.ws { b",\"ws\":true}" } else { b",\"ws\":false}" });
    }
    out.push(b']');
    Ok(())
}

/// The fields of a row after `text` and `tokens`, in Prodigy's order.
#[derive(Serialize)]
struct RowRest<'a> {
    spans: Vec<SpanJson<'a>>,
    relations: Vec<RelationJson<'a>>,
    meta: Meta<'a>,
    #[serde(rename = "_view_id")]
    view_id: &'static str,
    answer: &'static str,
}

/// One line per document. Spans that touch no token (only whitespace) cannot be written and are dropped.
pub fn export(
    docs: &[ExportDoc<'_>],
    out: &Path,
    dest: &dyn Destination,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    let (mut untokened, mut lost_relations) = (0, 0);
    // Token records dominate: about 13 bytes of JSON per byte of text.
    let mut lines = JsonLines::open(Format::Prodigy, dest, out.to_path_buf(), text_bytes(docs) * 14)?;
    for d in docs {
        let tokens = d.tokens();
        // Where each of factmark's tokens sits in the written stream, which also has whitespace tokens.
        let mut in_stream = Vec::with_capacity(tokens.len());
        for (k, t) in d.spacy_tokens().iter().enumerate() {
            if tokens.get(in_stream.len()).is_some_and(|own| own.bytes == t.bytes) {
                in_stream.push(k);
            }
        }
        let at = |i: usize| in_stream.get(i).copied().unwrap_or(i);
        // Indexed like `d.spans`, so relations can find their ends.
        let spans: Vec<Option<SpanJson>> = d
            .spans
            .iter()
            .map(|s| {
                let Some(t) = char_range_to_tokens(tokens, s.range()) else {
                    untokened += 1;
                    return None;
                };
                Some(SpanJson {
                    start: s.start.0,
                    end: s.end.0,
                    token_start: at(t.first),
                    token_end: at(t.last),
                    label: &s.label,
                    text: Some(d.text_of(s)),
                })
            })
            .collect();
        let mut relations = Vec::with_capacity(d.relations.len());
        for r in &d.relations {
            let end = |id| d.index_of(id).and_then(|i| spans.get(i).copied().flatten());
            let (Some(mut head_span), Some(mut child_span)) = (end(r.from), end(r.to)) else {
                lost_relations += 1;
                continue;
            };
            head_span.text = None;
            child_span.text = None;
            relations.push(RelationJson {
                head: head_span.token_end,
                child: child_span.token_end,
                head_span,
                child_span,
                label: &r.kind,
            });
        }
        let rest = RowRest {
            spans: spans.into_iter().flatten().collect(),
            relations,
            meta: Meta { title: &d.doc.title, doc_id: d.doc.id.as_str() },
            view_id: "relations",
            answer: "accept",
        };
        // `{"text":…,"tokens":[…],` then the rest of the record without its opening brace.
        let line = lines.raw();
        line.extend_from_slice(b"{\"text\":");
        line.extend_from_slice(d.json_text()?.get().as_bytes());
        line.extend_from_slice(b",\"tokens\":");
        write_tokens(line, d)?;
        // The rest is an object of its own: its opening brace becomes the comma after `tokens`.
        let brace = line.len();
        serde_json::to_writer(&mut *line, &rest).map_err(|e| FormatError::write(Format::Prodigy, e))?;
        if let Some(b) = line.get_mut(brace) {
            *b = b',';
        }
        lines.end_line()?;
    }
    summary.drop(untokened, "spans covering only whitespace (no token to point at)");
    summary.drop(lost_relations, "relations whose span was dropped");
    summary.spans -= untokened;
    summary.relations -= lost_relations;
    Ok(vec![lines.finish()?])
}

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
    head_span: InSpan,
    child_span: InSpan,
    label: String,
}

#[derive(Deserialize)]
struct InRow {
    text: String,
    #[serde(default)]
    spans: Vec<InSpan>,
    #[serde(default)]
    relations: Vec<InRelation>,
    #[serde(default)]
    answer: Option<String>,
}

/// Reads Prodigy JSONL. Offsets are chars; relations find their spans by start, end and label (a relation
/// span not listed in `spans` is added too). Rejected and ignored answers are skipped. A line it cannot
/// read is an error, or goes to `bad_lines` when given.
pub fn parse(path: &Path, content: &str, bad_lines: BadLines<'_>) -> Result<Vec<ImportedDoc>, FormatError> {
    json_rows(path, content, bad_lines, |line, value| {
        let row: InRow = serde_json::from_value(value).map_err(|e| FormatError::at(path, line, e.to_string()))?;
        if row.answer.as_deref().is_some_and(|a| a != "accept") {
            return Ok(None);
        }
        let mut spans: Vec<ImportedSpan> = Vec::with_capacity(row.spans.len());
        // Spans by (start, end, label), so a line with a huge number of spans is read in linear time.
        let mut index: HashMap<(usize, usize, String), usize> = HashMap::with_capacity(row.spans.len());
        let mut find_or_add = |s: &InSpan, spans: &mut Vec<ImportedSpan>| {
            let key = (s.start, s.end, s.label.clone());
            if let Some(&i) = index.get(&key) {
                return i;
            }
            let mut span = ImportedSpan::new(line, CharIdx(s.start)..CharIdx(s.end), &s.label);
            span.text = s.text.clone();
            spans.push(span);
            index.insert(key, spans.len() - 1);
            spans.len() - 1
        };
        for s in &row.spans {
            find_or_add(s, &mut spans);
        }
        let mut relations = Vec::with_capacity(row.relations.len());
        for r in &row.relations {
            let from = find_or_add(&r.head_span, &mut spans);
            let to = find_or_add(&r.child_span, &mut spans);
            relations.push(ImportedRelation { line, from, to, kind: r.label.clone() });
        }
        Ok(Some(ImportedDoc { path: path.to_path_buf(), line, text: row.text, spans, relations }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Document};

    /// The same records through serde_json, as the export wrote them before.
    #[derive(Serialize)]
    struct TokenJson<'a> {
        text: &'a str,
        start: usize,
        end: usize,
        id: usize,
        ws: bool,
    }

    #[test]
    fn hand_written_tokens_are_what_serde_json_writes() {
        let text = "He said \"no\" \\ twice\u{1}—“fine” 😡 at 10,000 tabs\there 123456789012.";
        let doc = Document::new(DocId("d".into()), "t", text);
        let d = ExportDoc::all(&doc);
        let mut ours = Vec::new();
        write_tokens(&mut ours, &d).expect("written");
        let records: Vec<TokenJson> = d
            .spacy_tokens()
            .iter()
            .enumerate()
            .map(|(id, t)| TokenJson { text: d.token_text(t), start: t.start.0, end: t.end.0, id, ws: t.ws })
            .collect();
        assert!(records.iter().any(|r| r.text.contains('"')) && records.iter().any(|r| r.text.contains('\\')));
        assert!(records.iter().any(|r| r.text == "\t"), "the tab is a token of its own, as in spaCy");
        assert_eq!(String::from_utf8(ours).expect("UTF-8"), serde_json::to_string(&records).expect("json"));
    }
}
