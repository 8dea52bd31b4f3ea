//! Merging the inputs' schemas: everything any input defines is kept, and every difference is reported.
//!
//! The first input that defines an item (label, relation type, document label set) gives its colour, key,
//! guideline and attribute kinds; later inputs add what the first lacks (labels, attributes, allowed
//! labels, choices), so every span, relation and document label of every input stays valid.

use std::fmt;

use serde::{Serialize, Serializer};

use super::{InputValue, MergeInput};
use crate::model::{AttrKind, DocLabelSet, LabelDef, RelationTypeDef, Schema};

/// The kind of schema item a difference is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemaItem {
    /// A span label.
    Label,
    /// A relation type.
    RelationType,
    /// A document label set.
    DocLabelSet,
}

impl fmt::Display for SchemaItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SchemaItem::Label => "label",
            SchemaItem::RelationType => "relation type",
            SchemaItem::DocLabelSet => "document label set",
        })
    }
}

/// What differs about an item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Aspect {
    /// Some inputs do not define the item at all.
    Missing,
    /// Highlight colour.
    Color,
    /// Keyboard key.
    Key,
    /// Two labels would share a key after merging.
    KeyClash,
    /// Guideline text.
    Guideline,
    /// One attribute of a label (missing in some inputs, or of a different kind).
    Attribute(String),
    /// Labels allowed at a relation's `from` end.
    From,
    /// Labels allowed at a relation's `to` end.
    To,
    /// A document label set's choices.
    Choices,
}

impl fmt::Display for Aspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Aspect::Missing => f.write_str("missing"),
            Aspect::Color => f.write_str("color"),
            Aspect::Key => f.write_str("key"),
            Aspect::KeyClash => f.write_str("key clash"),
            Aspect::Guideline => f.write_str("guideline"),
            Aspect::Attribute(name) => write!(f, "attribute {name}"),
            Aspect::From => f.write_str("from"),
            Aspect::To => f.write_str("to"),
            Aspect::Choices => f.write_str("choices"),
        }
    }
}

impl Serialize for Aspect {
    /// As its display text (`"color"`, `"attribute verdict"`), which is what a reader of the JSON wants.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// One way the inputs' schemas differ, with each input's value and what the merge did about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SchemaDifference {
    /// Label, relation type or document label set.
    pub item: SchemaItem,
    /// The item's name.
    pub name: String,
    /// What differs.
    pub aspect: Aspect,
    /// Each input's value (`(absent)` where it does not define the item).
    pub values: Vec<InputValue>,
    /// What the merged project has.
    pub resolution: String,
}

const ABSENT: &str = "(absent)";

/// The union of the inputs' schemas and the differences found.
pub(crate) fn merge_schemas(inputs: &[MergeInput<'_>]) -> (Schema, Vec<SchemaDifference>) {
    let mut diffs = Vec::new();
    let schemas: Vec<&Schema> = inputs.iter().map(|i| &i.project.schema).collect();
    let labels = merge_labels(inputs, &schemas, &mut diffs);
    let relation_types = merge_relation_types(inputs, &schemas, &mut diffs);
    let doc_labels = merge_doc_labels(inputs, &schemas, &mut diffs);
    (Schema { labels, relation_types, doc_labels }, diffs)
}

/// Names in first-seen order over all inputs.
fn names_in_order<'s, T: 's>(items: impl Iterator<Item = &'s [T]>, name: impl Fn(&T) -> &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for list in items {
        for item in list {
            if !out.iter().any(|n| n == name(item)) {
                out.push(name(item).to_string());
            }
        }
    }
    out
}

