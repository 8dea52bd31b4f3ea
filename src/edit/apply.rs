//! Applying edits: check, change, and hand back the inverse. The only code that mutates a project's
//! annotations.

use crate::model::{AttrKind, AttrValue, Document, Project, Span, SpanId};

use super::{Edit, EditError};

impl Edit {
    /// Applies the edit to `project` and returns the edit that undoes it. On error nothing has changed.
    pub fn apply(self, project: &mut Project) -> Result<Edit, EditError> {
        match self {
            Edit::Batch { name, edits } => apply_batch(project, name, edits),
            Edit::AddDocument { index, document } => super::document_edits::add_document(project, index, *document),
            Edit::RemoveDocument { doc } => {
                let index = project.documents.iter().position(|d| d.id == doc).ok_or(EditError::NoDocument(doc))?;
                let document = project.documents.remove(index);
                Ok(Edit::AddDocument { index, document: Box::new(document) })
            }
            Edit::AddSpan { doc, span, relations } => add_span(project, doc, span, relations),
            Edit::AddRelation { doc, relation } => {
                check_relation(project, &doc, relation.from, relation.to, &relation.kind)?;
                if project.documents.iter().any(|d| d.relation(relation.id).is_some()) {
                    return Err(EditError::DuplicateId(format!("relation {}", relation.id)));
                }
                project.next_relation_id = project.next_relation_id.max(relation.id.0 + 1);
                let id = relation.id;
                doc_mut(project, &doc)?.insert_relation(relation);
                Ok(Edit::RemoveRelation { doc, relation: id })
            }
            Edit::MoveDocument { doc, index } => super::document_edits::move_document(project, doc, index),
            Edit::SetSchema { schema } => super::schema_edits::set_schema(project, *schema),
            Edit::SetRules { rules } => Ok(Edit::SetRules { rules: std::mem::replace(&mut project.rules, rules) }),
            Edit::SetRecommendersOff { off } => {
                Ok(Edit::SetRecommendersOff { off: std::mem::replace(&mut project.recommenders_off, off) })
            }
            Edit::SetProjectName { name } => {
                Ok(Edit::SetProjectName { name: std::mem::replace(&mut project.name, name) })
            }
            Edit::SetProjectConflicts { conflicts } => {
                Ok(Edit::SetProjectConflicts { conflicts: std::mem::replace(&mut project.conflicts, conflicts) })
            }
            Edit::RenameLabel { from, to } => super::schema_edits::rename_label(project, from, to),
            Edit::RenameRelationType { from, to } => super::schema_edits::rename_relation_type(project, from, to),
            other => apply_in_document(project, other),
        }
    }
}

fn doc_mut<'p>(project: &'p mut Project, id: &crate::model::DocId) -> Result<&'p mut Document, EditError> {
    project.doc_mut(id).ok_or_else(|| EditError::NoDocument(id.clone()))
}

fn span_index(doc: &Document, span: SpanId) -> Result<usize, EditError> {
    doc.spans.iter().position(|s| s.id == span).ok_or_else(|| EditError::NoSpan { doc: doc.id.clone(), span })
}

fn check_range(doc: &Document, start: usize, end: usize) -> Result<(), EditError> {
    let len = doc.char_len();
    if start >= end || end > len {
        return Err(EditError::BadRange { start, end, len });
    }
    Ok(())
}

fn check_label(project: &Project, label: &str) -> Result<(), EditError> {
    project.schema.label(label).map(|_| ()).ok_or_else(|| EditError::UnknownLabel(label.to_string()))
}

fn check_relation(
    project: &Project,
    doc_id: &crate::model::DocId,
    from: SpanId,
    to: SpanId,
    kind: &str,
) -> Result<(), EditError> {
    let doc = project.doc(doc_id).ok_or_else(|| EditError::NoDocument(doc_id.clone()))?;
    if from == to {
        return Err(EditError::SelfRelation(from));
    }
    let from_span = &doc.spans[span_index(doc, from)?];
    let to_span = &doc.spans[span_index(doc, to)?];
    let def = project.schema.relation_type(kind).ok_or_else(|| EditError::UnknownRelationType(kind.to_string()))?;
    if !def.allows(&from_span.label, &to_span.label) {
        return Err(EditError::RelationNotAllowed {
            kind: kind.to_string(),
            from: from_span.label.clone(),
            to: to_span.label.clone(),
        });
    }
    Ok(())
}

