//! doccano JSONL: sequence labelling (`label: [[start, end, "Label"]]`) and relation extraction
//! (`entities` + `relations`). Offsets are UTF-16 code units by default, because doccano's UI indexes
//! JavaScript strings; `--doccano-units chars` writes code points instead.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::annotation_import::{BadLines, ImportedDoc, ImportedRelation, ImportedSpan, json_rows};
use super::{
    Destination, DoccanoUnits, ExportDoc, ExportSummary, Format, FormatError, JsonLines, OutputFile, text_bytes,
};
use crate::model::CharIdx;
use crate::text::offsets::OffsetMap;

/// A document's id, title and non-empty metadata, written as doccano metadata keys.
fn metadata<'a>(d: &'a ExportDoc<'a>) -> BTreeMap<&'static str, &'a str> {
    let meta = &d.doc.meta;
    let mut out = BTreeMap::new();
    out.insert("doc_id", d.doc.id.as_str());
    for (key, value) in
        [("author", &meta.author), ("date", &meta.date), ("publication", &meta.publication), ("url", &meta.url)]
    {
        if !value.is_empty() {
            out.insert(key, value.as_str());
        }
    }
    out
}

fn offsets(d: &ExportDoc<'_>, range: Range<CharIdx>, units: DoccanoUnits) -> Result<(usize, usize), FormatError> {
    match units {
        DoccanoUnits::Chars => Ok((range.start.0, range.end.0)),
        DoccanoUnits::Utf16 => {
            let r = d.map.utf16_range(range).map_err(|e| FormatError::write(Format::Doccano, e))?;
            Ok((r.start, r.end))
        }
    }
}

#[derive(Serialize)]
struct SeqRow<'a> {
    id: usize,
    text: &'a RawValue,
    label: Vec<(usize, usize, &'a str)>,
    #[serde(rename = "Comments")]
    comments: [(); 0],
    title: &'a str,
    #[serde(flatten)]
    meta: BTreeMap<&'static str, &'a str>,
}

/// doccano sequence labelling JSONL: one line per document. Relations cannot be expressed and are dropped.
pub fn export_seq(
    docs: &[ExportDoc<'_>],
    first_row: usize,
    units: DoccanoUnits,
    out: &Path,
    dest: &dyn Destination,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    // The text as JSON plus a few numbers per span.
    let mut lines = JsonLines::open(Format::Doccano, dest, out.to_path_buf(), text_bytes(docs) * 13 / 10)?;
    for (n, d) in docs.iter().enumerate() {
        let mut label = Vec::with_capacity(d.spans.len());
        for s in &d.spans {
            let (start, end) = offsets(d, s.range(), units)?;
            label.push((start, end, s.label.as_str()));
        }
        lines.push(&SeqRow {
            id: first_row + n + 1,
            text: d.json_text()?,
            label,
            comments: [],
            title: &d.doc.title,
            meta: metadata(d),
        })?;
    }
    summary.drop(summary.relations, "relations (doccano sequence labelling has none; use doccano-rel)");
    summary.relations = 0;
    Ok(vec![lines.finish()?])
}

/// An entity, borrowed when written and owned when read (`Cow` deserialises owned from a JSON value).
#[derive(Serialize, Deserialize)]
struct Entity<'a> {
    id: u64,
    label: Cow<'a, str>,
    start_offset: usize,
    end_offset: usize,
}

#[derive(Serialize, Deserialize)]
struct RelationRow<'a> {
    id: u64,
    from_id: u64,
    to_id: u64,
    #[serde(rename = "type")]
    kind: Cow<'a, str>,
}

#[derive(Serialize)]
struct RelRow<'a> {
    id: usize,
    text: &'a RawValue,
    entities: Vec<Entity<'a>>,
    relations: Vec<RelationRow<'a>>,
    #[serde(rename = "Comments")]
    comments: [(); 0],
    title: &'a str,
    #[serde(flatten)]
    meta: BTreeMap<&'static str, &'a str>,
}

