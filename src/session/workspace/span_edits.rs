//! Span edits of the workspace: clicking a span, tagging the selection, deleting, walking, growing and
//! shrinking spans, and linking them with relations.

use crate::edit::Edit;
use crate::model::{Relation, Span, SpanId};

use super::{TextSelection, Workspace};

impl Workspace {
    pub(super) fn click_span(&mut self, id: SpanId) {
        if let Some(from) = self.cursor.pending_relation.take() {
            self.link(from, id);
            return;
        }
        self.cursor.selected_span = Some(id);
        self.cursor.selection = None;
        // Chosen in the span list or the inspector, the span may be out of sight: bring it in (the view
        // leaves the scroll alone when it is already visible, as after a click in the text).
        if let Some(start) = self.document().and_then(|d| d.span(id)).map(|s| s.start) {
            self.cursor.request_scroll(start);
        }
    }

    pub(super) fn apply_label(&mut self, index: usize) {
        let Some(label) = self.session.project().schema.labels.get(index).map(|l| l.name.clone()) else { return };
        let Some(doc) = self.doc_id() else { return };
        match (self.cursor.selection.filter(|s| !s.is_caret()), self.cursor.selected_span) {
            (Some(selection), _) => {
                let annotator = &self.session.annotator;
                if let Some(same) =
                    self.document().and_then(|d| d.identical_span(selection.range(), &label, annotator, None))
                {
                    // A second identical span would count twice in every export; select the one there.
                    self.message = format!("Not added: this text is already a {label} span of yours");
                    self.cursor.selection = None;
                    self.cursor.selected_span = Some(same);
                    return;
                }
                let id = self.session.alloc_span_id();
                let span = Span::new(id, selection.range(), label, self.session.annotator.clone());
                if self.edit(Edit::AddSpan { doc, span, relations: Vec::new() }) {
                    self.cursor.selection = None;
                    self.cursor.selected_span = Some(id);
                }
            }
            (None, Some(span)) => {
                let twin = self.document().and_then(|d| {
                    let this = d.span(span)?;
                    d.identical_span(this.range(), &label, &this.annotator, Some(span))
                });
                if twin.is_some() {
                    self.message =
                        format!("Not relabelled: the same text is already a {label} span by the same annotator");
                    return;
                }
                let before = self.document().map_or(0, |d| d.relations_of(span).count());
                if self.edit(Edit::SetSpanLabel { doc, span, label: label.clone() }) {
                    // Relations whose type does not allow the new label go with the relabel (one undo step);
                    // the user must hear of it, or a link they made vanishes unseen.
                    let after = self.document().map_or(0, |d| d.relations_of(span).count());
                    if after < before {
                        let gone = before - after;
                        self.message = format!(
                            "Relabelled as {label}; {gone} relation{} that a {label} span cannot have {} removed                              (Ctrl+Z brings {} back)",
                            if gone == 1 { "" } else { "s" },
                            if gone == 1 { "was" } else { "were" },
                            if gone == 1 { "it" } else { "them" },
                        );
                    }
                }
            }
            (None, None) => self.message = "Select some text first, then press a label key".into(),
        }
    }

    pub(super) fn delete_span(&mut self) {
        if let (Some(doc), Some(span)) = (self.doc_id(), self.cursor.selected_span)
            && self.edit(Edit::RemoveSpan { doc, span })
        {
            self.cursor.selected_span = None;
        }
    }

    /// Tab / Shift+Tab: the next or previous span in reading order, wrapping around.
    pub(super) fn walk_spans(&mut self, forward: bool) {
        let Some(doc) = self.document() else { return };
        if doc.spans.is_empty() {
            return;
        }
        let current = self.cursor.selected_span.and_then(|id| doc.spans.iter().position(|s| s.id == id));
        let count = doc.spans.len();
        let next = match (current, forward) {
            (Some(i), true) => (i + 1) % count,
            (Some(i), false) => (i + count - 1) % count,
            (None, true) => 0,
            (None, false) => count - 1,
        };
        let span = &doc.spans[next];
        let (id, start) = (span.id, span.start);
        self.cursor.select_span(id, start);
    }

    /// Alt+arrows: move the selected span's (or the selection's) left or right edge by one word.
    pub(super) fn move_edge(&mut self, left: bool, grow: bool) {
        let target = match (self.span(), self.cursor.selection) {
            (Some(span), _) => Some((Some(span.id), span.range())),
            (None, Some(sel)) => Some((None, sel.range())),
            (None, None) => None,
        };
        let Some((span, range)) = target else { return };
        let Some(words) = self.cursor.word_index(self.session.project()) else { return };
        let moved = words.move_edge(range.clone(), left, grow);
        if moved == range || moved.start >= moved.end {
            return;
        }
        match (span, self.doc_id()) {
            (Some(span), Some(doc)) => {
                self.edit(Edit::SetSpanRange { doc, span, range: moved });
            }
            _ => self.cursor.selection = Some(TextSelection { anchor: moved.start, head: moved.end }),
        }
    }

    pub(super) fn start_relation(&mut self) {
        match self.cursor.selected_span {
            Some(id) => {
                self.cursor.pending_relation = Some(id);
                self.message = "Click the span this one links to (Esc cancels)".into();
            }
            None => self.message = "Select a span first, then press R and click its target".into(),
        }
    }

    /// Links `from` to `to` with the first relation type the schema allows between their labels.
    pub(super) fn link(&mut self, from: SpanId, to: SpanId) {
        let Some(doc) = self.document() else { return };
        let (Some(a), Some(b)) = (doc.span(from), doc.span(to)) else { return };
        let kind = self.session.project().schema.relation_types.iter().find(|t| t.allows(&a.label, &b.label));
        let Some(kind) = kind.map(|t| t.name.clone()) else {
            self.message = format!("No relation type goes from {} to {}", a.label, b.label);
            return;
        };
        let doc = doc.id.clone();
        let relation = Relation { id: self.session.alloc_relation_id(), from, to, kind };
        self.edit(Edit::AddRelation { doc, relation });
        self.cursor.selected_span = Some(from);
    }
}
