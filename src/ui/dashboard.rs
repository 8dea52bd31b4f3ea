//! The project dashboard (being written).

use super::workspace::Workspace;

/// The dashboard window's state.
#[derive(Default)]
pub struct Dashboard {
    /// Whether the window is showing.
    pub open: bool,
}

impl Dashboard {
    /// Draws the window when open.
    pub fn show(&mut self, _ctx: &egui::Context, _ws: &Workspace) {}
}
