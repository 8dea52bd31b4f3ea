//! Settling a conflict a three-way merge left: keep one alternative of a conflict group. Shared by
//! `factmark span resolve` and the window's "Keep this version" button, so both make the same edit.

use crate::edit::Edit;
use crate::model::{DocId, Project, Relation, Span, SpanId};

/// Why a span cannot be resolved.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ResolveError {
    /// No span has that id.
    #[error("no span {0}")]
    NoSpan(SpanId),
    /// The span carries no conflict flag.
    #[error("span {0} is not in conflict; nothing to resolve")]
    NotInConflict(SpanId),
}

/// The edit that keeps one alternative, and what it does.
#[derive(Debug, Clone)]
pub struct Resolution {
    /// One undoable batch: remove the other alternatives, clear the kept span's flag, move relations.
    pub edit: Edit,
    /// The document the conflict is in.
    pub doc: DocId,
    /// The alternatives removed.
    pub removed: Vec<SpanId>,
    /// Relations of the removed alternatives moved to the kept span.
    pub moved_relations: usize,
}

/// Keeps span `id`, removes the other alternatives of its conflict group and clears its flag. Relations of
/// the removed alternatives move to the kept span when their type allows its label, so a relation drawn on
/// the other side is not lost. The whole is one batch, so one undo brings every alternative back.
pub fn resolve_edit(project: &Project, id: SpanId) -> Result<Resolution, ResolveError> {
    let doc = project.doc_of_span(id).ok_or(ResolveError::NoSpan(id))?;
    let kept = doc.span(id).ok_or(ResolveError::NoSpan(id))?;
    let (group, _) = kept.conflict_group().ok_or(ResolveError::NotInConflict(id))?;
    let others: Vec<SpanId> = doc
        .spans
        .iter()
        .filter(|s| s.id != id && s.conflict_group().is_some_and(|(g, _)| g == group))
        .map(|s| s.id)
        .collect();
    let is_other = |s: SpanId| others.contains(&s);
    let allowed = |r: &Relation| {
        let label = |s: SpanId| if s == id { Some(kept.label.as_str()) } else { doc.span(s).map(|s| s.label.as_str()) };
        let fits = project.schema.relation_type(&r.kind).zip(label(r.from)).zip(label(r.to));
        r.from != r.to && fits.is_some_and(|((def, from), to)| def.allows(from, to))
    };
    // The kept span's own relations, minus those to the alternatives (which go with them).
    let own: Vec<Relation> = doc.relations_of(id).filter(|r| !is_other(r.from) && !is_other(r.to)).cloned().collect();
    let mut moved: Vec<Relation> = Vec::new();
    for r in doc.relations.iter().filter(|r| (is_other(r.from) || is_other(r.to)) && r.from != id && r.to != id) {
        let repoint = |s: SpanId| if is_other(s) { id } else { s };
        let candidate = Relation { from: repoint(r.from), to: repoint(r.to), ..r.clone() };
        let duplicate = own
            .iter()
            .chain(&moved)
            .any(|o| o.from == candidate.from && o.to == candidate.to && o.kind == candidate.kind);
        if !duplicate && allowed(&candidate) {
            moved.push(candidate);
        }
    }
    let doc_id = doc.id.clone();
    let mut edits: Vec<Edit> = others.iter().map(|&span| Edit::RemoveSpan { doc: doc_id.clone(), span }).collect();
    // Clearing the flag is a remove and a re-add of the span with its relations, so undo restores it exactly.
    edits.push(Edit::RemoveSpan { doc: doc_id.clone(), span: id });
    edits.push(Edit::AddSpan {
        doc: doc_id.clone(),
        span: Span { conflict: String::new(), ..kept.clone() },
        relations: own,
    });
    let moved_relations = moved.len();
    edits.extend(moved.into_iter().map(|relation| Edit::AddRelation { doc: doc_id.clone(), relation }));
    Ok(Resolution {
        edit: Edit::Batch { name: "Resolve conflict".into(), edits },
        doc: doc_id,
        removed: others,
        moved_relations,
    })
}
