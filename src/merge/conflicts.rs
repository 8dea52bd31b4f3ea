//! Every conflict a three-way merge left in a project, of every kind, and the edits that settle a document
//! field or a project setting by keeping one side. Shared by `factmark validate`, `factmark resolve` and
//! the window's conflict walk, so all three list the same conflicts and make the same edits.

use std::fmt;
use std::str::FromStr;

use crate::edit::Edit;
use crate::model::{
    CHANGED, DELETED, DOC_LABEL_FIELD, DOCUMENT_FIELD, DocId, DocLabelSet, FieldConflict, LabelDef, META_FIELDS,
    Project, ProjectConflict, RELATION_FIELD, RelationTypeDef, Schema, SuggestRule, ours_value, parse_relation,
    parse_status, relation_field_id, validate,
};

/// Which version of a conflicted field or setting to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Ours: the value in force; keeping it just clears the conflict.
    Ours,
    /// Theirs: the value the merge kept beside ours.
    Theirs,
}

impl FromStr for Side {
    type Err = String;

    fn from_str(text: &str) -> Result<Side, String> {
        match text.trim().to_ascii_lowercase().as_str() {
            "ours" => Ok(Side::Ours),
            "theirs" => Ok(Side::Theirs),
            _ => Err(format!("{text:?}: expected ours or theirs")),
        }
    }
}

/// Why a field or setting conflict cannot be settled.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConflictError {
    /// No document with that id.
    #[error("no document {0}")]
    NoDocument(DocId),
    /// The document has no open conflict on that field.
    #[error("document {doc} has no conflict on {field:?} (open: {open})")]
    NoFieldConflict {
        /// The document.
        doc: DocId,
        /// The field asked for.
        field: String,
        /// The fields that are in conflict, comma-separated, or "none".
        open: String,
    },
    /// The project has no open conflict on that setting.
    #[error("the project has no conflict on {item:?} (open: {open})")]
    NoProjectConflict {
        /// The setting asked for.
        item: String,
        /// The settings that are in conflict, comma-separated, or "none".
        open: String,
    },
    /// Theirs' value cannot be put in the field (a hand-edited file).
    #[error("theirs' {field} {value:?} is not a value factmark can set")]
    BadValue {
        /// The field.
        field: String,
        /// Theirs' value.
        value: String,
    },
}

/// One conflict a merge left, of any kind, with both versions in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MergeConflict {
    /// A project setting ([`ProjectConflict`]).
    Project {
        /// How `factmark resolve` names it (`label:Claim`).
        item: String,
        /// Ours' version, in force.
        ours: String,
        /// Theirs' version.
        theirs: String,
    },
    /// A document field ([`FieldConflict`]).
    Field {
        /// The document.
        doc: DocId,
        /// The field (`title`, `meta.author`, `doc_label:genre` …).
        field: String,
        /// Ours' value, in force.
        ours: String,
        /// Theirs' value.
        theirs: String,
    },
    /// Spans kept as flagged alternatives ([`validate::Conflict`]).
    Span(validate::Conflict),
}

impl MergeConflict {
    /// The document the conflict is in; `None` for a project setting.
    pub fn doc(&self) -> Option<&DocId> {
        match self {
            MergeConflict::Project { .. } => None,
            MergeConflict::Field { doc, .. } => Some(doc),
            MergeConflict::Span(c) => Some(&c.doc),
        }
    }

    /// The command that settles it, for the project at `project` (as typed by the person).
    pub fn command(&self, project: &str) -> String {
        match self {
            MergeConflict::Project { item, .. } => format!("factmark resolve {project} {item} --keep ours|theirs"),
            MergeConflict::Field { doc, field, .. } => {
                format!("factmark resolve {project} {field} --doc {doc} --keep ours|theirs")
            }
            MergeConflict::Span(c) => {
                let first = c.alternatives.first().map_or_else(|| "<span id>".to_string(), |(id, _)| id.to_string());
                format!("factmark span resolve {project} {first} (or another alternative's id)")
            }
        }
    }
}

