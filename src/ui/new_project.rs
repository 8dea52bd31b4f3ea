//! File → New project: the label schema to start with (fact vs opinion, or attribution), then an empty
//! project. Unsaved changes in the open project are asked about first, as for any project switch.

use crate::model::SchemaPreset;

use super::intent::Intent;

/// The New project window's state.
#[derive(Default)]
pub struct NewProjectDialog {
    /// Whether it is showing.
    pub open: bool,
    preset: SchemaPreset,
}

impl NewProjectDialog {
    /// Draws the window when open; Enter or "Create" starts the project.
    pub fn show(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) {
        if !self.open {
            return;
        }
        let mut create = ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Enter));
        let modal = egui::Modal::new(egui::Id::unique("new_project")).show(ctx, |ui| {
            ui.heading("New project");
            ui.label("Start with the labels of:");
            for preset in SchemaPreset::ALL {
                ui.radio_value(&mut self.preset, preset, preset.title());
            }
            let schema = self.preset.schema();
            let names: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
            ui.weak(format!("Labels: {}. Edit → Label schema… changes them later.", names.join(", ")));
            ui.horizontal(|ui| {
                create |= ui.button("Create").clicked();
                if ui.button("Cancel").clicked() {
                    self.open = false;
                }
            });
        });
        if create {
            intents.push(Intent::NewProject(self.preset));
            self.open = false;
        }
        if modal.should_close() {
            self.open = false;
        }
    }
}
