//! One row per sentence, the dataset for sentence-level fact-vs-opinion classifiers: document, index, char
//! range, text, and labels derived from the spans. A sentence is `subjective` when an Opinion span overlaps
//! it (the opinion lies inside it, covers it, or crosses its edge); `has_claim` and `has_source` likewise for
//! Claim and Source spans. JSONL, or CSV when the output file ends in `.csv`.

use std::path::Path;

use std::ops::Range;

use serde::Serialize;

use super::{Destination, ExportDoc, ExportSummary, FileOut, Format, FormatError, JsonLines, OutputFile};
use crate::model::CharIdx;

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

/// Which sentences each label overlaps: for each span, binary-search the first sentence it reaches and walk
/// forward while they overlap, so the cost is O(spans · log sentences), not spans × sentences.
fn flags(d: &ExportDoc<'_>, ranges: &[Range<CharIdx>]) -> Vec<[bool; 3]> {
    let mut out = vec![[false; 3]; ranges.len()];
    for s in &d.spans {
        let slot = ["Opinion", "Claim", "Source"].iter().position(|l| s.label.eq_ignore_ascii_case(l));
        let Some(slot) = slot else { continue };
        let first = ranges.partition_point(|r| r.end <= s.start);
        for (i, r) in ranges.iter().enumerate().skip(first) {
            if r.start >= s.end {
                break;
            }
            out[i][slot] = true;
        }
    }
    out
}

fn rows<'a>(docs: &'a [ExportDoc<'a>]) -> Vec<Row<'a>> {
    let mut out = Vec::new();
    for d in docs {
        let ranges = d.sentences();
        let flags = flags(d, ranges);
        for (i, (range, [opinion, claim, source])) in ranges.iter().zip(flags).enumerate() {
            out.push(Row {
                doc: d.doc.id.as_str(),
                sentence: i,
                start: range.start.0,
                end: range.end.0,
                text: d.map.slice(range.clone()).unwrap_or_default(),
                subjective: opinion,
                has_claim: claim,
                has_source: source,
            });
        }
    }
    out
}

/// The sentence table at `out`.
pub fn export(
    docs: &[ExportDoc<'_>],
    out: &Path,
    dest: &dyn Destination,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    let rows = rows(docs);
    let csv = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    // Each sentence's text plus its offsets and three flags.
    let size_guess = rows.iter().map(|r| r.text.len() + 100).sum();
    let file = if csv {
        let file = FileOut::open(dest, out.to_path_buf(), size_guess)?;
        let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(file);
        if rows.is_empty() {
            // `serialize` writes the header with the first row; an empty table still gets its header.
            let header = ["doc", "sentence", "start", "end", "text", "subjective", "has_claim", "has_source"];
            w.write_record(header).map_err(|e| FormatError::write(Format::Sentences, e))?;
        }
        for row in &rows {
            w.serialize(row).map_err(|e| FormatError::write(Format::Sentences, e))?;
        }
        w.into_inner().map_err(|e| FormatError::write(Format::Sentences, e.error()))?.finish()?
    } else {
        let mut lines = JsonLines::open(Format::Sentences, dest, out.to_path_buf(), size_guess)?;
        for row in &rows {
            lines.push(row)?;
        }
        lines.finish()?
    };
    summary.warn(rows.len(), "sentences written (spans become sentence labels)");
    summary.drop(summary.relations, "relations (sentence rows have none)");
    summary.relations = 0;
    Ok(vec![file])
}
