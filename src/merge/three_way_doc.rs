//! The three-way merge of one document's spans, relations and fields (see [`super::three_way`]).
//!
//! Spans and relations are matched by id within the document. An id that the base does not have is an
//! addition; ids are project-wide and handed out by each clone on its own, so an addition of theirs whose id
//! ours (or the base) already uses gets a fresh id, and every relation of theirs is rewritten through the
//! same map so it still points at the spans it linked.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::model::{
    DOC_LABEL_FIELD, Document, FieldConflict, META_FIELDS, RELATION_FIELD, Relation, RelationId, Span, SpanId,
    relation_text,
};

/// State shared by every document of one merge: the ids in use, the fresh-id counters and the report lines.
pub(super) struct Ctx {
    /// Span ids the merged project may not hand to one of theirs' additions (base's and ours').
    pub taken_spans: HashSet<SpanId>,
    /// Relation ids likewise.
    pub taken_relations: HashSet<RelationId>,
    /// The next fresh span id: above every id of base, ours and theirs.
    pub next_span: u64,
    /// The next fresh relation id.
    pub next_relation: u64,
    /// Spans that need a person's decision, one line each.
    pub span_conflicts: Vec<String>,
    /// Document fields, schema and rules that both sides changed differently (ours kept), one line each.
    pub field_conflicts: Vec<String>,
    /// Spans of theirs that got a fresh id.
    pub renumbered_spans: usize,
    /// Relations of theirs that got a fresh id.
    pub renumbered_relations: usize,
}

impl Ctx {
    fn fresh_span(&mut self) -> SpanId {
        let id = SpanId(self.next_span);
        self.next_span += 1;
        self.taken_spans.insert(id);
        id
    }

    fn fresh_relation(&mut self) -> RelationId {
        let id = RelationId(self.next_relation);
        self.next_relation += 1;
        self.taken_relations.insert(id);
        id
    }
}

/// The three-way choice for one value: the side that changed it wins, the same change counts once, and
/// `None` means both changed it differently.
pub(super) fn pick<T: PartialEq + Clone>(base: Option<&T>, ours: &T, theirs: &T) -> Option<T> {
    if ours == theirs || base == Some(theirs) {
        Some(ours.clone())
    } else if base == Some(ours) {
        Some(theirs.clone())
    } else {
        None
    }
}

/// Merges one field into `ours_alt` and `theirs_alt`; true when it conflicts.
pub(super) fn field<T: PartialEq + Clone>(
    base: &T,
    ours: &T,
    theirs: &T,
    ours_alt: &mut T,
    theirs_alt: &mut T,
) -> bool {
    match pick(Some(base), ours, theirs) {
        Some(value) => {
            *ours_alt = value.clone();
            *theirs_alt = value;
            false
        }
        None => true,
    }
}

/// A span both sides kept, merged field by field. `Err` holds two alternatives when some field was changed
/// differently on each side: each has every one-sided change, and its own side's value of the contested
/// fields.
fn merge_span(base: &Span, ours: &Span, theirs: &Span) -> Result<Span, Box<(Span, Span)>> {
    let (mut a, mut b) = (ours.clone(), theirs.clone());
    let mut conflicted = false;
    let (mut range_a, mut range_b) = (a.range(), b.range());
    conflicted |= field(&base.range(), &ours.range(), &theirs.range(), &mut range_a, &mut range_b);
    (a.start, a.end, b.start, b.end) = (range_a.start, range_a.end, range_b.start, range_b.end);
    conflicted |= field(&base.label, &ours.label, &theirs.label, &mut a.label, &mut b.label);
    conflicted |= field(&base.annotator, &ours.annotator, &theirs.annotator, &mut a.annotator, &mut b.annotator);
    conflicted |= field(&base.note, &ours.note, &theirs.note, &mut a.note, &mut b.note);
    conflicted |= field(&base.attributes, &ours.attributes, &theirs.attributes, &mut a.attributes, &mut b.attributes);
    let (mut review_a, mut review_b) = ((a.review, a.reviewer.clone()), (b.review, b.reviewer.clone()));
    conflicted |= field(
        &(base.review, base.reviewer.clone()),
        &(ours.review, ours.reviewer.clone()),
        &(theirs.review, theirs.reviewer.clone()),
        &mut review_a,
        &mut review_b,
    );
    (a.review, a.reviewer, b.review, b.reviewer) = (review_a.0, review_a.1, review_b.0, review_b.1);
    conflicted |= field(&base.origin, &ours.origin, &theirs.origin, &mut a.origin, &mut b.origin);
    conflicted |= field(&base.conflict, &ours.conflict, &theirs.conflict, &mut a.conflict, &mut b.conflict);
    if conflicted { Err(Box::new((a, b))) } else { Ok(a) }
}

