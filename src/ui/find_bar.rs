//! Find (Ctrl+F) in the shown document and (Ctrl+Shift+F) in the whole project: plain, whole word, case,
//! regex; every match highlighted; Enter / Shift+Enter walk them; "label all" tags every match in one
//! undoable edit. The matching itself is [`crate::analysis::search`].

use std::ops::Range;

use crate::analysis::search::FoundMatches;
use crate::analysis::search::{Match, Query, SearchOptions, label_all_edit};
use crate::model::{CharIdx, DocId};
use crate::session::job::{Job, Poll};
use crate::session::project_source::SourceError;
use crate::session::project_wide::{FIND_LIMIT, find_in_source};

use super::intent::Intent;
use super::workspace::Workspace;

/// The find bar's state.
pub struct FindBar {
    /// Whether the bar is showing.
    pub open: bool,
    /// Search the whole project instead of the shown document.
    pub project_wide: bool,
    pattern: String,
    options: SearchOptions,
    /// What the current results were computed for, so they are recomputed only when that changes.
    computed_for: Option<(String, SearchOptions, bool, Option<DocId>, usize)>,
    results: Vec<Match>,
    /// Matches in the shown document, sorted, for the view to highlight.
    in_doc: Vec<Range<CharIdx>>,
    current: Option<usize>,
    error: String,
    focus: bool,
    /// A project-wide search of a project open one document at a time, reading its folder on a worker.
    job: Option<Job<Result<FoundMatches, SourceError>>>,
    /// Matches found beyond the number kept.
    not_shown: usize,
    /// The document `in_doc` was picked out for.
    in_doc_for: Option<Option<DocId>>,
}

impl Default for FindBar {
    fn default() -> Self {
        FindBar {
            open: false,
            project_wide: false,
            pattern: String::new(),
            // Whole words by default: "Label all" of "Kremlin" must not tag the "Kremlin" inside
            // "Kremlin’s", a span that sits on no token edge and that token formats can only widen.
            options: SearchOptions { whole_word: true, ..SearchOptions::default() },
            computed_for: None,
            results: Vec::new(),
            in_doc: Vec::new(),
            current: None,
            error: String::new(),
            focus: false,
            job: None,
            not_shown: 0,
            in_doc_for: None,
        }
    }
}

impl FindBar {
    /// Opens the bar (document or project scope) and puts the keyboard in its field.
    pub fn start(&mut self, project_wide: bool) {
        self.open = true;
        self.project_wide = project_wide;
        self.focus = true;
    }

    /// Matches to highlight in the shown document, and the current one.
    pub fn highlights(&self) -> (&[Range<CharIdx>], Option<usize>) {
        if self.open { (&self.in_doc, self.current) } else { (&[], None) }
    }

    /// Recomputes results when the pattern, options, scope or shown document changed.
    fn refresh(&mut self, ws: &Workspace) {
        let doc = ws.document().map(|d| d.id.clone());
        self.poll();
        // A project-wide search does not depend on the shown document (only its highlights do), but on
        // the documents there are.
        let shown = doc.clone().filter(|_| !self.project_wide);
        let key = (self.pattern.clone(), self.options, self.project_wide, shown, ws.session.project().documents.len());
        if self.computed_for.as_ref() == Some(&key) {
            if self.in_doc_for.as_ref() != Some(&doc) {
                self.pick_in_doc(doc);
            }
            return;
        }
        self.computed_for = Some(key);
        self.results.clear();
        self.in_doc.clear();
        self.in_doc_for = None;
        self.current = None;
        self.error.clear();
        self.not_shown = 0;
        // A search for the previous pattern stops at its next batch instead of reading on.
        if let Some(old) = self.job.take() {
            old.progress().cancel();
        }
        if self.pattern.is_empty() {
            return;
        }
        let query = match Query::new(&self.pattern, self.options) {
            Ok(query) => query,
            Err(err) => {
                self.error = err.to_string();
                return;
            }
        };
        self.results = match (&self.project_wide, ws.document()) {
            (true, _) if ws.session.is_lazy() => {
                match ws.session.doc_source() {
                    Ok(source) => {
                        self.job = Some(Job::spawn("finding in the project", move |progress| {
                            find_in_source(&source, &query, FIND_LIMIT, progress)
                        }));
                    }
                    Err(err) => self.error = err.to_string(),
                }
                Vec::new()
            }
            (true, _) => query.find_in_project(ws.session.project()),
            (false, Some(d)) => query.find_in_document(d),
            (false, None) => Vec::new(),
        };
        self.pick_in_doc(doc);
    }

