//! Review walking and document-list edits of the workspace: accept/reject and move on, new documents from
//! pasted text, moving documents in the list.

use crate::edit::Edit;
use crate::model::{DocStatus, Document, ReviewState};

use super::Workspace;

impl Workspace {
    /// Review mode: A / X on the selected span, then on to the next unreviewed one. Reviewing the last
    /// unreviewed span of a document that needs review marks it done, in the same undoable step.
    pub(super) fn review(&mut self, review: ReviewState) {
        let (Some(doc), Some(span)) = (self.document(), self.span()) else {
            self.message = "Select a span to review (Tab walks through them)".into();
            return;
        };
        let id = span.id;
        let reviewer = self.session.annotator.clone();
        let mut edits = vec![Edit::SetSpanReview { doc: doc.id.clone(), span: id, review, reviewer }];
        let left = doc.spans.iter().filter(|s| s.id != id && s.review == ReviewState::Unreviewed).count();
        if left == 0 && doc.status == DocStatus::NeedsReview {
            edits.push(Edit::SetDocStatus { doc: doc.id.clone(), status: DocStatus::Done });
        }
        let name = format!("Mark span {}", review.as_str());
        if self.edit(Edit::Batch { name, edits }) {
            let next = self.document().and_then(|d| {
                let at = d.spans.iter().position(|s| s.id == id)?;
                let after = d.spans[at + 1..].iter().chain(&d.spans[..at]);
                after.filter(|s| s.review == ReviewState::Unreviewed).map(|s| (s.id, s.start)).next()
            });
            if let Some((next, start)) = next {
                self.cursor.selected_span = Some(next);
                self.cursor.request_scroll(start);
            } else if left == 0 {
                self.message = "Every span of this document is reviewed".into();
            }
        }
    }

    pub(super) fn new_document(&mut self, title: String, text: String) {
        // Pasted text gets the same line-end normalisation as imported files.
        let text = crate::import::normalize_line_ends(&text);
        if text.trim().is_empty() {
            self.message = "The new document has no text".into();
            return;
        }
        let title =
            if title.trim().is_empty() { text.lines().next().unwrap_or("Untitled").trim().to_string() } else { title };
        let id = self.session.project().unique_doc_id(&title);
        let document = Document::new(id, title, text);
        if self.edit(Edit::AddDocument { index: usize::MAX, document: Box::new(document) }) {
            let last = self.session.project().documents.len() - 1;
            self.cursor.show_document(self.session.project(), last);
        }
    }

    pub(super) fn move_document(&mut self, by: isize) {
        let (Some(index), Some(doc)) = (self.cursor.doc, self.doc_id()) else { return };
        let count = self.session.project().documents.len();
        let Some(to) = index.checked_add_signed(by).filter(|&i| i < count) else { return };
        if self.edit(Edit::MoveDocument { doc, index: to }) {
            self.cursor.doc = Some(to);
        }
    }
}
