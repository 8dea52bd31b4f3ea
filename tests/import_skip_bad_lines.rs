//! A JSONL file with bad lines among good ones: refused whole by default, naming the file and line; with
//! the opt-in (`--skip-bad-lines`, `ArticleOptions::skip_bad_lines`, the "Skip bad JSONL lines" box) the
//! good lines are imported and every bad one is reported with its number. Articles and annotations, in
//! the library, the real binary and the app.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::formats::{self, DoccanoUnits, Format, ImportOptions};
use factmark::import::{ArticleOptions, ImportError, SkippedLine, plan_import, plan_import_with, read_bytes_with};
use factmark::model::{CharIdx, DocId, Document, Project};
use factmark::store;
use factmark::ui::FactmarkApp;
use serde_json::json;

mod ui_support;
use ui_support::{press, wait_for};

/// Three good articles and, on line 2, a line cut off in the middle.
const FEED: &str = concat!(
    "{\"text\": \"The bridge will close on 2 April.\", \"title\": \"Bridge to close\"}\n",
    "{\"text\": \"Second, broken\"\n",
    "{\"text\": \"Fares rise 5% in May.\", \"meta\": {\"author\": \"Ana Pereira\"}}\n",
    "{\"text\": \"The library opens later.\", \"title\": \"Library hours\"}\n",
);

/// What line 2 of [`FEED`] is refused with, after the file name.
const LINE_2: &str = ":2: not valid JSON (EOF while parsing an object at line 1 column 25)";

/// The three good articles' texts, in file order.
const GOOD_TEXTS: [&str; 3] =
    ["The bridge will close on 2 April.", "Fares rise 5% in May.", "The library opens later."];

/// A project with one document of its own, saved in a temp folder beside `feed.jsonl` (holding [`FEED`]).
struct Setup {
    dir: tempfile::TempDir,
    project: PathBuf,
    feed: PathBuf,
    before: Vec<u8>,
}

fn existing() -> Project {
    let mut project = Project::new("skip test");
    project.documents.push(Document::new(DocId("old".into()), "Old", "Already here before the import."));
    project
}

fn setup() -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    store::save(&existing(), &project).unwrap();
    let feed = dir.path().join("feed.jsonl");
    fs::write(&feed, FEED).unwrap();
    let before = fs::read(&project).unwrap();
    Setup { dir, project, feed, before }
}

impl Setup {
    fn assert_project_unchanged(&self) {
        assert_eq!(fs::read(&self.project).unwrap(), self.before, "the project file changed");
        assert!(!store::backup_path(&self.project).exists(), "a save happened");
    }
}