/// Whether two spans are the same annotation apart from their ids.
fn same_content(a: &Span, b: &Span) -> bool {
    Span { id: b.id, ..a.clone() } == *b
}

/// One line for the report about span `id` of `doc`.
fn line(doc: &Document, id: SpanId, what: &str) -> String {
    format!("span {id} in doc {}: {what}", doc.id)
}

/// Merges `theirs` into `ours` against `base` (`None` when both sides added the document): ours' fields
/// and order, with theirs' one-sided changes, every addition of either side, and conflicts flagged.
pub(super) fn merge_document(base: Option<&Document>, ours: &Document, theirs: &Document, ctx: &mut Ctx) -> Document {
    let mut out = ours.clone();
    merge_fields(base, ours, theirs, &mut out, ctx);
    let base_span = |id: SpanId| base.and_then(|b| b.span(id));
    let mut spans: Vec<Span> = Vec::new();
    // Theirs' span ids → merged ids; ids that stay the same are left out.
    let mut map: HashMap<SpanId, SpanId> = HashMap::new();
    for o in &ours.spans {
        let Some(b) = base_span(o.id) else {
            spans.push(o.clone());
            continue;
        };
        match theirs.span(o.id) {
            None if o == b => {}
            None => {
                ctx.span_conflicts.push(line(ours, o.id, "changed in ours, deleted in theirs"));
                spans.push(Span { conflict: format!("{}/ours", o.id), ..o.clone() });
            }
            Some(t) => match merge_span(b, o, t) {
                Ok(merged) => spans.push(merged),
                Err(pair) => {
                    let (a, mut c) = *pair;
                    let group = o.id;
                    let fresh = ctx.fresh_span();
                    c.id = fresh;
                    c.conflict = format!("{group}/theirs");
                    let a = Span { conflict: format!("{group}/ours"), ..a };
                    ctx.span_conflicts.push(line(
                        ours,
                        group,
                        &format!("changed differently; ours is {group}, theirs {fresh}"),
                    ));
                    spans.push(a);
                    spans.push(c);
                }
            },
        }
    }
    if let Some(base) = base {
        for b in base.spans.iter().filter(|b| ours.span(b.id).is_none()) {
            match theirs.span(b.id) {
                Some(t) if t != b => {
                    ctx.span_conflicts.push(line(ours, t.id, "deleted in ours, changed in theirs"));
                    spans.push(Span { conflict: format!("{}/theirs", t.id), ..t.clone() });
                }
                Some(_) | None => {}
            }
        }
    }
    let ours_added: Vec<&Span> = ours.spans.iter().filter(|o| base_span(o.id).is_none()).collect();
    for t in theirs.spans.iter().filter(|t| base_span(t.id).is_none()) {
        if let Some(same) = ours_added.iter().find(|o| same_content(o, t)) {
            map.insert(t.id, same.id);
            continue;
        }
        let id = if ctx.taken_spans.contains(&t.id) {
            ctx.renumbered_spans += 1;
            ctx.fresh_span()
        } else {
            ctx.taken_spans.insert(t.id);
            t.id
        };
        map.insert(t.id, id);
        spans.push(Span { id, ..t.clone() });
    }
    let mut relation_conflicts = Vec::new();
    out.relations = merge_relations(base, ours, theirs, &map, ctx, &mut relation_conflicts);
    for new in relation_conflicts {
        out.conflicts.retain(|c| c.field != new.field);
        out.conflicts.push(new);
    }
    restore_linked_spans(base, &mut spans, &mut out, ctx);
    spans.sort_by_key(Span::sort_key);
    out.spans = spans;
    out.relations.sort_by_key(|r| r.id);
    out
}

