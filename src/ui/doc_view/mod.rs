//! The document view: title and metadata, then the text by paragraph with span highlights, selection,
//! caret and relation arcs. Only paragraphs in sight are laid out and painted (see [`layout`]); the view
//! reads the workspace and pushes intents, nothing more.

mod layout;
mod paint;
mod spans;

use std::collections::HashMap;

use egui::{Key, Modifiers, Pos2, Rect, Sense, Stroke, vec2};

use crate::model::{CharIdx, Document, Project, Rgb, SpanId};

use super::intent::Intent;
use super::workspace::{TextSelection, Workspace};
use layout::DocLayout;
pub use layout::{LINE_HEIGHT, LINE_HEIGHT_WITH_RELATIONS};
use paint::SpanPaint;
use spans::SpanIndex;

/// Space left and right of the text column, in points.
const TEXT_MARGIN: f32 = 16.0;

/// The egui colour of a label colour.
pub fn label_color(rgb: Rgb) -> egui::Color32 {
    let [r, g, b] = rgb.0;
    egui::Color32::from_rgb(r, g, b)
}

/// Colour of `label` in `project`'s schema (grey for a label the schema lacks).
pub fn color_of(project: &Project, label: &str) -> egui::Color32 {
    project.schema.label(label).map_or(egui::Color32::GRAY, |l| label_color(l.color))
}

/// Things drawn over the text that are not spans: search matches and suggestions. Both lists are sorted by
/// start, so each paragraph finds its own by binary search.
#[derive(Default)]
pub struct Overlays<'a> {
    /// Search matches.
    pub matches: &'a [std::ops::Range<CharIdx>],
    /// The match Enter last went to.
    pub current_match: Option<usize>,
    /// Suggested spans: range, label colour, and whether it is the current one.
    pub suggestions: &'a [(std::ops::Range<CharIdx>, egui::Color32, bool)],
}

/// Indices of a start-sorted list whose items may overlap chars `a..b`: those starting before `b` and no
/// more than a long stretch before `a` (matches and suggestions are a clause long at most; an item that
/// does not reach `a` paints nothing).
fn overlapping<T>(
    items: &[T],
    range: impl Fn(&T) -> std::ops::Range<CharIdx>,
    a: usize,
    b: usize,
) -> std::ops::Range<usize> {
    const LONGEST: usize = 4096;
    let end = items.partition_point(|t| range(t).start.0 < b);
    let first = items[..end].partition_point(|t| range(t).start.0 + LONGEST < a);
    first..end
}

/// What the view keeps between frames: layout, the span index, and the pointer state.
pub struct DocView {
    layout: Option<DocLayout>,
    index: Option<SpanIndex>,
    /// Font size of the text at zoom 1.
    pub font_size: f32,
    /// Screen position of the text's top-left corner in the last frame (for hit tests and tests).
    origin: Pos2,
    drag_anchor: Option<CharIdx>,
    seen_scroll: u64,
    follow_caret: bool,
    viewport_height: f32,
    viewport_top: f32,
    tags: paint::TagCache,
    /// A scroll offset asked for by Page Up / Page Down / Home / End, applied in the next layout.
    jump: Option<f32>,
    /// The span under the pointer in the last frame: it and the spans it is linked to are highlighted.
    hovered: Option<SpanId>,
    /// The spans highlighted in the last frame as the other ends of the focused span's relations.
    linked: Vec<SpanId>,
}

impl Default for DocView {
    fn default() -> Self {
        DocView {
            layout: None,
            index: None,
            font_size: 16.0,
            origin: Pos2::ZERO,
            drag_anchor: None,
            seen_scroll: 0,
            follow_caret: false,
            viewport_height: 600.0,
            viewport_top: 0.0,
            tags: paint::TagCache::default(),
            jump: None,
            hovered: None,
            linked: Vec::new(),
        }
    }
}

