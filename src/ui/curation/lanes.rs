//! Drawing the annotators' layers side by side: one lane of text per annotator with their spans
//! highlighted, and an overview strip of the whole document with every layer in its own row.

use std::ops::Range;

use egui::text::LayoutJob;
use egui::{Color32, Rect, Sense, Stroke, TextFormat, pos2, vec2};

use crate::model::{CharIdx, Document, Project, Span};

use super::super::doc_view::color_of;

/// Byte offsets of every char boundary of a text, so a group's text can be cut out without walking the
/// whole document again each frame.
pub struct CharBytes(Vec<usize>);

impl CharBytes {
    /// The boundaries of `text`.
    pub fn new(text: &str) -> CharBytes {
        let mut bounds: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        bounds.push(text.len());
        CharBytes(bounds)
    }

    /// The chars `range` of `text` (clamped to it).
    pub fn slice<'t>(&self, text: &'t str, range: Range<CharIdx>) -> &'t str {
        let last = self.0.len().saturating_sub(1);
        let (start, end) = (range.start.0.min(last), range.end.0.min(last));
        let (a, b) = (self.0.get(start).copied().unwrap_or(0), self.0.get(end).copied().unwrap_or(0));
        text.get(a..b.max(a)).unwrap_or("")
    }
}

/// The text of `range` with `spans` highlighted in their label colours (the innermost span wins where
/// they nest), as one lane of the side-by-side view.
pub fn lane_job(
    ui: &egui::Ui,
    project: &Project,
    text: &str,
    bytes: &CharBytes,
    range: Range<CharIdx>,
    spans: &[&Span],
) -> LayoutJob {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let plain = TextFormat { font_id: font.clone(), color: ui.visuals().text_color(), ..TextFormat::default() };
    let mut cuts: Vec<usize> = vec![range.start.0, range.end.0];
    for span in spans {
        cuts.push(span.start.0.clamp(range.start.0, range.end.0));
        cuts.push(span.end.0.clamp(range.start.0, range.end.0));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut job = LayoutJob::default();
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let piece = bytes.slice(text, CharIdx(a)..CharIdx(b));
        let inner = spans.iter().filter(|s| s.start.0 <= a && b <= s.end.0).min_by_key(|s| s.len());
        let format = match inner {
            Some(span) => {
                let color = color_of(project, &span.label);
                TextFormat {
                    background: color.gamma_multiply(0.3),
                    underline: Stroke::new(2.0, color),
                    ..plain.clone()
                }
            }
            None => plain.clone(),
        };
        job.append(piece, 0.0, format);
    }
    job
}

/// One row of the overview strip.
pub struct StripRow<'a> {
    /// Shown left of the row.
    pub name: &'a str,
    /// The row's spans.
    pub spans: Vec<&'a Span>,
}

/// Paints the whole document as a strip, one row per layer, with `marked` (the current disagreement)
/// outlined. Returns the char position clicked, if any, so the caller can jump to what is there.
pub fn overview(
    ui: &mut egui::Ui,
    project: &Project,
    doc: &Document,
    rows: &[StripRow<'_>],
    marked: Option<Range<CharIdx>>,
) -> Option<CharIdx> {
    let row_h = 12.0;
    let name_w = 44.0;
    let len = doc.char_len().max(1) as f32;
    let width = ui.available_width().max(name_w + 40.0);
    let (rect, response) = ui.allocate_exact_size(vec2(width, row_h * rows.len() as f32 + 2.0), Sense::click());
    let summary: Vec<String> = rows.iter().map(|r| format!("{} {} spans", r.name, r.spans.len())).collect();
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::Role::Image, true, format!("Layers overview: {}", summary.join(", ")))
    });
    let painter = ui.painter_at(rect);
    let track = Rect::from_min_max(pos2(rect.left() + name_w, rect.top()), rect.right_bottom());
    let x_of = |c: usize| track.left() + track.width() * (c as f32 / len);
    let font = egui::FontId::proportional(row_h - 2.0);
    for (i, row) in rows.iter().enumerate() {
        let top = rect.top() + 1.0 + row_h * i as f32;
        painter.text(
            pos2(rect.left(), top),
            egui::Align2::LEFT_TOP,
            row.name,
            font.clone(),
            ui.visuals().weak_text_color(),
        );
        let lane = Rect::from_min_max(pos2(track.left(), top + 1.0), pos2(track.right(), top + row_h - 1.0));
        painter.rect_filled(lane, 0.0, ui.visuals().faint_bg_color);
        for span in &row.spans {
            let r = Rect::from_min_max(
                pos2(x_of(span.start.0), lane.top()),
                pos2(x_of(span.end.0).max(x_of(span.start.0) + 1.0), lane.bottom()),
            );
            painter.rect_filled(r, 0.0, color_of(project, &span.label));
        }
    }
    if let Some(m) = marked {
        let r = Rect::from_min_max(pos2(x_of(m.start.0) - 2.0, rect.top()), pos2(x_of(m.end.0) + 2.0, rect.bottom()));
        painter.rect_stroke(r, 1.0, Stroke::new(2.0, ui.visuals().strong_text_color()), egui::StrokeKind::Outside);
    }
    let pos = response.interact_pointer_pos().filter(|_| response.clicked())?;
    (pos.x >= track.left()).then(|| CharIdx((((pos.x - track.left()) / track.width()) * len) as usize))
}

/// A label name in its colour, as a small chip.
pub fn label_chip(ui: &mut egui::Ui, project: &Project, label: &str) {
    let color = color_of(project, label);
    ui.label(egui::RichText::new(label).color(Color32::WHITE).background_color(color).small());
}
