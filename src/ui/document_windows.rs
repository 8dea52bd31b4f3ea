//! Document windows: details (title, metadata, note) and a new document from pasted text.

use crate::edit::Edit;
use crate::merge::{Side, keep_field};
use crate::model::{Document, Metadata};

use super::intent::Intent;
use super::workspace::Workspace;

/// The details window's state: the fields being typed, for the document they belong to.
#[derive(Default)]
pub struct DocDetails {
    /// Whether the window is showing.
    pub open: bool,
    fields: Option<(crate::model::DocId, Fields)>,
    edge: super::dialogs::OpenEdge,
}

#[derive(Clone, PartialEq)]
struct Fields {
    title: String,
    meta: Metadata,
    note: String,
}

impl Fields {
    fn of(doc: &Document) -> Fields {
        Fields { title: doc.title.clone(), meta: doc.meta.clone(), note: doc.note.clone() }
    }
}

impl DocDetails {
    /// Draws the window; "Apply" turns the changed fields into one edit.
    pub fn show(&mut self, ctx: &egui::Context, ws: &Workspace, intents: &mut Vec<Intent>) {
        let mut focus_first = self.edge.opening(self.open);
        if !self.open {
            return;
        }
        let Some(doc) = ws.document() else {
            self.open = false;
            return;
        };
        let stored = Fields::of(doc);
        if self.fields.as_ref().is_none_or(|(id, _)| *id != doc.id) {
            self.fields = Some((doc.id.clone(), stored.clone()));
        }
        let Some((_, fields)) = &mut self.fields else { return };
        let mut open = true;
        let mut close = false;
        let mut reload = false;
        crate::ui::dialogs::window("Document details", ctx).open(&mut open).default_width(460.0).show(ctx, |ui| {
            egui::Grid::new("doc_fields").num_columns(2).show(ui, |ui| {
                for (name, value) in [
                    ("Title", &mut fields.title),
                    ("Author", &mut fields.meta.author),
                    ("Date", &mut fields.meta.date),
                    ("Publication", &mut fields.meta.publication),
                    ("URL", &mut fields.meta.url),
                ] {
                    let label = ui.label(name);
                    let field = ui
                        .add(egui::TextEdit::singleline(value).id_salt(("doc_field", name)).desired_width(320.0))
                        .labelled_by(label.id);
                    if std::mem::take(&mut focus_first) {
                        field.request_focus();
                    }
                    ui.end_row();
                }
                let label = ui.label("Note");
                ui.add(egui::TextEdit::multiline(&mut fields.note).desired_width(320.0)).labelled_by(label.id);
                ui.end_row();
            });
            if !doc.conflicts.is_empty() {
                reload = field_conflicts(ui, ws, doc, intents);
            }
            ui.weak(format!("id {} · {} chars · {} spans", doc.id, doc.char_len(), doc.spans.len()));
            ui.horizontal(|ui| {
                let changed = *fields != stored;
                if ui.add_enabled(changed, egui::Button::new("Apply")).clicked() {
                    let mut edits = Vec::new();
                    if fields.title != stored.title && !fields.title.trim().is_empty() {
                        edits.push(Edit::SetDocTitle { doc: doc.id.clone(), title: fields.title.trim().to_string() });
                    }
                    if fields.meta != stored.meta {
                        edits.push(Edit::SetDocMeta { doc: doc.id.clone(), meta: fields.meta.clone() });
                    }
                    if fields.note != stored.note {
                        edits.push(Edit::SetDocNote { doc: doc.id.clone(), note: fields.note.clone() });
                    }
                    if !edits.is_empty() {
                        intents.push(Intent::Edit(Edit::Batch { name: "Edit document details".into(), edits }));
                    }
                }
                if ui.add_enabled(changed, egui::Button::new("Revert")).clicked() {
                    *fields = stored.clone();
                }
                if ui.button("Close").clicked() {
                    close = true;
                }
            });
        });
        if !open || close {
            self.open = false;
        }
        if !open || close || reload {
            // A kept version changes the stored fields: the typed ones start again from them.
            self.fields = None;
        }
    }
}

