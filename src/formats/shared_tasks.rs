//! The shared-task formats claim-detection and subjectivity researchers train and submit in: CheckThat!
//! subjectivity (`sentence_id⇥sentence⇥label`, `SUBJ`/`OBJ`), CheckThat! check-worthiness
//! (`sentence_id⇥text⇥class_label`, `Yes`/`No`) and a ClaimBuster-style CSV
//! (`Sentence_id,Text,Speaker,File_id,Line_number,Verdict`, `1`/`0`/`-1`). Each row is one sentence of
//! [`ExportDoc::sentences`], labelled from the spans that overlap it through a [`TaskMapping`]. Sentence
//! ids are `<document id>-<sentence index>` counted from 1 within the document, so a re-export gives the
//! same sentence the same id.
//!
//! The tables are written with the `csv` crate: the TSVs with a tab delimiter. A field is quoted (RFC 4180:
//! wrapped in `"`, inner `"` doubled) only when it holds a tab, a quote or a line end, so an ordinary
//! sentence is written bare and any reader that follows RFC 4180 quoting (pandas' default, Python's `csv`
//! with `delimiter="\t"`) gets every sentence back exactly; a reader that splits lines on tabs by hand
//! would cut such a sentence apart.

use std::ops::Range;
use std::path::Path;

use super::{Destination, ExportDoc, ExportSummary, FileOut, Format, FormatError, OutputFile};
use crate::model::{AttrValue, CharIdx, Schema, Span};

/// Which spans the shared-task formats read their labels from. The default: Opinion spans make a
/// sentence subjective; Claim spans are claims, check-worthy when their `check_worthy` attribute is yes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskMapping {
    /// Labels whose spans make a sentence `SUBJ` (matched ignoring ASCII case).
    pub subjective_labels: Vec<String>,
    /// The label of claim spans.
    pub claim_label: String,
    /// The attribute that marks a claim check-worthy (yes/true). When no exported claim carries it at all,
    /// every claim counts as check-worthy: the project did not annotate check-worthiness separately.
    pub check_worthy_attribute: String,
}

impl Default for TaskMapping {
    fn default() -> Self {
        TaskMapping {
            subjective_labels: vec!["Opinion".to_string()],
            claim_label: "Claim".to_string(),
            check_worthy_attribute: "check_worthy".to_string(),
        }
    }
}

/// The label of the spans a claim is attributed to; the Speaker of a claim is such a span's text.
pub(super) const SOURCE_LABEL: &str = "Source";

/// Whether an attribute value says yes. Text values count when they read like a yes, because a schema
/// may keep check-worthiness as a choice or as free text rather than as a yes/no attribute.
fn is_yes(value: &AttrValue) -> bool {
    match value {
        AttrValue::Bool(b) => *b,
        AttrValue::Number(n) => *n != 0.0,
        AttrValue::Text(t) => ["yes", "true", "1", "y"].iter().any(|y| t.trim().eq_ignore_ascii_case(y)),
    }
}

/// Checks the mapping's labels against the schema: a misspelt label would otherwise quietly label every
/// sentence `OBJ` or `No`.
pub(super) fn check_mapping(schema: &Schema, mapping: &TaskMapping, format: Format) -> Result<(), FormatError> {
    let names: Vec<(&str, &str)> = match format {
        Format::CheckthatSubjectivity => {
            mapping.subjective_labels.iter().map(|l| ("--subjective-labels", l.as_str())).collect()
        }
        _ => vec![("--claim-label", mapping.claim_label.as_str())],
    };
    for (flag, name) in names {
        if schema.label_ignore_case(name.trim()).is_none() {
            let known: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
            return Err(FormatError::Options(format!(
                "{flag}: {name:?} is not a label of this project ({})",
                known.join(", ")
            )));
        }
    }
    Ok(())
}

/// How claims are judged check-worthy in one export, decided once over every exported document.
pub(super) struct Claims<'m> {
    mapping: &'m TaskMapping,
    /// Whether any exported claim carries the check-worthiness attribute.
    attribute_used: bool,
}

