//! Where the user is in the open project: the shown document, the text selection, the selected span, a
//! relation waiting for its target, and where the view should scroll. Kept apart from the project and its
//! history ([`super::Session`]) because none of it is saved or undone: it only has to stay valid when the
//! project changes under it.

use std::ops::Range;

use crate::model::{CharIdx, DocId, Document, Project, Span, SpanId};

use super::words::WordIndex;

/// The text selection: where it started and where the caret is. Equal ends mean a bare caret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextSelection {
    /// Where the selection started.
    pub anchor: CharIdx,
    /// The caret.
    pub head: CharIdx,
}

impl TextSelection {
    /// The selected chars, start before end.
    pub fn range(&self) -> Range<CharIdx> {
        if self.anchor <= self.head { self.anchor..self.head } else { self.head..self.anchor }
    }

    /// Whether nothing is selected (just a caret).
    pub fn is_caret(&self) -> bool {
        self.anchor == self.head
    }
}

/// The shown document and what is selected in it. It holds indexes and ids into a project it does not
/// own, so every query takes that project.
pub struct Cursor {
    /// Index of the document shown.
    pub doc: Option<usize>,
    /// The text selection in the shown document.
    pub selection: Option<TextSelection>,
    /// The selected span.
    pub selected_span: Option<SpanId>,
    /// Waiting for the target of a relation from this span.
    pub pending_relation: Option<SpanId>,
    /// Widen mouse selections to whole words.
    pub snap_words: bool,
    /// A char the document view should scroll into sight, numbered so the view acts on each request once.
    pub scroll_to: Option<(u64, CharIdx)>,
    /// Word boundaries of the shown document, built on first use.
    words: Option<(DocId, WordIndex)>,
}

impl Cursor {
    /// Showing the first document of `project`, if it has any, with nothing selected.
    pub fn new(project: &Project) -> Cursor {
        Cursor {
            doc: (!project.documents.is_empty()).then_some(0),
            selection: None,
            selected_span: None,
            pending_relation: None,
            snap_words: true,
            scroll_to: None,
            words: None,
        }
    }

