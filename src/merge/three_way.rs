//! The three-way merge of one project file: what git's merge driver does with the common ancestor
//! (base), our version and their version.
//!
//! - Documents are matched by id when the text is the same, else by the content hash of the text (two
//!   clones that imported the same article under different ids still share one document).
//! - Whatever one side changed and the other left alone is taken; the same change made on both sides
//!   counts once; additions of both sides are kept; a deletion is kept when the other side left the thing
//!   unchanged.
//! - Span and relation ids of theirs' additions that collide with ids of the base or ours get fresh ids
//!   above every id of all three, and theirs' relations are rewritten to match, so no id is used twice.
//! - A span both sides changed differently, or one side deleted and the other changed, stays in the
//!   project as flagged alternatives ([`crate::model::Span::conflict`]) for a person to settle. A document
//!   field, or a label, relation type, document label set, rule or the project name, that both sides
//!   changed differently keeps ours' value in force and theirs' beside it
//!   ([`crate::model::FieldConflict`], [`crate::model::ProjectConflict`]), kept in the file until a person
//!   settles it. A relation both sides changed differently keeps ours' in force and theirs' as a
//!   `relation:<id>` field conflict; a document one side deleted and the other changed stays, with the
//!   change, flagged as a `document` field conflict (keep it or delete it); a label both sides renamed
//!   differently is one [`crate::model::ProjectConflict::LabelName`], its spans following ours' name.

use std::collections::HashSet;

use super::label_rename::{as_ours, differing_renames};
use super::three_way_doc::{Ctx, merge_document};
use super::three_way_settings::{Settings, merge_settings};
use crate::model::{CHANGED, DELETED, DOCUMENT_FIELD, Document, FieldConflict, Project};

/// A merged project and what a person needs to know about it.
#[derive(Clone, Debug)]
pub struct ThreeWay {
    /// The merged project (valid, with conflicts flagged on spans).
    pub project: Project,
    /// What happened.
    pub report: ThreeWayReport,
}

/// What the merge could not settle, and what it changed on the way.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ThreeWayReport {
    /// Spans left as flagged alternatives, one line each.
    pub span_conflicts: Vec<String>,
    /// Document fields, relations, schema and rules both sides changed differently (ours kept), one line
    /// each.
    pub field_conflicts: Vec<String>,
    /// Spans of theirs that got a fresh id because ours or the base used theirs.
    pub renumbered_spans: usize,
    /// Relations of theirs that got a fresh id.
    pub renumbered_relations: usize,
}

impl ThreeWayReport {
    /// Whether anything needs a person's decision.
    pub fn has_conflicts(&self) -> bool {
        !self.span_conflicts.is_empty() || !self.field_conflicts.is_empty()
    }
}

/// The document of `candidates` that is `doc`: same id and text, else the first with the same text that
/// `used` does not hold yet.
fn counterpart(doc: &Document, candidates: &[Document], used: &HashSet<usize>) -> Option<usize> {
    let hash = doc.content_hash();
    let same_text = |c: &Document| c.text.len() == doc.text.len() && c.content_hash() == hash;
    candidates
        .iter()
        .position(|c| c.id == doc.id && same_text(c))
        .filter(|i| !used.contains(i))
        .or_else(|| candidates.iter().enumerate().position(|(i, c)| !used.contains(&i) && same_text(c)))
}

/// A copy of `doc` with no annotations: the base of a document only one side has.
fn bare(doc: &Document) -> Document {
    Document { spans: Vec::new(), relations: Vec::new(), ..doc.clone() }
}

/// `doc`, which one side deleted and the other changed, flagged so a person chooses to keep or delete it:
/// `theirs` is [`DELETED`] when theirs deleted it, [`CHANGED`] when ours did.
pub(crate) fn flag_deleted(mut doc: Document, theirs: &str) -> Document {
    doc.conflicts.retain(|c| c.field != DOCUMENT_FIELD);
    doc.conflicts.push(FieldConflict { field: DOCUMENT_FIELD.to_string(), theirs: theirs.to_string() });
    doc
}

