//! Conflicts a three-way merge left in a document's fields or in the project's settings: the value in force
//! is ours', and theirs' value waits beside it until a person keeps one of the two. (Spans in conflict are
//! flagged on the spans themselves: [`super::Span::conflict`].)

use serde::{Deserialize, Serialize};

use super::document::{DocStatus, Document, Metadata};
use super::rules::SuggestRule;
use super::schema::{DocLabelSet, LabelDef, RelationTypeDef};

/// A document field both sides of a merge changed differently. The document holds ours' value; `theirs`
/// is the other side's, as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldConflict {
    /// The field: `title`, `status`, `note`, `meta.author`, `meta.date`, `meta.publication`, `meta.url`,
    /// `meta.source_file`, or `doc_label:<set>` for a document label.
    pub field: String,
    /// Theirs' value: the status by its name (`in-progress`), a document label's value (empty when theirs
    /// had none), the text of any other field.
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
    /// How the command line names it: `name`, `label:<name>`, `relation_type:<name>`,
    /// `doc_label_set:<name>` or `rule:<name>`.
    pub fn key(&self) -> String {
        match self {
            ProjectConflict::Name { .. } => "name".to_string(),
            ProjectConflict::Label { name, .. } => format!("label:{name}"),
            ProjectConflict::RelationType { name, .. } => format!("relation_type:{name}"),
            ProjectConflict::DocLabelSet { name, .. } => format!("doc_label_set:{name}"),
            ProjectConflict::Rule { name, .. } => format!("rule:{name}"),
        }
    }
}
