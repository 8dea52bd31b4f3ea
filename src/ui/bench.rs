//! Headless frames of the real app for the `scale` benchmark: the whole window (panels, document view,
//! inspector) run through `Context::run_ui` and tessellated, on a fixed 1280×800 screen, with no GPU. What
//! is timed is exactly what a frame costs the CPU before it reaches the renderer.

use std::time::{Duration, Instant};

use egui::{Event, MouseWheelUnit, Pos2, RawInput, Rect, vec2};

use crate::model::{CharIdx, Project};

use super::{FactmarkApp, Intent};

/// The screen the benchmark draws on.
pub const SCREEN: [f32; 2] = [1280.0, 800.0];

/// The app and an egui context with no window.
pub struct FrameBench {
    ctx: egui::Context,
    app: FactmarkApp,
    events: Vec<Event>,
    time: f64,
}

impl FrameBench {
    /// Shows the first document of `project`. No frame has run yet, so the first [`Self::frame`] is the
    /// first frame after opening.
    pub fn new(project: Project) -> FrameBench {
        let ctx = egui::Context::default();
        // Jumps instead of animations: one page per frame really moves one page.
        ctx.all_styles_mut(|style| style.scroll_animation = egui::style::ScrollAnimation::none());
        FrameBench { ctx, app: FactmarkApp::new(project, None), events: Vec::new(), time: 0.0 }
    }

    /// The app opened on `path` as the window opens it (a large project folder document by document).
    pub fn open(path: &std::path::Path) -> FrameBench {
        let ctx = egui::Context::default();
        ctx.all_styles_mut(|style| style.scroll_animation = egui::style::ScrollAnimation::none());
        FrameBench { ctx, app: FactmarkApp::from_path(path), events: Vec::new(), time: 0.0 }
    }

    /// Shows the document at `index` (applied in the next frame).
    pub fn show_document(&mut self, index: usize) {
        self.app.push(Intent::SelectDocument(index));
    }

    /// Runs and tessellates one frame; returns how long it took.
    pub fn frame(&mut self) -> Duration {
        self.time += 1.0 / 60.0;
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, vec2(SCREEN[0], SCREEN[1]))),
            time: Some(self.time),
            events: std::mem::take(&mut self.events),
            ..Default::default()
        };
        let started = Instant::now();
        let app = &mut self.app;
        let mut output = self.ctx.run_ui(input, |ui| app.show(ui));
        let primitives = self.ctx.tessellate(std::mem::take(&mut output.shapes), output.pixels_per_point);
        let took = started.elapsed();
        // No renderer takes the font atlas updates; they are dropped on purpose.
        output.textures_delta.clear();
        std::hint::black_box(primitives);
        took
    }

    /// Scrolls the document view down one page, then runs a frame.
    pub fn scroll_page(&mut self) -> Duration {
        // The pointer over the text, as when scrolling with a wheel.
        self.events.push(Event::PointerMoved(Pos2::new(SCREEN[0] / 2.0, SCREEN[1] / 2.0)));
        self.events.push(Event::MouseWheel {
            unit: MouseWheelUnit::Page,
            delta: vec2(0.0, -1.0),
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        });
        self.frame()
    }

    /// Tags `range` with the schema's first label (the edit is applied after this frame), then runs the
    /// next frame, which draws the new span. Returns the time of both frames' work.
    pub fn add_span(&mut self, range: std::ops::Range<CharIdx>) -> Duration {
        self.app.push(Intent::Select { anchor: range.start, head: range.end, snap: false });
        self.app.push(Intent::ApplyLabel(0));
        self.frame() + self.frame()
    }

    /// Paragraphs of the shown document laid out so far (proves the view lays out only what is seen).
    pub fn laid_out_paragraphs(&self) -> usize {
        self.app.view().laid_out_paragraphs()
    }

    /// The app, to check what the frames did.
    pub fn app(&self) -> &FactmarkApp {
        &self.app
    }
}
