//! The project file writer. It produces byte for byte what the `ron` crate's pretty printer produces for
//! [`ProjectFile`] with factmark's settings (depth limit 4, no struct names, unescaped strings), so files
//! written by older factmark versions do not change when re-saved, but writes the documents — nearly all of
//! the bytes — directly into one buffer. The generic serializer was the larger part of a save's time.
//!
//! The small header (name, id counters, schema, rules) still goes through `ron`, so the writer only
//! has to mirror the layout of documents, spans and relations; `tests/store_migrate.rs` compares the two
//! outputs on real and generated projects.

use std::fmt::Write as _;

use crate::model::{AttrValue, DocStatus, Document, Metadata, Project, ReviewState, Span};
use crate::text::offsets::OffsetMap;

/// factmark's pretty-printing settings: depth 4 puts each document field on its own line and each span,
/// relation and label on one line.
pub(crate) fn pretty_config() -> ron::ser::PrettyConfig {
    ron::ser::PrettyConfig::new().depth_limit(4).struct_names(false).escape_strings(false)
}

/// What the header serializes to when the document list is empty; the documents are spliced in here.
const EMPTY_DOCUMENTS: &str = "    documents: [],\n)";

/// The project as project-file text (without the final newline [`super::to_ron`] adds).
pub(crate) fn project_text(project: &Project) -> Result<String, ron::Error> {
    let header = super::file_with(project, Vec::new());
    let mut out = ron::ser::to_string_pretty(&header, pretty_config())?;
    if project.documents.is_empty() {
        return Ok(out);
    }
    let Some(head_len) = out.strip_suffix(EMPTY_DOCUMENTS).map(str::len) else {
        // The ron crate laid the header out differently than expected (a new ron version): let it write
        // everything rather than guess.
        return ron::ser::to_string_pretty(&super::to_file(project), pretty_config());
    };
    out.truncate(head_len);
    let estimate: usize = project.documents.iter().map(|d| d.text.len() * 2 + d.spans.len() * 160 + 512).sum();
    out.reserve(estimate);
    out.push_str("    documents: [\n");
    for doc in &project.documents {
        document(&mut out, doc);
    }
    out.push_str("    ],\n)");
    Ok(out)
}

/// Writes a string as the `ron` crate does without escaping: verbatim in quotes, or as a raw string
/// `r#"…"#` (with one more `#` than the longest run of `#` inside) when it contains a quote or backslash.
fn string(out: &mut String, value: &str) {
    if value.contains(['"', '\\']) {
        let (mut run, mut longest) = (0usize, 0usize);
        for b in value.bytes() {
            run = if b == b'#' { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        out.push('r');
        push_hashes(out, longest + 1);
        out.push('"');
        out.push_str(value);
        out.push('"');
        push_hashes(out, longest + 1);
    } else {
        out.push('"');
        out.push_str(value);
        out.push('"');
    }
}

fn push_hashes(out: &mut String, count: usize) {
    for _ in 0..count {
        out.push('#');
    }
}

/// A field on its own line at `indent` levels (4 spaces each): `name: `, then the caller writes the value.
fn field(out: &mut String, indent: usize, name: &str) {
    for _ in 0..indent {
        out.push_str("    ");
    }
    out.push_str(name);
    out.push_str(": ");
}

fn string_field(out: &mut String, indent: usize, name: &str, value: &str) {
    field(out, indent, name);
    string(out, value);
    out.push_str(",\n");
}

fn status_name(status: DocStatus) -> &'static str {
    match status {
        DocStatus::Todo => "Todo",
        DocStatus::InProgress => "InProgress",
        DocStatus::NeedsReview => "NeedsReview",
        DocStatus::Done => "Done",
    }
}

fn review_name(review: ReviewState) -> &'static str {
    match review {
        ReviewState::Unreviewed => "Unreviewed",
        ReviewState::Accepted => "Accepted",
        ReviewState::Rejected => "Rejected",
    }
}