impl<'m> Claims<'m> {
    /// Looks at every claim of `docs` to see whether the check-worthiness attribute is in use.
    pub(super) fn new(docs: &[ExportDoc<'_>], mapping: &'m TaskMapping) -> Claims<'m> {
        let attribute_used = docs.iter().flat_map(|d| &d.spans).any(|s| {
            s.label.eq_ignore_ascii_case(mapping.claim_label.trim())
                && s.attributes.contains_key(&mapping.check_worthy_attribute)
        });
        Claims { mapping, attribute_used }
    }

    /// Whether `span` is a claim.
    pub(super) fn is_claim(&self, span: &Span) -> bool {
        span.label.eq_ignore_ascii_case(self.mapping.claim_label.trim())
    }

    /// Whether `span` is a check-worthy claim.
    pub(super) fn is_check_worthy(&self, span: &Span) -> bool {
        self.is_claim(span)
            && (!self.attribute_used || span.attributes.get(&self.mapping.check_worthy_attribute).is_some_and(is_yes))
    }

    /// Notes in the summary that every claim was counted, so nobody mistakes the labels for annotated ones.
    fn note_fallback(&self, docs: &[ExportDoc<'_>], summary: &mut ExportSummary) {
        if !self.attribute_used {
            let claims = docs.iter().flat_map(|d| &d.spans).filter(|s| self.is_claim(s)).count();
            summary.warn(
                claims,
                format!(
                    "claims counted as check-worthy: none has the attribute {:?}",
                    self.mapping.check_worthy_attribute
                ),
            );
        }
    }
}

/// The sentences a char range overlaps, as indices into `sentences` (sorted, disjoint): a binary search
/// for the first, then a walk while they overlap, so labelling costs O(spans · log sentences).
fn overlapped(sentences: &[Range<CharIdx>], range: Range<CharIdx>) -> Range<usize> {
    let first = sentences.partition_point(|r| r.end <= range.start);
    let last = first + sentences[first..].iter().take_while(|r| r.start < range.end).count();
    first..last
}

/// For each sentence of `d`, whether any span passing `test` overlaps it.
fn sentence_flags(d: &ExportDoc<'_>, test: impl Fn(&Span) -> bool) -> Vec<bool> {
    let sentences = d.sentences();
    let mut flags = vec![false; sentences.len()];
    for span in d.spans.iter().filter(|s| test(s)) {
        for i in overlapped(sentences, span.range()) {
            flags[i] = true;
        }
    }
    flags
}

/// The stable id of sentence `index` (0-based in `sentences()`) of `d`: counted from 1.
fn sentence_id(d: &ExportDoc<'_>, index: usize) -> String {
    format!("{}-{}", d.doc.id.as_str(), index + 1)
}

/// The texts of the Source spans attributed to `claim` (relations from a Source to it), in span order,
/// each once; `None` when it has none.
pub(super) fn speaker_of(d: &ExportDoc<'_>, claim: &Span) -> Option<String> {
    let mut sources: Vec<&Span> = d
        .relations
        .iter()
        .filter(|r| r.to == claim.id)
        .filter_map(|r| d.index_of(r.from).map(|i| d.spans[i]))
        .filter(|s| s.label.eq_ignore_ascii_case(SOURCE_LABEL))
        .collect();
    sources.sort_by_key(|s| (s.start, s.end, s.id));
    let mut texts: Vec<&str> = Vec::new();
    for s in sources {
        let text = d.text_of(s);
        if !texts.contains(&text) {
            texts.push(text);
        }
    }
    // Several sources of one claim are kept together rather than picking one arbitrarily.
    if texts.is_empty() { None } else { Some(texts.join("; ")) }
}

/// A table being written row by row, with RFC 4180 quoting (see the module comment). Rows go straight to
/// the file: 100,000 sentences are not first kept as a hundred thousand vectors of copied strings.
struct Table {
    writer: ::csv::Writer<FileOut>,
    format: Format,
    /// Rows written after the header.
    rows: usize,
}

impl Table {
    /// Opens `out` and writes the header. TSVs end lines with LF as CheckThat!'s own files do; the
    /// ClaimBuster CSV ends them with CRLF as RFC 4180 and factmark's other CSVs do.
    fn open(
        format: Format,
        dest: &dyn Destination,
        out: &Path,
        delimiter: u8,
        size_guess: usize,
        header: &[&str],
    ) -> Result<Table, FormatError> {
        let terminator = if delimiter == b'\t' { ::csv::Terminator::Any(b'\n') } else { ::csv::Terminator::CRLF };
        let file = FileOut::open(dest, out.to_path_buf(), size_guess)?;
        let writer = ::csv::WriterBuilder::new().delimiter(delimiter).terminator(terminator).from_writer(file);
        let mut table = Table { writer, format, rows: 0 };
        table.writer.write_record(header).map_err(|e| FormatError::write(format, e))?;
        Ok(table)
    }

