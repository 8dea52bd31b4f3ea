//! Dataset export and import in the formats NLP tools read: doccano, Label Studio, spaCy, Prodigy, brat,
//! CSV, CoNLL and sentence tables; and the shared-task formats of claim detection and subjectivity (CheckThat!,
//! ClaimBuster, AVeriTeC-like claims).
//!
//! Every format works from char offsets ([`crate::model::CharIdx`]) and converts through
//! [`crate::text::offsets`] only, and every token-based format uses the one tokenizer in
//! [`crate::text::tokens`], so a span lands on the same characters in every file. Exports are built in
//! memory as a list of files for the caller to write (atomically), or written as they are made to a
//! [`Destination`] (the command line's temp files, renamed into place when all are written). Imports are parsed and checked in full
//! before anything changes, then applied as one undoable [`crate::edit::Edit::Batch`].

mod annotation_import;
mod brat;
mod bundle;
mod claims;
mod conll;
mod csv;
mod doccano;
mod export_selection;
mod json_write;
mod labelstudio;
mod output;
mod prodigy;
mod sentences;
mod shared_tasks;
mod spacy;
mod spacy_tokens;
mod stream;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use json_write::JsonLines;
use output::{FileOut, whole_file};

pub use annotation_import::{
    ImportOptions, ImportPlan, ImportedDoc, ImportedRelation, ImportedSpan, plan_import,
    plan_import_skipping_bad_lines, read_annotations,
};
pub use bundle::{FormatChoice, bundle_path, export_many, export_many_to};
pub use export_selection::{ExportDoc, Filter, LeftOut, select};
pub use output::{Destination, InMemory};
pub use shared_tasks::TaskMapping;
pub use stream::{StreamPart, StreamPlan, StreamWriter};

/// A dataset format factmark writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// doccano sequence labelling JSONL (`label: [[start, end, "Label"]]`).
    Doccano,
    /// doccano relation JSONL (`entities` + `relations`).
    DoccanoRel,
    /// Label Studio JSON tasks plus the labelling config XML.
    LabelStudio,
    /// JSONL for `Doc.char_span` into a spaCy span group.
    Spacy,
    /// Prodigy JSONL with tokens, spans and relations.
    Prodigy,
    /// brat standoff: a folder of `.txt` + `.ann`.
    Brat,
    /// `spans.csv` + `relations.csv` in a folder.
    Csv,
    /// CoNLL-2003 columns with IOB2 tags.
    Conll,
    /// One row per sentence with derived labels (JSONL, or CSV when the output ends in `.csv`).
    Sentences,
    /// CLEF CheckThat! subjectivity TSV: `sentence_id`, `sentence`, `label` (`SUBJ` / `OBJ`).
    CheckthatSubjectivity,
    /// CLEF CheckThat! check-worthiness TSV: `sentence_id`, `text`, `class_label` (`Yes` / `No`).
    CheckthatCheckworthiness,
    /// ClaimBuster-style CSV: one row per sentence with its speaker and a verdict of `1`, `0` or `-1`.
    Claimbuster,
    /// A JSON array of claims for verification (AVeriTeC-like), one record per claim span.
    Claims,
}

impl Format {
    /// Every format, in the order the README lists them.
    pub const ALL: [Format; 13] = [
        Format::Doccano,
        Format::DoccanoRel,
        Format::LabelStudio,
        Format::Spacy,
        Format::Prodigy,
        Format::Brat,
        Format::Csv,
        Format::Conll,
        Format::Sentences,
        Format::CheckthatSubjectivity,
        Format::CheckthatCheckworthiness,
        Format::Claimbuster,
        Format::Claims,
    ];

    /// The name used on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Doccano => "doccano",
            Format::DoccanoRel => "doccano-rel",
            Format::LabelStudio => "labelstudio",
            Format::Spacy => "spacy",
            Format::Prodigy => "prodigy",
            Format::Brat => "brat",
            Format::Csv => "csv",
            Format::Conll => "conll",
            Format::Sentences => "sentences",
            Format::CheckthatSubjectivity => "checkthat-subjectivity",
            Format::CheckthatCheckworthiness => "checkthat-checkworthiness",
            Format::Claimbuster => "claimbuster",
            Format::Claims => "claims",
        }
    }

    /// Whether `import-annotations` reads this format back.
    pub fn importable(self) -> bool {
        matches!(
            self,
            Format::Doccano | Format::DoccanoRel | Format::LabelStudio | Format::Spacy | Format::Prodigy | Format::Brat
        )
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
        let wanted = match wanted.as_str() {
            "label-studio" => "labelstudio",
            "doccano-relations" => "doccano-rel",
            "checkthat-check-worthiness" => "checkthat-checkworthiness",
            other => other,
        };
        Format::ALL.into_iter().find(|f| f.as_str() == wanted).ok_or_else(|| {
            let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
            format!("unknown format {text:?} (expected one of {})", names.join(", "))
        })
    }
}

/// The unit doccano offsets are counted in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum DoccanoUnits {
    /// UTF-16 code units: what doccano's web UI counts (JavaScript string indices). The default.
    #[default]
    Utf16,
    /// Unicode code points (chars), for pipelines that read the file in Python.
    Chars,
}

