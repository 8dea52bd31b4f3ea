//! The Import and Export dialogs. Both run the session's workflows ([`crate::session::import`],
//! [`crate::session::export`]) on a [`Job`] (reading many files or
//! writing a large dataset must not freeze the window), show what will happen before anything changes,
//! and can be cancelled.

use std::path::PathBuf;

use crate::formats::{self, DoccanoUnits, ExportOptions, Filter, Format, FormatChoice, StreamPlan};
use crate::import::{ArticleOptions, ImportError, ImportPlan};
use crate::model::{DocStatus, Project};
use crate::session::export::{self, ExportError, ExportOutcome, ExportPreview, ExportRequest};
use crate::session::import;
use crate::session::job::{Job, Poll};

use super::dialogs::{NO_PORTAL_MESSAGE, NO_PORTAL_WITHIN, OpenEdge};
use super::intent::Intent;
use super::workspace::LazyDocs;

/// The Import dialog.
#[derive(Default)]
pub struct ImportDialog {
    /// Whether the window is showing.
    pub open: bool,
    /// Whether "Browse…" may start the system file dialog (not in headless tests).
    pub native: bool,
    picking: Option<Job<Vec<PathBuf>>>,
    paths: String,
    /// Import the good lines of a JSONL file with bad ones (off unless the user ticks it).
    skip_bad_lines: bool,
    job: Option<Job<Option<ImportPlan>>>,
    plan: Option<ImportPlan>,
    edge: OpenEdge,
    /// When "Browse…" started the system dialog (an answer within moments means it never showed).
    browse_started: Option<std::time::Instant>,
    /// The system dialog did not appear: said in the window, and the path field takes the keyboard.
    no_portal: bool,
}

impl ImportDialog {
    /// Starts planning the import of the paths typed in (one per line) on a worker.
    fn preview(&mut self, project: &Project) {
        let paths: Vec<PathBuf> =
            self.paths.lines().map(str::trim).filter(|l| !l.is_empty()).map(PathBuf::from).collect();
        let project = project.clone();
        let options = ArticleOptions { skip_bad_lines: self.skip_bad_lines };
        self.plan = None;
        self.job = Some(Job::spawn("planning the import", move |p| import::plan(&project, &paths, options, p)));
    }

