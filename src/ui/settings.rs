//! The Settings window (annotator, theme, text size, snapping) and the Guidelines window.

use super::doc_view::label_color;
use super::intent::Intent;
use super::prefs::{Preferences, ThemeChoice};
use super::workspace::Workspace;

/// Draws Settings when `open`. Changes to preferences apply at once; the annotator goes through an
/// intent because the workspace records it on new spans.
pub fn settings(
    ctx: &egui::Context,
    prefs: &mut Preferences,
    font_size: &mut f32,
    open: &mut bool,
    intents: &mut Vec<Intent>,
) {
    let mut still_open = *open;
    egui::Window::new("Settings").open(&mut still_open).show(ctx, |ui| {
        if prefs.annotator.trim().is_empty() {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                "Who is annotating? Your name is stored on every span you make.",
            );
        }
        let label = ui.label("Annotator name");
        let mut name = prefs.annotator.clone();
        if ui.add(egui::TextEdit::singleline(&mut name)).labelled_by(label.id).changed() {
            intents.push(Intent::SetAnnotator(name));
        }
        ui.horizontal(|ui| {
            ui.label("Theme");
            for (choice, text) in
                [(ThemeChoice::Dark, "dark"), (ThemeChoice::Light, "light"), (ThemeChoice::System, "system")]
            {
                if ui.radio_value(&mut prefs.theme, choice, text).changed() {
                    ctx.set_theme(choice.preference());
                }
            }
        });
        let label = ui.label("Text size");
        if ui.add(egui::Slider::new(font_size, 10.0..=32.0).suffix(" pt")).labelled_by(label.id).changed() {
            prefs.font_size = *font_size;
        }
        ui.checkbox(&mut prefs.snap_words, "Snap selections to whole words");
        ui.weak("Ctrl+= / Ctrl+- / Ctrl+0 change the text size too.");
    });
    *open = still_open;
}

/// Draws the Guidelines window when `open`: every label's colour, key and guideline, and the relation
/// types.
pub fn guidelines(ctx: &egui::Context, ws: &Workspace, open: &mut bool) {
    egui::Window::new("Guidelines").open(open).default_width(480.0).vscroll(true).show(ctx, |ui| {
        for label in &ws.project.schema.labels {
            let key = label.key.map_or(String::new(), |k| format!(" (key {k})"));
            ui.colored_label(label_color(label.color), egui::RichText::new(format!("{}{key}", label.name)).strong());
            ui.label(if label.guideline.is_empty() { "—" } else { &label.guideline });
            ui.add_space(6.0);
        }
        ui.separator();
        for kind in &ws.project.schema.relation_types {
            let ends = |names: &[String]| if names.is_empty() { "any".to_string() } else { names.join(" | ") };
            ui.label(egui::RichText::new(format!("{}: {} → {}", kind.name, ends(&kind.from), ends(&kind.to))).strong());
            if !kind.guideline.is_empty() {
                ui.label(&kind.guideline);
            }
        }
    });
}
