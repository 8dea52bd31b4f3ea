//! LLM pre-annotation against a fake OpenAI-compatible server started inside each test: what is sent,
//! how answers map back to exact char offsets, what is counted and left out, and how errors, retries and
//! cancel behave — in the library and through `factmark suggest --llm`.

mod llm_support;

use std::process::Command;
use std::time::{Duration, Instant};

use factmark::analysis::suggest::{LinkTarget, Recommender};
use factmark::model::{DocId, Document, Project};
use factmark::session::job::Progress;
use factmark::session::llm::{LlmError, LlmRun, LlmSettings, endpoint, llm_suggest};
use llm_support::{Scripted, Server, chars_of, closed_port, project, slice};
use serde_json::json;

const ARTICLE: &str = "Mayor Zoë Brandt said the “new” bridge — opened in 2019 — carries 41,000 vehicles a day.\n\n\
    Critics called the plan “a costly mistake.” The U.S.\u{a0}embassy   DECLINED to comment.";

fn settings(base: &str) -> LlmSettings {
    LlmSettings {
        base_url: base.to_string(),
        model: "test-model".into(),
        temperature: 0.2,
        // A variable no test sets, so no key is ever sent from the library tests.
        api_key_env: "FACTMARK_TEST_KEY_NEVER_SET".into(),
        timeout_secs: 10,
        ..LlmSettings::default()
    }
}

fn docs<'a>(project: &'a Project, ids: &[&str]) -> Vec<&'a Document> {
    ids.iter().map(|id| project.doc(&DocId((*id).into())).unwrap()).collect()
}

fn run(project: &Project, ids: &[&str], settings: &LlmSettings) -> Result<LlmRun, LlmError> {
    llm_suggest(project, &docs(project, ids), settings, &Progress::default())
}

