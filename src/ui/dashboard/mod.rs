//! The project dashboard: progress by status, spans per label and per annotator, the label mix and span
//! density per document, and agreement per label — as plots, with the figures named for screen readers.
//!
//! The figures come from [`crate::analysis::stats`] and [`crate::analysis::agreement`]. Agreement
//! tokenizes every document, which takes about a second on a thousand articles, so both are computed on a
//! worker thread from a copy of the project when the window opens or the project has changed since; the
//! window keeps showing the last figures (marked as updating) until the new ones arrive.

mod agreement;
mod charts;

use std::time::Duration;

use egui::Color32;

use crate::analysis::agreement::{AgreementOptions, AgreementReport, Figure, agreement as compute};
use crate::analysis::stats::{ProjectStats, project_stats};
use crate::model::Project;
use crate::session::job::Progress;
use crate::session::job::{Job, Poll};
use crate::session::project_source::DocSource;
use crate::session::project_wide::{SourceAgreementError, source_agreement, source_stats};

use super::doc_view::color_of;
use super::workspace::Workspace;
use agreement::{FigureKind, LabelFigure, figures};
use charts::{CategoryBar, Stack, category_chart, per_document_chart, stacked_chart};

/// Everything the dashboard shows, computed together for one revision of the project.
struct Figures {
    revision: u64,
    stats: ProjectStats,
    /// The report, or why there is none (said after "No agreement figures: "); `None` while it is
    /// computed on a worker of its own (a large folder: agreement reads every document, statistics mostly
    /// the index lines, so the statistics are shown first).
    agreement: Option<Result<AgreementReport, String>>,
    /// Why the figures are incomplete (a document file of a large folder that does not read).
    problem: Option<String>,
}

impl Figures {
    fn compute(project: &Project, revision: u64) -> Figures {
        Figures {
            revision,
            stats: project_stats(project),
            agreement: Some(compute(project, &AgreementOptions::default()).map_err(|e| e.to_string())),
            problem: None,
        }
    }

    /// The statistics of a project open one document at a time, its folder read a batch at a time (the
    /// agreement comes from [`stream_agreement`]).
    fn stream(source: &DocSource, revision: u64, progress: &Progress) -> Figures {
        let (stats, problem) = match source_stats(source, progress) {
            Ok(stats) => (stats, None),
            Err(err) => (ProjectStats::empty(&source.header().schema), Some(err.to_string())),
        };
        Figures { revision, stats, agreement: None, problem }
    }
}

/// The agreement report of a project open one document at a time, for the figures of `revision`.
fn stream_agreement(source: &DocSource, revision: u64, progress: &Progress) -> (u64, Result<AgreementReport, String>) {
    let report = match source_agreement(source, &AgreementOptions::default(), progress) {
        Ok(report) => Ok(report),
        Err(SourceAgreementError::Agreement(err)) => Err(err.to_string()),
        Err(SourceAgreementError::Source(err)) => Err(format!("the documents could not be read ({err})")),
    };
    (revision, report)
}

/// Above this many documents a bar per document would be thinner than a pixel: the charts are left out.
const PER_DOCUMENT_CHARTS_UP_TO: usize = 2_000;

/// The dashboard window's state.
#[derive(Default)]
pub struct Dashboard {
    /// Whether the window is showing.
    pub open: bool,
    figures: Option<Figures>,
    /// The computation under way (its figures carry the revision they are for).
    job: Option<Job<Figures>>,
    /// A large folder's agreement, computed beside the statistics, with the revision it is for.
    agreement_job: Option<Job<(u64, Result<AgreementReport, String>)>>,
    /// That agreement when it came before the statistics it goes with.
    agreement_waiting: Option<(u64, Result<AgreementReport, String>)>,
    /// The agreement figure shown.
    kind: FigureKind,
    /// The pair of annotators for pair figures (index into the report's pairs).
    pair: usize,
    /// Why the worker could not be started, if it could not.
    error: Option<String>,
}

