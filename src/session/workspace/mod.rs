//! The workspace: the open project as the user works on it, and the rules for turning intents into edits.
//! It sits in the session layer, below any GUI toolkit, so every behaviour here is tested without a
//! window; the window's views only draw it and push [`Intent`]s, applied here in one place.
//!
//! It is made of parts that change for different reasons: the [`Session`] (the project, its history, its
//! file and recovery file, what changed last), the [`Cursor`] (the shown document and what is selected in
//! it), and the questions and messages for the user, which stay on [`Workspace`] itself.

mod cursor;
mod files;
mod lazy_docs;
mod lazy_rename;
mod lazy_session;
mod open_project;
mod review_and_doc_list;
mod span_edits;
mod words;

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::edit::Edit;
use crate::model::{DocId, DocStatus, Document, Project, ReviewState, SchemaPreset, Span};

use super::commands::CommandId;
use super::intent::{Intent, UnsavedAnswer};

pub use cursor::{Cursor, TextSelection};
pub use lazy_docs::{LAZY_ABOVE, LazyDocs};
pub use lazy_rename::Rename;
pub use open_project::{AUTOSAVE_DELAY, AutosaveJob, FileStamp, Session, recovery_path};

pub use crate::edit::{SpanChange, SpanCount, span_change};

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
    /// The open project, its history and its files.
    pub session: Session,
    /// The shown document and what is selected in it.
    pub cursor: Cursor,
    /// Annotators whose spans the view hides.
    pub hidden_annotators: BTreeSet<String>,
    /// The last message or error, for the status bar.
    pub message: String,
    /// A question waiting for an answer.
    pub prompt: Option<Prompt>,
    /// Set when the window may now close (the user answered the unsaved-changes question).
    pub quit_confirmed: bool,
}

impl Workspace {
    /// A workspace showing `project`, loaded from `path` if given.
    pub fn new(project: Project, path: Option<PathBuf>) -> Workspace {
        Workspace::with_session(Session::new(project, path))
    }

    /// A workspace on an opened session (see [`Session::open`]), showing its first document.
    pub fn with_session(session: Session) -> Workspace {
        let cursor = Cursor::new(session.project());
        let mut ws = Workspace {
            session,
            cursor,
            hidden_annotators: BTreeSet::new(),
            message: String::new(),
            prompt: None,
            quit_confirmed: false,
        };
        ws.load_shown();
        ws
    }

    /// Reads the shown document's files if the project is open document by document and it is not in
    /// memory yet; a document whose files do not read says why in the status bar (it stays empty).
    pub fn load_shown(&mut self) {
        let Some(id) = self.cursor.doc.and_then(|i| self.session.project().documents.get(i)).map(|d| d.id.clone())
        else {
            return;
        };
        if self.session.is_lazy()
            && let Err(why) = self.session.ensure_loaded(&id)
        {
            self.message = format!("Could not read this document: {why}");
        }
    }

    /// Once a frame: takes in a finished rename of a large folder (the project is then opened anew from
    /// the folder). True while one still runs, so the window keeps drawing its progress.
    pub fn poll_jobs(&mut self) -> bool {
        if let Some(message) = self.session.poll_rename() {
            self.message = message;
            self.cursor.after_change(self.session.project());
            self.load_shown();
        }
        self.session.rename_progress().is_some()
    }

    /// The shown document.
    pub fn document(&self) -> Option<&Document> {
        self.cursor.document(self.session.project())
    }

    fn doc_id(&self) -> Option<DocId> {
        self.document().map(|d| d.id.clone())
    }

    /// The selected span of the shown document.
    pub fn span(&self) -> Option<&Span> {
        self.cursor.span(self.session.project())
    }

    /// The selection, or the selected span as a selection (so arrow keys start from it).
    pub fn caret(&self) -> Option<TextSelection> {
        self.cursor.caret(self.session.project())
    }

