//! The RON store: round trips, atomic save with backup, and every broken-file case the foundation issue
//! lists — each must give a message naming the file and the problem, and leave the file untouched.

use std::fs;
use std::path::{Path, PathBuf};

use factmark::model::Project;
use factmark::store::{self, StoreError};

mod kursk_support;
use kursk_support::kursk_project;

/// The shared Kursk project, with an author (a metadata field the file must keep).
fn sample() -> Project {
    let mut project = kursk_project();
    project.documents[0].meta.author = "Zoë Marchetti".into();
    project
}

fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn save_then_load_is_identity_and_deterministic() {
    let dir = temp_dir();
    let path = dir.path().join("p.ron");
    let project = sample();
    store::save(&project, &path).unwrap();
    let loaded = store::load(&path).unwrap();
    assert_eq!(loaded, project);
    let first = fs::read_to_string(&path).unwrap();
    store::save(&loaded, &path).unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), first, "saving the same project twice gives the same bytes");
}

#[test]
fn file_is_readable_with_one_span_per_line() {
    let text = store::to_ron(&sample()).unwrap();
    assert!(text.contains("format: 1,"), "{text}");
    let span_lines: Vec<&str> =
        text.lines().filter(|l| l.trim_start().starts_with("(id: ") && l.contains("label:")).collect();
    assert_eq!(span_lines.len(), 3, "{text}");
    assert!(span_lines[0].contains(r#"text: "U.S. intelligence has “confirmed”"#), "{}", span_lines[0]);
    // Spans are written sorted by position, the outer Claim before the nested Source.
    assert!(span_lines[0].contains("label: \"Claim\""));
    assert!(span_lines[1].contains("label: \"Source\""));
    // The article text keeps real line breaks, so diffs show the paragraph that changed.
    assert!(text.contains("in Kursk.\n\nCritics"), "{text}");
}

#[test]
fn save_keeps_previous_version_as_backup_and_leaves_no_temp_files() {
    let dir = temp_dir();
    let path = dir.path().join("p.ron");
    let mut project = sample();
    store::save(&project, &path).unwrap();
    let before = fs::read(&path).unwrap();
    project.name = "Renamed".into();
    // A temp file left by a killed save is cleaned up by the next save.
    fs::write(dir.path().join(".factmark-tmp-stale"), b"junk").unwrap();
    store::save(&project, &path).unwrap();
    assert_eq!(fs::read(store::backup_path(&path)).unwrap(), before);
    assert_eq!(store::load(&path).unwrap().name, "Renamed");
    let names: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.starts_with(".factmark-tmp")), "{names:?}");
}

#[test]
fn save_into_missing_folder_fails_with_path() {
    let dir = temp_dir();
    let path = dir.path().join("no-such-folder").join("p.ron");
    let err = store::save(&sample(), &path).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }));
    assert!(err.to_string().contains("no-such-folder"), "{err}");
}

/// Writes `content` to a file, loads it, and checks the error message contains every `expected` part and
/// that the file's bytes did not change.
fn assert_broken(content: &str, expected: &[&str]) -> StoreError {
    let dir = temp_dir();
    let path = dir.path().join("broken.ron");
    fs::write(&path, content).unwrap();
    let err = store::load(&path).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("broken.ron"), "message must name the file: {message}");
    for part in expected {
        assert!(message.contains(part), "expected {part:?} in: {message}");
    }
    assert!(!message.contains('\n'), "one-line message: {message}");
    assert_eq!(fs::read_to_string(&path).unwrap(), content, "loading must never touch the file");
    err
}

fn good_ron() -> String {
    store::to_ron(&sample()).unwrap()
}

fn path_of(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("x.ron")
}

#[test]
fn truncated_file_reports_line_and_column() {
    let good = good_ron();
    let cut = &good[..good.len() / 2];
    let err = assert_broken(cut, &[]);
    assert!(matches!(err, StoreError::Parse { line, .. } if line > 1), "{err:?}");
}

