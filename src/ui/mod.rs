//! The desktop app. Views read the model and push [`Intent`]s; [`FactmarkApp`] applies them after the
//! frame, so no view changes the project itself and every change goes through the core's edits.

mod app;
mod doc_list;
mod doc_view;
mod intent;
mod status_bar;

use std::path::PathBuf;

pub use app::FactmarkApp;
pub use intent::Intent;

/// Where the bundled sample project lives.
pub fn sample_project_path() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/saves/sample.ron"))
}

/// Opens the window on `project_path` (or the bundled sample) and runs until it is closed.
pub fn run(project_path: Option<PathBuf>) -> anyhow::Result<()> {
    let path = project_path.unwrap_or_else(sample_project_path);
    let app = FactmarkApp::from_path(&path);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title(app.window_title())
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([640.0, 400.0]),
        ..Default::default()
    };
    eframe::run_native("factmark", options, Box::new(move |_creation| Ok(Box::new(app))))
        .map_err(|e| anyhow::anyhow!("could not open the window: {e}"))
}
