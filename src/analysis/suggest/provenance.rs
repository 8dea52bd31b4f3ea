//! Which spans came from suggestions, and whether the annotator changed them afterwards.
//!
//! Suggestions can sway annotators on subjective labels (an Opinion proposed is an Opinion kept), so the
//! project records it: an accepted suggestion's span has the origin `suggest:<rule>`; when the annotator
//! later relabels or resizes it, the same edit (one undo step) marks the origin `suggest:<rule> (changed)`.
//! [`uptake`] then tells how many accepted suggestions were kept as they came.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::edit::Edit;
use crate::model::{Project, Span};

pub use crate::model::{Changed, SUGGESTED, SUGGESTION_CHANGED as CHANGED};

/// The origin recorded on a span accepted from a suggestion made by `rule`.
pub fn suggested_origin(rule: &str) -> String {
    format!("{SUGGESTED}{rule}")
}

/// How a span relates to the suggestions: `None` when it did not come from one, else whether it was
/// changed after it was accepted.
pub fn from_suggestion(span: &Span) -> Option<Changed> {
    span.from_suggestion()
}

/// `edit`, plus the marks that record which accepted suggestions it changes: a relabel or resize of a span
/// that came unchanged from a suggestion also marks its origin changed, in one batch so undo takes both
/// back. Other edits come back as they are.
pub fn mark_changed_suggestions(project: &Project, edit: Edit) -> Edit {
    let mut marks = Vec::new();
    collect_marks(project, &edit, &mut marks);
    if marks.is_empty() {
        return edit;
    }
    let name = edit.describe();
    let mut edits = vec![edit];
    edits.extend(marks);
    Edit::Batch { name, edits }
}

fn collect_marks(project: &Project, edit: &Edit, marks: &mut Vec<Edit>) {
    let (doc, id, changes) = match edit {
        Edit::SetSpanLabel { doc, span, label } => {
            let Some(old) = project.doc(doc).and_then(|d| d.span(*span)) else { return };
            (doc, *span, old.label != *label)
        }
        Edit::SetSpanRange { doc, span, range } => {
            let Some(old) = project.doc(doc).and_then(|d| d.span(*span)) else { return };
            (doc, *span, old.range() != *range)
        }
        Edit::Batch { edits, .. } => {
            for inner in edits {
                collect_marks(project, inner, marks);
            }
            return;
        }
        Edit::AddSpan { .. }
        | Edit::RemoveSpan { .. }
        | Edit::SetSpanNote { .. }
        | Edit::SetSpanOrigin { .. }
        | Edit::SetSpanAttr { .. }
        | Edit::SetSpanReview { .. }
        | Edit::AddRelation { .. }
        | Edit::RemoveRelation { .. }
        | Edit::SetDocStatus { .. }
        | Edit::SetDocTitle { .. }
        | Edit::SetDocMeta { .. }
        | Edit::SetDocNote { .. }
        | Edit::SetDocLabel { .. }
        | Edit::SetDocConflicts { .. }
        | Edit::SetProjectName { .. }
        | Edit::SetProjectConflicts { .. }
        | Edit::AddDocument { .. }
        | Edit::RemoveDocument { .. }
        | Edit::MoveDocument { .. }
        | Edit::SetSchema { .. }
        | Edit::SetRules { .. }
        | Edit::SetRecommendersOff { .. }
        | Edit::RenameLabel { .. }
        | Edit::RenameRelationType { .. } => return,
    };
    let Some(span) = project.doc(doc).and_then(|d| d.span(id)) else { return };
    let already = marks.iter().any(|m| matches!(m, Edit::SetSpanOrigin { span, .. } if *span == id));
    if changes && from_suggestion(span) == Some(Changed::No) && !already {
        let origin = format!("{}{CHANGED}", span.origin);
        marks.push(Edit::SetSpanOrigin { doc: doc.clone(), span: id, origin });
    }
}

/// How the accepted suggestions fared, project-wide and per label.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Uptake {
    /// Spans that came from accepted suggestions.
    pub accepted: usize,
    /// Of those, the ones kept exactly as suggested.
    pub unchanged: usize,
    /// Per label (the span's label now): accepted and unchanged.
    pub by_label: BTreeMap<String, LabelUptake>,
}

/// One label's accepted and unchanged suggestions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LabelUptake {
    /// Spans of this label that came from accepted suggestions.
    pub accepted: usize,
    /// Of those, the ones kept exactly as suggested.
    pub unchanged: usize,
}

impl Uptake {
    /// The share kept as suggested, if any were accepted.
    pub fn unchanged_share(&self) -> Option<f64> {
        (self.accepted > 0).then(|| self.unchanged as f64 / self.accepted as f64)
    }
}