/// Merges `theirs` into `ours` against their common ancestor `base`.
pub fn merge_three_way(base: &Project, ours: &Project, theirs: &Project) -> ThreeWay {
    let renames = differing_renames(base, ours, theirs);
    if renames.is_empty() {
        return merge_projects(base, ours, theirs);
    }
    // Read with ours' names, the renamed labels' spans merge like any others; the rename is one conflict.
    let base = as_ours(base, &renames, |r| &r.was);
    let theirs = as_ours(theirs, &renames, |r| &r.theirs);
    let mut merged = merge_projects(&base, ours, &theirs);
    for rename in &renames {
        let conflict = rename.conflict();
        merged.project.conflicts.retain(|c| c.key() != conflict.key());
        merged.project.conflicts.push(conflict);
        merged.report.field_conflicts.push(rename.line());
    }
    merged
}

/// [`merge_three_way`] once labels renamed on both sides carry the same name in all three.
fn merge_projects(base: &Project, ours: &Project, theirs: &Project) -> ThreeWay {
    let projects = [base, ours, theirs];
    let span_ids = |p: &Project| p.documents.iter().flat_map(|d| d.spans.iter().map(|s| s.id)).collect::<Vec<_>>();
    let relation_ids =
        |p: &Project| p.documents.iter().flat_map(|d| d.relations.iter().map(|r| r.id)).collect::<Vec<_>>();
    let max_span = projects.iter().flat_map(|p| span_ids(p)).map(|id| id.0 + 1).max().unwrap_or(1);
    let max_relation = projects.iter().flat_map(|p| relation_ids(p)).map(|id| id.0 + 1).max().unwrap_or(1);
    let mut ctx = Ctx {
        taken_spans: span_ids(base).into_iter().chain(span_ids(ours)).collect(),
        taken_relations: relation_ids(base).into_iter().chain(relation_ids(ours)).collect(),
        next_span: projects.iter().map(|p| p.next_span_id).max().unwrap_or(1).max(max_span),
        next_relation: projects.iter().map(|p| p.next_relation_id).max().unwrap_or(1).max(max_relation),
        span_conflicts: Vec::new(),
        field_conflicts: Vec::new(),
        renumbered_spans: 0,
        renumbered_relations: 0,
    };
    let mut documents = Vec::new();
    let (mut base_used, mut theirs_used) = (HashSet::new(), HashSet::new());
    for o in &ours.documents {
        let b = counterpart(o, &base.documents, &base_used);
        let t = counterpart(o, &theirs.documents, &theirs_used);
        base_used.extend(b);
        theirs_used.extend(t);
        let b = b.map(|i| &base.documents[i]);
        match (b, t.map(|i| &theirs.documents[i])) {
            (b, Some(t)) => documents.push(merge_document(b, o, t, &mut ctx)),
            (Some(b), None) if b == o => {}
            (Some(_), None) => {
                ctx.field_conflicts.push(format!(
                    "doc {}: deleted in theirs but changed in ours; kept until a person keeps or deletes it",
                    o.id
                ));
                documents.push(flag_deleted(o.clone(), DELETED));
            }
            (None, None) => documents.push(o.clone()),
        }
    }
    for (i, t) in theirs.documents.iter().enumerate().filter(|(i, _)| !theirs_used.contains(i)) {
        let b = counterpart(t, &base.documents, &base_used);
        base_used.extend(b);
        let deleted_in_ours = match b.map(|i| &base.documents[i]) {
            Some(b) if b == t => continue,
            Some(_) => {
                ctx.field_conflicts.push(format!(
                    "doc {}: deleted in ours but changed in theirs; kept until a person keeps or deletes it",
                    t.id
                ));
                true
            }
            None => false,
        };
        let empty = bare(t);
        let mut merged = merge_document(Some(&empty), &empty, t, &mut ctx);
        if deleted_in_ours {
            merged = flag_deleted(merged, CHANGED);
        }
        if documents.iter().any(|d: &Document| d.id == merged.id) {
            let old = merged.id.clone();
            merged.id = crate::model::unique_doc_id(&merged.title, |c| documents.iter().any(|d| d.id.as_str() == c));
            ctx.field_conflicts.push(format!(
                "doc {old} (theirs, document {}): a different text has that id in ours; added as {}",
                i + 1,
                merged.id
            ));
        }
        documents.push(merged);
    }
    let settings =
        merge_settings(Some(Settings::of(base)), Settings::of(ours), Settings::of(theirs), &mut ctx.field_conflicts);
    let mut project = Project {
        name: settings.name,
        schema: settings.schema,
        rules: settings.rules,
        recommenders_off: settings.recommenders_off,
        conflicts: settings.conflicts,
        documents,
        next_span_id: ctx.next_span,
        next_relation_id: ctx.next_relation,
    };
    cover_used_names(&mut project, &[theirs, ours, base], &mut ctx);
    let max_span = span_ids(&project).iter().map(|id| id.0 + 1).max().unwrap_or(1);
    let max_relation = relation_ids(&project).iter().map(|id| id.0 + 1).max().unwrap_or(1);
    project.next_span_id = ctx.next_span.max(max_span);
    project.next_relation_id = ctx.next_relation.max(max_relation);
    let report = ThreeWayReport {
        span_conflicts: ctx.span_conflicts,
        field_conflicts: ctx.field_conflicts,
        renumbered_spans: ctx.renumbered_spans,
        renumbered_relations: ctx.renumbered_relations,
    };
    ThreeWay { project, report }
}

