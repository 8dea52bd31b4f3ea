//! The app: panels laid out, keys turned into intents, and the intents applied after the frame — the one
//! place where the workspace changes.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::model::Project;
use crate::session::job::{Job, Poll};

use super::commands::{CommandId, redo_alt, shortcuts_most_specific_first, zoom_in_alt};
use super::curation::Curation;
use super::dashboard::Dashboard;
use super::dialogs::{self, FileDialog, FileMode};
use super::doc_list::DocList;
use super::doc_view::DocView;
use super::doc_view::Overlays;
use super::document_windows::{DocDetails, NewDocument};
use super::find_bar::FindBar;
use super::import_export_dialogs::{ExportDialog, ImportDialog};
use super::intent::Intent;
use super::menu_bar::{self, MenuContext};
use super::merge_dialog::MergeDialog;
use super::palette::Palette;
use super::prefs::{self, Preferences, ThemeChoice};
use super::schema_editor::SchemaEditor;
use super::settings_and_guidelines;
use super::side_panel::SidePanel;
use super::status_bar;
use super::suggest_panel::SuggestPanel;
use super::workspace::{Session, Workspace};

/// The whole app state, constructible without a window so tests can drive it.
pub struct FactmarkApp {
    ws: Workspace,
    view: DocView,
    doc_list: DocList,
    side: SidePanel,
    palette: Palette,
    dashboard: Dashboard,
    curation: Curation,
    file_dialog: Option<FileDialog>,
    keyboard_help: bool,
    schema_editor: SchemaEditor,
    guidelines: bool,
    doc_details: DocDetails,
    new_document: NewDocument,
    import: ImportDialog,
    export: ExportDialog,
    settings: settings_and_guidelines::SettingsWindow,
    find: FindBar,
    merge: MergeDialog,
    new_project: super::new_project::NewProjectDialog,
    suggestions: SuggestPanel,
    prefs: Preferences,
    /// Whether Open / Save as may start the system file dialog (off in tests: no portal, no thread).
    native_dialogs: bool,
    intents: Vec<Intent>,
    autosave_done: Option<Job<Result<(), String>>>,
    shown_title: String,
    /// Whether the egui context has been set up (first frame).
    configured: bool,
    /// The project file shown in the last frame, to notice another project being opened.
    seen_path: Option<PathBuf>,
}

impl FactmarkApp {
    /// An app showing `project`, which was loaded from `path` (if any).
    pub fn new(project: Project, path: Option<PathBuf>) -> FactmarkApp {
        FactmarkApp::with_session(Session::new(project, path))
    }

    /// An app on an opened session (a large project folder is then open document by document).
    pub fn with_session(session: Session) -> FactmarkApp {
        let path = session.path().map(Path::to_path_buf);
        let mut ws = Workspace::with_session(session);
        ws.message = path.as_ref().map_or_else(String::new, |p| format!("Opened {}", p.display()));
        ws.check_recovery();
        let prefs = Preferences::default();
        ws.session.annotator = prefs.annotator.clone();
        FactmarkApp {
            ws,
            view: DocView::default(),
            doc_list: DocList::default(),
            side: SidePanel::default(),
            palette: Palette::default(),
            dashboard: Dashboard::default(),
            curation: Curation::default(),
            file_dialog: None,
            keyboard_help: false,
            schema_editor: SchemaEditor::default(),
            guidelines: false,
            doc_details: DocDetails::default(),
            new_document: NewDocument::default(),
            import: ImportDialog::default(),
            export: ExportDialog::default(),
            settings: settings_and_guidelines::SettingsWindow::default(),
            find: FindBar::default(),
            merge: MergeDialog::default(),
            new_project: super::new_project::NewProjectDialog::default(),
            suggestions: SuggestPanel::default(),
            prefs,
            native_dialogs: false,
            intents: Vec::new(),
            autosave_done: None,
            shown_title: String::new(),
            configured: false,
            seen_path: None,
        }
    }

