//! A large project folder in the window, open one document at a time: the list shows every document with
//! its span counts from the folder's index, clicking one reads and shows it, the status bar says how many
//! are in memory, and a document whose file does not read says why where its text would be.

use egui_kittest::kittest::Queryable;
use factmark::session::workspace::Session;
use factmark::store::folder;
use factmark::synth::{self, CorpusSpec};
use factmark::ui::FactmarkApp;

mod ui_support;

#[test]
fn the_list_comes_from_the_index_and_a_clicked_document_is_read_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.factmark");
    let project =
        synth::corpus(&CorpusSpec { docs: 40, words_per_doc: 90, spans_per_doc: 4, relations_per_doc: 0, seed: 3 });
    folder::save(&project, &path).unwrap();
    let broken = &project.documents[2];
    std::fs::write(path.join("docs").join(format!("{}.txt", broken.id.as_str())), "edited by hand").unwrap();

    let app = FactmarkApp::with_session(Session::open_with(&path, 10).unwrap());
    let mut h = ui_support::harness(app, [1280.0, 860.0]);
    let spans = project.span_count();
    h.get_by_label_contains(&format!("40 documents (1 in memory) · {spans} spans"));

    // The second document: listed with its counts from the index before it was read.
    let second = &project.documents[1];
    let claims = second.spans.iter().filter(|s| s.label == "Claim").count();
    assert!(h.state().project().documents[1].text.is_empty(), "not read before it is shown");
    h.get_all_by_label(&format!("Claim {claims}")).next().expect("its Claim count is listed");
    h.get_by_label(&second.title).click();
    h.run();
    assert_eq!(h.state().workspace().document().unwrap(), second);
    h.get_by_label_contains("40 documents (2 in memory)");
    let first_words: String = second.text.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
    assert!(h.query_all_by_label_contains(&first_words).next().is_some(), "the text {first_words:?} is shown");

    // The broken one: the reason where its text would be, the rest still works.
    h.get_by_label(&broken.title).click();
    h.run();
    h.get_by_label("This document could not be read");
    let why = "the text differs from the one the annotations were made on";
    assert_eq!(h.query_all_by_label_contains(why).count(), 2, "said in the document view and the status bar");
    h.get_by_label(&project.documents[3].title).click();
    h.run();
    assert_eq!(h.state().workspace().document().unwrap(), &project.documents[3]);
}

#[test]
fn the_dashboard_and_find_in_project_read_the_whole_folder_with_the_changes_in_memory() {
    use egui::{Key, Modifiers};
    use factmark::analysis::stats::project_stats;
    use factmark::edit::Edit;
    use factmark::model::{CharIdx, Span};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.factmark");
    let project =
        synth::corpus(&CorpusSpec { docs: 30, words_per_doc: 80, spans_per_doc: 3, relations_per_doc: 0, seed: 5 });
    folder::save(&project, &path).unwrap();
    let mut h = ui_support::harness(FactmarkApp::with_session(Session::open_with(&path, 10).unwrap()), [1280.0, 860.0]);

    // An unsaved span in the shown document counts, though the folder on disk does not have it yet.
    let doc = project.documents[0].id.clone();
    let id = factmark::model::SpanId(project.next_span_id + 100);
    let span = Span::new(id, CharIdx(0)..CharIdx(4), "Opinion", "ana");
    h.state_mut().push(factmark::ui::Intent::Edit(Edit::AddSpan { doc, span, relations: vec![] }));
    h.run();
    let mut expected = project.clone();
    expected.documents[0].spans.push(Span::new(id, CharIdx(0)..CharIdx(4), "Opinion", "ana"));
    let stats = project_stats(&expected);
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    ui_support::wait_for_exact(
        &mut h,
        &format!("30 documents · {} spans · 0 relations · {} words", stats.spans, stats.words),
    );
    // Agreement reads every document on a worker of its own: the statistics do not wait for it.
    ui_support::wait_for_exact(&mut h, "Figure");
    assert!(h.query_by_label_contains("Computing agreement").is_none());

    // Find in project reads every document on a worker: a word of the last document is found there.
    let last = &project.documents[29];
    let word: String =
        last.text.split_whitespace().find(|w| w.chars().all(char::is_alphabetic) && w.len() > 6).unwrap().into();
    use factmark::analysis::search::{Query, SearchOptions};
    let options = SearchOptions { whole_word: true, ..SearchOptions::default() };
    let everywhere = Query::new(&word, options).unwrap().find_in_project(&project).len();
    assert!(everywhere >= 1);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::F);
    h.run();
    h.get_by_label("Find in project").type_text(&word);
    ui_support::wait_for(&mut h, &format!(" match(es) here, {everywhere} in all"));
}

