//! What the tests that drive the app headless share (`mod ui_support;` in each `tests/ui_*.rs`).

// Each test file uses only part of this module.
#![allow(dead_code)]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::ui::FactmarkApp;

/// The app in a headless window.
pub type H = Harness<'static, FactmarkApp>;

/// A window of `size` showing `app`, after its first frames.
pub fn harness(app: FactmarkApp, size: [f32; 2]) -> H {
    let mut h = Harness::builder()
        .with_size(size)
        // Headless tests have only egui's bundled fonts; the real window also finds system fonts.
        .allow_missing_glyphs()
        // Scrolling to a far span animates over several frames.
        .with_max_steps(64)
        // Real frame times, so two clicks in a row count as a double-click.
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut FactmarkApp| app.show(ui), app);
    h.run();
    h
}

/// Presses `key` with `mods` and lets the app settle.
pub fn press(h: &mut H, mods: Modifiers, key: Key) {
    h.key_press_modifiers(mods, key);
    h.run();
}

/// Runs frames until a node whose label contains `text` shows — for work done on another thread (import
/// and export previews, writing, agreement figures). Panics after about three seconds.
pub fn wait_for(h: &mut H, text: &str) {
    wait_until(h, text, |h| h.query_by_label_contains(text).is_some());
}

/// Like [`wait_for`], for a node whose label is exactly `label`.
pub fn wait_for_exact(h: &mut H, label: &str) {
    wait_until(h, label, |h| h.query_by_label(label).is_some());
}

fn wait_until(h: &mut H, what: &str, shown: impl Fn(&H) -> bool) {
    for _ in 0..300 {
        h.run_steps(1);
        if shown(h) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("{what:?} never showed");
}

/// A project with the sample's schema (labels, attributes, relation types) and no documents yet.
pub fn project_with_sample_schema(name: &str) -> factmark::model::Project {
    let sample = factmark::store::load(&factmark::ui::sample_project_path()).expect("the sample loads");
    let mut project = factmark::model::Project::new(name);
    project.schema = sample.schema;
    project
}

/// Adds spans `(start, end, label, annotator)` to document `doc`, each through an edit.
pub fn add_spans(project: &mut factmark::model::Project, doc: &str, spans: &[(usize, usize, &str, &str)]) {
    use factmark::model::{CharIdx, DocId, Span};
    for &(start, end, label, who) in spans {
        let span = Span::new(project.alloc_span_id(), CharIdx(start)..CharIdx(end), label, who);
        let edit = factmark::edit::Edit::AddSpan { doc: DocId(doc.into()), span, relations: Vec::new() };
        edit.apply(project).expect("the span fits the document");
    }
}
