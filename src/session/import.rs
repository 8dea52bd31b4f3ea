//! Importing articles, as both the command line (`factmark import`) and the window (File → Import) plan
//! it: the files found under the given paths, each read and checked against the project and against the
//! files before it, with progress counted in files and a cancel between files. Applying the plan is one
//! undoable edit ([`ImportPlan::into_edit`]); the command line then saves, the window records it.

use std::path::PathBuf;

use crate::import::{ArticleOptions, ImportPlan, plan_import_watched};
use crate::model::Project;

use super::job::Progress;

/// Plans importing `paths` into `project`; `None` when cancelled through `progress`.
pub fn plan(project: &Project, paths: &[PathBuf], options: ArticleOptions, progress: &Progress) -> Option<ImportPlan> {
    plan_import_watched(project, paths, options, &mut |done, total| {
        progress.set(done as u64, total as u64);
        !progress.is_cancelled()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planning_counts_files_and_stops_when_cancelled() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..3 {
            std::fs::write(dir.path().join(format!("a{i}.txt")), format!("Title {i}\n\nText number {i}.")).unwrap();
        }
        std::fs::write(dir.path().join(".hidden.txt"), "x").unwrap();
        // The same text twice among the new files: planned once, the second a duplicate.
        std::fs::write(dir.path().join("b.txt"), "Title 0\n\nText number 0.").unwrap();
        let progress = Progress::default();
        let paths = vec![dir.path().to_path_buf()];
        let plan = plan(&Project::new("p"), &paths, ArticleOptions::default(), &progress).unwrap();
        assert_eq!(plan.documents.len(), 3);
        assert_eq!(plan.duplicates.len(), 1, "caught between the new files too");
        assert_eq!(progress.get(), (4, 4), "hidden files are not counted");
        let cancelled = Progress::default();
        cancelled.cancel();
        assert!(super::plan(&Project::new("p"), &paths, ArticleOptions::default(), &cancelled).is_none());
    }
}
