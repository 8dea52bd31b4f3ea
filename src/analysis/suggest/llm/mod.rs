//! Pre-annotation by a large language model: the pure part. What to send (the prompt and the JSON shape
//! of the answer), how to cut a document into chunks, and how to turn answers back into [`Suggestion`]s
//! at exact char offsets, counting what could not be used. No network here: the session layer sends the
//! requests and hands the answers to [`DocAnnotations`].

pub mod align;
pub mod answer;
pub mod chunks;
pub mod prompt;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt;

use crate::model::{CharIdx, Document, Schema, SpanId};

use super::{LinkTarget, Recommender, SuggestedLink, Suggestion};
pub use align::Aligner;
pub use answer::{Answer, AnswerError, AnswerRelation, AnswerSpan, content_of, parse_answer};
pub use chunks::{Chunk, chunks};
pub use prompt::{Example, examples, messages, response_format, system_message};

/// Score of every LLM suggestion. A chat model gives no probability for its spans, so all get the same
/// middle value: above the built-in cues (0.3), below the project's own rules (0.9).
pub const LLM_SCORE: f32 = 0.5;

/// The rule recorded on an LLM suggestion (and, once accepted, in the span's origin).
pub fn rule_name(model: &str) -> String {
    format!("llm:{model}")
}

/// What a run did and what it could not use.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Chunks sent.
    pub chunks: usize,
    /// HTTP requests made (chunks plus retries).
    pub requests: usize,
    /// Requests repeated after the server asked to wait (HTTP 429).
    pub retries: usize,
    /// Spans whose text could not be found in their chunk.
    pub unaligned: usize,
    /// Spans with a label the schema does not have.
    pub unknown_labels: usize,
    /// Those labels, as the model spelled them.
    pub unknown_label_names: BTreeSet<String>,
    /// Relations left out: a bad span index, a span that was left out, a type the schema does not have or
    /// does not allow between those labels, or no room (a suggestion carries one relation).
    pub dropped_relations: usize,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl Report {
    /// One sentence per problem, for people; empty when everything was used.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.unaligned > 0 {
            let verb = if self.unaligned == 1 { "was" } else { "were" };
            out.push(format!(
                "{} could not be found in the text ({verb} left out)",
                plural(self.unaligned, "span", "spans")
            ));
        }
        if self.unknown_labels > 0 {
            let names: Vec<&str> = self.unknown_label_names.iter().map(String::as_str).collect();
            let had = if self.unknown_labels == 1 { "span had a label" } else { "spans had labels" };
            out.push(format!("{} {had} not in the schema: {}", self.unknown_labels, names.join(", ")));
        }
        if self.dropped_relations > 0 {
            out.push(format!(
                "{} left out (bad span numbers, a span left out, or a type the schema does not allow)",
                plural(self.dropped_relations, "relation was", "relations were")
            ));
        }
        if self.retries > 0 {
            out.push(format!("the server asked to wait: {} after HTTP 429", plural(self.retries, "retry", "retries")));
        }
        out
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.lines().join("\n"))
    }
}

/// A span found in the document: its range and label (schema spelling).
#[derive(Clone, Debug, PartialEq, Eq)]
struct Found {
    start: CharIdx,
    end: CharIdx,
    label: String,
}

/// Collects one document's answers, chunk by chunk, into suggestions.
pub struct DocAnnotations<'a> {
    doc: &'a Document,
    schema: &'a Schema,
    rule: String,
    found: Vec<Found>,
    /// Relations between found spans (indices into `found`) with their schema type.
    links: Vec<(usize, usize, String)>,
}