impl DocView {
    /// Draws the shown document of `ws`.
    pub fn show(&mut self, ui: &mut egui::Ui, ws: &Workspace, overlays: &Overlays<'_>, intents: &mut Vec<Intent>) {
        let Some(doc) = ws.document() else {
            ui.centered_and_justified(|ui| {
                ui.label("No document yet: import articles with Ctrl+I (File menu), or paste one with Ctrl+Shift+V.");
            });
            return;
        };
        header(ui, ws, doc, intents);
        self.tags.new_frame();
        if self.layout.as_ref().is_none_or(|l| l.doc != doc.id) {
            self.layout = Some(DocLayout::new(doc.id.clone(), &doc.text));
            self.drag_anchor = None;
        }
        // A span added, removed or relabelled in this document keeps the relation part of the index.
        let relations_kept = ws.session.touched() == Some(&doc.id) && ws.session.change().is_some_and(|c| !c.relations);
        SpanIndex::refresh(&mut self.index, doc, ws.session.revision(), relations_kept);
        self.keyboard(ui, ws, intents);
        self.wheel(ui);
        let Some(layout) = self.layout.as_mut() else { return };
        // A margin each side: the left one carries relation arcs between rows (see `paint::arc_path`).
        let width = (ui.available_width() - 2.0 * TEXT_MARGIN).clamp(200.0, 900.0);
        let rows = if doc.relations.is_empty() { layout::LINE_HEIGHT } else { layout::LINE_HEIGHT_WITH_RELATIONS };
        layout.set_geometry(width, self.font_size, rows);

        // The wheel is handled by `wheel` (see there); the scroll bar still drags as usual.
        let source = egui::scroll_area::ScrollSource { mouse_wheel: false, ..Default::default() };
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt(("doc", doc.id.0.as_str()))
            .auto_shrink([false, false])
            .scroll_source(source);
        if let Some(y) = self.jump.take() {
            let bottom = (layout.total_height() - self.viewport_height * 0.5).max(0.0);
            scroll = scroll.vertical_scroll_offset(y.clamp(0.0, bottom));
        } else if let Some(y) = self.scroll_target(ws) {
            scroll = scroll.vertical_scroll_offset(y);
        }
        scroll.show_viewport(ui, |ui, viewport| self.body(ui, viewport, ws, doc, overlays, intents));
    }

    /// Mouse wheel over the text: each notch moves three lines at once, in the frame it arrives. egui's own
    /// wheel handling spreads a notch over about 0.3 s of animation, so a quick run of notches fell ever
    /// further behind the wheel and went on after it stopped. Trackpads (point deltas) move by what they
    /// report, also at once; Ctrl+wheel is left alone.
    fn wheel(&mut self, ui: &egui::Ui) {
        if !ui.rect_contains_pointer(ui.available_rect_before_wrap()) {
            return;
        }
        let rows = self.layout.as_ref().map_or(layout::LINE_HEIGHT, DocLayout::line_height);
        let notch = 3.0 * self.font_size * rows;
        let page = self.viewport_height * 0.85;
        let moved: f32 = ui.input(|i| {
            i.events
                .iter()
                .filter_map(|e| match e {
                    egui::Event::MouseWheel { unit, delta, phase, modifiers, .. }
                        if !modifiers.command && !modifiers.ctrl && *phase == egui::TouchPhase::Move =>
                    {
                        Some(match unit {
                            egui::MouseWheelUnit::Line => delta.y * notch,
                            egui::MouseWheelUnit::Point => delta.y,
                            egui::MouseWheelUnit::Page => delta.y * page,
                        })
                    }
                    _ => None,
                })
                .sum()
        });
        if moved != 0.0 {
            // A positive delta moves the content down, which shows what is above.
            let from = self.jump.unwrap_or(self.viewport_top);
            self.jump = Some(from - moved);
        }
    }

    /// The span under the pointer in the last frame, if any.
    pub fn hovered_span(&self) -> Option<SpanId> {
        self.hovered
    }

    /// The spans highlighted in the last frame as the other ends of the hovered (else selected) span's
    /// relations.
    pub fn linked_spans(&self) -> &[SpanId] {
        &self.linked
    }