impl Dashboard {
    /// Draws the window when open, starting a computation when the figures are missing or out of date.
    pub fn show(&mut self, ctx: &egui::Context, ws: &Workspace) {
        if !self.open {
            return;
        }
        self.poll();
        let stale = self.figures.as_ref().is_none_or(|f| f.revision != ws.session.revision());
        if stale && self.job.is_none() && self.agreement_job.is_none() {
            self.start(ctx, ws);
        }
        if self.job.is_some() || self.agreement_job.is_some() {
            // The worker asks for a frame when it is done; this is the fallback if that one is missed.
            ctx.request_repaint_after(Duration::from_millis(100));
        }
        let mut open = true;
        crate::ui::dialogs::window("Dashboard", ctx)
            .open(&mut open)
            .default_size([900.0, 680.0])
            .vscroll(true)
            .show(ctx, |ui| self.body(ui, ws));
        self.open = open;
    }

    /// Takes the workers' results if they have come.
    fn poll(&mut self) {
        if let Some(job) = &self.agreement_job {
            match job.poll() {
                Poll::Running => {}
                Poll::Done((revision, report)) => {
                    self.agreement_job = None;
                    match self.figures.as_mut().filter(|f| f.revision == revision && self.job.is_none()) {
                        Some(figures) => figures.agreement = Some(report),
                        None => self.agreement_waiting = Some((revision, report)),
                    }
                }
                Poll::Lost => self.agreement_job = None,
            }
        }
        let Some(job) = &self.job else { return };
        match job.poll() {
            Poll::Running => {}
            Poll::Done(mut figures) => {
                // The agreement may have come first.
                if figures.agreement.is_none()
                    && let Some((_, report)) = self.agreement_waiting.take().filter(|(r, _)| *r == figures.revision)
                {
                    figures.agreement = Some(report);
                }
                self.figures = Some(figures);
                self.job = None;
            }
            Poll::Lost => {
                self.error = Some("the figures could not be computed (the worker stopped)".into());
                self.job = None;
            }
        }
    }

    fn start(&mut self, ctx: &egui::Context, ws: &Workspace) {
        let revision = ws.session.revision();
        let ctx = ctx.clone();
        if ws.session.is_lazy() {
            // A project open one document at a time: the figures stream its folder on every core.
            let source = match ws.session.doc_source() {
                Ok(source) => source,
                Err(err) => {
                    // Kept as this revision's figures, so the next frame does not try again.
                    let why = format!("the documents could not be read ({err})");
                    let stats = ProjectStats::empty(&ws.session.project().schema);
                    let agreement = Some(Err(why.clone()));
                    self.figures = Some(Figures { revision, stats, agreement, problem: Some(why) });
                    return;
                }
            };
            let (for_agreement, repaint) = (source.clone(), ctx.clone());
            self.job = Some(Job::spawn("dashboard", move |progress| {
                let figures = Figures::stream(&source, revision, progress);
                ctx.request_repaint();
                figures
            }));
            self.agreement_job = Some(Job::spawn("dashboard agreement", move |progress| {
                let report = stream_agreement(&for_agreement, revision, progress);
                repaint.request_repaint();
                report
            }));
            return;
        }
        // A copy, so the worker never holds the project the app goes on editing.
        let project = ws.session.project().clone();
        self.job = Some(Job::spawn("dashboard", move |_| {
            let figures = Figures::compute(&project, revision);
            ctx.request_repaint();
            figures
        }));
    }

