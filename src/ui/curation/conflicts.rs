//! The curation window's walk through the conflicts a git merge left: project settings, document fields
//! and spans, across documents. Each shows both versions side by side with a button to keep either; the
//! edits are the ones `factmark resolve` and `factmark span resolve` make.

use egui::RichText;

use crate::merge::{MergeConflict, Side, keep_field, keep_setting, merge_conflicts, resolve_edit};
use crate::model::{DOCUMENT_FIELD, Document, Project, RELATION_FIELD};

use super::super::commands::CommandId;
use super::super::intent::Intent;
use super::super::workspace::Workspace;
use super::select_intents;

/// Where the walk stands.
#[derive(Default)]
pub(super) struct ConflictWalk {
    /// The shown conflict's place in the list. After one is settled the list is shorter and the same place
    /// holds the next one, so settling conflicts one after another needs no "next".
    current: Option<usize>,
    /// The walk's stops for the project at a revision and shown document: listing walks every document,
    /// so not every frame.
    cache: Option<(CacheKey, Vec<Stop>)>,
}

/// What the list depends on: the project's revision, and the shown document (showing one of a large
/// folder reads it, which turns its stop into its conflicts).
type CacheKey = (u64, Option<usize>);

/// One stop of the walk.
#[derive(Clone, Debug)]
enum Stop {
    /// A conflict in a document in memory, or in the project's settings.
    Conflict(MergeConflict),
    /// A document of a large folder not read yet whose index line counts `count` conflicts in it; stepping
    /// onto it shows the document, which reads it, and its conflicts take the stop's place.
    Unread { place: usize, count: usize },
}

impl ConflictWalk {
    /// The walk's stops, listed again only when the project or the shown document changed.
    fn list(&mut self, ws: &Workspace) -> &[Stop] {
        let key = (ws.session.revision(), ws.cursor.doc);
        if self.cache.as_ref().is_none_or(|(k, _)| *k != key) {
            self.cache = Some((key, stops(ws)));
        }
        self.cache.as_ref().map_or(&[], |(_, list)| list.as_slice())
    }

    /// Moves to the next (or previous) conflict, wrapping, and gives the intents that show it: its
    /// document, and for spans the first alternative selected. `None` when there is none left.
    pub(super) fn step(&mut self, ws: &Workspace, forward: bool) -> Option<Vec<Intent>> {
        let count = self.list(ws).len();
        if count == 0 {
            self.current = None;
            return None;
        }
        let at = match self.current {
            None => {
                if forward {
                    0
                } else {
                    count - 1
                }
            }
            Some(i) if forward => (i.min(count - 1) + 1) % count,
            Some(i) => (i.min(count - 1) + count - 1) % count,
        };
        self.current = Some(at);
        let stop = self.list(ws).get(at)?.clone();
        Some(match stop {
            Stop::Conflict(conflict) => show_intents(ws, &conflict),
            Stop::Unread { place, .. } => vec![Intent::SelectDocument(place)],
        })
    }

    /// The section at the top of the curation window; nothing when the project has no conflicts.
    pub(super) fn section(&mut self, ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
        self.list(ws);
        // Taken out for the frame and put back, so a long list is not copied every frame.
        let Some((revision, list)) = self.cache.take() else { return };
        self.draw(ui, ws, &list, intents);
        self.cache = Some((revision, list));
    }

    fn draw(&mut self, ui: &mut egui::Ui, ws: &Workspace, list: &[Stop], intents: &mut Vec<Intent>) {
        if list.is_empty() {
            self.current = None;
            return;
        }
        let at = self.current.map(|i| i.min(list.len() - 1));
        let total: usize = list.iter().map(|stop| if let Stop::Unread { count, .. } = stop { *count } else { 1 }).sum();
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.horizontal_wrapped(|ui| {
                ui.colored_label(ui.visuals().warn_fg_color, format!("⚠ {total} merge conflict(s) to settle"));
                if ui.button("◀ Previous conflict").clicked() {
                    intents.push(Intent::Run(CommandId::PrevConflict));
                }
                if ui.button("Next conflict ▶").clicked() {
                    intents.push(Intent::Run(CommandId::NextConflict));
                }
            });
            let Some(at) = at else {
                ui.weak("Walk them with Next conflict: each shows both versions and keeps the one you choose.");
                return;
            };
            match &list[at] {
                Stop::Conflict(conflict) => {
                    ui.strong(format!("Conflict {} of {}: {}", at + 1, list.len(), title(conflict)));
                    versions(ui, ws.session.project(), conflict, intents);
                }
                Stop::Unread { place, count } => {
                    let name = ws.session.project().documents.get(*place).map_or("", |d| d.title.as_str());
                    ui.strong(format!("Stop {} of {}: {count} conflict(s) in {name}, being read", at + 1, list.len()));
                }
            }
        });
    }
}

