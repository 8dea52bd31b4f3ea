//! The three-way merge of a project's settings: its name, schema, suggestion rules and switched-off
//! recommenders. Shared by the single-file merge and the merge of a project folder's `project.ron`.
//!
//! Labels, relation types, document label sets and rules are matched by name and merged one by one, a
//! label field by field (colour, key, guideline, attributes), so two people who each changed a different
//! label, or a different field of one, both keep their change. Only the same item changed differently on
//! both sides is a conflict: ours' version stays in force and theirs' is kept beside it as a
//! [`ProjectConflict`] for a person to settle.

use super::three_way_doc::{field, merge_conflict_lists, pick};
use crate::model::{LabelDef, Project, ProjectConflict, RelationTypeDef, Schema, SuggestRule, same_key};

/// The project-wide parts of one version of a project, as the merge reads them.
#[derive(Clone, Copy, Debug)]
pub struct Settings<'a> {
    /// The project's name.
    pub name: &'a String,
    /// Its schema.
    pub schema: &'a Schema,
    /// Its suggestion rules.
    pub rules: &'a [SuggestRule],
    /// The recommenders switched off.
    pub recommenders_off: &'a [String],
    /// Conflicts an earlier merge left unsettled.
    pub conflicts: &'a [ProjectConflict],
}