    /// Draws the dialog.
    pub fn show(&mut self, ctx: &egui::Context, project: &Project, intents: &mut Vec<Intent>) {
        let mut focus_paths = self.edge.opening(self.open);
        if !self.open {
            return;
        }
        if let Some(job) = &self.job {
            match job.poll() {
                Poll::Running => {}
                // A cancelled plan is nobody's: the dialog already let go of the job.
                Poll::Done(plan) => {
                    self.plan = plan;
                    self.job = None;
                }
                Poll::Lost => self.job = None,
            }
        }
        let mut open = true;
        // Files dropped on the window, or picked in the system dialog, join the list.
        let mut picked: Vec<PathBuf> = Vec::new();
        let answer = match self.picking.as_ref().map(Job::poll) {
            Some(Poll::Done(paths)) => Some(paths),
            // The system dialog's thread died: no answer is coming, so Browse… is offered again.
            Some(Poll::Lost) => Some(Vec::new()),
            Some(Poll::Running) | None => None,
        };
        if let Some(paths) = answer {
            let quick = self.browse_started.take().is_some_and(|t| t.elapsed() < NO_PORTAL_WITHIN);
            self.no_portal = paths.is_empty() && quick;
            focus_paths |= self.no_portal;
            picked = paths;
            self.picking = None;
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| i.raw.dropped_files.iter().map(|f| f.path().to_path_buf()).collect());
        for path in dropped.into_iter().chain(picked).filter(|p| !p.as_os_str().is_empty()) {
            if !self.paths.is_empty() && !self.paths.ends_with('\n') {
                self.paths.push('\n');
            }
            self.paths.push_str(&path.display().to_string());
        }
        crate::ui::dialogs::window("Import articles", ctx).open(&mut open).default_width(560.0).show(ctx, |ui| {
            ui.label("Files or folders to import (.txt, .md, .html, .jsonl), one per line — or drop them here:");
            if self.no_portal {
                ui.colored_label(ui.visuals().warn_fg_color, NO_PORTAL_MESSAGE);
            }
            let label = ui.label("Paths");
            let field = ui
                .add(
                    egui::TextEdit::multiline(&mut self.paths)
                        .id_salt("import_paths")
                        .desired_rows(3)
                        .desired_width(520.0),
                )
                .labelled_by(label.id);
            if focus_paths {
                field.request_focus();
            }
            let skip = ui.checkbox(&mut self.skip_bad_lines, "Skip bad JSONL lines").on_hover_text(
                "Import the good lines of a .jsonl file that has bad ones and list the bad lines; \
                 otherwise such a file is not imported at all",
            );
            if skip.changed() {
                // A preview made (or being made) with the other setting would import something else than
                // what the box now says.
                self.plan = None;
                if let Some(job) = self.job.take() {
                    job.progress().cancel();
                }
            }
            ui.horizontal(|ui| {
                if self.native && ui.add_enabled(self.picking.is_none(), egui::Button::new("Browse…")).clicked() {
                    // The system dialog runs on its own thread so the window keeps drawing.
                    self.picking = Some(Job::spawn("file dialog", |_| {
                        rfd::FileDialog::new()
                            .add_filter("articles", &["txt", "md", "html", "htm", "jsonl"])
                            .pick_files()
                            .unwrap_or_default()
                    }));
                    self.browse_started = Some(std::time::Instant::now());
                }
                let ready = self.job.is_none() && !self.paths.trim().is_empty();
                if ui.add_enabled(ready, egui::Button::new("Preview")).clicked() {
                    self.preview(project);
                }
                if let Some(job) = &self.job {
                    let (done, total) = job.progress().get();
                    let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
                    ui.add(
                        egui::ProgressBar::new(fraction).text(format!("{done} / {total} files")).desired_width(200.0),
                    );
                    if ui.button("Cancel").clicked() {
                        job.progress().cancel();
                        self.job = None;
                    }
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                }
            });
            if let Some(plan) = &self.plan {
                ui.separator();
                plan_summary(ui, plan);
                let count = plan.documents.len();
                let blocked = !plan.errors.is_empty();
                let bad_line = plan.errors.iter().any(|e| matches!(e, ImportError::BadLine { .. }));
                let button = egui::Button::new(format!("Import {count} document(s)"));
                if ui.add_enabled(count > 0 && !blocked, button).clicked()
                    && let Some(edit) = self.plan.take().and_then(ImportPlan::into_edit)
                {
                    intents.push(Intent::Edit(edit));
                    self.paths.clear();
                    self.open = false;
                }
                if blocked {
                    let hint = if bad_line && !self.skip_bad_lines {
                        "Fix or remove the broken files first, or tick “Skip bad JSONL lines” and preview again."
                    } else {
                        "Fix or remove the broken files first."
                    };
                    ui.colored_label(ui.visuals().error_fg_color, hint);
                }
            }
        });
        if !open {
            if let Some(job) = &self.job {
                job.progress().cancel();
            }
            *self = ImportDialog { native: self.native, ..ImportDialog::default() };
        }
    }
}

/// Skipped JSONL lines the import preview lists one by one.
const MAX_LISTED_LINES: usize = 100;