#[test]
fn a_format_that_needs_the_whole_project_exports_from_the_saved_folder() {
    use egui::{Key, Modifiers};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.factmark");
    let project =
        synth::corpus(&CorpusSpec { docs: 25, words_per_doc: 60, spans_per_doc: 3, relations_per_doc: 0, seed: 9 });
    folder::save(&project, &path).unwrap();
    let mut h = ui_support::harness(FactmarkApp::with_session(Session::open_with(&path, 10).unwrap()), [1280.0, 860.0]);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    h.get_by_label("Format").click();
    h.run();
    h.get_by_label("conll").scroll_to_me();
    h.run();
    h.get_by_label("conll").click();
    h.run();
    h.get_by_label_contains("This format needs the whole project at once");
    let out = dir.path().join("dataset.conll");
    let field = "Write to (a file; a folder for brat, csv and all)";
    h.get_by_label(field).focus();
    h.run();
    h.get_by_label(field).type_text(out.to_str().unwrap());
    h.run();
    h.get_by_label("Export").click();
    ui_support::wait_for(&mut h, "Wrote 1 file(s)");
    // What the command line writes for the same folder, byte for byte.
    let by_command = dir.path().join("by-command.conll");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["export", path.to_str().unwrap(), "--format", "conll", "--out", by_command.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&by_command).unwrap());
    let first_word = project.documents[24].text.split_whitespace().next().unwrap();
    assert!(std::fs::read_to_string(&out).unwrap().contains(first_word), "the last document is in the file");
}

/// A git merge left conflicts in documents of a large folder that the window has not read: the walk knows
/// them from the index lines, steps onto each (reading it), shows both versions and keeps the one chosen.
#[test]
fn the_conflict_walk_reaches_documents_not_read_yet_from_their_index_lines() {
    use egui::{Key, Modifiers};
    use factmark::model::{CharIdx, FieldConflict, Span};

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.factmark");
    let mut project =
        synth::corpus(&CorpusSpec { docs: 30, words_per_doc: 60, spans_per_doc: 2, relations_per_doc: 0, seed: 4 });
    project.documents[20].conflicts.push(FieldConflict { field: "title".into(), theirs: "Their title".into() });
    // Two alternatives of one span group in document 27: ours a Claim, theirs an Opinion.
    let (a, b) = (project.alloc_span_id(), project.alloc_span_id());
    let doc = &mut project.documents[27];
    for (id, label, side) in [(a, "Claim", "ours"), (b, "Opinion", "theirs")] {
        let mut span = Span::new(id, CharIdx(0)..CharIdx(4), label, "ana");
        span.conflict = format!("{a}/{side}");
        doc.spans.push(span);
    }
    doc.spans.sort_by_key(Span::sort_key);
    folder::save(&project, &path).unwrap();

    let mut h = ui_support::harness(FactmarkApp::with_session(Session::open_with(&path, 10).unwrap()), [1400.0, 900.0]);
    assert!(h.state().project().documents[20].text.is_empty(), "not read before the walk reaches it");
    // Showing a document far down the list scrolls the list there (more frames than `run` allows).
    h.key_press_modifiers(Modifiers::ALT, Key::N);
    h.run_steps(100);
    h.get_by_label_contains("2 merge conflict(s) to settle");
    let title = format!("document {}, title", project.documents[20].id);
    ui_support::wait_for(&mut h, &title);
    assert_eq!(h.state().workspace().document().unwrap().id, project.documents[20].id, "shown, so read");
    h.get_by_label("Keep theirs").click();
    h.run();
    assert_eq!(h.state().project().documents[20].title, "Their title");

    h.get_by_label("Next conflict ▶").click();
    h.run_steps(100);
    ui_support::wait_for(&mut h, &format!("in document {}", project.documents[27].id));
    h.get_by_label("Keep theirs").click();
    h.run();
    let spans = &h.state().project().documents[27].spans;
    assert!(spans.iter().any(|s| s.id == b && s.conflict.is_empty()) && !spans.iter().any(|s| s.id == a));
    h.run();
    assert!(h.query_by_label_contains("merge conflict(s) to settle").is_none(), "none left");
}

