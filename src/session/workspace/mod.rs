//! The workspace: the open project, its history, what is selected, and the rules for turning intents into
//! edits. It sits in the session layer, below any GUI toolkit, so every behaviour here is tested without a
//! window; the window's views only draw it and push [`Intent`]s, applied here in one place.

mod files;
mod review_and_doc_list;
mod span_edits;
mod words;

use std::ops::Range;
use std::path::PathBuf;

use crate::edit::{Edit, History};
use crate::model::{CharIdx, DocId, DocStatus, Document, Project, ReviewState, SchemaPreset, Span, SpanId};

use super::commands::CommandId;
use super::intent::{Intent, UnsavedAnswer};

pub use files::{AUTOSAVE_DELAY, AutosaveJob, FileStamp, recovery_path};
use words::WordIndex;

pub use crate::edit::{SpanChange, SpanCount, span_change};

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

/// A question the workspace is waiting for the user to answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Prompt {
    /// There are unsaved changes; `then` runs after Save or Discard.
    Unsaved {
        /// What the user asked for.
        then: Pending,
    },
    /// The file changed on disk since it was opened or saved; overwrite it?
    DiskChanged {
        /// Where the save was going.
        path: PathBuf,
    },
    /// Delete the shown document?
    DeleteDocument {
        /// Its title, for the question.
        title: String,
    },
    /// The document still has unreviewed spans; mark it done anyway?
    UnreviewedDone {
        /// How many spans are unreviewed.
        unreviewed: usize,
    },
    /// A recovery file newer than the project exists; restore it?
    Recover {
        /// The recovery file.
        path: PathBuf,
    },
}

/// An action held back by the unsaved-changes question.
#[derive(Clone, Debug, PartialEq)]
pub enum Pending {
    /// Open this project.
    Open(PathBuf),
    /// Start an empty project with this schema.
    New(SchemaPreset),
    /// Close the window.
    Quit,
}

/// Everything the app knows besides how it is drawn.
pub struct Workspace {
    /// The open project.
    pub project: Project,
    /// Its undo/redo history.
    pub history: History,
    /// Its file, if it has one yet.
    pub path: Option<PathBuf>,
    /// The history state that matches the file on disk.
    saved_state: u64,
    /// The file's size and time when last read or written, to notice other programs changing it.
    stamp: Option<FileStamp>,
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
    /// Recorded on new spans.
    pub annotator: String,
    /// Annotators whose spans the view hides.
    pub hidden_annotators: std::collections::BTreeSet<String>,
    /// The last message or error, for the status bar.
    pub message: String,
    /// Bumped whenever the project changes, so views can drop what they derived from it.
    pub revision: u64,
    /// The document the change to `revision` touched, when it touched exactly one (views then refresh
    /// only that document's derived data).
    pub touched: Option<DocId>,
    /// What that change did to the touched document's span counts, when it is simple to say.
    pub change: Option<SpanChange>,
    /// A char the document view should scroll into sight, numbered so the view acts on each request once.
    pub scroll_to: Option<(u64, CharIdx)>,
    /// A question waiting for an answer.
    pub prompt: Option<Prompt>,
    /// Set when the window may now close (the user answered the unsaved-changes question).
    pub quit_confirmed: bool,
    /// Word boundaries of the shown document, built on first use.
    words: Option<(DocId, WordIndex)>,
    /// History state last written to the recovery file.
    autosaved_state: u64,
    /// Whether a recovery file may be on disk (written, or being written, since the last removal).
    recovery_written: bool,
    /// When the project last changed, for the autosave delay.
    pub changed_at: Option<std::time::Instant>,
}

impl Workspace {
    /// A workspace showing `project`, loaded from `path` if given.
    pub fn new(project: Project, path: Option<PathBuf>) -> Workspace {
        let doc = (!project.documents.is_empty()).then_some(0);
        let stamp = path.as_deref().and_then(FileStamp::of);
        Workspace {
            project,
            history: History::new(),
            path,
            saved_state: 0,
            stamp,
            doc,
            selection: None,
            selected_span: None,
            pending_relation: None,
            snap_words: true,
            annotator: String::new(),
            hidden_annotators: std::collections::BTreeSet::new(),
            message: String::new(),
            revision: 0,
            touched: None,
            change: None,
            scroll_to: None,
            prompt: None,
            quit_confirmed: false,
            words: None,
            autosaved_state: 0,
            recovery_written: false,
            changed_at: None,
        }
    }