fn add_span(
    project: &mut Project,
    doc_id: crate::model::DocId,
    span: Span,
    relations: Vec<crate::model::Relation>,
) -> Result<Edit, EditError> {
    check_label(project, &span.label)?;
    // Ids at or above the counter were never handed out, so only older ids need the (linear) search.
    if span.id.0 < project.next_span_id && project.doc_of_span(span.id).is_some() {
        return Err(EditError::DuplicateId(format!("span {}", span.id)));
    }
    let doc = project.doc(&doc_id).ok_or_else(|| EditError::NoDocument(doc_id.clone()))?;
    check_range(doc, span.start.0, span.end.0)?;
    for rel in &relations {
        let other = if rel.from == span.id { rel.to } else { rel.from };
        if other != span.id {
            span_index(doc, other)?;
        }
        if doc.relation(rel.id).is_some() {
            return Err(EditError::DuplicateId(format!("relation {}", rel.id)));
        }
    }
    project.next_span_id = project.next_span_id.max(span.id.0 + 1);
    if let Some(max_rel) = relations.iter().map(|r| r.id.0).max() {
        project.next_relation_id = project.next_relation_id.max(max_rel + 1);
    }
    let id = span.id;
    let doc = doc_mut(project, &doc_id)?;
    doc.insert_span(span);
    for rel in relations {
        doc.insert_relation(rel);
    }
    Ok(Edit::RemoveSpan { doc: doc_id, span: id })
}

fn apply_batch(project: &mut Project, name: String, edits: Vec<Edit>) -> Result<Edit, EditError> {
    let mut inverses = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit.apply(project) {
            Ok(inverse) => inverses.push(inverse),
            Err(err) => {
                // Roll back what this batch already did so a failed batch changes nothing.
                for inverse in inverses.into_iter().rev() {
                    // An inverse of an edit that just succeeded applies to the state it produced.
                    let _undone = inverse.apply(project);
                }
                return Err(err);
            }
        }
    }
    inverses.reverse();
    Ok(Edit::Batch { name, edits: inverses })
}

fn check_attr(project: &Project, label: &str, name: &str, value: &AttrValue) -> Result<(), EditError> {
    let def = project
        .schema
        .label(label)
        .and_then(|l| l.attributes.iter().find(|a| a.name == name))
        .ok_or_else(|| EditError::UnknownAttribute { label: label.to_string(), name: name.to_string() })?;
    let bad = |problem: String| Err(EditError::BadAttrValue { name: name.to_string(), problem });
    match (&def.kind, value) {
        (AttrKind::Bool, AttrValue::Bool(_)) | (AttrKind::Number, AttrValue::Number(_)) => Ok(()),
        (AttrKind::Url, AttrValue::Text(t)) if !(t.starts_with("http://") || t.starts_with("https://")) => {
            bad(format!("{t:?} is not a web address (http:// or https://)"))
        }
        (AttrKind::Text | AttrKind::Url, AttrValue::Text(_)) => Ok(()),
        (AttrKind::Choice(choices), AttrValue::Text(t)) if choices.contains(t) => Ok(()),
        (AttrKind::Choice(choices), _) => bad(format!("expected one of {}", choices.join(", "))),
        (kind, _) => bad(format!("expected a value of kind {kind:?}")),
    }
}

/// Changes a span's label. Relations whose type no longer allows the span's new label are removed with it
/// (a Source relabelled as Claim cannot stay the origin of an `attributed_to`), and the inverse puts them
/// back after restoring the label — so relations always fit their type, and undo never meets a refusal.
fn relabel(project: &mut Project, doc: crate::model::DocId, span: SpanId, label: String) -> Result<Edit, EditError> {
    check_label(project, &label)?;
    let d = project.doc(&doc).ok_or_else(|| EditError::NoDocument(doc.clone()))?;
    span_index(d, span)?;
    let label_of = |id: SpanId| if id == span { Some(label.as_str()) } else { d.span(id).map(|s| s.label.as_str()) };
    let unfit: Vec<crate::model::RelationId> = d
        .relations
        .iter()
        .filter(|r| r.from == span || r.to == span)
        .filter(|r| {
            let fits = project.schema.relation_type(&r.kind).zip(label_of(r.from)).zip(label_of(r.to));
            !fits.is_some_and(|((def, from), to)| def.allows(from, to))
        })
        .map(|r| r.id)
        .collect();
    let d = doc_mut(project, &doc)?;
    let (removed, kept): (Vec<_>, Vec<_>) =
        std::mem::take(&mut d.relations).into_iter().partition(|r| unfit.contains(&r.id));
    d.relations = kept;
    let at = span_index(d, span)?;
    let old = std::mem::replace(&mut d.spans[at].label, label);
    let restore_label = Edit::SetSpanLabel { doc: doc.clone(), span, label: old };
    if removed.is_empty() {
        return Ok(restore_label);
    }
    let mut edits = vec![restore_label];
    edits.extend(removed.into_iter().map(|relation| Edit::AddRelation { doc: doc.clone(), relation }));
    Ok(Edit::Batch { name: "Relabel span".into(), edits })
}

