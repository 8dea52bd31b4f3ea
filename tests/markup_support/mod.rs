//! The articles of the evaluation and gold sets are written in a small markup (see tests/eval/README.md):
//! `[Label#name>target|text]`. This turns a folder of them into a project.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use factmark::model::{CharIdx, Document, Project, Relation, RelationId, Span, SpanId};

/// A span read from the markup, before ids are assigned.
pub struct Marked {
    pub label: String,
    pub name: Option<String>,
    pub target: Option<String>,
    pub start: usize,
    pub end: usize,
}

/// Reads `[Label#id>target|text]` markup: returns the plain text and the spans (char offsets).
pub fn parse_markup(marked: &str) -> (String, Vec<Marked>) {
    let mut text = String::new();
    let mut chars = 0;
    let mut open: Vec<Marked> = Vec::new();
    let mut done = Vec::new();
    let mut rest = marked;
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            let bar = rest.find('|').expect("a [ needs a |");
            let header = &rest[1..bar];
            let (head, target) = match header.split_once('>') {
                Some((h, t)) => (h, Some(t.to_string())),
                None => (header, None),
            };
            let (label, name) = match head.split_once('#') {
                Some((l, n)) => (l.to_string(), Some(n.to_string())),
                None => (head.to_string(), None),
            };
            open.push(Marked { label, name, target, start: chars, end: 0 });
            rest = &rest[bar + 1..];
            continue;
        }
        if c == ']' {
            let mut span = open.pop().expect("unbalanced ]");
            span.end = chars;
            done.push(span);
        } else {
            text.push(c);
            chars += 1;
        }
        rest = &rest[c.len_utf8()..];
    }
    assert!(open.is_empty(), "unclosed [");
    (text, done)
}

/// The articles of `dir` (`*.txt` in markup, in file-name order) as a project named `name`, with their
/// human spans and relations (annotator `annotator`).
pub fn markup_project(dir: &Path, name: &str, annotator: &str) -> Project {
    let mut project = Project::new(name);
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "{} has its articles", dir.display());
    for file in files {
        let raw = fs::read_to_string(&file).unwrap();
        let (title, body) = raw.split_once("\n\n").unwrap();
        let (text, marked) = parse_markup(body.trim_end());
        let id = project.unique_doc_id(title);
        let mut doc = Document::new(id, title.trim(), text);
        let folder = dir.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(dir);
        doc.meta.source_file = format!("{}/{}", folder.display(), file.file_name().unwrap().to_string_lossy());
        let mut ids: HashMap<String, SpanId> = HashMap::new();
        for m in &marked {
            let span = Span::new(project.alloc_span_id(), CharIdx(m.start)..CharIdx(m.end), m.label.clone(), annotator);
            if let Some(name) = &m.name {
                ids.insert(name.clone(), span.id);
            }
            doc.spans.push(span);
        }
        doc.spans.sort_by_key(|s| s.sort_key());
        for m in &marked {
            if let (Some(name), Some(target)) = (&m.name, &m.target) {
                let to = *ids.get(target).unwrap_or_else(|| panic!("{}: no span named {target}", file.display()));
                let id = project.alloc_relation_id();
                doc.relations.push(Relation {
                    id: RelationId(id.0),
                    from: ids[name],
                    to,
                    kind: "attributed_to".into(),
                });
            }
        }
        project.documents.push(doc);
    }
    project
}