    /// Whether there are changes not saved to the file.
    pub fn is_dirty(&self) -> bool {
        self.history.state() != self.saved_state
    }

    /// The shown document.
    pub fn document(&self) -> Option<&Document> {
        self.doc.and_then(|i| self.project.documents.get(i))
    }

    fn doc_id(&self) -> Option<DocId> {
        self.document().map(|d| d.id.clone())
    }

    /// The selected span of the shown document.
    pub fn span(&self) -> Option<&Span> {
        self.selected_span.and_then(|id| self.document()?.span(id))
    }

    fn request_scroll(&mut self, at: CharIdx) {
        let seq = self.scroll_to.map_or(1, |(n, _)| n + 1);
        self.scroll_to = Some((seq, at));
    }

    /// Applies one intent.
    pub fn apply(&mut self, intent: Intent) {
        match intent {
            Intent::Run(command) => {
                self.run(command);
            }
            Intent::SelectDocument(index) => self.show_document(index),
            Intent::Select { anchor, head, snap } => self.select(anchor, head, snap),
            Intent::SelectWord(at) => self.select_word(at),
            Intent::Reveal(range) => {
                self.selection = Some(TextSelection { anchor: range.start, head: range.end });
                self.selected_span = None;
                self.request_scroll(range.start);
            }
            Intent::Message(text) => self.message = text,
            Intent::MoveCaret { forward, by_word, extend } => self.move_caret(forward, by_word, extend),
            Intent::ClickSpan(id) => self.click_span(id),
            Intent::ApplyLabel(index) => self.apply_label(index),
            Intent::RemoveRelation(relation) => {
                if let Some(doc) = self.doc_id() {
                    self.edit(Edit::RemoveRelation { doc, relation });
                }
            }
            Intent::SetNote(span, note) => {
                if let Some(doc) = self.doc_id() {
                    self.edit(Edit::SetSpanNote { doc, span, note });
                }
            }
            Intent::Edit(edit) => {
                self.edit(edit);
            }
            Intent::SetStatus(status) => self.set_status(status),
            Intent::Open(path) => self.ask_then(Pending::Open(path)),
            Intent::SaveAs(path) => self.save_to(path, false),
            Intent::Unsaved(answer) => self.answer_unsaved(answer),
            Intent::OverwriteChanged(yes) => self.answer_disk_changed(yes),
            Intent::Recover(yes) => self.answer_recover(yes),
            Intent::SetAnnotator(name) => self.annotator = name,
            Intent::ToggleAnnotator(name) => {
                if !self.hidden_annotators.remove(&name) {
                    self.hidden_annotators.insert(name);
                }
            }
            Intent::NewDocument { title, text } => self.new_document(title, text),
            Intent::NewProject(preset) => self.ask_then(Pending::New(preset)),
            Intent::ConfirmDelete(yes) => {
                if let Some(Prompt::DeleteDocument { .. }) = self.prompt.take()
                    && yes
                    && let Some(doc) = self.doc_id()
                {
                    self.edit(Edit::RemoveDocument { doc });
                    self.after_document_change();
                }
            }
            Intent::ConfirmDone(yes) => {
                if let Some(Prompt::UnreviewedDone { .. }) = self.prompt.take()
                    && yes
                    && let Some(doc) = self.doc_id()
                {
                    self.edit(Edit::SetDocStatus { doc, status: DocStatus::Done });
                }
            }
        }
    }