/// Counts the project's spans that came from suggestions, and how many were kept as suggested.
pub fn uptake(project: &Project) -> Uptake {
    let mut out = Uptake::default();
    for doc in &project.documents {
        out.add_spans(&doc.spans);
    }
    out
}

impl Uptake {
    /// Counts `spans` in too (one document's, when a project is counted a document at a time).
    pub fn add_spans(&mut self, spans: &[Span]) {
        for span in spans {
            let Some(changed) = from_suggestion(span) else { continue };
            let entry = self.by_label.entry(span.label.clone()).or_default();
            self.accepted += 1;
            entry.accepted += 1;
            if changed == Changed::No {
                self.unchanged += 1;
                entry.unchanged += 1;
            }
        }
    }

    /// Counts in a document's accepted suggestions as its [`crate::model::DocCounts`] hold them: per label,
    /// those accepted and those kept as suggested.
    pub fn add_counted(&mut self, suggested: &BTreeMap<String, usize>, kept: &BTreeMap<String, usize>) {
        for (label, &n) in suggested {
            self.accepted += n;
            self.by_label.entry(label.clone()).or_default().accepted += n;
        }
        for (label, &n) in kept {
            self.unchanged += n;
            self.by_label.entry(label.clone()).or_default().unchanged += n;
        }
    }

    /// Adds the counts of `other` (of other documents) to these.
    pub fn merge(&mut self, other: &Uptake) {
        self.accepted += other.accepted;
        self.unchanged += other.unchanged;
        for (label, u) in &other.by_label {
            let entry = self.by_label.entry(label.clone()).or_default();
            entry.accepted += u.accepted;
            entry.unchanged += u.unchanged;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharIdx, DocId, Document, SpanId};

    fn project() -> Project {
        let mut p = Project::new("p");
        let mut d = Document::new(DocId("d".into()), "T", "Officials said the U.S. “will act” — soon.");
        let mut suggested = Span::new(SpanId(1), CharIdx(0)..CharIdx(9), "Source", "ana");
        suggested.origin = suggested_origin("tagger");
        d.insert_span(suggested);
        d.insert_span(Span::new(SpanId(2), CharIdx(15)..CharIdx(40), "Claim", "ana"));
        p.documents.push(d);
        p
    }

    #[test]
    fn relabelling_an_accepted_suggestion_marks_it_changed_and_undo_takes_the_mark_back() {
        let mut p = project();
        let doc = DocId("d".into());
        assert_eq!(uptake(&p).unchanged, 1);
        let edit = Edit::SetSpanLabel { doc: doc.clone(), span: SpanId(1), label: "Claim".into() };
        let marked = mark_changed_suggestions(&p, edit);
        let inverse = marked.apply(&mut p).unwrap();
        let span = p.documents[0].span(SpanId(1)).unwrap();
        assert_eq!(span.origin, "suggest:tagger (changed)");
        let u = uptake(&p);
        assert_eq!((u.accepted, u.unchanged), (1, 0));
        assert_eq!(u.by_label["Claim"], LabelUptake { accepted: 1, unchanged: 0 });
        inverse.apply(&mut p).unwrap();
        assert_eq!(p.documents[0].span(SpanId(1)).unwrap().origin, "suggest:tagger");
        assert_eq!(uptake(&p).unchanged_share(), Some(1.0));
    }

    #[test]
    fn hand_made_spans_notes_and_same_label_edits_leave_the_origin_alone() {
        let p = project();
        let doc = DocId("d".into());
        let same = Edit::SetSpanLabel { doc: doc.clone(), span: SpanId(1), label: "Source".into() };
        assert!(matches!(mark_changed_suggestions(&p, same), Edit::SetSpanLabel { .. }));
        let hand = Edit::SetSpanRange { doc: doc.clone(), span: SpanId(2), range: CharIdx(15)..CharIdx(30) };
        assert!(matches!(mark_changed_suggestions(&p, hand), Edit::SetSpanRange { .. }));
        let note = Edit::SetSpanNote { doc: doc.clone(), span: SpanId(1), note: "n".into() };
        assert!(matches!(mark_changed_suggestions(&p, note), Edit::SetSpanNote { .. }));
        // Resized and relabelled in one batch: marked once.
        let both = Edit::Batch {
            name: "two".into(),
            edits: vec![
                Edit::SetSpanRange { doc: doc.clone(), span: SpanId(1), range: CharIdx(0)..CharIdx(4) },
                Edit::SetSpanLabel { doc, span: SpanId(1), label: "Claim".into() },
            ],
        };
        let Edit::Batch { edits, .. } = mark_changed_suggestions(&p, both) else { panic!("a batch") };
        assert_eq!(edits.iter().filter(|e| matches!(e, Edit::SetSpanOrigin { .. })).count(), 1);
    }
}
