//! Find, label-all and suggestions in the app, driven headless with egui_kittest.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::model::{CharIdx, DocId, Document, Project};
use factmark::ui::FactmarkApp;

mod ui_support;
use ui_support::{H, press};

const TEXT: &str = "The Bridge will close, officials said. The bridge—built in 1963—carried 41,000 cars.\n\n\
Critics say the city should have acted sooner. “It is a disgrace,” said Ana Lima, a local councillor.";

fn harness() -> H {
    let mut p = Project::new("find");
    p.documents.push(Document::new(DocId("a".into()), "Bridge", TEXT));
    p.documents.push(Document::new(DocId("b".into()), "Ferry", "The ferry replaces the bridge for six weeks."));
    ui_support::harness(FactmarkApp::new(p, None), [1500.0, 1000.0])
}

fn chars(needle: &str, nth: usize) -> usize {
    let byte = TEXT.match_indices(needle).nth(nth).unwrap().0;
    TEXT[..byte].chars().count()
}

#[test]
fn find_walks_matches_and_labels_all_in_one_step() {
    let mut h = harness();
    press(&mut h, Modifiers::COMMAND, Key::F);
    h.get_by_label("Find").type_text("bridge");
    h.run();
    h.get_by_label_contains("2 match(es) here, 2 in all");
    press(&mut h, Modifiers::NONE, Key::Enter);
    let first = chars("Bridge", 0);
    assert_eq!(h.state().workspace().cursor.selection.map(|s| s.range()), Some(CharIdx(first)..CharIdx(first + 6)));
    press(&mut h, Modifiers::NONE, Key::Enter);
    let second = chars("bridge", 0);
    assert_eq!(h.state().workspace().cursor.selection.map(|s| s.range().start), Some(CharIdx(second)));

    // Match case narrows it to one; the whole project finds the ferry story's bridge too.
    h.get_by_label("Match case").click();
    h.run();
    h.get_by_label_contains("1 match(es) here, 1 in all");
    h.get_by_label("Whole project").click();
    h.run();
    h.get_by_label_contains("1 match(es) here, 2 in all");

    h.get_by_label("Label all as Source").click();
    h.run();
    let project = h.state().project();
    assert_eq!(project.documents[0].spans.len(), 1);
    assert_eq!(project.documents[1].spans.len(), 1);
    assert_eq!(project.documents[0].spans[0].label, "Source");
    // Again: nothing new, and the message says so.
    h.get_by_label("Label all as Source").click();
    h.run();
    assert!(h.state().message().contains("0 added, 2 already labelled Source"), "{}", h.state().message());
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().project().span_count(), 0, "one undo removes every match's span");

    // A broken regex says why instead of searching.
    h.get_by_label("Regex").click();
    h.run();
    h.get_by_label("Find in project").focus();
    h.run();
    h.get_by_label("Find in project").type_text("(");
    h.run();
    h.get_by_label_contains("invalid regular expression");
}