#[test]
fn wrong_type_reports_position() {
    let bad = good_ron().replacen("next_span_id: 4", "next_span_id: \"four\"", 1);
    let line = bad.lines().position(|l| l.contains("\"four\"")).unwrap() + 1;
    let err = assert_broken(&bad, &[&format!("broken.ron:{line}:")]);
    assert!(matches!(err, StoreError::Parse { .. }), "{err:?}");
}

#[test]
fn newer_format_is_refused() {
    assert_broken(&good_ron().replacen("format: 1,", "format: 7,", 1), &["format 7", "newer"]);
}

#[test]
fn missing_format_is_not_a_project() {
    assert_broken("(name: \"x\")", &["not a factmark project"]);
}

#[test]
fn not_utf8_reports_position() {
    let dir = temp_dir();
    let path = path_of(&dir);
    let mut bytes = good_ron().into_bytes();
    bytes.insert(40, 0xff);
    fs::write(&path, &bytes).unwrap();
    let err = store::load(&path).unwrap_err();
    assert!(err.to_string().contains("not valid UTF-8"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), bytes);
}

#[test]
fn span_outside_text_names_document_and_span() {
    let bad = good_ron().replacen("(id: 3, start: 104, end: 137", "(id: 3, start: 104, end: 999", 1);
    assert_broken(&bad, &["kursk-1", "span 3", "999"]);
}

#[test]
fn span_text_mismatch_is_detected() {
    let bad = good_ron().replacen("text: \"U.S. intelligence\"", "text: \"U.K. intelligence\"", 1);
    assert_broken(&bad, &["kursk-1", "span 2", "U.K. intelligence"]);
}

#[test]
fn empty_or_inverted_span_is_refused() {
    let bad = good_ron().replacen(
        "(id: 2, start: 0, end: 17, label: \"Source\", text: \"U.S. intelligence\"",
        "(id: 2, start: 17, end: 0, label: \"Source\", text: \"\"",
        1,
    );
    assert_broken(&bad, &["span 2", "empty or inverted"]);
}

#[test]
fn duplicate_span_ids_are_refused() {
    let bad = good_ron().replacen("(id: 3, start: 104", "(id: 1, start: 104", 1);
    assert_broken(&bad, &["duplicate span id 1"]);
}

#[test]
fn unknown_label_is_refused() {
    let bad =
        good_ron().replacen("label: \"Opinion\", text: \"the minister", "label: \"Rumour\", text: \"the minister", 1);
    assert_broken(&bad, &["span 3", "\"Rumour\""]);
}

#[test]
fn relation_to_missing_span_is_refused() {
    let bad = good_ron().replacen("from: 2, to: 1", "from: 2, to: 42", 1);
    assert_broken(&bad, &["relation 1", "span 42"]);
}

#[test]
fn several_problems_are_counted() {
    let bad = good_ron().replacen("from: 2, to: 1", "from: 2, to: 42", 1).replacen(
        "(id: 3, start: 104",
        "(id: 1, start: 104",
        1,
    );
    assert_broken(&bad, &["more problem"]);
}

#[test]
fn missing_file_names_the_path() {
    let err = store::load(Path::new("/definitely/not/here.ron")).unwrap_err();
    assert!(err.to_string().starts_with("/definitely/not/here.ron"), "{err}");
}

#[test]
fn bundled_sample_project_loads_with_dozens_of_spans_per_label() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/sample.ron");
    let project = store::load(&path).unwrap();
    let stats = factmark::analysis::stats::project_stats(&project);
    for label in ["Claim", "Opinion", "Source"] {
        assert!(stats.spans_by_label[label] >= 24, "{label}: {:?}", stats.spans_by_label);
    }
    assert!(stats.nested_spans >= 10, "{stats:?}");
    assert!(stats.relations >= 15, "{stats:?}");
    assert!(project.documents.len() >= 6);
}

/// How many of the store's temp files are in `folder`.
fn temp_files(folder: &Path) -> usize {
    let names = fs::read_dir(folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned());
    names.filter(|n| n.starts_with(".factmark-tmp")).count()
}

