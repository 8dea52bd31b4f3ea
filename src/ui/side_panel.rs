//! The right panel: the label palette, the inspector of the selected span, and the document's span list.

use crate::edit::Edit;
use crate::model::{AttrKind, AttrValue, Document, ReviewState, Span};

use super::doc_view::{DocView, color_of, label_color};
use super::intent::Intent;
use super::workspace::Workspace;

/// The panel's own state: the note being typed (saved when the field loses focus).
#[derive(Default)]
pub struct SidePanel {
    note: Option<(crate::model::SpanId, String)>,
    /// Attribute text being typed: (span, attribute) → text.
    attr_text: std::collections::HashMap<(crate::model::SpanId, String), String>,
    /// Why the last attribute value was refused.
    attr_problem: String,
    /// The shown document's annotators with their span counts, kept per project revision.
    annotators: Option<Annotators>,
}

/// Who annotated the shown document: a count per name, adjusted after a simple edit instead of walking
/// every span again, and the names in order for the filter.
struct Annotators {
    doc: crate::model::DocId,
    revision: u64,
    counts: std::collections::BTreeMap<String, usize>,
    names: Vec<String>,
}

impl Annotators {
    fn count(doc: &crate::model::Document, revision: u64) -> Annotators {
        let mut counts = std::collections::BTreeMap::new();
        let mut last: Option<(&str, usize)> = None;
        // Neighbouring spans usually share an annotator: count runs, then add each run once.
        for span in &doc.spans {
            match &mut last {
                Some((name, n)) if *name == span.annotator => *n += 1,
                _ => {
                    if let Some((name, n)) = last {
                        *counts.entry(name.to_string()).or_insert(0) += n;
                    }
                    last = Some((span.annotator.as_str(), 1));
                }
            }
        }
        if let Some((name, n)) = last {
            *counts.entry(name.to_string()).or_insert(0) += n;
        }
        let names = counts.keys().cloned().collect();
        Annotators { doc: doc.id.clone(), revision, counts, names }
    }

    /// Brings the counts up to the workspace's revision.
    fn refresh(slot: &mut Option<Annotators>, ws: &Workspace, doc: &crate::model::Document) {
        if let Some(a) = slot.as_mut().filter(|a| a.doc == doc.id) {
            if a.revision == ws.session.revision() {
                return;
            }
            match (a.revision + 1 == ws.session.revision(), ws.session.touched(), ws.session.change()) {
                // One edit, to another document: nothing here changed.
                (true, Some(touched), _) if *touched != doc.id => a.revision = ws.session.revision(),
                (true, Some(_), Some(change)) => a.adjust(change, ws.session.revision()),
                _ => *slot = Some(Annotators::count(doc, ws.session.revision())),
            }
            return;
        }
        *slot = Some(Annotators::count(doc, ws.session.revision()));
    }

    /// Applies one edit's counts.
    fn adjust(&mut self, change: &crate::ui::workspace::SpanChange, revision: u64) {
        for c in &change.counts {
            let n = self.counts.entry(c.annotator.clone()).or_insert(0);
            *n = n.saturating_add_signed(c.delta as isize);
        }
        self.counts.retain(|_, n| *n > 0);
        if !self.names.iter().eq(self.counts.keys()) {
            self.names = self.counts.keys().cloned().collect();
        }
        self.revision = revision;
    }
}

