//! Claims for verification, shaped like AVeriTeC's claim records: a JSON array with one record per claim
//! span — its text, verdict, justification (the span's note), evidence, speaker (the Source attributed to
//! it), the article's date and URL — plus the document id and code-point offsets that trace the record
//! back to the span. One record per line inside the array, so the file diffs and greps line by line.

use std::path::Path;

use serde::Serialize;

use super::shared_tasks::{Claims, TaskMapping, speaker_of};
use super::{Destination, ExportDoc, ExportSummary, FileOut, Format, FormatError, OutputFile};
use crate::model::Span;

/// The attribute holding a claim's verdict (the sample schema's Claim `verdict`).
const VERDICT: &str = "verdict";
/// The attribute holding a claim's evidence URL.
const EVIDENCE: &str = "evidence";

#[derive(Serialize)]
struct Record<'a> {
    claim: &'a str,
    label: Option<String>,
    justification: Option<&'a str>,
    evidence: Option<String>,
    speaker: Option<String>,
    claim_date: Option<&'a str>,
    original_claim_url: Option<&'a str>,
    doc: &'a str,
    start: usize,
    end: usize,
}

/// `Some(text)` unless it is empty: an absent fact is `null`, as AVeriTeC writes it.
fn present(text: &str) -> Option<&str> {
    if text.is_empty() { None } else { Some(text) }
}

fn record<'a>(d: &ExportDoc<'a>, span: &'a Span) -> Record<'a> {
    let meta = &d.doc.meta;
    Record {
        claim: d.text_of(span),
        label: span.attributes.get(VERDICT).map(ToString::to_string),
        justification: present(&span.note),
        evidence: span.attributes.get(EVIDENCE).map(ToString::to_string),
        speaker: speaker_of(d, span),
        claim_date: present(&meta.date),
        original_claim_url: present(&meta.url),
        doc: d.doc.id.as_str(),
        start: span.start.0,
        end: span.end.0,
    }
}

/// The claims file at `out`.
pub(super) fn export(
    docs: &[ExportDoc<'_>],
    mapping: &TaskMapping,
    out: &Path,
    dest: &dyn Destination,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    let claims = Claims::new(docs, mapping);
    let count = docs.iter().flat_map(|d| &d.spans).filter(|s| claims.is_claim(s)).count();
    // A claim's text (about 150 bytes in news articles) plus about 200 of names, offsets and metadata.
    let mut file = FileOut::open(dest, out.to_path_buf(), count * 350 + 4)?;
    file.buf().push(b'[');
    let mut first = true;
    for d in docs {
        for span in d.spans.iter().copied().filter(|s| claims.is_claim(s)) {
            let buf = file.buf();
            buf.extend_from_slice(if first { b"\n" } else { b",\n" });
            first = false;
            serde_json::to_writer(&mut *buf, &record(d, span)).map_err(|e| FormatError::write(Format::Claims, e))?;
            file.row_done()?;
        }
    }
    file.buf().extend_from_slice(b"\n]\n");
    summary.drop(
        summary.spans.saturating_sub(count),
        format!("spans not labelled {} (one record per claim)", mapping.claim_label),
    );
    summary.spans = count;
    summary.drop(summary.relations, "relations (a claim's attributed Source is written as its speaker)");
    summary.relations = 0;
    Ok(vec![file.finish()?])
}
