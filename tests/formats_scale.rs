//! 50k spans export in every format: every format copes with a project of that size. Speed is measured
//! by the benchmarks (the performance issue), not asserted here.

use std::path::Path;

use factmark::formats::{self, ExportDoc, ExportOptions, Format};
use factmark::model::{CharIdx, DocId, Document, Project, Relation, RelationId, Span, SpanId};

fn big_project() -> Project {
    let mut project = Project::new("big");
    let sentence = "Critics 😡 say the minister’s plan is “reckless”—officials disagree. ";
    let (mut span_id, mut rel_id) = (1, 1);
    for d in 0..10 {
        let text = sentence.repeat(2500);
        let mut doc = Document::new(DocId(format!("doc-{d}")), format!("Doc {d}"), text);
        let len = sentence.chars().count();
        for i in 0..2500 {
            let base = i * len;
            let source = Span::new(SpanId(span_id), CharIdx(base)..CharIdx(base + 7), "Source", "ana");
            let opinion = Span::new(SpanId(span_id + 1), CharIdx(base + 14)..CharIdx(base + 47), "Opinion", "ana");
            doc.relations.push(Relation {
                id: RelationId(rel_id),
                from: source.id,
                to: opinion.id,
                kind: "attributed_to".into(),
            });
            doc.spans.push(source);
            doc.spans.push(opinion);
            span_id += 2;
            rel_id += 1;
        }
        doc.spans.sort_by_key(Span::sort_key);
        project.documents.push(doc);
    }
    project.next_span_id = span_id;
    project.next_relation_id = rel_id;
    project
}

#[test]
fn fifty_thousand_spans_export_in_every_format() {
    let project = big_project();
    assert_eq!(project.span_count(), 50_000);
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    for format in Format::ALL {
        let export =
            formats::export(&project.schema, &docs, format, &ExportOptions::default(), Path::new("out")).unwrap();
        assert!(export.files.iter().map(|f| f.bytes.len()).sum::<usize>() > 0);
    }
}