/// The document's fields a git merge left in conflict, ours (in force) and theirs side by side, with a
/// button to keep either (the edit `factmark resolve` makes). True when one was clicked.
fn field_conflicts(ui: &mut egui::Ui, ws: &Workspace, doc: &Document, intents: &mut Vec<Intent>) -> bool {
    let mut clicked = false;
    ui.separator();
    ui.colored_label(
        ui.visuals().warn_fg_color,
        format!("⚠ {} field(s) in conflict after a merge", doc.conflicts.len()),
    );
    egui::Grid::new("doc_field_conflicts").num_columns(4).striped(true).show(ui, |ui| {
        ui.strong("field");
        ui.strong("ours (in force)");
        ui.strong("theirs");
        ui.end_row();
        for conflict in &doc.conflicts {
            let ours = crate::model::ours_value(doc, conflict);
            ui.label(&conflict.field);
            ui.add(egui::Label::new(ours).wrap());
            ui.add(egui::Label::new(&conflict.theirs).wrap());
            ui.horizontal(|ui| {
                for (side, name) in [(Side::Ours, "Keep ours"), (Side::Theirs, "Keep theirs")] {
                    let button =
                        ui.button(name).on_hover_text(format!("Keep this {} and clear the conflict", conflict.field));
                    if button.clicked()
                        && let Ok(edit) = keep_field(ws.session.project(), &doc.id, &conflict.field, side)
                    {
                        intents.push(Intent::Edit(edit));
                        clicked = true;
                    }
                }
            });
            ui.end_row();
        }
    });
    clicked
}

/// The "new document from text" window.
#[derive(Default)]
pub struct NewDocument {
    /// Whether the window is showing.
    pub open: bool,
    title: String,
    text: String,
    edge: super::dialogs::OpenEdge,
}

impl NewDocument {
    /// Opens the window, with `pasted` text if the clipboard gave some.
    pub fn start(&mut self, pasted: Option<String>) {
        self.open = true;
        if let Some(text) = pasted {
            self.text = text;
        }
    }

    /// Draws the window.
    pub fn show(&mut self, ctx: &egui::Context, intents: &mut Vec<Intent>) {
        let opening = self.edge.opening(self.open);
        if !self.open {
            return;
        }
        let mut open = true;
        let mut done = false;
        crate::ui::dialogs::window("New document", ctx).open(&mut open).default_width(560.0).show(ctx, |ui| {
            ui.label("Paste the article text (Ctrl+V). Blank lines separate paragraphs.");
            let label = ui.label("Title");
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.title)
                        .id_salt("new_doc_title")
                        .hint_text("first line if empty")
                        .desired_width(480.0),
                )
                .labelled_by(label.id);
            if opening {
                field.request_focus();
            }
            let label = ui.label("Text");
            egui::ScrollArea::vertical().max_height(360.0).show(ui, |ui| {
                ui.add(egui::TextEdit::multiline(&mut self.text).desired_width(520.0).desired_rows(14))
                    .labelled_by(label.id);
            });
            ui.horizontal(|ui| {
                if ui.add_enabled(!self.text.trim().is_empty(), egui::Button::new("Add document")).clicked() {
                    intents.push(Intent::NewDocument {
                        title: std::mem::take(&mut self.title),
                        text: std::mem::take(&mut self.text),
                    });
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
        if !open || done {
            self.open = false;
        }
    }
}

/// Where the text of a document whose files do not read would be: why, and what to do.
pub fn unreadable(ui: &mut egui::Ui, why: &str) {
    ui.heading("This document could not be read");
    ui.colored_label(ui.visuals().error_fg_color, why);
    ui.label(
        "The rest of the project is open as usual; fix or restore this document's files, then open the project again.",
    );
}
