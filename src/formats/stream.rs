//! The JSONL formats (doccano, doccano-rel, spaCy, Prodigy) exported from documents that arrive in batches,
//! so a project far larger than memory (a project folder read a batch at a time) exports in bounded
//! memory. Each batch is made into its lines by the format's own writer, exactly as a whole-project export
//! makes them (a JSONL line depends on its document alone, and on its row number for doccano), so the
//! file is byte for byte the same. Batches may be made on several threads ([`StreamPlan::part`] takes
//! `&self`) and are appended in project order ([`StreamWriter::append`]).

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::export_selection::{Counts, left_out, resolve_labels, select_part};
use super::output::FileOut;
use super::{
    Destination, Export, ExportOptions, ExportSummary, Filter, Format, FormatError, InMemory, LeftOut, doccano,
    off_token_edges, prodigy, spacy, warn_off_edges,
};
use crate::model::{Document, Schema};

/// What a streamed export does to each batch: the format, selection and options, checked once.
#[derive(Debug)]
pub struct StreamPlan {
    format: Format,
    filter: Filter,
    labels: Option<Vec<String>>,
    options: ExportOptions,
    out: PathBuf,
}

/// One batch of documents made into lines, with what it counted.
#[derive(Debug)]
pub struct StreamPart {
    bytes: Vec<u8>,
    rows: usize,
    summary: ExportSummary,
    counts: Counts,
    off_edges: (usize, Vec<String>),
}

/// The file of a streamed export, written as parts are appended.
pub struct StreamWriter {
    format: Format,
    file: FileOut,
    rows: usize,
    summary: ExportSummary,
    counts: Counts,
    off_edges: (usize, Vec<String>),
}

impl StreamPlan {
    /// Whether `format` can be exported a batch at a time: the JSONL formats whose lines each come from
    /// one document.
    pub fn streams(format: Format) -> bool {
        matches!(format, Format::Doccano | Format::DoccanoRel | Format::Spacy | Format::Prodigy)
    }

    /// A plan to export `format` to `out` for a project with schema `schema`; refuses a format that does
    /// not stream and a filter naming labels the schema lacks (as [`super::select`] does).
    pub fn new(
        schema: &Schema,
        format: Format,
        filter: &Filter,
        options: &ExportOptions,
        out: &Path,
    ) -> Result<StreamPlan, FormatError> {
        if !StreamPlan::streams(format) {
            return Err(FormatError::Options(format!("{format} is not exported a batch of documents at a time")));
        }
        let labels = match &filter.labels {
            Some(names) => Some(resolve_labels(schema, names)?),
            None => None,
        };
        Ok(StreamPlan { format, filter: filter.clone(), labels, options: options.clone(), out: out.to_path_buf() })
    }

    /// The lines of `docs` (the next documents in project order), made in memory. Row numbers (doccano's
    /// `id`) are filled in when the part is appended, so parts can be made in any order.
    pub fn part(&self, docs: &[Document]) -> Result<StreamPart, FormatError> {
        let (selected, counts) = select_part(docs, &self.filter, self.labels.as_deref());
        let mut summary = ExportSummary {
            documents: selected.len(),
            spans: selected.iter().map(|d| d.spans.len()).sum(),
            relations: selected.iter().map(|d| d.relations.len()).sum(),
            dropped: Vec::new(),
            warnings: Vec::new(),
        };
        let (out, units) = (&self.out, self.options.doccano_units);
        let files = match self.format {
            // Numbered from 0 here; `append` renumbers (doccano rows are the only numbered ones).
            Format::Doccano => doccano::export_seq(&selected, 0, units, out, &InMemory, &mut summary)?,
            Format::DoccanoRel => doccano::export_rel(&selected, 0, units, out, &InMemory)?,
            Format::Spacy => spacy::export(&selected, out, &InMemory)?,
            Format::Prodigy => prodigy::export(&selected, out, &InMemory, &mut summary)?,
            other => return Err(FormatError::Options(format!("{other} is not exported a batch at a time"))),
        };
        let off_edges = match self.format {
            Format::Spacy | Format::Prodigy => off_token_edges(&selected),
            _ => (0, Vec::new()),
        };
        let bytes = files.into_iter().next().map(|f| f.bytes).unwrap_or_default();
        Ok(StreamPart { bytes, rows: selected.len(), summary, counts, off_edges })
    }

    /// Starts the export's file at `dest`.
    pub fn writer(&self, dest: &dyn Destination) -> Result<StreamWriter, FormatError> {
        Ok(StreamWriter {
            format: self.format,
            file: FileOut::open(dest, self.out.clone(), 0)?,
            rows: 0,
            summary: ExportSummary::default(),
            counts: Counts::default(),
            off_edges: (0, Vec::new()),
        })
    }
}

impl StreamWriter {
    /// Appends the next part in project order.
    pub fn append(&mut self, part: StreamPart) -> Result<(), FormatError> {
        let bytes = match self.format {
            Format::Doccano | Format::DoccanoRel if self.rows > 0 => renumber(&part.bytes, self.rows, self.format)?,
            _ => part.bytes,
        };
        self.file.write_all(&bytes).map_err(FormatError::Output)?;
        self.rows += part.rows;
        let s = &mut self.summary;
        s.documents += part.summary.documents;
        s.spans += part.summary.spans;
        s.relations += part.summary.relations;
        merge(&mut s.dropped, part.summary.dropped);
        merge(&mut s.warnings, part.summary.warnings);
        self.counts.add(&part.counts);
        self.off_edges.0 += part.off_edges.0;
        let room = super::EXAMPLES.saturating_sub(self.off_edges.1.len());
        self.off_edges.1.extend(part.off_edges.1.into_iter().take(room));
        Ok(())
    }

    /// The finished file and summary, and what `plan`'s filter left out.
    pub fn finish(self, plan: &StreamPlan) -> Result<(Export, LeftOut), FormatError> {
        let mut summary = self.summary;
        if matches!(self.format, Format::Spacy | Format::Prodigy) {
            warn_off_edges(self.format, self.off_edges.0, &self.off_edges.1, &mut summary);
        }
        let file = self.file.finish()?;
        Ok((Export { files: vec![file], summary }, left_out(&self.counts, &plan.filter)))
    }
}

/// Adds `(count, reason)` pairs to those with the same reason, new reasons at the end. A format records
/// its reasons in a fixed order, so parts list them in that order too.
fn merge(into: &mut Vec<(usize, String)>, from: Vec<(usize, String)>) {
    for (count, reason) in from {
        match into.iter_mut().find(|(_, r)| *r == reason) {
            Some(entry) => entry.0 += count,
            None => into.push((count, reason)),
        }
    }
}

/// doccano lines numbered from 1 renumbered from `before + 1`: each line starts `{"id":N,` (the row's first
/// field), so only that number is rewritten.
fn renumber(bytes: &[u8], before: usize, format: Format) -> Result<Vec<u8>, FormatError> {
    const HEAD: &[u8] = b"{\"id\":";
    let mut out = Vec::with_capacity(bytes.len() + bytes.len() / 1000 + 16);
    for line in bytes.split_inclusive(|&b| b == b'\n') {
        let rest = line
            .strip_prefix(HEAD)
            .ok_or_else(|| FormatError::Options(format!("{format}: a row does not start with its id")))?;
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let n: usize = std::str::from_utf8(&rest[..digits])
            .ok()
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| FormatError::Options(format!("{format}: a row's id is not a number")))?;
        out.extend_from_slice(HEAD);
        super::json_write::push_number(&mut out, before + n);
        out.extend_from_slice(&rest[digits..]);
    }
    Ok(out)
}
