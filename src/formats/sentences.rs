//! One row per sentence, the dataset for sentence-level fact-vs-opinion classifiers: document, index, char
//! range, text, and labels derived from the spans. A sentence is `subjective` when an Opinion span overlaps
//! it (the opinion lies inside it, covers it, or crosses its edge); `has_claim` and `has_source` likewise for
//! Claim and Source spans. JSONL, or CSV when the output file ends in `.csv`.

use std::path::Path;

use serde::Serialize;

use super::{ExportDoc, ExportSummary, Format, FormatError, OutputFile, jsonl};
use crate::text::tokens::sentences;

#[derive(Serialize)]
struct Row<'a> {
    doc: &'a str,
    sentence: usize,
    start: usize,
    end: usize,
    text: &'a str,
    subjective: bool,
    has_claim: bool,
    has_source: bool,
}

fn rows<'a>(docs: &'a [ExportDoc<'a>]) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    for d in docs {
        for (i, range) in sentences(&d.doc.text).into_iter().enumerate() {
            let overlaps = |label: &str| {
                d.spans
                    .iter()
                    .any(|s| s.label.eq_ignore_ascii_case(label) && s.start < range.end && s.end > range.start)
            };
            out.push(Row {
                doc: d.doc.id.as_str(),
                sentence: i,
                start: range.start.0,
                end: range.end.0,
                text: d.map.slice(range.clone()).unwrap_or_default(),
                subjective: overlaps("Opinion"),
                has_claim: overlaps("Claim"),
                has_source: overlaps("Source"),
            });
        }
    }
    out
}

/// The sentence table at `out`.
pub fn export(docs: &[ExportDoc<'_>], out: &Path, summary: &mut ExportSummary) -> Result<Vec<OutputFile>, FormatError> {
    let rows = rows(docs);
    let csv = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let bytes = if csv {
        let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new());
        for row in &rows {
            w.serialize(row).map_err(|e| FormatError::write(Format::Sentences, e))?;
        }
        w.into_inner().map_err(|e| FormatError::write(Format::Sentences, e.error()))?
    } else {
        jsonl(Format::Sentences, &rows)?
    };
    summary.warn(rows.len(), "sentences written (spans become sentence labels)");
    summary.drop(summary.relations, "relations (sentence rows have none)");
    summary.relations = 0;
    Ok(vec![OutputFile { path: out.to_path_buf(), bytes }])
}
