//! Reading older project formats. Format 1 is the first released format, so today this only dispatches;
//! when format 2 arrives, the format-1 reader stays here and converts its result to the new shape.

use super::file::{FORMAT_VERSION, ProjectFile};

/// Why a file could not be brought to the current format.
pub(crate) enum MigrateError {
    /// The body does not parse as the shape its version promises.
    Parse(ron::error::SpannedError),
    /// A version that never existed (0).
    Unsupported(u32),
}

/// Parses `text`, written in format `version` (≤ current), into the current file shape.
pub(crate) fn to_current(text: &str, version: u32) -> Result<ProjectFile, MigrateError> {
    match version {
        FORMAT_VERSION => ron::from_str(text).map_err(MigrateError::Parse),
        other => Err(MigrateError::Unsupported(other)),
    }
}
