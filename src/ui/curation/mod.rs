//! The curation window: the shown document's annotators side by side, agreed spans accepted into the
//! `gold` layer with one button, and each disagreement settled by taking one annotator's version or
//! rejecting them all. What agrees, what differs and which edits settle it come from
//! [`crate::analysis::curation`]; this window draws that and pushes the edits as intents. When a git
//! merge left conflicts, the window's top section walks them ([`conflicts`]).

mod conflicts;
mod lanes;

use std::collections::HashSet;
use std::ops::Range;

use egui::{Align, RichText, Stroke};

use crate::analysis::curation::{
    self, Choice, Disagreement, DocCuration, GOLD, GroupState, NextIds, accept_agreed, annotators_of, choose,
};
use crate::model::{CharIdx, DocId, Document, Project, Span, SpanId};

use super::commands::CommandId;
use super::intent::Intent;
use super::workspace::Workspace;
use lanes::{CharBytes, StripRow, label_chip, lane_job, overview};

/// The curation of the shown document, kept until the document or the project changes.
struct Cached {
    doc: DocId,
    revision: u64,
    curation: DocCuration,
    bytes: CharBytes,
}

/// The curation window's state.
#[derive(Default)]
pub struct Curation {
    /// Whether the window is showing.
    pub open: bool,
    /// Hide disagreements that are settled.
    pub hide_settled: bool,
    cache: Option<Cached>,
    /// The current disagreement: its document and range (stable while only the gold layer changes).
    current: Option<(DocId, Range<CharIdx>)>,
    /// Disagreements rejected in this session. Rejecting leaves no gold span to read it back from, so it
    /// is remembered here (it only hides the question; the gold layer is the same either way).
    rejected: HashSet<(DocId, usize, usize)>,
    /// Intents decided outside a frame (the N key), pushed at the next frame.
    queued: Vec<Intent>,
    /// Scroll the list to the current disagreement at the next frame.
    scroll_to_current: bool,
    /// Kept from the last frame so a key handled between frames can ask for the next one.
    ctx: Option<egui::Context>,
    /// A short notice ("no open disagreements left").
    notice: String,
    /// The walk through the conflicts a git merge left.
    walk: conflicts::ConflictWalk,
}

impl Curation {
    /// Draws the window when open; choices become intents (edits that build the `gold` layer).
    pub fn show(&mut self, ctx: &egui::Context, ws: &Workspace, intents: &mut Vec<Intent>) {
        self.ctx.get_or_insert_with(|| ctx.clone());
        intents.append(&mut self.queued);
        if !self.open {
            return;
        }
        let mut open = true;
        crate::ui::dialogs::window("Curation", ctx)
            .open(&mut open)
            .default_size([760.0, 600.0])
            .resizable(true)
            .vscroll(false)
            .show(ctx, |ui| self.body(ui, ws, intents));
        self.open = open;
    }

    /// "Next disagreement": makes the next open disagreement current (in this document, then the next
    /// documents, wrapping), shows its document and selects its first span in the text.
    pub fn next_disagreement(&mut self, ws: &Workspace) {
        self.open = true;
        self.notice.clear();
        let documents = &ws.session.project().documents;
        let count = documents.len();
        let Some(shown) = ws.cursor.doc.filter(|&d| d < count) else { return };
        let after = self.current.as_ref().filter(|(doc, _)| *doc == documents[shown].id).map(|c| c.1.clone());
        // The shown document after the current one, the other documents in order, then the shown one again
        // from its start (an earlier disagreement there may still be open).
        let order = std::iter::once((shown, after.clone()))
            .chain((1..count).map(|k| ((shown + k) % count, None)))
            .chain(after.as_ref().map(|_| (shown, None)));
        for (index, after) in order {
            let doc = &documents[index];
            let cur = curation::curate(doc, &annotators_of(doc));
            // Several disagreements can start at the same char, so "after" is by position in the list; by
            // start only when the current one is gone (its annotators' spans changed).
            let skip = match &after {
                None => 0,
                Some(range) => match cur.disagreements.iter().position(|d| d.range == *range) {
                    Some(i) => i + 1,
                    None => cur.disagreements.iter().take_while(|d| d.range.start <= range.start).count(),
                },
            };
            let found = cur.disagreements.iter().skip(skip).find(|d| !self.settled(&doc.id, d));
            if let Some(d) = found {
                if index != shown {
                    self.queued.push(Intent::SelectDocument(index));
                }
                self.queued.extend(select_intents(doc, first_span(doc, d)));
                self.current = Some((doc.id.clone(), d.range.clone()));
                self.scroll_to_current = true;
                break;
            }
        }
        if self.queued.is_empty() {
            self.notice = "No open disagreements left in the project".into();
        }
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
    }

