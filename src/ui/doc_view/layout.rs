//! Text layout of one document, by paragraph, done lazily: only paragraphs that come into sight are laid
//! out. Span highlights are not part of the galleys (they are painted over them), so adding or removing a
//! span never lays text out again.
//!
//! A galley holds positions in egui's font atlas, and egui rebuilds that atlas when the theme, the zoom,
//! the text options or the fonts change, or when it fills up. A galley kept from before then paints
//! scattered fragments of other glyphs. So a galley is painted only in the frame it was fetched in: every
//! frame asks egui's own layout cache again (which egui empties whenever it rebuilds the atlas, and which
//! answers a repeated job by its hash, without laying it out again). What is kept here between frames is
//! only geometry: heights, and last frame's galleys for hit tests, which use positions and no glyphs.
//!
//! Paragraphs that were never laid out have an estimated height; the estimate is replaced by the real one
//! the first time the paragraph is seen.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{LayoutJob, TextFormat};
use egui::{Galley, Painter};

use crate::model::{CharIdx, DocId};
use crate::text::offsets::ForwardCursor;

/// Space between paragraphs, in points at zoom 1.
pub const PARAGRAPH_GAP: f32 = 14.0;

/// Row height as a multiple of the font size. The room between two rows' glyphs holds the upper row's
/// stacked underlines for nested spans and the lower row's label tags.
pub const LINE_HEIGHT: f32 = 2.1;

/// Row height of a document with relations: taller, so a free channel runs between the upper row's
/// underlines and the lower row's tags for the relation arcs (see `paint::arc_path`). A document without
/// relations keeps the denser [`LINE_HEIGHT`].
pub const LINE_HEIGHT_WITH_RELATIONS: f32 = 2.6;

/// One paragraph: text between blank lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Its chars in the document.
    pub chars: Range<usize>,
    /// Its bytes in the document's text.
    pub bytes: Range<usize>,
}

/// Splits `text` at blank lines, with char and byte ranges.
pub fn paragraphs(text: &str) -> Vec<Paragraph> {
    let mut out = Vec::new();
    let mut cursor = ForwardCursor::new(text);
    let mut start = 0;
    let mut push = |bytes: Range<usize>, cursor: &mut ForwardCursor<'_>| {
        if let (Ok(a), Ok(b)) = (cursor.to_char(bytes.start), cursor.to_char(bytes.end)) {
            out.push(Paragraph { chars: a.0..b.0, bytes });
        }
    };
    for (at, _) in text.match_indices("\n\n") {
        if at > start {
            push(start..at, &mut cursor);
        }
        start = at + 2;
    }
    if start < text.len() {
        push(start..text.len(), &mut cursor);
    }
    out
}

/// The layout of one document at one width and font size.
pub struct DocLayout {
    /// Which document.
    pub doc: DocId,
    /// Its paragraphs.
    pub paragraphs: Vec<Paragraph>,
    galleys: Vec<Option<Arc<Galley>>>,
    heights: Vec<f32>,
    /// `tops[i]` is the y of paragraph i from the top of the text; one more entry holds the total height.
    tops: Vec<f32>,
    tops_stale: bool,
    width: f32,
    font_size: f32,
    line_height: f32,
}

impl DocLayout {
    /// Splits the text; lays nothing out yet.
    pub fn new(doc: DocId, text: &str) -> DocLayout {
        let paragraphs = paragraphs(text);
        let n = paragraphs.len();
        DocLayout {
            doc,
            paragraphs,
            galleys: vec![None; n],
            heights: vec![0.0; n],
            tops: vec![0.0; n + 1],
            tops_stale: true,
            width: 0.0,
            font_size: 0.0,
            line_height: LINE_HEIGHT,
        }
    }

    /// Drops galleys laid out for another width, font size or row height (a multiple of the font size),
    /// and re-estimates heights.
    pub fn set_geometry(&mut self, width: f32, font_size: f32, line_height: f32) {
        if (width - self.width).abs() < 0.5
            && (font_size - self.font_size).abs() < 0.01
            && (line_height - self.line_height).abs() < 0.01
        {
            return;
        }
        self.width = width;
        self.font_size = font_size;
        self.line_height = line_height;
        self.galleys.iter_mut().for_each(|g| *g = None);
        // A rough estimate (average glyph half the font size wide) until a paragraph is seen; only
        // scrollbar proportions depend on it.
        let chars_per_row = (width / (font_size * 0.5)).max(1.0);
        for (h, p) in self.heights.iter_mut().zip(&self.paragraphs) {
            let rows = ((p.chars.len() as f32) / chars_per_row).ceil().max(1.0);
            *h = rows * font_size * line_height;
        }
        self.tops_stale = true;
    }

