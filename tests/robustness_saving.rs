//! The bad-input catalogue, second part: saving where it cannot, datasets (import-annotations), and the
//! security cases (paths and URLs inside files are data, never opened; sizes and nesting are bounded).
//! The first part, `robustness.rs`, says what each case proves.

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use factmark::edit::Edit;
use factmark::import::read_bytes;
use factmark::model::{CharIdx, DocId, DocStatus, Document};
use factmark::store::{self, StoreError};

mod kursk_support;
mod robustness_support;

use kursk_support::{TEXT, kursk_project as sample};
use robustness_support::*;

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
    assert!(!a.session.is_dirty(), "{}", a.message);
    let saved_by_a = fs::read(&s.project).unwrap();

    // The second window's save notices the file changed under it and asks instead of overwriting.
    assert!(b.edit(Edit::SetDocStatus { doc, status: DocStatus::NeedsReview }));
    b.apply(Intent::Run(CommandId::Save));
    assert_eq!(b.prompt, Some(Prompt::DiskChanged { path: s.project.clone() }));
    assert_eq!(fs::read(&s.project).unwrap(), saved_by_a, "the first window's save is kept");
    assert!(b.session.is_dirty(), "the second window keeps its unsaved work");
    assert_eq!(b.session.project().documents[0].status, DocStatus::NeedsReview);
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
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    scan(&src, &mut hits);
    // Two places do so on purpose, and only when the user asks: the LLM client talks to the server the user
    // set (`suggest --llm`, the window's button), and `git-setup` / `merge-driver` run git.
    let allowed = [
        format!("{} uses ureq::", src.join("session/llm/client.rs").display()),
        format!("{} uses process::Command", src.join("cli/git_cmd.rs").display()),
        format!("{} uses Command::new", src.join("cli/git_cmd.rs").display()),
    ];
    hits.retain(|h| !allowed.contains(h));
    assert!(hits.is_empty(), "factmark must never start a process or open a connection: {hits:?}");
}