impl fmt::Display for MergeConflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MergeConflict::Project { item, ours, theirs } => write!(f, "project {item}: ours {ours}, theirs {theirs}"),
            MergeConflict::Field { doc, field, theirs, .. } if field == DOCUMENT_FIELD => {
                if theirs == DELETED {
                    write!(
                        f,
                        "doc {doc}: deleted in theirs but changed in ours; it stays until you choose: keep ours \
                         to keep the document, theirs to delete it"
                    )
                } else {
                    write!(
                        f,
                        "doc {doc}: deleted in ours but changed in theirs; theirs' version stays until you \
                         choose: keep theirs to keep the document, ours to delete it"
                    )
                }
            }
            MergeConflict::Field { doc, field, ours, theirs } if field.starts_with(RELATION_FIELD) => {
                let id = &field[RELATION_FIELD.len()..];
                let side = |text: &str| if text.is_empty() { "none".to_string() } else { text.to_string() };
                write!(
                    f,
                    "doc {doc}: relation {id} changed differently on each side: ours {}, theirs {}",
                    side(ours),
                    side(theirs)
                )
            }
            MergeConflict::Field { doc, field, ours, theirs } => {
                write!(f, "doc {doc}: {field}: ours {ours:?}, theirs {theirs:?}")
            }
            MergeConflict::Span(c) => c.fmt(f),
        }
    }
}

/// Every conflict in `project`, in the order a person walks them: the project's settings first, then each
/// document's fields and spans, in document order.
pub fn merge_conflicts(project: &Project) -> Vec<MergeConflict> {
    let mut out: Vec<MergeConflict> = project
        .conflicts
        .iter()
        .map(|c| MergeConflict::Project { item: c.key(), ours: describe_ours(project, c), theirs: describe_theirs(c) })
        .collect();
    let mut spans = validate::conflicts(project).into_iter().peekable();
    for doc in &project.documents {
        for c in &doc.conflicts {
            out.push(MergeConflict::Field {
                doc: doc.id.clone(),
                field: c.field.clone(),
                ours: ours_value(doc, c),
                theirs: c.theirs.clone(),
            });
        }
        while let Some(span) = spans.next_if(|c| c.doc == doc.id) {
            out.push(MergeConflict::Span(span));
        }
    }
    out.extend(spans.map(MergeConflict::Span));
    out
}

/// How many conflicts `project` holds, counted without describing them (the status bar asks every frame
/// for the shown document: `doc` limits the count of fields and spans to it).
pub fn conflict_count(project: &Project, doc: Option<&DocId>) -> usize {
    let in_doc = |d: &crate::model::Document| {
        let mut groups: Vec<u64> = d.spans.iter().filter_map(|s| s.conflict_group().map(|(g, _)| g)).collect();
        groups.sort_unstable();
        groups.dedup();
        d.conflicts.len() + groups.len()
    };
    let docs: usize = match doc {
        Some(id) => project.doc(id).map_or(0, in_doc),
        None => project.documents.iter().map(in_doc).sum(),
    };
    project.conflicts.len() + docs
}

/// The edit that keeps `side` of the conflict on `field` of document `doc`: theirs' value is set (ours' is
/// already in force) and the conflict cleared, as one undoable step.
pub fn keep_field(project: &Project, doc: &DocId, field: &str, side: Side) -> Result<Edit, ConflictError> {
    let d = project.doc(doc).ok_or_else(|| ConflictError::NoDocument(doc.clone()))?;
    let Some(conflict) = d.conflicts.iter().find(|c| c.field == field) else {
        return Err(ConflictError::NoFieldConflict {
            doc: doc.clone(),
            field: field.to_string(),
            open: list_or_none(d.conflicts.iter().map(|c| c.field.clone())),
        });
    };
    let rest: Vec<FieldConflict> = d.conflicts.iter().filter(|c| c.field != field).cloned().collect();
    if field == DOCUMENT_FIELD {
        return keep_document(doc, conflict, rest, side);
    }
    let mut edits = Vec::new();
    if side == Side::Theirs {
        edits.push(set_field(d, conflict)?);
    }
    edits.push(Edit::SetDocConflicts { doc: doc.clone(), conflicts: rest });
    let name = match side {
        Side::Ours => format!("Keep our {field}"),
        Side::Theirs => format!("Keep their {field}"),
    };
    Ok(Edit::Batch { name, edits })
}

/// The edit that settles a document one side deleted and the other changed: the side that deleted it
/// wins by removing the document, the side that changed it by clearing the flag. The conflict is cleared
/// first, so one undo brings the document back flagged as it was.
fn keep_document(
    doc: &DocId,
    conflict: &FieldConflict,
    rest: Vec<FieldConflict>,
    side: Side,
) -> Result<Edit, ConflictError> {
    let deleted_by = match conflict.theirs.as_str() {
        DELETED => Side::Theirs,
        CHANGED => Side::Ours,
        _ => return Err(ConflictError::BadValue { field: conflict.field.clone(), value: conflict.theirs.clone() }),
    };
    let mut edits = vec![Edit::SetDocConflicts { doc: doc.clone(), conflicts: rest }];
    let name = if side == deleted_by {
        edits.push(Edit::RemoveDocument { doc: doc.clone() });
        format!("Delete document {doc} (deleted on one side)")
    } else {
        format!("Keep document {doc} (changed on one side)")
    };
    Ok(Edit::Batch { name, edits })
}

