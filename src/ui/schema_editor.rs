//! The label schema editor: labels (name, colour, key, guideline, order, attributes), relation types with
//! their allowed ends, and document label sets. Every change is one edit pushed as an intent, so it can
//! be undone; text fields commit when they lose focus.

use std::collections::HashMap;

use crate::edit::{Edit, LabelFate, delete_attribute, delete_label, schema_problems};
use crate::model::{AttrKind, AttributeDef, LabelDef, Project, RelationTypeDef, Rgb, Schema};

use super::intent::Intent;
use super::workspace::Workspace;
use crate::session::schema_rules::key_conflict;

/// Colours offered to new labels: distinct for the common colour-vision deficiencies (after Okabe & Ito),
/// and dark enough for the tinted highlight to keep text readable in both themes.
const NEW_COLOURS: [[u8; 3]; 6] = [
    [0x00, 0x72, 0xb2],
    [0xd5, 0x5e, 0x00],
    [0x00, 0x9e, 0x73],
    [0xcc, 0x79, 0xa7],
    [0xe6, 0x9f, 0x00],
    [0x56, 0xb4, 0xe9],
];

/// The editor's state: text being typed, and a pending "delete a label in use" question.
#[derive(Default)]
pub struct SchemaEditor {
    /// Whether the window is showing.
    pub open: bool,
    buffers: HashMap<String, String>,
    new_label: String,
    new_relation: String,
    /// A label in use being deleted: its name, how many spans have it (counted once, when asked), and the
    /// label chosen to move them to.
    deleting: Option<(String, usize, Option<String>)>,
    problem: String,
}

fn set_schema(schema: Schema) -> Intent {
    Intent::Edit(Edit::SetSchema { schema: Box::new(schema) })
}

impl SchemaEditor {
    /// A text field whose value lives in `buffers` under `id` while it is being edited; returns the new text
    /// when the field loses focus with a changed value.
    fn field(&mut self, ui: &mut egui::Ui, id: String, label: &str, current: &str, width: f32) -> Option<String> {
        let buffer = self.buffers.entry(id.clone()).or_insert_with(|| current.to_string());
        let name = ui.label(label);
        let response = ui.add(egui::TextEdit::singleline(buffer).desired_width(width)).labelled_by(name.id);
        if response.lost_focus() {
            let text = buffer.clone();
            self.buffers.remove(&id);
            return (text != current).then_some(text);
        }
        if !response.has_focus() {
            // Not being edited: follow the schema (undo, renames).
            buffer.clear();
            buffer.push_str(current);
        }
        None
    }

    /// Draws the window when open.
    pub fn show(&mut self, ctx: &egui::Context, ws: &Workspace, intents: &mut Vec<Intent>) {
        let mut open = self.open;
        crate::ui::dialogs::window("Label schema", ctx).open(&mut open).default_width(560.0).vscroll(true).show(
            ctx,
            |ui| {
                if !self.problem.is_empty() {
                    ui.colored_label(ui.visuals().error_fg_color, &self.problem);
                }
                self.labels(ui, ws.session.project(), intents);
                ui.separator();
                self.relation_types(ui, &ws.session.project().schema, intents);
                ui.separator();
                self.doc_labels(ui, &ws.session.project().schema, intents);
            },
        );
        self.open = open;
        self.delete_question(ctx, ws.session.project(), intents);
    }

    fn labels(&mut self, ui: &mut egui::Ui, project: &Project, intents: &mut Vec<Intent>) {
        let schema = &project.schema;
        ui.heading("Span labels");
        for (index, label) in schema.labels.iter().enumerate() {
            ui.push_id(("label", index), |ui| {
                ui.horizontal(|ui| {
                    let mut rgb = label.color.0;
                    let colour = ui.label("Colour");
                    if ui.color_edit_button_srgb(&mut rgb).labelled_by(colour.id).changed() {
                        let mut s = schema.clone();
                        s.labels[index].color = Rgb(rgb);
                        intents.push(set_schema(s));
                    }
                    if let Some(name) = self.field(ui, format!("name{index}"), "Name", &label.name, 110.0) {
                        intents.push(Intent::Edit(Edit::RenameLabel {
                            from: label.name.clone(),
                            to: name.trim().to_string(),
                        }));
                    }
                    let key = label.key.map(String::from).unwrap_or_default();
                    if let Some(text) = self.field(ui, format!("key{index}"), "Key", &key, 20.0) {
                        self.set_key(schema, index, &text, intents);
                    }
                    if ui.add_enabled(index > 0, egui::Button::new("↑")).on_hover_text("Move up").clicked() {
                        let mut s = schema.clone();
                        s.labels.swap(index, index - 1);
                        intents.push(set_schema(s));
                    }
                    let last = index + 1 == schema.labels.len();
                    if ui.add_enabled(!last, egui::Button::new("↓")).on_hover_text("Move down").clicked() {
                        let mut s = schema.clone();
                        s.labels.swap(index, index + 1);
                        intents.push(set_schema(s));
                    }
                    if ui.button("Delete").clicked() {
                        let in_use: usize = project
                            .documents
                            .iter()
                            .map(|d| d.spans.iter().filter(|s| s.label == label.name).count())
                            .sum();
                        if in_use > 0 {
                            self.deleting = Some((label.name.clone(), in_use, None));
                        } else if let Ok(edit) = delete_label(project, &label.name, &LabelFate::Delete) {
                            intents.push(Intent::Edit(edit));
                        }
                    }
                });
                if let Some(text) = self.field(ui, format!("guide{index}"), "Guideline", &label.guideline, 420.0) {
                    let mut s = schema.clone();
                    s.labels[index].guideline = text;
                    intents.push(set_schema(s));
                }
                self.attributes(ui, project, index, intents);
            });
            ui.add_space(6.0);
        }
        ui.horizontal(|ui| {
            let name = ui.label("New label");
            ui.add(egui::TextEdit::singleline(&mut self.new_label).desired_width(140.0)).labelled_by(name.id);
            if ui.button("Add label").clicked() {
                self.add_label(schema, intents);
            }
        });
    }