fn plan_summary(ui: &mut egui::Ui, plan: &ImportPlan) {
    egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
        for doc in &plan.documents {
            ui.label(format!("+ {} ({} chars)", doc.title, doc.char_len()));
            // Page furniture left out of the body, so nothing disappears unseen.
            if let Some(dropped) = plan.dropped.iter().find(|d| d.doc == doc.id) {
                let n = dropped.lines.len();
                ui.weak(format!("    left out {n} line(s) of page furniture:"));
                for line in dropped.lines.iter().take(MAX_LISTED_LINES) {
                    ui.weak(format!("      {:?} ({})", line.text, line.reason));
                }
                if n > MAX_LISTED_LINES {
                    ui.weak(format!("      and {} more", n - MAX_LISTED_LINES));
                }
            }
        }
        for skipped in &plan.skipped {
            ui.weak(format!("skipped {}: {}", skipped.path.display(), skipped.reason));
        }
        for dup in &plan.duplicates {
            ui.weak(format!("already in the project: {} ({})", dup.title, dup.path.display()));
        }
        // Labels past the first hundred would only slow every frame; their number says enough.
        for line in plan.skipped_lines.iter().take(MAX_LISTED_LINES) {
            ui.colored_label(ui.visuals().warn_fg_color, format!("skipped line {line}"));
        }
        if plan.skipped_lines.len() > MAX_LISTED_LINES {
            ui.weak(format!("and {} more skipped lines", plan.skipped_lines.len() - MAX_LISTED_LINES));
        }
        for err in &plan.errors {
            ui.colored_label(ui.visuals().error_fg_color, err.to_string());
        }
    });
}

/// The Export dialog.
pub struct ExportDialog {
    /// Whether the window is showing.
    pub open: bool,
    format: FormatChoice,
    out: String,
    statuses: Vec<DocStatus>,
    annotator: String,
    accepted_only: bool,
    units: DoccanoUnits,
    job: Option<Job<Result<ExportPreview, ExportError>>>,
    prepared: Option<ExportPreview>,
    /// The files being written, on a thread (a brat export is two files per document).
    writing: Option<Job<Result<ExportOutcome, ExportError>>>,
    result: String,
    /// The report of the last export written.
    report: String,
    /// Annotator names for the filter, with the (documents, spans) they were collected at: collecting
    /// them walks every span of the project, which is not work for every frame.
    annotators: Option<((usize, usize), Vec<String>)>,
    edge: OpenEdge,
    /// Set in the frame the window opens: the path field takes the keyboard.
    focus_out: bool,
}

impl Default for ExportDialog {
    fn default() -> Self {
        ExportDialog {
            open: false,
            format: FormatChoice::One(Format::Doccano),
            out: String::new(),
            statuses: Vec::new(),
            annotator: String::new(),
            accepted_only: false,
            units: DoccanoUnits::Utf16,
            job: None,
            prepared: None,
            writing: None,
            result: String::new(),
            report: String::new(),
            annotators: None,
            edge: OpenEdge::default(),
            focus_out: false,
        }
    }
}

impl ExportDialog {
    /// Draws the dialog for the workspace's project.
    pub fn show_for(&mut self, ctx: &egui::Context, ws: &super::workspace::Workspace) {
        // The project as messages name it: its file, else its name (only worked out while the window shows).
        let project_name = match (ws.session.path(), self.open) {
            (_, false) => String::new(),
            (Some(path), true) => path.display().to_string(),
            (None, true) => ws.session.project().name.clone(),
        };
        let lazy = ws.session.lazy().map(|l| (l, ws.session.is_dirty()));
        self.show(ctx, ws.session.project(), &project_name, lazy);
    }

    fn request(&self) -> ExportRequest {
        ExportRequest {
            out: PathBuf::from(self.out.trim()),
            format: self.format,
            filter: Filter {
                labels: None,
                statuses: (!self.statuses.is_empty()).then(|| self.statuses.clone()),
                annotator: (!self.annotator.is_empty()).then(|| self.annotator.clone()),
                accepted_only: self.accepted_only,
            },
            options: ExportOptions { doccano_units: self.units, ..Default::default() },
        }
    }

    fn start(&mut self, project: &Project, name: String) {
        let project = project.clone();
        let request = self.request();
        self.prepared = None;
        self.job = Some(Job::spawn("building the export", move |p| export::preview(&project, &name, &request, p)));
    }

