//! Crash safety of saving, proved on the real binary: a process saving a large project is killed with
//! SIGKILL at random moments, 200 times. After every kill the project file must load and be exactly the
//! old or the new version; temp files left behind must never be taken for the project and are cleaned up
//! by the next save.

use std::fs;
use std::process::Command;
use std::time::{Duration, Instant};

use factmark::model::{DocId, Document, Project};
use factmark::store;

mod folder_support;

const KILLS: usize = 200;

fn big_project() -> Project {
    let mut project = Project::new("crash test");
    let paragraph = "Officials at the Port Authority said the bridge carried 41,000 vehicles a day — “a record”, according to Zoë Álvarez 😡.\n\n";
    for d in 0..40 {
        project.documents.push(Document::new(DocId(format!("doc-{d}")), format!("Doc {d}"), paragraph.repeat(450)));
    }
    project
}

fn set_note(path: &std::path::Path, note: &str) -> Command {
    set_note_of(path, "doc-0", note)
}

fn set_note_of(path: &std::path::Path, doc: &str, note: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factmark"));
    cmd.args(["doc", "set", path.to_str().unwrap_or_default(), "--doc", doc, "--note", note]);
    cmd.stdout(std::process::Stdio::null());
    cmd
}

/// Starts the command, retrying briefly: a busy machine can refuse a fork for a moment (EAGAIN), which
/// says nothing about saving.
fn spawn(mut cmd: Command) -> std::process::Child {
    let mut last = None;
    for _ in 0..20 {
        match cmd.spawn() {
            Ok(child) => return child,
            Err(err) => {
                last = Some(err);
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
    panic!("could not start factmark: {last:?}");
}

/// A small deterministic generator, so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

/// Starts `kills` saves of a new note on doc-0 (the last one saved was "v0"), each killed after a random
/// delay up to a little more than one whole run (`full`); after each kill the project must load with the
/// note as before or as after. Returns how many kills left the old version and how many the new.
fn kill_while_saving(path: &std::path::Path, kills: usize, seed: u64, full: Duration) -> (usize, usize) {
    let target = Target { doc: 0, documents: 40 };
    kill_while_saving_in(path, &target, kills, seed, full, || {})
}

/// Which document the saves change, and how many documents the project has.
struct Target {
    doc: usize,
    documents: usize,
}

/// [`kill_while_saving`] of a note on document `target.doc`, calling `before` ahead of each save.
fn kill_while_saving_in(
    path: &std::path::Path,
    target: &Target,
    kills: usize,
    seed: u64,
    full: Duration,
    before: impl Fn(),
) -> (usize, usize) {
    let mut expected = "v0".to_string();
    let mut rng = Lcg(seed);
    let (mut saw_old, mut saw_new) = (0, 0);
    let doc = format!("doc-{}", target.doc);
    for i in 1..=kills {
        let note = format!("v{i}");
        let delay = Duration::from_micros(rng.next() % (full.as_micros() as u64 * 12 / 10 + 1));
        before();
        let mut child = spawn(set_note_of(path, &doc, &note));
        std::thread::sleep(delay);
        let _ = child.kill();
        let _ = child.wait();
        let project =
            store::load(path).unwrap_or_else(|e| panic!("kill {i} after {delay:?} left a broken project: {e}"));
        assert_eq!(project.documents.len(), target.documents, "kill {i}: documents lost");
        let got = &project.documents[target.doc].note;
        if *got == note {
            saw_new += 1;
            expected = note;
        } else {
            assert_eq!(*got, expected, "kill {i}: neither the old nor the new version");
            saw_old += 1;
        }
    }
    (saw_old, saw_new)
}

#[test]
fn sigkill_during_save_leaves_old_or_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.ron");
    store::save(&big_project(), &path).unwrap();
    let size = fs::metadata(&path).unwrap().len();
    assert!(size > 2_000_000, "the project should be large enough for saves to take time: {size}");

    // Time one uninterrupted run so kills land anywhere from before loading to after renaming.
    let start = Instant::now();
    assert!(set_note(&path, "v0").status().unwrap().success());
    let full = start.elapsed();
    let (saw_old, saw_new) = kill_while_saving(&path, KILLS, 0x5eed, full);
    eprintln!("{KILLS} kills: {saw_old} left the old version, {saw_new} the new one (one save takes {full:?})");
    assert!(saw_old > 0 && saw_new > 0, "kills should land both before and after the rename");

    // A clean save removes every temp file a killed save left behind.
    assert!(set_note(&path, "final").status().unwrap().success());
    let leftovers: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".factmark-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(store::load(&path).unwrap().documents[0].note, "final");
}

/// The same for a project folder: a kill at any moment leaves every document as before or as after, and
/// the folder always opens.
#[test]
fn sigkill_during_a_folder_save_leaves_each_document_old_or_new() {
    const FOLDER_KILLS: usize = 60;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.factmark");
    store::save(&big_project(), &path).unwrap();
    let start = Instant::now();
    assert!(set_note(&path, "v0").status().unwrap().success());
    let full = start.elapsed();
    let (saw_old, saw_new) = kill_while_saving(&path, FOLDER_KILLS, 0xf01d, full);
    eprintln!("{FOLDER_KILLS} kills of a folder save: {saw_old} old, {saw_new} new (one run takes {full:?})");
    assert!(saw_old > 0 && saw_new > 0, "kills should land both before and after the rename");
    assert!(set_note(&path, "final").status().unwrap().success());
    let leftovers: Vec<String> = fs::read_dir(path.join("docs"))
        .unwrap()
        .chain(fs::read_dir(&path).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".factmark-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A folder of 1,200 documents has two index shards. Killed while a save converts it from the older layout
/// (the document lines in project.ron: every shard, then project.ron, are written), and while saves rewrite
/// the second shard in place, it always opens with every document, the edited one old or new.
#[test]
fn sigkill_during_index_shard_writes_leaves_each_document_old_or_new() {
    const SHARD_KILLS: usize = 30;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.factmark");
    let mut project = Project::new("crash test");
    for d in 0..1_200 {
        project.documents.push(Document::new(
            DocId(format!("doc-{d}")),
            format!("Doc {d}"),
            "Zoë said so. ".repeat(20),
        ));
    }
    store::save(&project, &path).unwrap();
    assert_eq!(store::folder::open_index(&path).unwrap().shard_names().len(), 2);
    let target = Target { doc: 1_100, documents: 1_200 };
    assert!(set_note_of(&path, "doc-1100", "v0").status().unwrap().success());

    // The conversion, again before every kill: the older layout's project.ron back, no shards.
    folder_support::to_older_layout(&path);
    let older = fs::read(path.join("project.ron")).unwrap();
    let back_to_older = || {
        fs::write(path.join("project.ron"), &older).unwrap();
        let _ = fs::remove_dir_all(path.join("index"));
    };
    back_to_older();
    let start = Instant::now();
    assert!(set_note_of(&path, "doc-1100", "v0").status().unwrap().success());
    let full = start.elapsed();
    assert!(!store::folder::open_index(&path).unwrap().is_unsharded(), "the save converted the folder");
    let (old, new) = kill_while_saving_in(&path, &target, SHARD_KILLS, 0x5a4d, full, back_to_older);
    eprintln!("{SHARD_KILLS} kills while converting: {old} old, {new} new (one run takes {full:?})");
    assert!(old > 0 && new > 0, "kills should land both before and after the index is written");

    // In place: the shard of doc-1100 rewritten by each save.
    assert!(set_note_of(&path, "doc-1100", "v0").status().unwrap().success());
    let (old, new) = kill_while_saving_in(&path, &target, SHARD_KILLS, 0x5a4e, full, || {});
    eprintln!("{SHARD_KILLS} kills while rewriting a shard: {old} old, {new} new");
    assert!(old > 0 && new > 0, "kills should land both before and after the shard is written");
    assert!(set_note_of(&path, "doc-1100", "final").status().unwrap().success());
    let leftovers: Vec<String> = [path.join("docs"), path.join("index"), path.clone()]
        .iter()
        .flat_map(|dir| fs::read_dir(dir).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".factmark-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