impl FromStr for DoccanoUnits {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim().to_ascii_lowercase().replace('-', "").as_str() {
            "utf16" => Ok(DoccanoUnits::Utf16),
            "chars" | "codepoints" => Ok(DoccanoUnits::Chars),
            _ => Err(format!("unknown doccano units {text:?} (expected utf16 or chars)")),
        }
    }
}

/// How an export is shaped beyond the selection made by [`Filter`].
#[derive(Clone, Debug, Default)]
pub struct ExportOptions {
    /// Units of doccano offsets.
    pub doccano_units: DoccanoUnits,
    /// CoNLL: one tag column where the longest span wins, instead of one column per label.
    pub flat: bool,
    /// CoNLL: the labels that get a column, in this order (default: every label of the schema).
    pub labels: Option<Vec<String>>,
    /// The shared-task formats: which spans make a sentence subjective, a claim, a check-worthy claim.
    pub mapping: TaskMapping,
}

/// One file an export produces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputFile {
    /// Where it goes: `--out` itself, a file beside it, or a file inside the `--out` folder.
    pub path: PathBuf,
    /// Its contents when kept in memory ([`InMemory`]); empty when they went to a [`Destination`]'s file
    /// as they were made.
    pub bytes: Vec<u8>,
    /// Its size in bytes, however it was written.
    pub len: u64,
}

/// What an export wrote and what it left out, for the summary the command prints.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportSummary {
    /// Documents written.
    pub documents: usize,
    /// Spans written.
    pub spans: usize,
    /// Relations written.
    pub relations: usize,
    /// Things left out, each with a count and the reason.
    pub dropped: Vec<(usize, String)>,
    /// Things written but worth knowing (count, what), e.g. spans that do not sit on token edges.
    pub warnings: Vec<(usize, String)>,
}

impl ExportSummary {
    /// Records `count` things left out for `reason`; zero counts are not recorded.
    pub fn drop(&mut self, count: usize, reason: impl Into<String>) {
        if count > 0 {
            self.dropped.push((count, reason.into()));
        }
    }

    /// Records a warning about `count` items; zero counts are not recorded.
    pub fn warn(&mut self, count: usize, what: impl Into<String>) {
        if count > 0 {
            self.warnings.push((count, what.into()));
        }
    }
}

/// The files and summary of one export.
#[derive(Clone, Debug, Default)]
pub struct Export {
    /// Files to write.
    pub files: Vec<OutputFile>,
    /// Counts for the summary.
    pub summary: ExportSummary,
}

/// Why an export or import failed.
#[derive(Debug, thiserror::Error)]
pub enum FormatError {
    /// A problem in an input file, located by line (1-based; 0 when the whole file is at fault).
    #[error("{}{}: {problem}", path.display(), line_suffix(*line))]
    Input {
        /// The file.
        path: PathBuf,
        /// 1-based line, 0 for the whole file.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// A file or folder could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The export options do not make sense for the project (e.g. an unknown label in `--labels`).
    #[error("{0}")]
    Options(String),
    /// An output file could not be written (the message names it).
    #[error("{0}")]
    Output(std::io::Error),
    /// Serialising failed (not expected with in-memory buffers, reported rather than unwrapped).
    #[error("writing {format}: {message}")]
    Write {
        /// The format being written.
        format: Format,
        /// The serialiser's message.
        message: String,
    },
}

fn line_suffix(line: usize) -> String {
    if line == 0 { String::new() } else { format!(":{line}") }
}

impl FormatError {
    /// A problem at `line` of `path`.
    pub fn at(path: &Path, line: usize, problem: impl Into<String>) -> FormatError {
        FormatError::Input { path: path.to_path_buf(), line, problem: problem.into() }
    }

