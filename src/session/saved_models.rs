//! Saving the learned models when the user asks, and reading them back: a file of its own beside the
//! project (`<project>.models.json` unless the user names another), never inside the project file.

use std::path::{Path, PathBuf};

use crate::analysis::suggest::{Learned, ModelsError, SavedModels};
use crate::model::Project;

/// Why models could not be saved or read. Names the file.
#[derive(Debug, thiserror::Error)]
pub enum ModelsFileError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The models file.
        path: PathBuf,
        /// What went wrong.
        source: std::io::Error,
    },
    /// The file is not usable models.
    #[error("{path}: {source}")]
    Models {
        /// The models file.
        path: PathBuf,
        /// What is wrong with it.
        source: ModelsError,
    },
    /// There is nothing learned to save.
    #[error("nothing learned yet: label some spans first")]
    Nothing,
}

/// Where a project's models go by default: beside it, `<stem>.models.json`.
pub fn default_models_path(project_path: &Path) -> PathBuf {
    let stem = project_path.file_stem().map_or_else(|| "project".into(), |s| s.to_string_lossy().into_owned());
    project_path.with_file_name(format!("{stem}.models.json"))
}

/// Saves `learned` (trained on `project`) to `path`, atomically as the project itself is saved (a crash
/// leaves the old file or the new one). Returns the bytes written.
pub fn save_models(project: &Project, learned: &Learned, path: &Path) -> Result<usize, ModelsFileError> {
    if learned.is_empty() {
        return Err(ModelsFileError::Nothing);
    }
    let models = |source| ModelsFileError::Models { path: path.to_path_buf(), source };
    let io = |source| ModelsFileError::Io { path: path.to_path_buf(), source };
    let text = SavedModels::new(&project.name, learned.clone()).to_json().map_err(models)?;
    crate::store::write_atomic(path, text.as_bytes()).map_err(io)?;
    Ok(text.len())
}

/// Reads models saved by [`save_models`], with a warning for each label or relation type they propose
/// that `project`'s schema lacks (their suggestions are left out).
pub fn load_models(path: &Path, project: &Project) -> Result<(Learned, Vec<String>), ModelsFileError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| ModelsFileError::Io { path: path.to_path_buf(), source })?;
    let saved =
        SavedModels::from_json(&text).map_err(|source| ModelsFileError::Models { path: path.to_path_buf(), source })?;
    let missing: Vec<&str> =
        saved.labels.iter().filter(|l| project.schema.label(l).is_none()).map(String::as_str).collect();
    let mut warnings = Vec::new();
    if !missing.is_empty() {
        warnings.push(format!(
            "{}: the models propose labels this project lacks: {} (their suggestions are left out)",
            path.display(),
            missing.join(", ")
        ));
    }
    Ok((saved.models(), warnings))
}
