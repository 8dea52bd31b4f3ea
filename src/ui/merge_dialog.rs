//! File → Merge projects: several annotators' copies of a project combined into a new file (documents
//! matched by their text, every span kept), then opened. The merge is the session's workflow
//! ([`crate::session::merge_files`]), run on a worker thread; the command line runs the same one, so both
//! report the same.

use std::path::PathBuf;

use crate::session::job::{Job, Poll};
use crate::session::merge_files::{MergeFilesError, MergeOutcome, MergeRequest, merge_files, report_text};

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
    running: Option<Job<Result<MergeOutcome, MergeFilesError>>>,
    edge: super::dialogs::OpenEdge,
}

impl MergeDialog {
    /// Takes the merge's result when it has arrived.
    fn poll(&mut self) {
        let Some(job) = &self.running else { return };
        let result = match job.poll() {
            Poll::Running => return,
            Poll::Done(result) => result,
            Poll::Lost => {
                self.report = "The merge stopped on an internal error; nothing was written.".into();
                self.running = None;
                return;
            }
        };
        self.running = None;
        match result {
            Ok(outcome) => {
                self.report = report_text(&outcome.report, &outcome.out);
                self.merged = Some(outcome.out);
            }
            Err(err) => {
                self.report = err.to_string();
                self.merged = None;
            }
        }
    }

    /// Draws the window when open.
    pub fn show(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) {
        let opening = self.edge.opening(self.open);
        if !self.open {
            return;
        }
        self.poll();
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
            let ready = inputs.len() >= 2 && !self.out.trim().is_empty() && self.running.is_none();
            ui.horizontal(|ui| {
                if ui.add_enabled(ready, egui::Button::new("Merge")).clicked() {
                    let request = MergeRequest { out: PathBuf::from(self.out.trim()), inputs, replace: false };
                    self.report.clear();
                    self.merged = None;
                    self.running = Some(Job::spawn("merging projects", move |p| merge_files(&request, p)));
                }
                if let Some(job) = &self.running {
                    let (done, total) = job.progress().get();
                    ui.spinner();
                    ui.label(format!("Reading {done} of {} files…", total.saturating_sub(1)));
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
        if self.running.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(50));
        }
        if !open || !self.open {
            if let Some(job) = &self.running {
                // Closing the window stops a merge that has not written yet.
                job.progress().cancel();
            }
            *self = MergeDialog::default();
        }
    }
}