    fn set_key(&mut self, schema: &Schema, index: usize, text: &str, intents: &mut Vec<Intent>) {
        let mut chars = text.trim().chars();
        let key = match (chars.next(), chars.next()) {
            (None, _) => None,
            (Some(c), None) => Some(c),
            _ => {
                self.problem = format!("a key is one character, not {text:?}");
                return;
            }
        };
        if let Some(problem) = key.and_then(|k| key_conflict(schema, index, k)) {
            self.problem = format!("Not changed: {problem}");
            return;
        }
        self.problem.clear();
        let mut s = schema.clone();
        s.labels[index].key = key;
        intents.push(set_schema(s));
    }

    fn add_label(&mut self, schema: &Schema, intents: &mut Vec<Intent>) {
        let name = self.new_label.trim().to_string();
        let mut s = schema.clone();
        let key = ('1'..='9').find(|k| key_conflict(schema, usize::MAX, *k).is_none());
        let color = Rgb(NEW_COLOURS[schema.labels.len() % NEW_COLOURS.len()]);
        s.labels.push(LabelDef { name, color, key, guideline: String::new(), attributes: Vec::new() });
        match schema_problems(&s).into_iter().next() {
            Some(problem) => self.problem = format!("Not added: {problem}"),
            None => {
                self.problem.clear();
                self.new_label.clear();
                intents.push(set_schema(s));
            }
        }
    }

