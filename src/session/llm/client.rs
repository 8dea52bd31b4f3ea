//! One POST to a chat-completions endpoint, with the status, `Retry-After` and body kept whatever the
//! status: ureq is told not to turn 4xx/5xx into errors, which would lose the server's explanation.

use std::time::Duration;

/// Longest connect wait: a server that does not accept a connection in this time is not coming.
const CONNECT_SECS: u64 = 15;

/// A reply of any status.
#[derive(Debug)]
pub(super) struct Reply {
    pub status: u16,
    /// `Retry-After` in seconds, when the server sent one in that form.
    pub retry_after: Option<u64>,
    pub body: String,
}

/// Why no reply arrived.
#[derive(Debug)]
pub(super) enum Failure {
    /// No answer within the time allowed.
    Timeout,
    /// Could not connect or the connection broke; the reason as ureq gives it.
    Unreachable(String),
}

/// An HTTP client for one endpoint.
pub(super) struct Client {
    agent: ureq::Agent,
    url: String,
    key: Option<String>,
}

impl Client {
    /// A client posting to `url`, with `Authorization: Bearer <key>` when `key` is given. `timeout_secs`
    /// bounds the wait for the reply and for its body (local models can take minutes); connecting is
    /// bounded by the smaller of it and [`CONNECT_SECS`].
    pub fn new(url: String, key: Option<String>, timeout_secs: u64) -> Client {
        let read = Duration::from_secs(timeout_secs.max(1));
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(Duration::from_secs(timeout_secs.clamp(1, CONNECT_SECS))))
            .timeout_recv_response(Some(read))
            .timeout_recv_body(Some(read))
            .build();
        Client { agent: config.into(), url, key }
    }

    /// Posts `body` as JSON.
    pub fn post(&self, body: &serde_json::Value) -> Result<Reply, Failure> {
        let mut request = self.agent.post(&self.url).header("Content-Type", "application/json");
        if let Some(key) = &self.key {
            request = request.header("Authorization", format!("Bearer {key}"));
        }
        let mut response = request.send(body.to_string()).map_err(failure)?;
        let status = response.status().as_u16();
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let body = response.body_mut().read_to_string().map_err(failure)?;
        Ok(Reply { status, retry_after, body })
    }
}

fn failure(err: ureq::Error) -> Failure {
    match err {
        ureq::Error::Timeout(_) => Failure::Timeout,
        ureq::Error::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => Failure::Timeout,
        other => Failure::Unreachable(other.to_string()),
    }
}
