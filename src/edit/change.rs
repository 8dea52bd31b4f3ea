//! What one edit did to a document's spans, in the terms views keep counts in (spans per label, spans per
//! annotator, relations). Views that derived counts from a 10,000-span document adjust them by this instead
//! of counting every span again after each keystroke.

use super::Edit;
use crate::model::{DocId, Project};

/// One span counted in or out: `delta` is +1 or -1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpanCount {
    /// The span's label.
    pub label: String,
    /// Who made it.
    pub annotator: String,
    /// +1 for a span added (or given this label), -1 for one removed (or relabelled away).
    pub delta: i32,
}

/// The effect of one edit on one document's counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpanChange {
    /// Spans counted in or out.
    pub counts: Vec<SpanCount>,
    /// Whether the document's relations may have changed.
    pub relations: bool,
}

/// What `edit` will do to the counts of the document it touches, worked out before it is applied (a
/// removed span's label is known only then). `None` when the effect is not simple to state (batches,
/// schema changes, documents added or removed): views then count that document again.
pub fn span_change(project: &Project, edit: &Edit) -> Option<(DocId, SpanChange)> {
    let count = |label: &str, annotator: &str, delta| SpanCount {
        label: label.to_string(),
        annotator: annotator.to_string(),
        delta,
    };
    let change = |counts, relations| SpanChange { counts, relations };
    Some(match edit {
        Edit::AddSpan { doc, span, relations } => {
            (doc.clone(), change(vec![count(&span.label, &span.annotator, 1)], !relations.is_empty()))
        }
        Edit::RemoveSpan { doc, span } => {
            let old = project.doc(doc)?.span(*span)?;
            (doc.clone(), change(vec![count(&old.label, &old.annotator, -1)], true))
        }
        Edit::SetSpanLabel { doc, span, label } => {
            let old = project.doc(doc)?.span(*span)?;
            let counts = vec![count(&old.label, &old.annotator, -1), count(label, &old.annotator, 1)];
            (doc.clone(), change(counts, false))
        }
        Edit::AddRelation { doc, .. } | Edit::RemoveRelation { doc, .. } => (doc.clone(), change(Vec::new(), true)),
        Edit::SetSpanRange { doc, .. }
        | Edit::SetSpanNote { doc, .. }
        | Edit::SetSpanOrigin { doc, .. }
        | Edit::SetSpanAttr { doc, .. }
        | Edit::SetSpanReview { doc, .. }
        | Edit::SetDocStatus { doc, .. }
        | Edit::SetDocTitle { doc, .. }
        | Edit::SetDocMeta { doc, .. }
        | Edit::SetDocNote { doc, .. }
        | Edit::SetDocLabel { doc, .. }
        | Edit::SetDocConflicts { doc, .. } => (doc.clone(), SpanChange::default()),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharIdx, Document, Span, SpanId};

    #[test]
    fn adding_removing_and_relabelling_say_which_counts_move() {
        let mut project = Project::new("p");
        let mut doc = Document::new(DocId("d".into()), "t", "Ann said so.");
        doc.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(3), "Source", "ann"));
        project.documents.push(doc);
        let id = DocId("d".into());
        let add = Edit::AddSpan {
            doc: id.clone(),
            span: Span::new(SpanId(2), CharIdx(4)..CharIdx(8), "Claim", "bo"),
            relations: Vec::new(),
        };
        let (doc, change) = span_change(&project, &add).expect("simple");
        assert_eq!(doc, id);
        assert_eq!(change.counts, [SpanCount { label: "Claim".into(), annotator: "bo".into(), delta: 1 }]);
        assert!(!change.relations);
        let relabel = Edit::SetSpanLabel { doc: id.clone(), span: SpanId(1), label: "Claim".into() };
        let (_, change) = span_change(&project, &relabel).expect("simple");
        assert_eq!(
            change.counts.iter().map(|c| (c.label.as_str(), c.delta)).collect::<Vec<_>>(),
            [("Source", -1), ("Claim", 1)]
        );
        let remove = Edit::RemoveSpan { doc: id.clone(), span: SpanId(1) };
        assert!(span_change(&project, &remove).expect("simple").1.relations);
        // A span that is not there: no claim about the effect.
        assert!(span_change(&project, &Edit::RemoveSpan { doc: id, span: SpanId(9) }).is_none());
        assert!(span_change(&project, &Edit::Batch { name: "x".into(), edits: Vec::new() }).is_none());
    }
}