#[test]
fn the_request_has_the_schema_the_labels_an_example_and_the_chunk() {
    let server = Server::start(vec![Scripted::answer(json!({"spans": [], "relations": []}))]);
    let project = project(&[ARTICLE]);
    let result = run(&project, &["a"], &settings(&server.base)).unwrap();
    assert_eq!(result.endpoint, format!("{}/chat/completions", server.base));
    assert_eq!(endpoint(&settings(&format!("{}/", server.base))), result.endpoint, "a trailing slash is fine");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/v1/chat/completions"));
    assert_eq!(r.body["model"], "test-model");
    assert!((r.body["temperature"].as_f64().unwrap() - 0.2).abs() < 1e-6, "{}", r.body["temperature"]);
    let format = &r.body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema = &format["json_schema"]["schema"];
    assert_eq!(
        schema["properties"]["spans"]["items"]["properties"]["label"]["enum"],
        json!(["Claim", "Opinion", "Source"])
    );
    assert_eq!(schema["properties"]["relations"]["items"]["properties"]["type"]["enum"], json!(["attributed_to"]));
    assert_eq!(r.header("authorization"), None, "no key set, no Authorization header");
    let messages = r.messages();
    assert_eq!(messages[0]["role"], "system");
    let system = messages[0]["content"].as_str().unwrap();
    for needle in ["Claim", "Opinion", "Source", "attributed_to", "A checkable statement of fact"] {
        assert!(system.contains(needle), "{needle} missing from the system message: {system}");
    }
    // The labelled article is shown as examples: its sentence, and its spans as the answer.
    let all: Vec<String> = messages.iter().map(|m| m["content"].as_str().unwrap_or_default().to_string()).collect();
    assert!(all.iter().any(|m| m.contains("The port authority said the harbour handled")), "{all:#?}");
    assert!(all.iter().any(|m| m.contains(r#""label":"Source","text":"The port authority""#)), "{all:#?}");
    assert!(!all[..all.len() - 1].iter().any(|m| m.contains("Zoë Brandt")), "the document itself is no example");
    assert_eq!(messages.last().unwrap()["role"], "user");
    assert_eq!(r.chunk(), ARTICLE, "a short article is one chunk, sent exactly");
}

#[test]
fn spans_align_exactly_or_loosely_and_bad_ones_are_counted_not_added() {
    let answer = json!({
        "spans": [
            {"label": "Source", "text": "Mayor Zoë Brandt"},
            {"label": "Claim", "text": "the \"new\" bridge - opened in 2019 - carries 41,000 vehicles a day"},
            {"label": "opinion", "text": "a costly mistake."},
            {"label": "Claim", "text": "the u.s. embassy declined to comment"},
            {"label": "Fact", "text": "41,000 vehicles"},
            {"label": "Claim", "text": "the bridge will close in May"},
        ],
        "relations": [
            {"from": 0, "to": 1, "type": "attributed_to"},
            {"from": 0, "to": 9, "type": "attributed_to"},
            {"from": 0, "to": 2, "type": "refutes"},
            {"from": 4, "to": 1, "type": "attributed_to"},
        ]
    });
    let server = Server::start(vec![Scripted::content(&format!("```json\n{answer}\n```"))]);
    let project = project(&[ARTICLE]);
    let result = run(&project, &["a"], &settings(&server.base)).unwrap();
    let (doc, got) = &result.suggestions[0];
    assert_eq!(doc.as_str(), "a");
    let found: Vec<(String, String)> = got.iter().map(|s| (s.label.clone(), slice(ARTICLE, s.start, s.end))).collect();
    assert_eq!(
        found,
        [
            ("Source".to_string(), "Mayor Zoë Brandt".to_string()),
            ("Claim".into(), "the “new” bridge — opened in 2019 — carries 41,000 vehicles a day".into()),
            ("Opinion".into(), "a costly mistake.".into()),
            ("Claim".into(), "The U.S.\u{a0}embassy   DECLINED to comment".into()),
        ]
    );
    for s in got {
        assert_eq!(s.recommender, Recommender::Llm);
        assert_eq!(s.rule, "llm:test-model");
        assert!((s.score - 0.5).abs() < f32::EPSILON);
    }
    // The Source carries the relation to the Claim; nothing else has one.
    let link = got[0].relation.as_ref().expect("the Source is linked");
    assert_eq!((link.kind.as_str(), link.other, link.outgoing), ("attributed_to", LinkTarget::Suggestion(1), true));
    assert!(got[1..].iter().all(|s| s.relation.is_none()));
    let report = &result.report;
    assert_eq!((report.unaligned, report.unknown_labels, report.dropped_relations), (1, 1, 3));
    let text = result.to_string();
    assert!(text.contains("1 span could not be found in the text"), "{text}");
    assert!(text.contains("1 span had a label not in the schema: Fact"), "{text}");
    assert!(text.contains("3 relations were left out"), "{text}");
    assert!(
        text.contains(&format!("sent 1 chunk of 1 document to {}/chat/completions (model test-model)", server.base))
    );
}

#[test]
fn a_long_document_goes_in_chunks_and_later_offsets_map_back() {
    let first = "Ferry fares rose again this spring, the operator said in a short statement.";
    let second = "“We had no choice,” officials said; on Friday officials said it again — twice — in Malmö.";
    let text = format!("{first}\n\n{second}\n");
    let later = json!({"spans": [
        {"label": "Source", "text": "officials"},
        {"label": "Source", "text": "officials"},
        {"label": "Opinion", "text": "\"We had no choice,\""},
        {"label": "Claim", "text": "it again - twice - in Malmö"},
    ], "relations": [{"from": 0, "to": 2, "type": "attributed_to"}]});
    let server = Server::start(vec![Scripted::answer(json!({"spans": []})), Scripted::answer(later)]);
    let project = project(&[&text]);
    let progress = Progress::default();
    let settings = LlmSettings { chunk_chars: 100, ..settings(&server.base) };
    let result = llm_suggest(&project, &docs(&project, &["a"]), &settings, &progress).unwrap();
    let requests = server.requests();
    assert_eq!(requests.iter().map(|r| r.chunk()).collect::<Vec<_>>(), [first, second], "one paragraph a chunk");
    assert_eq!(progress.get(), (2, 2), "progress counts chunks");
    assert_eq!((result.report.chunks, result.report.requests), (2, 2));
    let got = &result.suggestions[0].1;
    let at = |label: &str, part: &str, nth: usize| {
        let want = chars_of(&text, part, nth);
        got.iter()
            .position(|s| s.label == label && s.range() == want)
            .unwrap_or_else(|| panic!("no {label} at {want:?} in {got:?}"))
    };
    let officials = [at("Source", "officials", 0), at("Source", "officials", 1)];
    assert_ne!(officials[0], officials[1], "the same words twice: two successive occurrences");
    let quote = at("Opinion", "“We had no choice,”", 0);
    at("Claim", "it again — twice — in Malmö", 0);
    for s in got {
        assert!(s.start.0 > first.chars().count(), "offsets are in the document, not the chunk: {s:?}");
        assert!(!slice(&text, s.start, s.end).is_empty());
    }
    // The relation ran from the first "officials" (answer index 0) to the quote (index 2): carried by that
    // Source, pointing at the quote's place in the sorted list.
    let link = got[officials[0]].relation.as_ref().unwrap();
    assert_eq!((link.other, link.outgoing), (LinkTarget::Suggestion(quote), true));
    assert!(got[officials[1]].relation.is_none());
}

#[test]
fn http_429_waits_for_retry_after_then_succeeds() {
    let busy = Scripted::status(429, r#"{"error":{"message":"slow down"}}"#).with_header("Retry-After", "1");
    let server =
        Server::start(vec![busy, Scripted::answer(json!({"spans": [{"label": "Source", "text": "Zoë Brandt"}]}))]);
    let project = project(&[ARTICLE]);
    let started = Instant::now();
    let result = run(&project, &["a"], &settings(&server.base)).unwrap();
    assert!(started.elapsed() >= Duration::from_millis(900), "waited {:?}", started.elapsed());
    assert_eq!(server.requests().len(), 2);
    assert_eq!((result.report.requests, result.report.retries), (2, 1));
    assert_eq!(result.suggestions[0].1.len(), 1);
}

#[test]
fn a_server_error_names_the_status_and_the_message_and_returns_nothing() {
    let server = Server::start(vec![
        Scripted::answer(json!({"spans": [{"label": "Source", "text": "The port"}]})),
        Scripted::status(500, "{\"error\":{\"message\":\"model 'test-model' not found,\\n try pulling it\"}}"),
    ]);
    let project = project(&[ARTICLE, ARTICLE]);
    let err = run(&project, &["a", "b"], &settings(&server.base)).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, LlmError::Status { status: 500, .. }), "{err:?}");
    for needle in
        ["HTTP 500", "model 'test-model' not found, try pulling it", "document \"b\", chunk 1 of 1", &server.base]
    {
        assert!(text.contains(needle), "{needle:?} missing from {text}");
    }
    // A plain-text body is shown as it is, trimmed.
    let server = Server::start(vec![Scripted::status(404, "  404 page not found\n")]);
    let err = run(&project, &["a"], &settings(&server.base)).unwrap_err().to_string();
    assert!(err.contains("HTTP 404") && err.ends_with(": 404 page not found"), "{err}");
}

#[test]
fn malformed_replies_are_clear_errors() {
    let server = Server::start(vec![Scripted::content("Sure! The claims are: the bridge.")]);
    let project = project(&[ARTICLE]);
    let err = run(&project, &["a"], &settings(&server.base)).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, LlmError::BadReply { .. }), "{err:?}");
    assert!(text.contains("cannot read") && text.contains("Sure! The claims"), "{text}");
    assert!(text.contains(&server.base) && text.contains("document \"a\", chunk 1 of 1"), "{text}");
    let server = Server::start(vec![Scripted::status(200, "<html>gateway</html>")]);
    let text = run(&project, &["a"], &settings(&server.base)).unwrap_err().to_string();
    assert!(text.contains("not JSON"), "{text}");
}