    fn write(format: Format, err: impl fmt::Display) -> FormatError {
        FormatError::Write { format, message: err.to_string() }
    }
}

/// Exports the documents `docs` (already filtered by [`select`]) of a project with schema `schema` in
/// `format`, producing files relative to `out` (a file, or a folder for brat and csv), kept in memory.
pub fn export(
    schema: &crate::model::Schema,
    docs: &[ExportDoc<'_>],
    format: Format,
    options: &ExportOptions,
    out: &Path,
) -> Result<Export, FormatError> {
    export_to(schema, docs, format, options, out, &InMemory)
}

/// [`export`], writing each file to `dest` as it is made.
pub fn export_to(
    schema: &crate::model::Schema,
    docs: &[ExportDoc<'_>],
    format: Format,
    options: &ExportOptions,
    out: &Path,
    dest: &dyn Destination,
) -> Result<Export, FormatError> {
    let mut summary = ExportSummary {
        documents: docs.len(),
        spans: docs.iter().map(|d| d.spans.len()).sum(),
        relations: docs.iter().map(|d| d.relations.len()).sum(),
        dropped: Vec::new(),
        warnings: Vec::new(),
    };
    let files = match format {
        Format::Doccano => doccano::export_seq(docs, 0, options.doccano_units, out, dest, &mut summary)?,
        Format::DoccanoRel => doccano::export_rel(docs, 0, options.doccano_units, out, dest)?,
        Format::LabelStudio => labelstudio::export(schema, docs, out, dest)?,
        Format::Spacy => spacy::export(docs, out, dest)?,
        Format::Prodigy => prodigy::export(docs, out, dest, &mut summary)?,
        Format::Brat => brat::export(docs, out, dest)?,
        Format::Csv => csv::export(schema, docs, out, dest)?,
        Format::Conll => conll::export(schema, docs, options, out, dest, &mut summary)?,
        Format::Sentences => sentences::export(docs, out, dest, &mut summary)?,
        Format::CheckthatSubjectivity => {
            shared_tasks::check_mapping(schema, &options.mapping, format)?;
            shared_tasks::export_subjectivity(docs, &options.mapping, out, dest, &mut summary)?
        }
        Format::CheckthatCheckworthiness => {
            shared_tasks::check_mapping(schema, &options.mapping, format)?;
            shared_tasks::export_checkworthiness(docs, &options.mapping, out, dest, &mut summary)?
        }
        Format::Claimbuster => {
            shared_tasks::check_mapping(schema, &options.mapping, format)?;
            shared_tasks::export_claimbuster(docs, &options.mapping, out, dest, &mut summary)?
        }
        Format::Claims => {
            shared_tasks::check_mapping(schema, &options.mapping, format)?;
            claims::export(docs, &options.mapping, out, dest, &mut summary)?
        }
    };
    match format {
        Format::Conll | Format::Prodigy | Format::Spacy => warn_off_token_edges(docs, format, &mut summary),
        Format::Doccano
        | Format::DoccanoRel
        | Format::LabelStudio
        | Format::Brat
        | Format::Csv
        | Format::Sentences
        | Format::CheckthatSubjectivity
        | Format::CheckthatCheckworthiness
        | Format::Claimbuster
        | Format::Claims => {}
    }
    Ok(Export { files, summary })
}

/// How many examples a warning names before it says "and N more".
const EXAMPLES: usize = 3;

/// Says which spans a token format cannot hold exactly, naming the first few by document, chars and text,
/// so that no span is widened silently.
fn warn_off_token_edges(docs: &[ExportDoc<'_>], format: Format, summary: &mut ExportSummary) {
    let (count, examples) = off_token_edges(docs);
    warn_off_edges(format, count, &examples, summary);
}

/// How many spans of `docs` start or end inside a token, and the first few of them, named.
fn off_token_edges(docs: &[ExportDoc<'_>]) -> (usize, Vec<String>) {
    let mut count = 0;
    let mut examples = Vec::new();
    for d in docs {
        for span in d.off_token_edges() {
            count += 1;
            if examples.len() < EXAMPLES {
                let text: String = d.text_of(span).chars().take(40).collect();
                examples.push(format!("{} chars {}–{} “{text}”", d.doc.id.as_str(), span.start.0, span.end.0));
            }
        }
    }
    (count, examples)
}

/// The warning about `count` spans off token edges, naming `examples`.
fn warn_off_edges(format: Format, count: usize, examples: &[String], summary: &mut ExportSummary) {
    let effect = match format {
        Format::Conll => "tagged as the whole tokens they touch",
        Format::Prodigy => "token_start/token_end cover the whole tokens they touch",
        _ => "not on a spaCy token edge: Doc.char_span(alignment_mode=\"strict\") gives None for them",
    };
    let more = if count > examples.len() { format!(", and {} more", count - examples.len()) } else { String::new() };
    summary.warn(count, format!("spans start or end inside a word ({effect}): {}{more}", examples.join("; ")));
}

/// Total UTF-8 size of the documents' texts, for sizing output buffers.
fn text_bytes(docs: &[ExportDoc<'_>]) -> usize {
    docs.iter().map(|d| d.doc.text.len()).sum()
}

/// `path` with `suffix` added to its file stem and extension `ext` (`data.json` → `data_config.xml`).
fn sibling(path: &Path, suffix: &str, ext: &str) -> PathBuf {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!("{stem}{suffix}.{ext}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_names_parse_and_print() {
        for format in Format::ALL {
            assert_eq!(format.as_str().parse::<Format>(), Ok(format));
        }
        assert_eq!("Label_Studio".parse::<Format>(), Ok(Format::LabelStudio));
        assert!("xml".parse::<Format>().unwrap_err().contains("doccano-rel"));
        assert_eq!("CheckThat_Check-Worthiness".parse::<Format>(), Ok(Format::CheckthatCheckworthiness));
        assert_eq!("UTF-16".parse::<DoccanoUnits>(), Ok(DoccanoUnits::Utf16));
        assert_eq!("chars".parse::<DoccanoUnits>(), Ok(DoccanoUnits::Chars));
        assert!("bytes".parse::<DoccanoUnits>().is_err());
        assert_eq!(Format::ALL.iter().filter(|f| f.importable()).count(), 6);
    }

    #[test]
    fn sibling_files_sit_beside_the_output() {
        assert_eq!(sibling(Path::new("out/tasks.json"), "_config", "xml"), Path::new("out/tasks_config.xml"));
    }
}
