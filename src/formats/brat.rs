//! brat standoff: a folder with `<doc>.txt` (the text, LF line ends) and `<doc>.ann` per document.
//! `T` lines are spans (`T1<TAB>Label start end<TAB>text`, code points of the .txt), `R` lines relations
//! (`R1<TAB>type Arg1:T1 Arg2:T2`), `#` lines notes (`AnnotatorNotes`), `A` lines attributes.
//! A span that crosses a line end is written as fragments (`start end;start end`), since brat's T-line text
//! cannot hold a newline.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use super::annotation_import::{ImportedDoc, ImportedRelation, ImportedSpan};
use super::{Destination, ExportDoc, FormatError, OutputFile, whole_file};
use crate::model::{AttrValue, CharIdx};
use crate::text::offsets::OffsetMap;

/// The parts of `text` (which starts at char `start`) between line ends, with their char ranges.
fn fragments(text: &str, start: usize) -> Vec<(usize, usize, &str)> {
    let mut out = Vec::with_capacity(1);
    let mut at = start;
    for piece in text.split('\n') {
        let len = crate::text::offsets::char_len(piece);
        if len > 0 {
            out.push((at, at + len, piece));
        }
        at += len + 1;
    }
    out
}

/// Makes free text fit on one brat line.
fn one_line(text: &str) -> String {
    text.replace(['\n', '\t', '\r'], " ")
}