#[test]
fn a_batch_of_files_is_written_all_or_none() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let (a, b, c) = (dir.path().join("a.jsonl"), dir.path().join("brat/one.ann"), dir.path().join("brat/one.txt"));
    store::write_batch(&[(&a, b"old a"), (&b, b"old b"), (&c, b"old c")]).unwrap();
    assert_eq!(fs::read(&b).unwrap(), b"old b", "missing folders are created");

    // One target is read-only: nothing is replaced, and no temp file is left behind.
    fs::set_permissions(&c, fs::Permissions::from_mode(0o444)).unwrap();
    let err = store::write_batch(&[(&a, b"new a"), (&b, b"new b"), (&c, b"new c")]).unwrap_err();
    assert!(err.to_string().contains("one.txt is read-only"), "{err}");
    assert_eq!((fs::read(&a).unwrap(), fs::read(&b).unwrap()), (b"old a".to_vec(), b"old b".to_vec()));
    assert_eq!(temp_files(dir.path()) + temp_files(&dir.path().join("brat")), 0);

    // Writable again: every file is replaced, and the permissions of the old files are kept.
    fs::set_permissions(&c, fs::Permissions::from_mode(0o640)).unwrap();
    store::write_batch(&[(&a, b"new a"), (&b, b"new b"), (&c, b"new c")]).unwrap();
    assert_eq!(fs::read(&c).unwrap(), b"new c");
    assert_eq!(fs::metadata(&c).unwrap().permissions().mode() & 0o777, 0o640);
}

#[test]
fn a_batch_staged_from_several_threads_replaces_its_files_only_when_committed() {
    let dir = temp_dir();
    let (a, b) = (dir.path().join("a.jsonl"), dir.path().join("brat/one.ann"));
    fs::write(&a, b"old a").unwrap();

    // Staged from two threads, then dropped: the old file stays and the temp files go.
    let batch = store::Batch::new();
    std::thread::scope(|scope| {
        scope.spawn(|| batch.stage(&[(&a, b"new a")]).unwrap());
        scope.spawn(|| batch.stage(&[(&b, b"new b")]).unwrap());
    });
    // a.jsonl's temp file beside it, and the new brat/ folder as one temp folder holding one.ann.
    assert_eq!(temp_files(dir.path()), 2, "staged beside their targets");
    assert!(!dir.path().join("brat").exists(), "a new folder appears only when committed");
    assert_eq!(fs::read(&a).unwrap(), b"old a", "nothing replaced before the commit");
    drop(batch);
    assert_eq!(temp_files(dir.path()), 0);
    assert_eq!(fs::read(&a).unwrap(), b"old a");
    assert!(!dir.path().join("brat").exists(), "the folder made for the batch went with it");

    // Staged and committed: both are in place, with no temp file left.
    let batch = store::Batch::new();
    batch.stage(&[(&a, b"new a"), (&b, b"new b")]).unwrap();
    batch.commit().unwrap();
    assert_eq!((fs::read(&a).unwrap(), fs::read(&b).unwrap()), (b"new a".to_vec(), b"new b".to_vec()));
    assert_eq!(temp_files(dir.path()) + temp_files(&dir.path().join("brat")), 0);
}

/// New files get what any program's new file gets (0666 less the umask), not a temp file's owner-only
/// mode: an exported dataset in a shared folder must be readable by the team, like the user's other files.
#[cfg(unix)]
#[test]
fn new_files_get_the_usual_permissions_and_replaced_files_keep_theirs() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir();
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let reference = dir.path().join("reference");
    fs::File::create(&reference).unwrap();
    let usual = mode(&reference);

    let project = dir.path().join("p.ron");
    store::save(&Project::new("p"), &project).unwrap();
    let (single, staged, created) =
        (dir.path().join("a.jsonl"), dir.path().join("brat/one.ann"), dir.path().join("out/big.jsonl"));
    store::write_batch(&[(&single, b"a")]).unwrap();
    let batch = store::Batch::new();
    batch.stage(&[(&staged, b"b")]).unwrap();
    std::io::Write::write_all(&mut batch.create(&created).unwrap(), b"c").unwrap();
    batch.commit().unwrap();
    for path in [&project, &single, &staged, &created] {
        assert_eq!(mode(path), usual, "{}", path.display());
    }

    // A file the user shared with their group stays shared when replaced.
    fs::set_permissions(&single, fs::Permissions::from_mode(0o640)).unwrap();
    store::write_batch(&[(&single, b"again")]).unwrap();
    assert_eq!(mode(&single), 0o640);
}

