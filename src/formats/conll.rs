//! CoNLL-2003 columns with IOB2 tags: `TOKEN -X- _ TAG…`, a blank line after each sentence and
//! `-DOCSTART- -X- -X- O` before each document. One tag column cannot hold overlapping spans, so by default
//! there is one column per label (lossless unless two spans of one label overlap); `--flat` writes a single
//! column where the longest span wins. Either way, spans that lose are counted in the summary.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Destination, ExportDoc, ExportOptions, ExportSummary, FileOut, FormatError, OutputFile};
use crate::model::{Schema, Span};
use crate::text::offsets::char_range_to_tokens;
use crate::text::tokens::Token;

/// A tag column as the runs of tokens its winning spans cover: `(first token, last token, label)`, sorted
/// and disjoint. Runs rather than a tag per token: three columns of a million tokens were most of the time.
type Runs<'s> = Vec<(usize, usize, &'s str)>;

/// The runs of one tag column from `spans`, longest span first; a span whose tokens are already taken
/// loses. Returns the runs and how many spans lost.
fn tag_column<'s>(tokens: &[Token], spans: &[&'s Span]) -> (Runs<'s>, usize) {
    let mut order: Vec<&Span> = spans.to_vec();
    order.sort_by_key(|s| (std::cmp::Reverse(s.len()), s.start, s.id));
    let mut taken: BTreeMap<usize, (usize, &'s str)> = BTreeMap::new();
    let mut lost = 0;
    for s in order {
        let Some(t) = char_range_to_tokens(tokens, s.range()) else {
            lost += 1;
            continue;
        };
        // The runs taken so far are disjoint, so if any overlaps this one, the last to start at or before
        // its last token does.
        if taken.range(..=t.last).next_back().is_some_and(|(_, &(last, _))| last >= t.first) {
            lost += 1;
            continue;
        }
        taken.insert(t.first, (t.last, s.label.as_str()));
    }
    (taken.into_iter().map(|(first, (last, label))| (first, last, label)).collect(), lost)
}

/// Writes the IOB2 tag of token `i` from `runs`, where `next` is the first run not yet passed (tokens are
/// asked for in order).
fn write_tag(runs: &Runs<'_>, next: &mut usize, i: usize, out: &mut Vec<u8>) {
    while runs.get(*next).is_some_and(|&(_, last, _)| last < i) {
        *next += 1;
    }
    match runs.get(*next) {
        Some(&(first, _, label)) if first == i => {
            out.extend_from_slice(b"B-");
            out.extend_from_slice(label.as_bytes());
        }
        Some(&(first, _, label)) if first < i => {
            out.extend_from_slice(b"I-");
            out.extend_from_slice(label.as_bytes());
        }
        _ => out.push(b'O'),
    }
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
    dest: &dyn Destination,
    summary: &mut ExportSummary,
) -> Result<Vec<OutputFile>, FormatError> {
    let labels = columns(schema, options);
    let width = if options.flat { 1 } else { labels.len() };
    let text_bytes: usize = docs.iter().map(|d| d.doc.text.len()).sum();
    // Each token's line repeats it plus ` -X- _` and a tag per column: about four times the text.
    let mut file = FileOut::open(dest, out.to_path_buf(), text_bytes * (3 + width))?;
    let mut lost = 0;
    for d in docs {
        let tokens = d.tokens();
        let cols: Vec<Runs> = if options.flat {
            let (runs, l) = tag_column(tokens, &d.spans);
            lost += l;
            vec![runs]
        } else {
            labels
                .iter()
                .map(|label| {
                    let of_label: Vec<&Span> = d.spans.iter().copied().filter(|s| &s.label == label).collect();
                    let (runs, l) = tag_column(tokens, &of_label);
                    lost += l;
                    runs
                })
                .collect()
        };
        let text = file.buf();
        text.extend_from_slice(b"-DOCSTART- -X- -X-");
        text.extend_from_slice(" O".repeat(width).as_bytes());
        text.extend_from_slice(b"\n\n");
        let mut next_run = vec![0; cols.len()];
        let mut next = 0;
        for sentence in d.sentences() {
            let first = next;
            while next < tokens.len() && tokens[next].start < sentence.end {
                next += 1;
            }
            if first == next {
                continue;
            }
            for (i, token) in tokens.iter().enumerate().take(next).skip(first) {
                text.extend_from_slice(d.token_text(token).as_bytes());
                text.extend_from_slice(b" -X- _");
                for (runs, run) in cols.iter().zip(&mut next_run) {
                    text.push(b' ');
                    write_tag(runs, run, i, text);
                }
                text.push(b'\n');
            }
            text.push(b'\n');
        }
        file.row_done()?;
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
    Ok(vec![file.finish()?])
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
        let (runs, lost) = tag_column(&tokens, &[&inner, &outer, &after]);
        let mut next = 0;
        let tags: Vec<String> = (0..tokens.len())
            .map(|i| {
                let mut s = Vec::new();
                write_tag(&runs, &mut next, i, &mut s);
                String::from_utf8(s).expect("UTF-8")
            })
            .collect();
        assert_eq!(tags, ["B-Claim", "I-Claim", "I-Claim", "I-Claim", "I-Claim", "B-Opinion"]);
        assert_eq!(lost, 1);
    }
}
