//! CSV tables in a folder: `spans.csv` (doc, span_id, label, start, end, text, annotator, note, review, then
//! one column per attribute the schema defines) and `relations.csv` (doc, head_span_id, child_span_id,
//! label). Offsets are code points, `end` exclusive. Written with a real CSV writer (RFC 4180 quoting, CRLF
//! record ends), so commas, quotes and newlines in span text survive.

use std::fmt::Write as _;
use std::path::Path;

use super::{Destination, ExportDoc, FileOut, Format, FormatError, OutputFile};
use crate::model::Schema;

fn writer(file: FileOut) -> ::csv::Writer<FileOut> {
    ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(file)
}

fn finish(w: ::csv::Writer<FileOut>) -> Result<OutputFile, FormatError> {
    w.into_inner().map_err(|e| FormatError::write(Format::Csv, e.error()))?.finish()
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
pub fn export(
    schema: &Schema,
    docs: &[ExportDoc<'_>],
    out: &Path,
    dest: &dyn Destination,
) -> Result<Vec<OutputFile>, FormatError> {
    let err = |e: ::csv::Error| FormatError::write(Format::Csv, e);
    let attrs = attribute_columns(schema);
    // A row per span: its text (about 80 bytes in news articles) plus about 60 of ids, offsets and names.
    let span_count: usize = docs.iter().map(|d| d.spans.len()).sum();
    let mut spans = writer(FileOut::open(dest, out.join("spans.csv"), span_count * 140)?);
    let mut header = vec!["doc", "span_id", "label", "start", "end", "text", "annotator", "note", "review"];
    header.extend(&attrs);
    spans.write_record(&header).map_err(err)?;
    // Fields are written one at a time from borrowed text: a row of owned strings cost more than the CSV.
    let mut scratch = String::new();
    let mut shown = |w: &mut ::csv::Writer<FileOut>, value: &dyn std::fmt::Display| -> Result<(), FormatError> {
        scratch.clear();
        write!(scratch, "{value}").map_err(|e| FormatError::write(Format::Csv, e))?;
        w.write_field(&scratch).map_err(err)
    };
    for d in docs {
        for s in &d.spans {
            spans.write_field(d.doc.id.as_str()).map_err(err)?;
            shown(&mut spans, &s.id)?;
            spans.write_field(&s.label).map_err(err)?;
            shown(&mut spans, &s.start)?;
            shown(&mut spans, &s.end)?;
            for text in [d.text_of(s), &s.annotator, &s.note, s.review.as_str()] {
                spans.write_field(text).map_err(err)?;
            }
            for a in &attrs {
                match s.attributes.get(*a) {
                    Some(value) => shown(&mut spans, value)?,
                    None => spans.write_field("").map_err(err)?,
                }
            }
            spans.write_record(None::<&[u8]>).map_err(err)?;
        }
    }
    let relation_count: usize = docs.iter().map(|d| d.relations.len()).sum();
    let mut relations = writer(FileOut::open(dest, out.join("relations.csv"), relation_count * 40)?);
    relations.write_record(["doc", "head_span_id", "child_span_id", "label"]).map_err(err)?;
    for d in docs {
        for r in &d.relations {
            relations
                .write_record([d.doc.id.as_str(), &r.from.to_string(), &r.to.to_string(), &r.kind])
                .map_err(err)?;
        }
    }
    Ok(vec![finish(spans)?, finish(relations)?])
}