#[test]
fn suggestions_are_accepted_and_rejected_with_keys() {
    let mut h = harness();
    press(&mut h, Modifiers::COMMAND, Key::G);
    // The list is made on a worker (a long report takes longer than a frame) and arrives a moment later.
    let listed = |h: &H| h.query_all_by_label_contains(" · cues · ").count();
    for _ in 0..300 {
        h.run_steps(1);
        if listed(&h) > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(h.state().project().span_count(), 0, "suggestions are not spans");
    let before = listed(&h);
    assert!(before >= 3, "{before} suggestions");
    press(&mut h, Modifiers::NONE, Key::A);
    let doc = &h.state().project().documents[0];
    assert!(!doc.spans.is_empty(), "A accepted the current suggestion");
    assert!(doc.spans.iter().all(|s| s.origin.starts_with("suggest:")), "{:?}", doc.spans);
    let accepted = h.state().project().span_count();
    assert_eq!(listed(&h), before - 1, "the accepted suggestion leaves the list at once");
    press(&mut h, Modifiers::NONE, Key::X);
    assert_eq!(h.state().project().span_count(), accepted, "X adds nothing");
    assert_eq!(listed(&h), before - 2, "nor does the rejected one come back");
    for _ in 0..20 {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert_eq!(listed(&h), before - 2, "the fresh list from the worker agrees");
    h.get_by_label("Accept all").click();
    h.run();
    let all = h.state().project().span_count();
    assert!(all > accepted);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(h.state().project().span_count(), accepted, "accept all undoes in one step");

    // A project rule: every "councillor" suggested as Source.
    h.get_by_label("Pattern").focus();
    h.run();
    h.get_by_label("Pattern").type_text("local councillor");
    h.run();
    h.get_by_label("suggests").click();
    h.run();
    h.get_by_label("Source").click();
    h.run();
    h.get_by_label("Add rule").click();
    h.run();
    assert_eq!(h.state().project().rules.len(), 1);
    // The list is made again on a worker: wait for it rather than look in the very next frame.
    ui_support::wait_for(&mut h, "Source · 0.90 · rules");
}

#[test]
fn suggestions_learn_in_the_background_from_other_documents() {
    // Document "a" is labelled: "Dr. Ilse Maro" is a Source there. Document "b" names her again.
    let labelled = "Dr. Ilse Maro said the clinic will close. Dr. Ilse Maro, the director, repeated it.";
    let mut p = Project::new("learn");
    let mut a = Document::new(DocId("a".into()), "Clinic", labelled);
    for (n, start) in [(1, 0), (2, 42)] {
        let range = CharIdx(start)..CharIdx(start + "Dr. Ilse Maro".chars().count());
        a.spans.push(factmark::model::Span::new(factmark::model::SpanId(n), range, "Source", "ana"));
    }
    p.next_span_id = 3;
    p.documents.push(a);
    p.documents.push(Document::new(DocId("b".into()), "Ward", "On Monday Dr. Ilse Maro opened the ward."));
    let mut h = ui_support::harness(FactmarkApp::new(p, None), [1500.0, 1000.0]);
    press(&mut h, Modifiers::ALT, Key::ArrowDown);
    press(&mut h, Modifiers::COMMAND, Key::G);
    // Training runs on a worker; the window keeps drawing and picks the models up when they are ready.
    ui_support::wait_for(&mut h, "Learned from 1 other document(s), 2 span(s)");
    ui_support::wait_for(&mut h, "Source · 1.00 · strings · Dr. Ilse Maro");
    // Switching the string recommender off takes its suggestion away, and is stored in the project.
    h.get_by_label("Recommenders (for this project)").click();
    h.run();
    h.get_by_label("strings").click();
    h.run();
    // The list is made again on a worker; the old one stays until the new one arrives.
    for _ in 0..300 {
        if h.query_by_label_contains("· strings ·").is_none() {
            break;
        }
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(h.query_by_label_contains("· strings ·").is_none(), "the strings recommender is off");
    assert_eq!(h.state().project().recommenders_off, vec!["strings".to_string()]);
    assert!(h.state().workspace().session.is_dirty(), "the switch is a change to save");
    assert_eq!(h.state().project().documents[1].spans.len(), 0, "suggestions are not spans");
    // It is an edit like any other: undo switches the recommender back on.
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert!(h.state().project().recommenders_off.is_empty());
    ui_support::wait_for(&mut h, "Source · 1.00 · strings · Dr. Ilse Maro");
}

#[test]
fn the_learned_models_are_saved_beside_the_project_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("clinic.ron");
    let labelled = "Dr. Ilse Maro said the clinic will close. Dr. Ilse Maro, the director, repeated it.";
    let mut p = Project::new("learn");
    let mut a = Document::new(DocId("a".into()), "Clinic", labelled);
    let range = CharIdx(0)..CharIdx("Dr. Ilse Maro".chars().count());
    a.spans.push(factmark::model::Span::new(factmark::model::SpanId(1), range, "Source", "ana"));
    p.next_span_id = 2;
    p.documents.push(a);
    factmark::store::save(&p, &path).unwrap();
    let mut h = ui_support::harness(FactmarkApp::new(p, Some(path.clone())), [1500.0, 1000.0]);
    press(&mut h, Modifiers::COMMAND, Key::G);
    h.get_by_label("Recommenders (for this project)").click();
    h.run();
    let models = dir.path().join("clinic.models.json");
    assert!(!models.exists(), "nothing is saved until asked");
    h.get_by_label("Save learned models").click();
    for _ in 0..300 {
        h.run_steps(1);
        if h.state().message().starts_with("Saved the learned models") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(h.state().message().contains("clinic.models.json"), "{}", h.state().message());
    let (learned, _) = factmark::session::saved_models::load_models(&models, h.state().project()).unwrap();
    assert_eq!((learned.documents, learned.spans), (1, 1));
    assert!(!std::fs::read_to_string(&path).unwrap().contains("models"), "the project file holds no models");
}
