//! The bad-input catalogue: every way a file can be broken, hostile or unwritable, one test per case.
//!
//! Each test checks the exact message a person sees (naming the file and the problem) and proves that
//! nothing was lost or changed: the input file's bytes, the project file's bytes (and that no backup or
//! temp file appeared, i.e. nothing was saved), or the in-memory project. Cases that go through the command
//! line run the real `factmark` binary. The security cases at the end check that paths and URLs inside a
//! project or dataset are never opened, fetched or written, and that sizes and nesting are bounded.
//!
//! The README's "Robustness" section lists these cases in the same order.

use std::ffi::OsStr;
use std::fs;
use std::io::Write;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use factmark::edit::Edit;
use factmark::import::{read_bytes, read_file};
use factmark::model::{CharIdx, DocId, DocStatus, Document};
use factmark::store::{self, StoreError};

mod kursk_support;
use kursk_support::{TEXT, kursk_project as sample};

fn good_ron() -> String {
    store::to_ron(&sample()).unwrap()
}

// ---------------------------------------------------------------------------------------------------------
// Helpers: a project on disk, the real binary, and the proofs that nothing changed.

/// A temp folder holding `p.ron` (the sample project) and whatever a case adds.
struct Setup {
    dir: tempfile::TempDir,
    project: PathBuf,
    before: Vec<u8>,
}

impl Setup {
    fn new() -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("p.ron");
        store::save(&sample(), &project).unwrap();
        let before = fs::read(&project).unwrap();
        Setup { dir, project, before }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.path(name);
        fs::write(&path, bytes).unwrap();
        path
    }

    /// The project file has exactly its old bytes, and no save happened (no backup, no temp file).
    fn assert_project_unchanged(&self) {
        assert_eq!(fs::read(&self.project).unwrap(), self.before, "the project file changed");
        assert!(!store::backup_path(&self.project).exists(), "a save happened (a backup appeared)");
        assert_no_temp_files(self.dir.path());
    }

    /// A save happened and kept the old version as the backup: nothing was lost.
    fn assert_old_version_kept_as_backup(&self) {
        assert_eq!(fs::read(store::backup_path(&self.project)).unwrap(), self.before);
        assert_no_temp_files(self.dir.path());
    }
}

fn assert_no_temp_files(dir: &Path) {
    let temps: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".factmark-tmp"))
        .collect();
    assert!(temps.is_empty(), "temp files left behind: {temps:?}");
}

fn factmark_cmd<S: AsRef<OsStr>>(args: &[S]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factmark"));
    cmd.args(args).env("FACTMARK_ANNOTATOR", "tester").stdin(Stdio::null());
    cmd
}

/// Runs the real binary to the end, killing it (and failing) if it takes over a minute: a case whose
/// input names a FIFO "tripwire" would hang exactly there if factmark opened that path.
fn run<S: AsRef<OsStr>>(args: &[S]) -> Output {
    run_cmd(factmark_cmd(args))
}

fn run_cmd(mut cmd: Command) -> Output {
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

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Exit code 1 and exactly `error: {message}` as the one line on stderr.
fn assert_fails_with(out: &Output, message: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "expected exit 1; stderr: {err}");
    assert_eq!(err, format!("error: {message}\n"));
}

