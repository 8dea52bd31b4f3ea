//! Edits to the schema: replacing it (checked against every span and relation), renaming labels and
//! relation types everywhere at once, and deleting a label in use.

use std::collections::HashSet;

use crate::model::{Project, Schema};

use super::{Edit, EditError};

/// What happens to the spans of a label being deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LabelFate {
    /// They take this other label.
    MoveTo(String),
    /// They are removed (with their relations).
    Delete,
}

/// Problems with a schema on its own: empty or duplicate names, duplicate keys, relation ends naming
/// labels that do not exist, attributes defined twice.
pub fn schema_problems(schema: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let mut names = HashSet::new();
    let mut keys = HashSet::new();
    for label in &schema.labels {
        if label.name.trim().is_empty() {
            out.push("a label has no name".to_string());
        }
        if !names.insert(label.name.as_str()) {
            out.push(format!("label {:?} is defined twice", label.name));
        }
        if let Some(key) = label.key {
            // Keys differing only in case are one key (see `same_key`).
            if !keys.insert(key.to_lowercase().to_string()) {
                out.push(format!("key {key:?} is used by two labels"));
            }
            if key.is_whitespace() || key.is_control() {
                out.push(format!("label {:?} has a blank key", label.name));
            }
        }
        let mut attrs = HashSet::new();
        for attr in &label.attributes {
            if attr.name.trim().is_empty() || !attrs.insert(attr.name.as_str()) {
                out.push(format!("label {:?} has an unnamed or repeated attribute {:?}", label.name, attr.name));
            }
        }
    }
    let mut types = HashSet::new();
    for kind in &schema.relation_types {
        if kind.name.trim().is_empty() || !types.insert(kind.name.as_str()) {
            out.push(format!("relation type {:?} is unnamed or defined twice", kind.name));
        }
        for end in kind.from.iter().chain(&kind.to) {
            if !names.contains(end.as_str()) {
                out.push(format!("relation type {:?} names label {end:?}, which is not defined", kind.name));
            }
        }
    }
    out
}

/// Replaces the schema after checking it and that every span and relation still fits it.
pub(super) fn set_schema(project: &mut Project, schema: Schema) -> Result<Edit, EditError> {
    if let Some(problem) = schema_problems(&schema).into_iter().next() {
        return Err(EditError::BadSchema(problem));
    }
    for doc in &project.documents {
        if let Some(span) = doc.spans.iter().find(|s| schema.label(&s.label).is_none()) {
            return Err(EditError::BadSchema(format!(
                "{} has {} spans; move or delete them first",
                doc.title, span.label
            )));
        }
        for rel in &doc.relations {
            let Some(kind) = schema.relation_type(&rel.kind) else {
                return Err(EditError::BadSchema(format!("{} has {} relations", doc.title, rel.kind)));
            };
            let label = |id| doc.span(id).map_or("", |s| s.label.as_str());
            if !kind.allows(label(rel.from), label(rel.to)) {
                return Err(EditError::BadSchema(format!(
                    "{} has a {} relation from {} to {}, which the new schema does not allow",
                    doc.title,
                    rel.kind,
                    label(rel.from),
                    label(rel.to)
                )));
            }
        }
    }
    let old = std::mem::replace(&mut project.schema, schema);
    Ok(Edit::SetSchema { schema: Box::new(old) })
}

/// Renames a label in the schema, on every span, and in relation types' ends.
pub(super) fn rename_label(project: &mut Project, from: String, to: String) -> Result<Edit, EditError> {
    if project.schema.label(&from).is_none() {
        return Err(EditError::UnknownLabel(from));
    }
    if to.trim().is_empty() || project.schema.label(&to).is_some() {
        return Err(EditError::BadSchema(format!("there is already a label called {to:?} (or the name is empty)")));
    }
    for label in &mut project.schema.labels {
        if label.name == from {
            label.name.clone_from(&to);
        }
    }
    for kind in &mut project.schema.relation_types {
        for end in kind.from.iter_mut().chain(kind.to.iter_mut()) {
            if *end == from {
                end.clone_from(&to);
            }
        }
    }
    for doc in &mut project.documents {
        for span in &mut doc.spans {
            if span.label == from {
                span.label.clone_from(&to);
            }
        }
    }
    Ok(Edit::RenameLabel { from: to, to: from })
}

