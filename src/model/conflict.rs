//! Conflicts a three-way merge left in a document's fields or in the project's settings: the value in force
//! is ours', and theirs' value waits beside it until a person keeps one of the two. (One exception: a
//! document ours deleted and theirs changed is kept in theirs' version, so nothing is lost before a person
//! decides; see [`CHANGED`].) (Spans in conflict are
//! flagged on the spans themselves: [`super::Span::conflict`].)

use serde::{Deserialize, Serialize};

use super::document::{DocStatus, Document, Metadata};
use super::ids::{RelationId, SpanId};
use super::rules::SuggestRule;
use super::schema::{DocLabelSet, LabelDef, RelationTypeDef};
use super::span::Relation;

/// A document field both sides of a merge changed differently. The document holds ours' value; `theirs`
/// is the other side's, as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// The field: `title`, `status`, `note`, `meta.author`, `meta.date`, `meta.publication`, `meta.url`,
    /// `meta.source_file`, `doc_label:<set>` for a document label, `relation:<id>` for a relation both
    /// sides changed differently, or [`DOCUMENT_FIELD`] for the document itself, which one side deleted
    /// while the other changed it.
    pub field: String,
    /// Theirs' value: the status by its name (`in-progress`), a document label's value (empty when theirs
    /// had none), a relation as [`relation_text`] writes it (empty when theirs has none), for the document
    /// [`DELETED`] or [`CHANGED`], the text of any other field.
    pub theirs: String,
}

/// A metadata field: its name (after `meta.` in a [`FieldConflict`]), how to read it and how to write it.
pub type MetaField = (&'static str, fn(&Metadata) -> &String, fn(&mut Metadata) -> &mut String);

/// The metadata fields, by the name a [`FieldConflict`] gives them, with their accessors.
pub const META_FIELDS: [MetaField; 5] = [
    ("author", |m| &m.author, |m| &mut m.author),
    ("date", |m| &m.date, |m| &mut m.date),
    ("publication", |m| &m.publication, |m| &mut m.publication),
    ("url", |m| &m.url, |m| &mut m.url),
    ("source_file", |m| &m.source_file, |m| &mut m.source_file),
];

/// The prefix of a document label's field name.
pub const DOC_LABEL_FIELD: &str = "doc_label:";

/// The prefix of a relation's field name (`relation:12`).
pub const RELATION_FIELD: &str = "relation:";

/// The field name of a conflict about the document itself: one side deleted it, the other changed it. The
/// changed version stays in the project until a person keeps or deletes it.
pub const DOCUMENT_FIELD: &str = "document";

/// A [`DOCUMENT_FIELD`] conflict's `theirs` when theirs deleted the document (ours' changed version is in
/// force: keeping theirs deletes it).
pub const DELETED: &str = "deleted";

/// A [`DOCUMENT_FIELD`] conflict's `theirs` when ours deleted the document and theirs changed it: theirs'
/// version is what the project holds (so nothing is lost before a person decides), and keeping ours
/// deletes it.
pub const CHANGED: &str = "changed";

/// A relation in words that [`parse_relation`] reads back: `attributed_to: span 3 → span 5`.
pub fn relation_text(relation: &Relation) -> String {
    format!("{}: span {} → span {}", relation.kind, relation.from, relation.to)
}

/// A relation written by [`relation_text`], with the id `id`; `None` when `text` is not one.
pub fn parse_relation(id: RelationId, text: &str) -> Option<Relation> {
    // From the right: a relation type's name may itself hold ": span ".
    let (kind, ends) = text.rsplit_once(": span ")?;
    let (from, to) = ends.split_once(" → span ")?;
    let span = |t: &str| t.trim().parse().ok().map(SpanId);
    Some(Relation { id, from: span(from)?, to: span(to)?, kind: kind.to_string() })
}

/// The relation id a `relation:<id>` field names.
pub fn relation_field_id(field: &str) -> Option<RelationId> {
    field.strip_prefix(RELATION_FIELD)?.parse().ok().map(RelationId)
}

/// Ours' side of `conflict` in `doc`, as text: the value in force, except for a document ours deleted
/// (theirs' changed version is what the project holds then).
pub fn ours_value(doc: &Document, conflict: &FieldConflict) -> String {
    if conflict.field == DOCUMENT_FIELD {
        let text = if conflict.theirs == CHANGED { DELETED } else { CHANGED };
        return text.to_string();
    }
    field_value(doc, &conflict.field).unwrap_or_default()
}

/// The value of `field` in `doc` as text, as [`FieldConflict::theirs`] holds it; `None` for a field name
/// factmark does not know.
pub fn field_value(doc: &Document, field: &str) -> Option<String> {
    match field {
        "title" => Some(doc.title.clone()),
        "status" => Some(doc.status.as_str().to_string()),
        "note" => Some(doc.note.clone()),
        _ => {
            if let Some(set) = field.strip_prefix(DOC_LABEL_FIELD) {
                return Some(doc.doc_labels.get(set).cloned().unwrap_or_default());
            }
            if field.starts_with(RELATION_FIELD) {
                let relation = doc.relation(relation_field_id(field)?);
                return Some(relation.map(relation_text).unwrap_or_default());
            }
            let name = field.strip_prefix("meta.")?;
            META_FIELDS.iter().find(|(n, _, _)| *n == name).map(|(_, get, _)| get(&doc.meta).clone())
        }
    }
}

/// Whether `text` names a status ([`DocStatus`] reads it); a status conflict's `theirs` always does.
pub fn parse_status(text: &str) -> Option<DocStatus> {
    text.parse().ok()
}

/// A project-wide setting both sides of a merge changed differently. The project holds ours' version;
/// the variant holds theirs' (`None`: theirs deleted the item, or never had it while ours changed it).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ProjectConflict {
    /// The project's name.
    Name {
        /// Theirs' name.
        theirs: String,
    },
    /// A span label (colour, key, guideline, attributes), by its name.
    Label {
        /// The label's name.
        name: String,
        /// Theirs' definition.
        theirs: Option<LabelDef>,
    },
    /// A label both sides renamed, to different names: the project uses ours' name (`name`) on the label
    /// and its spans; keeping theirs renames both to `theirs`.
    LabelName {
        /// Ours' name, in force.
        name: String,
        /// Theirs' name.
        theirs: String,
        /// The name both started from.
        was: String,
    },
    /// A relation type, by its name.
    RelationType {
        /// The type's name.
        name: String,
        /// Theirs' definition.
        theirs: Option<RelationTypeDef>,
    },
    /// A document label set, by its name.
    DocLabelSet {
        /// The set's name.
        name: String,
        /// Theirs' definition.
        theirs: Option<DocLabelSet>,
    },
    /// A suggestion rule, by its name.
    Rule {
        /// The rule's name.
        name: String,
        /// Theirs' rule.
        theirs: Option<SuggestRule>,
    },
}

impl ProjectConflict {
    /// How the command line names it: `name`, `label:<name>`, `label_name:<ours' name>`,
    /// `relation_type:<name>`, `doc_label_set:<name>` or `rule:<name>`.
    pub fn key(&self) -> String {
        match self {
            ProjectConflict::Name { .. } => "name".to_string(),
            ProjectConflict::Label { name, .. } => format!("label:{name}"),
            ProjectConflict::LabelName { name, .. } => format!("label_name:{name}"),
            ProjectConflict::RelationType { name, .. } => format!("relation_type:{name}"),
            ProjectConflict::DocLabelSet { name, .. } => format!("doc_label_set:{name}"),
            ProjectConflict::Rule { name, .. } => format!("rule:{name}"),
        }
    }
}
