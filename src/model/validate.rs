//! The invariants every project must satisfy, checked after loading and relied on by every view and export.
//!
//! Spans lie inside their text and are non-empty; labels and relation types exist in the schema;
//! relation ends exist in the same document; ids are unique. Spans a merge left in conflict are valid (two
//! alternatives may overlap, like any two spans); [`conflicts`] lists them for a person to settle.

use std::collections::HashSet;
use std::fmt;

use super::{DocId, Document, Project, RelationId, SpanId};

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
        if !doc_ids.insert(doc.id.clone()) {
            out.push(Problem { doc: Some(doc.id.clone()), message: "duplicate document id".to_string() });
        }
        check_document(project, doc, &mut span_ids, &mut relation_ids, Counters::Check, &mut out);
    }
    out
}

/// Whether [`check_document`] holds the document's ids to the project's id counters.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counters {
    Check,
    Skip,
}

/// The invariants of one document alone: what [`problems`] checks for it, with span and relation ids
/// unique within the document only, and not held to the project's id counters. A reader that streams a
/// project folder document by document checks each with this: ids across documents need every document
/// at once ([`problems`] on the whole project), and so do the counters, which a git merge of a document
/// file (handing out ids the index's counters do not know) or a save killed before its index shard leave
/// below a document's ids; loading the whole project raises them, and so does a window that loads one
/// document.
pub fn document_problems(project: &Project, doc: &Document) -> Vec<Problem> {
    let mut out = Vec::new();
    check_document(project, doc, &mut HashSet::new(), &mut HashSet::new(), Counters::Skip, &mut out);
    out
}

/// Checks `doc` against the schema and id counters of `project` (whose documents are not looked at),
/// with `span_ids` and `relation_ids` the ids seen so far.
fn check_document(
    project: &Project,
    doc: &Document,
    span_ids: &mut HashSet<SpanId>,
    relation_ids: &mut HashSet<RelationId>,
    counters: Counters,
    out: &mut Vec<Problem>,
) {
    let mut report = |message: String| out.push(Problem { doc: Some(doc.id.clone()), message });
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
        if !span.conflict.is_empty() && span.conflict_group().is_none() {
            report(format!("span {} has conflict mark {:?}, expected <group>/<side>", span.id, span.conflict));
        }
        if counters == Counters::Check && span.id.0 >= project.next_span_id {
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
        if counters == Counters::Check && rel.id.0 >= project.next_relation_id {
            report(format!("relation id {} is not below the project's next relation id", rel.id));
        }
    }
}

/// A span a three-way merge could not settle: the alternatives it kept, waiting for a person to choose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conflict {
    /// The document holding the alternatives.
    pub doc: DocId,
    /// The conflict group: the id the span had before the two sides changed it.
    pub group: u64,
    /// Each alternative's id and side (`ours`, `theirs`, `base`), in the document's span order.
    pub alternatives: Vec<(super::SpanId, String)>,
    /// How the alternatives differ, in words.
    pub detail: String,
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<String> = self.alternatives.iter().map(|(id, side)| format!("{id} ({side})")).collect();
        write!(f, "span {} in doc {}: {} [alternatives: {}]", self.group, self.doc, self.detail, ids.join(", "))
    }
}

/// Every conflict group left by a merge, in document order (see [`super::Span::conflict_group`]).
pub fn conflicts(project: &Project) -> Vec<Conflict> {
    let mut out = Vec::new();
    for doc in &project.documents {
        let mut groups: Vec<(u64, Vec<&super::Span>)> = Vec::new();
        for span in &doc.spans {
            let Some((group, _)) = span.conflict_group() else { continue };
            match groups.iter_mut().find(|(g, _)| *g == group) {
                Some((_, members)) => members.push(span),
                None => groups.push((group, vec![span])),
            }
        }
        groups.sort_by_key(|(group, _)| *group);
        for (group, members) in groups {
            let alternatives = members
                .iter()
                .map(|s| (s.id, s.conflict_group().map_or(String::new(), |(_, side)| side.to_string())))
                .collect();
            out.push(Conflict { doc: doc.id.clone(), group, alternatives, detail: describe(&members) });
        }
    }
    out
}

/// Shows one field of a span, for comparing alternatives.
type ShowField = fn(&super::Span) -> String;

/// The fields in which the alternatives differ ("label Claim (ours) vs Opinion (theirs)"), or what
/// happened to a lone alternative.
fn describe(members: &[&super::Span]) -> String {
    let side = |s: &super::Span| s.conflict_group().map_or(String::new(), |(_, side)| side.to_string());
    let [a, b] = members else {
        return match members {
            [only] if side(only) == "base" => "deleted on one side, linked by a relation on the other".to_string(),
            [only] => format!("changed in {}, deleted on the other side", side(only)),
            _ => format!("{} alternatives", members.len()),
        };
    };
    let fields: [(&str, ShowField); 8] = [
        ("range", |s| format!("{}..{}", s.start, s.end)),
        ("label", |s| s.label.clone()),
        ("annotator", |s| s.annotator.clone()),
        ("note", |s| format!("{:?}", s.note)),
        ("attributes", |s| format!("{:?}", s.attributes)),
        ("review", |s| s.review.as_str().to_string()),
        ("reviewer", |s| s.reviewer.clone()),
        ("origin", |s| s.origin.clone()),
    ];
    let parts: Vec<String> = fields
        .iter()
        .filter(|(_, show)| show(a) != show(b))
        .map(|(name, show)| format!("{name} {} ({}) vs {} ({})", show(a), side(a), show(b), side(b)))
        .collect();
    if parts.is_empty() { "the alternatives are the same; keep either".to_string() } else { parts.join(", ") }
}
