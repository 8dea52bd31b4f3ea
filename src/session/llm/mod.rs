//! LLM pre-annotation as a workflow: settings, the requests to an OpenAI-compatible server
//! (`POST {base}/chat/completions`), retries, progress and cancel. The prompt, chunks and the reading of
//! answers are the core's ([`crate::analysis::suggest::llm`]); this module only moves them over HTTP.
//!
//! Nothing is sent unless a server address is set and the user asked for it. A run either returns every
//! document's suggestions or an error: a document's suggestions are kept only once all its chunks were
//! answered, and any failure ends the run without a partial result.

mod client;

use std::fmt;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::analysis::suggest::DocSuggestions;
use crate::analysis::suggest::llm::{
    DocAnnotations, Report, chunks, content_of, examples, messages, parse_answer, response_format,
};
use crate::model::{Document, Project};
use crate::session::job::Progress;
use client::{Client, Failure, Reply};

/// The environment variable holding the server's base address (e.g. `http://localhost:11434/v1`).
pub const URL_ENV: &str = "FACTMARK_LLM_URL";
/// The environment variable holding the model name.
pub const MODEL_ENV: &str = "FACTMARK_LLM_MODEL";
/// Where the API key is read from unless the settings name another variable.
pub const DEFAULT_KEY_ENV: &str = "FACTMARK_LLM_API_KEY";
/// Retries after HTTP 429 before giving up.
const MAX_RETRIES: usize = 3;
/// The longest wait a `Retry-After` can impose, so a server cannot stall a run for hours.
const MAX_WAIT_SECS: u64 = 30;
/// The wait after a 429 without a usable `Retry-After`.
const DEFAULT_WAIT_SECS: u64 = 2;
/// How much of an error body is shown: enough for the server's message, not a whole HTML page.
const ERROR_CHARS: usize = 300;

/// Where and how to ask a model. The API key itself is never stored: only the name of the environment
/// variable that holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LlmSettings {
    /// Base address of the OpenAI-compatible API, up to and including `/v1`; empty = not set.
    pub base_url: String,
    /// Model name as the server knows it.
    pub model: String,
    /// Sampling temperature (0 = the most likely answer, the same every time on most servers).
    pub temperature: f32,
    /// Name of the environment variable holding the API key (sent only when that variable is set).
    pub api_key_env: String,
    /// Longest wait for a reply, in seconds (local models are slow on long chunks).
    pub timeout_secs: u64,
    /// Longest chunk of text per request, in chars.
    pub chunk_chars: usize,
}

impl Default for LlmSettings {
    fn default() -> Self {
        LlmSettings {
            base_url: String::new(),
            model: String::new(),
            temperature: 0.0,
            api_key_env: DEFAULT_KEY_ENV.to_string(),
            timeout_secs: 120,
            chunk_chars: 4000,
        }
    }
}

impl LlmSettings {
    /// The defaults with the server and model from `FACTMARK_LLM_URL` and `FACTMARK_LLM_MODEL`.
    pub fn from_env() -> LlmSettings {
        let var = |name| std::env::var(name).ok().map(|v: String| v.trim().to_string()).unwrap_or_default();
        LlmSettings { base_url: var(URL_ENV), model: var(MODEL_ENV), ..LlmSettings::default() }
    }

    /// Whether a server is set (nothing is ever sent otherwise).
    pub fn is_set(&self) -> bool {
        !self.base_url.trim().is_empty()
    }

    /// The API key from the environment variable the settings name, if it is set and not empty.
    fn api_key(&self) -> Option<String> {
        let name = self.api_key_env.trim();
        if name.is_empty() {
            return None;
        }
        std::env::var(name).ok().map(|k| k.trim().to_string()).filter(|k| !k.is_empty())
    }
}

/// The full address the text is sent to: `{base}/chat/completions` (a base already ending in
/// `/chat/completions` is taken as it is).
pub fn endpoint(settings: &LlmSettings) -> String {
    let base = settings.base_url.trim().trim_end_matches('/');
    if base.ends_with("/chat/completions") { base.to_string() } else { format!("{base}/chat/completions") }
}