    fn body(&mut self, ui: &mut egui::Ui, ws: &Workspace) {
        if let Some(err) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, err);
        }
        let Some(figures) = self.figures.take() else {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label("Computing the figures…");
            });
            return;
        };
        if self.job.is_some() {
            ui.weak("Updating…");
        }
        if let Some(problem) = &figures.problem {
            ui.colored_label(ui.visuals().error_fg_color, format!("The figures are incomplete: {problem}"));
        }
        let project = ws.session.project();
        let stats = &figures.stats;
        ui.label(format!(
            "{} documents · {} spans · {} relations · {} words",
            stats.documents, stats.spans, stats.relations, stats.words
        ));
        status_section(ui, stats);
        // Suggestions can sway annotators on subjective labels: show how many were taken as they came.
        let uptake = &stats.suggestions;
        match uptake.unchanged_share() {
            Some(share) => ui.label(format!(
                "{} span(s) from accepted suggestions · {} kept as suggested ({:.0} %)",
                uptake.accepted,
                uptake.unchanged,
                share * 100.0
            )),
            None => ui.weak("No span comes from an accepted suggestion"),
        };
        ui.separator();
        ui.strong("Spans per label");
        let bars: Vec<CategoryBar> = stats
            .spans_by_label
            .iter()
            .map(|(label, &n)| bar(label.clone(), n as f64, color_of(project, label), n.to_string()))
            .collect();
        category_chart(ui, "spans_per_label", summary("Spans per label", &bars), &bars, None);
        ui.strong("Spans per annotator");
        let accent = ui.visuals().selection.bg_fill;
        let bars: Vec<CategoryBar> = stats
            .spans_by_annotator
            .iter()
            .map(|(who, &n)| {
                bar(if who.is_empty() { "(none)".into() } else { who.clone() }, n as f64, accent, n.to_string())
            })
            .collect();
        category_chart(ui, "spans_per_annotator", summary("Spans per annotator", &bars), &bars, None);
        ui.separator();
        if stats.per_document.len() <= PER_DOCUMENT_CHARTS_UP_TO {
            per_document(ui, project, stats);
        } else {
            ui.weak(format!(
                "The per-document charts are drawn for up to {PER_DOCUMENT_CHARTS_UP_TO} documents; this project has {}.",
                stats.per_document.len()
            ));
        }
        ui.separator();
        match &figures.agreement {
            Some(report) => self.agreement_section(ui, project, report),
            None => {
                ui.strong("Agreement per label");
                let (done, total) = self.agreement_job.as_ref().map_or((0, 0), |job| job.progress().get());
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!("Computing agreement: {done} of {total} documents read…"));
                });
            }
        }
        self.figures = Some(figures);
    }

    fn agreement_section(&mut self, ui: &mut egui::Ui, project: &Project, report: &Result<AgreementReport, String>) {
        ui.strong("Agreement per label");
        let report = match report {
            Ok(report) => report,
            Err(err) => {
                ui.label(format!("No agreement figures: {err}."));
                return;
            }
        };
        ui.horizontal(|ui| {
            egui::ComboBox::from_label("Figure").selected_text(self.kind.name()).show_ui(ui, |ui| {
                for kind in FigureKind::ALL {
                    ui.selectable_value(&mut self.kind, kind, kind.name());
                }
            });
            if self.kind.is_pair() && report.pairs.len() > 1 {
                self.pair = self.pair.min(report.pairs.len() - 1);
                let name = |i: usize| report.pairs.get(i).map_or(String::new(), |p| format!("{} vs {}", p.a, p.b));
                egui::ComboBox::from_label("Pair").selected_text(name(self.pair)).show_ui(ui, |ui| {
                    for i in 0..report.pairs.len() {
                        ui.selectable_value(&mut self.pair, i, name(i));
                    }
                });
            }
        });
        let Some((overall, by_label)) = figures(report, self.kind, self.pair) else { return };
        if let Some(p) = report.pairs.get(self.pair).filter(|_| self.kind.is_pair()) {
            ui.weak(format!("{} vs {}: {} documents both annotated, {} tokens", p.a, p.b, p.documents, p.tokens));
        } else {
            ui.weak(format!(
                "{}: {} documents annotated by two or more",
                report.annotators.join(", "),
                report.alpha.documents
            ));
        }
        let bars: Vec<CategoryBar> = by_label
            .iter()
            .filter_map(|f| {
                f.figure.value().map(|v| bar(f.label.clone(), v, color_of(project, &f.label), format!("{v:.3}")))
            })
            .collect();
        let name = format!("Agreement per label, {}: {}", self.kind.name(), figure_list(&by_label));
        category_chart(ui, "agreement_per_label", name, &bars, Some((0.0, 1.0)));
        egui::Grid::new("agreement_counts").striped(true).num_columns(3).show(ui, |ui| {
            for f in std::iter::once(&overall).chain(&by_label) {
                ui.label(&f.label);
                ui.strong(f.figure.to_string());
                match &f.figure {
                    Figure::Value(_) => ui.weak(&f.counts),
                    Figure::Undefined(reason) => ui.weak(format!("{reason} ({})", f.counts)),
                };
                ui.end_row();
            }
        });
    }
}