    /// "Next (previous) merge conflict": opens the window on the next conflict a git merge left, across
    /// documents, and shows its document.
    pub fn step_conflict(&mut self, ws: &Workspace, forward: bool) {
        self.open = true;
        self.notice.clear();
        match self.walk.step(ws, forward) {
            Some(intents) => self.queued.extend(intents),
            None => self.notice = "No merge conflicts left in the project".into(),
        }
        if let Some(ctx) = &self.ctx {
            ctx.request_repaint();
        }
    }

    fn settled(&self, doc: &DocId, d: &Disagreement) -> bool {
        d.state != GroupState::Open || self.rejected.contains(&reject_key(doc, d))
    }

    fn body(&mut self, ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
        self.walk.section(ui, ws, intents);
        let Some(doc) = ws.document() else {
            if !self.notice.is_empty() {
                ui.weak(&self.notice);
            }
            ui.label("No document to curate.");
            return;
        };
        if self.cache.as_ref().is_none_or(|c| c.doc != doc.id || c.revision != ws.session.revision()) {
            self.cache = Some(Cached {
                doc: doc.id.clone(),
                revision: ws.session.revision(),
                curation: curation::curate(doc, &annotators_of(doc)),
                bytes: CharBytes::new(&doc.text),
            });
        }
        let Some(cache) = self.cache.take() else { return };
        self.draw(ui, ws, doc, &cache, intents);
        self.cache = Some(cache);
    }