    /// The label's attributes: kind and choices; add and delete (deleting clears the values on spans).
    fn attributes(&mut self, ui: &mut egui::Ui, project: &Project, index: usize, intents: &mut Vec<Intent>) {
        let schema = &project.schema;
        let label = &schema.labels[index];
        egui::CollapsingHeader::new(format!("Attributes of {} ({})", label.name, label.attributes.len()))
            .id_salt(("attrs", index))
            .show(ui, |ui| {
                for (a, attr) in label.attributes.iter().enumerate() {
                    ui.horizontal(|ui| {
                        ui.label(format!("{} — {}", attr.name, attr.kind.name()));
                        if let AttrKind::Choice(choices) = &attr.kind {
                            let joined = choices.join(", ");
                            if let Some(text) = self.field(ui, format!("choices{index}.{a}"), "Choices", &joined, 260.0)
                            {
                                let mut s = schema.clone();
                                let list = text.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty());
                                s.labels[index].attributes[a].kind = AttrKind::Choice(list.collect());
                                intents.push(set_schema(s));
                            }
                        }
                        if ui.small_button("Delete").clicked()
                            && let Some(edit) = project
                                .schema
                                .labels
                                .get(index)
                                .and_then(|l| delete_attribute(project, &l.name, &l.attributes.get(a)?.name).ok())
                        {
                            intents.push(Intent::Edit(edit));
                        }
                    });
                }
                ui.horizontal(|ui| {
                    let id = format!("newattr{index}");
                    let buffer = self.buffers.entry(id).or_default();
                    let name = ui.label("New attribute");
                    ui.add(egui::TextEdit::singleline(buffer).desired_width(110.0)).labelled_by(name.id);
                    let name = buffer.trim().to_string();
                    for kind in
                        [AttrKind::Bool, AttrKind::Choice(Vec::new()), AttrKind::Text, AttrKind::Number, AttrKind::Url]
                    {
                        if ui.small_button(format!("+ {}", kind.name())).clicked() && !name.is_empty() {
                            let mut s = schema.clone();
                            s.labels[index].attributes.push(AttributeDef { name: name.clone(), kind });
                            match schema_problems(&s).into_iter().next() {
                                Some(problem) => self.problem = format!("Not added: {problem}"),
                                None => {
                                    self.buffers.remove(&format!("newattr{index}"));
                                    intents.push(set_schema(s));
                                }
                            }
                        }
                    }
                });
            });
    }

    fn relation_types(&mut self, ui: &mut egui::Ui, schema: &Schema, intents: &mut Vec<Intent>) {
        ui.heading("Relation types");
        for (index, kind) in schema.relation_types.iter().enumerate() {
            ui.push_id(("rel", index), |ui| {
                ui.horizontal(|ui| {
                    if let Some(name) = self.field(ui, format!("rel{index}"), "Name", &kind.name, 120.0) {
                        intents.push(Intent::Edit(Edit::RenameRelationType { from: kind.name.clone(), to: name }));
                    }
                    if ui.button("Delete").clicked() {
                        let mut s = schema.clone();
                        s.relation_types.remove(index);
                        intents.push(set_schema(s));
                    }
                });
                for (end, names) in [("from", &kind.from), ("to", &kind.to)] {
                    ui.horizontal(|ui| {
                        ui.label(format!("{end}:"));
                        for label in &schema.labels {
                            let mut on = names.contains(&label.name);
                            if ui.checkbox(&mut on, &label.name).changed() {
                                let mut s = schema.clone();
                                let list = if end == "from" {
                                    &mut s.relation_types[index].from
                                } else {
                                    &mut s.relation_types[index].to
                                };
                                if on {
                                    list.push(label.name.clone());
                                } else {
                                    list.retain(|l| l != &label.name);
                                }
                                intents.push(set_schema(s));
                            }
                        }
                        if names.is_empty() {
                            ui.weak("(any label)");
                        }
                    });
                }
            });
        }
        ui.horizontal(|ui| {
            let name = ui.label("New relation type");
            ui.add(egui::TextEdit::singleline(&mut self.new_relation).desired_width(140.0)).labelled_by(name.id);
            if ui.button("Add relation type").clicked() {
                let mut s = schema.clone();
                let name = self.new_relation.trim().to_string();
                s.relation_types.push(RelationTypeDef {
                    name,
                    from: Vec::new(),
                    to: Vec::new(),
                    guideline: String::new(),
                });
                match schema_problems(&s).into_iter().next() {
                    Some(problem) => self.problem = format!("Not added: {problem}"),
                    None => {
                        self.new_relation.clear();
                        intents.push(set_schema(s));
                    }
                }
            }
        });
    }

    fn doc_labels(&mut self, ui: &mut egui::Ui, schema: &Schema, intents: &mut Vec<Intent>) {
        ui.heading("Document labels");
        for (index, set) in schema.doc_labels.iter().enumerate() {
            ui.horizontal(|ui| {
                ui.label(&set.name);
                let joined = set.choices.join(", ");
                if let Some(text) = self.field(ui, format!("docset{index}"), "Choices", &joined, 300.0) {
                    let mut s = schema.clone();
                    s.doc_labels[index].choices =
                        text.split(',').map(|c| c.trim().to_string()).filter(|c| !c.is_empty()).collect();
                    intents.push(set_schema(s));
                }
            });
        }
    }

    /// "Delete a label in use": move its spans to another label, or delete them.
    fn delete_question(&mut self, ctx: &egui::Context, project: &Project, intents: &mut Vec<Intent>) {
        let Some((name, count, target)) = &mut self.deleting else { return };
        let mut done = false;
        egui::Modal::new(egui::Id::unique("delete_label")).show(ctx, |ui| {
            ui.heading(format!("Delete label {name}?"));
            ui.label(format!("{count} span(s) have this label."));
            ui.horizontal(|ui| {
                let others: Vec<&str> =
                    project.schema.labels.iter().map(|l| l.name.as_str()).filter(|l| l != name).collect();
                egui::ComboBox::from_label("Move them to")
                    .selected_text(target.clone().unwrap_or_else(|| "—".into()))
                    .show_ui(ui, |ui| {
                        for other in others {
                            ui.selectable_value(target, Some(other.to_string()), other);
                        }
                    });
                if ui.add_enabled(target.is_some(), egui::Button::new("Move and delete label")).clicked()
                    && let Some(other) = target.clone()
                    && let Ok(edit) = delete_label(project, name, &LabelFate::MoveTo(other))
                {
                    intents.push(Intent::Edit(edit));
                    done = true;
                }
            });
            ui.horizontal(|ui| {
                if ui.button("Delete the spans too").clicked()
                    && let Ok(edit) = delete_label(project, name, &LabelFate::Delete)
                {
                    intents.push(Intent::Edit(edit));
                    done = true;
                }
                if ui.button("Cancel").clicked() {
                    done = true;
                }
            });
        });
        if done {
            self.deleting = None;
        }
    }
}
