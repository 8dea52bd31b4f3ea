//! Span highlights painted over a paragraph's galley: a tinted band per span, an underline per nesting
//! lane (so a Source inside a Claim shows both colours), a small label tag above each span's start, the
//! text selection, the caret, and arcs for relations.

use std::collections::HashMap;
use std::ops::Range;

use egui::text::CCursor;
use egui::{Color32, Galley, Painter, Pos2, Rect, Stroke, pos2, vec2};

use crate::model::SpanId;

/// One span as the painter needs it, in paragraph-local chars.
pub struct SpanPaint<'a> {
    /// The span.
    pub id: SpanId,
    /// Its chars within the paragraph.
    pub local: Range<usize>,
    /// Whether it starts in this paragraph (the tag goes only there).
    pub starts_here: bool,
    /// Label colour.
    pub color: Color32,
    /// Label name, for the tag.
    pub label: &'a str,
    /// Drawn emphasised.
    pub selected: bool,
    /// Linked to the span in focus (hovered or selected) by a relation: outlined, more lightly.
    pub linked: bool,
}

/// Laid-out label tags for one frame: the same few labels are drawn hundreds of times a frame, so each is
/// laid out once per frame. Never kept into the next frame: egui may rebuild its font atlas between frames
/// (theme, zoom, text options, a full atlas), and a galley from before then paints the wrong glyphs.
#[derive(Default)]
pub struct TagCache {
    font_size: f32,
    galleys: HashMap<String, std::sync::Arc<Galley>>,
}

impl TagCache {
    /// Forgets last frame's galleys; called once at the start of every frame.
    pub fn new_frame(&mut self) {
        self.galleys.clear();
    }

    /// The tag galley of `label` (placeholder colour: the label colour is given when painting).
    fn get(&mut self, painter: &Painter, label: &str, font_size: f32) -> std::sync::Arc<Galley> {
        if (self.font_size - font_size).abs() > f32::EPSILON {
            self.galleys.clear();
            self.font_size = font_size;
        }
        if let Some(g) = self.galleys.get(label) {
            return g.clone();
        }
        let font = egui::FontId::proportional(font_size * 0.55);
        let galley = painter.layout_no_wrap(label.to_string(), font, Color32::PLACEHOLDER);
        self.galleys.insert(label.to_string(), galley.clone());
        galley
    }
}

/// Rectangles (galley coordinates) covering `range` of a galley's chars, one per row.
pub fn range_rects(galley: &Galley, range: Range<usize>) -> Vec<Rect> {
    let mut out = Vec::new();
    let mut row_start = 0;
    for row in &galley.rows {
        let row_end = row_start + row.char_count_excluding_newline().0;
        let (a, b) = (range.start.max(row_start), range.end.min(row_end));
        if a < b {
            let x0 = row.pos.x + row.x_offset(egui::epaint::text::CharIndex(a - row_start));
            let x1 = row.pos.x + row.x_offset(egui::epaint::text::CharIndex(b - row_start));
            out.push(Rect::from_min_max(pos2(x0, row.min_y()), pos2(x1, row.max_y())));
        }
        row_start += row.char_count_including_newline().0;
        if row_start >= range.end {
            break;
        }
    }
    out
}