fn assert_succeeds(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `p` as shown in messages.
fn shown(p: &Path) -> String {
    p.display().to_string()
}

/// Importing the article `name` with these bytes is refused with exactly `problem` (after the file's path):
/// in the library and through `factmark import`, which saves nothing; neither file changes.
fn assert_article_refused(name: &str, bytes: &[u8], problem: &str) {
    assert_article_refused_at_line(name, bytes, &format!(": {problem}"));
}

/// As [`assert_article_refused`], with `located` following the path directly (`:2: problem`).
fn assert_article_refused_at_line(name: &str, bytes: &[u8], located: &str) {
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
fn import_article(name: &str, bytes: &[u8]) -> Document {
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
fn assert_project_refused(content: &[u8], problem: &str) {
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
fn hand_edited(from: &str, to: &str) -> String {
    let good = good_ron();
    assert!(good.contains(from), "{from:?} not in the sample file");
    good.replacen(from, to, 1)
}

/// The line (1-based) of the first occurrence of `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

/// Makes a folder unwritable for this process: `chmod 555`, or for root (whom modes do not stop) the
/// immutable attribute. Undone on drop so the temp folder can be removed.
struct ReadOnly {
    path: PathBuf,
    root: bool,
}

fn is_root() -> bool {
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    status.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(2) == Some("0"))
}

impl ReadOnly {
    fn folder(path: &Path) -> ReadOnly {
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

fn osstrs<'a>(parts: &'a [&'a dyn AsRef<OsStr>]) -> Vec<&'a OsStr> {
    parts.iter().map(|p| p.as_ref()).collect()
}

/// Makes a FIFO at `path`: opening it for reading blocks until someone writes, so a process that reads
/// it hangs and [`run`] fails the test.
fn tripwire(path: &Path) {
    let ok = Command::new("mkfifo").arg(path).status().is_ok_and(|s| s.success());
    assert!(ok, "mkfifo {}", path.display());
}

/// A local port nobody answers on except this listener, which records whether anything connected.
fn listener() -> (TcpListener, u16) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

fn assert_nothing_connected(listener: &TcpListener) {
    match listener.accept() {
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
        Ok((_, from)) => panic!("something fetched a URL from the input (connection from {from})"),
        Err(e) => panic!("accept: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------------------
// Articles.

#[test]
fn empty_file() {
    assert_article_refused("empty.txt", b"", "the file has no text");
}

#[test]
fn only_whitespace() {
    assert_article_refused("blank.md", b" \n\t\r\n  \n", "the file has no text");
}

#[test]
fn text_of_100_mb() {
    let s = Setup::new();
    let article = s.path("huge.txt");
    let mut file = fs::File::create(&article).unwrap();
    let line = "The council voted again on the harbour bridge, and again nothing was decided.\n".repeat(13_000);
    let mut written = 0u64;
    while written < 100 << 20 {
        let chunk = &line.as_bytes()[..line.len().min((100usize << 20) - written as usize)];
        file.write_all(chunk).unwrap();
        written += chunk.len() as u64;
    }
    drop(file);
    let expected = format!("{}: 104857600 bytes is larger than the 67108864-byte import limit", shown(&article));
    assert_eq!(read_file(&article).unwrap_err().to_string(), expected);
    let out = run(&[OsStr::new("import"), s.project.as_os_str(), article.as_os_str()]);
    assert_fails_with(&out, &format!("{expected} (nothing imported)"));
    s.assert_project_unchanged();
    assert_eq!(fs::metadata(&article).unwrap().len(), 100 << 20);
}

#[test]
fn binary_file() {
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00";
    assert_article_refused("photo.txt", png, "looks like a binary file, not text");
}

#[test]
fn invalid_utf8() {
    // Latin-1 "é" (0xE9) in the middle of otherwise UTF-8 text: the byte is named.
    assert_article_refused("latin1.txt", b"Caf\xc3\xa9 news\n\nThe caf\xe9 closed.", "invalid UTF-8 at byte 19");
}

#[test]
fn utf16_with_bom_is_imported() {
    let text = "Zoë’s report\n\nCritics 😡 say “no”.\r\nSecond line.";
    for (name, bom, encode) in [
        ("le.txt", [0xFF, 0xFE], u16::to_le_bytes as fn(u16) -> [u8; 2]),
        ("be.txt", [0xFE, 0xFF], u16::to_be_bytes as fn(u16) -> [u8; 2]),
    ] {
        let mut bytes = bom.to_vec();
        bytes.extend(text.encode_utf16().flat_map(encode));
        let doc = import_article(name, &bytes);
        assert_eq!(doc.title, "Zoë’s report", "{name}");
        assert_eq!(doc.text, "Critics 😡 say “no”.\nSecond line.", "{name}");
    }
}

#[test]
fn utf16_with_unpaired_surrogate() {
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend("Title\n\nBody ".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend([0x3D, 0xD8]); // the first half of 😡 and nothing after it
    assert_article_refused("half.txt", &bytes, "invalid UTF-16: unpaired surrogate");
}

#[test]
fn utf8_bom_is_stripped() {
    let doc = import_article("bom.md", "\u{feff}# Zoë’s report\n\nBody “text”.".as_bytes());
    assert_eq!(doc.title, "Zoë’s report");
    assert_eq!(doc.text, "Body “text”.");
}

#[test]
fn crlf_and_lone_cr_become_lf() {
    let doc = import_article("mixed.txt", b"Title\r\n\r\nWindows line.\r\nOld Mac line.\rUnix line.\n");
    assert_eq!(doc.title, "Title");
    assert_eq!(doc.text, "Windows line.\nOld Mac line.\nUnix line.");
}

#[test]
fn nul_bytes() {
    assert_article_refused("nul.txt", b"Title\n\nA body with a \0 in it.", "looks like a binary file, not text");
}

#[test]
fn line_of_10000_chars() {
    let mut line: String = "Zoë 😡 “quoted” — ".chars().cycle().take(9_999).collect();
    line.push('.');
    let doc = import_article("long.txt", format!("Long line\n\n{line}\n").as_bytes());
    assert_eq!(doc.text, line);
    assert_eq!(doc.char_len(), 10_000);
    // A span at the very end of the line lands on the right characters.
    let s = Setup::new();
    let mut project = sample();
    project.documents.push(doc.clone());
    store::save(&project, &s.project).unwrap();
    let (project, id) = (shown(&s.project), doc.id.to_string());
    let args = ["span", "add", &project, "--doc", &id, "--label", "Claim", "--start", "9990", "--end", "10000"];
    let out = run(&[&args[..], &["--json"]].concat());
    let json: serde_json::Value = serde_json::from_str(&assert_succeeds(&out)).unwrap();
    let tail: String = line.chars().skip(9990).collect();
    assert_eq!(json["text"], tail.as_str());
}

#[test]
fn deeply_nested_html() {
    let page = format!("<html><body>{}deep{}</body></html>", "<div>".repeat(100_000), "</div>".repeat(100_000));
    assert_article_refused("deep.html", page.as_bytes(), "HTML nested 100000 elements deep; the limit is 1000");
}

#[test]
fn html_with_scripts_and_external_resources() {
    let (listener, port) = listener();
    let url = format!("http://127.0.0.1:{port}");
    let page = format!(
        r#"<html><head><title>Trams</title><link rel="stylesheet" href="{url}/s.css">
        <script src="{url}/a.js"></script><script>document.write("INJECTED"); fetch("{url}/x");</script>
        <meta http-equiv="refresh" content="0; url={url}/redirect"></head>
        <body><article><h1>Trams</h1><p>The council should act.<img src="{url}/i.png" onerror="alert(1)"></p>
        <iframe src="{url}/frame"></iframe><object data="{url}/o.swf">OBJECT</object>
        <p>Second <a href="{url}/link">paragraph</a>.<noscript>NOSCRIPT</noscript></p>
        <video src="{url}/v.mp4" poster="{url}/p.jpg"></video></article></body></html>"#
    );
    let doc = import_article("page.html", page.as_bytes());
    assert_eq!(doc.title, "Trams");
    assert_eq!(doc.text, "The council should act.\n\nSecond paragraph.");
    assert_nothing_connected(&listener);
}

#[test]
fn jsonl_with_one_bad_line_among_good_ones() {
    // By default the whole file is refused naming the line; the good lines are not imported either.
    let feed = b"{\"text\": \"First article.\"}\n{\"text\": \"Second, broken\"\n{\"text\": \"Third article.\"}\n";
    let problem = ":2: not valid JSON (EOF while parsing an object at line 1 column 25)";
    assert_article_refused_at_line("feed.jsonl", feed, problem);
    // Only when asked (--skip-bad-lines) are the good lines imported, with the bad one reported.
    let s = Setup::new();
    let article = s.write("feed.jsonl", feed);
    let out = assert_succeeds(&run(&[
        OsStr::new("import"),
        s.project.as_os_str(),
        article.as_os_str(),
        OsStr::new("--skip-bad-lines"),
    ]));
    assert!(out.starts_with(&format!("skipped {}{problem}\n1 bad line(s) skipped\n", shown(&article))), "{out}");
    assert!(out.ends_with(&format!("2 document(s) imported into {}\n", shown(&s.project))), "{out}");
    s.assert_old_version_kept_as_backup();
    let texts: Vec<String> = store::load(&s.project).unwrap().documents.into_iter().map(|d| d.text).collect();
    assert_eq!(texts, [TEXT, "First article.", "Third article."]);
    assert_eq!(fs::read(&article).unwrap(), feed, "the article file changed");
}

// ---------------------------------------------------------------------------------------------------------
// Project files.

#[test]
fn truncated_ron() {
    let good = good_ron();
    let cut = &good[..good.find("relations: [").unwrap()];
    // The parser points just after the last thing it read.
    let read = cut.trim_end();
    let (line, column) = (read.split('\n').count(), read.split('\n').next_back().unwrap().chars().count() + 1);
    assert_project_refused(cut.as_bytes(), &format!(":{line}:{column}: Unexpected end of RON"));
}

#[test]
fn ron_with_wrong_types() {
    let bad = hand_edited("next_span_id: 4", "next_span_id: \"four\"");
    let line = line_of(&bad, "\"four\"");
    assert_project_refused(bad.as_bytes(), &format!(":{line}:18: Expected integer"));
}

#[test]
fn ron_from_a_future_format_version() {
    let bad = hand_edited("format: 1,", "format: 7,");
    assert_project_refused(
        bad.as_bytes(),
        ": project format 7 is newer than this factmark supports (1); update factmark",
    );
}

#[test]
fn ron_that_is_not_a_project() {
    assert_project_refused(b"(name: \"shopping list\")", ": not a factmark project (no `format` version field)");
}

#[test]
fn ron_that_is_not_utf8() {
    let mut bytes = good_ron().into_bytes();
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 5;
    bytes.insert(at, 0xff);
    assert_project_refused(&bytes, ":2:5: the file is not valid UTF-8");
}

#[test]
fn span_out_of_range() {
    let bad = hand_edited("(id: 3, start: 104, end: 137", "(id: 3, start: 104, end: 999");
    assert_project_refused(bad.as_bytes(), ": document \"kursk-1\": span 3 ends at 999 but the text has 138 chars");
}

#[test]
fn span_inverted() {
    let bad = hand_edited(
        "(id: 2, start: 0, end: 17, label: \"Source\", text: \"U.S. intelligence\"",
        "(id: 2, start: 17, end: 0, label: \"Source\", text: \"U.S. intelligence\"",
    );
    assert_project_refused(bad.as_bytes(), ": document \"kursk-1\": span 2 is empty or inverted (17..0)");
}

#[test]
fn span_empty() {
    let bad = hand_edited(
        "(id: 2, start: 0, end: 17, label: \"Source\", text: \"U.S. intelligence\"",
        "(id: 2, start: 5, end: 5, label: \"Source\", text: \"\"",
    );
    assert_project_refused(bad.as_bytes(), ": document \"kursk-1\": span 2 is empty or inverted (5..5)");
}

#[test]
fn span_counted_in_bytes_splits_a_multibyte_char() {
    // A tool that counted UTF-8 bytes instead of chars marked the 😡: as chars, its byte offsets land on
    // other text (the three-byte quotes and dashes before it shift them), and loading says so.
    let start = TEXT.find('😡').unwrap();
    let end = start + '😡'.len_utf8();
    let bad = hand_edited(
        "(id: 3, start: 104, end: 137, label: \"Opinion\", text: \"the minister’s plan is “reckless”\"",
        &format!("(id: 3, start: {start}, end: {end}, label: \"Opinion\", text: \"😡\""),
    );
    let actual: String = TEXT.chars().skip(start).take(end - start).collect();
    assert_project_refused(
        bad.as_bytes(),
        &format!(": document \"kursk-1\": span 3 stores text \"😡\" but the text at {start}..{end} is {actual:?}"),
    );
}

#[test]
fn span_whose_stored_text_no_longer_matches() {
    let bad = hand_edited("text: \"U.S. intelligence\"", "text: \"U.K. intelligence\"");
    assert_project_refused(
        bad.as_bytes(),
        ": document \"kursk-1\": span 2 stores text \"U.K. intelligence\" but the text at 0..17 is \"U.S. intelligence\"",
    );
}

#[test]
fn duplicate_span_ids() {
    let bad = hand_edited("(id: 3, start: 104", "(id: 1, start: 104");
    assert_project_refused(bad.as_bytes(), ": document \"kursk-1\": duplicate span id 1");
}

#[test]
fn duplicate_document_ids() {
    let mut project = sample();
    let mut copy = Document::new(DocId("kursk-1".into()), "Copy", "Another text.");
    copy.status = DocStatus::Done;
    project.documents.push(copy);
    let ron = store::to_ron(&project).unwrap();
    assert_project_refused(ron.as_bytes(), ": document \"kursk-1\": duplicate document id");
}

#[test]
fn unknown_label() {
    let bad = hand_edited("label: \"Opinion\", text: \"the minister", "label: \"Rumour\", text: \"the minister");
    assert_project_refused(
        bad.as_bytes(),
        ": document \"kursk-1\": span 3 has label \"Rumour\", which the schema does not define",
    );
}

#[test]
fn relation_to_missing_span() {
    let bad = hand_edited("from: 2, to: 1", "from: 2, to: 42");
    assert_project_refused(
        bad.as_bytes(),
        ": document \"kursk-1\": relation 1 points to span 42, which is not in this document",
    );
}

#[test]
fn missing_project_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gone.ron");
    let expected = format!("{}: No such file or directory (os error 2)", shown(&path));
    assert_eq!(store::load(&path).unwrap_err().to_string(), expected);
    assert_fails_with(&run(&[OsStr::new("doc"), OsStr::new("list"), path.as_os_str()]), &expected);
    assert!(!path.exists(), "loading must not create the file");
}

// ---------------------------------------------------------------------------------------------------------
// Saving where it cannot.

/// `store::save` failed with an I/O error on `path` whose reason contains `reason`.
fn assert_save_error(err: &StoreError, path: &Path, reason: &str) {
    assert!(matches!(err, StoreError::Io { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with(&format!("{}: {reason}", shown(path))), "{message}");
    assert!(!message.contains('\n'), "{message}");
}

#[test]
fn project_path_in_a_folder_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-such-folder").join("p.ron");
    let project = sample();
    let kept = project.clone();
    let err = store::save(&project, &path).unwrap_err();
    assert_save_error(&err, &path, "No such file or directory (os error 2)");
    assert_eq!(project, kept, "the in-memory project is kept");
    assert!(!dir.path().join("no-such-folder").exists(), "nothing is created");
    // The command line says the same and creates nothing.
    let out = run(&[OsStr::new("new"), path.as_os_str()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).starts_with(&format!("error: {}: No such file or directory", shown(&path))),
        "{}",
        stderr(&out)
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0, "nothing is created");
}

#[test]
fn read_only_folder() {
    let s = Setup::new();
    let mut project = sample();
    project.name = "Renamed".into();
    let kept = project.clone();
    let guard = ReadOnly::folder(s.dir.path());
    let err = store::save(&project, &s.project).unwrap_err();
    let reason = if guard.root { "Operation not permitted (os error 1)" } else { "Permission denied (os error 13)" };
    assert_save_error(&err, &s.project, reason);
    drop(guard);
    assert_eq!(project, kept, "the in-memory project is kept");
    s.assert_project_unchanged();
}

#[test]
fn read_only_project_file() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new();
    fs::set_permissions(&s.project, fs::Permissions::from_mode(0o444)).unwrap();
    let mut project = sample();
    project.name = "Renamed".into();
    let kept = project.clone();
    let err = store::save(&project, &s.project).unwrap_err();
    assert_save_error(&err, &s.project, "the file is read-only");
    assert_eq!(project, kept);
    s.assert_project_unchanged();
}

#[test]
fn saving_keeps_the_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let s = Setup::new();
    fs::set_permissions(&s.project, fs::Permissions::from_mode(0o640)).unwrap();
    let mut project = sample();
    project.name = "Renamed".into();
    store::save(&project, &s.project).unwrap();
    assert_eq!(fs::metadata(&s.project).unwrap().permissions().mode() & 0o777, 0o640);
}

#[test]
fn disk_full() {
    // The real binary under a 64 KiB file-size limit (SIGXFSZ ignored, as a full disk gives ENOSPC/EFBIG
    // instead of a signal): `doc set` must fail naming the file and leave the old version whole.
    let s = Setup::new();
    let mut project = sample();
    project.documents.push(Document::new(DocId("big".into()), "Big", "A long paragraph of news. ".repeat(8_000)));
    store::save(&project, &s.project).unwrap();
    fs::remove_file(store::backup_path(&s.project)).unwrap();
    let before = fs::read(&s.project).unwrap();
    assert!(before.len() > 128 * 1024);
    let script = "trap '' XFSZ; ulimit -f 64; exec \"$0\" \"$@\"";
    let mut cmd = Command::new("bash");
    cmd.args(["-c", script, env!("CARGO_BIN_EXE_factmark"), "doc", "set"])
        .arg(&s.project)
        .args(["--doc", "big", "--note", "will not fit"])
        .stdin(Stdio::null());
    let out = run_cmd(cmd);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", stderr(&out));
    let err = stderr(&out);
    assert!(err.starts_with(&format!("error: {}: File too large (os error 27)", shown(&s.project))), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(fs::read(&s.project).unwrap(), before, "the old file is intact");
    assert!(!store::backup_path(&s.project).exists());
    assert_no_temp_files(s.dir.path());
    assert_eq!(store::load(&s.project).unwrap(), project);
}

#[test]
fn same_file_opened_twice() {
    use factmark::ui::Intent;
    use factmark::ui::commands::CommandId;
    use factmark::ui::workspace::{Prompt, Workspace};

    let s = Setup::new();
    let first = store::load(&s.project).unwrap();
    let second = store::load(&s.project).unwrap();
    assert_eq!(first, second, "two loads of one file agree");
    let mut a = Workspace::new(first, Some(s.project.clone()));
    let mut b = Workspace::new(second, Some(s.project.clone()));
    let doc = DocId("kursk-1".into());
    assert!(a.edit(Edit::SetDocStatus { doc: doc.clone(), status: DocStatus::Done }));
    a.apply(Intent::Run(CommandId::Save));
    assert!(!a.is_dirty(), "{}", a.message);
    let saved_by_a = fs::read(&s.project).unwrap();

    // The second window's save notices the file changed under it and asks instead of overwriting.
    assert!(b.edit(Edit::SetDocStatus { doc, status: DocStatus::NeedsReview }));
    b.apply(Intent::Run(CommandId::Save));
    assert_eq!(b.prompt, Some(Prompt::DiskChanged { path: s.project.clone() }));
    assert_eq!(fs::read(&s.project).unwrap(), saved_by_a, "the first window's save is kept");
    assert!(b.is_dirty(), "the second window keeps its unsaved work");
    assert_eq!(b.project.documents[0].status, DocStatus::NeedsReview);
}

// ---------------------------------------------------------------------------------------------------------
// Datasets (import-annotations).

/// `factmark import-annotations` of `input` in `format` fails with exactly `message`; the project and
/// the dataset file are unchanged.
fn assert_dataset_refused(s: &Setup, format: &str, input: &Path, message: &str) {
    let before = if input.is_file() { fs::read(input).unwrap() } else { Vec::new() };
    let out = run(&osstrs(&[&"import-annotations", &s.project, &"--format", &format, &input]));
    assert_fails_with(&out, message);
    s.assert_project_unchanged();
    if input.is_file() {
        assert_eq!(fs::read(input).unwrap(), before);
    }
}

#[test]
fn dataset_offsets_splitting_a_surrogate_pair() {
    // doccano counts UTF-16 units: 😡 is two of them, and an offset between the two splits the character.
    let s = Setup::new();
    let at = TEXT.find('😡').map(|b| TEXT[..b].encode_utf16().count()).unwrap();
    let line = serde_json::json!({"text": TEXT, "label": [[at + 1, at + 6, "Opinion"]]}).to_string();
    let input = s.write("data.jsonl", format!("{line}\n").as_bytes());
    let (start, end) = (at + 1, at + 6);
    let message = format!(
        "nothing imported: {}:1: offsets {start}..{end}: UTF-16 units offset {start} falls inside a character \
         (read as UTF-16 units)",
        shown(&input)
    );
    assert_dataset_refused(&s, "doccano", &input, &message);
}

#[test]
fn dataset_with_unknown_label() {
    let s = Setup::new();
    let line = serde_json::json!({"text": TEXT, "spans": [{"start": 0, "end": 4, "label": "Rumour"}]}).to_string();
    let input = s.write("data.jsonl", format!("{line}\n").as_bytes());
    let message = format!(
        "nothing imported: {}:1: unknown label \"Rumour\" (the project has Claim, Opinion, Source)",
        shown(&input)
    );
    assert_dataset_refused(&s, "spacy", &input, &message);
}

#[test]
fn dataset_with_a_malformed_line() {
    let s = Setup::new();
    let good = serde_json::json!({"text": TEXT, "spans": [{"start": 0, "end": 4, "label": "Claim"}]}).to_string();
    let input = s.write("data.jsonl", format!("{good}\n{{\"text\": \n{good}\n").as_bytes());
    let message = format!(
        "nothing imported: {}:2: invalid JSON at column 9: EOF while parsing a value at line 1 column 9",
        shown(&input)
    );
    assert_dataset_refused(&s, "prodigy", &input, &message);
}

// ---------------------------------------------------------------------------------------------------------
// Security: paths and URLs inside files are data, never opened; sizes and nesting are bounded.

#[test]
fn brat_ann_naming_paths_reads_nothing_outside() {
    let s = Setup::new();
    let wire = s.path("tripwire");
    tripwire(&wire);
    let data = s.path("data");
    fs::create_dir(&data).unwrap();
    fs::write(data.join("kursk.txt"), TEXT).unwrap();
    let ann = format!(
        "T1\tClaim 0 17\tU.S. intelligence\n#1\tAnnotatorNotes T1\t../tripwire\nA1\tSource T1 {}\nN1\tReference T1 file:{}\t../../etc/passwd\n",
        wire.display(),
        wire.display()
    );
    fs::write(data.join("kursk.ann"), &ann).unwrap();
    let out = run(&osstrs(&[&"import-annotations", &s.project, &"--format", &"brat", &data]));
    assert_succeeds(&out);
    let project = store::load(&s.project).unwrap();
    let span = project.documents[0].spans.iter().find(|sp| sp.note == "../tripwire");
    assert!(span.is_some_and(|sp| sp.label == "Claim" && sp.range() == (CharIdx(0)..CharIdx(17))), "{project:?}");
    assert_eq!(fs::read_to_string(data.join("kursk.ann")).unwrap(), ann);
}

#[test]
fn jsonl_article_fields_naming_paths_and_urls_are_kept_as_text() {
    let (listener, port) = listener();
    let s = Setup::new();
    let wire = s.path("tripwire");
    tripwire(&wire);
    let record = serde_json::json!({
        "text": "A body that mentions ../../etc/passwd as text.",
        "title": "Paths",
        "url": format!("file://{}", wire.display()),
        "source_file": "../../etc/passwd",
        "meta": {"publication": format!("http://127.0.0.1:{port}/feed"), "author": "../tripwire"},
    });
    let doc = import_article("feed.jsonl", format!("{record}\n").as_bytes());
    assert_eq!(doc.meta.url, format!("file://{}", wire.display()));
    assert_eq!(doc.meta.publication, format!("http://127.0.0.1:{port}/feed"));
    assert_eq!(doc.meta.author, "../tripwire");
    assert!(doc.meta.source_file.ends_with("feed.jsonl#1"), "the file's own path, not the record's");
    assert_nothing_connected(&listener);
}

#[test]
fn labelstudio_data_url_is_never_opened() {
    let (listener, port) = listener();
    let s = Setup::new();
    let wire = s.path("tripwire");
    tripwire(&wire);
    let tasks = serde_json::json!([{
        "data": {"text": TEXT, "url": format!("file://{}", wire.display()), "image": format!("http://127.0.0.1:{port}/i.png")},
        "annotations": [{"result": [{"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
            "value": {"start": 0, "end": 17, "text": "U.S. intelligence", "labels": ["Source"]}}]}]
    }]);
    let input = s.write("tasks.json", tasks.to_string().as_bytes());
    assert_succeeds(&run(&osstrs(&[&"import-annotations", &s.project, &"--format", &"labelstudio", &input])));
    assert_nothing_connected(&listener);
    // A task whose only content is a URL is refused, not fetched.
    let only_url = serde_json::json!([{"data": {"url": format!("http://127.0.0.1:{port}/article")}}]);
    let s = Setup::new();
    let input = s.write("tasks.json", only_url.to_string().as_bytes());
    let message = format!(
        "nothing imported: {}:1: not a Label Studio task list: missing field `text` at line 1 column {}",
        shown(&input),
        only_url.to_string().len() - 2
    );
    assert_dataset_refused(&s, "labelstudio", &input, &message);
    assert_nothing_connected(&listener);
}

#[test]
fn project_document_id_naming_a_path_writes_nothing_outside_the_export_folder() {
    let s = Setup::new();
    let out_dir = s.path("out");
    for id in ["../escaped", "/tmp/factmark-escaped-absolute", "sub/dir", ".."] {
        let mut project = sample();
        project.documents[0].id = DocId(id.into());
        store::save(&project, &s.project).unwrap();
        let out = run(&osstrs(&[&"export", &s.project, &"--format", &"brat", &"--out", &out_dir]));
        assert_fails_with(
            &out,
            &format!(
                "nothing exported: brat cannot name a file after the document id {id:?}: a document id must be a plain file name"
            ),
        );
        assert!(!s.path("escaped.txt").exists() && !s.path("escaped.ann").exists());
        assert!(!Path::new("/tmp/factmark-escaped-absolute.txt").exists());
        assert!(!out_dir.join("sub").exists());
        assert!(!out_dir.exists() || fs::read_dir(&out_dir).unwrap().count() == 0, "nothing written");
    }
}

#[test]
fn dataset_file_too_large() {
    // A sparse file: 1 GiB + 1 byte of size, no disk used. It is refused before anything is read.
    let s = Setup::new();
    let input = s.path("huge.jsonl");
    fs::File::create(&input).unwrap().set_len((1 << 30) + 1).unwrap();
    let message = format!(
        "nothing imported: {}: 1073741825 bytes is larger than the 1073741824-byte limit for a dataset file",
        shown(&input)
    );
    assert_dataset_refused(&s, "doccano", &input, &message);
}

#[test]
fn project_file_too_large() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.ron");
    fs::File::create(&path).unwrap().set_len((1 << 30) + 1).unwrap();
    let expected =
        format!("{}: 1073741825 bytes is larger than the 1073741824-byte limit for a project file", shown(&path));
    assert_eq!(store::load(&path).unwrap_err().to_string(), expected);
    assert_eq!(fs::metadata(&path).unwrap().len(), (1 << 30) + 1);
}

#[test]
fn deeply_nested_ron() {
    let bad = format!("(format: 1, name: {}\"x\"{})", "[".repeat(100_000), "]".repeat(100_000));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("deep.ron");
    fs::write(&path, &bad).unwrap();
    let message = store::load(&path).unwrap_err().to_string();
    assert_eq!(
        message,
        format!(
            "{}:1:82: brackets nested more than 128 deep, which no project file has (is this file damaged?)",
            shown(&path)
        )
    );
}

#[test]
fn deeply_nested_json() {
    let nested = format!("{}1{}", "[".repeat(100_000), "]".repeat(100_000));
    // An article feed line…
    let err = read_bytes(Path::new("feed.jsonl"), format!("{{\"text\": {nested}}}\n").as_bytes()).unwrap_err();
    assert_eq!(err.to_string(), "feed.jsonl:1: not valid JSON (recursion limit exceeded at line 1 column 136)");
    // …and a dataset.
    let s = Setup::new();
    let tasks = format!("[{{\"data\": {{\"text\": \"x\"}}, \"annotations\": [{{\"result\": [{nested}]}}]}}]");
    let input = s.write("tasks.json", tasks.as_bytes());
    let message = format!(
        "nothing imported: {}:1: not a Label Studio task list: recursion limit exceeded at line 1 column 176",
        shown(&input)
    );
    assert_dataset_refused(&s, "labelstudio", &input, &message);
}

#[test]
fn deeply_nested_html_of_any_block_element() {
    // Every element that needs an end tag counts towards the nesting limit: a page nesting one the
    // estimate skipped (`<dl>`, `<details>`, `<pre>` …) 100,000 deep would take the parser minutes.
    let blocks = [
        "div",
        "section",
        "blockquote",
        "table",
        "ul",
        "address",
        "center",
        "details",
        "dialog",
        "dir",
        "dl",
        "fieldset",
        "hgroup",
        "listing",
        "menu",
        "pre",
        "search",
        "summary",
    ];
    for tag in blocks {
        let page = format!("<body>{}deep{}</body>", format!("<{tag}>").repeat(1001), format!("</{tag}>").repeat(1001));
        let err = read_bytes(Path::new("deep.html"), page.as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), "deep.html: HTML nested 1001 elements deep; the limit is 1000", "<{tag}>");
    }
}

#[test]
fn dataset_line_with_200000_spans_is_read_in_linear_time() {
    // Prodigy spans are matched to relation ends by range and label; a hostile line with very many spans
    // must not make that quadratic (200,000² comparisons would take many minutes).
    use factmark::formats::{DoccanoUnits, Format, ImportOptions, read_annotations};
    let s = Setup::new();
    let text = "x".repeat(1000);
    let spans: Vec<serde_json::Value> = (0..200_000)
        .map(|i| serde_json::json!({"start": i % 800, "end": i % 800 + 1 + i / 800, "label": "Claim"}))
        .collect();
    let input = s.write("many.jsonl", format!("{}\n", serde_json::json!({"text": text, "spans": spans})).as_bytes());
    let options =
        ImportOptions { format: Format::Prodigy, doccano_units: DoccanoUnits::default(), annotator: "t".into() };
    let started = Instant::now();
    let docs = read_annotations(&input, &options).unwrap();
    assert_eq!(docs[0].spans.len(), 200_000);
    assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
}

#[test]
fn no_shell_process_or_network_code_in_factmark() {
    fn scan(dir: &Path, hits: &mut Vec<String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                scan(&path, hits);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                for needle in
                    ["process::Command", "Command::new", "std::net", "TcpStream", "UdpSocket", "reqwest", "ureq::"]
                {
                    if text.contains(needle) {
                        hits.push(format!("{} uses {needle}", path.display()));
                    }
                }
            }
        }
    }
    let mut hits = Vec::new();
    scan(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut hits);
    assert!(hits.is_empty(), "factmark must never start a process or open a connection: {hits:?}");
}