    /// Loads the project at `path`. A file that cannot be loaded leaves an empty project and the error
    /// (naming the file and the problem) in the status bar; the file itself is not touched.
    pub fn from_path(path: &Path) -> FactmarkApp {
        match Session::open(path) {
            Ok(session) => FactmarkApp::with_session(session),
            Err(err) => {
                let mut app = FactmarkApp::new(Project::new("(no project)"), None);
                app.ws.message = format!("Could not open {err}");
                app
            }
        }
    }

    /// Applies stored preferences and lets Open / Save as use the system file dialog (the real window).
    pub fn with_preferences(mut self, prefs: Preferences, native_dialogs: bool) -> FactmarkApp {
        self.ws.session.annotator = prefs.annotator.clone();
        self.ws.cursor.snap_words = prefs.snap_words;
        self.view.font_size = prefs.font_size.clamp(MIN_FONT_SIZE, MAX_FONT_SIZE);
        // First start (or no name yet): show whose name goes on spans before the first one is made.
        self.settings.open = !prefs.annotator_confirmed || prefs.annotator.trim().is_empty();
        self.prefs = prefs;
        self.native_dialogs = native_dialogs;
        self.import.native = native_dialogs;
        if let Some(path) = self.ws.session.path().map(Path::to_path_buf) {
            self.prefs.remember(&path);
        }
        self
    }

    /// Shows the document that was shown when this project was last open.
    fn show_last_document(&mut self) {
        let Some(path) = self.ws.session.path() else { return };
        let Some(id) = self.prefs.last_document(path) else { return };
        if let Some(index) = self.ws.session.project().documents.iter().position(|d| d.id.as_str() == id) {
            self.ws.apply(Intent::SelectDocument(index));
        }
    }

    /// Notes the shown document for the next time this project is opened.
    fn remember_document(&mut self) {
        if let (Some(path), Some(doc)) = (self.ws.session.path(), self.ws.document()) {
            self.prefs.remember_document(path, doc.id.as_str());
        }
    }

    /// The window title: project name, and a dot while there are unsaved changes.
    pub fn window_title(&self) -> String {
        let dirty = if self.ws.session.is_dirty() { " ●" } else { "" };
        format!("factmark — {}{dirty}", self.ws.session.project().name)
    }

    /// The project shown.
    pub fn project(&self) -> &Project {
        self.ws.session.project()
    }

    /// The workspace (selection, history, path), for tests and the benchmark.
    pub fn workspace(&self) -> &Workspace {
        &self.ws
    }

    /// The document view (layout queries for tests and the benchmark).
    pub fn view(&self) -> &DocView {
        &self.view
    }

    /// Index of the document shown, if any.
    pub fn selected(&self) -> Option<usize> {
        self.ws.cursor.doc
    }

    /// The preferences as they would be stored now.
    pub fn preferences(&self) -> &Preferences {
        &self.prefs
    }

    /// The status bar's message.
    pub fn message(&self) -> &str {
        &self.ws.message
    }

    /// Queues an intent as if a view had pushed it (tests and the benchmark use this).
    pub fn push(&mut self, intent: Intent) {
        self.intents.push(intent);
    }