/// Renames a relation type in the schema and on every relation.
pub(super) fn rename_relation_type(project: &mut Project, from: String, to: String) -> Result<Edit, EditError> {
    if project.schema.relation_type(&from).is_none() {
        return Err(EditError::UnknownRelationType(from));
    }
    if to.trim().is_empty() || project.schema.relation_type(&to).is_some() {
        return Err(EditError::BadSchema(format!("there is already a relation type {to:?} (or the name is empty)")));
    }
    for kind in &mut project.schema.relation_types {
        if kind.name == from {
            kind.name.clone_from(&to);
        }
    }
    for doc in &mut project.documents {
        for rel in &mut doc.relations {
            if rel.kind == from {
                rel.kind.clone_from(&to);
            }
        }
    }
    Ok(Edit::RenameRelationType { from: to, to: from })
}

/// The edit that deletes attribute `attribute` of label `label`: its values are cleared on every span of
/// that label, then the schema drops it — one undoable step, whose inverse puts both back.
pub fn delete_attribute(project: &Project, label: &str, attribute: &str) -> Result<Edit, EditError> {
    let Some(index) = project.schema.labels.iter().position(|l| l.name == label) else {
        return Err(EditError::UnknownLabel(label.to_string()));
    };
    let Some(at) = project.schema.labels[index].attributes.iter().position(|a| a.name == attribute) else {
        return Err(EditError::UnknownAttribute { label: label.to_string(), name: attribute.to_string() });
    };
    let mut edits: Vec<Edit> = project
        .documents
        .iter()
        .flat_map(|d| {
            d.spans
                .iter()
                .filter(|s| s.label == label && s.attributes.contains_key(attribute))
                .map(|s| Edit::SetSpanAttr { doc: d.id.clone(), span: s.id, name: attribute.to_string(), value: None })
        })
        .collect();
    let mut schema = project.schema.clone();
    schema.labels[index].attributes.remove(at);
    edits.push(Edit::SetSchema { schema: Box::new(schema) });
    Ok(Edit::Batch { name: format!("Delete attribute {attribute}"), edits })
}

/// The edit that deletes label `name`: its spans are relabelled or removed (relations that no longer fit
/// go with them), relation types stop naming it, then the schema drops it — one undoable step.
pub fn delete_label(project: &Project, name: &str, fate: &LabelFate) -> Result<Edit, EditError> {
    if project.schema.label(name).is_none() {
        return Err(EditError::UnknownLabel(name.to_string()));
    }
    if let LabelFate::MoveTo(other) = fate
        && (other == name || project.schema.label(other).is_none())
    {
        return Err(EditError::UnknownLabel(other.clone()));
    }
    let mut edits = Vec::new();
    for doc in &project.documents {
        for span in doc.spans.iter().filter(|s| s.label == name) {
            edits.push(match fate {
                LabelFate::MoveTo(other) => {
                    Edit::SetSpanLabel { doc: doc.id.clone(), span: span.id, label: other.clone() }
                }
                LabelFate::Delete => Edit::RemoveSpan { doc: doc.id.clone(), span: span.id },
            });
        }
    }
    let mut schema = project.schema.clone();
    schema.labels.retain(|l| l.name != name);
    // A relation type whose only allowed end was this label goes too: an empty end would mean "any label".
    schema.relation_types.retain_mut(|kind| {
        let (from, to) = (kind.from.len(), kind.to.len());
        kind.from.retain(|l| l != name);
        kind.to.retain(|l| l != name);
        !(from > 0 && kind.from.is_empty() || to > 0 && kind.to.is_empty())
    });
    edits.push(Edit::SetSchema { schema: Box::new(schema) });
    Ok(Edit::Batch { name: format!("Delete label {name}"), edits })
}
