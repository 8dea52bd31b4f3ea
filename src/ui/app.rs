//! The app state and the frame: panels laid out, intents applied after drawing.

use std::path::{Path, PathBuf};

use crate::model::Project;
use crate::store;

use super::intent::Intent;
use super::{doc_list, doc_view, status_bar};

/// The whole app state, constructible without a window so tests can drive it.
pub struct FactmarkApp {
    project: Project,
    path: Option<PathBuf>,
    selected: Option<usize>,
    /// The last message or error, shown in the status bar.
    message: String,
    intents: Vec<Intent>,
}

impl FactmarkApp {
    /// An app showing `project`, which was loaded from `path` (if any).
    pub fn new(project: Project, path: Option<PathBuf>) -> FactmarkApp {
        let selected = (!project.documents.is_empty()).then_some(0);
        let message = path.as_ref().map_or_else(String::new, |p| format!("Opened {}", p.display()));
        FactmarkApp { project, path, selected, message, intents: Vec::new() }
    }

    /// Loads the project at `path`. A file that cannot be loaded leaves an empty project and the error
    /// (naming the file and the problem) in the status bar; the file itself is not touched.
    pub fn from_path(path: &Path) -> FactmarkApp {
        match store::load(path) {
            Ok(project) => FactmarkApp::new(project, Some(path.to_path_buf())),
            Err(err) => {
                let mut app = FactmarkApp::new(Project::new("(no project)"), None);
                app.message = format!("Could not open {err}");
                app
            }
        }
    }

    /// The window title: the project name.
    pub fn window_title(&self) -> String {
        format!("factmark — {}", self.project.name)
    }

    /// The project shown.
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Index of the document shown, if any.
    pub fn selected(&self) -> Option<usize> {
        self.selected
    }

    /// The status bar's message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Draws the whole window, then applies what the views asked for.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("project_bar").show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.heading(&self.project.name);
                if let Some(path) = &self.path {
                    ui.weak(path.display().to_string());
                }
            });
        });
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            status_bar::show(ui, &self.project, &self.message);
        });
        egui::Panel::left("documents").default_size(320.0).resizable(true).show(ui, |ui| {
            doc_list::show(ui, &self.project, self.selected, &mut self.intents);
        });
        egui::CentralPanel::default().show(ui, |ui| match self.selected.and_then(|i| self.project.documents.get(i)) {
            Some(doc) => doc_view::show(ui, &self.project, doc),
            None => {
                ui.label("No document selected. Import articles with `factmark import`.");
            }
        });
        self.apply_intents();
    }

    fn apply_intents(&mut self) {
        for intent in std::mem::take(&mut self.intents) {
            match intent {
                Intent::SelectDocument(index) if index < self.project.documents.len() => {
                    self.selected = Some(index);
                }
                Intent::SelectDocument(_) => {}
            }
        }
    }
}

impl eframe::App for FactmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }
}