/// The edit that puts theirs' version of a relation in the document: ours' is removed and theirs' added
/// under the same id (or only removed, when theirs has none).
fn set_relation(doc: &crate::model::Document, conflict: &FieldConflict) -> Result<Edit, ConflictError> {
    let bad = || ConflictError::BadValue { field: conflict.field.clone(), value: conflict.theirs.clone() };
    let id = relation_field_id(&conflict.field).ok_or_else(bad)?;
    let mut edits = Vec::new();
    if doc.relation(id).is_some() {
        edits.push(Edit::RemoveRelation { doc: doc.id.clone(), relation: id });
    }
    if !conflict.theirs.is_empty() {
        let relation = parse_relation(id, &conflict.theirs).ok_or_else(bad)?;
        edits.push(Edit::AddRelation { doc: doc.id.clone(), relation });
    }
    Ok(Edit::Batch { name: format!("Their relation {id}"), edits })
}

/// The edit that puts theirs' value of a conflicted field in the document.
fn set_field(doc: &crate::model::Document, conflict: &FieldConflict) -> Result<Edit, ConflictError> {
    let id = doc.id.clone();
    let value = conflict.theirs.clone();
    let bad = || ConflictError::BadValue { field: conflict.field.clone(), value: conflict.theirs.clone() };
    match conflict.field.as_str() {
        "title" => Ok(Edit::SetDocTitle { doc: id, title: value }),
        "note" => Ok(Edit::SetDocNote { doc: id, note: value }),
        "status" => Ok(Edit::SetDocStatus { doc: id, status: parse_status(&value).ok_or_else(bad)? }),
        field if field.starts_with(RELATION_FIELD) => set_relation(doc, conflict),
        field => {
            if let Some(set) = field.strip_prefix(DOC_LABEL_FIELD) {
                let value = Some(value).filter(|v| !v.is_empty());
                return Ok(Edit::SetDocLabel { doc: id, set: set.to_string(), value });
            }
            let name = field.strip_prefix("meta.").ok_or_else(bad)?;
            let (_, _, set) = META_FIELDS.iter().find(|(n, _, _)| *n == name).ok_or_else(bad)?;
            let mut meta = doc.meta.clone();
            *set(&mut meta) = value;
            Ok(Edit::SetDocMeta { doc: id, meta })
        }
    }
}

/// The edit that keeps `side` of the project setting `item` (as [`ProjectConflict::key`] names it): theirs'
/// version replaces ours' (the schema edit checks it against every span and relation) and the conflict is
/// cleared, as one undoable step.
pub fn keep_setting(project: &Project, item: &str, side: Side) -> Result<Edit, ConflictError> {
    let Some(conflict) = project.conflicts.iter().find(|c| c.key() == item) else {
        return Err(ConflictError::NoProjectConflict {
            item: item.to_string(),
            open: list_or_none(project.conflicts.iter().map(ProjectConflict::key)),
        });
    };
    let mut rest: Vec<ProjectConflict> = project.conflicts.iter().filter(|c| c.key() != item).cloned().collect();
    if let (Side::Theirs, ProjectConflict::LabelName { name, theirs, .. }) = (side, conflict) {
        // Another conflict about the renamed label (its colour, say) follows it to its new name.
        for other in &mut rest {
            if let ProjectConflict::Label { name: label, .. } = other
                && label == name
            {
                label.clone_from(theirs);
            }
        }
    }
    let mut edits = Vec::new();
    if side == Side::Theirs {
        edits.push(take_theirs(project, conflict));
    }
    edits.push(Edit::SetProjectConflicts { conflicts: rest });
    let name = match side {
        Side::Ours => format!("Keep our {item}"),
        Side::Theirs => format!("Keep their {item}"),
    };
    Ok(Edit::Batch { name, edits })
}