/// A rename in the window on a large folder runs on a worker, and the window takes the folder back when it
/// is done: the status line says so and the document list's counts carry the new name.
#[test]
fn a_rename_in_the_window_is_written_to_the_folder_and_taken_back() {
    use factmark::edit::Edit;

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.factmark");
    let project =
        synth::corpus(&CorpusSpec { docs: 30, words_per_doc: 60, spans_per_doc: 3, relations_per_doc: 1, seed: 6 });
    folder::save(&project, &path).unwrap();
    let mut h = ui_support::harness(FactmarkApp::with_session(Session::open_with(&path, 10).unwrap()), [1280.0, 860.0]);
    let rename = Edit::RenameLabel { from: "Opinion".into(), to: "View".into() };
    h.state_mut().push(factmark::ui::Intent::Edit(rename));
    let using = project.documents.iter().filter(|d| d.spans.iter().any(|s| s.label == "Opinion")).count();
    ui_support::wait_for(&mut h, &format!("done, {using} document(s) rewritten and saved"));
    assert!(h.state().project().schema.label("View").is_some());
    assert!(h.query_all_by_label_contains("View ").next().is_some(), "the list counts Views");
    let on_disk = factmark::store::load(&path).unwrap();
    assert!(on_disk.documents.iter().all(|d| d.spans.iter().all(|s| s.label != "Opinion")));
}

/// A small folder with a document file cut short (a bad copy, a hand edit): the project still opens, every
/// document listed; the broken one says why where its text would be and refuses edits; the others work.
#[test]
fn a_small_folder_with_a_broken_document_file_opens_with_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("few.factmark");
    let project =
        synth::corpus(&CorpusSpec { docs: 5, words_per_doc: 60, spans_per_doc: 3, relations_per_doc: 0, seed: 8 });
    folder::save(&project, &path).unwrap();
    let broken = &project.documents[1];
    let file = path.join("docs").join(format!("{}.ron", broken.id.as_str()));
    let bytes = std::fs::read(&file).unwrap();
    std::fs::write(&file, &bytes[..bytes.len() / 2]).unwrap();
    assert!(factmark::store::load(&path).is_err(), "the strict load refuses it");

    let session = Session::open(&path).expect("the project opens");
    let mut h = ui_support::harness(FactmarkApp::with_session(session), [1280.0, 860.0]);
    assert_eq!(h.state().project().documents.len(), 5);
    h.get_by_label(&broken.title).click();
    h.run();
    h.get_by_label("This document could not be read");
    let edit = factmark::edit::Edit::SetDocStatus { doc: broken.id.clone(), status: factmark::model::DocStatus::Done };
    h.state_mut().push(factmark::ui::Intent::Edit(edit));
    h.run();
    assert!(!h.state().workspace().session.is_dirty(), "the broken document refuses edits");
    assert!(h.state().workspace().message.contains("Expected string"), "{}", h.state().workspace().message);
    h.get_by_label(&project.documents[3].title).click();
    h.run();
    assert_eq!(h.state().workspace().document().unwrap(), &project.documents[3]);
    assert_eq!(std::fs::read(&file).unwrap(), &bytes[..bytes.len() / 2], "its file is left as it was");
}
