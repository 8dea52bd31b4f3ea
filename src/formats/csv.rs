//! CSV tables in a folder: `spans.csv` (doc, span_id, label, start, end, text, annotator, note, review, then
//! one column per attribute the schema defines) and `relations.csv` (doc, head_span_id, child_span_id,
//! label). Offsets are code points, `end` exclusive. Written with a real CSV writer (RFC 4180 quoting, CRLF
//! record ends), so commas, quotes and newlines in span text survive.

use std::path::Path;

use super::{ExportDoc, Format, FormatError, OutputFile};
use crate::model::Schema;

fn writer() -> ::csv::Writer<Vec<u8>> {
    ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(Vec::new())
}

fn finish(w: ::csv::Writer<Vec<u8>>) -> Result<Vec<u8>, FormatError> {
    w.into_inner().map_err(|e| FormatError::write(Format::Csv, e.error()))
}

/// Attribute names of the schema, each once, in schema order.
fn attribute_columns(schema: &Schema) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for def in schema.labels.iter().flat_map(|l| &l.attributes) {
        if !names.contains(&def.name.as_str()) {
            names.push(&def.name);
        }
    }
    names
}

/// `spans.csv` and `relations.csv` inside the folder `out`.
pub fn export(schema: &Schema, docs: &[ExportDoc<'_>], out: &Path) -> Result<Vec<OutputFile>, FormatError> {
    let err = |e: ::csv::Error| FormatError::write(Format::Csv, e);
    let attrs = attribute_columns(schema);
    let mut spans = writer();
    let mut header = vec!["doc", "span_id", "label", "start", "end", "text", "annotator", "note", "review"];
    header.extend(&attrs);
    spans.write_record(&header).map_err(err)?;
    for d in docs {
        for s in &d.spans {
            let mut row = vec![
                d.doc.id.to_string(),
                s.id.to_string(),
                s.label.clone(),
                s.start.to_string(),
                s.end.to_string(),
                d.text_of(s).to_string(),
                s.annotator.clone(),
                s.note.clone(),
                s.review.as_str().to_string(),
            ];
            row.extend(attrs.iter().map(|a| s.attributes.get(*a).map(|v| v.to_string()).unwrap_or_default()));
            spans.write_record(&row).map_err(err)?;
        }
    }
    let mut relations = writer();
    relations.write_record(["doc", "head_span_id", "child_span_id", "label"]).map_err(err)?;
    for d in docs {
        for r in &d.relations {
            relations
                .write_record([d.doc.id.as_str(), &r.from.to_string(), &r.to.to_string(), &r.kind])
                .map_err(err)?;
        }
    }
    Ok(vec![
        OutputFile { path: out.join("spans.csv"), bytes: finish(spans)? },
        OutputFile { path: out.join("relations.csv"), bytes: finish(relations)? },
    ])
}
