//! Never losing work in the app: the recovery file, a project changed on disk by another program, and the
//! unsaved-changes question on quit — checked on the workspace itself, without a window.

use std::time::{Duration, Instant};

use factmark::model::CharIdx;
use factmark::store;
use factmark::ui::commands::CommandId;
use factmark::ui::workspace::{AUTOSAVE_DELAY, Prompt, Workspace, recovery_path};
use factmark::ui::{Intent, UnsavedAnswer};

fn open_copy() -> (tempfile::TempDir, std::path::PathBuf, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.ron");
    std::fs::copy(factmark::ui::sample_project_path(), &path).unwrap();
    let project = store::load(&path).unwrap();
    let mut ws = Workspace::new(project, Some(path.clone()));
    ws.session.annotator = "tester".into();
    (dir, path, ws)
}

/// Tags the first five chars of the shown document as Claim.
fn add_claim(ws: &mut Workspace) {
    ws.apply(Intent::Select { anchor: CharIdx(0), head: CharIdx(5), snap: true });
    ws.apply(Intent::ApplyLabel(0));
}

#[test]
fn autosave_writes_a_recovery_file_and_the_next_start_offers_it() {
    let (_dir, path, mut ws) = open_copy();
    let before = std::fs::read(&path).unwrap();
    add_claim(&mut ws);
    assert!(ws.session.is_dirty());
    assert!(ws.session.autosave_job(Instant::now()).is_none(), "not before the delay");
    let later = Instant::now() + AUTOSAVE_DELAY + Duration::from_millis(10);
    let job = ws.session.autosave_job(later).expect("due after the delay");
    assert_eq!(job.path, recovery_path(&path));
    job.write().unwrap();
    assert!(ws.session.autosave_job(later).is_none(), "the same state is not written twice");
    assert_eq!(std::fs::read(&path).unwrap(), before, "the project file itself is never autosaved");

    // A crash now: the next start finds the recovery file and offers it.
    let edited = ws.session.project().clone();
    let mut next = Workspace::new(store::load(&path).unwrap(), Some(path.clone()));
    next.check_recovery();
    assert!(matches!(next.prompt, Some(Prompt::Recover { .. })));
    next.apply(Intent::Recover(true));
    assert_eq!(next.session.project(), &edited);
    assert!(next.session.is_dirty(), "restored work is unsaved until saved");
    next.apply(Intent::Run(CommandId::Save));
    assert!(!next.session.is_dirty());
    assert!(!recovery_path(&path).exists(), "saving removes the recovery file");
    assert_eq!(store::load(&path).unwrap(), edited);
}

#[test]
fn discarding_recovered_work_removes_it() {
    let (_dir, path, mut ws) = open_copy();
    add_claim(&mut ws);
    ws.session.autosave_job(Instant::now() + AUTOSAVE_DELAY * 2).unwrap().write().unwrap();
    let mut next = Workspace::new(store::load(&path).unwrap(), Some(path.clone()));
    next.check_recovery();
    next.apply(Intent::Recover(false));
    assert!(!recovery_path(&path).exists());
    assert!(!next.session.is_dirty());
}

#[test]
fn a_file_changed_on_disk_is_not_overwritten_without_asking() {
    let (_dir, path, mut ws) = open_copy();
    add_claim(&mut ws);
    // Another program rewrites the file (different size, so the change shows whatever the clock says).
    let mut other = store::load(&path).unwrap();
    other.name.push_str(" (edited elsewhere)");
    store::save(&other, &path).unwrap();

    ws.apply(Intent::Run(CommandId::Save));
    assert!(matches!(ws.prompt, Some(Prompt::DiskChanged { .. })), "{}", ws.message);
    assert_eq!(store::load(&path).unwrap(), other, "nothing written yet");
    ws.apply(Intent::OverwriteChanged(false));
    assert_eq!(store::load(&path).unwrap(), other, "kept the other program's version");
    assert!(ws.session.is_dirty());

    ws.apply(Intent::Run(CommandId::Save));
    ws.apply(Intent::OverwriteChanged(true));
    assert_eq!(&store::load(&path).unwrap(), ws.session.project());
    assert!(!ws.session.is_dirty());
}

#[test]
fn quitting_with_unsaved_changes_asks_and_save_then_quits() {
    let (_dir, path, mut ws) = open_copy();
    ws.apply(Intent::Run(CommandId::Quit));
    assert!(ws.quit_confirmed, "nothing unsaved: quits at once");

    let (_dir2, path2, mut ws) = open_copy();
    add_claim(&mut ws);
    ws.apply(Intent::Run(CommandId::Quit));
    assert!(!ws.quit_confirmed);
    assert!(matches!(ws.prompt, Some(Prompt::Unsaved { .. })));
    ws.apply(Intent::Unsaved(UnsavedAnswer::Cancel));
    assert!(!ws.quit_confirmed && ws.prompt.is_none());
    ws.apply(Intent::Run(CommandId::Quit));
    ws.apply(Intent::Unsaved(UnsavedAnswer::Save));
    assert!(ws.quit_confirmed);
    assert_eq!(&store::load(&path2).unwrap(), ws.session.project());
    let _unused = path;
}

