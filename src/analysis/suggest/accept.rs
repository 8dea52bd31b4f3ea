//! Accepting suggestions: they become ordinary spans (annotator = the person accepting, `origin` =
//! `suggest:<rule>`) plus the relations they came with, all in one batch edit that undoes in one step.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::edit::Edit;
use crate::model::{CharIdx, DocId, Document, Project, Relation, RelationId, Span, SpanId};

use super::{LinkTarget, SuggestError, Suggestion};

/// An accept planned against a project: the edit and what it adds.
#[derive(Clone, Debug, PartialEq)]
pub struct Accepted {
    /// One [`Edit::Batch`]: the new spans first, then the relations between them.
    pub edit: Edit,
    /// Spans the edit adds.
    pub spans: usize,
    /// Relations the edit adds.
    pub relations: usize,
    /// Accepted suggestions that needed no span because the document already had it (same range and label).
    pub already_present: usize,
}

/// Id counters threaded through several documents so one batch never hands out an id twice.
struct Ids {
    span: u64,
    relation: u64,
}

/// Plans accepting suggestions `accepted` (indices into `suggestions`, as returned for document `doc`) by
/// `annotator`. Nothing changes until the returned edit is applied.
///
/// Relations follow their suggestions: a link to another suggestion is made when that one is accepted in
/// the same call *or* was accepted earlier (its span is in the document), so accepting one at a time, in
/// any order, still links a Source to its Claim.
pub fn accept_edit(
    project: &Project,
    doc: &DocId,
    suggestions: &[Suggestion],
    accepted: &[usize],
    annotator: &str,
) -> Result<Accepted, SuggestError> {
    let mut ids = Ids { span: project.next_span_id, relation: project.next_relation_id };
    let (edits, spans, relations, already_present) = plan(project, doc, suggestions, accepted, annotator, &mut ids)?;
    let name = batch_name(spans);
    Ok(Accepted { edit: Edit::Batch { name, edits }, spans, relations, already_present })
}

/// Plans accepting every suggestion of every listed document (as [`suggest_project`](super::suggest_project)
/// returns them) in one batch edit.
pub fn accept_all_edit(
    project: &Project,
    per_doc: &[super::DocSuggestions],
    annotator: &str,
) -> Result<Accepted, SuggestError> {
    let mut ids = Ids { span: project.next_span_id, relation: project.next_relation_id };
    let mut all = Accepted {
        edit: Edit::Batch { name: String::new(), edits: Vec::new() },
        spans: 0,
        relations: 0,
        already_present: 0,
    };
    let mut edits = Vec::new();
    for (doc, suggestions) in per_doc {
        let every: Vec<usize> = (0..suggestions.len()).collect();
        let (mut doc_edits, spans, relations, present) = plan(project, doc, suggestions, &every, annotator, &mut ids)?;
        edits.append(&mut doc_edits);
        all.spans += spans;
        all.relations += relations;
        all.already_present += present;
    }
    all.edit = Edit::Batch { name: batch_name(all.spans), edits };
    Ok(all)
}

fn batch_name(spans: usize) -> String {
    format!("Accept {spans} suggestion{}", if spans == 1 { "" } else { "s" })
}

type Plan = (Vec<Edit>, usize, usize, usize);

fn plan(
    project: &Project,
    doc_id: &DocId,
    suggestions: &[Suggestion],
    accepted: &[usize],
    annotator: &str,
    ids: &mut Ids,
) -> Result<Plan, SuggestError> {
    let doc = project.doc(doc_id).ok_or_else(|| SuggestError::NoDocument(doc_id.to_string()))?;
    let accepted: BTreeSet<usize> = accepted.iter().copied().collect();
    if let Some(&bad) = accepted.iter().find(|&&i| i >= suggestions.len()) {
        return Err(SuggestError::NoSuggestion(bad));
    }
    let existing: HashMap<(CharIdx, CharIdx, &str), SpanId> =
        doc.spans.iter().map(|s| ((s.start, s.end, s.label.as_str()), s.id)).collect();
    let mut edits = Vec::new();
    // Span of each accepted suggestion: a new one, or the identical span already there.
    let mut span_of: HashMap<usize, SpanId> = HashMap::new();
    let mut already_present = 0;
    for &i in &accepted {
        let s = &suggestions[i];
        if let Some(&id) = existing.get(&(s.start, s.end, s.label.as_str())) {
            span_of.insert(i, id);
            already_present += 1;
            continue;
        }
        let mut span = Span::new(SpanId(ids.span), s.range(), s.label.clone(), annotator);
        ids.span += 1;
        span.origin = super::provenance::suggested_origin(&s.rule);
        span_of.insert(i, span.id);
        edits.push(Edit::AddSpan { doc: doc_id.clone(), span, relations: Vec::new() });
    }
    let spans = edits.len();
    // The span a suggestion stands for: accepted now, or accepted before (an identical span exists).
    let resolve = |i: usize| -> Option<SpanId> {
        span_of.get(&i).copied().or_else(|| {
            let s = suggestions.get(i)?;
            existing.get(&(s.start, s.end, s.label.as_str())).copied()
        })
    };
    let mut made: HashSet<(SpanId, SpanId, String)> =
        doc.relations.iter().map(|r| (r.from, r.to, r.kind.clone())).collect();
    let mut relations = 0;
    for (i, s) in suggestions.iter().enumerate() {
        let Some(link) = &s.relation else { continue };
        let other_index = match link.other {
            LinkTarget::Suggestion(j) => Some(j),
            LinkTarget::Span(_) => None,
        };
        // Only relations touching something accepted in this call are new here.
        if !accepted.contains(&i) && !other_index.is_some_and(|j| accepted.contains(&j)) {
            continue;
        }
        let this = resolve(i);
        let other = match link.other {
            LinkTarget::Suggestion(j) => resolve(j),
            LinkTarget::Span(id) => has_span(doc, id).then_some(id),
        };
        let (Some(this), Some(other)) = (this, other) else { continue };
        let (from, to) = if link.outgoing { (this, other) } else { (other, this) };
        if from == to || !made.insert((from, to, link.kind.clone())) {
            continue;
        }
        let relation = Relation { id: RelationId(ids.relation), from, to, kind: link.kind.clone() };
        ids.relation += 1;
        edits.push(Edit::AddRelation { doc: doc_id.clone(), relation });
        relations += 1;
    }
    Ok((edits, spans, relations, already_present))
}

fn has_span(doc: &Document, id: SpanId) -> bool {
    doc.span(id).is_some()
}
