//! A label both sides of a three-way merge renamed, each to a different name.
//!
//! Merged item by item, a rename looks like the old label deleted and a new one added on each side, so
//! every span of the label would come out as two flagged alternatives that differ only in the label's
//! name. It is one decision, not one per span: before the merge, theirs' name is read as ours' (in theirs'
//! and the base's copies, through the same rename edit the schema editor makes), so the spans merge
//! cleanly and follow ours' name, and one [`ProjectConflict::LabelName`] keeps theirs' name for a person to
//! choose.

use crate::edit::Edit;
use crate::model::{LabelDef, Project, ProjectConflict};

/// A label renamed differently on each side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Rename {
    /// The base's name.
    pub was: String,
    /// Ours' new name.
    pub ours: String,
    /// Theirs' new name.
    pub theirs: String,
}

impl Rename {
    /// The conflict the merged project keeps: ours' name in force, theirs' beside it.
    pub fn conflict(&self) -> ProjectConflict {
        ProjectConflict::LabelName { name: self.ours.clone(), theirs: self.theirs.clone(), was: self.was.clone() }
    }

    /// The report line.
    pub fn line(&self) -> String {
        format!(
            "label {}: renamed {} in ours and {} in theirs; spans follow ours' name until a person chooses",
            self.was, self.ours, self.theirs
        )
    }
}

/// The labels of `base` that ours and theirs each renamed, to different names neither side already uses
/// for another label.
pub(super) fn differing_renames(base: &Project, ours: &Project, theirs: &Project) -> Vec<Rename> {
    let mut out: Vec<Rename> = Vec::new();
    for label in &base.schema.labels {
        let (Some(o), Some(t)) = (renamed_to(label, base, ours), renamed_to(label, base, theirs)) else { continue };
        let clash = o == t || ours.schema.label(&t).is_some() || theirs.schema.label(&o).is_some();
        if !clash && !out.iter().any(|r| r.ours == o || r.theirs == t) {
            out.push(Rename { was: label.name.clone(), ours: o, theirs: t });
        }
    }
    out
}

/// The name `side` gave the base's `label`, if it renamed it: `side` lacks the old name and has a label
/// the base lacks that is the old one apart from its name, or that the old label's spans now carry.
fn renamed_to(label: &LabelDef, base: &Project, side: &Project) -> Option<String> {
    if side.schema.label(&label.name).is_some() {
        return None;
    }
    let new: Vec<&LabelDef> = side.schema.labels.iter().filter(|l| base.schema.label(&l.name).is_none()).collect();
    let same_apart_from_name = new.iter().find(|l| LabelDef { name: label.name.clone(), ..(**l).clone() } == *label);
    if let Some(found) = same_apart_from_name {
        return Some(found.name.clone());
    }
    // Renamed and changed (a new colour, say): the spans the label had now carry the new name.
    let mut carried = base.documents.iter().flat_map(|b| {
        let side_doc = side.doc(&b.id);
        b.spans
            .iter()
            .filter(|s| s.label == label.name)
            .filter_map(move |s| side_doc.and_then(|d| d.span(s.id)).map(|s| s.label.clone()))
    });
    let first = carried.next()?;
    let unanimous = carried.all(|l| l == first);
    (unanimous && new.iter().any(|l| l.name == first)).then_some(first)
}

/// `project` with each rename's theirs' name read as ours' (labels, spans, relation types' ends). A rename
/// the project cannot take (it does not have theirs' name) is left out.
pub(super) fn as_ours(project: &Project, renames: &[Rename], from: fn(&Rename) -> &String) -> Project {
    let mut out = project.clone();
    for rename in renames {
        // A refused rename changes nothing, and the merge then sees the two names as two labels, as before.
        let _refused = Edit::RenameLabel { from: from(rename).clone(), to: rename.ours.clone() }.apply(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharIdx, DocId, Document, Rgb, Span, SpanId};

    fn base() -> Project {
        let mut p = Project::new("t");
        let mut d = Document::new(DocId("d".into()), "D", "The plan will fail, officials said.");
        d.spans = vec![Span::new(SpanId(1), CharIdx(0)..CharIdx(18), "Claim", "a")];
        p.documents.push(d);
        p.next_span_id = 2;
        p
    }

    fn renamed(p: &Project, to: &str) -> Project {
        let mut p = p.clone();
        Edit::RenameLabel { from: "Claim".into(), to: to.into() }.apply(&mut p).unwrap();
        p
    }

    #[test]
    fn a_rename_is_found_by_the_definition_or_by_the_spans() {
        let b = base();
        let (o, t) = (renamed(&b, "Fact"), renamed(&b, "Assertion"));
        let found = differing_renames(&b, &o, &t);
        assert_eq!(found, vec![Rename { was: "Claim".into(), ours: "Fact".into(), theirs: "Assertion".into() }]);
        // Renamed and recoloured: the Claim span now says Assertion.
        let mut t2 = t.clone();
        t2.schema.labels.iter_mut().filter(|l| l.name == "Assertion").for_each(|l| l.color = Rgb([1, 2, 3]));
        assert_eq!(differing_renames(&b, &o, &t2), found);
        // The same rename on both sides, or one side only, is no conflict.
        assert!(differing_renames(&b, &o, &o).is_empty());
        assert!(differing_renames(&b, &o, &b).is_empty());
    }

    #[test]
    fn theirs_is_read_with_ours_name() {
        let b = base();
        let (o, t) = (renamed(&b, "Fact"), renamed(&b, "Assertion"));
        let renames = differing_renames(&b, &o, &t);
        let t = as_ours(&t, &renames, |r| &r.theirs);
        assert!(t.schema.label("Fact").is_some() && t.schema.label("Assertion").is_none());
        assert_eq!(t.documents[0].spans[0].label, "Fact");
        let b = as_ours(&b, &renames, |r| &r.was);
        assert_eq!(b.documents[0].spans[0].label, "Fact");
        assert_eq!(renames[0].conflict().key(), "label_name:Fact");
    }
}