/// Relations: ours' kept, theirs' additions (rewritten through the span id `map`), deletions of either
/// side applied when the other side left the relation as it was. A relation both sides changed differently
/// keeps ours' in force and theirs' in `conflicts` (a `relation:<id>` field), for a person to choose.
fn merge_relations(
    base: Option<&Document>,
    ours: &Document,
    theirs: &Document,
    map: &HashMap<SpanId, SpanId>,
    ctx: &mut Ctx,
    conflicts: &mut Vec<FieldConflict>,
) -> Vec<Relation> {
    let mapped = |r: &Relation| Relation {
        from: map.get(&r.from).copied().unwrap_or(r.from),
        to: map.get(&r.to).copied().unwrap_or(r.to),
        ..r.clone()
    };
    let base_rel = |id: RelationId| base.and_then(|b| b.relation(id));
    let mut out: Vec<Relation> = Vec::new();
    for o in &ours.relations {
        let Some(b) = base_rel(o.id) else {
            out.push(o.clone());
            continue;
        };
        match theirs.relation(o.id).map(mapped) {
            None if o == b => {}
            None => out.push(o.clone()),
            Some(t) => match pick(Some(b), o, &t) {
                Some(r) => out.push(r),
                None => {
                    ctx.field_conflicts.push(format!(
                        "relation {} in doc {}: changed differently; ours ({}) in force, theirs ({}) kept beside it",
                        o.id,
                        ours.id,
                        relation_text(o),
                        relation_text(&t)
                    ));
                    conflicts
                        .push(FieldConflict { field: format!("{RELATION_FIELD}{}", o.id), theirs: relation_text(&t) });
                    out.push(o.clone());
                }
            },
        }
    }
    if let Some(base) = base {
        for b in base.relations.iter().filter(|b| ours.relation(b.id).is_none()) {
            if let Some(t) = theirs.relation(b.id).map(mapped).filter(|t| t != b) {
                out.push(t);
            }
        }
    }
    let ours_added: Vec<&Relation> = ours.relations.iter().filter(|o| base_rel(o.id).is_none()).collect();
    for t in theirs.relations.iter().filter(|t| base_rel(t.id).is_none()) {
        let t = mapped(t);
        if ours_added.iter().any(|o| o.from == t.from && o.to == t.to && o.kind == t.kind) {
            continue;
        }
        let id = if ctx.taken_relations.contains(&t.id) {
            ctx.renumbered_relations += 1;
            ctx.fresh_relation()
        } else {
            ctx.taken_relations.insert(t.id);
            t.id
        };
        out.push(Relation { id, ..t });
    }
    out
}

/// A relation one side added to a span the other side deleted: the span comes back from the base, flagged,
/// so that neither the relation nor the deletion is lost without a person deciding.
fn restore_linked_spans(base: Option<&Document>, spans: &mut Vec<Span>, out: &mut Document, ctx: &mut Ctx) {
    let present: HashSet<SpanId> = spans.iter().map(|s| s.id).collect();
    let missing: BTreeSet<SpanId> =
        out.relations.iter().flat_map(|r| [r.from, r.to]).filter(|id| !present.contains(id)).collect();
    let mut dropped = HashSet::new();
    for id in missing {
        match base.and_then(|b| b.span(id)) {
            Some(b) => {
                ctx.span_conflicts.push(line(out, id, "deleted on one side, linked by a relation on the other"));
                spans.push(Span { conflict: format!("{id}/base"), ..b.clone() });
            }
            None => {
                dropped.insert(id);
            }
        }
    }
    if !dropped.is_empty() {
        // Cannot happen with files factmark wrote (a relation's spans are always in its document), but a
        // hand-edited input must not make the merge write an invalid project.
        out.relations.retain(|r| {
            let keep = !dropped.contains(&r.from) && !dropped.contains(&r.to);
            if !keep {
                ctx.field_conflicts.push(format!("relation {} in doc {}: its span is missing; left out", r.id, out.id));
            }
            keep
        });
    }
}

