//! The RON project store: versioned, human-readable, deterministic, and saved atomically.
//!
//! Loading never modifies the file and never panics: every problem comes back as a [`StoreError`] that
//! names the file and the line/column or document/span at fault.

mod atomic;
mod fast;
mod file;
pub mod folder;
pub mod folder_merge;
mod migrate;
mod write;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::model::{Document, Project, Span, validate};
use crate::text::offsets::OffsetMap;

pub use atomic::{
    Batch, backup_path, remove_temps, with_path, write_atomic, write_atomic_among_many, write_atomic_keeping_backup,
    write_batch, write_in_pieces,
};
use file::{DocumentRecord, SpanRecord};
pub use file::{FORMAT_VERSION, ProjectFile};

/// Largest project file factmark will read (1 GiB): a bound so a hostile or mistaken file cannot exhaust
/// memory.
pub const MAX_PROJECT_BYTES: u64 = 1 << 30;

/// Why a project could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: io::Error,
    },
    /// The file is not valid RON for a project (truncated, wrong types, not UTF-8 …).
    #[error("{path}:{line}:{column}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The file was written by a newer factmark.
    #[error("{path}: project format {found} is newer than this factmark supports ({supported}); update factmark")]
    NewerFormat {
        /// The file.
        path: PathBuf,
        /// Version in the file.
        found: u32,
        /// Newest version this build reads.
        supported: u32,
    },
    /// The file has no `format` field, so it is not a factmark project.
    #[error("{path}: not a factmark project (no `format` version field)")]
    NotAProject {
        /// The file.
        path: PathBuf,
    },
    /// The file is larger than [`MAX_PROJECT_BYTES`].
    #[error("{path}: {size} bytes is larger than the {max}-byte limit for a project file")]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// The file parsed but breaks an invariant (span outside text, unknown label, duplicate id …).
    #[error("{path}: {first}{more}", more = more_suffix(.problems.len()))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The first problem, for the one-line message.
        first: String,
        /// Every problem found.
        problems: Vec<String>,
    },
}

fn more_suffix(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        n => format!(" (and {} more problems)", n - 1),
    }
}

/// Reads and checks a project: a single file, or a project folder (see [`folder`]). Only read, never
/// changed.
pub fn load(path: &Path) -> Result<Project, StoreError> {
    if path.is_dir() {
        return folder::load(path);
    }
    let io_err = |source| StoreError::Io { path: path.to_path_buf(), source };
    let size = fs::metadata(path).map_err(io_err)?.len();
    if size > MAX_PROJECT_BYTES {
        return Err(StoreError::TooLarge { path: path.to_path_buf(), size, max: MAX_PROJECT_BYTES });
    }
    let bytes = fs::read(path).map_err(io_err)?;
    from_bytes(path, &bytes)
}

/// Parses and checks project file contents; `path` is only used in messages.
pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Project, StoreError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col_of_byte(bytes, e.valid_up_to());
        StoreError::Parse { path: path.to_path_buf(), line, column, message: "the file is not valid UTF-8".into() }
    })?;
    // The fast reader takes files in the layout factmark writes; anything else (hand edits with comments,
    // older formats, broken files) goes through the ron crate, which also gives line/column errors.
    let file = match fast::parse(text) {
        Some(file) if file.format == FORMAT_VERSION => file,
        _ => parse_with_ron(path, text)?,
    };
    checked(path, file)
}

/// The model of a parsed file, checked: span texts against their offsets, then every invariant.
fn checked(path: &Path, file: ProjectFile) -> Result<Project, StoreError> {
    let (project, mut problems) = from_file(file);
    problems.extend(validate::problems(&project).into_iter().map(|p| p.to_string()));
    if let Some(first) = problems.first() {
        return Err(StoreError::Invalid { path: path.to_path_buf(), first: first.clone(), problems });
    }
    Ok(project)
}

/// The ron crate's message, in words for someone who opened a file rather than wrote a parser: its
/// nesting-limit message gives advice for programmers (raising the limit), which a user cannot take.
fn ron_message(code: &ron::Error) -> String {
    match code {
        ron::Error::ExceededRecursionLimit => {
            "brackets nested more than 128 deep, which no project file has (is this file damaged?)".into()
        }
        other => other.to_string(),
    }
}

/// The general path: probe the version, then let [`migrate`] parse the body as its version's shape.
fn parse_with_ron(path: &Path, text: &str) -> Result<ProjectFile, StoreError> {
    let parse_err = |e: ron::error::SpannedError| StoreError::Parse {
        path: path.to_path_buf(),
        line: e.span.start.line,
        column: e.span.start.col,
        message: ron_message(&e.code),
    };
    let probe: file::VersionProbe = ron::from_str(text).map_err(parse_err)?;
    let version = probe.format;
    if version == 0 {
        return Err(StoreError::NotAProject { path: path.to_path_buf() });
    }
    if version > FORMAT_VERSION {
        return Err(StoreError::NewerFormat { path: path.to_path_buf(), found: version, supported: FORMAT_VERSION });
    }
    migrate::to_current(text, version).map_err(|e| match e {
        migrate::MigrateError::Parse(e) => parse_err(e),
        migrate::MigrateError::Unsupported(found) => StoreError::Invalid {
            path: path.to_path_buf(),
            first: format!("unknown project format version {found}"),
            problems: vec![format!("unknown project format version {found}")],
        },
    })
}