/// Edits that change one field of one span or document.
fn apply_in_document(project: &mut Project, edit: Edit) -> Result<Edit, EditError> {
    match edit {
        Edit::RemoveSpan { doc, span } => {
            let d = doc_mut(project, &doc)?;
            let at = span_index(d, span)?;
            let removed = d.spans.remove(at);
            let (relations, kept) =
                std::mem::take(&mut d.relations).into_iter().partition(|r| r.from == span || r.to == span);
            d.relations = kept;
            Ok(Edit::AddSpan { doc, span: removed, relations })
        }
        Edit::SetSpanLabel { doc, span, label } => relabel(project, doc, span, label),
        Edit::SetSpanRange { doc, span, range } => {
            let d = doc_mut(project, &doc)?;
            let at = span_index(d, span)?;
            check_range(d, range.start.0, range.end.0)?;
            let mut moved = d.spans.remove(at);
            let old = moved.range();
            moved.start = range.start;
            moved.end = range.end;
            d.insert_span(moved);
            Ok(Edit::SetSpanRange { doc, span, range: old })
        }
        Edit::SetSpanNote { doc, span, note } => {
            let d = doc_mut(project, &doc)?;
            let at = span_index(d, span)?;
            let old = std::mem::replace(&mut d.spans[at].note, note);
            Ok(Edit::SetSpanNote { doc, span, note: old })
        }
        Edit::SetSpanOrigin { doc, span, origin } => {
            let d = doc_mut(project, &doc)?;
            let at = span_index(d, span)?;
            let old = std::mem::replace(&mut d.spans[at].origin, origin);
            Ok(Edit::SetSpanOrigin { doc, span, origin: old })
        }
        Edit::SetSpanAttr { doc, span, name, value } => {
            let label = {
                let d = project.doc(&doc).ok_or_else(|| EditError::NoDocument(doc.clone()))?;
                d.spans[span_index(d, span)?].label.clone()
            };
            if let Some(v) = &value {
                check_attr(project, &label, &name, v)?;
            }
            let d = doc_mut(project, &doc)?;
            let at = span_index(d, span)?;
            let attrs = &mut d.spans[at].attributes;
            let old = match value {
                Some(v) => attrs.insert(name.clone(), v),
                None => attrs.remove(&name),
            };
            Ok(Edit::SetSpanAttr { doc, span, name, value: old })
        }
        Edit::SetSpanReview { doc, span, review, reviewer } => {
            let d = doc_mut(project, &doc)?;
            let at = span_index(d, span)?;
            let s = &mut d.spans[at];
            let old_review = std::mem::replace(&mut s.review, review);
            let old_reviewer = std::mem::replace(&mut s.reviewer, reviewer);
            Ok(Edit::SetSpanReview { doc, span, review: old_review, reviewer: old_reviewer })
        }
        Edit::RemoveRelation { doc, relation } => {
            let d = doc_mut(project, &doc)?;
            let at = d
                .relations
                .iter()
                .position(|r| r.id == relation)
                .ok_or_else(|| EditError::NoRelation { doc: doc.clone(), relation })?;
            let removed = d.relations.remove(at);
            Ok(Edit::AddRelation { doc, relation: removed })
        }
        Edit::SetDocStatus { doc, status } => {
            let old = std::mem::replace(&mut doc_mut(project, &doc)?.status, status);
            Ok(Edit::SetDocStatus { doc, status: old })
        }
        Edit::SetDocTitle { doc, title } => {
            let old = std::mem::replace(&mut doc_mut(project, &doc)?.title, title);
            Ok(Edit::SetDocTitle { doc, title: old })
        }
        Edit::SetDocMeta { doc, meta } => {
            let old = std::mem::replace(&mut doc_mut(project, &doc)?.meta, meta);
            Ok(Edit::SetDocMeta { doc, meta: old })
        }
        Edit::SetDocNote { doc, note } => {
            let old = std::mem::replace(&mut doc_mut(project, &doc)?.note, note);
            Ok(Edit::SetDocNote { doc, note: old })
        }
        Edit::SetDocLabel { doc, set, value } => {
            if let Some(v) = &value {
                let known = project.schema.doc_labels.iter().any(|s| s.name == set && s.choices.contains(v));
                if !known {
                    return Err(EditError::UnknownDocLabel { set, value: v.clone() });
                }
            }
            let labels = &mut doc_mut(project, &doc)?.doc_labels;
            let old = match value {
                Some(v) => labels.insert(set.clone(), v),
                None => labels.remove(&set),
            };
            Ok(Edit::SetDocLabel { doc, set, value: old })
        }
        Edit::SetDocConflicts { doc, conflicts } => {
            let old = std::mem::replace(&mut doc_mut(project, &doc)?.conflicts, conflicts);
            Ok(Edit::SetDocConflicts { doc, conflicts: old })
        }
        // The remaining variants are handled in `Edit::apply` before reaching here.
        other @ (Edit::AddSpan { .. }
        | Edit::AddRelation { .. }
        | Edit::AddDocument { .. }
        | Edit::RemoveDocument { .. }
        | Edit::MoveDocument { .. }
        | Edit::SetSchema { .. }
        | Edit::SetRules { .. }
        | Edit::SetRecommendersOff { .. }
        | Edit::SetProjectName { .. }
        | Edit::SetProjectConflicts { .. }
        | Edit::RenameLabel { .. }
        | Edit::RenameRelationType { .. }
        | Edit::Batch { .. }) => other.apply(project),
    }
}