#[test]
fn an_unreachable_server_is_named() {
    let base = format!("http://127.0.0.1:{}/v1", closed_port());
    let project = project(&[ARTICLE]);
    let err = run(&project, &["a"], &settings(&base)).unwrap_err();
    assert!(matches!(err, LlmError::Unreachable { .. }), "{err:?}");
    assert!(err.to_string().contains(&format!("could not reach the LLM server at {base}/chat/completions")), "{err}");
    let unset = LlmSettings { base_url: String::new(), ..settings(&base) };
    assert_eq!(run(&project, &["a"], &unset).unwrap_err(), LlmError::NotSet);
}

#[test]
fn cancel_stops_between_chunks_and_while_waiting() {
    let text = "First paragraph about ferries.\n\nSecond paragraph about fares.\n\nThird one about piers.";
    let project = project(&[text]);
    let progress = Progress::default();
    let cancel = progress.clone();
    let empty = || Scripted::answer(json!({"spans": []}));
    let server = Server::start_with_hook(vec![empty(), empty(), empty()], move |n| {
        if n == 1 {
            cancel.cancel();
        }
    });
    let settings = LlmSettings { chunk_chars: 40, ..settings(&server.base) };
    let err = llm_suggest(&project, &docs(&project, &["a"]), &settings, &progress).unwrap_err();
    assert_eq!(err, LlmError::Cancelled);
    assert_eq!(server.requests().len(), 1, "no chunk sent after the cancel");
    assert_eq!(progress.get(), (1, 3));

    let progress = Progress::default();
    let cancel = progress.clone();
    let busy = Scripted::status(429, "busy").with_header("Retry-After", "30");
    let server = Server::start_with_hook(vec![busy], move |_| cancel.cancel());
    let started = Instant::now();
    let err = llm_suggest(&project, &docs(&project, &["a"]), &settings_for(&server), &progress).unwrap_err();
    assert_eq!(err, LlmError::Cancelled);
    assert!(started.elapsed() < Duration::from_secs(5), "the 30 s wait was cut short: {:?}", started.elapsed());
}