fn factmark(args: &[&Path]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).env("FACTMARK_ANNOTATOR", "tester").output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn texts(project: &Project) -> Vec<&str> {
    project.documents.iter().map(|d| d.text.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------------------
// Articles, in the library.

#[test]
fn article_feed_with_a_bad_line_is_refused_by_default() {
    let s = setup();
    let plan = plan_import(&existing(), std::slice::from_ref(&s.feed));
    assert!(plan.documents.is_empty(), "no good line is planned either");
    assert!(plan.skipped_lines.is_empty());
    assert_eq!(plan.errors.len(), 1);
    assert!(matches!(plan.errors[0], ImportError::BadLine { line: 2, .. }), "{:?}", plan.errors[0]);
    assert_eq!(plan.errors[0].to_string(), format!("{}{LINE_2}", s.feed.display()));
    assert!(plan.into_edit().is_none(), "nothing to apply");
}

#[test]
fn article_feed_with_skip_bad_lines_imports_the_good_lines_and_reports_the_bad_one() {
    let s = setup();
    let mut project = existing();
    let options = ArticleOptions { skip_bad_lines: true };
    let plan = plan_import_with(&project, std::slice::from_ref(&s.feed), options);
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(
        plan.skipped_lines,
        [SkippedLine {
            path: s.feed.clone(),
            line: 2,
            problem: "not valid JSON (EOF while parsing an object at line 1 column 25)".into(),
        }]
    );
    assert_eq!(plan.skipped_lines[0].to_string(), format!("{}{LINE_2}", s.feed.display()));
    let titles: Vec<&str> = plan.documents.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, ["Bridge to close", "Fares rise 5% in May.", "Library hours"]);
    // Source lines keep their real numbers: the skipped line does not shift the ones after it.
    let sources: Vec<&str> = plan.documents.iter().map(|d| d.meta.source_file.as_str()).collect();
    let feed = s.feed.display();
    assert_eq!(sources, [format!("{feed}#1"), format!("{feed}#3"), format!("{feed}#4")]);
    assert_eq!(plan.documents[1].meta.author, "Ana Pereira");
    plan.into_edit().unwrap().apply(&mut project).unwrap();
    assert_eq!(texts(&project)[1..], GOOD_TEXTS);
}

#[test]
fn every_kind_of_bad_line_is_listed_with_its_number() {
    let feed = concat!(
        "{\"text\": \"Good one.\"}\n",
        "not json at all\n",
        "[\"an array\"]\n",
        "{\"title\": \"no text\"}\n",
        "\n",
        "{\"text\": \"  \"}\n",
        "{\"text\": \"Wrong author.\", \"author\": 7}\n",
        "{\"text\": \"Bad meta.\", \"meta\": \"x\"}\n",
        "{\"text\": \"Good two.\"}\n",
    );
    let path = Path::new("feed.jsonl");
    let read = read_bytes_with(path, feed.as_bytes(), ArticleOptions { skip_bad_lines: true }).unwrap();
    let good: Vec<&str> = read.articles.iter().map(|a| a.text.as_str()).collect();
    assert_eq!(good, ["Good one.", "Good two."]);
    let bad: Vec<String> = read.skipped_lines.iter().map(ToString::to_string).collect();
    assert_eq!(
        bad,
        [
            "feed.jsonl:2: not valid JSON (expected ident at line 1 column 2)",
            "feed.jsonl:3: expected a JSON object",
            "feed.jsonl:4: expected a \"text\" string",
            "feed.jsonl:6: \"text\" is empty",
            "feed.jsonl:7: \"author\" must be a string",
            "feed.jsonl:8: \"meta\" must be an object",
        ]
    );
    // Without the option the same file stops at its first bad line.
    let err = read_bytes_with(path, feed.as_bytes(), ArticleOptions::default()).unwrap_err();
    assert_eq!(err.to_string(), "feed.jsonl:2: not valid JSON (expected ident at line 1 column 2)");
}

#[test]
fn a_feed_without_one_good_line_is_refused_even_when_skipping() {
    let feed = b"{\"title\": \"no text\"}\n{broken\n";
    let err = read_bytes_with(Path::new("feed.jsonl"), feed, ArticleOptions { skip_bad_lines: true }).unwrap_err();
    assert_eq!(err.to_string(), "feed.jsonl:1: expected a \"text\" string");
}

// ---------------------------------------------------------------------------------------------------------
// Articles, with the real binary.

#[test]
fn cli_import_refuses_the_feed_by_default_and_changes_nothing() {
    let s = setup();
    let out = factmark(&[Path::new("import"), &s.project, &s.feed]);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    assert_eq!(text(&out.stderr), format!("error: {}{LINE_2} (nothing imported)\n", s.feed.display()));
    s.assert_project_unchanged();
    assert_eq!(fs::read_to_string(&s.feed).unwrap(), FEED, "the feed changed");
}

#[test]
fn cli_import_with_skip_bad_lines_imports_three_and_reports_line_2() {
    let s = setup();
    let out = factmark(&[Path::new("import"), &s.project, &s.feed, Path::new("--skip-bad-lines")]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], format!("skipped {}{LINE_2}", s.feed.display()));
    assert_eq!(lines[1], "1 bad line(s) skipped");
    assert_eq!(lines.last().copied(), Some(format!("3 document(s) imported into {}", s.project.display()).as_str()));
    assert_eq!(text(&out.stderr), "");
    let project = store::load(&s.project).unwrap();
    assert_eq!(project.documents[0], existing().documents[0], "the existing document is kept as it was");
    assert_eq!(texts(&project)[1..], GOOD_TEXTS);
    assert_eq!(fs::read(store::backup_path(&s.project)).unwrap(), s.before, "the old version is the backup");
}

