//! The label schema: span labels, their attributes, relation types and document-level label sets.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A display colour, stored in project files as `"#rrggbb"` so people can read and edit it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// Parses `#rrggbb` (the `#` is optional).
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#').unwrap_or(text);
        if hex.len() != 6 || !hex.is_ascii() {
            return None;
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
        Some(Rgb([byte(0)?, byte(2)?, byte(4)?]))
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl Serialize for Rgb {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Rgb::parse(&text).ok_or_else(|| serde::de::Error::custom(format!("bad colour {text:?}, expected \"#rrggbb\"")))
    }
}

/// The kind of value an attribute holds, which decides the widget that edits it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AttrKind {
    /// yes / no
    Bool,
    /// one of a fixed list of choices
    Choice(Vec<String>),
    /// free text
    Text,
    /// a number
    Number,
    /// a link to evidence
    Url,
}

impl AttrKind {
    /// Reads a value of this kind from text (command line, inspector fields). Empty text means "clear".
    /// Yes/no takes yes, no, true, false, 1, 0; URLs must start with http:// or https://.
    pub fn parse_value(&self, text: &str) -> Result<Option<super::AttrValue>, String> {
        use super::AttrValue;
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        match self {
            AttrKind::Bool => match text.to_ascii_lowercase().as_str() {
                "yes" | "true" | "1" => Ok(Some(AttrValue::Bool(true))),
                "no" | "false" | "0" => Ok(Some(AttrValue::Bool(false))),
                _ => Err(format!("{text:?} is not yes or no")),
            },
            AttrKind::Number => text
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .map(|n| Some(AttrValue::Number(n)))
                .ok_or_else(|| format!("{text:?} is not a number")),
            AttrKind::Choice(choices) => match choices.iter().find(|c| c.as_str() == text) {
                Some(c) => Ok(Some(AttrValue::Text(c.clone()))),
                None => Err(format!("{text:?} is not one of {}", choices.join(", "))),
            },
            AttrKind::Url if !(text.starts_with("http://") || text.starts_with("https://")) => {
                Err(format!("{text:?} is not a web address (http:// or https://)"))
            }
            AttrKind::Text | AttrKind::Url => Ok(Some(AttrValue::Text(text.to_string()))),
        }
    }

    /// A short name of the kind, for the schema editor.
    pub fn name(&self) -> &'static str {
        match self {
            AttrKind::Bool => "yes/no",
            AttrKind::Choice(_) => "one of",
            AttrKind::Text => "text",
            AttrKind::Number => "number",
            AttrKind::Url => "URL",
        }
    }
}

/// An attribute that spans of one label may carry (e.g. a Claim's `verdict`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AttributeDef {
    /// Key used in spans and exports.
    pub name: String,
    /// What values it takes.
    pub kind: AttrKind,
}

/// One span label of the schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LabelDef {
    /// The label's name as stored on spans and written in exports.
    pub name: String,
    /// Highlight colour.
    pub color: Rgb,
    /// The key that applies this label in the workspace (`1`, `2`, …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<char>,
    /// One-line annotation guideline, shown as a tooltip.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guideline: String,
    /// Attributes that spans of this label may carry.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeDef>,
}

/// A relation type with the labels allowed at each end (empty = any label).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RelationTypeDef {
    /// Name stored on relations and written in exports.
    pub name: String,
    /// Labels allowed on the `from` end.
    #[serde(default)]
    pub from: Vec<String>,
    /// Labels allowed on the `to` end.
    #[serde(default)]
    pub to: Vec<String>,
    /// One-line guideline.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub guideline: String,
}

impl RelationTypeDef {
    /// Whether a relation of this type may go from a span labelled `from` to one labelled `to`.
    pub fn allows(&self, from: &str, to: &str) -> bool {
        let fits = |allowed: &[String], label: &str| allowed.is_empty() || allowed.iter().any(|a| a == label);
        fits(&self.from, from) && fits(&self.to, to)
    }
}

/// A set of document-level labels (e.g. genre), one of which a document may carry.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DocLabelSet {
    /// Name of the set, used as the key on documents.
    pub name: String,
    /// The allowed values.
    pub choices: Vec<String>,
}

