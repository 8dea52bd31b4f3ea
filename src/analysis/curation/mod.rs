//! Curation: where the annotators of one document agree, where they differ, and the edits that build the
//! curated `gold` layer from their choices. Pure functions over a [`Document`]; the GUI's curation window
//! draws what [`curate`] returns and applies the edits [`accept_agreed`] and [`choose`] build.
//!
//! - An **agreed span** is a range and label that every compared annotator marked (two or more
//!   annotators). It can go into `gold` as it is.
//! - The other spans form **disagreements**: spans of different annotators that share characters join one
//!   group when they have the same label, or, with different labels, when they cover mostly the same
//!   characters (intersection over union at least [`SAME_PLACE`]). A Source nested in a Claim thus stays
//!   its own question instead of being pitted against the Claim, while "Claim here" against "Opinion
//!   here" is one question. A span nobody else marked is a group of its own.
//! - A group's **state** is read from the gold layer, never stored: gold spans in the group equal to one
//!   annotator's version mean that version was chosen; other gold spans there mean it was edited by hand.
//!   So undo, redo and hand edits always show truthfully.
//!
//! Gold spans copy the chosen span's note and attributes, get annotator [`GOLD`] and origin
//! `curation:<annotator>` (`curation:agreed` for agreed spans); relations between chosen spans follow them.

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Range;

use crate::edit::Edit;
use crate::model::{CharIdx, Document, Relation, RelationId, Span, SpanId};

pub use super::agreement::GOLD;

/// Intersection over union from which spans with different labels count as marking the same place.
pub const SAME_PLACE: f64 = 0.5;

/// The origin recorded on gold spans made from agreed spans.
pub const AGREED_ORIGIN: &str = "curation:agreed";

/// A range and label every compared annotator marked.
#[derive(Clone, Debug, PartialEq)]
pub struct AgreedSpan {
    /// Its characters.
    pub range: Range<CharIdx>,
    /// Its label.
    pub label: String,
    /// The annotators' spans that make it, in annotator order (more than one per annotator if one marked
    /// it twice).
    pub spans: Vec<SpanId>,
    /// Whether the gold layer already has it.
    pub in_gold: bool,
}

/// One annotator's version of a disagreement.
#[derive(Clone, Debug, PartialEq)]
pub struct Version {
    /// The annotator.
    pub annotator: String,
    /// Their spans in the group, in document order; empty when they marked nothing there.
    pub spans: Vec<SpanId>,
}

/// Where a disagreement stands, as read from the gold layer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GroupState {
    /// No gold span yet.
    Open,
    /// The gold spans there are exactly this annotator's version.
    Chosen(String),
    /// Gold spans are there but match no annotator's version.
    Edited,
}

/// A place where the annotators differ.
#[derive(Clone, Debug, PartialEq)]
pub struct Disagreement {
    /// From the first character any version marks to the last.
    pub range: Range<CharIdx>,
    /// The labels the versions use, sorted.
    pub labels: Vec<String>,
    /// One version per compared annotator, in annotator order.
    pub versions: Vec<Version>,
    /// Gold spans in the group: overlapping its range, with one of its labels, and not an agreed span.
    pub gold: Vec<SpanId>,
    /// What the gold layer says about it.
    pub state: GroupState,
}

/// The curation of one document.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DocCuration {
    /// The annotators compared, sorted.
    pub annotators: Vec<String>,
    /// Agreed spans, in document order.
    pub agreed: Vec<AgreedSpan>,
    /// Disagreements, in document order.
    pub disagreements: Vec<Disagreement>,
    /// Spans without an annotator, which belong to no layer and are left out.
    pub spans_without_annotator: usize,
}

impl DocCuration {
    /// Agreed spans not in gold yet.
    pub fn agreed_pending(&self) -> usize {
        self.agreed.iter().filter(|a| !a.in_gold).count()
    }

    /// Disagreements with no gold span yet.
    pub fn open(&self) -> usize {
        self.disagreements.iter().filter(|d| d.state == GroupState::Open).count()
    }
}