/// Merges one document's three versions on their own, as a project folder keeps each document in a file of
/// its own (`base` is `None` when both sides added the file). The same rules as [`merge_three_way`] apply
/// to each document; theirs' additions whose ids ours or the base use get ids above every id of the three
/// versions. Only this document's ids are known here, so such a fresh id may be used by another document of
/// the project: loading a folder gives the later document's duplicates new ids (see
/// [`crate::store::folder`]), which keeps every span and relation.
pub fn merge_document_three_way(
    base: Option<&Document>,
    ours: &Document,
    theirs: &Document,
) -> (Document, ThreeWayReport) {
    let versions: Vec<&Document> = base.into_iter().chain([ours, theirs]).collect();
    let spans = |d: &&Document| d.spans.iter().map(|s| s.id).collect::<Vec<_>>();
    let relations = |d: &&Document| d.relations.iter().map(|r| r.id).collect::<Vec<_>>();
    let mut ctx = Ctx {
        taken_spans: base.iter().chain([&ours]).flat_map(spans).collect(),
        taken_relations: base.iter().chain([&ours]).flat_map(relations).collect(),
        next_span: versions.iter().flat_map(spans).map(|id| id.0 + 1).max().unwrap_or(1),
        next_relation: versions.iter().flat_map(relations).map(|id| id.0 + 1).max().unwrap_or(1),
        span_conflicts: Vec::new(),
        field_conflicts: Vec::new(),
        renumbered_spans: 0,
        renumbered_relations: 0,
    };
    let document = merge_document(base, ours, theirs, &mut ctx);
    let report = ThreeWayReport {
        span_conflicts: ctx.span_conflicts,
        field_conflicts: ctx.field_conflicts,
        renumbered_spans: ctx.renumbered_spans,
        renumbered_relations: ctx.renumbered_relations,
    };
    (document, report)
}

/// Puts back into the schema any label or relation type that a merged span or relation uses but the
/// chosen schema lacks (one side removed it while the other used it), taking its definition from the
/// first of `sources` that has it.
fn cover_used_names(project: &mut Project, sources: &[&Project], ctx: &mut Ctx) {
    let labels: Vec<String> = project.documents.iter().flat_map(|d| d.spans.iter().map(|s| s.label.clone())).collect();
    for label in labels {
        if project.schema.label(&label).is_some() {
            continue;
        }
        if let Some(def) = sources.iter().find_map(|p| p.schema.label(&label)) {
            project.schema.labels.push(def.clone());
            ctx.field_conflicts.push(format!("schema: label {label} was removed on one side but spans use it; kept"));
        }
    }
    let kinds: Vec<String> =
        project.documents.iter().flat_map(|d| d.relations.iter().map(|r| r.kind.clone())).collect();
    for kind in kinds {
        if project.schema.relation_type(&kind).is_some() {
            continue;
        }
        if let Some(def) = sources.iter().find_map(|p| p.schema.relation_type(&kind)) {
            project.schema.relation_types.push(def.clone());
            ctx.field_conflicts
                .push(format!("schema: relation type {kind} was removed on one side but relations use it; kept"));
        }
    }
}

#[cfg(test)]
#[path = "three_way_tests.rs"]
mod tests;