#[test]
fn broken_files_leave_the_open_project_alone() {
    let (dir, _path, mut ws) = open_copy();
    let before = ws.session.project().clone();
    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format: 1, name: \"x\", documents: [").unwrap();
    ws.apply(Intent::Open(broken.clone()));
    assert_eq!(ws.session.project(), &before);
    assert!(ws.message.contains("broken.ron"), "{}", ws.message);
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "(format: 1, name: \"x\", documents: [");
}

#[test]
fn a_recovery_file_as_new_as_the_project_is_offered_and_an_older_one_is_not() {
    let (_dir, path, mut ws) = open_copy();
    add_claim(&mut ws);
    ws.session.autosave_job(Instant::now() + AUTOSAVE_DELAY * 2).unwrap().write().unwrap();
    let set_time = |p: &std::path::Path, t: std::time::SystemTime| {
        std::fs::File::options().write(true).open(p).unwrap().set_modified(t).unwrap();
    };
    let project_at = std::fs::metadata(&path).unwrap().modified().unwrap();
    let offered = |path: &std::path::PathBuf| {
        let mut next = Workspace::new(store::load(path).unwrap(), Some(path.clone()));
        next.check_recovery();
        matches!(next.prompt, Some(Prompt::Recover { .. }))
    };
    // Written in the same tick as the project (file times are coarse): still offered.
    set_time(&recovery_path(&path), project_at);
    assert!(offered(&path));
    // Older than the project (the project was saved since, by another window): not offered.
    set_time(&recovery_path(&path), project_at - Duration::from_secs(60));
    assert!(!offered(&path));
}

#[test]
fn the_window_saves_as_a_project_folder_and_opens_it_with_a_recovery_file_beside_it() {
    let (dir, _path, mut ws) = open_copy();
    let folder = dir.path().join("team.factmark");
    ws.apply(Intent::SaveAs(folder.clone()));
    assert!(folder.join("project.ron").is_file(), "{}", ws.message);
    assert!(!ws.session.is_dirty());
    add_claim(&mut ws);
    ws.apply(Intent::Run(CommandId::Save));
    let saved = store::load(&folder).unwrap();
    assert_eq!(&saved, ws.session.project(), "the folder holds the edit");
    // Opened again: the same project, and its autosave goes to a file beside the folder, not into it.
    let mut next = Workspace::new(store::load(&folder).unwrap(), Some(folder.clone()));
    next.apply(Intent::Select { anchor: CharIdx(0), head: CharIdx(5), snap: true });
    next.apply(Intent::ApplyLabel(1));
    let later = Instant::now() + AUTOSAVE_DELAY + Duration::from_millis(10);
    let job = next.session.autosave_job(later).expect("due after the delay");
    assert_eq!(job.path, dir.path().join("team.recovery.ron"));
    job.write().unwrap();
    assert!(store::load(&dir.path().join("team.recovery.ron")).is_ok());
    assert_eq!(store::load(&folder).unwrap(), saved, "autosave never touches the folder");
}

/// Relabelling a span so that a relation's type no longer allows it removes the relation in the same undo
/// step; the status line says so, and undo brings the relation back.
#[test]
fn relabelling_away_a_relations_end_says_the_relation_went_and_undo_restores_it() {
    let (_dir, _path, mut ws) = open_copy();
    let (doc_at, source) = ws
        .session
        .project()
        .documents
        .iter()
        .enumerate()
        .find_map(|(at, d)| d.relations.first().map(|r| (at, r.from)))
        .expect("the sample links a source to a claim");
    ws.apply(Intent::SelectDocument(doc_at));
    let relations = ws.document().unwrap().relations.len();
    ws.apply(Intent::ClickSpan(source));
    let claim = ws.session.project().schema.labels.iter().position(|l| l.name == "Claim").unwrap();
    ws.apply(Intent::ApplyLabel(claim));
    let doc = ws.document().unwrap();
    assert_eq!(doc.span(source).unwrap().label, "Claim");
    assert!(doc.relations.len() < relations);
    assert!(ws.message.contains("relation") && ws.message.contains("Ctrl+Z"), "{}", ws.message);
    ws.apply(Intent::Run(CommandId::Undo));
    let doc = ws.document().unwrap();
    assert_eq!(doc.span(source).unwrap().label, "Source");
    assert_eq!(doc.relations.len(), relations);
}