impl<'a> DocAnnotations<'a> {
    /// Starts collecting for `doc`, whose suggestions will record `model` as their rule.
    pub fn new(doc: &'a Document, schema: &'a Schema, model: &str) -> DocAnnotations<'a> {
        DocAnnotations { doc, schema, rule: rule_name(model), found: Vec::new(), links: Vec::new() }
    }

    /// Adds the answer for `chunk` (a chunk of this document), counting in `report` what cannot be used.
    pub fn add_chunk(&mut self, chunk: &Chunk<'_>, answer: &Answer, report: &mut Report) {
        let mut aligner = Aligner::new(chunk.text);
        // Position in `found` of each of the answer's spans that was kept.
        let mut kept: Vec<Option<usize>> = Vec::with_capacity(answer.spans.len());
        for span in &answer.spans {
            let Some(label) = self.schema.label_ignore_case(span.label.trim()) else {
                report.unknown_labels += 1;
                report.unknown_label_names.insert(span.label.trim().to_string());
                kept.push(None);
                continue;
            };
            let Some(range) = aligner.find(&span.text, &label.name) else {
                report.unaligned += 1;
                kept.push(None);
                continue;
            };
            let (start, end) = (CharIdx(chunk.start.0 + range.start), CharIdx(chunk.start.0 + range.end));
            kept.push(Some(self.found.len()));
            self.found.push(Found { start, end, label: label.name.clone() });
        }
        for rel in &answer.relations {
            let end = |i: i64| usize::try_from(i).ok().and_then(|i| kept.get(i).copied().flatten());
            let kind = self
                .schema
                .relation_type(rel.kind.trim())
                .or_else(|| self.schema.relation_types.iter().find(|r| r.name.eq_ignore_ascii_case(rel.kind.trim())));
            match (end(rel.from), end(rel.to), kind) {
                (Some(from), Some(to), Some(def))
                    if from != to && def.allows(&self.found[from].label, &self.found[to].label) =>
                {
                    self.links.push((from, to, def.name.clone()));
                }
                _ => report.dropped_relations += 1,
            }
        }
    }

    /// The document's suggestions sorted by position, without those that repeat one of its spans (same
    /// range and label); relations point at the suggestion or at the span it repeats.
    pub fn finish(self, report: &mut Report) -> Vec<Suggestion> {
        let human: HashMap<(CharIdx, CharIdx, &str), SpanId> =
            self.doc.spans.iter().map(|s| ((s.start, s.end, s.label.as_str()), s.id)).collect();
        let mut order: Vec<usize> = (0..self.found.len())
            .filter(|&i| {
                let f = &self.found[i];
                !human.contains_key(&(f.start, f.end, f.label.as_str()))
            })
            .collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&self.found[a], &self.found[b]);
            (x.start, std::cmp::Reverse(x.end), &x.label).cmp(&(y.start, std::cmp::Reverse(y.end), &y.label))
        });
        let position: HashMap<usize, usize> = order.iter().enumerate().map(|(new, &old)| (old, new)).collect();
        let mut out: Vec<Suggestion> = order
            .iter()
            .map(|&i| Suggestion {
                start: self.found[i].start,
                end: self.found[i].end,
                label: self.found[i].label.clone(),
                rule: self.rule.clone(),
                recommender: Recommender::Llm,
                score: LLM_SCORE,
                relation: None,
            })
            .collect();
        let target = |i: usize| match position.get(&i) {
            Some(&p) => LinkTarget::Suggestion(p),
            None => {
                let f = &self.found[i];
                // Not kept means it repeats a human span, so the lookup succeeds.
                human
                    .get(&(f.start, f.end, f.label.as_str()))
                    .map_or(LinkTarget::Suggestion(usize::MAX), |&id| LinkTarget::Span(id))
            }
        };
        let mut seen: HashSet<(usize, usize, &str)> = HashSet::new();
        for (from, to, kind) in &self.links {
            if !seen.insert((*from, *to, kind.as_str())) {
                continue;
            }
            let link = |other, outgoing| Some(SuggestedLink { kind: kind.clone(), other, outgoing });
            // A suggestion carries one relation: on the `from` end if free, else on the `to` end.
            match (target(*from), target(*to)) {
                (LinkTarget::Suggestion(f), other) if out.get(f).is_some_and(|s| s.relation.is_none()) => {
                    out[f].relation = link(other, true);
                }
                (other, LinkTarget::Suggestion(t)) if out.get(t).is_some_and(|s| s.relation.is_none()) => {
                    out[t].relation = link(other, false);
                }
                (LinkTarget::Span(f), LinkTarget::Span(t))
                    if self.doc.relations.iter().any(|r| r.from == f && r.to == t && &r.kind == kind) => {}
                _ => report.dropped_relations += 1,
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DocId, Span};

    fn answer(json: &str) -> Answer {
        parse_answer(json).unwrap()
    }

    #[test]
    fn a_span_the_document_has_is_not_suggested_again_and_links_point_at_it() {
        let text = "Officials said the dam holds 2 million cubic metres. Officials also said it leaks.";
        let schema = Schema::default();
        let mut doc = Document::new(DocId("d".into()), "Dam", text);
        doc.spans.push(Span::new(SpanId(7), CharIdx(0)..CharIdx(9), "Source", "ana"));
        let mut found = DocAnnotations::new(&doc, &schema, "m");
        let mut report = Report::default();
        let chunk = Chunk { start: CharIdx(0), text };
        let reply = answer(
            r#"{"spans":[{"label":"Source","text":"Officials"},{"label":"Claim","text":"the dam holds 2 million cubic metres"},
            {"label":"Claim","text":"it leaks"}],
            "relations":[{"from":0,"to":1,"type":"attributed_to"},{"from":0,"to":2,"type":"attributed_to"},
            {"from":1,"to":0,"type":"attributed_to"}]}"#,
        );
        found.add_chunk(&chunk, &reply, &mut report);
        let out = found.finish(&mut report);
        assert_eq!(out.len(), 2, "the Source repeats span 7: {out:?}");
        assert_eq!(out[0].label, "Claim");
        for claim in &out {
            let link = claim.relation.as_ref().unwrap();
            assert_eq!((link.other, link.outgoing), (LinkTarget::Span(SpanId(7)), false));
        }
        // Claim → Source is not a direction the schema allows.
        assert_eq!(report.dropped_relations, 1);
        assert_eq!(
            report.lines(),
            ["1 relation was left out (bad span numbers, a span left out, or a type the schema does not allow)"]
        );
    }
}