    /// Applies one intent.
    pub fn apply(&mut self, intent: Intent) {
        let project = self.session.project();
        match intent {
            Intent::Run(command) => {
                self.run(command);
            }
            Intent::SelectDocument(index) => self.cursor.show_document(project, index),
            Intent::Select { anchor, head, snap } => self.cursor.select(project, anchor, head, snap),
            Intent::SelectWord(at) => self.cursor.select_word(project, at),
            Intent::Reveal(range) => self.cursor.reveal(range),
            Intent::Message(text) => self.message = text,
            Intent::MoveCaret { forward, by_word, extend } => self.cursor.move_caret(project, forward, by_word, extend),
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
            Intent::SetAnnotator(name) => self.session.annotator = name,
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
                    self.cursor.after_document_change(self.session.project());
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
        // Whatever the intent did, the document now shown is read if it was not in memory.
        self.load_shown();
    }

    /// Runs a command. Returns `false` for commands the window handles itself (zoom, theme, dialogs).
    pub fn run(&mut self, command: CommandId) -> bool {
        match command {
            CommandId::NewProject => self.ask_then(Pending::New(SchemaPreset::default())),
            CommandId::Save => match self.session.path() {
                Some(path) => self.save_to(path.to_path_buf(), false),
                None => return false,
            },
            CommandId::Quit => self.ask_then(Pending::Quit),
            CommandId::Undo => self.undo(),
            CommandId::Redo => self.redo(),
            CommandId::DeleteSpan => self.delete_span(),
            CommandId::Escape => self.cursor.clear(),
            CommandId::NextSpan => self.walk_spans(true),
            CommandId::PrevSpan => self.walk_spans(false),
            CommandId::GrowLeft => self.move_edge(true, true),
            CommandId::GrowRight => self.move_edge(false, true),
            CommandId::ShrinkLeft => self.move_edge(true, false),
            CommandId::ShrinkRight => self.move_edge(false, false),
            CommandId::StartRelation => self.start_relation(),
            CommandId::NextDocument => self.cursor.step_document(self.session.project(), 1),
            CommandId::PrevDocument => self.cursor.step_document(self.session.project(), -1),
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
                self.cursor.snap_words = !self.cursor.snap_words;
                self.message = format!("Snap to words {}", if self.cursor.snap_words { "on" } else { "off" });
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
            | CommandId::NextConflict
            | CommandId::PrevConflict
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
        match self.session.edit(edit) {
            Ok(name) => {
                self.message = name;
                self.cursor.after_change(self.session.project());
                true
            }
            Err(err) => {
                self.message = format!("Not done: {err}");
                false
            }
        }
    }

    fn undo(&mut self) {
        match self.session.undo() {
            Ok(Some(name)) => {
                self.message = format!("Undid {name}");
                self.cursor.after_change(self.session.project());
            }
            Ok(None) => self.message = "Nothing to undo".into(),
            Err(err) => self.message = format!("Could not undo: {err}"),
        }
    }

    fn redo(&mut self) {
        match self.session.redo() {
            Ok(Some(name)) => {
                self.message = format!("Redid {name}");
                self.cursor.after_change(self.session.project());
            }
            Ok(None) => self.message = "Nothing to redo".into(),
            Err(err) => self.message = format!("Could not redo: {err}"),
        }
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

    /// Runs `then` now if nothing is unsaved, else asks first.
    fn ask_then(&mut self, then: Pending) {
        if self.session.is_dirty() {
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
            UnsavedAnswer::Save => match self.session.path() {
                Some(path) => {
                    self.save_to(path.to_path_buf(), false);
                    if !self.session.is_dirty() {
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

    /// Shows another project, with a fresh history: only the annotator and the snapping choice stay.
    fn replace(&mut self, project: Project, path: Option<PathBuf>) {
        self.replace_session(Session::new(project, path));
    }

    /// Shows another opened project (see [`Workspace::replace`]).
    fn replace_session(&mut self, session: Session) {
        // Leaving a project with nothing unsaved: a recovery file of its undone changes must not stay.
        self.drop_stale_recovery();
        let mut next = Workspace::with_session(session);
        next.session.take_over_from(&mut self.session);
        next.cursor.snap_words = self.cursor.snap_words;
        *self = next;
    }
}
