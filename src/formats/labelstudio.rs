//! Label Studio: a JSON array of tasks with one annotation each, regions in code points, relations as
//! `relation` results; plus the labelling config XML the tasks need (`from_name`/`to_name` must match it).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::annotation_import::{ImportedDoc, ImportedRelation, ImportedSpan};
use super::{Destination, ExportDoc, FileOut, Format, FormatError, OutputFile, sibling, whole_file};
use crate::model::{CharIdx, Schema};
use crate::text::offsets::char_len;

/// Name of the `<Labels>` control in the config and `from_name` of every region.
const FROM_NAME: &str = "label";
/// Name of the `<Text>` object in the config and `to_name` of every region.
const TO_NAME: &str = "text";

/// A region's value as read.
#[derive(Deserialize)]
struct Value {
    start: usize,
    end: usize,
    #[serde(default)]
    text: Option<String>,
    labels: Vec<String>,
}

/// A region's value as written, borrowed from the project.
#[derive(Serialize)]
struct OutValue<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    labels: [&'a str; 1],
}

/// A region's id, `<doc id>-<span id>`, written straight into the JSON rather than made as a string per span.
#[derive(Clone, Copy)]
struct RegionId<'a>(&'a ExportDoc<'a>, crate::model::SpanId);

impl Serialize for RegionId<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&format_args!("{}-{}", self.0.doc.id, self.1))
    }
}

#[derive(Serialize)]
#[serde(untagged)]
enum Region<'a> {
    Labels {
        id: RegionId<'a>,
        from_name: &'static str,
        to_name: &'static str,
        #[serde(rename = "type")]
        kind: &'static str,
        origin: &'static str,
        value: OutValue<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        meta: Option<RegionMeta<'a>>,
    },
    Relation {
        from_id: RegionId<'a>,
        to_id: RegionId<'a>,
        #[serde(rename = "type")]
        kind: &'static str,
        direction: &'static str,
        labels: [&'a str; 1],
    },
}

/// Label Studio shows `meta.text` as the region's note.
#[derive(Serialize)]
struct RegionMeta<'a> {
    text: [&'a str; 1],
}

#[derive(Serialize)]
struct Annotation<'a> {
    id: usize,
    completed_by: usize,
    was_cancelled: bool,
    result: Vec<Region<'a>>,
}

#[derive(Serialize)]
struct Data<'a> {
    text: &'a serde_json::value::RawValue,
    title: &'a str,
    doc_id: &'a str,
}

#[derive(Serialize)]
struct Task<'a> {
    id: usize,
    data: Data<'a>,
    annotations: [Annotation<'a>; 1],
    predictions: [(); 0],
}

