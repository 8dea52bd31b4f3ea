//! The curation view (being written).

use super::intent::Intent;
use super::workspace::Workspace;

/// The curation window's state.
#[derive(Default)]
pub struct Curation {
    /// Whether the window is showing.
    pub open: bool,
}

impl Curation {
    /// Draws the window when open; choices become intents (edits that build the `gold` layer).
    pub fn show(&mut self, _ctx: &egui::Context, _ws: &Workspace, _intents: &mut Vec<Intent>) {}

    /// "Next disagreement": moves to the next place where annotators differ.
    pub fn next_disagreement(&mut self, _ws: &Workspace) {}
}