fn line_col_of_byte(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
    (line, String::from_utf8_lossy(&before[line_start..]).chars().count() + 1)
}

/// Builds the model from the file shape, reporting spans whose stored text does not match their offsets.
fn from_file(file: ProjectFile) -> (Project, Vec<String>) {
    let mut problems = Vec::new();
    let mut documents = Vec::with_capacity(file.documents.len());
    for record in file.documents {
        let (doc, doc_problems) = document_from_record(record);
        problems.extend(doc_problems);
        documents.push(doc);
    }
    let project = Project {
        name: file.name,
        schema: file.schema,
        documents,
        next_span_id: file.next_span_id,
        next_relation_id: file.next_relation_id,
        rules: file.rules,
        recommenders_off: file.recommenders_off,
        conflicts: file.conflicts,
    };
    (project, problems)
}

/// One document of the model from its record, with the spans whose stored text does not match their
/// offsets (out-of-range and inverted spans are left to the invariant check, which words them better).
fn document_from_record(record: DocumentRecord) -> (Document, Vec<String>) {
    let mut problems = Vec::new();
    let map = OffsetMap::new(&record.text);
    for span in &record.spans {
        match map.slice(span.start..span.end) {
            Ok(actual) if actual == span.text => {}
            Ok(actual) => problems.push(format!(
                "document {:?}: span {} stores text {:?} but the text at {}..{} is {:?}",
                record.id.as_str(),
                span.id,
                span.text,
                span.start,
                span.end,
                actual
            )),
            Err(_) => {}
        }
    }
    let mut spans: Vec<Span> = record.spans.into_iter().map(span_from_record).collect();
    spans.sort_by_key(Span::sort_key);
    let mut relations = record.relations;
    relations.sort_by_key(|r| r.id);
    let doc = Document {
        id: record.id,
        title: record.title,
        meta: record.meta,
        text: record.text,
        status: record.status,
        spans,
        relations,
        doc_labels: record.doc_labels,
        note: record.note,
        conflicts: record.conflicts,
        char_count: Default::default(),
    };
    (doc, problems)
}

fn span_from_record(r: SpanRecord) -> Span {
    Span {
        id: r.id,
        start: r.start,
        end: r.end,
        label: r.label,
        annotator: r.annotator,
        note: r.note,
        attributes: r.attributes,
        review: r.review,
        reviewer: r.reviewer,
        origin: r.origin,
        conflict: r.conflict,
    }
}

/// `project` in the file's shape (each span with the text it covers).
pub fn to_file(project: &Project) -> ProjectFile {
    file_with(project, project.documents.iter().map(document_record).collect())
}

/// One document in the file's shape (each span with the text it covers).
fn document_record(doc: &Document) -> DocumentRecord {
    let map = OffsetMap::new(&doc.text);
    let spans = doc
        .spans
        .iter()
        // Spans of a valid project are in range; an empty text marks one that somehow is not, which
        // loading will then report instead of accepting silently.
        .map(|s| SpanRecord::of(s, map.slice(s.range()).unwrap_or_default()))
        .collect();
    DocumentRecord {
        id: doc.id.clone(),
        title: doc.title.clone(),
        meta: doc.meta.clone(),
        status: doc.status,
        doc_labels: doc.doc_labels.clone(),
        note: doc.note.clone(),
        text: doc.text.clone(),
        spans,
        relations: doc.relations.clone(),
        conflicts: doc.conflicts.clone(),
    }
}

/// The file shape of `project` around the given document records (the fast writer passes none and writes
/// the documents itself).
pub(crate) fn file_with(project: &Project, documents: Vec<DocumentRecord>) -> ProjectFile {
    ProjectFile {
        format: FORMAT_VERSION,
        name: project.name.clone(),
        next_span_id: project.next_span_id,
        next_relation_id: project.next_relation_id,
        schema: project.schema.clone(),
        rules: project.rules.clone(),
        recommenders_off: project.recommenders_off.clone(),
        conflicts: project.conflicts.clone(),
        documents,
    }
}

/// The project as RON text, exactly as [`save`] writes it. Deterministic: the same project always gives
/// the same bytes.
pub fn to_ron(project: &Project) -> Result<String, ron::Error> {
    let mut out = write::project_text(project)?;
    out.push('\n');
    Ok(out)
}

/// Saves atomically (see [`write_atomic_keeping_backup`]); the previous version is kept as `.bak`. A path
/// that is a folder or ends in `.factmark` gets the project folder layout ([`folder::save`]).
pub fn save(project: &Project, path: &Path) -> Result<(), StoreError> {
    if folder::is_folder(path) {
        return folder::save(project, path).map(|_| ());
    }
    let text = to_ron(project).map_err(|e| StoreError::Io { path: path.to_path_buf(), source: io::Error::other(e) })?;
    write_atomic_keeping_backup(path, text.as_bytes())
        .map_err(|source| StoreError::Io { path: path.to_path_buf(), source })
}

#[cfg(test)]
mod tests;
