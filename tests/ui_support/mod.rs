//! What the tests that drive the app headless share (`mod ui_support;` in each `tests/ui_*.rs`).

// Each test file uses only part of this module.
#![allow(dead_code)]

use egui::{Key, Modifiers};
use egui_kittest::Harness;
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
