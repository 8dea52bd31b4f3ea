//! The desktop app. Views read the workspace and push [`Intent`]s; [`FactmarkApp`] applies them after the
//! frame, so no view changes the project itself and every change goes through the core's edits. Menus,
//! shortcuts and the command palette all come from the one list in [`commands`].

mod app;
pub mod bench;
pub mod commands;
pub mod curation;
pub mod dashboard;
mod dialogs;
mod doc_list;
mod doc_view;
mod document_windows;
mod find_bar;
mod import_export_dialogs;
mod llm_panel;
mod menu_bar;
mod merge_dialog;
mod new_project;
mod palette;
mod prefs;
mod schema_editor;
mod settings_and_guidelines;
mod side_panel;
mod status_bar;
mod suggest_panel;

use std::path::PathBuf;

use crate::session::intent;
pub use crate::session::workspace;
pub use app::FactmarkApp;
pub use doc_view::{DocView, LINE_HEIGHT, LINE_HEIGHT_WITH_RELATIONS};
pub use intent::{Intent, UnsavedAnswer};
pub use prefs::{Preferences, ThemeChoice};

/// The sample project in the source tree. Only tests and scripts use it: the app itself carries the
/// sample inside the binary ([`SAMPLE_PROJECT`]), so a binary copied elsewhere or installed with
/// `cargo install` still has it and never writes into a source tree.
pub fn sample_project_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/saves/sample.ron"))
}

/// The bundled sample project, built into the binary.
pub const SAMPLE_PROJECT: &str = include_str!("../../saves/sample.ron");

/// The app on the sample project when no project is named and none was open before: the user's own copy
/// `sample.ron` in `data_dir` (the app's data folder), written from the bundled sample the first time and
/// never overwritten after, so work done in it is kept. Without a data folder that can be written, the
/// sample opens as an unsaved project, and File → Save as… keeps it wherever the user chooses.
pub fn open_sample_in(data_dir: Option<&std::path::Path>) -> FactmarkApp {
    let copy = data_dir.map(|dir| dir.join("sample.ron"));
    let written = copy.as_ref().map(|path| {
        if path.exists() {
            return Ok(());
        }
        std::fs::create_dir_all(path.parent().unwrap_or(std::path::Path::new(".")))
            .and_then(|()| crate::store::write_atomic(path, SAMPLE_PROJECT.as_bytes()))
    });
    match (copy, written) {
        (Some(path), Some(Ok(()))) => FactmarkApp::from_path(&path),
        (copy, written) => {
            let why = match (copy, written) {
                (Some(path), Some(Err(err))) => format!("{} could not be written: {err}", path.display()),
                _ => "there is no data folder to keep it in".to_string(),
            };
            match crate::store::from_bytes(std::path::Path::new("sample.ron"), SAMPLE_PROJECT.as_bytes()) {
                Ok(project) => {
                    let mut app = FactmarkApp::new(project, None);
                    app.push(Intent::Message(format!(
                        "The bundled sample is open unsaved ({why}); File → Save as… keeps your work"
                    )));
                    app
                }
                Err(err) => {
                    let mut app = FactmarkApp::new(crate::model::Project::new("(no project)"), None);
                    app.push(Intent::Message(format!("The bundled sample does not load: {err}")));
                    app
                }
            }
        }
    }
}

/// Opens the window on `project_path`, else the last project opened, else the bundled sample, and runs
/// until it is closed.
pub fn run(project_path: Option<PathBuf>) -> anyhow::Result<()> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("factmark")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native(
        "factmark",
        options,
        Box::new(move |creation| {
            let prefs = Preferences::from_stored(creation.storage.and_then(|s| s.get_string(prefs::KEY)));
            let app = match project_path.or_else(|| prefs.last_project().cloned()) {
                Some(path) => FactmarkApp::from_path(&path),
                None => open_sample_in(eframe::storage_dir("factmark").as_deref()),
            };
            creation.egui_ctx.set_theme(prefs.theme.preference());
            Ok(Box::new(app.with_preferences(prefs, true)))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