#[test]
fn a_server_that_does_not_answer_in_time_is_a_timeout() {
    // The server reads the request, then sits on it longer than the one-second limit.
    let server = Server::start_with_hook(vec![Scripted::answer(json!({"spans": []}))], |_| {
        std::thread::sleep(Duration::from_secs(4))
    });
    let project = project(&[ARTICLE]);
    let started = Instant::now();
    let err = run(&project, &["a"], &LlmSettings { timeout_secs: 1, ..settings(&server.base) }).unwrap_err();
    assert!(matches!(err, LlmError::Timeout { secs: 1, .. }), "{err:?}");
    assert!(err.to_string().contains("did not answer within 1 s"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(3), "gave up at the limit: {:?}", started.elapsed());
}

fn settings_for(server: &Server) -> LlmSettings {
    settings(&server.base)
}

#[test]
fn the_llm_is_never_a_default_recommender() {
    let defaults = factmark::session::suggestions::all_recommenders();
    assert!(!defaults.contains(&Recommender::Llm), "{defaults:?}");
    assert_eq!(defaults.len(), 6, "every local recommender stays in: {defaults:?}");
    assert!(!Recommender::Llm.learns());
    assert_eq!("llm".parse::<Recommender>(), Ok(Recommender::Llm));
}

// ---- through the binary ----

fn saved(dir: &std::path::Path, project: &Project) -> String {
    let path = dir.join("p.ron");
    factmark::store::save(project, &path).unwrap();
    path.display().to_string()
}

fn factmark(args: &[&str], key: Option<&str>) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_factmark"));
    cmd.args(args).env_remove("FACTMARK_LLM_URL").env_remove("FACTMARK_LLM_MODEL");
    match key {
        Some(key) => cmd.env("FACTMARK_LLM_API_KEY", key),
        None => cmd.env_remove("FACTMARK_LLM_API_KEY"),
    };
    cmd.output().unwrap()
}

const CLI_ANSWER: &str = r#"{"spans":[{"label":"Source","text":"Mayor Zoë Brandt"},{"label":"Claim","text":"carries 41,000 vehicles a day"}],"relations":[{"from":0,"to":1,"type":"attributed_to"}]}"#;

#[test]
fn the_command_line_prints_llm_suggestions_and_sends_the_key_only_when_set() {
    let dir = tempfile::tempdir().unwrap();
    let file = saved(dir.path(), &project(&[ARTICLE]));
    let server = Server::start(vec![Scripted::content(CLI_ANSWER), Scripted::content(CLI_ANSWER)]);
    let args = ["suggest", &file, "--doc", "a", "--llm", "--llm-url", &server.base, "--llm-model", "m", "--json"];
    let out = factmark(&args, Some("sk-test"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let rows: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows.iter().all(|r| r["recommender"] == "llm" && r["score"] == 0.5 && r["rule"] == "llm:m"), "{rows:?}");
    assert_eq!(rows[0]["text"], "Mayor Zoë Brandt");
    assert_eq!(rows[0]["relation"]["suggestion"], 1);
    assert!(
        stderr.contains(&format!("sent 1 chunk of 1 document to {}/chat/completions (model m)", server.base)),
        "{stderr}"
    );
    let out = factmark(&args, None);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let requests = server.requests();
    assert_eq!(requests[0].header("authorization"), Some("Bearer sk-test"));
    assert_eq!(requests[1].header("authorization"), None);
    assert_eq!(requests[0].body["model"], "m");
}

#[test]
fn the_command_line_without_a_server_refuses_and_says_how_to_set_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = saved(dir.path(), &project(&[ARTICLE]));
    let out = factmark(&["suggest", &file, "--llm"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no LLM server set: pass --llm-url or set FACTMARK_LLM_URL"), "{err}");
    let out = factmark(&["suggest", &file, "--recommenders", "cues,llm"], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("use --llm"), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn accept_all_with_the_llm_saves_its_spans_and_relation() {
    let dir = tempfile::tempdir().unwrap();
    let file = saved(dir.path(), &project(&[ARTICLE]));
    let server = Server::start(vec![Scripted::content(CLI_ANSWER)]);
    let args = ["suggest", &file, "--doc", "a", "--llm", "--llm-url", &server.base, "--llm-model", "m", "--accept-all"];
    let out = factmark(&args, None);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("accepted 2 suggestion(s) as spans and 1 relation(s)"), "{stdout}");
    let saved = factmark::store::load(std::path::Path::new(&file)).unwrap();
    let doc = saved.doc(&DocId("a".into())).unwrap();
    let spans: Vec<(String, String, String)> =
        doc.spans.iter().map(|s| (s.label.clone(), slice(ARTICLE, s.start, s.end), s.origin.clone())).collect();
    assert!(spans.contains(&("Source".into(), "Mayor Zoë Brandt".into(), "suggest:llm:m".into())), "{spans:?}");
    assert!(spans.contains(&("Claim".into(), "carries 41,000 vehicles a day".into(), "suggest:llm:m".into())));
    assert_eq!(doc.relations.len(), 1);
    assert_eq!(doc.relations[0].kind, "attributed_to");
}