impl<'a> Settings<'a> {
    /// The settings of `project`.
    pub fn of(project: &'a Project) -> Settings<'a> {
        Settings {
            name: &project.name,
            schema: &project.schema,
            rules: &project.rules,
            recommenders_off: &project.recommenders_off,
            conflicts: &project.conflicts,
        }
    }
}

/// The merged settings: ours' version of whatever conflicts, with theirs' in `conflicts`.
#[derive(Clone, Debug, PartialEq)]
pub struct MergedSettings {
    /// The project's name.
    pub name: String,
    /// The schema.
    pub schema: Schema,
    /// The suggestion rules.
    pub rules: Vec<SuggestRule>,
    /// The recommenders switched off.
    pub recommenders_off: Vec<String>,
    /// Every conflict still open: earlier ones not settled, and this merge's.
    pub conflicts: Vec<ProjectConflict>,
}

/// Merges `theirs` into `ours` against `base` (`None` when both sides created the project on their own),
/// adding one line per conflict and per repair to `lines`.
pub fn merge_settings(
    base: Option<Settings<'_>>,
    ours: Settings<'_>,
    theirs: Settings<'_>,
    lines: &mut Vec<String>,
) -> MergedSettings {
    let mut conflicts: Vec<ProjectConflict> = Vec::new();
    let name = pick(base.map(|b| b.name), ours.name, theirs.name).unwrap_or_else(|| {
        lines.push(format!("project name: kept {:?} (ours); theirs had {:?}", ours.name, theirs.name));
        conflicts.push(ProjectConflict::Name { theirs: theirs.name.clone() });
        ours.name.clone()
    });
    let mut conflict = |what: &str, item: ProjectConflict| {
        lines.push(format!("{what} {}: both sides changed it differently; kept ours", key_name(&item)));
        conflicts.push(item);
    };
    let base_schema = base.map(|b| b.schema);
    let labels = merge_named(
        base_schema.map(|s| s.labels.as_slice()),
        &ours.schema.labels,
        &theirs.schema.labels,
        |l| &l.name,
        merge_label,
        |name, theirs| conflict("label", ProjectConflict::Label { name, theirs }),
    );
    let relation_types = merge_named(
        base_schema.map(|s| s.relation_types.as_slice()),
        &ours.schema.relation_types,
        &theirs.schema.relation_types,
        |r| &r.name,
        merge_relation_type,
        |name, theirs| conflict("relation type", ProjectConflict::RelationType { name, theirs }),
    );
    let doc_labels = merge_named(
        base_schema.map(|s| s.doc_labels.as_slice()),
        &ours.schema.doc_labels,
        &theirs.schema.doc_labels,
        |d| &d.name,
        |_, o, t| Err(Box::new((o.clone(), t.clone()))),
        |name, theirs| conflict("document label set", ProjectConflict::DocLabelSet { name, theirs }),
    );
    let rules = merge_named(
        base.map(|b| b.rules),
        ours.rules,
        theirs.rules,
        |r| &r.name,
        |_, o, t| Err(Box::new((o.clone(), t.clone()))),
        |name, theirs| conflict("suggestion rule", ProjectConflict::Rule { name, theirs }),
    );
    let mut schema = Schema { labels, relation_types, doc_labels };
    repair_schema(&mut schema, [Some(ours.schema), Some(theirs.schema), base_schema], lines);
    let recommenders_off = merge_set(base.map(|b| b.recommenders_off), ours.recommenders_off, theirs.recommenders_off);
    let mut all = merge_conflict_lists(base.map(|b| b.conflicts), ours.conflicts, theirs.conflicts);
    for new in conflicts {
        all.retain(|c| c.key() != new.key());
        all.push(new);
    }
    MergedSettings { name, schema, rules, recommenders_off, conflicts: all }
}

/// The item's name in a report line.
fn key_name(item: &ProjectConflict) -> String {
    item.key().split_once(':').map_or_else(|| item.key(), |(_, name)| name.to_string())
}

/// An item both sides changed, merged: `Err` holds ours' and theirs' alternatives when some field still
/// differs (each with the other side's one-sided changes).
type Settled<T> = Result<T, Box<(T, T)>>;

/// Merges an item both sides changed, given the base's, ours' and theirs'.
type Settle<T> = fn(&T, &T, &T) -> Settled<T>;

/// A list of named items merged item by item: ours' in ours' order, then theirs' additions. `settle`
/// merges an item both sides changed (field by field), giving ours' and theirs' alternatives when some
/// field still differs; `conflict` hears of each item left in conflict with theirs' version.
fn merge_named<T: Clone + PartialEq>(
    base: Option<&[T]>,
    ours: &[T],
    theirs: &[T],
    name: fn(&T) -> &String,
    settle: Settle<T>,
    mut conflict: impl FnMut(String, Option<T>),
) -> Vec<T> {
    let find = |list: &[T], key: &String| list.iter().find(|item| name(item) == key).cloned();
    let mut out = Vec::new();
    let mut names: Vec<&String> = ours.iter().map(name).collect();
    names.extend(theirs.iter().map(name).filter(|n| !ours.iter().any(|o| name(o) == *n)));
    for key in names {
        // `None`: no base at all (both sides made the project); `Some(None)`: the base lacks the item.
        let b = base.map(|list| find(list, key));
        let (o, t) = (find(ours, key), find(theirs, key));
        if let Some(kept) = pick(b.as_ref(), &o, &t) {
            out.extend(kept);
            continue;
        }
        match (b.flatten(), o, t) {
            (Some(b), Some(o), Some(t)) => match settle(&b, &o, &t) {
                Ok(merged) => out.push(merged),
                Err(pair) => {
                    let (ours_alt, theirs_alt) = *pair;
                    out.push(ours_alt);
                    conflict(key.clone(), Some(theirs_alt));
                }
            },
            (_, o, t) => {
                out.extend(o);
                conflict(key.clone(), t);
            }
        }
    }
    out
}

/// A label both sides changed, field by field.
fn merge_label(base: &LabelDef, ours: &LabelDef, theirs: &LabelDef) -> Settled<LabelDef> {
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    let mut conflicted = field(&base.color, &ours.color, &theirs.color, &mut a.color, &mut b.color);
    conflicted |= field(&base.key, &ours.key, &theirs.key, &mut a.key, &mut b.key);
    conflicted |= field(&base.guideline, &ours.guideline, &theirs.guideline, &mut a.guideline, &mut b.guideline);
    conflicted |= field(&base.attributes, &ours.attributes, &theirs.attributes, &mut a.attributes, &mut b.attributes);
    if conflicted { Err(Box::new((a, b))) } else { Ok(a) }
}

/// A relation type both sides changed, field by field.
fn merge_relation_type(
    base: &RelationTypeDef,
    ours: &RelationTypeDef,
    theirs: &RelationTypeDef,
) -> Settled<RelationTypeDef> {
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    let mut conflicted = field(&base.from, &ours.from, &theirs.from, &mut a.from, &mut b.from);
    conflicted |= field(&base.to, &ours.to, &theirs.to, &mut a.to, &mut b.to);
    conflicted |= field(&base.guideline, &ours.guideline, &theirs.guideline, &mut a.guideline, &mut b.guideline);
    if conflicted { Err(Box::new((a, b))) } else { Ok(a) }
}

/// Names merged as a set: each name is in when the three-way choice of "is it in" says so; without a base,
/// every name of either side.
fn merge_set(base: Option<&[String]>, ours: &[String], theirs: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for name in ours.iter().chain(theirs) {
        let has = |list: &[String]| list.contains(name);
        let keep = pick(base.map(has).as_ref(), &has(ours), &has(theirs)).unwrap_or(true);
        if keep && !out.contains(name) {
            out.push(name.clone());
        }
    }
    out
}

/// Makes the merged schema consistent where two one-sided changes clash: a label key both sides gave to
/// different labels stays with the first label (the other loses its key), and a label a relation type
/// names but one side removed comes back from the first of `sources` that has it.
fn repair_schema(schema: &mut Schema, sources: [Option<&Schema>; 3], lines: &mut Vec<String>) {
    let ends: Vec<String> = schema.relation_types.iter().flat_map(|r| r.from.iter().chain(&r.to).cloned()).collect();
    for end in ends {
        if schema.label(&end).is_some() {
            continue;
        }
        if let Some(def) = sources.iter().flatten().find_map(|s| s.label(&end)) {
            schema.labels.push(def.clone());
            lines.push(format!("schema: label {end} was removed on one side but a relation type names it; kept"));
        }
    }
    for i in 0..schema.labels.len() {
        let Some(key) = schema.labels[i].key else { continue };
        if schema.labels[..i].iter().any(|l| l.key.is_some_and(|k| same_key(k, key))) {
            schema.labels[i].key = None;
            lines.push(format!(
                "schema: label {} lost its key {key:?}, which the other side gave to another label",
                schema.labels[i].name
            ));
        }
    }
}

#[cfg(test)]
#[path = "three_way_settings_tests.rs"]
mod tests;