    fn draw(&mut self, ui: &mut egui::Ui, ws: &Workspace, doc: &Document, cache: &Cached, intents: &mut Vec<Intent>) {
        let cur = &cache.curation;
        let ids = next_ids(ws.session.project());
        ui.heading(&doc.title);
        if cur.annotators.len() < 2 {
            let who = cur.annotators.first().map_or("no annotator".to_string(), |a| format!("only {a}"));
            ui.label(format!("Curation compares two or more annotators; {who} has spans in this document."));
        }
        let open = cur.disagreements.iter().filter(|d| !self.settled(&doc.id, d)).count();
        ui.label(format!(
            "Annotators: {} · {} agreed ({} not in gold yet) · {} disagreements ({open} open)",
            cur.annotators.join(", "),
            cur.agreed.len(),
            cur.agreed_pending(),
            cur.disagreements.len(),
        ));
        ui.horizontal(|ui| {
            let pending = cur.agreed_pending();
            let accept = ui.add_enabled(pending > 0, egui::Button::new(format!("Accept {pending} agreed")));
            if accept.clicked()
                && let Some(edit) = accept_agreed(doc, cur, ids)
            {
                intents.push(Intent::Edit(edit));
            }
            if ui.button("Next disagreement (N)").clicked() {
                intents.push(Intent::Run(CommandId::NextDisagreement));
            }
            ui.checkbox(&mut self.hide_settled, "Hide settled");
        });
        if !self.notice.is_empty() {
            ui.weak(&self.notice);
        }
        let current = self.current.as_ref().filter(|(d, _)| *d == doc.id).map(|c| c.1.clone());
        let mut rows: Vec<StripRow<'_>> = cur
            .annotators
            .iter()
            .map(|name| StripRow { name, spans: doc.spans.iter().filter(|s| &s.annotator == name).collect() })
            .collect();
        rows.push(StripRow { name: GOLD, spans: doc.spans.iter().filter(|s| s.annotator == GOLD).collect() });
        if let Some(at) = overview(ui, ws.session.project(), doc, &rows, current.clone())
            && let Some(d) = cur.disagreements.iter().min_by_key(|d| distance(&d.range, at))
        {
            self.make_current(doc, d, intents);
        }
        if let Some(d) = current.as_ref().and_then(|r| cur.disagreements.iter().find(|d| d.range == *r)) {
            self.decision_bar(ui, doc, d, ids, intents);
        }
        ui.separator();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            self.agreed_list(ui, ws, doc, cache);
            for (n, d) in cur.disagreements.iter().enumerate() {
                if self.hide_settled && self.settled(&doc.id, d) && current.as_ref() != Some(&d.range) {
                    continue;
                }
                self.card(ui, ws, doc, cache, n, d, current.as_ref() == Some(&d.range), intents);
            }
        });
    }

    /// The buttons that settle the current disagreement.
    fn decision_bar(
        &mut self,
        ui: &mut egui::Ui,
        doc: &Document,
        d: &Disagreement,
        ids: NextIds,
        intents: &mut Vec<Intent>,
    ) {
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("Current: chars {}–{}", d.range.start.0, d.range.end.0));
            for v in d.versions.iter().filter(|v| !v.spans.is_empty()) {
                let chosen = d.state == GroupState::Chosen(v.annotator.clone());
                let button = egui::Button::new(format!("Take {}'s version", v.annotator)).selected(chosen);
                if ui.add(button).clicked() {
                    self.decide(doc, d, Choice::Take(&v.annotator), ids, intents);
                }
            }
            if ui.button("Reject all versions").clicked() {
                self.decide(doc, d, Choice::Reject, ids, intents);
            }
        });
    }

    fn decide(
        &mut self,
        doc: &Document,
        d: &Disagreement,
        choice: Choice<'_>,
        ids: NextIds,
        intents: &mut Vec<Intent>,
    ) {
        let key = reject_key(&doc.id, d);
        match choice {
            Choice::Reject => self.rejected.insert(key),
            Choice::Take(_) => self.rejected.remove(&key),
        };
        if let Some(edit) = choose(doc, d, choice, ids) {
            intents.push(Intent::Edit(edit));
        }
    }

    fn make_current(&mut self, doc: &Document, d: &Disagreement, intents: &mut Vec<Intent>) {
        self.current = Some((doc.id.clone(), d.range.clone()));
        self.scroll_to_current = true;
        intents.extend(select_intents(doc, first_span(doc, d)));
    }

    fn agreed_list(&self, ui: &mut egui::Ui, ws: &Workspace, doc: &Document, cache: &Cached) {
        let agreed = &cache.curation.agreed;
        egui::CollapsingHeader::new(format!("Agreed spans ({})", agreed.len())).id_salt("agreed").show(ui, |ui| {
            for a in agreed {
                ui.horizontal_wrapped(|ui| {
                    label_chip(ui, ws.session.project(), &a.label);
                    ui.label(cache.bytes.slice(&doc.text, a.range.clone()));
                    ui.weak(if a.in_gold { "in gold" } else { "not in gold yet" });
                });
            }
        });
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "document, curation and frame state; a struct would only rename them"
    )]
    fn card(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        doc: &Document,
        cache: &Cached,
        n: usize,
        d: &Disagreement,
        is_current: bool,
        intents: &mut Vec<Intent>,
    ) {
        let ids = next_ids(ws.session.project());
        let stroke = if is_current {
            Stroke::new(2.0, ui.visuals().selection.stroke.color)
        } else {
            ui.visuals().widgets.noninteractive.bg_stroke
        };
        let frame = egui::Frame::group(ui.style()).stroke(stroke).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal(|ui| {
                ui.strong(format!("#{} · chars {}–{}", n + 1, d.range.start.0, d.range.end.0));
                ui.label(self.state_text(&doc.id, d));
                if !is_current && ui.small_button("Make current").clicked() {
                    self.make_current(doc, d, intents);
                }
            });
            // The text wraps inside the window instead of widening it; the rest of the row is name and button.
            let width = (ui.available_width() - 140.0).max(200.0);
            let lane = |ui: &mut egui::Ui, spans: &[&Span]| {
                let mut job = lane_job(ui, ws.session.project(), &doc.text, &cache.bytes, d.range.clone(), spans);
                job.wrap.max_width = width;
                ui.label(job);
            };
            egui::Grid::new(("lanes", n)).num_columns(3).striped(false).show(ui, |ui| {
                for v in &d.versions {
                    let spans: Vec<&Span> = v.spans.iter().filter_map(|id| doc.span(*id)).collect();
                    ui.strong(&v.annotator);
                    if spans.is_empty() {
                        ui.weak("(marked nothing here)");
                    } else {
                        lane(ui, &spans);
                    }
                    let chosen = d.state == GroupState::Chosen(v.annotator.clone());
                    let take = ui.add_enabled(!spans.is_empty(), egui::Button::new("Take").selected(chosen));
                    if take.on_hover_text(format!("Make the gold layer here {}'s version", v.annotator)).clicked() {
                        self.decide(doc, d, Choice::Take(&v.annotator), ids, intents);
                    }
                    ui.end_row();
                }
                let gold: Vec<&Span> = d.gold.iter().filter_map(|id| doc.span(*id)).collect();
                ui.strong(GOLD);
                if gold.is_empty() {
                    ui.weak("(nothing yet)");
                } else {
                    lane(ui, &gold);
                }
                if ui.button("Reject").on_hover_text("Keep none of the versions here").clicked() {
                    self.decide(doc, d, Choice::Reject, ids, intents);
                }
                ui.end_row();
            });
            ui.horizontal_wrapped(|ui| {
                for label in &d.labels {
                    label_chip(ui, ws.session.project(), label);
                }
            });
        });
        if is_current && self.scroll_to_current {
            frame.response.scroll_to_me(Some(Align::Center));
            self.scroll_to_current = false;
        }
    }

    fn state_text(&self, doc: &DocId, d: &Disagreement) -> RichText {
        match &d.state {
            GroupState::Open if self.rejected.contains(&reject_key(doc, d)) => RichText::new("rejected").weak(),
            GroupState::Open => RichText::new("open").color(egui::Color32::from_rgb(0xd0, 0x80, 0x20)),
            GroupState::Chosen(name) => RichText::new(format!("gold = {name}'s version")).weak(),
            GroupState::Edited => RichText::new("gold edited by hand").weak(),
        }
    }
}

