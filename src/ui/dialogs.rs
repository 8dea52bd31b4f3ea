//! Modal questions (unsaved changes, file changed on disk, recovered work) and the Open / Save-as dialog.
//!
//! The native file dialog (rfd, through the XDG portal) runs on its own thread so the window keeps
//! drawing. Without a portal it returns nothing at once; the in-app path field is always there as well.

use std::path::PathBuf;

use crate::session::job::{Job, Poll};

use super::commands::{Menu, commands};
use super::intent::{Intent, UnsavedAnswer};
use super::workspace::{Pending, Prompt, Workspace};

/// Tells the frame in which a window opens, so its first text field can take the keyboard then (and only
/// then: asking every frame would steal it back from the window's other fields).
#[derive(Default)]
pub struct OpenEdge {
    was_open: bool,
}

impl OpenEdge {
    /// Whether the window is open now and was not in the last frame.
    pub fn opening(&mut self, open: bool) -> bool {
        let opening = open && !self.was_open;
        self.was_open = open;
        opening
    }
}

/// The largest size a window may take: the app's area less a margin, so that on a small screen every
/// window fits and scrolls its content instead of running off the edge.
pub fn fit_on_screen(ctx: &egui::Context) -> egui::Vec2 {
    (ctx.content_rect().size() - egui::vec2(24.0, 48.0)).max(egui::vec2(200.0, 150.0))
}

/// A window no larger than the screen: every window of the app is made here. Windows with long content
/// add `vscroll(true)` (or scroll areas of their own inside): a scrolling egui window takes its largest
/// size instead of its content's, which leaves short dialogs half empty.
pub fn window(title: &'static str, ctx: &egui::Context) -> egui::Window<'static> {
    egui::Window::new(title).max_size(fit_on_screen(ctx))
}

/// How soon a system file dialog that answers "nothing picked" is taken to have never appeared: no person
/// cancels a file chooser this fast, but rfd answers at once when no XDG portal is running.
pub const NO_PORTAL_WITHIN: std::time::Duration = std::time::Duration::from_millis(400);

/// The line shown when the system file dialog did not appear.
pub const NO_PORTAL_MESSAGE: &str =
    "No system file dialog appeared (no file-chooser portal is running): type or paste the path here.";

/// Draws the workspace's pending question, if any.
pub fn prompt(ctx: &egui::Context, ws: &Workspace, intents: &mut Vec<Intent>) {
    let Some(prompt) = &ws.prompt else { return };
    egui::Modal::new(egui::Id::unique("prompt")).show(ctx, |ui| {
        ui.set_max_width(460.0);
        match prompt {
            Prompt::Unsaved { then } => {
                ui.heading("Save changes?");
                let what = match then {
                    Pending::Open(_) => "opening another project",
                    Pending::New(_) => "starting a new project",
                    Pending::Quit => "closing",
                };
                ui.label(format!("{} has unsaved changes. Save them before {what}?", ws.session.project().name));
                ui.horizontal(|ui| {
                    for (text, answer) in [
                        ("Save", UnsavedAnswer::Save),
                        ("Discard", UnsavedAnswer::Discard),
                        ("Cancel", UnsavedAnswer::Cancel),
                    ] {
                        if ui.button(text).clicked() {
                            intents.push(Intent::Unsaved(answer));
                        }
                    }
                });
            }
            Prompt::DiskChanged { path } => {
                ui.heading("File changed on disk");
                ui.label(format!(
                    "{} was changed by another program since it was opened. Overwrite it with your version?",
                    path.display()
                ));
                ui.horizontal(|ui| {
                    if ui.button("Overwrite").clicked() {
                        intents.push(Intent::OverwriteChanged(true));
                    }
                    if ui.button("Keep the file on disk").clicked() {
                        intents.push(Intent::OverwriteChanged(false));
                    }
                });
            }
            Prompt::DeleteDocument { title } => {
                ui.heading("Delete document?");
                ui.label(format!("“{title}” and all its spans will be removed (Undo brings them back)."));
                ui.horizontal(|ui| {
                    if ui.button("Delete").clicked() {
                        intents.push(Intent::ConfirmDelete(true));
                    }
                    if ui.button("Keep it").clicked() {
                        intents.push(Intent::ConfirmDelete(false));
                    }
                });
            }
            Prompt::UnreviewedDone { unreviewed } => {
                ui.heading("Spans not reviewed");
                ui.label(format!("{unreviewed} span(s) of this document are not reviewed yet. Mark it done anyway?"));
                ui.horizontal(|ui| {
                    if ui.button("Mark done").clicked() {
                        intents.push(Intent::ConfirmDone(true));
                    }
                    if ui.button("Go on reviewing").clicked() {
                        intents.push(Intent::ConfirmDone(false));
                    }
                });
            }
            Prompt::Recover { path } => {
                ui.heading("Restore unsaved work?");
                ui.label(format!(
                    "factmark did not close cleanly last time. {} holds work newer than the project file.",
                    path.display()
                ));
                // Keyboard answers, named on the buttons: Enter restores, Escape keeps the saved file.
                let (enter, escape) = ui.input_mut(|i| {
                    (
                        i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                        i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                    )
                });
                ui.horizontal(|ui| {
                    if ui.button("Restore (Enter)").clicked() || enter {
                        intents.push(Intent::Recover(true));
                    }
                    if ui.button("Keep the saved file (Esc)").clicked() || escape {
                        intents.push(Intent::Recover(false));
                    }
                });
            }
        }
    });
}

/// Which file the dialog asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileMode {
    /// A project to open.
    Open,
    /// Where to save the project.
    SaveAs,
}