    /// The top of the text's visible part, in text coordinates (tests check scrolling with it).
    pub fn scroll_top(&self) -> f32 {
        self.viewport_top
    }

    /// The scroll offset that brings a requested char (or the caret) into sight, if it is out of sight.
    fn scroll_target(&mut self, ws: &Workspace) -> Option<f32> {
        let request = match ws.cursor.scroll_to {
            Some((seq, at)) if seq != self.seen_scroll => {
                self.seen_scroll = seq;
                Some(at)
            }
            _ if self.follow_caret => ws.cursor.selection.map(|s| s.head),
            _ => None,
        };
        self.follow_caret = false;
        let at = request?;
        let layout = self.layout.as_mut()?;
        let p = layout.paragraph_of(at);
        let mut y = layout.top(p);
        if let (Some(galley), Some(para)) = (layout.cached_galley(p), layout.paragraphs.get(p)) {
            y += galley.pos_from_cursor(egui::text::CCursor::new(at.0.saturating_sub(para.chars.start))).top();
        }
        let visible = self.viewport_top + 20.0..self.viewport_top + self.viewport_height - 40.0;
        (!visible.contains(&y)).then(|| (y - self.viewport_height / 3.0).max(0.0))
    }

    fn body(
        &mut self,
        ui: &mut egui::Ui,
        viewport: Rect,
        ws: &Workspace,
        doc: &Document,
        overlays: &Overlays<'_>,
        intents: &mut Vec<Intent>,
    ) {
        let Some(layout) = self.layout.as_mut() else { return };
        let Some(index) = self.index.as_ref() else { return };
        self.viewport_height = viewport.height();
        self.viewport_top = viewport.top();
        let total = layout.total_height();
        ui.set_min_height(total);
        let origin = ui.min_rect().min + vec2(TEXT_MARGIN, 0.0);
        self.origin = origin;
        let painter = ui.painter().clone();
        let text_color = ui.visuals().text_color();
        let selection_fill = ui.visuals().selection.bg_fill.gamma_multiply(0.6);
        let selection = ws.cursor.selection.map(|s| s.range());
        let mut anchors: HashMap<SpanId, Pos2> = HashMap::new();
        // The span in focus (hovered, else selected) and the spans at the other ends of its relations.
        let focus = self.hovered.or(ws.cursor.selected_span);
        // A handful of spans at most: a vector kept between frames, no set built every frame.
        self.linked.clear();
        if let Some(f) = focus {
            self.linked.extend(doc.relations_of(f).map(|r| if r.from == f { r.to } else { r.from }));
        }

        for i in layout.visible(viewport.top()..viewport.bottom()) {
            let Some(galley) = layout.galley(i, &doc.text, &painter) else { continue };
            let Some(para) = layout.paragraphs.get(i).cloned() else { continue };
            let pos = origin + vec2(0.0, layout.top(i));
            let spans: Vec<SpanPaint> = index
                .in_range(doc, para.chars.clone())
                .filter(|s| !ws.hidden_annotators.contains(&s.annotator))
                .map(|s| SpanPaint {
                    id: s.id,
                    local: s.start.0.max(para.chars.start) - para.chars.start
                        ..s.end.0.min(para.chars.end) - para.chars.start,
                    starts_here: s.start.0 >= para.chars.start,
                    color: color_of(ws.session.project(), &s.label),
                    label: s.label.as_str(),
                    selected: ws.cursor.selected_span == Some(s.id) || ws.cursor.pending_relation == Some(s.id),
                    linked: self.linked.contains(&s.id)
                        || (self.hovered == Some(s.id) && focus != ws.cursor.selected_span),
                })
                .collect();
            if let Some(sel) = &selection {
                let (a, b) = (sel.start.0.max(para.chars.start), sel.end.0.min(para.chars.end));
                if a < b {
                    let local = a - para.chars.start..b - para.chars.start;
                    paint::paint_selection(&painter, &galley, pos, self.font_size, local, selection_fill);
                }
            }
            paint::paint_spans(&painter, &galley, pos, self.font_size, &spans, &mut anchors, &mut self.tags);
            let (a, b) = (para.chars.start, para.chars.end);
            let local = |r: &std::ops::Range<CharIdx>| r.start.0.max(a) - a..r.end.0.min(b).max(a) - a;
            for i in overlapping(overlays.matches, |m| m.clone(), a, b) {
                let current = overlays.current_match == Some(i);
                paint::paint_match(&painter, &galley, pos, self.font_size, local(&overlays.matches[i]), current);
            }
            for i in overlapping(overlays.suggestions, |s| s.0.clone(), a, b) {
                let (range, color, current) = &overlays.suggestions[i];
                paint::paint_suggestion(&painter, &galley, pos, self.font_size, local(range), *color, *current);
            }
            painter.galley(pos, galley.clone(), text_color);
            if let Some(head) = ws.cursor.selection.map(|s| s.head.0)
                && (para.chars.start..=para.chars.end).contains(&head)
            {
                paint::paint_caret(&painter, &galley, pos, self.font_size, head - para.chars.start, text_color);
            }
            // The paragraph's text, for screen readers and UI tests.
            let para_rect = Rect::from_min_size(pos, galley.rect.size());
            let text = doc.text.get(para.bytes.clone()).unwrap_or_default();
            ui.interact(para_rect, ui.scope_id().with(("para", i)), Sense::hover())
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, true, text));
        }
        // Only relations whose spans are in sight: found through the index, not by walking them all.
        let visible_rels =
            anchors.keys().flat_map(|id| index.relations_from(*id)).filter_map(|&i| doc.relations.get(i));
        for rel in visible_rels {
            if let (Some(&from), Some(&to)) = (anchors.get(&rel.from), anchors.get(&rel.to)) {
                let strong = focus.is_some_and(|s| s == rel.from || s == rel.to);
                let color = if strong { text_color } else { text_color.gamma_multiply(0.65) };
                let stroke = Stroke::new(if strong { 2.2 } else { 1.3 }, color);
                let label_bg = ui.visuals().extreme_bg_color;
                // Staggered by the relation's id, not by drawing order: the spans in sight are collected in a
                // hash map, whose order changes from frame to frame, and an arc must not jump between heights.
                let nth = usize::try_from(rel.id.0 % 3).unwrap_or(0);
                let route = paint::ArcRoute { from, to, margin_x: origin.x - TEXT_MARGIN * 0.4, nth };
                paint::paint_arc(&painter, &route, stroke, &rel.kind, self.font_size, label_bg, &mut self.tags);
            }
        }
        let visible_rect = Rect::from_min_size(ui.min_rect().min + viewport.min.to_vec2(), viewport.size());
        let response = ui.interact(visible_rect, ui.scope_id().with("text"), Sense::click_and_drag());
        self.pointer(ui, &response, ws, doc, intents);
    }

    /// Mouse: drag to select (snapped on release), double-click a word, shift-click to extend, click a span
    /// to select it (or to finish a relation), hover a span for its details.
    fn pointer(
        &mut self,
        ui: &egui::Ui,
        response: &egui::Response,
        ws: &Workspace,
        doc: &Document,
        intents: &mut Vec<Intent>,
    ) {
        let shift = ui.input(|i| i.modifiers.shift);
        if response.drag_started() {
            let press = ui.input(|i| i.pointer.press_origin());
            self.drag_anchor = match (shift, ws.cursor.selection) {
                (true, Some(sel)) => Some(sel.anchor),
                _ => press.and_then(|p| self.char_at(p)),
            };
        }
        let pointer_char = response.interact_pointer_pos().and_then(|p| self.char_at(p));
        if let (Some(anchor), Some(head)) = (self.drag_anchor, pointer_char) {
            if response.drag_stopped() {
                intents.push(Intent::Select { anchor, head, snap: true });
                self.drag_anchor = None;
            } else if response.dragged() && ws.cursor.selection != Some(TextSelection { anchor, head }) {
                intents.push(Intent::Select { anchor, head, snap: false });
            }
        }
        if response.double_clicked() {
            if let Some(at) = pointer_char {
                intents.push(Intent::SelectWord(at));
            }
        } else if response.clicked()
            && let Some(at) = pointer_char
        {
            match (shift, ws.cursor.selection, self.innermost_span_at(doc, at)) {
                (true, Some(sel), _) => intents.push(Intent::Select { anchor: sel.anchor, head: at, snap: true }),
                (_, _, Some(span)) => intents.push(Intent::ClickSpan(span)),
                _ => intents.push(Intent::Select { anchor: at, head: at, snap: false }),
            }
        }
        self.hovered = None;
        if let Some(pos) = response.hover_pos()
            && self.drag_anchor.is_none()
            && let Some(span) = self.char_at(pos).and_then(|at| self.innermost_span_at(doc, at))
            && let Some(span) = doc.span(span)
        {
            self.hovered = Some(span.id);
            let mut tip = format!("{} — {}", span.label, if span.annotator.is_empty() { "?" } else { &span.annotator });
            if !span.note.is_empty() {
                tip.push_str(&format!("\n{}", span.note));
            }
            response.clone().on_hover_text_at_pointer(tip);
        }
    }

    /// The smallest span covering char `at` (the one a click means).
    fn innermost_span_at(&self, doc: &Document, at: CharIdx) -> Option<SpanId> {
        let index = self.index.as_ref()?;
        index
            .in_range(doc, at.0..at.0 + 1)
            .filter(|s| s.start <= at && at < s.end)
            .min_by_key(|s| s.len())
            .map(|s| s.id)
    }

    /// The char under a screen position, from the layout of the last frame.
    pub fn char_at(&self, pos: Pos2) -> Option<CharIdx> {
        let layout = self.layout.as_ref()?;
        let y = pos.y - self.origin.y;
        let i = layout.index_at_y(y);
        let galley = layout.cached_galley(i)?;
        let top = layout.top_cached(i);
        let local = galley.cursor_from_pos(vec2(pos.x - self.origin.x, y - top)).index.0;
        Some(CharIdx(layout.paragraphs[i].chars.start + local))
    }

    /// Centre of the glyph of char `at` on screen, if its paragraph was laid out (for UI tests).
    pub fn char_screen_pos(&self, at: CharIdx) -> Option<Pos2> {
        let layout = self.layout.as_ref()?;
        let i = layout.paragraph_of(at);
        let galley = layout.cached_galley(i)?;
        let para = layout.paragraphs.get(i)?;
        let origin = self.origin + vec2(0.0, layout.top_cached(i));
        let rect = paint::char_rect(galley, origin, self.font_size, at.0 - para.chars.start);
        Some(rect.center())
    }

    /// The text of chars `range` of `doc`, found from the nearest paragraph start (so the side panel does
    /// not count chars from the top of a long document every frame).
    pub fn slice<'d>(&self, doc: &'d Document, range: std::ops::Range<CharIdx>) -> Option<&'d str> {
        let base = self
            .layout
            .as_ref()
            .filter(|l| l.doc == doc.id)
            .and_then(|l| l.paragraphs.get(l.paragraph_of(range.start)))
            .filter(|p| p.chars.start <= range.start.0)
            .map_or((0, CharIdx(0)), |p| (p.bytes.start, CharIdx(p.chars.start)));
        crate::text::offsets::slice_from(&doc.text, base.0, base.1, range)
    }

    /// How many paragraphs of the shown document are laid out (the benchmark checks laziness with it).
    pub fn laid_out_paragraphs(&self) -> usize {
        self.layout.as_ref().map_or(0, DocLayout::laid_out_count)
    }

    /// Arrow keys move the caret (Shift extends, Ctrl moves by word); Home/End go to the paragraph's edges.
    fn keyboard(&mut self, ui: &egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
        if ui.ctx().text_edit_focused() {
            return;
        }
        // Page Up / Page Down move by most of a screen, keeping a few lines for context; Home / End (with
        // or without Ctrl) go to the top and the end of the document.
        let page = self.viewport_height * 0.85;
        for (key, target) in [
            (Key::PageDown, self.viewport_top + page),
            (Key::PageUp, self.viewport_top - page),
            (Key::Home, 0.0),
            (Key::End, f32::MAX),
        ] {
            for mods in [Modifiers::NONE, Modifiers::COMMAND] {
                if ui.input_mut(|i| i.consume_key(mods, key)) {
                    self.jump = Some(target);
                }
            }
        }
        // Without a caret, ←/→ still act: the first press puts the caret at the start of the text, so the
        // keyboard alone can begin work on a freshly opened document.
        let caret = ws.caret();
        let ctrl_shift = Modifiers::COMMAND | Modifiers::SHIFT;
        for (key, forward) in [(Key::ArrowRight, true), (Key::ArrowLeft, false)] {
            for (mods, by_word, extend) in [
                (ctrl_shift, true, true),
                (Modifiers::COMMAND, true, false),
                (Modifiers::SHIFT, false, true),
                (Modifiers::NONE, false, false),
            ] {
                if ui.input_mut(|i| i.consume_key(mods, key)) {
                    intents.push(Intent::MoveCaret { forward, by_word, extend });
                    self.follow_caret = true;
                }
            }
        }
        let Some(sel) = caret else { return };
        for (key, down) in [(Key::ArrowDown, true), (Key::ArrowUp, false)] {
            for (mods, extend) in [(Modifiers::SHIFT, true), (Modifiers::NONE, false)] {
                if ui.input_mut(|i| i.consume_key(mods, key))
                    && let Some(head) = self.row_step(sel.head, down)
                {
                    let anchor = if extend { sel.anchor } else { head };
                    intents.push(Intent::Select { anchor, head, snap: false });
                    self.follow_caret = true;
                }
            }
        }
    }

    /// The char one row below or above `at`, keeping the column roughly.
    fn row_step(&self, at: CharIdx, down: bool) -> Option<CharIdx> {
        let layout = self.layout.as_ref()?;
        let i = layout.paragraph_of(at);
        let para = layout.paragraphs.get(i)?;
        let galley = layout.cached_galley(i)?;
        let cursor = egui::text::CCursor::new(at.0.saturating_sub(para.chars.start));
        let row = galley.layout_from_cursor(cursor).row;
        let last_row = galley.rows.len().saturating_sub(1);
        if down && row >= last_row {
            return layout.paragraphs.get(i + 1).map(|p| CharIdx(p.chars.start));
        }
        if !down && row == 0 {
            return i.checked_sub(1).and_then(|j| layout.paragraphs.get(j)).map(|p| CharIdx(p.chars.end));
        }
        let (moved, _) =
            if down { galley.cursor_down_one_row(&cursor, None) } else { galley.cursor_up_one_row(&cursor, None) };
        Some(CharIdx(para.chars.start + moved.index.0))
    }
}

/// Title, metadata, status and document-label chips above the text.
fn header(ui: &mut egui::Ui, ws: &Workspace, doc: &Document, intents: &mut Vec<Intent>) {
    ui.heading(&doc.title);
    let meta = &doc.meta;
    let facts: Vec<&str> = [meta.author.as_str(), meta.date.as_str(), meta.publication.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect();
    ui.horizontal_wrapped(|ui| {
        if !facts.is_empty() {
            ui.weak(facts.join(" · "));
            ui.separator();
        }
        ui.weak(format!("status: {}", doc.status.as_str()));
        for set in &ws.session.project().schema.doc_labels {
            ui.separator();
            ui.weak(&set.name);
            let current = doc.doc_labels.get(&set.name);
            for choice in &set.choices {
                let on = current == Some(choice);
                if ui.selectable_label(on, choice).clicked() {
                    let value = (!on).then(|| choice.clone());
                    intents.push(Intent::Edit(crate::edit::Edit::SetDocLabel {
                        doc: doc.id.clone(),
                        set: set.name.clone(),
                        value,
                    }));
                }
            }
        }
    });
    ui.separator();
}
