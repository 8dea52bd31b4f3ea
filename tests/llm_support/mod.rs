//! A tiny OpenAI-compatible server for the LLM tests: it listens on 127.0.0.1 on a free port, records each
//! request (method, path, headers, JSON body) and answers scripted replies in order, one connection per
//! request (`Connection: close`). Plus the small projects the tests annotate.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use factmark::model::{CharIdx, DocId, Document, Project, Relation, RelationId, Span, SpanId};
use factmark::text::offsets::OffsetMap;

/// One reply to send.
#[derive(Clone, Debug)]
pub struct Scripted {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Scripted {
    /// A 200 chat completion whose message content is `content`.
    pub fn content(content: &str) -> Scripted {
        let body = serde_json::json!({
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}]
        });
        Scripted { status: 200, headers: Vec::new(), body: body.to_string() }
    }

    /// A 200 chat completion whose content is this JSON value.
    pub fn answer(answer: serde_json::Value) -> Scripted {
        Scripted::content(&answer.to_string())
    }

    /// Any status with a raw body.
    pub fn status(status: u16, body: &str) -> Scripted {
        Scripted { status, headers: Vec::new(), body: body.to_string() }
    }

    /// The same reply with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Scripted {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Header names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The messages of the request.
    pub fn messages(&self) -> &Vec<serde_json::Value> {
        self.body["messages"].as_array().expect("messages is an array")
    }

    /// The content of the last message (the chunk).
    pub fn chunk(&self) -> String {
        self.messages().last().and_then(|m| m["content"].as_str()).unwrap_or_default().to_string()
    }
}

/// A running fake server.
pub struct Server {
    /// Base address as a user would give it: `http://127.0.0.1:PORT/v1`.
    pub base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl Server {
    /// Starts a server answering `replies` in order (then 500s).
    pub fn start(replies: Vec<Scripted>) -> Server {
        Server::start_with_hook(replies, |_| {})
    }

    /// Like [`Server::start`], calling `hook(n)` (n = 1 for the first) when each request has been read,
    /// before it is answered.
    pub fn start_with_hook(replies: Vec<Scripted>, hook: impl Fn(usize) + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        std::thread::spawn(move || {
            let mut replies = replies.into_iter();
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let Some(request) = read_request(&stream) else { continue };
                let n = {
                    let mut all = seen.lock().unwrap();
                    all.push(request);
                    all.len()
                };
                hook(n);
                let reply = replies.next().unwrap_or_else(|| Scripted::status(500, "no more scripted replies"));
                write_reply(stream, &reply);
            }
        });
        Server { base: format!("http://127.0.0.1:{port}/v1"), requests }
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }
}

fn read_request(stream: &TcpStream) -> Option<Recorded> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        reader.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize =
        headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    let body = serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null);
    Some(Recorded { method, path, headers, body })
}

fn write_reply(mut stream: TcpStream, reply: &Scripted) {
    let mut head = format!(
        "HTTP/1.1 {} Scripted\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(reply.body.as_bytes());
    let _ = stream.flush();
}

/// A port nothing listens on (bound, then released).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// The char range of the `nth` (from 0) occurrence of `part` in `text`.
pub fn chars_of(text: &str, part: &str, nth: usize) -> std::ops::Range<CharIdx> {
    let byte = text.match_indices(part).nth(nth).unwrap_or_else(|| panic!("{part:?} #{nth} in {text:?}")).0;
    OffsetMap::new(text).char_range_from_bytes(byte..byte + part.len()).unwrap()
}

/// The text of a char range.
pub fn slice(text: &str, start: CharIdx, end: CharIdx) -> String {
    text.chars().skip(start.0).take(end.0 - start.0).collect()
}

/// An earlier article, labelled by hand: a Source linked to its Claim, and an Opinion.
pub const LABELLED: &str = "The port authority said the harbour handled 12 million tonnes in 2024.\n\n\
    “Nobody should be surprised,” wrote columnist Inès Fabre.";

/// A project with the default schema, the labelled article (id `earlier`) and `texts` unlabelled
/// (ids `a`, `b`, …).
pub fn project(texts: &[&str]) -> Project {
    let mut project = Project::new("llm test");
    let mut earlier = Document::new(DocId("earlier".into()), "Earlier", LABELLED);
    let source = Span::new(SpanId(1), chars_of(LABELLED, "The port authority", 0), "Source", "ana");
    let claim =
        Span::new(SpanId(2), chars_of(LABELLED, "the harbour handled 12 million tonnes in 2024", 0), "Claim", "ana");
    let opinion = Span::new(SpanId(3), chars_of(LABELLED, "Nobody should be surprised", 0), "Opinion", "ana");
    earlier.spans = vec![source, claim, opinion];
    earlier.relations =
        vec![Relation { id: RelationId(1), from: SpanId(1), to: SpanId(2), kind: "attributed_to".into() }];
    project.documents.push(earlier);
    for (i, text) in texts.iter().enumerate() {
        let id = ((b'a' + i as u8) as char).to_string();
        project.documents.push(Document::new(DocId(id.clone()), format!("Article {id}"), *text));
    }
    project.next_span_id = 4;
    project.next_relation_id = 2;
    project
}