/// Why a run gave no result.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    /// No server address.
    #[error("no LLM server set: pass --llm-url or set FACTMARK_LLM_URL (for Ollama: http://localhost:11434/v1)")]
    NotSet,
    /// No model name.
    #[error("no LLM model set: pass --llm-model or set FACTMARK_LLM_MODEL (for Ollama e.g. qwen2.5:7b-instruct)")]
    NoModel,
    /// The server answered with an error status.
    #[error("{url} answered HTTP {status} for {at}: {message}")]
    Status {
        /// The endpoint.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The server's explanation (its `error.message`, else the body), trimmed and shortened.
        message: String,
        /// Which document and chunk.
        at: String,
    },
    /// The server kept answering 429.
    #[error("{url} still answered HTTP 429 (too many requests) after {retries} retries, for {at}")]
    RateLimited {
        /// The endpoint.
        url: String,
        /// Retries made.
        retries: usize,
        /// Which document and chunk.
        at: String,
    },
    /// No connection, or it broke.
    #[error("could not reach the LLM server at {url} (for {at}): {reason}")]
    Unreachable {
        /// The endpoint.
        url: String,
        /// What went wrong.
        reason: String,
        /// Which document and chunk.
        at: String,
    },
    /// No reply in time.
    #[error(
        "the LLM server at {url} did not answer within {secs} s (for {at}); a slow local model may need a longer timeout"
    )]
    Timeout {
        /// The endpoint.
        url: String,
        /// The limit.
        secs: u64,
        /// Which document and chunk.
        at: String,
    },
    /// The reply was not what was asked for.
    #[error("the LLM server at {url} sent a reply factmark cannot read, for {at}: {problem}")]
    BadReply {
        /// The endpoint.
        url: String,
        /// What is wrong with it.
        problem: String,
        /// Which document and chunk.
        at: String,
    },
    /// The user cancelled; nothing is returned.
    #[error("cancelled")]
    Cancelled,
}

/// A finished run: every document's suggestions and what could not be used.
#[derive(Clone, Debug, PartialEq)]
pub struct LlmRun {
    /// Suggestions per document, in the order the documents were given (the shape
    /// [`crate::session::suggestions::suggest_documents`] returns).
    pub suggestions: Vec<DocSuggestions>,
    /// Counts: chunks, requests, retries, unaligned spans, unknown labels, dropped relations.
    pub report: Report,
    /// Where the text went.
    pub endpoint: String,
    /// The model asked.
    pub model: String,
    /// Documents sent.
    pub documents: usize,
}

impl LlmRun {
    /// The one line saying what was sent where, e.g. "sent 4 chunks of 2 documents to
    /// http://localhost:11434/v1/chat/completions (model qwen2.5)".
    pub fn sent_line(&self) -> String {
        let s = |n: usize| if n == 1 { "" } else { "s" };
        format!(
            "sent {} chunk{} of {} document{} to {} (model {})",
            self.report.chunks,
            s(self.report.chunks),
            self.documents,
            s(self.documents),
            self.endpoint,
            self.model
        )
    }
}

impl fmt::Display for LlmRun {
    /// The sent line, then one line per problem in the report.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.sent_line())?;
        for line in self.report.lines() {
            write!(f, "\n{line}")?;
        }
        Ok(())
    }
}