/// The edit that puts theirs' version of a setting in force.
fn take_theirs(project: &Project, conflict: &ProjectConflict) -> Edit {
    let schema_with = |change: &dyn Fn(&mut Schema)| {
        let mut schema = project.schema.clone();
        change(&mut schema);
        Edit::SetSchema { schema: Box::new(schema) }
    };
    match conflict {
        ProjectConflict::Name { theirs } => Edit::SetProjectName { name: theirs.clone() },
        ProjectConflict::Label { name, theirs } => schema_with(&|s| replace(&mut s.labels, name, theirs, |l| &l.name)),
        ProjectConflict::LabelName { name, theirs, .. } => Edit::RenameLabel { from: name.clone(), to: theirs.clone() },
        ProjectConflict::RelationType { name, theirs } => {
            schema_with(&|s| replace(&mut s.relation_types, name, theirs, |r| &r.name))
        }
        ProjectConflict::DocLabelSet { name, theirs } => {
            schema_with(&|s| replace(&mut s.doc_labels, name, theirs, |d| &d.name))
        }
        ProjectConflict::Rule { name, theirs } => {
            let mut rules = project.rules.clone();
            replace(&mut rules, name, theirs, |r| &r.name);
            Edit::SetRules { rules }
        }
    }
}

/// Puts `theirs` in place of the item called `name` in `list` (at its place, or at the end when ours has
/// none), or removes that item when theirs has none.
fn replace<T: Clone>(list: &mut Vec<T>, name: &str, theirs: &Option<T>, name_of: fn(&T) -> &String) {
    match (list.iter().position(|item| name_of(item) == name), theirs) {
        (Some(at), Some(item)) => list[at] = item.clone(),
        (Some(at), None) => {
            list.remove(at);
        }
        (None, Some(item)) => list.push(item.clone()),
        (None, None) => {}
    }
}

fn list_or_none(items: impl Iterator<Item = String>) -> String {
    let items: Vec<String> = items.collect();
    if items.is_empty() { "none".to_string() } else { items.join(", ") }
}

/// Ours' version of a conflicted setting, in words, as the project holds it now.
fn describe_ours(project: &Project, conflict: &ProjectConflict) -> String {
    match conflict {
        ProjectConflict::Name { .. } => format!("{:?}", project.name),
        ProjectConflict::Label { name, .. } => show(project.schema.label(name), label_text),
        ProjectConflict::LabelName { name, was, .. } => format!("label {was:?} renamed {name:?}"),
        ProjectConflict::RelationType { name, .. } => show(project.schema.relation_type(name), relation_text),
        ProjectConflict::DocLabelSet { name, .. } => {
            show(project.schema.doc_labels.iter().find(|d| &d.name == name), set_text)
        }
        ProjectConflict::Rule { name, .. } => show(project.rules.iter().find(|r| &r.name == name), rule_text),
    }
}

/// Theirs' version of a conflicted setting, in words.
pub fn describe_theirs(conflict: &ProjectConflict) -> String {
    match conflict {
        ProjectConflict::Name { theirs } => format!("{theirs:?}"),
        ProjectConflict::Label { theirs, .. } => show(theirs.as_ref(), label_text),
        ProjectConflict::LabelName { theirs, was, .. } => format!("label {was:?} renamed {theirs:?}"),
        ProjectConflict::RelationType { theirs, .. } => show(theirs.as_ref(), relation_text),
        ProjectConflict::DocLabelSet { theirs, .. } => show(theirs.as_ref(), set_text),
        ProjectConflict::Rule { theirs, .. } => show(theirs.as_ref(), rule_text),
    }
}

fn show<T>(item: Option<&T>, text: fn(&T) -> String) -> String {
    item.map_or_else(|| "(deleted)".to_string(), text)
}

fn label_text(l: &LabelDef) -> String {
    let key = l.key.map_or_else(|| "no key".to_string(), |k| format!("key {k}"));
    let attributes: Vec<&str> = l.attributes.iter().map(|a| a.name.as_str()).collect();
    let mut text = format!("colour {}, {key}", l.color);
    if !attributes.is_empty() {
        text.push_str(&format!(", attributes {}", attributes.join(" ")));
    }
    if !l.guideline.is_empty() {
        text.push_str(&format!(", guideline {:?}", l.guideline));
    }
    text
}

fn relation_text(r: &RelationTypeDef) -> String {
    let ends = |e: &[String]| if e.is_empty() { "any".to_string() } else { e.join("|") };
    format!("{} → {}", ends(&r.from), ends(&r.to))
}

fn set_text(d: &DocLabelSet) -> String {
    format!("choices {}", d.choices.join(", "))
}

fn rule_text(r: &SuggestRule) -> String {
    format!("{} {:?} → {}", r.kind.as_str(), r.pattern, r.label)
}

#[cfg(test)]
#[path = "conflicts_tests.rs"]
mod tests;