/// doccano relation JSONL. Entity and relation ids number them within each document from 0, as doccano's
/// own export does.
pub fn export_rel(
    docs: &[ExportDoc<'_>],
    first_row: usize,
    units: DoccanoUnits,
    out: &Path,
    dest: &dyn Destination,
) -> Result<Vec<OutputFile>, FormatError> {
    // The text as JSON plus an object per span and relation.
    let mut lines = JsonLines::open(Format::DoccanoRel, dest, out.to_path_buf(), text_bytes(docs) * 2)?;
    for (n, d) in docs.iter().enumerate() {
        let mut entities = Vec::with_capacity(d.spans.len());
        for (i, s) in d.spans.iter().enumerate() {
            let (start, end) = offsets(d, s.range(), units)?;
            entities.push(Entity {
                id: i as u64,
                label: Cow::Borrowed(&s.label),
                start_offset: start,
                end_offset: end,
            });
        }
        let relations = d
            .relations
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                Some(RelationRow {
                    id: i as u64,
                    from_id: d.index_of(r.from)? as u64,
                    to_id: d.index_of(r.to)? as u64,
                    kind: Cow::Borrowed(&r.kind),
                })
            })
            .collect();
        lines.push(&RelRow {
            id: first_row + n + 1,
            text: d.json_text()?,
            entities,
            relations,
            comments: [],
            title: &d.doc.title,
            meta: metadata(d),
        })?;
    }
    Ok(vec![lines.finish()?])
}

/// Either doccano shape; which one a line has is decided by its keys.
#[derive(Deserialize)]
struct InRow {
    text: String,
    #[serde(default)]
    label: Option<Vec<(usize, usize, String)>>,
    #[serde(default)]
    entities: Option<Vec<Entity<'static>>>,
    #[serde(default)]
    relations: Vec<RelationRow<'static>>,
}

/// Reads doccano JSONL of either shape, converting offsets from `units` to chars. A line it cannot read
/// is an error, or goes to `bad_lines` when given.
pub fn parse(
    path: &Path,
    content: &str,
    units: DoccanoUnits,
    bad_lines: BadLines<'_>,
) -> Result<Vec<ImportedDoc>, FormatError> {
    json_rows(path, content, bad_lines, |line, value| {
        let row: InRow = serde_json::from_value(value).map_err(|e| FormatError::at(path, line, e.to_string()))?;
        let map = OffsetMap::new(&row.text);
        let to_chars = |start: usize, end: usize| -> Result<Range<CharIdx>, FormatError> {
            let range = match units {
                DoccanoUnits::Chars => {
                    if end > map.char_len() || start > end {
                        let len = map.char_len();
                        return Err(FormatError::at(
                            path,
                            line,
                            format!("offsets {start}..{end} are out of range (the text has {len} chars)"),
                        ));
                    }
                    CharIdx(start)..CharIdx(end)
                }
                DoccanoUnits::Utf16 => map.char_range_from_utf16(start..end).map_err(|e| {
                    FormatError::at(path, line, format!("offsets {start}..{end}: {e} (read as UTF-16 units)"))
                })?,
            };
            Ok(range)
        };
        let mut spans = Vec::new();
        let mut relations = Vec::new();
        if let Some(entities) = &row.entities {
            let mut ids = BTreeMap::new();
            for e in entities {
                ids.insert(e.id, spans.len());
                let range = to_chars(e.start_offset, e.end_offset)?;
                spans.push(ImportedSpan::new(line, range, &e.label));
            }
            for r in &row.relations {
                let end = |id: u64| {
                    ids.get(&id).copied().ok_or_else(|| {
                        FormatError::at(
                            path,
                            line,
                            format!("relation {} points to entity {id}, which is not here", r.id),
                        )
                    })
                };
                relations.push(ImportedRelation {
                    line,
                    from: end(r.from_id)?,
                    to: end(r.to_id)?,
                    kind: r.kind.to_string(),
                });
            }
        } else if let Some(labels) = &row.label {
            for (start, end, label) in labels {
                spans.push(ImportedSpan::new(line, to_chars(*start, *end)?, label));
            }
        } else {
            return Err(FormatError::at(path, line, "neither a \"label\" nor an \"entities\" list"));
        }
        Ok(Some(ImportedDoc { path: PathBuf::from(path), line, text: row.text, spans, relations }))
    })
}