impl SidePanel {
    /// Draws the panel.
    pub fn show(&mut self, ui: &mut egui::Ui, ws: &Workspace, view: &DocView, intents: &mut Vec<Intent>) {
        palette(ui, ws, intents);
        ui.separator();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            if let (Some(doc), Some(span)) = (ws.document(), ws.span()) {
                self.inspector(ui, ws, view, doc, span, intents);
                ui.separator();
            } else if let Some(sel) = ws.cursor.selection.filter(|s| !s.is_caret()) {
                let r = sel.range();
                ui.label(format!("Selected chars {}–{}: press a label key to tag them.", r.start.0, r.end.0));
                ui.separator();
            }
            if let Some(doc) = ws.document() {
                Annotators::refresh(&mut self.annotators, ws, doc);
                let names = self.annotators.as_ref().map(|a| a.names.as_slice()).unwrap_or_default();
                annotator_filter(ui, ws, names, intents);
                span_list(ui, ws, view, doc, intents);
            }
        });
    }

    fn inspector(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        view: &DocView,
        doc: &Document,
        span: &Span,
        intents: &mut Vec<Intent>,
    ) {
        ui.heading("Span");
        // Rows wrap rather than grow: a right panel whose content is wider than the panel makes egui take
        // the panel for narrower than it is, and the text view then paints over its left edge.
        let text = view.slice(doc, span.range()).unwrap_or_default();
        ui.horizontal_wrapped(|ui| {
            ui.colored_label(color_of(ws.session.project(), &span.label), egui::RichText::new(&span.label).strong());
            ui.weak(format!("chars {}–{} · by {}", span.start.0, span.end.0, or_dash(&span.annotator)));
        });
        ui.label(egui::RichText::new(format!("“{text}”")).italics());
        if !span.conflict.is_empty() {
            conflict_note(ui, ws, view, doc, span, intents);
        }
        if !span.origin.is_empty() {
            ui.weak(format!("from {}", span.origin));
        }
        // The note is typed into a buffer and saved as one edit when the field loses focus.
        let buffer = match &mut self.note {
            Some((id, buf)) if *id == span.id => buf,
            slot => &mut slot.insert((span.id, span.note.clone())).1,
        };
        let label = ui.label("Note");
        let field = ui.add(egui::TextEdit::multiline(buffer).desired_rows(2)).labelled_by(label.id);
        if field.lost_focus() && *buffer != span.note {
            intents.push(Intent::SetNote(span.id, buffer.clone()));
        }
        if !field.has_focus() && *buffer != span.note && !field.lost_focus() {
            // The note changed under us (undo): show the stored one.
            *buffer = span.note.clone();
        }
        self.attributes(ui, ws, doc, span, intents);
        ui.horizontal_wrapped(|ui| {
            ui.label("Review");
            for state in [ReviewState::Unreviewed, ReviewState::Accepted, ReviewState::Rejected] {
                if ui.selectable_label(span.review == state, state.as_str()).clicked() && span.review != state {
                    let reviewer = state.reviewer(&ws.session.annotator);
                    intents.push(Intent::Edit(Edit::SetSpanReview {
                        doc: doc.id.clone(),
                        span: span.id,
                        review: state,
                        reviewer,
                    }));
                }
            }
        });
        ui.label("Relations");
        let mut any = false;
        for rel in doc.relations_of(span.id) {
            any = true;
            let (dir, other) = if rel.from == span.id { ("→", rel.to) } else { ("←", rel.from) };
            let other_label = doc.span(other).map_or("?", |s| s.label.as_str());
            ui.horizontal_wrapped(|ui| {
                if ui.link(format!("{dir} {} {other_label} #{}", rel.kind, other.0)).clicked() {
                    intents.push(Intent::ClickSpan(other));
                }
                if ui.small_button("remove").on_hover_text("Remove this relation").clicked() {
                    intents.push(Intent::RemoveRelation(rel.id));
                }
            });
        }
        if !any {
            ui.weak("none — press R, then click the span this one links to");
        }
    }
}

impl SidePanel {
    /// The attributes the span's label defines, each with a widget that fits its kind.
    fn attributes(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        doc: &Document,
        span: &Span,
        intents: &mut Vec<Intent>,
    ) {
        let Some(def) = ws.session.project().schema.label(&span.label) else { return };
        let set = |name: &str, value: Option<AttrValue>| {
            Intent::Edit(Edit::SetSpanAttr { doc: doc.id.clone(), span: span.id, name: name.to_string(), value })
        };
        if !self.attr_problem.is_empty() {
            ui.colored_label(ui.visuals().error_fg_color, &self.attr_problem);
        }
        for attr in &def.attributes {
            let current = span.attributes.get(&attr.name);
            ui.horizontal_wrapped(|ui| {
                if attr.kind == AttrKind::Bool {
                    // A checkbox carries its own name.
                    let mut on = matches!(current, Some(AttrValue::Bool(true)));
                    if ui.checkbox(&mut on, &attr.name).changed() {
                        intents.push(set(&attr.name, Some(AttrValue::Bool(on))));
                    }
                    return;
                }
                let name_label = ui.label(&attr.name);
                match &attr.kind {
                    AttrKind::Bool => {}
                    AttrKind::Choice(choices) => {
                        let shown = current.map_or("—".to_string(), ToString::to_string);
                        let combo =
                            egui::ComboBox::from_id_salt(("attr", &attr.name)).selected_text(shown).show_ui(ui, |ui| {
                                if ui.selectable_label(current.is_none(), "—").clicked() && current.is_some() {
                                    intents.push(set(&attr.name, None));
                                }
                                for choice in choices {
                                    let chosen = current.is_some_and(|v| v.to_string() == *choice);
                                    if ui.selectable_label(chosen, choice).clicked() && !chosen {
                                        intents.push(set(&attr.name, Some(AttrValue::Text(choice.clone()))));
                                    }
                                }
                            });
                        combo.response.labelled_by(name_label.id);
                    }
                    AttrKind::Text | AttrKind::Url | AttrKind::Number => {
                        let stored = current.map_or(String::new(), ToString::to_string);
                        let key = (span.id, attr.name.clone());
                        let buffer = self.attr_text.entry(key.clone()).or_insert_with(|| stored.clone());
                        let field =
                            ui.add(egui::TextEdit::singleline(buffer).desired_width(180.0)).labelled_by(name_label.id);
                        if field.lost_focus() {
                            if *buffer != stored {
                                match attr.kind.parse_value(buffer) {
                                    Ok(value) => {
                                        self.attr_problem.clear();
                                        intents.push(set(&attr.name, value));
                                    }
                                    Err(problem) => self.attr_problem = format!("{}: {problem}", attr.name),
                                }
                            }
                            self.attr_text.remove(&key);
                        } else if !field.has_focus() {
                            buffer.clone_from(&stored);
                        }
                    }
                }
            });
        }
    }
}