/// Everything a project lets annotators say about its documents.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Span labels in palette order.
    pub labels: Vec<LabelDef>,
    /// Relation types.
    pub relation_types: Vec<RelationTypeDef>,
    /// Document-level label sets.
    #[serde(default)]
    pub doc_labels: Vec<DocLabelSet>,
}

impl Schema {
    /// The label called `name`, if the schema has it.
    pub fn label(&self, name: &str) -> Option<&LabelDef> {
        self.labels.iter().find(|l| l.name == name)
    }

    /// The label other than the one at `except` whose key is `key`, compared as [`same_key`] does.
    pub fn label_keyed(&self, key: char, except: Option<usize>) -> Option<&LabelDef> {
        self.labels
            .iter()
            .enumerate()
            .find(|(i, l)| Some(*i) != except && l.key.is_some_and(|k| same_key(k, key)))
            .map(|(_, l)| l)
    }

    /// The relation type called `name`, if the schema has it.
    pub fn relation_type(&self, name: &str) -> Option<&RelationTypeDef> {
        self.relation_types.iter().find(|r| r.name == name)
    }

    /// Looks a label up ignoring ASCII case, so the CLI accepts `claim` for `Claim`.
    pub fn label_ignore_case(&self, name: &str) -> Option<&LabelDef> {
        self.label(name).or_else(|| self.labels.iter().find(|l| l.name.eq_ignore_ascii_case(name)))
    }
}

fn choice(values: &[&str]) -> AttrKind {
    AttrKind::Choice(values.iter().map(|v| v.to_string()).collect())
}

fn attr(name: &str, kind: AttrKind) -> AttributeDef {
    AttributeDef { name: name.to_string(), kind }
}

impl Default for Schema {
    /// The fact-vs-opinion schema factmark was built for.
    fn default() -> Self {
        Schema {
            labels: vec![
                LabelDef {
                    name: "Claim".into(),
                    color: Rgb([0x2b, 0x7b, 0xd6]),
                    key: Some('1'),
                    guideline: "A checkable statement of fact: something that is true or false regardless of who says it."
                        .into(),
                    attributes: vec![
                        attr("check_worthy", AttrKind::Bool),
                        attr(
                            "verdict",
                            choice(&["unverified", "accurate", "misleading", "false", "unverifiable"]),
                        ),
                        attr("evidence", AttrKind::Url),
                    ],
                },
                LabelDef {
                    name: "Opinion".into(),
                    color: Rgb([0xe0, 0x7a, 0x1f]),
                    key: Some('2'),
                    guideline: "A judgement, evaluation, prediction or recommendation: it can be argued with, not checked."
                        .into(),
                    attributes: vec![
                        attr("polarity", choice(&["negative", "neutral", "positive"])),
                        attr("target", AttrKind::Text),
                    ],
                },
                LabelDef {
                    name: "Source".into(),
                    color: Rgb([0x2e, 0x9e, 0x5b]),
                    key: Some('3'),
                    guideline: "Who or what a statement is attributed to: a person, organisation, document or anonymous source."
                        .into(),
                    attributes: vec![
                        attr(
                            "kind",
                            choice(&[
                                "named person",
                                "organisation",
                                "government",
                                "anonymous",
                                "document or media",
                            ]),
                        ),
                        attr("named_in_text", AttrKind::Bool),
                    ],
                },
            ],
            relation_types: vec![RelationTypeDef {
                name: "attributed_to".into(),
                from: vec!["Source".into()],
                to: vec!["Claim".into(), "Opinion".into()],
                guideline: "Links a Source to the Claim or Opinion it is the origin of.".into(),
            }],
            doc_labels: vec![DocLabelSet {
                name: "genre".into(),
                choices: ["news", "analysis", "opinion", "other"].iter().map(|s| s.to_string()).collect(),
            }],
        }
    }
}

/// Whether two label keys are the same key. Case is ignored: Shift+A and A are one key on the keyboard,
/// so labels keyed `a` and `A` would fight over it. Every check of label keys (schema edits, merges, the
/// schema editor) compares through this.
pub fn same_key(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}
