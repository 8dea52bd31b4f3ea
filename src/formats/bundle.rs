//! Exporting to several formats in one run (`factmark export --format all`): the selection, offset maps,
//! tokens and sentences are made once and shared by every format, and the formats are built on all cores.
//! Exporting a 1,000-article project to each format separately tokenized its 5 MB three times and split
//! its sentences twice; done together it is one pass of each.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::{Destination, Export, ExportDoc, ExportOptions, Format, FormatError, InMemory, export_to};
use crate::model::Schema;

/// Where `format` goes inside the output folder of a many-format export: a file for most formats, a
/// folder for brat and csv.
pub fn bundle_path(out_dir: &Path, format: Format) -> PathBuf {
    let name = match format {
        Format::Doccano => "doccano.jsonl",
        Format::DoccanoRel => "doccano-rel.jsonl",
        Format::LabelStudio => "labelstudio.json",
        Format::Spacy => "spacy.jsonl",
        Format::Prodigy => "prodigy.jsonl",
        Format::Brat => "brat",
        Format::Csv => "csv",
        Format::Conll => "dataset.conll",
        Format::Sentences => "sentences.jsonl",
        Format::CheckthatSubjectivity => "checkthat_subjectivity.tsv",
        Format::CheckthatCheckworthiness => "checkthat_checkworthiness.tsv",
        Format::Claimbuster => "claimbuster.csv",
        Format::Claims => "claims.json",
    };
    out_dir.join(name)
}

/// What `factmark export --format` names: one format, or `all` of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormatChoice {
    /// One format, written to the `--out` file (or folder, for brat and csv).
    One(Format),
    /// Every format, each written into the `--out` folder under [`bundle_path`].
    All,
}

impl std::str::FromStr for FormatChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if text.trim().eq_ignore_ascii_case("all") {
            return Ok(FormatChoice::All);
        }
        text.parse().map(FormatChoice::One).map_err(|e| format!("{e}, or all"))
    }
}

/// Whether `format` reads the documents' tokens or sentences.
fn uses_tokens(format: Format) -> bool {
    matches!(
        format,
        Format::Spacy
            | Format::Prodigy
            | Format::Conll
            | Format::Sentences
            | Format::CheckthatSubjectivity
            | Format::CheckthatCheckworthiness
            | Format::Claimbuster
    )
}

/// Exports `docs` in each of `formats` into `out_dir` (see [`bundle_path`]), returning the exports in the
/// order of `formats`, their files in memory. Nothing is written; the first format that fails fails the
/// whole run.
pub fn export_many(
    schema: &Schema,
    docs: &[ExportDoc<'_>],
    formats: &[Format],
    options: &ExportOptions,
    out_dir: &Path,
) -> Result<Vec<(Format, Export)>, FormatError> {
    export_many_to(schema, docs, formats, options, out_dir, &InMemory)
}

/// [`export_many`], each file written to `dest` as it is made, on the thread making it: the command line
/// writes one format's temp files while the other core builds the next format. An error writing fails
/// the run like a format's own error.
pub fn export_many_to(
    schema: &Schema,
    docs: &[ExportDoc<'_>],
    formats: &[Format],
    options: &ExportOptions,
    out_dir: &Path,
    dest: &dyn Destination,
) -> Result<Vec<(Format, Export)>, FormatError> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, formats.len().max(1));
    // What several formats share is made on every core first (offset maps, span texts, the text as JSON,
    // tokens and sentences): were the format threads to make it on first use, they would walk the
    // documents in the same order and wait on each other.
    let tokens = formats.iter().copied().any(uses_tokens);
    let chunk = docs.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        for part in docs.chunks(chunk) {
            scope.spawn(move || {
                for d in part {
                    d.span_bytes();
                    let _escaped = d.json_text();
                    if tokens {
                        d.tokens();
                        d.sentences();
                    }
                }
            });
        }
    });
    // The costliest formats first, so the cores finish at about the same time.
    let mut order: Vec<usize> = (0..formats.len()).collect();
    order.sort_by_key(|&i| cost_rank(formats[i]));
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let results = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    // After a failure the run's result is that error: no point building or staging more.
                    while !failed.load(Ordering::Relaxed)
                        && let Some(&i) = order.get(next.fetch_add(1, Ordering::Relaxed))
                    {
                        let format = formats[i];
                        let result = export_to(schema, docs, format, options, &bundle_path(out_dir, format), dest);
                        failed.fetch_or(result.is_err(), Ordering::Relaxed);
                        done.push((i, result));
                    }
                    done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join()).collect::<Vec<_>>()
    });
    // Each index was taken by one worker at most (all of them, unless a format failed).
    let mut done = Vec::with_capacity(formats.len());
    for worker in results {
        done.extend(worker.map_err(|_| FormatError::Options("an export worker stopped unexpectedly".into()))?);
    }
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(i, result)| Ok((formats[i], result?))).collect()
}

/// Order of cost of exporting a large project into files (most expensive first, as measured by the scale
/// benchmark, whose `export_parts` gives each format's time): Prodigy writes a record per token; brat
/// creates two files per document; CoNLL and spaCy write a word per token.
fn cost_rank(format: Format) -> u8 {
    match format {
        Format::Prodigy => 0,
        Format::Brat => 1,
        Format::Conll => 2,
        Format::Spacy => 3,
        Format::LabelStudio => 4,
        Format::Csv => 5,
        Format::Sentences => 6,
        Format::DoccanoRel => 7,
        Format::Doccano => 8,
        // A row per sentence, like the sentence table.
        Format::CheckthatSubjectivity | Format::CheckthatCheckworthiness | Format::Claimbuster => 6,
        // A record per claim only.
        Format::Claims => 9,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::select;
    use crate::model::{CharIdx, DocId, Document, Project, Span, SpanId};

    #[test]
    fn many_formats_at_once_give_the_same_files_as_one_at_a_time() {
        let mut project = Project::new("p");
        let mut doc = Document::new(DocId("d1".into()), "A note", "Ann said “the plan works” — twice. Then Bo left.");
        doc.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(3), "Source", "ann"));
        doc.spans.push(Span::new(SpanId(2), CharIdx(9)..CharIdx(25), "Claim", "ann"));
        project.documents.push(doc);
        let (docs, _) = select(&project, &Default::default()).expect("select");
        let options = ExportOptions::default();
        let out = Path::new("out");
        let together = export_many(&project.schema, &docs, &Format::ALL, &options, out).expect("export");
        assert_eq!(together.len(), Format::ALL.len());
        for (format, export) in together {
            // Fresh documents, so nothing cached by the run above is reused.
            let (fresh, _) = select(&project, &Default::default()).expect("select");
            let alone = crate::formats::export(&project.schema, &fresh, format, &options, &bundle_path(out, format))
                .expect("export");
            assert_eq!(export.files, alone.files, "{format}");
        }
    }
}