    /// Takes the worker's matches when they have come.
    fn poll(&mut self) {
        let Some(job) = &self.job else { return };
        match job.poll() {
            Poll::Running => return,
            Poll::Done(Ok(found)) => {
                self.not_shown = found.not_shown();
                self.results = found.matches.into_iter().map(|m| m.found).collect();
            }
            Poll::Done(Err(err)) => self.error = err.to_string(),
            Poll::Lost => self.error = "the search stopped on an internal error".into(),
        }
        self.job = None;
        self.in_doc_for = None;
    }

    /// The matches in the shown document `doc`, for the view to highlight.
    fn pick_in_doc(&mut self, doc: Option<DocId>) {
        self.in_doc = self.results.iter().filter(|m| Some(&m.doc) == doc.as_ref()).map(Match::range).collect();
        self.in_doc_for = Some(doc);
    }

    /// Draws the bar (above the document) when open.
    pub fn show(&mut self, ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
        if !self.open {
            return;
        }
        // Matches found in the project follow the shown document; the text never changes, but the
        // shown document does.
        self.refresh(ws);
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(if self.project_wide { "Find in project" } else { "Find" });
            let field =
                ui.add(egui::TextEdit::singleline(&mut self.pattern).desired_width(220.0)).labelled_by(label.id);
            if std::mem::take(&mut self.focus) {
                field.request_focus();
            }
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                let back = ui.input(|i| i.modifiers.shift);
                self.step(!back, intents);
                field.request_focus();
            }
            ui.checkbox(&mut self.options.case_sensitive, "Match case");
            ui.checkbox(&mut self.options.whole_word, "Whole word");
            ui.checkbox(&mut self.options.regex, "Regex");
            ui.checkbox(&mut self.project_wide, "Whole project");
            if !self.error.is_empty() {
                ui.colored_label(ui.visuals().error_fg_color, &self.error);
            } else if !self.pattern.is_empty() {
                let here = self.current.map_or(String::new(), |c| format!("{} of ", c + 1));
                if self.job.is_some() {
                    ui.spinner();
                    ui.label("searching every document…");
                    ui.ctx().request_repaint_after(std::time::Duration::from_millis(100));
                } else {
                    let more =
                        if self.not_shown > 0 { format!(" (+{} not shown)", self.not_shown) } else { String::new() };
                    ui.label(format!(
                        "{here}{} match(es) here, {} in all{more}",
                        self.in_doc.len(),
                        self.results.len()
                    ));
                }
            }
            if ui.button("Previous").clicked() {
                self.step(false, intents);
            }
            if ui.button("Next").clicked() {
                self.step(true, intents);
            }
            ui.separator();
            for label in &ws.session.project().schema.labels {
                let enabled = !self.results.is_empty();
                if ui.add_enabled(enabled, egui::Button::new(format!("Label all as {}", label.name))).clicked() {
                    match label_all_edit(ws.session.project(), &self.results, &label.name, &ws.session.annotator) {
                        Ok(plan) => {
                            let note =
                                format!("{} added, {} already labelled {}", plan.added, plan.skipped, label.name);
                            if plan.added > 0 {
                                intents.push(Intent::Edit(plan.edit));
                            }
                            intents.push(Intent::Message(note));
                        }
                        Err(err) => intents.push(Intent::Message(err.to_string())),
                    }
                }
            }
            if ui.button("Close").clicked() {
                self.open = false;
            }
        });
        if self.project_wide && !self.results.is_empty() {
            self.result_list(ui, ws, intents);
        }
    }

    /// Goes to the next (or previous) match in the shown document.
    fn step(&mut self, forward: bool, intents: &mut Vec<Intent>) {
        let n = self.in_doc.len();
        if n == 0 {
            return;
        }
        let next = match (self.current, forward) {
            (Some(i), true) => (i + 1) % n,
            (Some(i), false) => (i + n - 1) % n,
            (None, true) => 0,
            (None, false) => n - 1,
        };
        self.current = Some(next);
        intents.push(Intent::Reveal(self.in_doc[next].clone()));
    }

    /// Project results: document and a snippet; a click shows the match.
    fn result_list(&mut self, ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::ScrollArea::vertical().id_salt("find_results").max_height(140.0).show_rows(
            ui,
            row_height,
            self.results.len(),
            |ui, rows| {
                for m in &self.results[rows] {
                    let documents = &ws.session.project().documents;
                    let Some(index) = documents.iter().position(|d| d.id == m.doc) else { continue };
                    let doc = &documents[index];
                    let context = CharIdx(m.start.0.saturating_sub(30))..CharIdx((m.end.0 + 30).min(doc.char_len()));
                    let snippet = crate::text::offsets::slice_from(&doc.text, 0, CharIdx(0), context).unwrap_or("");
                    let text = format!("{} — …{}…", doc.title, snippet.replace('\n', " "));
                    if ui.selectable_label(false, text).clicked() {
                        intents.push(Intent::SelectDocument(index));
                        intents.push(Intent::Reveal(m.range()));
                    }
                }
            },
        );
    }
}
