//! Reading a model's answer: the JSON text in `choices[0].message.content`, which must hold the spans and
//! relations the response schema asks for.

use serde::Deserialize;

/// What the model said about one chunk.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Answer {
    /// The spans, in the model's order (relations index into this list).
    pub spans: Vec<AnswerSpan>,
    /// Relations between the spans.
    #[serde(default)]
    pub relations: Vec<AnswerRelation>,
}

/// One span as the model returned it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AnswerSpan {
    /// The label, as the model spelled it.
    pub label: String,
    /// The words, meant to be copied from the chunk.
    pub text: String,
}

/// One relation as the model returned it.
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AnswerRelation {
    /// Index of the `from` span in [`Answer::spans`] (may be out of range: it is checked).
    pub from: i64,
    /// Index of the `to` span.
    pub to: i64,
    /// The relation type.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Why an answer cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    /// The HTTP body is not the JSON of a chat completion.
    #[error("the reply is not JSON: {0}")]
    NotJson(String),
    /// The body has no `choices[0].message.content` string.
    #[error("the reply has no choices[0].message.content text")]
    NoContent,
    /// The content is not the JSON object asked for.
    #[error("the model's answer is not the JSON asked for ({problem}); it began: {start:?}")]
    BadContent {
        /// What the JSON parser said.
        problem: String,
        /// The first characters of the content, to show what came instead.
        start: String,
    },
}

/// The content string of a chat completion's HTTP body.
pub fn content_of(body: &str) -> Result<String, AnswerError> {
    let value: serde_json::Value = serde_json::from_str(body).map_err(|e| AnswerError::NotJson(e.to_string()))?;
    value
        .pointer("/choices/0/message/content")
        .and_then(|c| c.as_str())
        .map(str::to_string)
        .ok_or(AnswerError::NoContent)
}

/// Parses the model's answer, tolerating a Markdown code fence around the JSON.
pub fn parse_answer(content: &str) -> Result<Answer, AnswerError> {
    let inner = unfence(content);
    serde_json::from_str(inner).map_err(|e| AnswerError::BadContent {
        problem: e.to_string(),
        start: content.trim().chars().take(80).collect(),
    })
}

/// `text` without a surrounding ```` ``` ```` or ```` ```json ```` fence.
fn unfence(text: &str) -> &str {
    let t = text.trim();
    let Some(rest) = t.strip_prefix("```") else { return t };
    // Drop the info string (`json`) up to the end of the fence line.
    let body = rest.find('\n').map_or("", |n| &rest[n + 1..]);
    body.trim_end().strip_suffix("```").unwrap_or(body).trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fenced_and_bare_answers_parse() {
        let bare = r#"{"spans":[{"label":"Claim","text":"a b"}],"relations":[{"from":0,"to":1,"type":"x"}]}"#;
        let fenced = format!("```json\n{bare}\n```\n");
        for content in [bare.to_string(), fenced, format!("```\n{bare}```")] {
            let a = parse_answer(&content).unwrap();
            assert_eq!(a.spans[0].text, "a b");
            assert_eq!(a.relations[0].kind, "x");
        }
        let no_relations = parse_answer(r#"{"spans":[]}"#).unwrap();
        assert!(no_relations.relations.is_empty());
    }

    #[test]
    fn bad_content_and_bodies_are_named() {
        let err = parse_answer("Sure! Here are the spans: Claim").unwrap_err();
        assert!(err.to_string().contains("Sure! Here"), "{err}");
        assert_eq!(content_of("{}"), Err(AnswerError::NoContent));
        assert!(matches!(content_of("<html>"), Err(AnswerError::NotJson(_))));
        let body = r#"{"choices":[{"message":{"role":"assistant","content":"{\"spans\":[]}"}}]}"#;
        assert_eq!(content_of(body).unwrap(), r#"{"spans":[]}"#);
    }
}