/// One `.txt` and one `.ann` per document, named by document id.
pub fn export(docs: &[ExportDoc<'_>], out: &Path, dest: &dyn Destination) -> Result<Vec<OutputFile>, FormatError> {
    let mut files = Vec::with_capacity(docs.len() * 2);
    for d in docs {
        let mut ann = String::new();
        let mut t_of = HashMap::new();
        let (mut attrs, mut notes) = (0, 0);
        for (i, s) in d.spans.iter().enumerate() {
            // brat separates a label from its offsets with a space, so a label with one cannot be written
            // without the file being read back wrong.
            if s.label.contains(char::is_whitespace) {
                return Err(FormatError::Options(format!(
                    "brat cannot hold the label {:?}: brat labels cannot contain spaces; rename the label",
                    s.label
                )));
            }
            let t = i + 1;
            t_of.insert(s.id, t);
            let frags = fragments(d.text_of(s), s.start.0);
            // Writing to a String cannot fail.
            let _ = write!(ann, "T{t}\t{} ", s.label);
            for (k, (a, b, _)) in frags.iter().enumerate() {
                let _ = write!(ann, "{}{a} {b}", if k > 0 { ";" } else { "" });
            }
            ann.push('\t');
            for (k, (_, _, piece)) in frags.iter().enumerate() {
                if k > 0 {
                    ann.push(' ');
                }
                ann.push_str(piece);
            }
            ann.push('\n');
            for (name, value) in &s.attributes {
                attrs += 1;
                match value {
                    AttrValue::Bool(true) => ann.push_str(&format!("A{attrs}\t{name} T{t}\n")),
                    // brat binary attributes are present or absent: false is absence.
                    AttrValue::Bool(false) => attrs -= 1,
                    other => ann.push_str(&format!("A{attrs}\t{name} T{t} {}\n", one_line(&other.to_string()))),
                }
            }
            if !s.note.is_empty() {
                notes += 1;
                ann.push_str(&format!("#{notes}\tAnnotatorNotes T{t}\t{}\n", one_line(&s.note)));
            }
        }
        for (i, r) in d.relations.iter().enumerate() {
            let (Some(a), Some(b)) = (t_of.get(&r.from), t_of.get(&r.to)) else { continue };
            ann.push_str(&format!("R{}\t{} Arg1:T{a} Arg2:T{b}\n", i + 1, r.kind));
        }
        let stem = d.doc.id.as_str();
        // The id names the files: one from someone else's project must not reach outside `out`.
        if !is_plain_file_name(stem) {
            return Err(FormatError::Options(format!(
                "brat cannot name a file after the document id {stem:?}: a document id must be a plain file name"
            )));
        }
        files.push(whole_file(dest, out.join(format!("{stem}.txt")), d.doc.text.as_bytes())?);
        files.push(whole_file(dest, out.join(format!("{stem}.ann")), ann.as_bytes())?);
    }
    Ok(files)
}

/// Whether `name` is one plain file name: not empty, not `.` or `..`, no path separators or NUL, so
/// `out.join(name)` stays inside `out`.
fn is_plain_file_name(name: &str) -> bool {
    !name.is_empty()
        && name != "."
        && name != ".."
        && !name.contains(['/', '\\', '\0'])
        && Path::new(name).file_name().is_some_and(|n| n == name)
}

/// Reads every `.ann` of a folder (or one `.ann` file) with the `.txt` beside it.
pub fn parse_folder(input: &Path) -> Result<Vec<ImportedDoc>, FormatError> {
    let anns: Vec<PathBuf> = if input.is_dir() {
        let io = |source| FormatError::Io { path: input.to_path_buf(), source };
        let mut files: Vec<PathBuf> = fs::read_dir(input)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ann"))
            .collect();
        files.sort();
        files
    } else {
        vec![input.to_path_buf()]
    };
    let mut docs = Vec::with_capacity(anns.len());
    for ann in anns {
        let txt = ann.with_extension("txt");
        let text = super::annotation_import::read(&txt)?;
        let content = super::annotation_import::read(&ann)?;
        docs.push(parse(&ann, &content, text)?);
    }
    Ok(docs)
}

/// Parses one `.ann` against its text.
pub fn parse(path: &Path, content: &str, text: String) -> Result<ImportedDoc, FormatError> {
    let map = OffsetMap::new(&text);
    let mut spans = Vec::new();
    let mut t_index: HashMap<String, usize> = HashMap::new();
    let mut relation_lines = Vec::new();
    let mut notes = Vec::new();
    for (i, line) in content.lines().enumerate() {
        let line_no = i + 1;
        let bad = |problem: String| FormatError::at(path, line_no, problem);
        let mut cols = line.splitn(3, '\t');
        let id = cols.next().unwrap_or_default();
        match id.chars().next() {
            Some('T') => {
                let (Some(spec), Some(covered)) = (cols.next(), cols.next()) else {
                    return Err(bad("a T line needs ID<TAB>Label start end<TAB>text".into()));
                };
                let (label, offsets) = spec.split_once(' ').ok_or_else(|| bad("no offsets after the label".into()))?;
                let mut frags = Vec::new();
                for frag in offsets.split(';') {
                    let nums: Vec<usize> = frag.split_whitespace().filter_map(|n| n.parse().ok()).collect();
                    let [a, b] = nums[..] else { return Err(bad(format!("bad offsets {frag:?}"))) };
                    let covered =
                        map.slice(CharIdx(a)..CharIdx(b)).map_err(|e| bad(format!("offsets {a} {b}: {e}")))?;
                    frags.push((a, b, covered));
                }
                let joined: Vec<&str> = frags.iter().map(|f| f.2).collect();
                if joined.join(" ") != covered {
                    return Err(bad(format!("{id} says {covered:?} but the text there is {:?}", joined.join(" "))));
                }
                let start = frags.iter().map(|f| f.0).min().unwrap_or(0);
                let end = frags.iter().map(|f| f.1).max().unwrap_or(0);
                t_index.insert(id.to_string(), spans.len());
                spans.push(ImportedSpan::new(line_no, CharIdx(start)..CharIdx(end), label));
            }
            Some('R') => relation_lines.push((line_no, cols.next().unwrap_or_default().to_string())),
            Some('#') => {
                let spec = cols.next().unwrap_or_default();
                if let Some(target) = spec.strip_prefix("AnnotatorNotes ") {
                    notes.push((line_no, target.trim().to_string(), cols.next().unwrap_or_default().to_string()));
                }
            }
            // Attributes, events, normalisations: factmark has no place for them on import.
            _ => {}
        }
    }
    for (line_no, target, note) in notes {
        let at =
            t_index.get(&target).ok_or_else(|| FormatError::at(path, line_no, format!("note on unknown {target}")))?;
        spans[*at].note = Some(note);
    }
    let mut relations = Vec::new();
    for (line_no, spec) in relation_lines {
        let bad = |problem: String| FormatError::at(path, line_no, problem);
        let mut parts = spec.split_whitespace();
        let kind = parts.next().ok_or_else(|| bad("an R line needs a type".into()))?;
        let mut arg = |name: &str| {
            let t = parts.next().and_then(|p| p.split_once(':')).map(|(_, t)| t.to_string()).unwrap_or_default();
            t_index.get(&t).copied().ok_or_else(|| bad(format!("{name} {t:?} is not a T line of this file")))
        };
        let from = arg("Arg1")?;
        let to = arg("Arg2")?;
        relations.push(ImportedRelation { line: line_no, from, to, kind: kind.to_string() });
    }
    Ok(ImportedDoc { path: path.to_path_buf(), line: 0, text, spans, relations })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Document, Span, SpanId};

    #[test]
    fn a_span_across_a_line_end_becomes_fragments_and_reads_back_whole() {
        let mut doc = Document::new(DocId("d".into()), "d", "First line\nsecond 😡 line");
        doc.spans.push(Span::new(SpanId(1), CharIdx(6)..CharIdx(17), "Claim", ""));
        let files = export(&[ExportDoc::all(&doc)], Path::new("b"), &crate::formats::InMemory).unwrap();
        let ann = String::from_utf8(files[1].bytes.clone()).unwrap();
        assert_eq!(ann, "T1\tClaim 6 10;11 17\tline second\n");
        let back = parse(Path::new("b/d.ann"), &ann, doc.text.clone()).unwrap();
        assert_eq!(back.spans[0].range, CharIdx(6)..CharIdx(17));
    }

    #[test]
    fn labels_with_spaces_are_refused_not_written_wrong() {
        let mut doc = Document::new(DocId("d".into()), "d", "Officials said so.");
        doc.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(9), "Named source", ""));
        let err = export(&[ExportDoc::all(&doc)], Path::new("b"), &crate::formats::InMemory).unwrap_err().to_string();
        assert!(err.contains("\"Named source\"") && err.contains("cannot contain spaces"), "{err}");
    }

    #[test]
    fn bad_lines_name_their_line() {
        let err = parse(Path::new("x.ann"), "T1\tClaim 0 5\tFirst\nT2\tClaim zero 5\tFirst\n", "First".into());
        assert_eq!(err.unwrap_err().to_string(), "x.ann:2: bad offsets \"zero 5\"");
        let err =
            parse(Path::new("x.ann"), "T1\tClaim 0 5\tFirst\nR1\tattributed_to Arg1:T1 Arg2:T9\n", "First".into());
        assert_eq!(err.unwrap_err().to_string(), "x.ann:2: Arg2 \"T9\" is not a T line of this file");
    }
}