/// The Open / Save-as dialog: a path field, with the native dialog tried alongside.
pub struct FileDialog {
    mode: FileMode,
    path: String,
    native: Option<(Job<Option<PathBuf>>, std::time::Instant)>,
    /// Whether the path field has been given the keyboard yet.
    focused: bool,
    /// Set when the system dialog answered too fast to have been shown.
    no_portal: bool,
}

impl FileDialog {
    /// Opens the dialog; with `native`, also starts the system file dialog on a thread.
    pub fn new(mode: FileMode, start: Option<PathBuf>, native: bool) -> FileDialog {
        let path = start.as_ref().map_or(String::new(), |p| p.display().to_string());
        let native = native.then(|| {
            let dir = start.as_ref().and_then(|p| p.parent().map(PathBuf::from));
            let job = Job::spawn("file dialog", move |_| {
                let mut dialog = rfd::FileDialog::new().add_filter("factmark project", &["ron"]);
                if let Some(dir) = dir {
                    dialog = dialog.set_directory(dir);
                }
                match mode {
                    FileMode::Open => dialog.pick_file(),
                    FileMode::SaveAs => dialog.save_file(),
                }
            });
            (job, std::time::Instant::now())
        });
        FileDialog { mode, path, native, focused: false, no_portal: false }
    }

    /// Draws the dialog. Returns `false` once it is finished (a path chosen or cancelled).
    pub fn show(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) -> bool {
        let answer = match self.native.as_ref().map(|(job, started)| (job.poll(), started)) {
            Some((Poll::Done(picked), started)) => Some((picked, *started)),
            // The system dialog's thread died: no answer is coming; the path field still works.
            Some((Poll::Lost, started)) => Some((None, *started)),
            Some((Poll::Running, _)) | None => None,
        };
        if let Some((picked, started)) = answer {
            let quick = started.elapsed() < NO_PORTAL_WITHIN;
            self.native = None;
            if let Some(path) = picked {
                intents.push(self.intent(path));
                return false;
            }
            if quick {
                self.no_portal = true;
                self.focused = false;
            }
        }
        let mut open = true;
        let title = match self.mode {
            FileMode::Open => "Open project",
            FileMode::SaveAs => "Save project as",
        };
        let modal = egui::Modal::new(egui::Id::unique("file_dialog")).show(ctx, |ui| {
            ui.heading(title);
            if self.native.is_some() {
                ui.weak("A system file dialog is open; or type a path here.");
                ctx.request_repaint_after(std::time::Duration::from_millis(200));
            }
            if self.no_portal {
                ui.colored_label(ui.visuals().warn_fg_color, NO_PORTAL_MESSAGE);
            }
            if self.mode == FileMode::SaveAs {
                ui.weak("A name ending in .ron saves one file; .factmark saves a project folder (a file per document, for teams sharing work through git).");
            }
            let label = ui.label("Path");
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.path).id_salt("file_dialog_path").desired_width(420.0))
                .labelled_by(label.id);
            if !self.focused {
                self.focused = true;
                field.request_focus();
            }
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                let ok = ui.button(if self.mode == FileMode::Open { "Open" } else { "Save" }).clicked();
                if (ok || enter) && !self.path.trim().is_empty() {
                    intents.push(self.intent(PathBuf::from(self.path.trim())));
                    open = false;
                }
                if ui.button("Cancel").clicked() {
                    open = false;
                }
            });
        });
        open && !modal.should_close()
    }

    fn intent(&self, path: PathBuf) -> Intent {
        match self.mode {
            FileMode::Open => Intent::Open(path),
            // A name ending in .factmark is a project folder; anything else becomes a .ron file.
            FileMode::SaveAs if crate::store::folder::is_folder(&path) => Intent::SaveAs(path),
            FileMode::SaveAs => Intent::SaveAs(path.with_extension("ron")),
        }
    }
}

/// The keyboard help: every shortcut from the command list, plus the keys handled by the text view.
pub fn keyboard_help(ctx: &egui::Context, ws: &Workspace, open: &mut bool) {
    window("Keyboard shortcuts", ctx).open(open).resizable(true).vscroll(true).show(ctx, |ui| {
        egui::Grid::new("keys").striped(true).show(ui, |ui| {
            for (index, label) in ws.session.project().schema.labels.iter().enumerate() {
                let key = label.key.map_or_else(|| format!("(palette #{})", index + 1), |k| k.to_string());
                ui.label(key);
                ui.label(format!("Tag the selection as {} (or relabel the selected span)", label.name));
                ui.end_row();
            }
            for (keys, what) in [
                ("← → ↑ ↓", "Move the caret"),
                ("Shift + arrows", "Extend the selection"),
                ("Ctrl + ← →", "Move by a word"),
                ("Drag / double-click", "Select text / a word (snapped to words)"),
                ("Shift + click", "Extend the selection"),
                ("Page Up / Page Down", "Scroll the text by a page"),
                ("Home / End", "Go to the start / end of the document"),
                ("Mouse wheel", "Scroll three lines a notch"),
                ("↑ ↓ then Enter", "In the command palette: pick a command and run it"),
            ] {
                ui.label(keys);
                ui.label(what);
                ui.end_row();
            }
            for def in commands().iter().filter(|c| c.shortcut.is_some() && c.menu != Menu::Help) {
                ui.label(def.shortcut.map_or(String::new(), |s| ctx.format_shortcut(&s)));
                ui.label(def.name);
                ui.end_row();
            }
        });
    });
}
