//! Edits to the list of documents: adding one (checked against the project's invariants first) and
//! moving one to another place in the list.

use crate::model::{DocId, Document, Project, validate};

use super::{Edit, EditError};

/// Adds `document` at `index` in the list; the inverse removes it.
pub(super) fn add_document(project: &mut Project, index: usize, document: Document) -> Result<Edit, EditError> {
    if project.doc(&document.id).is_some() {
        return Err(EditError::DuplicateId(format!("document {}", document.id)));
    }
    // Check the newcomer against the project's invariants by validating it in a scratch project that has
    // the same schema and id counters, plus the project's span ids for uniqueness.
    let mut scratch = Project { documents: vec![document], ..Project::new(project.name.clone()) };
    scratch.schema = project.schema.clone();
    scratch.next_span_id = u64::MAX;
    scratch.next_relation_id = u64::MAX;
    if let Some(problem) = validate::problems(&scratch).into_iter().next() {
        return Err(EditError::BadDocument { doc: scratch.documents[0].id.clone(), problem: problem.message });
    }
    let Some(document) = scratch.documents.pop() else {
        return Err(EditError::BadDocument { doc: crate::model::DocId(String::new()), problem: "missing".into() });
    };
    for span in &document.spans {
        if project.doc_of_span(span.id).is_some() {
            return Err(EditError::DuplicateId(format!("span {}", span.id)));
        }
    }
    for rel in &document.relations {
        if project.documents.iter().any(|d| d.relation(rel.id).is_some()) {
            return Err(EditError::DuplicateId(format!("relation {}", rel.id)));
        }
    }
    if let Some(max) = document.spans.iter().map(|s| s.id.0).max() {
        project.next_span_id = project.next_span_id.max(max + 1);
    }
    if let Some(max) = document.relations.iter().map(|r| r.id.0).max() {
        project.next_relation_id = project.next_relation_id.max(max + 1);
    }
    let id = document.id.clone();
    let index = index.min(project.documents.len());
    project.documents.insert(index, document);
    Ok(Edit::RemoveDocument { doc: id })
}

/// Moves a document to `index` in the list.
pub(super) fn move_document(project: &mut Project, doc: DocId, index: usize) -> Result<Edit, EditError> {
    let at = project.documents.iter().position(|d| d.id == doc).ok_or_else(|| EditError::NoDocument(doc.clone()))?;
    let document = project.documents.remove(at);
    let index = index.min(project.documents.len());
    project.documents.insert(index, document);
    Ok(Edit::MoveDocument { doc, index: at })
}