fn bar(name: String, value: f64, color: Color32, caption: String) -> CategoryBar {
    CategoryBar { name, value, color, caption }
}

/// "Spans per label: Claim 12, Opinion 8": the accessible name of a category chart.
fn summary(title: &str, bars: &[CategoryBar]) -> String {
    let parts: Vec<String> = bars.iter().map(|b| format!("{} {}", b.name, b.caption)).collect();
    format!("{title}: {}", parts.join(", "))
}

fn figure_list(figures: &[LabelFigure]) -> String {
    let parts: Vec<String> = figures.iter().map(|f| format!("{} {}", f.label, f.figure)).collect();
    parts.join(", ")
}

/// Colours of the four statuses, from "not started" to "finished".
const STATUS_COLORS: [Color32; 4] = [
    Color32::from_rgb(0x9a, 0x9a, 0x9a),
    Color32::from_rgb(0x2b, 0x7b, 0xd6),
    Color32::from_rgb(0xe0, 0x7a, 0x1f),
    Color32::from_rgb(0x2e, 0x9e, 0x5b),
];

fn status_section(ui: &mut egui::Ui, stats: &ProjectStats) {
    ui.strong("Documents by status");
    let count = |s: crate::model::DocStatus| stats.documents_by_status.get(s.as_str()).copied().unwrap_or(0);
    let done = count(crate::model::DocStatus::Done);
    let total = stats.documents.max(1);
    let text = format!("{done} of {} documents done", stats.documents);
    ui.add(egui::ProgressBar::new(done as f32 / total as f32).text(text).fill(STATUS_COLORS[3]));
    ui.horizontal_wrapped(|ui| {
        for (status, color) in crate::model::DocStatus::ALL.into_iter().zip(STATUS_COLORS) {
            ui.colored_label(color, "■");
            ui.label(format!("{} {}", status.as_str().replace('-', " "), count(status)));
        }
    });
}

fn per_document(ui: &mut egui::Ui, project: &Project, stats: &ProjectStats) {
    let titles: Vec<String> = stats.per_document.iter().map(|d| d.title.clone()).collect();
    ui.strong("Label mix per document");
    let stacks: Vec<Stack> = project
        .schema
        .labels
        .iter()
        .map(|l| Stack {
            label: l.name.clone(),
            color: color_of(project, &l.name),
            counts: stats
                .per_document
                .iter()
                .map(|d| d.spans_by_label.get(&l.name).copied().unwrap_or(0) as f64)
                .collect(),
        })
        .collect();
    let name = format!("Label mix per document: {} documents", titles.len());
    stacked_chart(ui, "label_mix", name, &titles, &stacks);
    ui.strong("Spans per 1,000 words per document");
    let values: Vec<Option<f64>> = stats.per_document.iter().map(|d| d.spans_per_1000_words).collect();
    let defined: Vec<f64> = values.iter().flatten().copied().collect();
    let name = if defined.is_empty() {
        "Spans per 1,000 words per document: no document has words".to_string()
    } else {
        let mean = defined.iter().sum::<f64>() / defined.len() as f64;
        format!("Spans per 1,000 words per document: mean {mean:.1} over {} documents", defined.len())
    };
    let without = values.len() - defined.len();
    per_document_chart(ui, "density", name.clone(), &titles, &values, ui.visuals().selection.bg_fill);
    // The mean line has no legend; its figure is written under the chart.
    if let Some((_, mean)) = name.split_once(": ") {
        ui.weak(format!("Line: {mean}"));
    }
    if without > 0 {
        ui.weak(format!("{without} documents without words are left out."));
    }
}
