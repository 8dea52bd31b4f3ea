//! `factmark span resolve <project> <span id>`: settles a conflict a merge left by keeping one alternative.

use std::io::Write;
use std::path::Path;

use anyhow::bail;

use super::{edit_and_save, load};
use crate::edit::Edit;
use crate::model::{Relation, Span, SpanId};

/// Keeps span `id`, removes the other alternatives of its conflict group and clears its flag. Relations of
/// the removed alternatives move to the kept span when their type allows its label, so a relation drawn
/// on the other side is not lost. One undoable step.
pub fn resolve(path: &Path, id: u64, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut project = load(path)?;
    let id = SpanId(id);
    let Some(doc) = project.doc_of_span(id) else {
        bail!("{}: no span {id}", path.display());
    };
    let Some(kept) = doc.span(id) else {
        bail!("{}: no span {id}", path.display());
    };
    let Some((group, _)) = kept.conflict_group() else {
        bail!("{}: span {id} is not in conflict; nothing to resolve", path.display());
    };
    let others: Vec<SpanId> = doc
        .spans
        .iter()
        .filter(|s| s.id != id && s.conflict_group().is_some_and(|(g, _)| g == group))
        .map(|s| s.id)
        .collect();
    let is_other = |s: SpanId| others.contains(&s);
    let allowed = |r: &Relation| {
        let label = |s: SpanId| if s == id { Some(kept.label.as_str()) } else { doc.span(s).map(|s| s.label.as_str()) };
        let fits = project.schema.relation_type(&r.kind).zip(label(r.from)).zip(label(r.to));
        r.from != r.to && fits.is_some_and(|((def, from), to)| def.allows(from, to))
    };
    // The kept span's own relations, minus those to the alternatives (which go with them).
    let own: Vec<Relation> = doc.relations_of(id).filter(|r| !is_other(r.from) && !is_other(r.to)).cloned().collect();
    let mut moved: Vec<Relation> = Vec::new();
    for r in doc.relations.iter().filter(|r| (is_other(r.from) || is_other(r.to)) && r.from != id && r.to != id) {
        let repoint = |s: SpanId| if is_other(s) { id } else { s };
        let candidate = Relation { from: repoint(r.from), to: repoint(r.to), ..r.clone() };
        let duplicate = own
            .iter()
            .chain(&moved)
            .any(|o| o.from == candidate.from && o.to == candidate.to && o.kind == candidate.kind);
        if !duplicate && allowed(&candidate) {
            moved.push(candidate);
        }
    }
    let doc_id = doc.id.clone();
    let mut edits: Vec<Edit> = others.iter().map(|&span| Edit::RemoveSpan { doc: doc_id.clone(), span }).collect();
    // Clearing the flag is a remove and a re-add of the span with its relations, so undo restores it exactly.
    edits.push(Edit::RemoveSpan { doc: doc_id.clone(), span: id });
    edits.push(Edit::AddSpan {
        doc: doc_id.clone(),
        span: Span { conflict: String::new(), ..kept.clone() },
        relations: own,
    });
    let moved_count = moved.len();
    edits.extend(moved.into_iter().map(|relation| Edit::AddRelation { doc: doc_id.clone(), relation }));
    edit_and_save(path, &mut project, Edit::Batch { name: "Resolve conflict".into(), edits })?;
    let removed: Vec<String> = others.iter().map(SpanId::to_string).collect();
    writeln!(
        out,
        "span {id} kept in doc {doc_id}; removed alternative(s) {}; {moved_count} relation(s) moved to it",
        if removed.is_empty() { "none".to_string() } else { removed.join(", ") }
    )?;
    Ok(())
}
