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
mod documents;
mod find_bar;
mod intent;
mod menu_bar;
mod merge_dialog;
mod prefs;
mod schema_editor;
mod settings;
mod side_panel;
mod status_bar;
mod suggest_panel;
mod transfer;
pub mod workspace;

use std::path::PathBuf;

pub use app::FactmarkApp;
pub use doc_view::DocView;
pub use intent::{Intent, UnsavedAnswer};
pub use prefs::{Preferences, ThemeChoice};
pub use schema_editor::{key_conflict, reserved_keys};

/// Where the bundled sample project lives.
pub fn sample_project_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/saves/sample.ron"))
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
            let path = project_path.or_else(|| prefs.last_project().cloned()).unwrap_or_else(sample_project_path);
            creation.egui_ctx.set_theme(prefs.theme.preference());
            Ok(Box::new(FactmarkApp::from_path(&path).with_preferences(prefs, true)))
        }),
    )
    .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