    /// Draws the whole window, then applies what the views asked for.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.configured {
            self.configured = true;
            // Ctrl+= / Ctrl+- / Ctrl+0 are the app's text size. egui's own keyboard zoom scaled the whole
            // window on Ctrl+= only, which the app's Ctrl+- and Ctrl+0 then could not undo, and egui kept
            // that zoom across restarts: off, and any zoom an older version left behind is reset.
            ctx.options_mut(|o| o.zoom_with_keyboard = false);
            ctx.set_zoom_factor(1.0);
        }
        self.shortcuts(ui);
        if self.ws.poll_jobs() {
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
        egui::Panel::top("menu_bar").show(ui, |ui| {
            let extra = MenuContext { recent: &self.prefs.recent, snap: self.ws.cursor.snap_words };
            menu_bar::show(ui, &self.ws, &extra, &mut self.intents);
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status_bar::show(ui, &self.ws, &mut self.intents);
        });
        // The document keeps at least half the width: each side panel gets a quarter at most, so on a
        // small window they shrink instead of squeezing the text to a column cut mid-word.
        let side_max = (ctx.content_rect().width() * 0.25).max(120.0);
        let side = |default: f32| (default.min(side_max), (120.0_f32).min(side_max)..=side_max);
        let (left_default, left_range) = side(300.0);
        let (right_default, right_range) = side(320.0);
        egui::Panel::left("documents").default_size(left_default).size_range(left_range).resizable(true).show(
            ui,
            |ui| {
                self.doc_list.show(
                    ui,
                    self.ws.session.project(),
                    (self.ws.session.revision(), self.ws.session.touched(), self.ws.session.change()),
                    self.ws.session.lazy(),
                    self.ws.cursor.doc,
                    &mut self.intents,
                );
            },
        );
        egui::Panel::right("inspector").default_size(right_default).size_range(right_range).resizable(true).show(
            ui,
            |ui| {
                self.side.show(ui, &self.ws, &self.view, &mut self.intents);
            },
        );
        egui::CentralPanel::default().show(ui, |ui| {
            self.find.show(ui, &self.ws, &mut self.intents);
            let (matches, current_match) = self.find.highlights();
            let overlays = Overlays { matches, current_match, suggestions: self.suggestions.overlays() };
            match self.ws.document().and_then(|d| self.ws.session.broken(&d.id)) {
                // The files of this document do not read: say so where its text would be.
                Some(why) => super::document_windows::unreadable(ui, why),
                None => self.view.show(ui, &self.ws, &overlays, &mut self.intents),
            }
        });
        self.palette.show(&ctx, &self.ws, &mut self.intents);
        dialogs::prompt(&ctx, &self.ws, &mut self.intents);
        if let Some(dialog) = &mut self.file_dialog
            && !dialog.show(&ctx, &mut self.intents)
        {
            self.file_dialog = None;
        }
        dialogs::keyboard_help(&ctx, &self.ws, &mut self.keyboard_help);
        self.schema_editor.show(&ctx, &self.ws, &mut self.intents);
        settings_and_guidelines::guidelines(&ctx, &self.ws, &mut self.guidelines);
        self.doc_details.show(&ctx, &self.ws, &mut self.intents);
        self.new_document.show(&ctx, &mut self.intents);
        self.import.show(&ctx, self.ws.session.project(), &mut self.intents);
        self.export.show_for(&ctx, &self.ws);
        self.settings.show(&ctx, &mut self.prefs, &mut self.view.font_size, &mut self.intents);
        self.ws.cursor.snap_words = self.prefs.snap_words;
        self.suggestions.show(&ctx, &self.ws, &mut self.prefs.llm, &mut self.intents);
        self.merge.show(&ctx, &mut self.intents);
        self.new_project.show(&ctx, &mut self.intents);
        self.dashboard.show(&ctx, &self.ws);
        self.curation.show(&ctx, &self.ws, &mut self.intents);
        self.apply_intents(&ctx);
        if self.ws.session.path() != self.seen_path.as_deref() {
            // Another project is open (or the first one, at start): back to where the user was in it.
            self.seen_path = self.ws.session.path().map(Path::to_path_buf);
            self.show_last_document();
        }
        self.remember_document();
        self.autosave(&ctx);
        self.window_state(&ctx);
    }

    /// Shortcuts from the command list, then the label keys. Keys that type text are left alone while a
    /// text field has the keyboard.
    fn shortcuts(&mut self, ui: &egui::Ui) {
        // A question is on screen: its own keys answer it. Commands must not act behind it — Ctrl+S under
        // "Restore unsaved work?" would save the old file and delete the recovery file being offered.
        if self.ws.prompt.is_some() {
            return;
        }
        // Esc closes the window on top, not the selection behind it.
        if self.any_window_open() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            self.close_top_window();
            return;
        }
        // While a text field has the keyboard, or a window that takes text is open, keys are text: a
        // name typed into Settings or a path into Save as must never run K (curation) or R (relation).
        let typing = ui.ctx().text_edit_focused() || self.text_window_open();
        for def in shortcuts_most_specific_first() {
            let Some(shortcut) = def.shortcut else { continue };
            if (def.text_key && typing) || self.palette.open && def.id != CommandId::Palette {
                continue;
            }
            if ui.input_mut(|i| i.consume_shortcut(&shortcut)) {
                self.intents.push(Intent::Run(def.id));
            }
        }
        if ui.input_mut(|i| i.consume_shortcut(&redo_alt())) {
            self.intents.push(Intent::Run(CommandId::Redo));
        }
        if ui.input_mut(|i| i.consume_shortcut(&zoom_in_alt())) {
            self.intents.push(Intent::Run(CommandId::ZoomIn));
        }
        if typing || self.palette.open {
            return;
        }
        if self.suggestions.has_current() && ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter)) {
            self.intents.push(Intent::Run(CommandId::ReviewAccept));
        }
        for (index, label) in self.ws.session.project().schema.labels.iter().enumerate() {
            let name = label.key.map(|k| k.to_ascii_uppercase().to_string());
            let Some(key) = name.and_then(|k| egui::Key::from_name(&k)) else { continue };
            if ui.input_mut(|i| i.consume_key(egui::Modifiers::NONE, key)) {
                self.intents.push(Intent::ApplyLabel(index));
            }
        }
    }

    /// Whether a window in which the user types is open (single-key commands wait until it closes).
    fn text_window_open(&self) -> bool {
        self.file_dialog.is_some()
            || self.settings.open
            || self.schema_editor.open
            || self.doc_details.open
            || self.new_document.open
            || self.import.open
            || self.export.open
            || self.merge.open
            || self.palette.open
            || self.new_project.open
    }

    /// Whether any window or dialog is open over the document.
    fn any_window_open(&self) -> bool {
        self.text_window_open()
            || self.keyboard_help
            || self.guidelines
            || self.suggestions.open
            || self.dashboard.open
            || self.curation.open
    }

    /// Closes the topmost window: dialogs first, then the tool windows.
    fn close_top_window(&mut self) {
        if self.file_dialog.take().is_some() {
            return;
        }
        let flags: [&mut bool; 14] = [
            &mut self.palette.open,
            &mut self.new_project.open,
            &mut self.settings.open,
            &mut self.new_document.open,
            &mut self.doc_details.open,
            &mut self.import.open,
            &mut self.export.open,
            &mut self.merge.open,
            &mut self.schema_editor.open,
            &mut self.keyboard_help,
            &mut self.guidelines,
            &mut self.suggestions.open,
            &mut self.dashboard.open,
            &mut self.curation.open,
        ];
        if let Some(flag) = flags.into_iter().find(|f| **f) {
            *flag = false;
        }
    }

    fn apply_intents(&mut self, ctx: &egui::Context) {
        let intents = std::mem::take(&mut self.intents);
        if !intents.is_empty() {
            // The state changed after this frame was drawn: draw it again.
            ctx.request_repaint();
        }
        for intent in intents {
            match intent {
                Intent::Run(command) => self.run(ctx, command),
                Intent::Open(path) => {
                    self.ws.apply(Intent::Open(path.clone()));
                    if self.ws.session.path() == Some(&path) {
                        self.prefs.remember(&path);
                    }
                }
                Intent::SaveAs(path) => {
                    self.ws.apply(Intent::SaveAs(path.clone()));
                    if !self.ws.session.is_dirty() {
                        self.prefs.remember(&path);
                    }
                }
                Intent::SetAnnotator(name) => {
                    self.prefs.annotator = name.clone();
                    self.ws.apply(Intent::SetAnnotator(name));
                }
                other => self.ws.apply(other),
            }
        }
        if self.ws.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Runs a command: the window's own here, the rest through the workspace.
    fn run(&mut self, ctx: &egui::Context, command: CommandId) {
        // With a suggestion current, A and X act on it rather than on the selected span's review.
        if self.suggestions.has_current() && matches!(command, CommandId::ReviewAccept | CommandId::ReviewReject) {
            let mut intents = Vec::new();
            if command == CommandId::ReviewAccept {
                self.suggestions.accept_current(&self.ws, &mut intents);
            } else {
                self.suggestions.reject_current(&self.ws, &mut intents);
            }
            for intent in intents {
                self.ws.apply(intent);
            }
            return;
        }
        // Every command is handled here or handed to the workspace: no catch-all arm, so a command added to
        // the list does not compile until it is dispatched.
        match command {
            // The window asks which schema to start with; the workspace alone starts the default one.
            CommandId::NewProject => self.new_project.open = true,
            CommandId::Open => {
                let start = self.ws.session.path().map(Path::to_path_buf);
                self.file_dialog = Some(FileDialog::new(FileMode::Open, start, self.native_dialogs));
            }
            // A project never saved has no file yet: Save asks for one, as Save as does.
            CommandId::Save if self.ws.run(command) => {}
            CommandId::Save | CommandId::SaveAs => {
                let session = &self.ws.session;
                let untitled = || PathBuf::from(format!("{}.ron", session.project().name));
                let start = Some(session.path().map_or_else(untitled, Path::to_path_buf));
                self.file_dialog = Some(FileDialog::new(FileMode::SaveAs, start, self.native_dialogs));
            }
            CommandId::ToggleSnap => {
                self.ws.run(command);
                self.prefs.snap_words = self.ws.cursor.snap_words;
            }
            CommandId::Quit
            | CommandId::Undo
            | CommandId::Redo
            | CommandId::DeleteSpan
            | CommandId::Escape
            | CommandId::NextSpan
            | CommandId::PrevSpan
            | CommandId::GrowLeft
            | CommandId::GrowRight
            | CommandId::ShrinkLeft
            | CommandId::ShrinkRight
            | CommandId::StartRelation
            | CommandId::NextDocument
            | CommandId::PrevDocument
            | CommandId::StatusTodo
            | CommandId::StatusInProgress
            | CommandId::StatusNeedsReview
            | CommandId::StatusDone
            | CommandId::ReviewAccept
            | CommandId::ReviewReject
            | CommandId::DeleteDocument
            | CommandId::MoveDocumentUp
            | CommandId::MoveDocumentDown => {
                self.ws.run(command);
            }
            CommandId::ZoomIn => self.zoom(1),
            CommandId::ZoomOut => self.zoom(-1),
            CommandId::ZoomReset => self.zoom(0),
            CommandId::ToggleTheme => {
                self.prefs.theme =
                    if ctx.theme() == egui::Theme::Dark { ThemeChoice::Light } else { ThemeChoice::Dark };
                ctx.set_theme(self.prefs.theme.preference());
            }
            CommandId::SchemaEditor => self.schema_editor.open = !self.schema_editor.open,
            CommandId::Guidelines => self.guidelines = !self.guidelines,
            CommandId::DocumentDetails => self.doc_details.open = !self.doc_details.open,
            CommandId::NewDocument => self.new_document.start(None),
            CommandId::Import => self.import.open = true,
            CommandId::Export => self.export.open = true,
            CommandId::Settings => self.settings.open = !self.settings.open,
            CommandId::MergeProjects => self.merge.open = true,
            CommandId::Find => self.find.start(false),
            CommandId::FindInProject => self.find.start(true),
            CommandId::Suggestions => self.suggestions.open = !self.suggestions.open,
            CommandId::Palette => self.palette.open = !self.palette.open,
            CommandId::KeyboardHelp => self.keyboard_help = !self.keyboard_help,
            CommandId::Dashboard => self.dashboard.open = !self.dashboard.open,
            CommandId::Curation => self.curation.open = !self.curation.open,
            CommandId::NextDisagreement => self.curation.next_disagreement(&self.ws),
            CommandId::NextConflict => self.curation.step_conflict(&self.ws, true),
            CommandId::PrevConflict => self.curation.step_conflict(&self.ws, false),
        }
    }

    /// Text size one step up (`steps` 1), down (-1), or back to the default (0). A step is a fixed number
    /// of points, so zooming in and out again lands exactly where it started.
    fn zoom(&mut self, steps: i8) {
        self.view.font_size = if steps == 0 {
            DEFAULT_FONT_SIZE
        } else {
            (self.view.font_size + f32::from(steps) * ZOOM_STEP).clamp(MIN_FONT_SIZE, MAX_FONT_SIZE)
        };
        self.prefs.font_size = self.view.font_size;
        self.ws.message = format!("Text size {} pt", self.view.font_size);
    }

    /// The text size in points (tests check that zooming is undone exactly).
    pub fn font_size(&self) -> f32 {
        self.view.font_size
    }

    /// Writes the recovery file on a background thread a few seconds after a change.
    fn autosave(&mut self, ctx: &egui::Context) {
        let finished = match self.autosave_done.as_ref().map(Job::poll) {
            Some(Poll::Done(result)) => Some(result),
            Some(Poll::Lost) => Some(Err("the autosave stopped on an internal error".into())),
            Some(Poll::Running) | None => None,
        };
        if let Some(result) = finished {
            self.autosave_done = None;
            match result {
                // Saved meanwhile: the recovery file written from an older copy is not needed.
                Ok(()) if !self.ws.session.is_dirty() => self.ws.remove_recovery(),
                Ok(()) => {}
                Err(err) => self.ws.message = format!("Autosave failed: {err}"),
            }
        }
        if self.ws.session.is_dirty() {
            ctx.request_repaint_after(super::workspace::AUTOSAVE_DELAY);
        } else if self.autosave_done.is_none() {
            self.ws.drop_stale_recovery();
        }
        if self.autosave_done.is_none()
            && let Some(job) = self.ws.session.autosave_job(Instant::now())
        {
            self.autosave_done = Some(Job::spawn("autosave", move |_| job.write()));
        }
    }

    /// Title bar, and the unsaved-changes question when the window is being closed.
    fn window_state(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if title != self.shown_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.shown_title = title;
        }
        if ctx.input(|i| i.viewport().close_requested()) && self.ws.session.is_dirty() && !self.ws.quit_confirmed {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.intents.push(Intent::Run(CommandId::Quit));
        }
    }
}

impl eframe::App for FactmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(text) = self.prefs.to_stored() {
            storage.set_string(prefs::KEY, text);
        }
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        self.quit();
    }
}

impl FactmarkApp {
    /// A clean quit: waits briefly for an autosave still being written, then removes the recovery file
    /// if nothing is unsaved, so the next start offers nothing to restore.
    pub fn quit(&mut self) {
        if let Some(job) = self.autosave_done.take() {
            let _written = job.wait_timeout(std::time::Duration::from_secs(5));
        }
        self.ws.drop_stale_recovery();
    }
}

/// The document text size when nothing was chosen, in points.
pub const DEFAULT_FONT_SIZE: f32 = 16.0;
/// How much one zoom step changes the text size, in points.
const ZOOM_STEP: f32 = 2.0;
/// The smallest text size zooming goes to.
pub const MIN_FONT_SIZE: f32 = 8.0;
/// The largest text size zooming goes to.
pub const MAX_FONT_SIZE: f32 = 40.0;
