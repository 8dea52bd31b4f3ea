//! What the bad-input catalogue's two files share: a project on disk, the real binary, and the proofs
//! that nothing changed (`mod robustness_support;` in `tests/robustness*.rs`).

// Each test file uses only part of this module.
#![allow(dead_code)]

use std::ffi::OsStr;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use factmark::import::read_file;
use factmark::model::Document;
use factmark::store::{self};

use crate::kursk_support::kursk_project as sample;

pub fn good_ron() -> String {
    store::to_ron(&sample()).unwrap()
}

// ---------------------------------------------------------------------------------------------------------
// Helpers: a project on disk, the real binary, and the proofs that nothing changed.

/// A temp folder holding `p.ron` (the sample project) and whatever a case adds.
pub struct Setup {
    pub dir: tempfile::TempDir,
    pub project: PathBuf,
    pub before: Vec<u8>,
}

impl Setup {
    pub fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.ron");
        store::save(&sample(), &project).unwrap();
        let before = fs::read(&project).unwrap();
        Setup { dir, project, before }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    /// The project file has exactly its old bytes, and no save happened (no backup, no temp file).
    pub fn assert_project_unchanged(&self) {
        assert_eq!(fs::read(&self.project).unwrap(), self.before, "the project file changed");
        assert!(!store::backup_path(&self.project).exists(), "a save happened (a backup appeared)");
        assert_no_temp_files(self.dir.path());
    }

    /// A save happened and kept the old version as the backup: nothing was lost.
    pub fn assert_old_version_kept_as_backup(&self) {
        assert_eq!(fs::read(store::backup_path(&self.project)).unwrap(), self.before);
        assert_no_temp_files(self.dir.path());
    }
}

pub fn assert_no_temp_files(dir: &Path) {
    let temps: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".factmark-tmp"))
        .collect();
    assert!(temps.is_empty(), "temp files left behind: {temps:?}");
}

pub fn factmark_cmd<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factmark"));
    cmd.args(args).env("FACTMARK_ANNOTATOR", "tester").stdin(Stdio::null());
    cmd
}

/// Runs the real binary to the end, killing it (and failing) if it takes over a minute: a case whose
/// input names a FIFO "tripwire" would hang exactly there if factmark opened that path.
pub fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    run_cmd(factmark_cmd(args))
}

pub fn run_cmd(mut cmd: Command) -> Output {
    let child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let pid = child.id().to_string();
    // Output is collected on a thread, so a chatty child never blocks on a full pipe.
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(child.wait_with_output()));
    match receive.recv_timeout(Duration::from_secs(60)) {
        Ok(output) => output.unwrap(),
        Err(_) => {
            let _ = Command::new("kill").args(["-9", &pid]).status();
            panic!("factmark did not finish within a minute (did it open a path named inside its input?)");
        }
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit code 1 and exactly `error: {message}` as the one line on stderr.
pub fn assert_fails_with(out: &Output, message: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1; stderr: {err}");
    assert_eq!(err, format!("error: {message}\n"));
}

pub fn assert_succeeds(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `p` as shown in messages.
pub fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Importing the article `name` with these bytes is refused with exactly `problem` (after the file's path):
/// in the library and through `factmark import`, which saves nothing; neither file changes.
pub fn assert_article_refused(name: &str, bytes: &[u8], problem: &str) {
    assert_article_refused_at_line(name, bytes, &format!(": {problem}"));
}

/// As [`assert_article_refused`], with `located` following the path directly (`:2: problem`).
pub fn assert_article_refused_at_line(name: &str, bytes: &[u8], located: &str) {
    let s = Setup::new();
    let article = s.write(name, bytes);
    let expected = format!("{}{located}", shown(&article));
    assert_eq!(read_file(&article).unwrap_err().to_string(), expected);
    assert_fails_with(
        &run(&[OsStr::new("import"), s.project.as_os_str(), article.as_os_str()]),
        &format!("{expected} (nothing imported)"),
    );
    s.assert_project_unchanged();
    assert_eq!(fs::read(&article).unwrap(), bytes, "the article file changed");
}

/// Imports the article `name` with the real binary and returns the document it became; the article file
/// is unchanged and the previous project version is kept as the backup.
pub fn import_article(name: &str, bytes: &[u8]) -> Document {
    let s = Setup::new();
    let article = s.write(name, bytes);
    let out = assert_succeeds(&run(&[OsStr::new("import"), s.project.as_os_str(), article.as_os_str()]));
    assert!(out.ends_with(&format!("1 document(s) imported into {}\n", shown(&s.project))), "{out}");
    assert_eq!(fs::read(&article).unwrap(), bytes, "the article file changed");
    s.assert_old_version_kept_as_backup();
    let project = store::load(&s.project).unwrap();
    assert_eq!(project.documents.len(), 2);
    assert_eq!(project.documents[0], sample().documents[0], "the existing document changed");
    project.documents[1].clone()
}

/// Loading `content` as a project is refused with exactly `problem` after `broken.ron`, by the library
/// and by the command line (`doc list`); the file is never touched.
pub fn assert_project_refused(content: &[u8], problem: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    fs::write(&path, content).unwrap();
    let expected = format!("{}{problem}", shown(&path));
    assert_eq!(store::load(&path).unwrap_err().to_string(), expected);
    assert_fails_with(&run(&[OsStr::new("doc"), OsStr::new("list"), path.as_os_str()]), &expected);
    assert_eq!(fs::read(&path).unwrap(), content, "loading must never touch the file");
    assert!(!store::backup_path(&path).exists());
    assert_no_temp_files(dir.path());
}

/// The sample project file with one edit made by hand.
pub fn hand_edited(from: &str, to: &str) -> String {
    let good = good_ron();
    assert!(good.contains(from), "{from:?} not in the sample file");
    good.replacen(from, to, 1)
}

/// The line (1-based) of the first occurrence of `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// Makes a folder unwritable for this process: `chmod 555`, or for root (whom modes do not stop) the
/// immutable attribute. Undone on drop so the temp folder can be removed.
pub struct ReadOnly {
    pub path: PathBuf,
    pub root: bool,
}

pub fn is_root() -> bool {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
}

impl ReadOnly {
    pub fn folder(path: &Path) -> ReadOnly {
        use std::os::unix::fs::PermissionsExt;
        let root = is_root();
        if root {
            let ok = Command::new("chattr").arg("+i").arg(path).status().is_ok_and(|s| s.success());
            assert!(ok, "running as root: `chattr +i` is needed to make a folder read-only for root");
        } else {
            fs::set_permissions(path, fs::Permissions::from_mode(0o555)).unwrap();
        }
        ReadOnly { path: path.to_path_buf(), root }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        if self.root {
            let _ = Command::new("chattr").arg("-i").arg(&self.path).status();
        } else {
            let _ = fs::set_permissions(&self.path, fs::Permissions::from_mode(0o755));
        }
    }
}

pub fn osstrs<'a>(parts: &'a [&'a dyn AsRef<OsStr>]) -> Vec<&'a OsStr> {
    parts.iter().map(|p| p.as_ref()).collect()
}

/// Makes a FIFO at `path`: opening it for reading blocks until someone writes, so a process that reads
/// it hangs and [`run`] fails the test.
pub fn tripwire(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

/// A local port nobody answers on except this listener, which records whether anything connected.
pub fn listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

pub fn assert_nothing_connected(listener: &TcpListener) {
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Ok((_, from)) => panic!("something fetched a URL from the input (connection from {from})"),
        Err(e) => panic!("accept: {e}"),
    }
}