/// A span a merge flagged: which side it is, what the other version says, and a button that keeps this one
/// (the same edit as `factmark span resolve`, one undoable step).
fn conflict_note(
    ui: &mut egui::Ui,
    ws: &Workspace,
    view: &DocView,
    doc: &Document,
    span: &Span,
    intents: &mut Vec<Intent>,
) {
    let side = span.conflict_group().map_or("unknown side", |(_, side)| side);
    let others: Vec<String> = span
        .conflict_group()
        .map(|(group, _)| {
            let other = |s: &&Span| s.id != span.id && s.conflict_group().is_some_and(|(g, _)| g == group);
            doc.spans
                .iter()
                .filter(other)
                .map(|s| format!("{} '{}'", s.label, short(view.slice(doc, s.range()).unwrap_or_default())))
                .collect()
        })
        .unwrap_or_default();
    let other = if others.is_empty() { "deleted".to_string() } else { others.join(", ") };
    ui.colored_label(
        ui.visuals().warn_fg_color,
        format!("⚠ Conflict from a merge: {side} — the other version: {other}"),
    );
    if ui.button("Keep this version").on_hover_text("Remove the other version and clear the flag").clicked() {
        // Built from the project as shown; a span that is no longer in conflict has nothing to settle.
        if let Ok(resolution) = crate::merge::resolve_edit(ws.session.project(), span.id) {
            intents.push(Intent::Edit(resolution.edit));
        }
    }
}

/// The first 40 chars of a span's text, with an ellipsis when cut.
fn short(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() { format!("{head}…") } else { head }
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { "—" } else { s }
}

/// Colour, key and name of each label; the guideline as tooltip. A click applies the label.
fn palette(ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
    ui.heading("Labels");
    for (index, label) in ws.session.project().schema.labels.iter().enumerate() {
        let key = label.key.map_or(String::new(), |k| format!("{k}  "));
        let text = egui::RichText::new(format!("{key}{}", label.name)).color(label_color(label.color)).strong();
        let mut button = ui.add(egui::Button::new(text).min_size(egui::vec2(ui.available_width(), 0.0)));
        if !label.guideline.is_empty() {
            button = button.on_hover_text(&label.guideline);
        }
        if button.clicked() {
            intents.push(Intent::ApplyLabel(index));
        }
    }
    if let Some(from) = ws.cursor.pending_relation {
        ui.colored_label(ui.visuals().warn_fg_color, format!("Linking from span #{}: click its target", from.0));
    }
}

/// Which annotators' spans are shown: one, several or all.
fn annotator_filter(ui: &mut egui::Ui, ws: &Workspace, names: &[String], intents: &mut Vec<Intent>) {
    if names.len() < 2 && ws.hidden_annotators.is_empty() {
        return;
    }
    ui.horizontal_wrapped(|ui| {
        ui.label("Show spans by");
        for name in names {
            let name = name.as_str();
            let mut shown = !ws.hidden_annotators.contains(name);
            let text = if name.is_empty() { "(nobody)" } else { name };
            if ui.checkbox(&mut shown, text).changed() {
                intents.push(Intent::ToggleAnnotator(name.to_string()));
            }
        }
    });
}