/// Each input's value of one item, or `(absent)`.
fn values<T>(inputs: &[MergeInput<'_>], defs: &[Option<&T>], show: impl Fn(&T) -> String) -> Vec<InputValue> {
    inputs
        .iter()
        .zip(defs)
        .map(|(input, def)| InputValue { input: input.name.to_string(), value: def.map_or(ABSENT.to_string(), &show) })
        .collect()
}

/// Reports `aspect` when the present inputs disagree on `show`'s value.
#[allow(clippy::too_many_arguments)]
fn compare<T>(
    inputs: &[MergeInput<'_>],
    defs: &[Option<&T>],
    item: SchemaItem,
    name: &str,
    aspect: Aspect,
    show: impl Fn(&T) -> String,
    resolution: impl FnOnce() -> String,
    diffs: &mut Vec<SchemaDifference>,
) {
    let shown: Vec<String> = defs.iter().flatten().map(|d| show(d)).collect();
    if shown.windows(2).any(|w| w[0] != w[1]) {
        diffs.push(SchemaDifference {
            item,
            name: name.to_string(),
            aspect,
            values: values(inputs, defs, show),
            resolution: resolution(),
        });
    }
}

fn report_missing<T>(
    inputs: &[MergeInput<'_>],
    defs: &[Option<&T>],
    item: SchemaItem,
    name: &str,
    diffs: &mut Vec<SchemaDifference>,
) {
    if defs.iter().any(Option::is_none) {
        let from = inputs.iter().zip(defs).find(|(_, d)| d.is_some()).map_or("", |(i, _)| i.name);
        diffs.push(SchemaDifference {
            item,
            name: name.to_string(),
            aspect: Aspect::Missing,
            values: values(inputs, defs, |_| "defined".to_string()),
            resolution: format!("kept, as defined in {from}"),
        });
    }
}

fn key_text(key: Option<char>) -> String {
    key.map_or_else(|| "(none)".to_string(), |k| k.to_string())
}

fn kind_text(kind: &AttrKind) -> String {
    match kind {
        AttrKind::Bool => "yes/no".into(),
        AttrKind::Choice(choices) => format!("choice of {}", choices.join(", ")),
        AttrKind::Text => "text".into(),
        AttrKind::Number => "number".into(),
        AttrKind::Url => "url".into(),
    }
}

fn merge_labels(inputs: &[MergeInput<'_>], schemas: &[&Schema], diffs: &mut Vec<SchemaDifference>) -> Vec<LabelDef> {
    let names = names_in_order(schemas.iter().map(|s| s.labels.as_slice()), |l| &l.name);
    let mut out: Vec<LabelDef> = Vec::new();
    for name in names {
        let defs: Vec<Option<&LabelDef>> = schemas.iter().map(|s| s.label(&name)).collect();
        let Some(first) = defs.iter().flatten().next().copied() else { continue };
        let item = SchemaItem::Label;
        report_missing(inputs, &defs, item, &name, diffs);
        let kept = |v: String| move || format!("kept {v}");
        compare(
            inputs,
            &defs,
            item,
            &name,
            Aspect::Color,
            |l| l.color.to_string(),
            kept(first.color.to_string()),
            diffs,
        );
        compare(inputs, &defs, item, &name, Aspect::Key, |l| key_text(l.key), kept(key_text(first.key)), diffs);
        let guideline = || "kept the first input's guideline".to_string();
        compare(inputs, &defs, item, &name, Aspect::Guideline, |l| l.guideline.clone(), guideline, diffs);
        let mut merged = first.clone();
        let attr_names = names_in_order(defs.iter().flatten().map(|l| l.attributes.as_slice()), |a| &a.name);
        for attr in attr_names {
            let kinds: Vec<Option<&AttrKind>> = defs
                .iter()
                .map(|d| d.and_then(|l| l.attributes.iter().find(|a| a.name == attr)).map(|a| &a.kind))
                .collect();
            // Inputs without the label say nothing about its attributes, so only labelled inputs count.
            let relevant: Vec<Option<&AttrKind>> =
                kinds.iter().zip(&defs).filter(|(_, d)| d.is_some()).map(|(k, _)| *k).collect();
            let shown = |k: Option<&AttrKind>| k.map_or(ABSENT.to_string(), kind_text);
            if relevant.windows(2).any(|w| shown(w[0]) != shown(w[1])) {
                let chosen = kinds.iter().flatten().next().map_or(String::new(), |k| kind_text(k));
                diffs.push(SchemaDifference {
                    item,
                    name: name.clone(),
                    aspect: Aspect::Attribute(attr.clone()),
                    values: inputs
                        .iter()
                        .zip(&kinds)
                        .zip(&defs)
                        .map(|((input, kind), def)| InputValue {
                            input: input.name.to_string(),
                            value: if def.is_some() { shown(*kind) } else { format!("{ABSENT} (no such label)") },
                        })
                        .collect(),
                    resolution: format!("kept, as {chosen}"),
                });
            }
            if !merged.attributes.iter().any(|a| a.name == attr)
                && let Some(def) = defs.iter().flatten().flat_map(|l| &l.attributes).find(|a| a.name == attr)
            {
                merged.attributes.push(def.clone());
            }
        }
        if let Some(key) = merged.key
            && let Some(other) = out.iter().find(|l| l.key.is_some_and(|k| crate::model::same_key(k, key)))
        {
            diffs.push(SchemaDifference {
                item,
                name: name.clone(),
                aspect: Aspect::KeyClash,
                values: vec![
                    InputValue { input: other.name.clone(), value: key.to_string() },
                    InputValue { input: name.clone(), value: key.to_string() },
                ],
                resolution: format!("{name} has no key in the merged project; {} keeps {key}", other.name),
            });
            merged.key = None;
        }
        out.push(merged);
    }
    out
}

/// Union of allowed labels; an empty list means "any label", so it absorbs every other list.
fn union_allowed(lists: impl Iterator<Item = Vec<String>>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for list in lists {
        if list.is_empty() {
            return Vec::new();
        }
        for label in list {
            if !out.contains(&label) {
                out.push(label);
            }
        }
    }
    out
}

fn allowed_text(list: &[String]) -> String {
    if list.is_empty() { "(any label)".to_string() } else { list.join(", ") }
}

fn merge_relation_types(
    inputs: &[MergeInput<'_>],
    schemas: &[&Schema],
    diffs: &mut Vec<SchemaDifference>,
) -> Vec<RelationTypeDef> {
    let names = names_in_order(schemas.iter().map(|s| s.relation_types.as_slice()), |r| &r.name);
    let mut out = Vec::new();
    for name in names {
        let defs: Vec<Option<&RelationTypeDef>> = schemas.iter().map(|s| s.relation_type(&name)).collect();
        let Some(first) = defs.iter().flatten().next().copied() else { continue };
        let item = SchemaItem::RelationType;
        report_missing(inputs, &defs, item, &name, diffs);
        let mut merged = first.clone();
        merged.from = union_allowed(defs.iter().flatten().map(|r| r.from.clone()));
        merged.to = union_allowed(defs.iter().flatten().map(|r| r.to.clone()));
        let from = allowed_text(&merged.from);
        let to = allowed_text(&merged.to);
        compare(
            inputs,
            &defs,
            item,
            &name,
            Aspect::From,
            |r| allowed_text(&r.from),
            || format!("allows {from}"),
            diffs,
        );
        compare(inputs, &defs, item, &name, Aspect::To, |r| allowed_text(&r.to), || format!("allows {to}"), diffs);
        let guideline = || "kept the first input's guideline".to_string();
        compare(inputs, &defs, item, &name, Aspect::Guideline, |r| r.guideline.clone(), guideline, diffs);
        out.push(merged);
    }
    out
}

fn merge_doc_labels(
    inputs: &[MergeInput<'_>],
    schemas: &[&Schema],
    diffs: &mut Vec<SchemaDifference>,
) -> Vec<DocLabelSet> {
    let names = names_in_order(schemas.iter().map(|s| s.doc_labels.as_slice()), |d| &d.name);
    let mut out = Vec::new();
    for name in names {
        let defs: Vec<Option<&DocLabelSet>> =
            schemas.iter().map(|s| s.doc_labels.iter().find(|d| d.name == name)).collect();
        let Some(first) = defs.iter().flatten().next().copied() else { continue };
        let item = SchemaItem::DocLabelSet;
        report_missing(inputs, &defs, item, &name, diffs);
        let mut merged = first.clone();
        for def in defs.iter().flatten() {
            for choice in &def.choices {
                if !merged.choices.contains(choice) {
                    merged.choices.push(choice.clone());
                }
            }
        }
        let all = merged.choices.join(", ");
        compare(
            inputs,
            &defs,
            item,
            &name,
            Aspect::Choices,
            |d| d.choices.join(", "),
            || format!("allows {all}"),
            diffs,
        );
        out.push(merged);
    }
    out
}
