//! LLM pre-annotation in the window: off until a server is set, shows where the text goes, runs on a worker,
//! and its suggestions join the list (recommender "llm") to be accepted like any other; a failing server
//! gives a message and adds nothing. Against a small OpenAI-compatible server started by the test.

use egui::{Key, Modifiers};
use egui_kittest::kittest::{NodeT, Queryable};
use factmark::model::{DocId, Document};
use factmark::ui::FactmarkApp;

mod llm_support;
mod ui_support;
use llm_support::{Scripted, Server};
use ui_support::{H, press};

const TEXT: &str = "Officials at the port said the U.S. bridge “will close” — soon, wrote Zoë Ibáñez on Oct 31, 2024.";

fn app() -> H {
    let mut p = ui_support::project_with_sample_schema("llm");
    p.documents.push(Document::new(DocId("bridge".into()), "Bridge", TEXT));
    ui_support::harness(FactmarkApp::new(p, None), [1500.0, 1100.0])
}

fn open_llm_section(h: &mut H) {
    press(h, Modifiers::COMMAND, Key::G);
    // The suggestion list arrives from a worker and can move the section header down between finding it
    // and the click landing (a busy machine): click again until the section is open.
    for _ in 0..50 {
        if h.query_by_label("Server").is_some() {
            return;
        }
        h.get_by_label("Pre-annotate with an LLM (off until you set a server)").click();
        h.run();
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    panic!("the LLM section did not open");
}

fn type_into(h: &mut H, label: &str, text: &str) {
    h.get_by_label(label).focus();
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

fn wait_until(h: &mut H, done: impl Fn(&H) -> bool) {
    for _ in 0..500 {
        h.run_steps(1);
        if done(h) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    panic!("never happened");
}

#[test]
fn the_models_suggestions_join_the_list_and_are_accepted_like_any_other() {
    let answer = serde_json::json!({
        "spans": [
            {"label": "Source", "text": "Officials at the port"},
            // Straight quotes and a hyphen: aligned to the text's curly quotes.
            {"label": "Claim", "text": "the U.S. bridge \"will close\""},
            {"label": "Fact", "text": "soon"}
        ],
        "relations": [{"from": 0, "to": 1, "type": "attributed_to"}]
    });
    let server = Server::start(vec![Scripted::answer(answer)]);
    let mut h = app();
    open_llm_section(&mut h);
    h.get_by_label_contains("Off: set a server to use it");
    let button = h.get_by_label("Ask the LLM about this document");
    assert!(button.accesskit_node().is_disabled(), "no server, no button");

    type_into(&mut h, "Server", &server.base);
    type_into(&mut h, "Model", "m");
    h.get_by_label(&format!("The shown document's text is sent to {}/chat/completions", server.base));
    assert!(server.requests().is_empty(), "nothing is sent before the button");
    h.get_by_label("Ask the LLM about this document").click();
    wait_until(&mut h, |h| h.query_all_by_label_contains(" · llm · ").count() == 2);
    h.get_by_label_contains("Claim · 0.50 · llm · the U.S. bridge “will close”");
    h.get_by_label_contains("1 span had a label not in the schema");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(h.state().project().span_count(), 0, "suggestions are not spans");

    h.get_by_label("Accept all").click();
    h.run();
    let doc = &h.state().project().documents[0];
    let from_llm: Vec<&str> =
        doc.spans.iter().filter(|s| s.origin == "suggest:llm:m").map(|s| s.label.as_str()).collect();
    assert_eq!(from_llm.len(), 2, "{:?}", doc.spans);
    assert!(doc.relations.iter().any(|r| r.kind == "attributed_to"), "the model's relation came too");
    // Accepted: the model's suggestions do not come back when the list is made again.
    wait_until(&mut h, |h| h.query_all_by_label_contains(" · llm · ").count() == 0);
    // The settings are the app's preferences (kept between runs), never the project's.
    assert_eq!(h.state().preferences().llm.model, "m");
}

#[test]
fn a_failing_server_gives_a_message_and_adds_nothing() {
    let server = Server::start(vec![Scripted::status(500, r#"{"error":{"message":"model not loaded"}}"#)]);
    let mut h = app();
    open_llm_section(&mut h);
    type_into(&mut h, "Server", &server.base);
    type_into(&mut h, "Model", "m");
    h.get_by_label("Ask the LLM about this document").click();
    wait_until(&mut h, |h| h.query_by_label_contains("model not loaded").is_some());
    h.get_by_label_contains("nothing was added");
    assert_eq!(h.query_all_by_label_contains(" · llm · ").count(), 0);
    assert_eq!(h.state().project().span_count(), 0);
}

#[test]
fn cancel_stops_waiting_at_once_and_adds_nothing() {
    // The server takes its time: the reply comes well after Cancel.
    let answer = serde_json::json!({"spans": [{"label": "Source", "text": "Officials at the port"}], "relations": []});
    let server = Server::start_with_hook(vec![Scripted::answer(answer)], |_| {
        std::thread::sleep(std::time::Duration::from_millis(1500))
    });
    let mut h = app();
    open_llm_section(&mut h);
    type_into(&mut h, "Server", &server.base);
    type_into(&mut h, "Model", "m");
    h.get_by_label("Ask the LLM about this document").click();
    h.run();
    h.get_by_label("Cancel").click();
    h.run();
    h.get_by_label("Cancelled: nothing was added.");
    std::thread::sleep(std::time::Duration::from_millis(2000));
    for _ in 0..10 {
        h.run_steps(1);
    }
    assert_eq!(h.query_all_by_label_contains(" · llm · ").count(), 0, "the late reply was thrown away");
    h.get_by_label("Ask the LLM about this document");
}