    /// Runs a command. Returns `false` for commands the window handles itself (zoom, theme, dialogs).
    pub fn run(&mut self, command: CommandId) -> bool {
        match command {
            CommandId::NewProject => self.ask_then(Pending::New(SchemaPreset::default())),
            CommandId::Save => match self.path.clone() {
                Some(path) => self.save_to(path, false),
                None => return false,
            },
            CommandId::Quit => self.ask_then(Pending::Quit),
            CommandId::Undo => self.undo(),
            CommandId::Redo => self.redo(),
            CommandId::DeleteSpan => self.delete_span(),
            CommandId::Escape => {
                self.selection = None;
                self.selected_span = None;
                self.pending_relation = None;
            }
            CommandId::NextSpan => self.walk_spans(true),
            CommandId::PrevSpan => self.walk_spans(false),
            CommandId::GrowLeft => self.move_edge(true, true),
            CommandId::GrowRight => self.move_edge(false, true),
            CommandId::ShrinkLeft => self.move_edge(true, false),
            CommandId::ShrinkRight => self.move_edge(false, false),
            CommandId::StartRelation => self.start_relation(),
            CommandId::NextDocument => self.step_document(1),
            CommandId::PrevDocument => self.step_document(-1),
            CommandId::StatusTodo => self.set_status(DocStatus::Todo),
            CommandId::StatusInProgress => self.set_status(DocStatus::InProgress),
            CommandId::StatusNeedsReview => self.set_status(DocStatus::NeedsReview),
            CommandId::StatusDone => self.set_status(DocStatus::Done),
            CommandId::ReviewAccept => self.review(ReviewState::Accepted),
            CommandId::ReviewReject => self.review(ReviewState::Rejected),
            CommandId::DeleteDocument => {
                if let Some(title) = self.document().map(|d| d.title.clone()) {
                    self.prompt = Some(Prompt::DeleteDocument { title });
                }
            }
            CommandId::MoveDocumentUp => self.move_document(-1),
            CommandId::MoveDocumentDown => self.move_document(1),
            CommandId::ToggleSnap => {
                self.snap_words = !self.snap_words;
                self.message = format!("Snap to words {}", if self.snap_words { "on" } else { "off" });
            }
            CommandId::Open
            | CommandId::SaveAs
            | CommandId::ZoomIn
            | CommandId::ZoomOut
            | CommandId::ZoomReset
            | CommandId::ToggleTheme
            | CommandId::Palette
            | CommandId::KeyboardHelp
            | CommandId::Dashboard
            | CommandId::Curation
            | CommandId::NextDisagreement
            | CommandId::SchemaEditor
            | CommandId::Guidelines
            | CommandId::DocumentDetails
            | CommandId::NewDocument
            | CommandId::Import
            | CommandId::Export
            | CommandId::Settings
            | CommandId::MergeProjects
            | CommandId::Find
            | CommandId::FindInProject
            | CommandId::Suggestions => return false,
        }
        true
    }

    /// Applies an edit through the history; a refused edit only leaves a message.
    pub fn edit(&mut self, edit: Edit) -> bool {
        let touched = edit.document().cloned();
        let change = span_change(&self.project, &edit).filter(|(doc, _)| touched.as_ref() == Some(doc));
        match self.history.apply(&mut self.project, edit) {
            Ok(name) => {
                self.message = name;
                self.changed();
                self.touched = touched;
                self.change = change.map(|(_, c)| c);
                true
            }
            Err(err) => {
                self.message = format!("Not done: {err}");
                false
            }
        }
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.touched = None;
        self.change = None;
        if self.doc.is_some_and(|i| i >= self.project.documents.len())
            || (self.doc.is_none() && !self.project.documents.is_empty())
        {
            self.after_document_change();
        }
        self.changed_at = Some(std::time::Instant::now());
        // A span removed by undo or an edit can no longer be selected.
        if self.span().is_none() {
            self.selected_span = None;
        }
        if self.pending_relation.is_some_and(|id| self.document().and_then(|d| d.span(id)).is_none()) {
            self.pending_relation = None;
        }
    }

    fn undo(&mut self) {
        match self.history.undo(&mut self.project) {
            Ok(Some(name)) => {
                self.message = format!("Undid {name}");
                self.changed();
            }
            Ok(None) => self.message = "Nothing to undo".into(),
            Err(err) => self.message = format!("Could not undo: {err}"),
        }
    }

    fn redo(&mut self) {
        match self.history.redo(&mut self.project) {
            Ok(Some(name)) => {
                self.message = format!("Redid {name}");
                self.changed();
            }
            Ok(None) => self.message = "Nothing to redo".into(),
            Err(err) => self.message = format!("Could not redo: {err}"),
        }
    }

    fn show_document(&mut self, index: usize) {
        if index < self.project.documents.len() && self.doc != Some(index) {
            self.doc = Some(index);
            self.selection = None;
            self.selected_span = None;
            self.pending_relation = None;
            self.request_scroll(CharIdx(0));
        }
    }

    fn step_document(&mut self, by: isize) {
        let count = self.project.documents.len();
        if count == 0 {
            return;
        }
        let next = self.doc.map_or(0, |i| i.saturating_add_signed(by).min(count - 1));
        self.show_document(next);
    }

    fn select(&mut self, anchor: CharIdx, head: CharIdx, snap: bool) {
        let Some(len) = self.document().map(Document::char_len) else { return };
        let clamp = |c: CharIdx| CharIdx(c.0.min(len));
        let mut selection = TextSelection { anchor: clamp(anchor), head: clamp(head) };
        if snap && self.snap_words && !selection.is_caret() {
            let range = self.word_index().map_or(selection.range(), |w| w.snap(selection.range()));
            selection = if selection.anchor <= selection.head {
                TextSelection { anchor: range.start, head: range.end }
            } else {
                TextSelection { anchor: range.end, head: range.start }
            };
        }
        self.selection = Some(selection);
        self.selected_span = None;
    }

