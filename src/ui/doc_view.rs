//! The document view: title, metadata, and the text by paragraph with span highlights.
//!
//! Highlights here are the foundation's simple version: the innermost span colours the background and an
//! enclosing span underlines it, so a Source inside a Claim shows as both.

use egui::text::{LayoutJob, TextFormat};

use crate::model::{Document, Project, Rgb};
use crate::text::offsets::OffsetMap;

/// The egui colour of a label colour.
pub fn label_color(rgb: Rgb) -> egui::Color32 {
    let [r, g, b] = rgb.0;
    egui::Color32::from_rgb(r, g, b)
}

/// Draws `doc`.
pub fn show(ui: &mut egui::Ui, project: &Project, doc: &Document) {
    ui.heading(&doc.title);
    let meta = &doc.meta;
    let facts: Vec<&str> = [meta.author.as_str(), meta.date.as_str(), meta.publication.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    if !facts.is_empty() {
        ui.weak(facts.join(" · "));
    }
    ui.separator();
    let highlighted = highlight_ranges(project, doc);
    let body = egui::TextStyle::Body.resolve(ui.style());
    let text_color = ui.visuals().text_color();
    egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
        ui.spacing_mut().item_spacing.y = 12.0;
        for paragraph in paragraphs(&doc.text) {
            let mut job = LayoutJob::default();
            job.wrap.max_width = ui.available_width();
            for (range, colors) in segments(paragraph.clone(), &highlighted) {
                let mut format = TextFormat {
                    font_id: body.clone(),
                    color: text_color,
                    line_height: Some(body.size * 1.5),
                    ..Default::default()
                };
                if let Some(inner) = colors.last() {
                    format.background = inner.gamma_multiply(0.28);
                }
                if colors.len() > 1 {
                    format.underline = egui::Stroke::new(2.0, colors[colors.len() - 2]);
                }
                job.append(&doc.text[range], 0.0, format);
            }
            ui.label(job);
        }
    });
}

/// Byte ranges of paragraphs (text between blank lines).
fn paragraphs(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices("\n\n") {
        if at > start {
            out.push(start..at);
        }
        start = at + 2;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// Span byte ranges with their colours, outer spans first (the order spans are stored in).
fn highlight_ranges(project: &Project, doc: &Document) -> Vec<(std::ops::Range<usize>, egui::Color32)> {
    let map = OffsetMap::new(&doc.text);
    doc.spans
        .iter()
        .filter_map(|span| {
            let color = project.schema.label(&span.label).map_or(egui::Color32::GRAY, |l| label_color(l.color));
            map.byte_range(span.range()).ok().map(|bytes| (bytes, color))
        })
        .collect()
}

/// Splits `paragraph` where spans start or end; each piece comes with the colours of the spans covering it,
/// outermost first.
fn segments(
    paragraph: std::ops::Range<usize>,
    spans: &[(std::ops::Range<usize>, egui::Color32)],
) -> Vec<(std::ops::Range<usize>, Vec<egui::Color32>)> {
    let mut cuts = vec![paragraph.start, paragraph.end];
    for (range, _) in spans {
        for edge in [range.start, range.end] {
            if paragraph.contains(&edge) {
                cuts.push(edge);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let piece = w[0]..w[1];
            let colors =
                spans.iter().filter(|(r, _)| r.start <= piece.start && piece.end <= r.end).map(|(_, c)| *c).collect();
            (piece, colors)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_segments() {
        let text = "One “two”.\n\nThree 😡 four.";
        let paras = paragraphs(text);
        assert_eq!(paras.len(), 2);
        assert_eq!(&text[paras[1].clone()], "Three 😡 four.");
        let red = egui::Color32::RED;
        let blue = egui::Color32::BLUE;
        let spans = vec![(0..text.len(), red), (4..13, blue)];
        let segs = segments(paras[0].clone(), &spans);
        assert_eq!(segs.len(), 3);
        assert_eq!(segs[1].1, vec![red, blue]);
    }
}