    /// The shown document of `project`.
    pub fn document<'p>(&self, project: &'p Project) -> Option<&'p Document> {
        self.doc.and_then(|i| project.documents.get(i))
    }

    /// The selected span of the shown document.
    pub fn span<'p>(&self, project: &'p Project) -> Option<&'p Span> {
        self.selected_span.and_then(|id| self.document(project)?.span(id))
    }

    /// The selection, or the selected span as a selection (so arrow keys start from it).
    pub fn caret(&self, project: &Project) -> Option<TextSelection> {
        self.selection.or_else(|| self.span(project).map(|s| TextSelection { anchor: s.start, head: s.end }))
    }

    /// Asks the view to bring `at` into sight.
    pub(super) fn request_scroll(&mut self, at: CharIdx) {
        let seq = self.scroll_to.map_or(1, |(n, _)| n + 1);
        self.scroll_to = Some((seq, at));
    }

    /// Selects `range` and scrolls to it (search results, suggestions).
    pub(super) fn reveal(&mut self, range: Range<CharIdx>) {
        self.selection = Some(TextSelection { anchor: range.start, head: range.end });
        self.selected_span = None;
        self.request_scroll(range.start);
    }

    /// Selects the span `id` in place of any text selection, and scrolls to where it starts.
    pub(super) fn select_span(&mut self, id: SpanId, start: CharIdx) {
        self.selected_span = Some(id);
        self.selection = None;
        self.request_scroll(start);
    }

    /// Drops the selection, the selected span and a relation waiting for its target (Esc).
    pub(super) fn clear(&mut self) {
        self.selection = None;
        self.selected_span = None;
        self.pending_relation = None;
    }

    /// Shows the document at `index` of `project`, from its top, with nothing selected.
    pub(super) fn show_document(&mut self, project: &Project, index: usize) {
        if index < project.documents.len() && self.doc != Some(index) {
            self.doc = Some(index);
            self.clear();
            self.request_scroll(CharIdx(0));
        }
    }

    /// Shows the document `by` places further down (or up) the list, stopping at either end.
    pub(super) fn step_document(&mut self, project: &Project, by: isize) {
        let count = project.documents.len();
        if count == 0 {
            return;
        }
        let next = self.doc.map_or(0, |i| i.saturating_add_signed(by).min(count - 1));
        self.show_document(project, next);
    }

    /// Puts the selection at `anchor..head` of the shown document, clamped to its text; `snap` widens it to
    /// whole words when snapping is on.
    pub(super) fn select(&mut self, project: &Project, anchor: CharIdx, head: CharIdx, snap: bool) {
        let Some(len) = self.document(project).map(Document::char_len) else { return };
        let clamp = |c: CharIdx| CharIdx(c.0.min(len));
        let mut selection = TextSelection { anchor: clamp(anchor), head: clamp(head) };
        if snap && self.snap_words && !selection.is_caret() {
            let range = self.word_index(project).map_or(selection.range(), |w| w.snap(selection.range()));
            selection = if selection.anchor <= selection.head {
                TextSelection { anchor: range.start, head: range.end }
            } else {
                TextSelection { anchor: range.end, head: range.start }
            };
        }
        self.selection = Some(selection);
        self.selected_span = None;
    }

    /// Moves the caret a char or a word left or right; `extend` keeps the anchor.
    pub(super) fn move_caret(&mut self, project: &Project, forward: bool, by_word: bool, extend: bool) {
        let Some(sel) = self.caret(project) else {
            self.selection = Some(TextSelection { anchor: CharIdx(0), head: CharIdx(0) });
            return;
        };
        let len = self.document(project).map_or(0, Document::char_len);
        let head = if by_word {
            self.word_index(project).map_or(sel.head, |w| w.next_word_edge(sel.head, forward))
        } else if forward {
            CharIdx((sel.head.0 + 1).min(len))
        } else {
            CharIdx(sel.head.0.saturating_sub(1))
        };
        let anchor = if extend { sel.anchor } else { head };
        self.selection = Some(TextSelection { anchor, head });
        self.selected_span = None;
    }

    /// Selects the word around `at` (double-click).
    pub(super) fn select_word(&mut self, project: &Project, at: CharIdx) {
        if let Some(range) = self.word_index(project).and_then(|w| w.word_at(at)) {
            self.selection = Some(TextSelection { anchor: range.start, head: range.end });
            self.selected_span = None;
        }
    }

    /// Word boundaries of the shown document, built on first use and kept while it is shown.
    pub(super) fn word_index(&mut self, project: &Project) -> Option<&WordIndex> {
        let doc = self.document(project)?;
        if self.words.as_ref().is_none_or(|(id, _)| *id != doc.id) {
            self.words = Some((doc.id.clone(), WordIndex::new(&doc.text)));
        }
        self.words.as_ref().map(|(_, w)| w)
    }

    /// After documents were added or removed: keep showing a document that exists.
    pub(super) fn after_document_change(&mut self, project: &Project) {
        let count = project.documents.len();
        self.doc = if count == 0 { None } else { Some(self.doc.unwrap_or(0).min(count - 1)) };
        self.selection = None;
        self.selected_span = None;
    }

    /// After any change to `project` (an edit, undo or redo): drop what points at things that are gone.
    pub(super) fn after_change(&mut self, project: &Project) {
        if self.doc.is_some_and(|i| i >= project.documents.len())
            || (self.doc.is_none() && !project.documents.is_empty())
        {
            self.after_document_change(project);
        }
        // A span removed by undo or an edit can no longer be selected.
        if self.span(project).is_none() {
            self.selected_span = None;
        }
        if self.pending_relation.is_some_and(|id| self.document(project).and_then(|d| d.span(id)).is_none()) {
            self.pending_relation = None;
        }
    }
}