    /// The selection, or the selected span as a selection (so arrow keys start from it).
    pub fn caret(&self) -> Option<TextSelection> {
        self.selection.or_else(|| self.span().map(|s| TextSelection { anchor: s.start, head: s.end }))
    }

    fn move_caret(&mut self, forward: bool, by_word: bool, extend: bool) {
        let Some(sel) = self.caret() else {
            self.selection = Some(TextSelection { anchor: CharIdx(0), head: CharIdx(0) });
            return;
        };
        let len = self.document().map_or(0, Document::char_len);
        let head = if by_word {
            self.word_index().map_or(sel.head, |w| w.next_word_edge(sel.head, forward))
        } else if forward {
            CharIdx((sel.head.0 + 1).min(len))
        } else {
            CharIdx(sel.head.0.saturating_sub(1))
        };
        let anchor = if extend { sel.anchor } else { head };
        self.selection = Some(TextSelection { anchor, head });
        self.selected_span = None;
    }

    fn select_word(&mut self, at: CharIdx) {
        if let Some(range) = self.word_index().and_then(|w| w.word_at(at)) {
            self.selection = Some(TextSelection { anchor: range.start, head: range.end });
            self.selected_span = None;
        }
    }

    /// Word boundaries of the shown document, built on first use and kept while it is shown.
    fn word_index(&mut self) -> Option<&WordIndex> {
        let doc = self.document()?;
        if self.words.as_ref().is_none_or(|(id, _)| *id != doc.id) {
            self.words = Some((doc.id.clone(), WordIndex::new(&doc.text)));
        }
        self.words.as_ref().map(|(_, w)| w)
    }

    fn set_status(&mut self, status: DocStatus) {
        let Some(doc) = self.document().filter(|d| d.status != status) else { return };
        let unreviewed = doc.spans.iter().filter(|s| s.review == ReviewState::Unreviewed).count();
        if status == DocStatus::Done && doc.status == DocStatus::NeedsReview && unreviewed > 0 {
            self.prompt = Some(Prompt::UnreviewedDone { unreviewed });
            return;
        }
        let doc = doc.id.clone();
        self.edit(Edit::SetDocStatus { doc, status });
    }

    /// After documents were added or removed: keep showing a document that exists.
    fn after_document_change(&mut self) {
        let count = self.project.documents.len();
        self.doc = if count == 0 { None } else { Some(self.doc.unwrap_or(0).min(count - 1)) };
        self.selection = None;
        self.selected_span = None;
    }

    /// Runs `then` now if nothing is unsaved, else asks first.
    fn ask_then(&mut self, then: Pending) {
        if self.is_dirty() {
            self.prompt = Some(Prompt::Unsaved { then });
        } else {
            self.proceed(then);
        }
    }

    fn answer_unsaved(&mut self, answer: UnsavedAnswer) {
        let Some(Prompt::Unsaved { then }) = self.prompt.take() else { return };
        match answer {
            UnsavedAnswer::Cancel => {}
            UnsavedAnswer::Discard => {
                self.remove_recovery();
                self.proceed(then);
            }
            UnsavedAnswer::Save => match self.path.clone() {
                Some(path) => {
                    self.save_to(path, false);
                    if !self.is_dirty() {
                        self.proceed(then);
                    }
                }
                None => self.message = "This project has no file yet: use File → Save as… first".into(),
            },
        }
    }

    fn proceed(&mut self, then: Pending) {
        match then {
            Pending::Open(path) => self.open(&path),
            Pending::New(preset) => {
                let mut project = Project::new("Untitled");
                project.schema = preset.schema();
                self.replace(project, None);
            }
            Pending::Quit => self.quit_confirmed = true,
        }
    }

    /// Shows another project, with a fresh history.
    fn replace(&mut self, project: Project, path: Option<PathBuf>) {
        // Leaving a project with nothing unsaved: a recovery file of its undone changes must not stay.
        self.drop_stale_recovery();
        let annotator = std::mem::take(&mut self.annotator);
        let snap = self.snap_words;
        let revision = self.revision + 1;
        *self = Workspace::new(project, path);
        self.annotator = annotator;
        self.snap_words = snap;
        self.revision = revision;
    }
}