/// Lane of each span: the lowest lane free at its start. Spans arrive outer first, so an outer span gets
/// a lower lane than the spans nested in it, and overlapping spans never share one.
pub fn lanes(spans: &[SpanPaint<'_>]) -> Vec<usize> {
    let mut lane_ends: Vec<usize> = Vec::new();
    spans
        .iter()
        .map(|s| {
            let lane = lane_ends.iter().position(|&end| end <= s.local.start).unwrap_or(lane_ends.len());
            if lane == lane_ends.len() {
                lane_ends.push(s.local.end);
            } else {
                lane_ends[lane] = s.local.end;
            }
            lane
        })
        .collect()
}

/// Geometry of the text band inside a row: rows are taller than the glyphs, the extra split evenly.
fn band(row: Rect, font_size: f32) -> Rect {
    let half = font_size * 0.62;
    Rect::from_min_max(pos2(row.left(), row.center().y - half), pos2(row.right(), row.center().y + half))
}

/// Paints one paragraph's spans (under the text). Returns each span's anchor point (top of its first
/// piece) for relation arcs.
pub fn paint_spans(
    painter: &Painter,
    galley: &Galley,
    origin: Pos2,
    font_size: f32,
    spans: &[SpanPaint<'_>],
    anchors: &mut HashMap<SpanId, Pos2>,
    tags: &mut TagCache,
) {
    let lanes = lanes(spans);
    let mut tag_right: HashMap<i32, f32> = HashMap::new();
    // Bands and underlines are axis-aligned rectangles: one mesh of plain quads for the whole paragraph
    // costs far less to tessellate than a rounded, anti-aliased shape each (10,000 spans, ~100 in sight).
    // Its slot is taken first so the bands stay under the tags painted below.
    let slot = painter.add(egui::Shape::Noop);
    let mut mesh = egui::Mesh::default();
    for (span, lane) in spans.iter().zip(lanes) {
        let rects = range_rects(galley, span.local.clone());
        let fill = span.color.gamma_multiply(if span.selected { 0.34 } else { 0.16 });
        for (k, rect) in rects.iter().enumerate() {
            let b = band(rect.translate(origin.to_vec2()), font_size);
            mesh.add_colored_rect(b, fill);
            let y = b.bottom() + 1.5 + lane as f32 * 3.5;
            mesh.add_colored_rect(Rect::from_min_max(pos2(b.left(), y - 1.0), pos2(b.right(), y + 1.0)), span.color);
            if span.selected {
                painter.rect_stroke(b.expand(1.0), 2.0, Stroke::new(1.5, span.color), egui::StrokeKind::Outside);
            } else if span.linked {
                painter.rect_stroke(b.expand(1.0), 2.0, Stroke::new(1.0, span.color), egui::StrokeKind::Outside);
            }
            if k == 0 && span.starts_here {
                // Arcs end at the middle of a span's first piece: away from its tag at the start, and a
                // Source nested at the start of its Claim still gets a wide arc, not a tick.
                anchors.insert(span.id, pos2(b.center().x, b.top()));
                // Tags sit above the glyphs; several starting at one place are set side by side.
                let row_key = b.top().round() as i32;
                let x = tag_right.get(&row_key).map_or(b.left(), |&r| r.max(b.left()));
                let tag = tags.get(painter, span.label, font_size);
                let pos = pos2(x, b.top() - tag.size().y);
                let width = tag.size().x;
                painter.galley(pos, tag, span.color);
                tag_right.insert(row_key, x + width + 3.0);
            }
        }
    }
    painter.set(slot, egui::Shape::mesh(mesh));
}

/// Paints the text selection of `range` (paragraph-local chars).
pub fn paint_selection(
    painter: &Painter,
    galley: &Galley,
    origin: Pos2,
    font_size: f32,
    range: Range<usize>,
    fill: Color32,
) {
    for rect in range_rects(galley, range) {
        painter.rect_filled(band(rect.translate(origin.to_vec2()), font_size), 0.0, fill);
    }
}

/// Paints a search match: an outlined box, filled when it is the current one.
pub fn paint_match(
    painter: &Painter,
    galley: &Galley,
    origin: Pos2,
    font_size: f32,
    range: Range<usize>,
    current: bool,
) {
    let color = Color32::from_rgb(0xe6, 0xb4, 0x00);
    for rect in range_rects(galley, range) {
        let b = band(rect.translate(origin.to_vec2()), font_size).expand(1.0);
        if current {
            painter.rect_filled(b, 2.0, color.gamma_multiply(0.35));
        }
        painter.rect_stroke(b, 2.0, Stroke::new(1.5, color), egui::StrokeKind::Outside);
    }
}

/// Paints a suggested span: a dashed outline in its label colour, kept apart from the solid human spans.
pub fn paint_suggestion(
    painter: &Painter,
    galley: &Galley,
    origin: Pos2,
    font_size: f32,
    range: Range<usize>,
    color: Color32,
    current: bool,
) {
    let stroke = Stroke::new(if current { 2.0 } else { 1.2 }, if current { color } else { color.gamma_multiply(0.7) });
    for rect in range_rects(galley, range) {
        let b = band(rect.translate(origin.to_vec2()), font_size).expand(2.0);
        if current {
            painter.rect_filled(b, 2.0, color.gamma_multiply(0.12));
        }
        let corners = [b.left_top(), b.right_top(), b.right_bottom(), b.left_bottom(), b.left_top()];
        painter.extend(egui::Shape::dashed_line(&corners, stroke, 4.0, 3.0));
    }
}

/// Paints the caret before paragraph-local char `at`.
pub fn paint_caret(painter: &Painter, galley: &Galley, origin: Pos2, font_size: f32, at: usize, color: Color32) {
    let rect = galley.pos_from_cursor(CCursor::new(at)).translate(origin.to_vec2());
    let b = band(rect, font_size);
    painter.line_segment([pos2(rect.left(), b.top()), pos2(rect.left(), b.bottom())], Stroke::new(1.5, color));
}

/// Screen rectangle of paragraph-local char `at` (its glyph band), for tests and scrolling.
pub fn char_rect(galley: &Galley, origin: Pos2, font_size: f32, at: usize) -> Rect {
    let rects = range_rects(galley, at..at + 1);
    let rect = rects.first().copied().unwrap_or_else(|| galley.pos_from_cursor(CCursor::new(at)));
    band(rect.translate(origin.to_vec2()), font_size)
}

/// Height of the channel an arc runs in over the top of a row's glyph band, as a multiple of the font
/// size. In a document with relations rows are [`super::layout::LINE_HEIGHT_WITH_RELATIONS`] font sizes
/// apart and the glyph band takes 1.24 of them, so the row above's band ends 1.36 font sizes up, its
/// underlines a few points lower; the tags rise about 0.72. The channel runs midway.
const CHANNEL: f32 = 0.96;

/// Where one relation is drawn: its two anchors, and what the routing needs to know of the text column.
pub struct ArcRoute {
    /// The top middle of the source span's first piece (its glyph band).
    pub from: Pos2,
    /// The top middle of the target span's first piece.
    pub to: Pos2,
    /// The x of the free margin left of the text, where an arc between two rows runs up or down.
    pub margin_x: f32,
    /// Which of three heights the arc takes, so arcs sharing a channel or the margin are set a little
    /// apart. It must stay the same from frame to frame for the same relation.
    pub nth: usize,
}

/// The corner points of a relation's path, as brat and INCEpTION route it: from the top of the source's
/// tag line (`tag_height` over its glyphs) up into the channel above its row (over the tags, under the
/// previous row's text), along the channel, and down onto the top of the target's tag line. Between two
/// rows the path runs along the channel to the margin left of the text, along the margin to the target
/// row's channel and back in, so it never crosses a line of text or a tag.
pub fn arc_path(route: &ArcRoute, font_size: f32, tag_height: f32) -> Vec<Pos2> {
    let ArcRoute { from, to, margin_x, nth } = *route;
    let (from, to) = (from - vec2(0.0, tag_height), to - vec2(0.0, tag_height));
    // Arcs in one channel are staggered over three heights (middle, lower, higher), so two of them running
    // side by side stay two lines rather than one thick one.
    let stagger = [0.0, -1.0, 1.0][nth % 3] * (font_size * 0.1).max(1.5);
    // From the top of the tags to the channel.
    let up = font_size * CHANNEL - tag_height + stagger;
    let same_row = (from.y - to.y).abs() < font_size * 0.5;
    if same_row {
        let y = from.y.min(to.y) - up;
        vec![from, pos2(from.x, y), pos2(to.x, y), to]
    } else {
        let x = margin_x - 2.0 * stagger;
        let (y0, y1) = (from.y - up, to.y - up);
        vec![from, pos2(from.x, y0), pos2(x, y0), pos2(x, y1), pos2(to.x, y1), to]
    }
}

/// `corners` with each inner corner cut by up to `radius`, so the path reads as one smooth line.
fn rounded(corners: &[Pos2], radius: f32) -> Vec<Pos2> {
    let mut out = Vec::with_capacity(corners.len() * 2);
    for (i, &p) in corners.iter().enumerate() {
        let (Some(&prev), Some(&next)) = (i.checked_sub(1).and_then(|j| corners.get(j)), corners.get(i + 1)) else {
            out.push(p);
            continue;
        };
        let (a, b) = (prev - p, next - p);
        let (ra, rb) = (radius.min(a.length() / 2.0), radius.min(b.length() / 2.0));
        out.push(p + a.normalized() * ra);
        out.push(p + b.normalized() * rb);
    }
    out
}

/// Paints a relation along [`arc_path`]: a dot where it starts, a filled arrowhead where it ends, and the
/// relation type written on the channel run nearest the target.
pub fn paint_arc(
    painter: &Painter,
    route: &ArcRoute,
    stroke: Stroke,
    kind: &str,
    font_size: f32,
    label_bg: Color32,
    tags: &mut TagCache,
) {
    let label = tags.get(painter, kind, font_size);
    let path = arc_path(route, font_size, label.size().y);
    painter.add(egui::Shape::line(rounded(&path, font_size * 0.2), stroke));
    let (Some(&start), Some(&end)) = (path.first(), path.last()) else { return };
    painter.circle_filled(start, stroke.width + 0.5, stroke.color);
    let head = (font_size * 0.28).max(3.5);
    let tip = end;
    painter.add(egui::Shape::convex_polygon(
        vec![tip, tip + vec2(-head * 0.55, -head), tip + vec2(head * 0.55, -head)],
        stroke.color,
        Stroke::NONE,
    ));
    // The last run along a channel ends above the target: the label goes at its middle.
    let n = path.len();
    let mid = if n >= 3 { pos2((path[n - 3].x + path[n - 2].x) / 2.0, path[n - 2].y) } else { end };
    let rect = Rect::from_center_size(mid, label.size() + vec2(6.0, 0.0));
    painter.rect_filled(rect, 3.0, label_bg);
    painter.galley(rect.center() - label.size() / 2.0, label, stroke.color);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(a: usize, b: usize) -> SpanPaint<'static> {
        SpanPaint {
            id: SpanId(0),
            local: a..b,
            starts_here: true,
            color: Color32::RED,
            label: "",
            selected: false,
            linked: false,
        }
    }

    /// Runs `f` with a painter in a headless frame and returns the shapes it painted.
    fn painted(mut f: impl FnMut(&Painter)) -> Vec<egui::epaint::ClippedShape> {
        let ctx = egui::Context::default();
        let mut out = ctx.run_ui(egui::RawInput::default(), |ui| f(ui.painter()));
        // No renderer here to take the font texture: drop it on purpose.
        out.textures_delta.clear();
        out.shapes
    }

    #[test]
    fn a_source_nested_at_the_start_of_its_claim_gets_a_wide_arc_labelled_above_the_line() {
        let mut anchors = HashMap::new();
        let mut top = 0.0;
        let shapes = painted(|painter| {
            let mut tags = TagCache::default();
            let text = "Officials at the Port Authority said the bridge carried 41,000 vehicles a day.";
            let galley = painter.layout_no_wrap(text.into(), egui::FontId::proportional(16.0), Color32::WHITE);
            let claim = SpanPaint { id: SpanId(1), label: "Claim", ..sp(0, text.chars().count()) };
            let source = SpanPaint { id: SpanId(2), label: "Source", ..sp(0, 31) };
            paint_spans(painter, &galley, Pos2::ZERO, 16.0, &[claim, source], &mut anchors, &mut tags);
            let (from, to) = (anchors[&SpanId(2)], anchors[&SpanId(1)]);
            top = from.y.min(to.y);
            let route = ArcRoute { from, to, margin_x: -6.0, nth: 0 };
            paint_arc(
                painter,
                &route,
                Stroke::new(1.0, Color32::RED),
                "attributed_to",
                16.0,
                Color32::BLACK,
                &mut tags,
            );
        });
        let (from, to) = (anchors[&SpanId(2)], anchors[&SpanId(1)]);
        assert!((to.x - from.x).abs() > 60.0, "the arc spans {} px, a tick", (to.x - from.x).abs());
        let label = shapes
            .iter()
            .find_map(|s| match &s.shape {
                egui::Shape::Text(t) if t.galley.text() == "attributed_to" => Some(t.pos),
                _ => None,
            })
            .expect("the relation type is written on the arc");
        assert!(label.y < top - 8.0, "the label sits above the line ({} vs {top})", label.y);
    }

    /// Points along the segment a–b, one per half point.
    fn along(a: Pos2, b: Pos2) -> impl Iterator<Item = Pos2> {
        let n = ((b - a).length() * 2.0).ceil().max(1.0) as usize;
        (0..=n).map(move |k| a + (b - a) * (k as f32 / n as f32))
    }

    #[test]
    fn an_arc_between_rows_runs_through_the_margin_and_crosses_no_line_of_text() {
        let font = 16.0;
        let mut crossings = Vec::new();
        painted(|painter| {
            let mut tags = TagCache::default();
            let text = "The mayor said on Tuesday that the council had approved the budget. \
                        Critics, including two former officials, called the figures “a fiction” — \
                        and the auditor’s report, released Oct 31, 2024, found the U.S. grant was spent twice.";
            let mut job = egui::text::LayoutJob::default();
            job.wrap.max_width = 300.0;
            job.append(
                text,
                0.0,
                egui::text::TextFormat {
                    font_id: egui::FontId::proportional(font),
                    line_height: Some(font * super::super::layout::LINE_HEIGHT_WITH_RELATIONS),
                    ..Default::default()
                },
            );
            let galley = painter.layout_job(job);
            assert!(galley.rows.len() >= 4, "the text wraps into several rows");
            // A source on the first row, a claim on the last: the rows between hold text.
            let last_row_start =
                text.chars().count() - galley.rows.last().map_or(0, |r| r.char_count_including_newline().0);
            let source = SpanPaint { id: SpanId(1), label: "Source", ..sp(4, 9) };
            let claim = SpanPaint { id: SpanId(2), label: "Claim", ..sp(last_row_start, last_row_start + 6) };
            let mut anchors = HashMap::new();
            let origin = pos2(16.0, 40.0);
            paint_spans(painter, &galley, origin, font, &[source, claim], &mut anchors, &mut tags);
            let route = ArcRoute { from: anchors[&SpanId(2)], to: anchors[&SpanId(1)], margin_x: 10.0, nth: 2 };
            let bands: Vec<Rect> =
                galley.rows.iter().map(|row| band(row.rect().translate(origin.to_vec2()), font).shrink(0.5)).collect();
            let path = arc_path(&route, font, 11.0);
            assert!(path.iter().any(|p| p.x < origin.x), "the path goes round by the margin: {path:?}");
            for pair in path.windows(2) {
                for p in along(pair[0], pair[1]) {
                    if let Some(b) = bands.iter().find(|b| b.contains(p)) {
                        crossings.push((p, *b));
                    }
                }
            }
            paint_arc(
                painter,
                &route,
                Stroke::new(1.0, Color32::RED),
                "attributed_to",
                font,
                Color32::BLACK,
                &mut tags,
            );
        });
        assert!(crossings.is_empty(), "the arc runs through the text at {:?}", &crossings[..crossings.len().min(3)]);
    }

    #[test]
    fn an_arc_on_one_row_runs_in_the_channel_between_the_tags_and_the_row_above() {
        let font = 16.0;
        let from = pos2(40.0, 100.0);
        let to = pos2(200.0, 100.0);
        let tag = 11.5;
        for nth in 0..3 {
            let path = arc_path(&ArcRoute { from, to, margin_x: 10.0, nth }, font, tag);
            assert_eq!(path.len(), 4, "up, along, down: {path:?}");
            assert_eq!((path[0], path[3]), (from - vec2(0.0, tag), to - vec2(0.0, tag)), "ends on the tags");
            let y = path[1].y;
            let line_height = font * super::super::layout::LINE_HEIGHT_WITH_RELATIONS;
            // The row above's band ends a row pitch minus the band's 1.24 font sizes higher; its first
            // underline takes 2.5 points below that.
            assert!(y < from.y - tag - 2.0, "over the tags ({y})");
            assert!(y > from.y - (line_height - font * 1.24) + 2.5, "under the row above's underline ({y})");
        }
    }

    #[test]
    fn nested_and_overlapping_spans_get_their_own_lanes() {
        // Outer 0..20 holds 2..5 and 8..12; 15..30 overlaps the outer; 25..28 sits inside that one.
        let spans = [sp(0, 20), sp(2, 5), sp(8, 12), sp(15, 30), sp(25, 28)];
        assert_eq!(
            lanes(&spans),
            vec![0, 1, 1, 1, 0],
            "8..12 has ended when 15..30 starts; lane 0 is free again at 25"
        );
    }
}
