//! File → Merge projects: several annotators' copies of a project combined into a new file (documents
//! matched by their text, every span kept), then opened. The merge is the command line's own
//! (`factmark merge`), so both report the same.

use std::path::PathBuf;

use crate::cli::{Command, MergeArgs};

use super::intent::Intent;

/// The merge window's state.
#[derive(Default)]
pub struct MergeDialog {
    /// Whether the window is showing.
    pub open: bool,
    inputs: String,
    out: String,
    report: String,
    merged: Option<PathBuf>,
    edge: super::dialogs::OpenEdge,
}

impl MergeDialog {
    /// Draws the window when open.
    pub fn show(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) {
        let opening = self.edge.opening(self.open);
        if !self.open {
            return;
        }
        let mut open = true;
        crate::ui::dialogs::window("Merge projects", ctx).open(&mut open).default_width(560.0).show(ctx, |ui| {
            ui.label("Each annotator's copy of the project, one file per line:");
            let label = ui.label("Projects to merge");
            let field = ui
                .add(
                    egui::TextEdit::multiline(&mut self.inputs)
                        .id_salt("merge_inputs")
                        .desired_rows(3)
                        .desired_width(520.0),
                )
                .labelled_by(label.id);
            if opening {
                field.request_focus();
            }
            let label = ui.label("Merged project (a new file)");
            ui.add(egui::TextEdit::singleline(&mut self.out).desired_width(520.0)).labelled_by(label.id);
            let inputs: Vec<PathBuf> =
                self.inputs.lines().map(str::trim).filter(|l| !l.is_empty()).map(PathBuf::from).collect();
            let ready = inputs.len() >= 2 && !self.out.trim().is_empty();
            ui.horizontal(|ui| {
                if ui.add_enabled(ready, egui::Button::new("Merge")).clicked() {
                    let out = PathBuf::from(self.out.trim());
                    let args = MergeArgs { out: out.clone(), inputs, force: false, json: false };
                    let mut text = Vec::new();
                    match crate::cli::run(Command::Merge(args), &mut text) {
                        Ok(()) => {
                            self.report = String::from_utf8_lossy(&text).into_owned();
                            self.merged = Some(out);
                        }
                        Err(err) => {
                            self.report = crate::cli::error_line(&err);
                            self.merged = None;
                        }
                    }
                }
                if let Some(path) = &self.merged
                    && ui.button("Open the merged project").clicked()
                {
                    intents.push(Intent::Open(path.clone()));
                }
            });
            if !self.report.is_empty() {
                egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                    ui.monospace(&self.report);
                });
            }
        });
        if !open || !self.open {
            *self = MergeDialog::default();
        }
    }
}
