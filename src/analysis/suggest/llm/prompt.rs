//! What a model is told: the schema's labels and guidelines, a few sentences the project's annotators
//! labelled (never from the document being annotated), the chunk, and the JSON shape to answer in.

use serde_json::{Value, json};

use crate::model::{DocId, Project, ReviewState, Schema};
use crate::text::offsets::OffsetMap;
use crate::text::tokens::sentences;

/// At most this many labelled sentences are shown as examples.
const EXAMPLES: usize = 3;
/// Longer sentences are not used as examples: they would crowd the request.
const EXAMPLE_CHARS: usize = 400;

/// Examples are looked for in at most this many labelled documents, so a run over a large project does not
/// split every other document into sentences once per document it annotates.
const EXAMPLE_DOCS: usize = 50;

/// The name the response schema is sent under.
pub const SCHEMA_NAME: &str = "factmark_annotations";

/// One labelled sentence to show the model, with the answer an annotator gave.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    /// The sentence.
    pub text: String,
    /// The answer JSON for it (`{"spans":[…],"relations":[…]}`).
    pub answer: Value,
}

/// The system message: what to mark, the guidelines, the relation types and the rules of the answer.
pub fn system_message(schema: &Schema) -> String {
    let mut out = String::from(
        "You annotate news articles for a fact-checking dataset. Mark the spans of text that fit these labels:\n",
    );
    for label in &schema.labels {
        out.push_str(&format!("- {}", label.name));
        if !label.guideline.trim().is_empty() {
            out.push_str(&format!(": {}", label.guideline.trim()));
        }
        out.push('\n');
    }
    if !schema.relation_types.is_empty() {
        out.push_str("Relations between spans:\n");
        for r in &schema.relation_types {
            let ends = |l: &[String]| if l.is_empty() { "any label".to_string() } else { l.join(" or ") };
            out.push_str(&format!("- {}: from {} to {}", r.name, ends(&r.from), ends(&r.to)));
            if !r.guideline.trim().is_empty() {
                out.push_str(&format!(" ({})", r.guideline.trim()));
            }
            out.push('\n');
        }
    }
    out.push_str(
        "Answer with JSON only: {\"spans\":[{\"label\":\"…\",\"text\":\"…\"}],\"relations\":[{\"from\":0,\"to\":1,\"type\":\"…\"}]}. \
         Copy each span's text exactly, word for word, from the text you are given; do not paraphrase. \
         In relations, from and to are positions in your spans list, counted from 0. \
         If nothing fits, answer {\"spans\":[],\"relations\":[]}.",
    );
    out
}

/// Up to three sentences the annotators labelled in documents other than `exclude`: first ones that show
/// a label not shown yet, then any. Rejected spans are left out; a sentence shows only the spans and
/// relations wholly inside it.
pub fn examples(project: &Project, exclude: &DocId) -> Vec<Example> {
    let mut candidates: Vec<(Example, Vec<String>)> = Vec::new();
    let mut shown: Vec<String> = Vec::new();
    let mut picked: Vec<Example> = Vec::new();
    for doc in project.documents.iter().filter(|d| &d.id != exclude && !d.spans.is_empty()).take(EXAMPLE_DOCS) {
        let map = OffsetMap::new(&doc.text);
        for sentence in sentences(&doc.text) {
            if sentence.end.0 - sentence.start.0 > EXAMPLE_CHARS {
                continue;
            }
            let inside: Vec<&crate::model::Span> = doc
                .spans
                .iter()
                .filter(|s| s.review != ReviewState::Rejected && s.start >= sentence.start && s.end <= sentence.end)
                .collect();
            if inside.is_empty() {
                continue;
            }
            let Ok(text) = map.slice(sentence.clone()) else { continue };
            let mut spans = Vec::new();
            for s in &inside {
                let Ok(words) = map.slice(s.range()) else { continue };
                spans.push(json!({"label": s.label, "text": words}));
            }
            let index = |id| inside.iter().position(|s| s.id == id);
            let relations: Vec<Value> = doc
                .relations
                .iter()
                .filter_map(|r| Some(json!({"from": index(r.from)?, "to": index(r.to)?, "type": r.kind})))
                .collect();
            let labels: Vec<String> = inside.iter().map(|s| s.label.clone()).collect();
            let example = Example { text: text.to_string(), answer: json!({"spans": spans, "relations": relations}) };
            if labels.iter().any(|l| !shown.contains(l)) && picked.len() < EXAMPLES {
                shown.extend(labels);
                picked.push(example);
            } else if candidates.len() < EXAMPLES {
                candidates.push((example, labels));
            }
            if picked.len() == EXAMPLES {
                return picked;
            }
        }
    }
    picked.extend(candidates.into_iter().map(|(e, _)| e).take(EXAMPLES - picked.len()));
    picked
}

/// The chat messages for one chunk: the system message, each example as a user/assistant pair, then the
/// chunk.
pub fn messages(schema: &Schema, examples: &[Example], chunk: &str) -> Vec<Value> {
    let mut out = vec![json!({"role": "system", "content": system_message(schema)})];
    for e in examples {
        out.push(json!({"role": "user", "content": e.text}));
        out.push(json!({"role": "assistant", "content": e.answer.to_string()}));
    }
    out.push(json!({"role": "user", "content": chunk}));
    out
}

/// The `response_format` asking for the answer's JSON shape, with the schema's labels and relation types
/// as the only allowed values.
pub fn response_format(schema: &Schema) -> Value {
    let labels: Vec<&str> = schema.labels.iter().map(|l| l.name.as_str()).collect();
    let types: Vec<&str> = schema.relation_types.iter().map(|r| r.name.as_str()).collect();
    // An empty enum allows nothing and some servers reject it; without relation types any string is
    // allowed and every relation is then dropped as unknown.
    let kind = if types.is_empty() { json!({"type": "string"}) } else { json!({"type": "string", "enum": types}) };
    let label = if labels.is_empty() { json!({"type": "string"}) } else { json!({"type": "string", "enum": labels}) };
    json!({
        "type": "json_schema",
        "json_schema": {
            "name": SCHEMA_NAME,
            "strict": true,
            "schema": {
                "type": "object",
                "properties": {
                    "spans": {"type": "array", "items": {
                        "type": "object",
                        "properties": {"label": label, "text": {"type": "string"}},
                        "required": ["label", "text"],
                        "additionalProperties": false
                    }},
                    "relations": {"type": "array", "items": {
                        "type": "object",
                        "properties": {"from": {"type": "integer"}, "to": {"type": "integer"}, "type": kind},
                        "required": ["from", "to", "type"],
                        "additionalProperties": false
                    }}
                },
                "required": ["spans", "relations"],
                "additionalProperties": false
            }
        }
    })
}
