//! The status bar: counts and the last message or error.

use crate::model::Project;

/// Draws the bar.
pub fn show(ui: &mut egui::Ui, project: &Project, message: &str) {
    ui.horizontal(|ui| {
        ui.label(format!("{} documents · {} spans", project.documents.len(), project.span_count()));
        ui.separator();
        ui.label(message);
    });
}