/// Asks the model of `settings` for suggestions on `docs` (documents of `project`), chunk by chunk.
/// `progress` counts chunks; a cancel is honoured between chunks and while waiting to retry, and gives
/// [`LlmError::Cancelled`].
pub fn llm_suggest(
    project: &Project,
    docs: &[&Document],
    settings: &LlmSettings,
    progress: &Progress,
) -> Result<LlmRun, LlmError> {
    if !settings.is_set() {
        return Err(LlmError::NotSet);
    }
    let model = settings.model.trim();
    if model.is_empty() {
        return Err(LlmError::NoModel);
    }
    let url = endpoint(settings);
    let client = Client::new(url.clone(), settings.api_key(), settings.timeout_secs);
    let format = response_format(&project.schema);
    let pieces: Vec<_> = docs.iter().map(|d| chunks(&d.text, settings.chunk_chars)).collect();
    let total: usize = pieces.iter().map(Vec::len).sum();
    progress.set(0, total as u64);
    let mut report = Report::default();
    let mut out = Vec::with_capacity(docs.len());
    for (doc, doc_chunks) in docs.iter().zip(&pieces) {
        let shown = examples(project, &doc.id);
        let mut collected = DocAnnotations::new(doc, &project.schema, model);
        for (i, chunk) in doc_chunks.iter().enumerate() {
            if progress.is_cancelled() {
                return Err(LlmError::Cancelled);
            }
            let at = format!("document {:?}, chunk {} of {}", doc.id.as_str(), i + 1, doc_chunks.len());
            let body = serde_json::json!({
                "model": model,
                "messages": messages(&project.schema, &shown, chunk.text),
                "temperature": settings.temperature,
                "response_format": format,
            });
            let reply = send(&client, &body, &url, &at, settings, progress, &mut report)?;
            let bad = |problem: String| LlmError::BadReply { url: url.clone(), problem, at: at.clone() };
            let content = content_of(&reply.body).map_err(|e| bad(e.to_string()))?;
            let answer = parse_answer(&content).map_err(|e| bad(e.to_string()))?;
            collected.add_chunk(chunk, &answer, &mut report);
            report.chunks += 1;
            progress.set(report.chunks as u64, total as u64);
        }
        out.push((doc.id.clone(), collected.finish(&mut report)));
    }
    Ok(LlmRun { suggestions: out, report, endpoint: url, model: model.to_string(), documents: docs.len() })
}

/// Sends one chunk's request, waiting and retrying after 429 (at most [`MAX_RETRIES`] times); any other
/// status but 2xx is an error.
fn send(
    client: &Client,
    body: &serde_json::Value,
    url: &str,
    at: &str,
    settings: &LlmSettings,
    progress: &Progress,
    report: &mut Report,
) -> Result<Reply, LlmError> {
    let mut retries = 0;
    loop {
        report.requests += 1;
        let reply = client.post(body).map_err(|f| match f {
            Failure::Timeout => {
                LlmError::Timeout { url: url.to_string(), secs: settings.timeout_secs, at: at.to_string() }
            }
            Failure::Unreachable(reason) => LlmError::Unreachable { url: url.to_string(), reason, at: at.to_string() },
        })?;
        match reply.status {
            200..=299 => return Ok(reply),
            429 if retries < MAX_RETRIES => {
                retries += 1;
                report.retries += 1;
                let secs = reply.retry_after.unwrap_or(DEFAULT_WAIT_SECS).min(MAX_WAIT_SECS);
                wait(Duration::from_secs(secs), progress)?;
            }
            429 => return Err(LlmError::RateLimited { url: url.to_string(), retries, at: at.to_string() }),
            status => {
                let message = error_message(&reply.body);
                return Err(LlmError::Status { url: url.to_string(), status, message, at: at.to_string() });
            }
        }
    }
}

/// Sleeps `time` in short steps so a cancel is seen within a tenth of a second.
fn wait(time: Duration, progress: &Progress) -> Result<(), LlmError> {
    let until = Instant::now() + time;
    while Instant::now() < until {
        if progress.is_cancelled() {
            return Err(LlmError::Cancelled);
        }
        std::thread::sleep(Duration::from_millis(100).min(until.saturating_duration_since(Instant::now())));
    }
    Ok(())
}

/// The server's explanation in an error body: OpenAI's `{"error":{"message":…}}`, a plain
/// `{"error":"…"}`, or else the body itself; trimmed, on one line, shortened.
fn error_message(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let from_json = parsed.as_ref().and_then(|v| {
        v.pointer("/error/message").or_else(|| v.get("error")).or_else(|| v.get("message")).and_then(|m| m.as_str())
    });
    let text = from_json.unwrap_or(body).split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        return "(no explanation in the reply)".to_string();
    }
    let mut short: String = text.chars().take(ERROR_CHARS).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}