    /// Draws the dialog.
    ///
    /// A large folder open one document at a time (`lazy`) exports from its saved files, a batch of
    /// documents at a time, with no preview: the whole project never has to be in memory.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        project: &Project,
        project_name: &str,
        lazy: Option<(&LazyDocs, bool)>,
    ) {
        self.focus_out = self.edge.opening(self.open);
        if !self.open {
            return;
        }
        if let Some(job) = &self.job {
            match job.poll() {
                Poll::Running => {}
                Poll::Done(Ok(prepared)) => {
                    self.prepared = Some(prepared);
                    self.job = None;
                }
                Poll::Done(Err(err)) => {
                    self.result = err.to_string();
                    self.job = None;
                }
                Poll::Lost => {
                    self.result = "The export stopped on an internal error; nothing was written.".into();
                    self.job = None;
                }
            }
        }
        let mut open = true;
        crate::ui::dialogs::window("Export dataset", ctx).open(&mut open).default_width(560.0).show(ctx, |ui| {
            self.options(ui, project);
            // Wrapped: the reason a large project cannot export a format is a sentence, not a button.
            ui.horizontal_wrapped(|ui| {
                let ready = self.job.is_none() && self.writing.is_none() && !self.out.trim().is_empty();
                if let Some((lazy, dirty)) = lazy {
                    let why_not = dirty.then_some("Save first: a project this large is exported from its saved files.");
                    // The JSONL formats are written a batch of documents at a time; the others need the whole
                    // project, which the export reads from the saved files while it runs (as the command does).
                    let whole = !matches!(self.format, FormatChoice::One(format) if StreamPlan::streams(format));
                    if ui.add_enabled(ready && why_not.is_none(), egui::Button::new("Export")).clicked() {
                        let (index, name, request) = (lazy.index().clone(), project_name.to_string(), self.request());
                        self.result.clear();
                        self.report.clear();
                        self.writing = Some(Job::spawn("exporting the folder", move |p| {
                            export::export_folder(&index, &name, &request, p)
                        }));
                    }
                    if let Some(why) = why_not {
                        ui.label(why);
                    } else if whole {
                        ui.label(
                            "This format needs the whole project at once: it is read from the saved files while the \
                             export runs (doccano, doccano-rel, spaCy and Prodigy are written a batch at a time).",
                        );
                    }
                    return;
                }
                if ui.add_enabled(ready, egui::Button::new("Preview")).clicked() {
                    self.result.clear();
                    self.report.clear();
                    self.start(project, project_name.to_string());
                }
                if self.job.is_some() {
                    ui.spinner();
                    ctx.request_repaint_after(std::time::Duration::from_millis(100));
                }
            });
            if let Some(job) = &self.writing {
                let message = match job.poll() {
                    Poll::Running => None,
                    Poll::Done(Ok(outcome)) => {
                        self.report = export::report_text(&outcome);
                        Some(format!("Wrote {} file(s)", export::file_count(&outcome)))
                    }
                    Poll::Done(Err(err)) => Some(format!("Nothing written: {err}")),
                    Poll::Lost => Some("The export stopped on an internal error; nothing was written.".into()),
                };
                if let Some(message) = message {
                    self.writing = None;
                    self.result = message;
                }
            }
            if self.writing.is_some() {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label("Writing…");
                });
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
            }
            if let Some(prepared) = &self.prepared {
                preview(ui, prepared);
                if ui.button("Write files").clicked()
                    && let Some(prepared) = self.prepared.take()
                {
                    self.writing = Some(Job::spawn("writing the export", move |_| export::write_preview(prepared)));
                }
            }
            if !self.result.is_empty() {
                ui.label(&self.result);
            }
            if !self.report.is_empty() {
                // What was written where, as the command line reports it.
                egui::ScrollArea::vertical().id_salt("export_report").max_height(160.0).show(ui, |ui| {
                    ui.monospace(&self.report);
                });
            }
        });
        if !open {
            self.open = false;
            self.prepared = None;
            self.report.clear();
        }
    }

    fn options(&mut self, ui: &mut egui::Ui, project: &Project) {
        let name = |choice: FormatChoice| match choice {
            FormatChoice::One(format) => format.as_str(),
            FormatChoice::All => "all (every format, into a folder)",
        };
        egui::ComboBox::from_label("Format").selected_text(name(self.format)).show_ui(ui, |ui| {
            for choice in Format::ALL.into_iter().map(FormatChoice::One).chain([FormatChoice::All]) {
                ui.selectable_value(&mut self.format, choice, name(choice));
            }
        });
        let label = ui.label("Write to (a file; a folder for brat, csv and all)");
        let field = ui
            .add(egui::TextEdit::singleline(&mut self.out).id_salt("export_out").desired_width(480.0))
            .labelled_by(label.id);
        if std::mem::take(&mut self.focus_out) {
            field.request_focus();
        }
        ui.horizontal_wrapped(|ui| {
            ui.label("Only documents that are:");
            for status in [DocStatus::Todo, DocStatus::InProgress, DocStatus::NeedsReview, DocStatus::Done] {
                let mut on = self.statuses.contains(&status);
                if ui.checkbox(&mut on, status.as_str()).changed() {
                    if on {
                        self.statuses.push(status);
                    } else {
                        self.statuses.retain(|s| *s != status);
                    }
                }
            }
        });
        let size = (project.documents.len(), project.documents.iter().map(|d| d.spans.len()).sum());
        if self.annotators.as_ref().is_none_or(|(at, _)| *at != size) {
            let names: std::collections::BTreeSet<&str> =
                project.documents.iter().flat_map(|d| d.spans.iter().map(|s| s.annotator.as_str())).collect();
            self.annotators = Some((size, names.into_iter().filter(|n| !n.is_empty()).map(String::from).collect()));
        }
        let shown = if self.annotator.is_empty() { "everyone".to_string() } else { self.annotator.clone() };
        let names = self.annotators.as_ref().map(|(_, names)| names.as_slice()).unwrap_or_default();
        egui::ComboBox::from_label("Spans by").selected_text(shown).show_ui(ui, |ui| {
            ui.selectable_value(&mut self.annotator, String::new(), "everyone");
            for name in names {
                ui.selectable_value(&mut self.annotator, name.clone(), name);
            }
        });
        ui.checkbox(&mut self.accepted_only, "Only spans a reviewer accepted");
        if matches!(self.format, FormatChoice::All | FormatChoice::One(Format::Doccano | Format::DoccanoRel)) {
            ui.horizontal(|ui| {
                ui.label("doccano offsets in");
                ui.radio_value(&mut self.units, DoccanoUnits::Utf16, "UTF-16 units (doccano's own)");
                ui.radio_value(&mut self.units, DoccanoUnits::Chars, "characters");
            });
        }
    }
}