#[test]
fn cli_lists_the_first_twenty_skipped_lines_and_counts_the_rest() {
    let s = setup();
    let mut feed = String::from("{\"text\": \"The only good article.\"}\n");
    for _ in 0..25 {
        feed.push_str("{oops\n");
    }
    let path = s.dir.path().join("many.jsonl");
    fs::write(&path, feed).unwrap();
    let out = factmark(&[Path::new("import"), &s.project, &path, Path::new("--skip-bad-lines")]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let skipped: Vec<&str> = stdout.lines().filter(|l| l.starts_with("skipped ")).collect();
    assert_eq!(skipped.len(), 20, "{stdout}");
    assert!(skipped[0].starts_with(&format!("skipped {}:2: not valid JSON", path.display())), "{}", skipped[0]);
    assert!(skipped[19].starts_with(&format!("skipped {}:21: ", path.display())), "{}", skipped[19]);
    assert!(stdout.contains("\nand 5 more bad line(s)\n25 bad line(s) skipped\n"), "{stdout}");
    assert!(stdout.ends_with(&format!("1 document(s) imported into {}\n", s.project.display())), "{stdout}");
}

// ---------------------------------------------------------------------------------------------------------
// Annotations (import-annotations): doccano, spacy and prodigy lines.

const DOC_TEXTS: [&str; 3] =
    ["Officials said prices rose.", "Critics called it a disgrace.", "Police said the road is shut."];

fn annotated_project() -> Project {
    let mut project = Project::new("annotations");
    for (i, text) in DOC_TEXTS.iter().enumerate() {
        project.documents.push(Document::new(DocId(format!("d{i}")), format!("Doc {i}"), *text));
    }
    project
}

/// A JSONL line of `format` giving `text` a Source span over its first word.
fn line(format: Format, text: &str) -> String {
    let end = text.find(' ').unwrap();
    let row = match format {
        Format::Doccano => json!({"text": text, "label": [[0, end, "Source"]]}),
        Format::Spacy => json!({"text": text, "spans": [{"start": 0, "end": end, "label": "Source"}]}),
        _ => json!({"text": text, "answer": "accept",
                    "spans": [{"start": 0, "end": end, "token_start": 0, "token_end": 0, "label": "Source"}]}),
    };
    row.to_string()
}

/// Good, not JSON (line 2), good, not a record of the format (line 4: `text` is a number), good.
fn annotation_file(format: Format) -> String {
    let [a, b, c] = DOC_TEXTS.map(|t| line(format, t));
    format!("{a}\n{{\"text\": \"cut off\n{b}\n{{\"text\": 42}}\n{c}\n")
}

fn options(format: Format) -> ImportOptions {
    ImportOptions { format, doccano_units: DoccanoUnits::Utf16, annotator: "importer".into() }
}

#[test]
fn annotation_lines_are_refused_by_default_and_skipped_on_request() {
    for format in [Format::Doccano, Format::Spacy, Format::Prodigy] {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.jsonl");
        fs::write(&input, annotation_file(format)).unwrap();
        let mut project = annotated_project();

        let err = formats::plan_import(&project, &input, &options(format)).unwrap_err();
        let expected = format!("{}:2: invalid JSON at column 17: ", input.display());
        assert!(err.to_string().starts_with(&expected), "{format}: {err}");

        let plan = formats::plan_import_skipping_bad_lines(&project, &input, &options(format)).unwrap();
        let skipped: Vec<String> = plan.skipped_lines.iter().map(ToString::to_string).collect();
        assert_eq!(skipped.len(), 2, "{format}: {skipped:?}");
        assert!(skipped[0].starts_with(&expected), "{format}: {}", skipped[0]);
        assert!(skipped[1].starts_with(&format!("{}:4: invalid type: integer `42`", input.display())), "{format}");
        assert_eq!((plan.documents, plan.spans), (3, 3), "{format}");
        plan.edit.unwrap().apply(&mut project).unwrap();
        for doc in &project.documents {
            let first_word = doc.text.find(' ').unwrap();
            let ranges: Vec<_> = doc.spans.iter().map(|s| (s.start, s.end, s.label.as_str())).collect();
            assert_eq!(ranges, [(CharIdx(0), CharIdx(first_word), "Source")], "{format}: {}", doc.id);
        }
    }
}

#[test]
fn doccano_offsets_that_do_not_fit_their_line_are_a_bad_line() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let good = line(Format::Doccano, DOC_TEXTS[0]);
    fs::write(&input, format!("{good}\n{}\n", json!({"text": "short", "label": [[0, 99, "Source"]]}))).unwrap();
    let plan =
        formats::plan_import_skipping_bad_lines(&annotated_project(), &input, &options(Format::Doccano)).unwrap();
    assert_eq!(plan.spans, 1);
    assert_eq!(plan.skipped_lines.len(), 1);
    assert!(plan.skipped_lines[0].to_string().starts_with(&format!("{}:2: offsets 0..99", input.display())));
}