/// The tasks file at `out` and the config XML beside it (`<stem>_config.xml`).
pub fn export(
    schema: &Schema,
    docs: &[ExportDoc<'_>],
    out: &Path,
    dest: &dyn Destination,
) -> Result<Vec<OutputFile>, FormatError> {
    // One task per line inside the array: compact (pretty-printing made a third of the file indentation),
    // yet `head` and line diffs still show one task at a time.
    let mut file = FileOut::open(dest, out.to_path_buf(), super::text_bytes(docs) * 4)?;
    file.buf().push(b'[');
    for (n, d) in docs.iter().enumerate() {
        let mut result = Vec::with_capacity(d.spans.len() + d.relations.len());
        for s in &d.spans {
            result.push(Region::Labels {
                id: RegionId(d, s.id),
                from_name: FROM_NAME,
                to_name: TO_NAME,
                kind: "labels",
                origin: "manual",
                value: OutValue { start: s.start.0, end: s.end.0, text: d.text_of(s), labels: [&s.label] },
                meta: (!s.note.is_empty()).then_some(RegionMeta { text: [s.note.as_str()] }),
            });
        }
        for r in &d.relations {
            result.push(Region::Relation {
                from_id: RegionId(d, r.from),
                to_id: RegionId(d, r.to),
                kind: "relation",
                direction: "right",
                labels: [r.kind.as_str()],
            });
        }
        let task = Task {
            id: n + 1,
            data: Data { text: d.json_text()?, title: &d.doc.title, doc_id: d.doc.id.as_str() },
            annotations: [Annotation { id: n + 1, completed_by: 1, was_cancelled: false, result }],
            predictions: [],
        };
        let bytes = file.buf();
        bytes.extend_from_slice(if n == 0 { b"\n" } else { b",\n" });
        serde_json::to_writer(&mut *bytes, &task).map_err(|e| FormatError::write(Format::LabelStudio, e))?;
        file.row_done()?;
    }
    file.buf().extend_from_slice(b"\n]\n");
    Ok(vec![file.finish()?, whole_file(dest, sibling(out, "_config", "xml"), config(schema).as_bytes())?])
}

/// Escapes text for an XML attribute value.
fn xml_attr(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The labelling config: every label of the schema (colours included) and every relation type.
pub fn config(schema: &Schema) -> String {
    let mut out = format!("<View>\n  <Labels name=\"{FROM_NAME}\" toName=\"{TO_NAME}\">\n");
    for l in &schema.labels {
        out.push_str(&format!("    <Label value=\"{}\" background=\"{}\"/>\n", xml_attr(&l.name), l.color));
    }
    out.push_str(&format!("  </Labels>\n  <Text name=\"{TO_NAME}\" value=\"$text\"/>\n  <Relations>\n"));
    for r in &schema.relation_types {
        out.push_str(&format!("    <Relation value=\"{}\"/>\n", xml_attr(&r.name)));
    }
    out.push_str("  </Relations>\n</View>\n");
    out
}

#[derive(Deserialize)]
struct InTask {
    data: InData,
    #[serde(default)]
    annotations: Vec<InAnnotation>,
}

#[derive(Deserialize)]
struct InData {
    text: String,
}

#[derive(Deserialize)]
struct InAnnotation {
    #[serde(default)]
    was_cancelled: bool,
    #[serde(default)]
    result: Vec<serde_json::Value>,
}

/// The 1-based line where each element of the top-level JSON array starts: where each task begins, for
/// messages. A small scanner that skips strings, so braces inside text do not count.
fn task_lines(content: &str) -> Vec<usize> {
    let (mut lines, mut line, mut depth) = (Vec::new(), 1, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for ch in content.chars() {
        if in_string {
            match (escaped, ch) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else {
            match ch {
                '"' => in_string = true,
                '{' | '[' => {
                    if depth == 1 {
                        lines.push(line);
                    }
                    depth += 1;
                }
                '}' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        if ch == '\n' {
            line += 1;
        }
    }
    lines
}

/// Reads a Label Studio JSON export (an array of tasks).
pub fn parse(path: &Path, content: &str) -> Result<Vec<ImportedDoc>, FormatError> {
    let tasks: Vec<InTask> = serde_json::from_str(content)
        .map_err(|e| FormatError::at(path, e.line(), format!("not a Label Studio task list: {e}")))?;
    let lines = task_lines(content);
    let mut docs = Vec::with_capacity(tasks.len());
    for (n, task) in tasks.into_iter().enumerate() {
        let line = lines.get(n).copied().unwrap_or(0);
        let bad = |problem: String| FormatError::at(path, line, format!("task {}: {problem}", n + 1));
        let len = char_len(&task.data.text);
        let mut spans = Vec::new();
        let mut relations = Vec::new();
        let mut ids: HashMap<String, usize> = HashMap::new();
        let results = task.annotations.iter().filter(|a| !a.was_cancelled).flat_map(|a| a.result.iter());
        let mut pending = Vec::new();
        for (r, result) in results.enumerate() {
            let bad = |problem: String| bad(format!("result {}: {problem}", r + 1));
            let kind = result.get("type").and_then(|t| t.as_str()).unwrap_or_default();
            match kind {
                "labels" => {
                    let value: Value = result
                        .get("value")
                        .cloned()
                        .and_then(|v| serde_json::from_value(v).ok())
                        .ok_or_else(|| bad("a labels region without start, end and labels".into()))?;
                    if value.end > len || value.start >= value.end {
                        return Err(bad(format!(
                            "region {}..{} is empty or outside the text ({len} chars)",
                            value.start, value.end
                        )));
                    }
                    if let Some(id) = result.get("id").and_then(|i| i.as_str()) {
                        ids.insert(id.to_string(), spans.len());
                    }
                    let note = result
                        .pointer("/meta/text/0")
                        .and_then(|t| t.as_str())
                        .filter(|t| !t.is_empty())
                        .map(str::to_string);
                    for label in &value.labels {
                        let mut span = ImportedSpan::new(line, CharIdx(value.start)..CharIdx(value.end), label);
                        span.text = value.text.clone();
                        span.note = note.clone();
                        spans.push(span);
                    }
                }
                "relation" => pending.push(result),
                // Other result types (choices, ratings …) carry nothing factmark stores on spans.
                _ => {}
            }
        }
        for result in pending {
            let end = |key: &str| {
                let id = result.get(key).and_then(|i| i.as_str()).unwrap_or_default();
                ids.get(id).copied().ok_or_else(|| bad(format!("relation {key} {id:?} names no region")))
            };
            let (from, to) = (end("from_id")?, end("to_id")?);
            let labels: Vec<&str> = result
                .get("labels")
                .and_then(|l| l.as_array())
                .map(|l| l.iter().filter_map(|x| x.as_str()).collect())
                .unwrap_or_default();
            if labels.is_empty() {
                return Err(bad("a relation without a label".into()));
            }
            let backwards = result.get("direction").and_then(|d| d.as_str()) == Some("left");
            let (from, to) = if backwards { (to, from) } else { (from, to) };
            for kind in labels {
                relations.push(ImportedRelation { line, from, to, kind: kind.to_string() });
            }
        }
        docs.push(ImportedDoc { path: path.to_path_buf(), line, text: task.data.text, spans, relations });
    }
    Ok(docs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn task_lines_skip_braces_inside_strings() {
        let content = "[\n {\"data\": {\"text\": \"a { [ \\\" }\"}},\n\n {\"data\": {\"text\": \"b\"}}\n]";
        assert_eq!(task_lines(content), [2, 4]);
    }
}