/// The document's spans in reading order; a click selects (and scrolls to) one.
fn span_list(ui: &mut egui::Ui, ws: &Workspace, view: &DocView, doc: &Document, intents: &mut Vec<Intent>) {
    ui.heading(format!("Spans ({})", doc.spans.len()));
    // Long documents can have thousands of spans: only the rows in sight are built.
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
    egui::ScrollArea::vertical().id_salt("span_list").max_height(320.0).show_rows(
        ui,
        row_height,
        doc.spans.len(),
        |ui, rows| {
            for span in &doc.spans[rows] {
                let text: String = view.slice(doc, span.range()).unwrap_or_default().chars().take(48).collect();
                let label = format!("{}  {text}", span.label);
                if span_row(
                    ui,
                    row_height,
                    &label,
                    color_of(ws.session.project(), &span.label),
                    ws.cursor.selected_span == Some(span.id),
                )
                .clicked()
                {
                    intents.push(Intent::ClickSpan(span.id));
                }
            }
        },
    );
}

/// One row of the span list: a clickable line of text, highlighted when selected or hovered. Drawn by
/// hand because a full selectable button per row (the list shows ~20 of 10,000) was a third of a still
/// frame of the window; screen readers still get a button with the row's text and its selected state.
fn span_row(ui: &mut egui::Ui, height: f32, text: &str, color: egui::Color32, selected: bool) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(ui.available_width(), height), egui::Sense::click());
    response.widget_info(|| egui::WidgetInfo::selected(egui::Role::Button, ui.is_enabled(), selected, text));
    if ui.is_rect_visible(rect) {
        let visuals = ui.visuals();
        if selected {
            ui.painter().rect_filled(rect, 2.0, visuals.selection.bg_fill);
        } else if response.hovered() {
            ui.painter().rect_filled(rect, 2.0, visuals.widgets.hovered.weak_bg_fill);
        }
        // On the selection fill the label colour would be hard to read: the selected row is in the
        // selection's own text colour.
        let color = if selected { visuals.selection.stroke.color } else { color };
        let font = egui::TextStyle::Body.resolve(ui.style());
        let galley = ui.painter().layout_no_wrap(text.to_string(), font, color);
        let pos = egui::pos2(rect.left() + 4.0, rect.center().y - galley.size().y / 2.0);
        ui.painter().with_clip_rect(rect).galley(pos, galley, color);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Edit;
    use crate::model::{CharIdx, DocId, Document, Project, Span, SpanId};

    #[test]
    fn annotator_counts_follow_edits_as_a_recount_would() {
        let mut project = Project::new("p");
        let mut doc = Document::new(DocId("d".into()), "t", "x".repeat(50));
        for (id, who) in [(1, "ann"), (2, "ann"), (3, "bo")] {
            doc.spans.push(Span::new(SpanId(id), CharIdx(id as usize)..CharIdx(10), "Claim", who));
        }
        project.documents.push(doc);
        project.next_span_id = 10;
        let mut ws = Workspace::new(project, None);
        let mut slot = None;
        let doc = |ws: &Workspace| ws.session.project().documents[0].clone();
        Annotators::refresh(&mut slot, &ws, &doc(&ws));
        assert_eq!(slot.as_ref().map(|a| a.names.clone()), Some(vec!["ann".to_string(), "bo".to_string()]));
        let edits = [
            Edit::AddSpan {
                doc: DocId("d".into()),
                span: Span::new(SpanId(11), CharIdx(20)..CharIdx(30), "Claim", "cy"),
                relations: Vec::new(),
            },
            Edit::RemoveSpan { doc: DocId("d".into()), span: SpanId(3) },
            Edit::SetSpanLabel { doc: DocId("d".into()), span: SpanId(1), label: "Opinion".into() },
        ];
        for edit in edits {
            assert!(ws.edit(edit));
            assert!(ws.session.change().is_some(), "a simple edit");
            Annotators::refresh(&mut slot, &ws, &doc(&ws));
            let fresh = Annotators::count(&doc(&ws), ws.session.revision());
            let kept = slot.as_ref().expect("counted");
            assert_eq!((&kept.counts, &kept.names, kept.revision), (&fresh.counts, &fresh.names, fresh.revision));
        }
        assert_eq!(slot.map(|a| a.names), Some(vec!["ann".to_string(), "cy".to_string()]));
    }
}