#[test]
fn skipping_does_not_hide_problems_with_the_project_or_apply_to_whole_file_formats() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let unknown = json!({"text": DOC_TEXTS[0], "spans": [{"start": 0, "end": 9, "label": "Rumour"}]});
    fs::write(&input, format!("{unknown}\n")).unwrap();
    let err = formats::plan_import_skipping_bad_lines(&annotated_project(), &input, &options(Format::Spacy));
    assert!(err.unwrap_err().to_string().contains(":1: unknown label \"Rumour\""));
    let err = formats::plan_import_skipping_bad_lines(&annotated_project(), &input, &options(Format::LabelStudio));
    assert!(err.unwrap_err().to_string().contains("not labelstudio"));
}

#[test]
fn cli_import_annotations_with_and_without_skip_bad_lines() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    store::save(&annotated_project(), &project).unwrap();
    let before = fs::read(&project).unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, annotation_file(Format::Spacy)).unwrap();
    let base = [Path::new("import-annotations"), &project, Path::new("--format"), Path::new("spacy"), &input];

    let out = factmark(&base);
    assert_eq!(out.status.code(), Some(1), "stderr: {}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains(&format!("{}:2: invalid JSON", input.display())), "{stderr}");
    assert_eq!(fs::read(&project).unwrap(), before, "nothing imported by default");

    let mut skipping = base.to_vec();
    skipping.push(Path::new("--skip-bad-lines"));
    let out = factmark(&skipping);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with(&format!("skipped {}:2: invalid JSON", input.display())), "{stdout}");
    assert!(lines[1].starts_with(&format!("skipped {}:4: ", input.display())), "{stdout}");
    assert_eq!(lines[2], "2 bad line(s) skipped");
    assert!(lines[3].starts_with("imported 3 spans, 0 relations into 3 documents"), "{stdout}");
    let spans: usize = store::load(&project).unwrap().documents.iter().map(|d| d.spans.len()).sum();
    assert_eq!(spans, 3);
}

// ---------------------------------------------------------------------------------------------------------
// The app's Import dialog.

#[test]
fn import_dialog_checkbox_skips_bad_lines_and_the_preview_lists_them() {
    let s = setup();
    let mut h = ui_support::harness(FactmarkApp::new(existing(), None), [1400.0, 900.0]);
    press(&mut h, Modifiers::COMMAND, Key::I);
    h.get_by_label("Paths").focus();
    h.run();
    h.get_by_label("Paths").type_text(s.feed.to_str().unwrap());
    h.run();

    // Default: the feed is refused, naming the line, and the dialog says how to get the good lines.
    h.get_by_label("Preview").click();
    wait_for(&mut h, "Import 0 document(s)");
    h.get_by_label_contains(LINE_2);
    h.get_by_label_contains("tick “Skip bad JSONL lines”");

    // Ticking the box drops the old preview; previewing again lists the bad line and offers the good ones.
    h.get_by_label("Skip bad JSONL lines").click();
    h.run();
    assert!(h.query_by_label_contains("Import 0 document(s)").is_none(), "the stale preview is gone");
    h.get_by_label("Preview").click();
    wait_for(&mut h, "Import 3 document(s)");
    h.get_by_label(&format!("skipped line {}{LINE_2}", s.feed.display()));
    h.get_by_label_contains("+ Bridge to close");
    assert_eq!(h.state().project().documents.len(), 1, "nothing imported before confirming");
    h.get_by_label("Import 3 document(s)").click();
    h.run();
    assert_eq!(texts(h.state().project())[1..], GOOD_TEXTS);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().project().documents.len(), 1, "one undoable step");
}
