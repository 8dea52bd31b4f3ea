//! The document list: title, status and span counts per label, coloured like the labels.

use crate::model::Project;

use super::doc_view::label_color;
use super::intent::Intent;

/// Draws the list; clicking a title asks to show that document.
pub fn show(ui: &mut egui::Ui, project: &Project, selected: Option<usize>, intents: &mut Vec<Intent>) {
    ui.heading("Documents");
    ui.separator();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        for (index, doc) in project.documents.iter().enumerate() {
            let row = ui.selectable_label(selected == Some(index), egui::RichText::new(&doc.title).strong());
            if row.clicked() {
                intents.push(Intent::SelectDocument(index));
            }
            ui.horizontal_wrapped(|ui| {
                ui.weak(doc.status.as_str());
                for label in &project.schema.labels {
                    let count = doc.spans.iter().filter(|s| s.label == label.name).count();
                    ui.colored_label(label_color(label.color), format!("{} {count}", label.name));
                }
            });
            ui.add_space(6.0);
        }
    });
}
