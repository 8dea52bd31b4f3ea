//! CoNLL-2003 columns with IOB2 tags: `TOKEN -X- _ TAG…`, a blank line after each sentence and
//! `-DOCSTART- -X- -X- O` before each document. One tag column cannot hold overlapping spans, so by default
//! there is one column per label (lossless unless two spans of one label overlap); `--flat` writes a single
//! column where the longest span wins. Either way, spans that lose are counted in the summary.

use std::path::Path;

use super::{ExportDoc, ExportOptions, ExportSummary, FormatError, OutputFile};
use crate::model::{Schema, Span};
use crate::text::offsets::char_range_to_tokens;
use crate::text::tokens::Token;

/// One IOB2 tag. Borrowing the label keeps a million-token column from being a million strings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag<'s> {
    /// Outside every span.
    Outside,
    /// First token of a span with this label.
    Begin(&'s str),
    /// A later token of that span.
    Inside(&'s str),
}

impl Tag<'_> {
    fn write_to(self, out: &mut String) {
        match self {
            Tag::Outside => out.push('O'),
            Tag::Begin(label) => {
                out.push_str("B-");
                out.push_str(label);
            }
            Tag::Inside(label) => {
                out.push_str("I-");
                out.push_str(label);
            }
        }
    }
}

/// IOB2 tags for `tokens` from `spans`, longest span first; a span whose tokens are already taken loses.
/// Returns the tags and how many spans lost.
fn tag_column<'s>(tokens: &[Token], spans: &[&'s Span]) -> (Vec<Tag<'s>>, usize) {
    let mut order: Vec<&Span> = spans.to_vec();
    order.sort_by_key(|s| (std::cmp::Reverse(s.len()), s.start, s.id));
    let mut tags = vec![Tag::Outside; tokens.len()];
    let mut lost = 0;
    for s in order {
        let Some(t) = char_range_to_tokens(tokens, s.range()) else {
            lost += 1;
            continue;
        };
        if tags[t.first..=t.last].iter().any(|&tag| tag != Tag::Outside) {
            lost += 1;
            continue;
        }
        tags[t.first] = Tag::Begin(&s.label);
        for tag in &mut tags[t.first + 1..=t.last] {
            *tag = Tag::Inside(&s.label);
        }
    }
    (tags, lost)
}

/// The label columns: `options.labels` resolved against the schema, else every schema label.
fn columns(schema: &Schema, options: &ExportOptions) -> Vec<String> {
    match &options.labels {
        Some(names) => {
            names.iter().filter_map(|n| schema.label_ignore_case(n.trim()).map(|l| l.name.clone())).collect()
        }
        None => schema.labels.iter().map(|l| l.name.clone()).collect(),
    }
}

/// One `.conll` text file for all documents.
pub fn export(
    schema: &Schema,
    docs: &[ExportDoc<'_>],
    options: &ExportOptions,
    out: &Path,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    let labels = columns(schema, options);
    let width = if options.flat { 1 } else { labels.len() };
    let text_bytes: usize = docs.iter().map(|d| d.doc.text.len()).sum();
    // Each token's line repeats it plus ` -X- _` and a tag per column: about four times the text.
    let mut text = String::with_capacity(text_bytes * (3 + width));
    let mut lost = 0;
    for d in docs {
        let tokens = d.tokens();
        let cols: Vec<Vec<Tag>> = if options.flat {
            let (tags, l) = tag_column(tokens, &d.spans);
            lost += l;
            vec![tags]
        } else {
            labels
                .iter()
                .map(|label| {
                    let of_label: Vec<&Span> = d.spans.iter().copied().filter(|s| &s.label == label).collect();
                    let (tags, l) = tag_column(tokens, &of_label);
                    lost += l;
                    tags
                })
                .collect()
        };
        text.push_str("-DOCSTART- -X- -X-");
        text.push_str(&" O".repeat(width));
        text.push_str("\n\n");
        let mut next = 0;
        for sentence in d.sentences() {
            let first = next;
            while next < tokens.len() && tokens[next].start < sentence.end {
                next += 1;
            }
            if first == next {
                continue;
            }
            for i in first..next {
                text.push_str(d.token_text(&tokens[i]));
                text.push_str(" -X- _");
                for col in &cols {
                    text.push(' ');
                    col[i].write_to(&mut text);
                }
                text.push('\n');
            }
            text.push('\n');
        }
    }
    if options.flat {
        summary.drop(lost, "spans overlapping a longer span (--flat keeps the longest)");
    } else {
        summary.drop(lost, "spans overlapping a longer span of the same label");
    }
    summary.spans -= lost.min(summary.spans);
    summary.drop(summary.relations, "relations (CoNLL has no relations)");
    summary.relations = 0;
    if !options.flat {
        summary.warn(labels.len(), format!("tag columns, in this order: {}", labels.join(", ")));
    }
    Ok(vec![OutputFile { path: out.to_path_buf(), bytes: text.into_bytes() }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CharIdx, SpanId};
    use crate::text::tokens::tokenize;

    #[test]
    fn the_longest_span_wins_a_shared_column() {
        let text = "Ann said the plan works.";
        let tokens = tokenize(text);
        let outer = Span::new(SpanId(1), CharIdx(0)..CharIdx(23), "Claim", "");
        let inner = Span::new(SpanId(2), CharIdx(0)..CharIdx(3), "Source", "");
        let after = Span::new(SpanId(3), CharIdx(23)..CharIdx(24), "Opinion", "");
        let (tags, lost) = tag_column(&tokens, &[&inner, &outer, &after]);
        let tags: Vec<String> = tags
            .into_iter()
            .map(|tag| {
                let mut s = String::new();
                tag.write_to(&mut s);
                s
            })
            .collect();
        assert_eq!(tags, ["B-Claim", "I-Claim", "I-Claim", "I-Claim", "I-Claim", "B-Opinion"]);
        assert_eq!(lost, 1);
    }
}
