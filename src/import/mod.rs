//! Article import: `.txt`, `.md`, `.html`, `.jsonl` files and folders of them become documents.
//!
//! Importing is planned first ([`plan_import`]: what would be added, skipped, or is a duplicate, and which
//! files are broken), then applied as one undoable [`Edit`] ([`ImportPlan::into_edit`]), so the CLI and
//! the GUI can show the plan before anything changes. A JSONL line that is not a usable article refuses
//! its file, unless the caller asked to skip bad lines ([`ArticleOptions`]); then it is listed instead.

mod boilerplate;
mod dates;
mod decode;
mod html;
mod jsonl;
mod text;

use std::collections::HashMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::edit::Edit;
use crate::model::{DocId, Document, Metadata, Project, content_hash, unique_doc_id};

pub use boilerplate::{DropReason, DroppedLine};
pub use decode::{MAX_FILE_BYTES, normalize_line_ends};

/// One article read from a file, before it becomes a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedArticle {
    /// Title (first line, `<h1>`, or the record's `title`).
    pub title: String,
    /// Author, date, publication, URL, source file.
    pub meta: Metadata,
    /// The body with LF line ends.
    pub text: String,
    /// Lines left out of the body as page furniture (share bars, tag lines, the title repeated, blank
    /// paragraphs), in file order, so the user can see what went.
    pub dropped: Vec<DroppedLine>,
}

/// A file that was not imported, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The file.
    pub path: PathBuf,
    /// One line for people.
    pub reason: String,
}

/// A JSONL line left out because the user asked to skip bad lines, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{line}: {problem}", path = .path.display())]
pub struct SkippedLine {
    /// The file.
    pub path: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it (the same words as the error without the option).
    pub problem: String,
}

/// How to read article files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArticleOptions {
    /// Leave out JSONL lines that are not usable articles, listing them, and read the others. Off by
    /// default: a feed with a bad line is refused whole, because importing part of a file is something
    /// the user must ask for, not discover afterwards.
    pub skip_bad_lines: bool,
}

/// The articles read from one file, and the lines of it left out.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileArticles {
    /// The articles, in file order.
    pub articles: Vec<ImportedArticle>,
    /// Bad JSONL lines left out (only with [`ArticleOptions::skip_bad_lines`]).
    pub skipped_lines: Vec<SkippedLine>,
}

/// An article whose text is already in the project or earlier in the same import.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    /// Where the duplicate came from.
    pub path: PathBuf,
    /// Its title.
    pub title: String,
    /// The document that already has this text.
    pub existing: DocId,
}

/// A file that could not be read as an article. Every message starts with the file (and line).
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Reading failed.
    #[error("{path}: {source}", path = .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// Larger than [`MAX_FILE_BYTES`].
    #[error("{path}: {size} bytes is larger than the {max}-byte import limit", path = .path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        size: u64,
        /// The limit.
        max: u64,
    },
    /// Not UTF-8 (and no UTF-16 byte-order mark).
    #[error("{path}: invalid UTF-8 at byte {byte}", path = .path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// Offset of the first bad byte.
        byte: usize,
    },
    /// Has a UTF-16 byte-order mark but is not valid UTF-16.
    #[error("{path}: invalid UTF-16: {problem}", path = .path.display())]
    InvalidUtf16 {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// NUL or many control bytes: not a text file.
    #[error("{path}: looks like a binary file, not text", path = .path.display())]
    Binary {
        /// The file.
        path: PathBuf,
    },
    /// HTML nested deeper than [`html::MAX_NESTING`].
    #[error("{path}: HTML nested {depth} elements deep; the limit is {max}", path = .path.display())]
    TooDeep {
        /// The file.
        path: PathBuf,
        /// Nesting found.
        depth: usize,
        /// The limit.
        max: usize,
    },
    /// Nothing but whitespace.
    #[error("{path}: the file has no text", path = .path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// A JSONL line that is not a usable record.
    #[error("{path}:{line}: {problem}", path = .path.display())]
    BadLine {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        problem: String,
    },
}

/// The lines one planned document lost as page furniture (see [`ImportedArticle::dropped`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedLines {
    /// The file the article came from.
    pub path: PathBuf,
    /// The planned document.
    pub doc: DocId,
    /// Its title.
    pub title: String,
    /// The lines left out, in file order, with their reasons.
    pub lines: Vec<DroppedLine>,
}

/// What an import would do.
#[derive(Debug, Default)]
pub struct ImportPlan {
    /// Documents ready to add, with ids unique in the project and among themselves.
    pub documents: Vec<Document>,
    /// Files left out (unsupported type, hidden).
    pub skipped: Vec<Skipped>,
    /// Articles whose text is already present.
    pub duplicates: Vec<Duplicate>,
    /// Bad JSONL lines left out (only with [`ArticleOptions::skip_bad_lines`]).
    pub skipped_lines: Vec<SkippedLine>,
    /// Broken files.
    pub errors: Vec<ImportError>,
    /// Per planned document with any, the furniture lines left out of its body (duplicates are not
    /// listed: they are not imported).
    pub dropped: Vec<DroppedLines>,
}

impl ImportPlan {
    /// The edit that adds the planned documents at the end of the project, or `None` if there are none.
    pub fn into_edit(self) -> Option<Edit> {
        if self.documents.is_empty() {
            return None;
        }
        let name = format!("Import {} document(s)", self.documents.len());
        let edits = self
            .documents
            .into_iter()
            .map(|document| Edit::AddDocument { index: usize::MAX, document: Box::new(document) })
            .collect();
        Some(Edit::Batch { name, edits })
    }
}

/// The kinds of file import reads, by extension.
fn kind_of(path: &Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some("txt"),
        "md" | "markdown" => Some("md"),
        "html" | "htm" | "xhtml" => Some("html"),
        "jsonl" | "ndjson" => Some("jsonl"),
        _ => None,
    }
}

