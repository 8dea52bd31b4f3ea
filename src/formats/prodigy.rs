//! Prodigy JSONL: `tokens` ({text, start, end, id, ws}), `spans` ({start, end, token_start, token_end,
//! label}; char `end` exclusive, `token_end` inclusive) and `relations` ({head, child, head_span,
//! child_span, label}, where head and child are the last token of each span), as Prodigy's `rel.manual`
//! writes them.

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::import::{BadLines, ImportedDoc, ImportedRelation, ImportedSpan, json_rows};
use super::{ExportDoc, ExportSummary, Format, FormatError, JsonLines, OutputFile, text_bytes};
use crate::model::CharIdx;
use crate::text::offsets::char_range_to_tokens;

#[derive(Clone, Serialize, Deserialize)]
struct SpanJson {
    start: usize,
    end: usize,
    token_start: usize,
    token_end: usize,
    label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    text: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct RelationJson {
    head: usize,
    child: usize,
    head_span: SpanJson,
    child_span: SpanJson,
    label: String,
}

#[derive(Serialize)]
struct Meta<'a> {
    title: &'a str,
    doc_id: &'a str,
}

/// A token as Prodigy writes it.
#[derive(Serialize)]
struct TokenJson<'a> {
    text: &'a str,
    start: usize,
    end: usize,
    id: usize,
    ws: bool,
}

/// The document's tokens as Prodigy rows.
fn token_rows<'a>(d: &ExportDoc<'a>) -> Vec<TokenJson<'a>> {
    d.tokens()
        .iter()
        .enumerate()
        .map(|(id, t)| TokenJson { text: d.token_text(t), start: t.start.0, end: t.end.0, id, ws: t.ws })
        .collect()
}

#[derive(Serialize)]
struct Row<'a> {
    text: &'a str,
    tokens: Vec<TokenJson<'a>>,
    spans: Vec<SpanJson>,
    relations: Vec<RelationJson>,
    meta: Meta<'a>,
    #[serde(rename = "_view_id")]
    view_id: &'static str,
    answer: &'static str,
}

/// One line per document. Spans that touch no token (only whitespace) cannot be written and are dropped.
pub fn export(docs: &[ExportDoc<'_>], out: &Path, summary: &mut ExportSummary) -> Result<Vec<OutputFile>, FormatError> {
    let (mut misaligned, mut untokened, mut lost_relations) = (0, 0, 0);
    // Token records dominate: about 13 bytes of JSON per byte of text.
    let mut lines = JsonLines::new(Format::Prodigy, text_bytes(docs) * 14);
    for d in docs {
        let tokens = d.tokens();
        // Indexed like `d.spans`, so relations can find their ends.
        let spans: Vec<Option<SpanJson>> = d
            .spans
            .iter()
            .map(|s| {
                let Some(t) = char_range_to_tokens(tokens, s.range()) else {
                    untokened += 1;
                    return None;
                };
                if !t.aligned {
                    misaligned += 1;
                }
                Some(SpanJson {
                    start: s.start.0,
                    end: s.end.0,
                    token_start: t.first,
                    token_end: t.last,
                    label: s.label.clone(),
                    text: Some(d.text_of(s).to_string()),
                })
            })
            .collect();
        let mut relations = Vec::with_capacity(d.relations.len());
        for r in &d.relations {
            let end = |id| d.index_of(id).and_then(|i| spans.get(i).cloned().flatten());
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
                label: r.kind.clone(),
            });
        }
        lines.push(&Row {
            text: &d.doc.text,
            tokens: token_rows(d),
            spans: spans.into_iter().flatten().collect(),
            relations,
            meta: Meta { title: &d.doc.title, doc_id: d.doc.id.as_str() },
            view_id: "relations",
            answer: "accept",
        })?;
    }
    summary.drop(untokened, "spans covering only whitespace (no token to point at)");
    summary.drop(lost_relations, "relations whose span was dropped");
    summary.spans -= untokened;
    summary.relations -= lost_relations;
    summary.warn(misaligned, "spans do not start or end on a token edge (token_start/token_end cover them)");
    Ok(vec![OutputFile { path: out.to_path_buf(), bytes: lines.finish() }])
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