/// What to do with a disagreement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice<'a> {
    /// Make the gold layer there this annotator's version.
    Take(&'a str),
    /// Keep nothing there: remove the group's gold spans.
    Reject,
}

/// The next free ids, from which new gold spans and relations are numbered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NextIds {
    /// First span id to use (a project's `next_span_id`).
    pub span: u64,
    /// First relation id to use (a project's `next_relation_id`).
    pub relation: u64,
}

/// The annotators with spans in `doc`, sorted, without the gold layer and spans with no annotator.
pub fn annotators_of(doc: &Document) -> Vec<String> {
    let names: BTreeSet<&str> =
        doc.spans.iter().map(|s| s.annotator.as_str()).filter(|a| !a.is_empty() && *a != GOLD).collect();
    names.into_iter().map(str::to_string).collect()
}

/// Compares the layers of `annotators` in `doc` (see the module comment for the rules).
pub fn curate(doc: &Document, annotators: &[String]) -> DocCuration {
    let gold_keys: HashSet<(Range<CharIdx>, &str)> =
        doc.spans.iter().filter(|s| s.annotator == GOLD).map(|s| (s.range(), s.label.as_str())).collect();
    let compared: Vec<&Span> = doc.spans.iter().filter(|s| annotators.contains(&s.annotator)).collect();
    // Who marked each range and label; agreed when all of (two or more) annotators did.
    let mut marked: BTreeMap<(CharIdx, CharIdx, &str), BTreeSet<&str>> = BTreeMap::new();
    for span in &compared {
        marked.entry((span.start, span.end, span.label.as_str())).or_default().insert(span.annotator.as_str());
    }
    let is_agreed = |s: &Span| {
        annotators.len() >= 2
            && marked.get(&(s.start, s.end, s.label.as_str())).is_some_and(|who| who.len() == annotators.len())
    };
    let mut agreed: Vec<AgreedSpan> = Vec::new();
    let mut rest: Vec<&Span> = Vec::new();
    for span in &compared {
        if !is_agreed(span) {
            rest.push(span);
            continue;
        }
        match agreed.iter_mut().find(|a| a.range == span.range() && a.label == span.label) {
            Some(a) => a.spans.push(span.id),
            None => agreed.push(AgreedSpan {
                range: span.range(),
                label: span.label.clone(),
                spans: vec![span.id],
                in_gold: gold_keys.contains(&(span.range(), span.label.as_str())),
            }),
        }
    }
    for a in &mut agreed {
        a.spans.sort_by_key(|id| doc.span(*id).map(|s| annotators.iter().position(|n| *n == s.annotator)));
    }
    let agreed_keys: HashSet<(Range<CharIdx>, &str)> =
        agreed.iter().map(|a| (a.range.clone(), a.label.as_str())).collect();
    let golds: Vec<&Span> = doc
        .spans
        .iter()
        .filter(|s| s.annotator == GOLD && !agreed_keys.contains(&(s.range(), s.label.as_str())))
        .collect();
    let disagreements = groups(&rest).into_iter().map(|g| disagreement(&g, annotators, &golds)).collect();
    DocCuration {
        annotators: annotators.to_vec(),
        agreed,
        disagreements,
        spans_without_annotator: doc.spans.iter().filter(|s| s.annotator.is_empty()).count(),
    }
}

/// Whether two spans are about the same place (see the module comment).
fn joins(a: &Span, b: &Span) -> bool {
    let shared = a.end.0.min(b.end.0).saturating_sub(a.start.0.max(b.start.0));
    if shared == 0 {
        return false;
    }
    if a.label == b.label {
        return true;
    }
    let union = a.end.0.max(b.end.0) - a.start.0.min(b.start.0);
    shared as f64 / union as f64 >= SAME_PLACE
}