/// Reads one article file (several articles for JSONL); any bad JSONL line is an error.
pub fn read_file(path: &Path) -> Result<Vec<ImportedArticle>, ImportError> {
    read_file_with(path, ArticleOptions::default()).map(|read| read.articles)
}

/// Reads one article file as `options` say.
pub fn read_file_with(path: &Path, options: ArticleOptions) -> Result<FileArticles, ImportError> {
    let io = |source| ImportError::Io { path: path.to_path_buf(), source };
    let file = fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { path: path.to_path_buf(), size, max: MAX_FILE_BYTES });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` bounds the read even if the file grows while being read.
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
    read_bytes_with(path, &bytes, options)
}

/// Reads article bytes as if they came from `path` (its extension picks the reader; it names the file in
/// messages); any bad JSONL line is an error.
pub fn read_bytes(path: &Path, bytes: &[u8]) -> Result<Vec<ImportedArticle>, ImportError> {
    read_bytes_with(path, bytes, ArticleOptions::default()).map(|read| read.articles)
}

/// Reads article bytes as [`read_bytes`] does, as `options` say.
pub fn read_bytes_with(path: &Path, bytes: &[u8], options: ArticleOptions) -> Result<FileArticles, ImportError> {
    let source = decode::decode(path, bytes)?;
    let one = |article| FileArticles { articles: vec![article], skipped_lines: Vec::new() };
    let mut read = match kind_of(path) {
        Some("html") => one(html::parse(path, &source)?),
        Some("jsonl") => jsonl::parse(path, &source, options.skip_bad_lines)?,
        Some("md") => one(text::parse(&source, true)),
        _ => one(text::parse(&source, false)),
    };
    for article in &mut read.articles {
        if article.text.trim().is_empty() {
            return Err(ImportError::Empty { path: path.to_path_buf() });
        }
        if article.title.is_empty() {
            article.title = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        }
        if article.meta.source_file.is_empty() {
            article.meta.source_file = path.display().to_string();
        }
    }
    Ok(read)
}

/// Files under `paths` in a stable order: folders are walked (sorted, hidden entries skipped).
fn collect_files(paths: &[PathBuf], plan: &mut ImportPlan) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack: Vec<PathBuf> = paths.iter().rev().cloned().collect();
    while let Some(path) = stack.pop() {
        if path.is_dir() {
            let entries = match fs::read_dir(&path) {
                Ok(entries) => entries,
                Err(source) => {
                    plan.errors.push(ImportError::Io { path, source });
                    continue;
                }
            };
            let mut children: Vec<PathBuf> = entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| !p.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
                .collect();
            children.sort();
            stack.extend(children.into_iter().rev());
        } else if kind_of(&path).is_some() || !path.exists() {
            // Missing files go through read_file so the error names them.
            files.push(path);
        } else {
            let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
            let reason =
                if ext.is_empty() { "no file extension".into() } else { format!("unsupported file type {ext}") };
            plan.skipped.push(Skipped { path, reason });
        }
    }
    files
}

/// Plans importing `paths` (files and folders) into `project`; a file with a bad JSONL line is an error.
pub fn plan_import(project: &Project, paths: &[PathBuf]) -> ImportPlan {
    plan_import_with(project, paths, ArticleOptions::default())
}

/// Plans importing `paths` (files and folders) into `project` as `options` say.
pub fn plan_import_with(project: &Project, paths: &[PathBuf], options: ArticleOptions) -> ImportPlan {
    plan_import_watched(project, paths, options, &mut |_, _| true).unwrap_or_default()
}

/// [`plan_import_with`], reporting as it goes: `step(done, total)` is called once the files are found
/// and after each file is read; when it returns `false` planning stops and nothing is returned (the
/// window's Cancel). The project's documents are hashed once, not once per file.
pub fn plan_import_watched(
    project: &Project,
    paths: &[PathBuf],
    options: ArticleOptions,
    step: &mut dyn FnMut(usize, usize) -> bool,
) -> Option<ImportPlan> {
    let mut plan = ImportPlan::default();
    let mut seen: HashMap<String, DocId> =
        project.documents.iter().map(|d| (content_hash(&d.text), d.id.clone())).collect();
    let mut planned_ids = std::collections::HashSet::new();
    let files = collect_files(paths, &mut plan);
    let total = files.len();
    if !step(0, total) {
        return None;
    }
    for (done, path) in files.into_iter().enumerate() {
        if done > 0 && !step(done, total) {
            return None;
        }
        let articles = match read_file_with(&path, options) {
            Ok(read) => {
                plan.skipped_lines.extend(read.skipped_lines);
                read.articles
            }
            Err(err) => {
                plan.errors.push(err);
                continue;
            }
        };
        for article in articles {
            let hash = content_hash(&article.text);
            if let Some(existing) = seen.get(&hash) {
                plan.duplicates.push(Duplicate {
                    path: path.clone(),
                    title: article.title,
                    existing: existing.clone(),
                });
                continue;
            }
            let id = unique_doc_id(&article.title, |candidate| {
                planned_ids.contains(candidate) || project.documents.iter().any(|d| d.id.as_str() == candidate)
            });
            planned_ids.insert(id.as_str().to_string());
            seen.insert(hash, id.clone());
            if !article.dropped.is_empty() {
                plan.dropped.push(DroppedLines {
                    path: path.clone(),
                    doc: id.clone(),
                    title: article.title.clone(),
                    lines: article.dropped,
                });
            }
            let mut document = Document::new(id, article.title, article.text);
            document.meta = article.meta;
            plan.documents.push(document);
        }
    }
    step(total, total).then_some(plan)
}