/// The ids the edits settling a disagreement start from: the project's next free ones.
fn next_ids(project: &Project) -> NextIds {
    NextIds { span: project.next_span_id, relation: project.next_relation_id }
}

fn reject_key(doc: &DocId, d: &Disagreement) -> (DocId, usize, usize) {
    (doc.clone(), d.range.start.0, d.range.end.0)
}

/// How far `at` lies from `range` (0 inside it).
fn distance(range: &Range<CharIdx>, at: CharIdx) -> usize {
    range.start.0.saturating_sub(at.0).max(at.0.saturating_sub(range.end.0))
}

/// The disagreement's first span in document order.
fn first_span(doc: &Document, d: &Disagreement) -> Option<SpanId> {
    let ids: HashSet<SpanId> = d.versions.iter().flat_map(|v| v.spans.iter().copied()).collect();
    doc.spans.iter().find(|s| ids.contains(&s.id)).map(|s| s.id)
}

/// Intents that select `span` in the document view and scroll it into sight. There is no "scroll to this
/// span" intent; Tab (next span) both selects and scrolls, so the span before it is clicked first and then
/// Tab moves onto it. Esc first, so a half-made relation is not completed by that click.
fn select_intents(doc: &Document, span: Option<SpanId>) -> Vec<Intent> {
    let Some(span) = span else { return Vec::new() };
    let Some(i) = doc.spans.iter().position(|s| s.id == span) else { return Vec::new() };
    let before = doc.spans[(i + doc.spans.len() - 1) % doc.spans.len()].id;
    vec![Intent::Run(CommandId::Escape), Intent::ClickSpan(before), Intent::Run(CommandId::NextSpan)]
}