/// The walk's stops in project order: the project's settings first, then each document's conflicts, a
/// large folder's unread documents among them by their place.
fn stops(ws: &Workspace) -> Vec<Stop> {
    let project = ws.session.project();
    let mut stops: Vec<Stop> = merge_conflicts(project).into_iter().map(Stop::Conflict).collect();
    let unread = ws.session.lazy().map(|lazy| lazy.unread_conflicts(project)).unwrap_or_default();
    if unread.is_empty() {
        return stops;
    }
    let places: std::collections::HashMap<&crate::model::DocId, usize> =
        project.documents.iter().enumerate().map(|(place, d)| (&d.id, place)).collect();
    stops.extend(unread.into_iter().map(|(place, count)| Stop::Unread { place, count }));
    // Stable: a document's own conflicts keep their order; settings (no document) come first.
    stops.sort_by_key(|stop| match stop {
        Stop::Conflict(c) => c.doc().and_then(|d| places.get(d)).map_or(0, |place| place + 1),
        Stop::Unread { place, .. } => place + 1,
    });
    stops
}

/// What a conflict is about, in a few words.
fn title(conflict: &MergeConflict) -> String {
    match conflict {
        MergeConflict::Project { item, .. } => format!("project {item}"),
        MergeConflict::Field { doc, field, .. } if field == DOCUMENT_FIELD => {
            format!("document {doc}, deleted on one side and changed on the other")
        }
        MergeConflict::Field { doc, field, .. } => match field.strip_prefix(RELATION_FIELD) {
            Some(id) => format!("document {doc}, relation {id}"),
            None => format!("document {doc}, {field}"),
        },
        MergeConflict::Span(c) => format!("span {} in document {}", c.group, c.doc),
    }
}

/// Intents that bring the conflict's document (and span) into view.
fn show_intents(ws: &Workspace, conflict: &MergeConflict) -> Vec<Intent> {
    let project = ws.session.project();
    let Some(doc_id) = conflict.doc() else { return Vec::new() };
    let Some(index) = project.documents.iter().position(|d| &d.id == doc_id) else { return Vec::new() };
    let mut out = Vec::new();
    if ws.cursor.doc != Some(index) {
        out.push(Intent::SelectDocument(index));
    }
    if let MergeConflict::Span(c) = conflict {
        out.extend(select_intents(&project.documents[index], c.alternatives.first().map(|(id, _)| *id)));
    }
    out
}

/// Both versions side by side, each with the button that keeps it.
fn versions(ui: &mut egui::Ui, project: &Project, conflict: &MergeConflict, intents: &mut Vec<Intent>) {
    let width = ((ui.available_width() - 24.0) / 2.0).max(160.0);
    match conflict {
        MergeConflict::Project { item, ours, theirs } => {
            let keep = |side| keep_setting(project, item, side);
            two_sides(ui, width, ours, theirs, |side| keep(side).ok(), intents);
        }
        MergeConflict::Field { doc, field, ours, theirs } => {
            if field == DOCUMENT_FIELD {
                // "deleted" against "changed" alone does not say what the buttons do to the document.
                ui.label("Keeping the side that deleted the document deletes it; keeping the other keeps it.");
            }
            let keep = |side| keep_field(project, doc, field, side);
            two_sides(ui, width, ours, theirs, |side| keep(side).ok(), intents);
        }
        MergeConflict::Span(c) => {
            let doc = project.doc(&c.doc);
            ui.label(&c.detail);
            egui::Grid::new("conflict_alternatives").num_columns(c.alternatives.len()).show(ui, |ui| {
                for (_, side) in &c.alternatives {
                    ui.strong(side);
                }
                ui.end_row();
                for (id, _) in &c.alternatives {
                    ui.add(egui::Label::new(span_text(doc, *id)).wrap()).on_hover_text(format!("span {id}"));
                }
                ui.end_row();
                for (id, side) in &c.alternatives {
                    let button = ui.button(format!("Keep {side}")).on_hover_text("Remove the other version");
                    if button.clicked()
                        && let Ok(resolution) = resolve_edit(project, *id)
                    {
                        intents.push(Intent::Edit(resolution.edit));
                    }
                }
                ui.end_row();
            });
        }
    }
}

/// Ours and theirs in two columns with a keep button under each.
fn two_sides(
    ui: &mut egui::Ui,
    width: f32,
    ours: &str,
    theirs: &str,
    edit: impl Fn(Side) -> Option<crate::edit::Edit>,
    intents: &mut Vec<Intent>,
) {
    let shown = |text: &str| if text.is_empty() { RichText::new("(empty)").weak() } else { RichText::new(text) };
    egui::Grid::new("conflict_sides").num_columns(2).min_col_width(width).max_col_width(width).show(ui, |ui| {
        ui.strong("ours (in force)");
        ui.strong("theirs");
        ui.end_row();
        ui.add(egui::Label::new(shown(ours)).wrap());
        ui.add(egui::Label::new(shown(theirs)).wrap());
        ui.end_row();
        for (side, name) in [(Side::Ours, "Keep ours"), (Side::Theirs, "Keep theirs")] {
            if ui.button(name).clicked()
                && let Some(edit) = edit(side)
            {
                intents.push(Intent::Edit(edit));
            }
        }
        ui.end_row();
    });
}

/// A span alternative as "Label 'text'".
fn span_text(doc: Option<&Document>, id: crate::model::SpanId) -> String {
    let Some((doc, span)) = doc.and_then(|d| d.span(id).map(|s| (d, s))) else { return "(gone)".to_string() };
    let text: String = doc.text.chars().skip(span.start.0).take(span.end.0 - span.start.0).collect();
    format!("{} '{text}'", span.label)
}