fn meta(out: &mut String, meta: &Metadata) {
    field(out, 3, "meta");
    out.push_str("(\n");
    for (name, value) in [
        ("author", &meta.author),
        ("date", &meta.date),
        ("publication", &meta.publication),
        ("url", &meta.url),
        ("source_file", &meta.source_file),
    ] {
        if !value.is_empty() {
            string_field(out, 4, name, value);
        }
    }
    out.push_str("            ),\n");
}

fn document(out: &mut String, doc: &Document) {
    out.push_str("        (\n");
    string_field(out, 3, "id", doc.id.as_str());
    string_field(out, 3, "title", &doc.title);
    if doc.meta != Metadata::default() {
        meta(out, &doc.meta);
    }
    field(out, 3, "status");
    out.push_str(status_name(doc.status));
    out.push_str(",\n");
    if !doc.doc_labels.is_empty() {
        field(out, 3, "doc_labels");
        out.push_str("{\n");
        for (key, value) in &doc.doc_labels {
            out.push_str("                ");
            string(out, key);
            out.push_str(": ");
            string(out, value);
            out.push_str(",\n");
        }
        out.push_str("            },\n");
    }
    if !doc.note.is_empty() {
        string_field(out, 3, "note", &doc.note);
    }
    string_field(out, 3, "text", &doc.text);
    field(out, 3, "spans");
    if doc.spans.is_empty() {
        out.push_str("[],\n");
    } else {
        out.push_str("[\n");
        let map = OffsetMap::new(&doc.text);
        for span in &doc.spans {
            out.push_str("                ");
            span_line(out, span, &map);
            out.push_str(",\n");
        }
        out.push_str("            ],\n");
    }
    field(out, 3, "relations");
    if doc.relations.is_empty() {
        out.push_str("[],\n");
    } else {
        out.push_str("[\n");
        for rel in &doc.relations {
            // Writing into a String cannot fail.
            let _ = write!(out, "                (id: {}, from: {}, to: {}, type: ", rel.id, rel.from, rel.to);
            string(out, &rel.kind);
            out.push_str("),\n");
        }
        out.push_str("            ],\n");
    }
    if !doc.conflicts.is_empty() {
        // Left out when empty, so files without conflicts stay as older versions wrote them.
        field(out, 3, "conflicts");
        out.push_str("[\n");
        for conflict in &doc.conflicts {
            out.push_str("                (field: ");
            string(out, &conflict.field);
            out.push_str(", theirs: ");
            string(out, &conflict.theirs);
            out.push_str("),\n");
        }
        out.push_str("            ],\n");
    }
    out.push_str("        ),\n");
}

/// One span on one line, fields in [`super::file::SpanRecord`] order, empty optional fields left out.
fn span_line(out: &mut String, span: &Span, map: &OffsetMap<'_>) {
    let _ = write!(out, "(id: {}, start: {}, end: {}, label: ", span.id, span.start, span.end);
    string(out, &span.label);
    out.push_str(", text: ");
    // Spans of a valid project are in range; an empty text marks one that somehow is not, which loading
    // will then report instead of accepting silently.
    string(out, map.slice(span.range()).unwrap_or_default());
    for (name, value) in [("annotator", &span.annotator), ("note", &span.note)] {
        if !value.is_empty() {
            let _ = write!(out, ", {name}: ");
            string(out, value);
        }
    }
    if !span.attributes.is_empty() {
        out.push_str(", attributes: {");
        for (i, (key, value)) in span.attributes.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            string(out, key);
            out.push_str(": ");
            attr_value(out, value);
        }
        out.push('}');
    }
    if span.review != ReviewState::Unreviewed {
        out.push_str(", review: ");
        out.push_str(review_name(span.review));
    }
    for (name, value) in [("reviewer", &span.reviewer), ("origin", &span.origin), ("conflict", &span.conflict)] {
        if !value.is_empty() {
            let _ = write!(out, ", {name}: ");
            string(out, value);
        }
    }
    out.push(')');
}

fn attr_value(out: &mut String, value: &AttrValue) {
    match value {
        AttrValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        // Numbers are rare; ron's own float formatting keeps them identical to what it would write.
        AttrValue::Number(n) => match ron::to_string(n) {
            Ok(text) => out.push_str(&text),
            Err(_) => out.push_str("0.0"),
        },
        AttrValue::Text(t) => string(out, t),
    }
}