fn preview(ui: &mut egui::Ui, prepared: &ExportPreview) {
    let prepared = &prepared.outcome;
    ui.separator();
    let several = prepared.exports.len() > 1;
    if let Some((_, _, first)) = prepared.exports.first() {
        let s = &first.summary;
        ui.label(format!("{} documents, {} spans, {} relations", s.documents, s.spans, s.relations));
    }
    for (count, reason) in &prepared.left_out {
        ui.weak(format!("left out {count} {reason}"));
    }
    for (format, _, export) in &prepared.exports {
        let tag = if several { format!(" ({format})") } else { String::new() };
        for (count, reason) in &export.summary.dropped {
            ui.weak(format!("left out {count} {reason}{tag}"));
        }
        for (count, what) in &export.summary.warnings {
            ui.weak(format!("note: {count} {what}{tag}"));
        }
    }
    let files: Vec<&formats::OutputFile> = prepared.exports.iter().flat_map(|(_, _, e)| &e.files).collect();
    if let Some(first) = files.first() {
        ui.label(format!("{} file(s); the first is {}:", files.len(), first.path.display()));
        let head: String = String::from_utf8_lossy(&first.bytes).lines().take(4).collect::<Vec<_>>().join("\n");
        let head: String = head.chars().take(1200).collect();
        egui::ScrollArea::vertical().max_height(160.0).show(ui, |ui| {
            ui.monospace(head);
        });
    }
}
