//! Preferences kept between runs in eframe's storage (one RON string): annotator, theme, zoom, snapping
//! and recent projects. Panel sizes are kept by egui's own memory, which eframe persists as well.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// How many recent projects the File menu lists.
const RECENT_MAX: usize = 8;

/// The storage key.
pub const KEY: &str = "factmark-preferences";

/// Light, dark, or whatever the system uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum ThemeChoice {
    /// Dark.
    #[default]
    Dark,
    /// Light.
    Light,
    /// Follow the system setting.
    System,
}

impl ThemeChoice {
    /// egui's name for it.
    pub fn preference(self) -> egui::ThemePreference {
        match self {
            ThemeChoice::Dark => egui::ThemePreference::Dark,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::System => egui::ThemePreference::System,
        }
    }
}

/// Everything remembered between runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Preferences {
    /// Recorded on new spans.
    pub annotator: String,
    /// Whether the user has seen and accepted the annotator name (else the first start asks).
    pub annotator_confirmed: bool,
    /// The theme.
    pub theme: ThemeChoice,
    /// Text size in points.
    pub font_size: f32,
    /// Snap selections to whole words.
    pub snap_words: bool,
    /// Recently opened projects, newest first.
    pub recent: Vec<PathBuf>,
    /// The document last shown in each recent project (by document id), so reopening goes back to it.
    pub last_documents: Vec<(PathBuf, String)>,
    /// Where LLM pre-annotation sends text, and how (never the API key: only its variable's name).
    pub llm: crate::session::llm::LlmSettings,
}

impl Default for Preferences {
    fn default() -> Self {
        Preferences {
            annotator: std::env::var("FACTMARK_ANNOTATOR").or_else(|_| std::env::var("USER")).unwrap_or_default(),
            // A name set on purpose for factmark needs no question; `$USER` is only a guess.
            annotator_confirmed: std::env::var("FACTMARK_ANNOTATOR").is_ok_and(|n| !n.trim().is_empty()),
            theme: ThemeChoice::Dark,
            font_size: 16.0,
            snap_words: true,
            recent: Vec::new(),
            last_documents: Vec::new(),
            llm: crate::session::llm::LlmSettings::from_env(),
        }
    }
}

impl Preferences {
    /// Reads preferences from their stored text; anything unreadable falls back to the defaults, since a
    /// broken preferences entry must never keep the app from starting.
    pub fn from_stored(text: Option<String>) -> Preferences {
        text.and_then(|t| ron::from_str(&t).ok()).unwrap_or_default()
    }

    /// The text to store.
    pub fn to_stored(&self) -> Option<String> {
        ron::to_string(self).ok()
    }

    /// Puts `path` first in the recent list.
    pub fn remember(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(RECENT_MAX);
    }

    /// Notes `doc` as the document shown in the project at `path`.
    pub fn remember_document(&mut self, path: &Path, doc: &str) {
        if self.last_documents.first().is_some_and(|(p, d)| p == path && d == doc) {
            return;
        }
        self.last_documents.retain(|(p, _)| p != path);
        self.last_documents.insert(0, (path.to_path_buf(), doc.to_string()));
        self.last_documents.truncate(RECENT_MAX);
    }

    /// The document last shown in the project at `path`, if any.
    pub fn last_document(&self, path: &Path) -> Option<&str> {
        self.last_documents.iter().find(|(p, _)| p == path).map(|(_, d)| d.as_str())
    }

    /// The project to open when none is named: the last one that still exists.
    pub fn last_project(&self) -> Option<&PathBuf> {
        self.recent.iter().find(|p| p.exists())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_survives_garbage() {
        let mut prefs = Preferences { annotator: "ana".into(), ..Preferences::default() };
        prefs.remember(Path::new("/a.ron"));
        prefs.remember(Path::new("/b.ron"));
        prefs.remember(Path::new("/a.ron"));
        assert_eq!(prefs.recent, vec![PathBuf::from("/a.ron"), PathBuf::from("/b.ron")]);
        assert_eq!(Preferences::from_stored(prefs.to_stored()), prefs);
        assert_eq!(Preferences::from_stored(Some("(annotator: ".into())), Preferences::default());
    }
}