/// A new output folder is made whole in a temp folder and appears in one rename; an existing folder gets
/// its files one by one, so files of the user's in it stay; a temp folder left by a killed run goes.
#[test]
fn a_new_folder_appears_whole_and_an_existing_one_keeps_other_files() {
    let dir = temp_dir();
    let out = dir.path().join("out");
    let (top, nested) = (out.join("a.jsonl"), out.join("brat/one.ann"));
    let batch = store::Batch::new();
    std::io::Write::write_all(&mut batch.create(&top).unwrap(), b"a").unwrap();
    batch.stage(&[(&nested, b"one")]).unwrap();
    assert!(!out.exists(), "nothing at the target before the commit");
    batch.commit().unwrap();
    assert_eq!(fs::read(&top).unwrap(), b"a");
    assert_eq!(fs::read(&nested).unwrap(), b"one");
    assert_eq!(temp_files(dir.path()) + temp_files(&out) + temp_files(&out.join("brat")), 0);

    // Exported again into the now existing folders, beside a file of the user's and a killed run's leftover.
    fs::write(out.join("brat/notes.txt"), "mine").unwrap();
    fs::create_dir(out.join(".factmark-tmp-killed")).unwrap();
    fs::write(out.join(".factmark-tmp-killed/half.ann"), "half").unwrap();
    let batch = store::Batch::new();
    batch.stage(&[(&top, b"a2"), (&nested, b"one2")]).unwrap();
    batch.commit().unwrap();
    assert_eq!((fs::read(&top).unwrap(), fs::read(&nested).unwrap()), (b"a2".to_vec(), b"one2".to_vec()));
    assert_eq!(fs::read_to_string(out.join("brat/notes.txt")).unwrap(), "mine");
    assert!(!out.join(".factmark-tmp-killed").exists(), "a stale temp folder is cleaned up");
}

/// A target below a file instead of a folder is refused with a message that says so, and nothing is left.
#[test]
fn a_file_where_a_folder_should_be_is_named_in_the_error() {
    let dir = temp_dir();
    let file = dir.path().join("notes");
    fs::write(&file, "mine").unwrap();
    let batch = store::Batch::new();
    let err = batch.stage(&[(&file.join("brat/one.ann"), b"one")]).unwrap_err().to_string();
    assert!(err.contains("one.ann") && err.contains("is a file, not a folder"), "{err}");
    drop(batch);
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
    assert_eq!(temp_files(dir.path()), 0);
}

/// The same when the file is the target's own folder.
#[test]
fn a_file_as_the_target_folder_is_named_in_the_error() {
    let dir = temp_dir();
    let file = dir.path().join("notes");
    fs::write(&file, "mine").unwrap();
    let err = store::write_batch(&[(&file.join("one.ann"), b"one")]).unwrap_err().to_string();
    assert!(err.contains("one.ann") && err.contains("is a file, not a folder"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn a_save_after_one_killed_between_backup_and_rename_leaves_no_stray_file() {
    // A save killed after it linked the backup but before it renamed the new version over the project
    // leaves the backup and the project as two names of one file.
    let dir = temp_dir();
    let path = dir.path().join("p.ron");
    store::save(&sample(), &path).unwrap();
    let backup = store::backup_path(&path);
    let _ = fs::remove_file(&backup);
    fs::hard_link(&path, &backup).unwrap();
    let mut changed = sample();
    changed.name = "changed".into();
    store::save(&changed, &path).unwrap();
    let names: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(names.iter().all(|n| !n.starts_with(".factmark-tmp")), "a stray temp file: {names:?}");
    assert_eq!(store::load(&path).unwrap().name, "changed");
    assert_eq!(store::load(&backup).unwrap(), sample(), "the backup holds the version before the save");
}