    /// Writes one row.
    fn row(&mut self, fields: &[&str]) -> Result<(), FormatError> {
        self.writer.write_record(fields).map_err(|e| FormatError::write(self.format, e))?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes and closes the file; returns it and the number of rows.
    fn finish(self) -> Result<(OutputFile, usize), FormatError> {
        let format = self.format;
        let file = self.writer.into_inner().map_err(|e| FormatError::write(format, e.error()))?.finish()?;
        Ok((file, self.rows))
    }
}

/// Bytes a sentence table of `docs` takes, about: the text plus an id and a label per sentence.
fn size_guess(docs: &[ExportDoc<'_>]) -> usize {
    super::text_bytes(docs) + docs.iter().map(|d| d.sentences().len() * 40).sum::<usize>()
}

/// CheckThat! subjectivity: `sentence_id⇥sentence⇥label`, `SUBJ` when a span of a subjective label
/// overlaps the sentence, else `OBJ`.
pub(super) fn export_subjectivity(
    docs: &[ExportDoc<'_>],
    mapping: &TaskMapping,
    out: &Path,
    dest: &dyn Destination,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    let subjective = |s: &Span| mapping.subjective_labels.iter().any(|l| s.label.eq_ignore_ascii_case(l.trim()));
    let header = ["sentence_id", "sentence", "label"];
    let (file, rows) =
        flag_table(Format::CheckthatSubjectivity, &header, ("SUBJ", "OBJ"), docs, out, dest, subjective)?;
    sentences_only(rows, summary);
    Ok(vec![file])
}

/// A table of every sentence with its id, its text and one of two labels: `yes` when a span passing `flag`
/// overlaps it, else `no`.
fn flag_table(
    format: Format,
    header: &[&str],
    (yes, no): (&str, &str),
    docs: &[ExportDoc<'_>],
    out: &Path,
    dest: &dyn Destination,
    flag: impl Fn(&Span) -> bool,
) -> Result<(OutputFile, usize), FormatError> {
    let mut table = Table::open(format, dest, out, b'\t', size_guess(docs), header)?;
    for d in docs {
        let flags = sentence_flags(d, &flag);
        for (i, (range, on)) in d.sentences().iter().zip(flags).enumerate() {
            let text = d.map.slice(range.clone()).unwrap_or_default();
            table.row(&[&sentence_id(d, i), text, if on { yes } else { no }])?;
        }
    }
    table.finish()
}

/// CheckThat! check-worthiness: `sentence_id⇥text⇥class_label`, `Yes` when a check-worthy claim overlaps
/// the sentence, else `No`.
pub(super) fn export_checkworthiness(
    docs: &[ExportDoc<'_>],
    mapping: &TaskMapping,
    out: &Path,
    dest: &dyn Destination,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    let claims = Claims::new(docs, mapping);
    let header = ["sentence_id", "text", "class_label"];
    let worthy = |s: &Span| claims.is_check_worthy(s);
    let (file, rows) = flag_table(Format::CheckthatCheckworthiness, &header, ("Yes", "No"), docs, out, dest, worthy)?;
    claims.note_fallback(docs, summary);
    sentences_only(rows, summary);
    Ok(vec![file])
}

/// ClaimBuster-style CSV: `Sentence_id,Text,Speaker,File_id,Line_number,Verdict`. Verdict `1` when a
/// check-worthy claim overlaps the sentence, `0` when only other claims do, `-1` when none does; Speaker is
/// the Source attributed to those claims.
pub(super) fn export_claimbuster(
    docs: &[ExportDoc<'_>],
    mapping: &TaskMapping,
    out: &Path,
    dest: &dyn Destination,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    let claims = Claims::new(docs, mapping);
    let header = ["Sentence_id", "Text", "Speaker", "File_id", "Line_number", "Verdict"];
    let mut table = Table::open(Format::Claimbuster, dest, out, b',', size_guess(docs), &header)?;
    for d in docs {
        let sentences = d.sentences();
        // Per sentence: the best verdict seen and the speakers of its claims.
        let mut verdicts = vec![-1i8; sentences.len()];
        let mut speakers: Vec<Vec<String>> = vec![Vec::new(); sentences.len()];
        for span in d.spans.iter().filter(|s| claims.is_claim(s)) {
            let verdict = if claims.is_check_worthy(span) { 1 } else { 0 };
            let speaker = speaker_of(d, span);
            for i in overlapped(sentences, span.range()) {
                verdicts[i] = verdicts[i].max(verdict);
                if let Some(name) = &speaker
                    && !speakers[i].contains(name)
                {
                    speakers[i].push(name.clone());
                }
            }
        }
        for (i, range) in sentences.iter().enumerate() {
            let text = d.map.slice(range.clone()).unwrap_or_default();
            let line = (i + 1).to_string();
            let verdict = match verdicts[i] {
                1 => "1",
                0 => "0",
                _ => "-1",
            };
            table.row(&[&sentence_id(d, i), text, &speakers[i].join("; "), d.doc.id.as_str(), &line, verdict])?;
        }
    }
    let (file, rows) = table.finish()?;
    claims.note_fallback(docs, summary);
    summary.warn(rows, "sentences written (spans become sentence labels)");
    Ok(vec![file])
}

/// The summary of a sentence table that has no place for relations.
fn sentences_only(rows: usize, summary: &mut ExportSummary) {
    summary.warn(rows, "sentences written (spans become sentence labels)");
    summary.drop(summary.relations, "relations (sentence rows have none)");
    summary.relations = 0;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::InMemory;

    /// A sentence with a tab, quotes and a line end (the splitter never gives one with a line end, but a
    /// row must survive it all the same) comes back whole through an RFC 4180 reader.
    #[test]
    fn awkward_text_survives_the_tab_separated_table() {
        let awkward = "He said \"no\"\tthen\nleft, twice";
        let rows =
            vec![vec!["sentence_id", "sentence", "label"], vec!["d-1", awkward, "SUBJ"], vec!["d-2", "Plain.", "OBJ"]];
        let mut table = Table::open(Format::CheckthatSubjectivity, &InMemory, Path::new("s.tsv"), b'\t', 0, &rows[0])
            .expect("open");
        for row in &rows[1..] {
            table.row(row).expect("row");
        }
        let (file, written) = table.finish().expect("written");
        assert_eq!(written, 2);
        let text = String::from_utf8(file.bytes.clone()).expect("UTF-8");
        assert!(text.ends_with("d-2\tPlain.\tOBJ\n"), "a plain sentence is written bare: {text:?}");
        let mut reader =
            ::csv::ReaderBuilder::new().delimiter(b'\t').has_headers(false).from_reader(file.bytes.as_slice());
        let back: Vec<Vec<String>> =
            reader.records().map(|r| r.expect("record").iter().map(str::to_string).collect()).collect();
        assert_eq!(back, rows);
    }

    #[test]
    fn overlap_finds_every_sentence_a_range_touches() {
        let s = |a: usize, b: usize| CharIdx(a)..CharIdx(b);
        let sentences = [s(0, 10), s(11, 20), s(21, 30)];
        assert_eq!(overlapped(&sentences, s(5, 12)), 0..2);
        assert_eq!(overlapped(&sentences, s(10, 11)), 1..1);
        assert_eq!(overlapped(&sentences, s(25, 40)), 2..3);
        assert_eq!(overlapped(&sentences, s(0, 30)), 0..3);
    }

    #[test]
    fn yes_values_are_recognised() {
        assert!(is_yes(&AttrValue::Bool(true)));
        assert!(!is_yes(&AttrValue::Bool(false)));
        assert!(is_yes(&AttrValue::Text(" Yes ".into())));
        assert!(!is_yes(&AttrValue::Text("no".into())));
        assert!(is_yes(&AttrValue::Number(1.0)));
        assert!(!is_yes(&AttrValue::Number(0.0)));
    }
}