/// Title, metadata (field by field), status, note and document labels, three-way. A field both sides
/// changed differently keeps ours' value, with theirs' in the document's [`FieldConflict`]s (which the file
/// keeps until a person settles them) and a line in the report.
fn merge_fields(base: Option<&Document>, ours: &Document, theirs: &Document, out: &mut Document, ctx: &mut Ctx) {
    let mut conflicts: Vec<FieldConflict> = Vec::new();
    let mut conflict = |field: String, ours_value: String, theirs_value: String| {
        ctx.field_conflicts
            .push(format!("doc {}: {field}: kept {ours_value:?} (ours); theirs had {theirs_value:?}", ours.id));
        conflicts.push(FieldConflict { field, theirs: theirs_value });
    };
    match pick(base.map(|b| &b.title), &ours.title, &theirs.title) {
        Some(v) => out.title = v,
        None => conflict("title".into(), ours.title.clone(), theirs.title.clone()),
    }
    for (name, get, set) in META_FIELDS {
        match pick(base.map(|b| get(&b.meta)), get(&ours.meta), get(&theirs.meta)) {
            Some(v) => *set(&mut out.meta) = v,
            None => conflict(format!("meta.{name}"), get(&ours.meta).clone(), get(&theirs.meta).clone()),
        }
    }
    match pick(base.map(|b| &b.status), &ours.status, &theirs.status) {
        Some(v) => out.status = v,
        None => conflict("status".into(), ours.status.to_string(), theirs.status.to_string()),
    }
    match pick(base.map(|b| &b.note), &ours.note, &theirs.note) {
        Some(v) => out.note = v,
        None => conflict("note".into(), ours.note.clone(), theirs.note.clone()),
    }
    let sets: BTreeSet<&String> = ours.doc_labels.keys().chain(theirs.doc_labels.keys()).collect();
    for set in sets {
        let value = |d: &Document| d.doc_labels.get(set).cloned();
        let base_value = base.map(value);
        match pick(base_value.as_ref(), &value(ours), &value(theirs)) {
            Some(Some(v)) => {
                out.doc_labels.insert(set.clone(), v);
            }
            Some(None) => {
                out.doc_labels.remove(set);
            }
            None => conflict(
                format!("{DOC_LABEL_FIELD}{set}"),
                value(ours).unwrap_or_default(),
                value(theirs).unwrap_or_default(),
            ),
        }
    }
    // Conflicts an earlier merge left and nobody settled yet stay, from both sides.
    out.conflicts = merge_conflict_lists(base.map(|b| b.conflicts.as_slice()), &ours.conflicts, &theirs.conflicts);
    for new in conflicts {
        out.conflicts.retain(|c| c.field != new.field);
        out.conflicts.push(new);
    }
}

/// The conflicts still open after a merge of two lists of them: a list one side changed (settled some)
/// is that side's; otherwise every conflict of either side, once.
pub(super) fn merge_conflict_lists<T: PartialEq + Clone>(base: Option<&[T]>, ours: &[T], theirs: &[T]) -> Vec<T> {
    let (ours_list, theirs_list) = (ours.to_vec(), theirs.to_vec());
    pick(base.map(<[T]>::to_vec).as_ref(), &ours_list, &theirs_list).unwrap_or_else(|| {
        let mut out = ours_list;
        for t in theirs_list {
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    })
}
