//! The status bar: the project file with a modified marker, the annotator, counts, and the last message.

use super::intent::Intent;
use super::workspace::Workspace;

/// Draws the bar. The annotator name is edited in place.
pub fn show(ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
    ui.horizontal(|ui| {
        let file = ws.session.path().map_or("(not saved yet)".to_string(), |p| p.display().to_string());
        let marker = if ws.session.is_dirty() { " ● modified" } else { "" };
        ui.label(format!("{file}{marker}"));
        ui.separator();
        let label = ui.label("Annotator");
        let mut name = ws.session.annotator.clone();
        let field = ui.add(egui::TextEdit::singleline(&mut name).desired_width(90.0)).labelled_by(label.id);
        if field.changed() {
            intents.push(Intent::SetAnnotator(name));
        }
        ui.separator();
        let project = ws.session.project();
        // A rename being written into a large folder takes the place of the counts, which it is changing
        // (and which would push it past the edge of a small window).
        if let Some((what, (done, total))) = ws.session.rename_progress() {
            ui.spinner();
            ui.label(format!("{what}: {done} of {total} documents written"));
            let stop = "Stop after the documents being written: both names stay defined; renaming again finishes";
            if ui.button("Stop").on_hover_text(stop).clicked() {
                ws.session.stop_rename();
            }
            ui.separator();
            ui.label(&ws.message);
            return;
        }
        match ws.session.lazy() {
            // Stubs have no spans: theirs come from the folder's index.
            Some(lazy) => ui.label(format!(
                "{} documents ({} in memory) · {} spans",
                project.documents.len(),
                lazy.loaded_count(),
                lazy.stub_spans() + project.span_count()
            )),
            None => ui.label(format!("{} documents · {} spans", project.documents.len(), project.span_count())),
        };
        if let Some(doc) = ws.document() {
            ui.label(format!("· this one: {} spans, {} relations", doc.spans.len(), doc.relations.len()));
        }
        // The project's settings and this document's fields and spans: a project-wide count would walk every
        // document each frame. The curation view walks them all.
        let conflicts = crate::merge::conflict_count(project, ws.document().map(|d| &d.id));
        if conflicts > 0 {
            let text = format!("· {conflicts} conflict(s) to settle");
            let hint = "Conflicts a git merge left; Document ▸ Next merge conflict walks them";
            ui.colored_label(ui.visuals().warn_fg_color, text).on_hover_text(hint);
        }
        ui.separator();
        ui.label(&ws.message);
    });
}