/// Groups of joined spans (connected components), in document order. `spans` is in document order
/// (by start), so a span can only join later spans that start before it ends: a sweep, not all pairs.
fn groups<'d>(spans: &[&'d Span]) -> Vec<Vec<&'d Span>> {
    let mut parent: Vec<usize> = (0..spans.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    for i in 0..spans.len() {
        for j in i + 1..spans.len() {
            if spans[j].start >= spans[i].end {
                break;
            }
            if joins(spans[i], spans[j]) {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut out: BTreeMap<usize, Vec<&Span>> = BTreeMap::new();
    for (i, span) in spans.iter().enumerate() {
        let r = root(&mut parent, i);
        out.entry(r).or_default().push(span);
    }
    // Roots are each group's first member, so the map's order is document order.
    out.into_values().collect()
}

fn disagreement(group: &[&Span], annotators: &[String], golds: &[&Span]) -> Disagreement {
    let start = group.iter().map(|s| s.start).min().unwrap_or_default();
    let end = group.iter().map(|s| s.end).max().unwrap_or_default();
    let labels: BTreeSet<&str> = group.iter().map(|s| s.label.as_str()).collect();
    let versions: Vec<Version> = annotators
        .iter()
        .map(|name| Version {
            annotator: name.clone(),
            spans: group.iter().filter(|s| &s.annotator == name).map(|s| s.id).collect(),
        })
        .collect();
    let gold: Vec<&Span> =
        golds.iter().copied().filter(|g| g.start < end && start < g.end && labels.contains(g.label.as_str())).collect();
    let gold_set: BTreeSet<(CharIdx, CharIdx, &str)> = gold.iter().map(|s| key(s)).collect();
    let state = if gold.is_empty() {
        GroupState::Open
    } else {
        let chosen = versions.iter().find(|v| {
            let set: BTreeSet<_> = group.iter().filter(|s| s.annotator == v.annotator).map(|s| key(s)).collect();
            !set.is_empty() && set == gold_set
        });
        chosen.map_or(GroupState::Edited, |v| GroupState::Chosen(v.annotator.clone()))
    };
    Disagreement {
        range: start..end,
        labels: labels.into_iter().map(str::to_string).collect(),
        versions,
        gold: gold.iter().map(|s| s.id).collect(),
        state,
    }
}

fn key(span: &Span) -> (CharIdx, CharIdx, &str) {
    (span.start, span.end, span.label.as_str())
}

/// One edit (undone in one step) that puts every agreed span not yet in gold into the gold layer, or
/// `None` when there is nothing to add. Attributes and notes are copied where all annotators agree on them.
pub fn accept_agreed(doc: &Document, curation: &DocCuration, ids: NextIds) -> Option<Edit> {
    let mut builder = GoldBuilder::new(doc, ids);
    for agreed in curation.agreed.iter().filter(|a| !a.in_gold) {
        let sources: Vec<&Span> = agreed.spans.iter().filter_map(|id| doc.span(*id)).collect();
        let Some(first) = sources.first() else { continue };
        let mut span = Span::new(SpanId(0), agreed.range.clone(), agreed.label.clone(), GOLD);
        span.attributes = first
            .attributes
            .iter()
            .filter(|(name, value)| sources.iter().all(|s| s.attributes.get(*name) == Some(value)))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        if sources.iter().all(|s| s.note == first.note) {
            span.note = first.note.clone();
        }
        span.origin = AGREED_ORIGIN.to_string();
        builder.add(span, &agreed.spans);
    }
    let count = builder.added.len();
    builder.finish(format!("Accept {count} agreed span{}", if count == 1 { "" } else { "s" }))
}

/// One edit that settles `disagreement` by `choice`, or `None` when the gold layer is already so.
///
/// Taking a version removes the group's gold spans that are not in it and adds the ones missing (so
/// switching from one annotator's version to another is one step); rejecting removes the group's gold spans.
pub fn choose(doc: &Document, disagreement: &Disagreement, choice: Choice<'_>, ids: NextIds) -> Option<Edit> {
    let wanted: Vec<&Span> = match choice {
        Choice::Take(name) => disagreement
            .versions
            .iter()
            .filter(|v| v.annotator == name)
            .flat_map(|v| &v.spans)
            .filter_map(|id| doc.span(*id))
            .collect(),
        Choice::Reject => Vec::new(),
    };
    let wanted_keys: BTreeSet<_> = wanted.iter().map(|s| key(s)).collect();
    let mut builder = GoldBuilder::new(doc, ids);
    for id in &disagreement.gold {
        if let Some(gold) = doc.span(*id).filter(|g| !wanted_keys.contains(&key(g))) {
            builder.remove(gold.id);
        }
    }
    let mut seen = BTreeSet::new();
    for source in wanted {
        let k = key(source);
        if !seen.insert(k) || builder.gold_has(source) {
            continue;
        }
        let mut span = Span::new(SpanId(0), source.range(), source.label.clone(), GOLD);
        span.note = source.note.clone();
        span.attributes = source.attributes.clone();
        span.origin = format!("curation:{}", source.annotator);
        builder.add(span, &[source.id]);
    }
    let name = match choice {
        Choice::Take(name) => format!("Curate: take {name}'s version"),
        Choice::Reject => "Curate: reject".to_string(),
    };
    builder.finish(name)
}

/// Collects the edits of one curation step: gold spans removed, gold spans added (numbered from the next
/// free id), and the relations between the annotators' spans carried over to their gold copies.
struct GoldBuilder<'d> {
    doc: &'d Document,
    ids: NextIds,
    removed: Vec<SpanId>,
    /// New gold spans with the annotator spans they copy.
    added: Vec<(Span, Vec<SpanId>)>,
}

impl<'d> GoldBuilder<'d> {
    fn new(doc: &'d Document, ids: NextIds) -> Self {
        GoldBuilder { doc, ids, removed: Vec::new(), added: Vec::new() }
    }

    fn remove(&mut self, id: SpanId) {
        self.removed.push(id);
    }

    /// Whether a gold span that stays has `source`'s range and label.
    fn gold_has(&self, source: &Span) -> bool {
        self.doc.spans.iter().any(|s| s.annotator == GOLD && key(s) == key(source) && !self.removed.contains(&s.id))
    }

    fn add(&mut self, mut span: Span, sources: &[SpanId]) {
        span.id = SpanId(self.ids.span + self.added.len() as u64);
        self.added.push((span, sources.to_vec()));
    }

    /// The gold span (staying or new) standing for annotator span `id`, if any.
    fn gold_for(&self, id: SpanId) -> Option<SpanId> {
        if let Some((span, _)) = self.added.iter().find(|(_, sources)| sources.contains(&id)) {
            return Some(span.id);
        }
        let source = self.doc.span(id).filter(|s| s.annotator != GOLD)?;
        let gold = self
            .doc
            .spans
            .iter()
            .find(|s| s.annotator == GOLD && key(s) == key(source) && !self.removed.contains(&s.id))?;
        Some(gold.id)
    }

    /// Relations of the annotators' layers whose two ends now both have gold copies, one of them new.
    fn relations(&self) -> Vec<Relation> {
        let new: HashSet<SpanId> = self.added.iter().map(|(s, _)| s.id).collect();
        let mut out: Vec<Relation> = Vec::new();
        for rel in &self.doc.relations {
            let (Some(from), Some(to)) = (self.gold_for(rel.from), self.gold_for(rel.to)) else { continue };
            if from == to || !(new.contains(&from) || new.contains(&to)) {
                continue;
            }
            let exists = |r: &Relation| r.from == from && r.to == to && r.kind == rel.kind;
            if self.doc.relations.iter().any(exists) || out.iter().any(exists) {
                continue;
            }
            let id = RelationId(self.ids.relation + out.len() as u64);
            out.push(Relation { id, from, to, kind: rel.kind.clone() });
        }
        out
    }

    fn finish(self, name: String) -> Option<Edit> {
        let doc = &self.doc.id;
        let relations = self.relations();
        let mut edits: Vec<Edit> =
            self.removed.iter().map(|&span| Edit::RemoveSpan { doc: doc.clone(), span }).collect();
        edits.extend(self.added.into_iter().map(|(span, _)| Edit::AddSpan {
            doc: doc.clone(),
            span,
            relations: Vec::new(),
        }));
        edits.extend(relations.into_iter().map(|relation| Edit::AddRelation { doc: doc.clone(), relation }));
        (!edits.is_empty()).then_some(Edit::Batch { name, edits })
    }
}
