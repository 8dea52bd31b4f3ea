//! The invariants every project must satisfy, checked after loading and relied on by every view and export.
//!
//! Spans lie inside their text and are non-empty; labels and relation types exist in the schema;
//! relation ends exist in the same document; ids are unique.

use std::collections::HashSet;
use std::fmt;

use super::{DocId, Project};

/// One broken invariant, located by document and span or relation id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// The document it is in, if any.
    pub doc: Option<DocId>,
    /// What is wrong, naming the span or relation.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.doc {
            Some(doc) => write!(f, "document \"{doc}\": {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Every broken invariant in `project`, in document order. Empty means valid.
pub fn problems(project: &Project) -> Vec<Problem> {
    let mut out = Vec::new();
    let mut doc_ids = HashSet::new();
    let mut span_ids = HashSet::new();
    let mut relation_ids = HashSet::new();
    let mut labels = HashSet::new();
    for label in &project.schema.labels {
        if !labels.insert(label.name.as_str()) {
            out.push(Problem { doc: None, message: format!("the schema defines label {:?} twice", label.name) });
        }
    }
    for doc in &project.documents {
        let mut report = |message: String| out.push(Problem { doc: Some(doc.id.clone()), message });
        if !doc_ids.insert(doc.id.clone()) {
            report("duplicate document id".to_string());
        }
        let len = doc.char_len();
        let mut local_spans = HashSet::new();
        for span in &doc.spans {
            if !span_ids.insert(span.id) {
                report(format!("duplicate span id {}", span.id));
            }
            local_spans.insert(span.id);
            if span.start >= span.end {
                report(format!("span {} is empty or inverted ({}..{})", span.id, span.start, span.end));
            } else if span.end.0 > len {
                report(format!("span {} ends at {} but the text has {len} chars", span.id, span.end));
            }
            if project.schema.label(&span.label).is_none() {
                report(format!("span {} has label {:?}, which the schema does not define", span.id, span.label));
            }
            if span.id.0 >= project.next_span_id {
                report(format!("span id {} is not below the project's next span id", span.id));
            }
        }
        for rel in &doc.relations {
            if !relation_ids.insert(rel.id) {
                report(format!("duplicate relation id {}", rel.id));
            }
            for end in [rel.from, rel.to] {
                if !local_spans.contains(&end) {
                    report(format!("relation {} points to span {end}, which is not in this document", rel.id));
                }
            }
            if project.schema.relation_type(&rel.kind).is_none() {
                report(format!("relation {} has type {:?}, which the schema does not define", rel.id, rel.kind));
            }
            if rel.id.0 >= project.next_relation_id {
                report(format!("relation id {} is not below the project's next relation id", rel.id));
            }
        }
    }
    out
}