    /// Row height as a multiple of the font size.
    pub fn line_height(&self) -> f32 {
        self.line_height
    }

    /// The gap between paragraphs at the current font size.
    pub fn gap(&self) -> f32 {
        PARAGRAPH_GAP * self.font_size / 14.0
    }

    fn refresh_tops(&mut self) {
        if !self.tops_stale {
            return;
        }
        let gap = self.gap();
        let mut y = 0.0;
        for (i, h) in self.heights.iter().enumerate() {
            self.tops[i] = y;
            y += h + gap;
        }
        if let Some(last) = self.tops.last_mut() {
            *last = y;
        }
        self.tops_stale = false;
    }

    /// Height of the whole text.
    pub fn total_height(&mut self) -> f32 {
        self.refresh_tops();
        self.tops.last().copied().unwrap_or(0.0)
    }

    /// The y of paragraph `i` from the top of the text.
    pub fn top(&mut self, i: usize) -> f32 {
        self.refresh_tops();
        self.tops.get(i).copied().unwrap_or(0.0)
    }

    /// The y of paragraph `i` as of the last refresh (hit tests between frames use it without `&mut`).
    pub fn top_cached(&self, i: usize) -> f32 {
        self.tops.get(i).copied().unwrap_or(0.0)
    }

    /// The paragraph at height `y` as of the last refresh: the last one starting above it.
    pub fn index_at_y(&self, y: f32) -> usize {
        let n = self.paragraphs.len();
        self.tops[..n].partition_point(|&top| top <= y).saturating_sub(1)
    }

    /// Paragraphs overlapping `y_range` (text coordinates).
    pub fn visible(&mut self, y_range: Range<f32>) -> Range<usize> {
        self.refresh_tops();
        let n = self.paragraphs.len();
        let first = self.tops[..n].partition_point(|&top| top <= y_range.start).saturating_sub(1);
        let end = self.tops[..n].partition_point(|&top| top < y_range.end);
        first..end.max(first)
    }

    /// The paragraph holding char `at` (the one after it when `at` falls between paragraphs).
    pub fn paragraph_of(&self, at: CharIdx) -> usize {
        self.paragraphs.partition_point(|p| p.chars.end < at.0).min(self.paragraphs.len().saturating_sub(1))
    }

    /// The galley of paragraph `i` for painting in this frame, from egui's layout cache (see the module
    /// comment for why it is never taken from an earlier frame). Its height replaces the estimate.
    pub fn galley(&mut self, i: usize, text: &str, painter: &Painter) -> Option<Arc<Galley>> {
        let para = self.paragraphs.get(i)?;
        let slice = text.get(para.bytes.clone())?;
        let mut job = LayoutJob::default();
        job.wrap.max_width = self.width;
        let font = egui::FontId::proportional(self.font_size);
        // Placeholder colour: the text colour is given at paint time, so a theme switch needs no relayout.
        let format = TextFormat {
            font_id: font,
            color: egui::Color32::PLACEHOLDER,
            line_height: Some(self.font_size * self.line_height),
            ..Default::default()
        };
        job.append(slice, 0.0, format);
        let galley = painter.layout_job(job);
        let height = galley.rect.height();
        if (self.heights[i] - height).abs() > 0.1 {
            self.heights[i] = height;
            self.tops_stale = true;
        }
        self.galleys[i] = Some(galley.clone());
        Some(galley)
    }

    /// The galley of paragraph `i` if it is laid out already (for hit tests between frames).
    pub fn cached_galley(&self, i: usize) -> Option<&Arc<Galley>> {
        self.galleys.get(i)?.as_ref()
    }

    /// How many paragraphs are laid out (for tests and the benchmark: proves laziness).
    pub fn laid_out_count(&self) -> usize {
        self.galleys.iter().filter(|g| g.is_some()).count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_carry_char_and_byte_ranges() {
        let text = "Ça “va”.\n\nNext 😡 one.\n\n\nLast";
        let paras = paragraphs(text);
        assert_eq!(paras.len(), 3);
        assert_eq!(&text[paras[1].bytes.clone()], "Next 😡 one.");
        assert_eq!(paras[1].chars, 10..21);
        assert_eq!(&text[paras[2].bytes.clone()], "\nLast");
        assert_eq!(paras[2].chars, 23..28);
    }
}
