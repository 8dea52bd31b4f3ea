//! Shared checks for the fuzz targets in `fuzz_targets/`.
//!
//! A target panics only when factmark breaks one of its promises on some input: a loader or importer
//! panics, hangs or allocates without bound (libFuzzer catches those itself), or an input that was
//! accepted leads to an invalid project, a plan that does not apply, or a project that does not survive
//! save → load unchanged.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use factmark::formats::{DoccanoUnits, Format, ImportOptions, plan_import, read_annotations};
use factmark::import::{self, read_bytes};
use factmark::model::{DocId, Document, Project, validate};
use factmark::store;

/// A folder of this process's own for targets that must go through real files (the dataset importers
/// and the article import plan read paths, not bytes). On tmpfs when there is one, so a write costs
/// microseconds.
pub fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = if Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
        let dir = base.join(format!("factmark-fuzz-{}", std::process::id()));
        if let Err(e) = fs::create_dir_all(&dir) {
            panic!("cannot create the scratch folder {}: {e}", dir.display());
        }
        dir
    })
}

/// Writes `bytes` to `name` inside the scratch folder (or a sub-folder of it) and returns the path.
pub fn write_scratch(name: &str, bytes: &[u8]) -> PathBuf {
    let path = scratch_dir().join(name);
    if let Some(parent) = path.parent()
        && let Err(e) = fs::create_dir_all(parent)
    {
        panic!("cannot create {}: {e}", parent.display());
    }
    if let Err(e) = fs::write(&path, bytes) {
        panic!("cannot write {}: {e}", path.display());
    }
    path
}

/// The project must satisfy every invariant, and save → load must give it back unchanged.
pub fn assert_valid_and_round_trips(project: &Project) {
    let problems = validate::problems(project);
    assert!(problems.is_empty(), "invalid project: {problems:?}");
    let text = match store::to_ron(project) {
        Ok(text) => text,
        Err(e) => panic!("to_ron failed on a valid project: {e}"),
    };
    let back = match store::from_bytes(Path::new("roundtrip.ron"), text.as_bytes()) {
        Ok(back) => back,
        Err(e) => panic!("a saved project does not load: {e}\n--- file ---\n{text}"),
    };
    assert!(back == *project, "save → load changed the project\n--- file ---\n{text}");
    match store::to_ron(&back) {
        Ok(again) => assert!(again == text, "saving is not deterministic"),
        Err(e) => panic!("to_ron failed the second time: {e}"),
    }
}

/// A project with one document, so the import plan has something to find duplicates against.
fn base_project() -> Project {
    let mut project = Project::new("fuzz");
    project.documents.push(Document::new(DocId("known".into()), "Known", "Known text."));
    project
}

/// Article import of `data` as a file with extension `ext`: the in-memory reader and the file-based
/// plan must agree, and an accepted article must become a valid project that saves and loads unchanged.
pub fn check_article(ext: &str, data: &[u8]) {
    let path = write_scratch(&format!("article.{ext}"), data);
    let direct = read_bytes(&path, data);
    let mut project = base_project();
    let plan = import::plan_import(&project, std::slice::from_ref(&path));
    match &direct {
        Err(err) => {
            let planned: Vec<String> = plan.errors.iter().map(ToString::to_string).collect();
            assert!(planned == [err.to_string()], "read_bytes says {err}, the plan says {planned:?}");
            assert!(plan.documents.is_empty(), "a broken file must import nothing");
            let message = err.to_string();
            assert!(message.starts_with(&path.display().to_string()), "message must name the file: {message}");
            assert!(!message.contains('\n'), "one-line message: {message:?}");
        }
        Ok(articles) => {
            assert!(plan.errors.is_empty(), "read_bytes accepted, the plan refused: {:?}", plan.errors);
            assert!(
                plan.documents.len() + plan.duplicates.len() == articles.len(),
                "{} articles read, {} planned + {} duplicates",
                articles.len(),
                plan.documents.len(),
                plan.duplicates.len()
            );
            for article in articles {
                assert!(!article.text.trim().is_empty(), "an article with no text was accepted");
                assert!(!article.text.contains('\r'), "a CR survived line-end normalisation");
            }
            if let Some(edit) = plan.into_edit() {
                if let Err(e) = edit.apply(&mut project) {
                    panic!("the import plan did not apply: {e}");
                }
                assert_valid_and_round_trips(&project);
            }
        }
    }
}

/// Dataset import of the file or folder at `input`: whatever is read is checked against a project that
/// holds its texts; a plan that is accepted must apply and leave a valid project that round-trips.
pub fn check_annotations(input: &Path, format: Format, doccano_units: DoccanoUnits) {
    let options = ImportOptions { format, doccano_units, annotator: "fuzz".into() };
    let docs = match read_annotations(input, &options) {
        Ok(docs) => docs,
        Err(err) => {
            let message = err.to_string();
            assert!(!message.contains('\n'), "one-line message: {message:?}");
            return;
        }
    };
    let mut project = Project::new("fuzz");
    let mut texts = HashSet::new();
    for (i, doc) in docs.iter().enumerate() {
        if texts.insert(doc.text.as_str()) {
            project.documents.push(Document::new(DocId(format!("d{i}")), format!("d{i}"), doc.text.clone()));
        }
    }
    let before = project.clone();
    match plan_import(&project, input, &options) {
        Err(err) => {
            let message = err.to_string();
            assert!(!message.contains('\n'), "one-line message: {message:?}");
        }
        Ok(plan) => {
            let Some(edit) = plan.edit else { return };
            if let Err(e) = edit.apply(&mut project) {
                panic!("a checked annotation import did not apply: {e}");
            }
            assert!(project != before || plan.spans + plan.relations == 0, "the plan said it adds something");
            assert_valid_and_round_trips(&project);
        }
    }
}
