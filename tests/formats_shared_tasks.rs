//! The shared-task exports (CheckThat! subjectivity and check-worthiness, ClaimBuster, claims for
//! verification) on a small project whose sentences hold a tab and double quotes and whose check-worthy
//! claim crosses a line end: every file is read back with an RFC 4180 reader or serde_json, and the
//! header, ids, exact sentence texts, labels, speakers and claim records are checked.

mod formats_support;

use std::path::Path;
use std::process::Command;

use factmark::formats::{self, ExportDoc, ExportOptions, Format, TaskMapping};
use factmark::model::{AttrValue, DocId, Document, Project, Relation, RelationId, Span, SpanId};
use formats_support::find;
use serde_json::{Value, json};

/// Line 1: an opinion sentence with a tab and quotes, then a claim attributed to Ann Lee that is marked
/// not check-worthy. Lines 2–3: a check-worthy claim across the line end. Line 4: a plain sentence.
const TEXT: &str = "Critics call the \"reform\"\ta disaster. Ann Lee said the bridge cost \"$4 million\" last year.\nUnemployment fell to 3%\nin May.\nThe festival starts on Friday.";

/// The sentences of [`TEXT`], in order.
const SENTENCES: [&str; 5] = [
    "Critics call the \"reform\"\ta disaster.",
    "Ann Lee said the bridge cost \"$4 million\" last year.",
    "Unemployment fell to 3%",
    "in May.",
    "The festival starts on Friday.",
];

fn project() -> Project {
    let mut project = Project::new("shared tasks");
    let mut doc = Document::new(DocId("art-1".into()), "Budget", TEXT);
    doc.meta.date = "2026-03-01".into();
    doc.meta.url = "https://news.example/budget".into();
    let opinion = Span::new(SpanId(1), find(TEXT, "a disaster"), "Opinion", "ana");
    let source = Span::new(SpanId(2), find(TEXT, "Ann Lee"), "Source", "ana");
    let mut other = Span::new(SpanId(3), find(TEXT, "the bridge cost \"$4 million\" last year"), "Claim", "ana");
    other.attributes.insert("check_worthy".into(), AttrValue::Bool(false));
    let mut worthy = Span::new(SpanId(4), find(TEXT, "Unemployment fell to 3%\nin May"), "Claim", "ana");
    worthy.attributes.insert("check_worthy".into(), AttrValue::Bool(true));
    worthy.attributes.insert("verdict".into(), AttrValue::Text("accurate".into()));
    worthy.attributes.insert("evidence".into(), AttrValue::Text("https://stats.example/may".into()));
    worthy.note = "Matches the \"May\" bulletin".into();
    doc.spans = vec![opinion, source, other, worthy];
    doc.spans.sort_by_key(Span::sort_key);
    doc.relations = vec![Relation { id: RelationId(1), from: SpanId(2), to: SpanId(3), kind: "attributed_to".into() }];
    // A second document: its sentence ids count from 1 again.
    let second = Document::new(DocId("art-2".into()), "Short", "It works.");
    project.documents = vec![doc, second];
    project.next_span_id = 5;
    project.next_relation_id = 2;
    assert!(factmark::model::validate::problems(&project).is_empty());
    project
}

fn export(project: &Project, format: Format, options: &ExportOptions) -> formats::Export {
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    formats::export(&project.schema, &docs, format, options, Path::new("out")).unwrap()
}

/// The rows of a table (header included), read as RFC 4180 with `delimiter`.
fn rows(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(false).from_reader(bytes);
    reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect()
}

/// (id, text, label) of each row of a CheckThat! TSV, after checking its header.
fn checkthat(export: &formats::Export, header: [&str; 3]) -> Vec<(String, String, String)> {
    let table = rows(&export.files[0].bytes, b'\t');
    assert_eq!(table[0], header);
    table[1..].iter().map(|r| (r[0].clone(), r[1].clone(), r[2].clone())).collect()
}

/// The ids and texts every sentence table must have, in order.
fn expected_sentences() -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> =
        SENTENCES.iter().enumerate().map(|(i, s)| (format!("art-1-{}", i + 1), s.to_string())).collect();
    out.push(("art-2-1".into(), "It works.".into()));
    out
}

fn labels(rows: &[(String, String, String)]) -> Vec<&str> {
    rows.iter().map(|r| r.2.as_str()).collect()
}

#[test]
fn subjectivity_marks_opinion_sentences_and_keeps_texts_exact() {
    let export = export(&project(), Format::CheckthatSubjectivity, &ExportOptions::default());
    let rows = checkthat(&export, ["sentence_id", "sentence", "label"]);
    let ids_texts: Vec<(String, String)> = rows.iter().map(|r| (r.0.clone(), r.1.clone())).collect();
    assert_eq!(ids_texts, expected_sentences());
    assert_eq!(labels(&rows), ["SUBJ", "OBJ", "OBJ", "OBJ", "OBJ", "OBJ"]);
    // Plain sentences are written bare; the one with a tab and quotes is quoted.
    let text = String::from_utf8(export.files[0].bytes.clone()).unwrap();
    assert!(text.starts_with(
        "sentence_id\tsentence\tlabel\nart-1-1\t\"Critics call the \"\"reform\"\"\ta disaster.\"\tSUBJ\n"
    ));
    assert!(text.ends_with("art-2-1\tIt works.\tOBJ\n"), "{text}");
}

#[test]
fn another_subjectivity_mapping_changes_the_labels() {
    let mut options = ExportOptions::default();
    options.mapping.subjective_labels = vec!["opinion".into(), "Source".into()];
    let rows =
        checkthat(&export(&project(), Format::CheckthatSubjectivity, &options), ["sentence_id", "sentence", "label"]);
    assert_eq!(labels(&rows), ["SUBJ", "SUBJ", "OBJ", "OBJ", "OBJ", "OBJ"]);

    options.mapping.subjective_labels = vec!["Opnion".into()];
    let project = project();
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    let err = formats::export(&project.schema, &docs, Format::CheckthatSubjectivity, &options, Path::new("o"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("--subjective-labels: \"Opnion\" is not a label"), "{err}");
}

#[test]
fn checkworthiness_follows_the_attribute_and_every_claim_counts_without_it() {
    let header = ["sentence_id", "text", "class_label"];
    let export_default = export(&project(), Format::CheckthatCheckworthiness, &ExportOptions::default());
    let rows = checkthat(&export_default, header);
    let ids_texts: Vec<(String, String)> = rows.iter().map(|r| (r.0.clone(), r.1.clone())).collect();
    assert_eq!(ids_texts, expected_sentences());
    // The check-worthy claim crosses the line end, so both of its sentences are Yes.
    assert_eq!(labels(&rows), ["No", "No", "Yes", "Yes", "No", "No"]);
    assert!(export_default.summary.warnings.iter().all(|(_, w)| !w.contains("counted as check-worthy")));

    // No claim has a `priority` attribute: every claim counts, and the summary says so.
    let mut options = ExportOptions::default();
    options.mapping.check_worthy_attribute = "priority".into();
    let export_fallback = export(&project(), Format::CheckthatCheckworthiness, &options);
    assert_eq!(labels(&checkthat(&export_fallback, header)), ["No", "Yes", "Yes", "Yes", "No", "No"]);
    assert!(export_fallback.summary.warnings.iter().any(|(n, w)| *n == 2 && w.contains("\"priority\"")));

    // Claims under another label: none here, so every sentence is No.
    options.mapping.claim_label = "Opinion".into();
    assert_eq!(
        labels(&checkthat(&export(&project(), Format::CheckthatCheckworthiness, &options), header)),
        ["Yes", "No", "No", "No", "No", "No"]
    );
}

#[test]
fn claimbuster_rows_have_speaker_file_line_and_verdict() {
    let export = export(&project(), Format::Claimbuster, &ExportOptions::default());
    let text = String::from_utf8(export.files[0].bytes.clone()).unwrap();
    assert!(text.starts_with("Sentence_id,Text,Speaker,File_id,Line_number,Verdict\r\n"), "{text}");
    let table = rows(&export.files[0].bytes, b',');
    assert_eq!(table[0], ["Sentence_id", "Text", "Speaker", "File_id", "Line_number", "Verdict"]);
    let expected: Vec<Vec<String>> = [
        ["art-1-1", SENTENCES[0], "", "art-1", "1", "-1"],
        ["art-1-2", SENTENCES[1], "Ann Lee", "art-1", "2", "0"],
        ["art-1-3", SENTENCES[2], "", "art-1", "3", "1"],
        ["art-1-4", SENTENCES[3], "", "art-1", "4", "1"],
        ["art-1-5", SENTENCES[4], "", "art-1", "5", "-1"],
        ["art-2-1", "It works.", "", "art-2", "1", "-1"],
    ]
    .iter()
    .map(|r| r.iter().map(|f| f.to_string()).collect())
    .collect();
    assert_eq!(table[1..], expected[..]);
}

#[test]
fn claims_records_carry_verdict_note_evidence_speaker_and_origin() {
    let export = export(&project(), Format::Claims, &ExportOptions::default());
    let records: Value = serde_json::from_slice(&export.files[0].bytes).unwrap();
    let start = |needle: &str| find(TEXT, needle).start.0;
    let end = |needle: &str| find(TEXT, needle).end.0;
    let other = "the bridge cost \"$4 million\" last year";
    let worthy = "Unemployment fell to 3%\nin May";
    assert_eq!(
        records,
        json!([
            {
                "claim": other, "label": null, "justification": null, "evidence": null, "speaker": "Ann Lee",
                "claim_date": "2026-03-01", "original_claim_url": "https://news.example/budget",
                "doc": "art-1", "start": start(other), "end": end(other)
            },
            {
                "claim": worthy, "label": "accurate", "justification": "Matches the \"May\" bulletin",
                "evidence": "https://stats.example/may", "speaker": null,
                "claim_date": "2026-03-01", "original_claim_url": "https://news.example/budget",
                "doc": "art-1", "start": start(worthy), "end": end(worthy)
            }
        ])
    );
    assert_eq!(export.summary.spans, 2);
    assert!(export.summary.dropped.contains(&(2, "spans not labelled Claim (one record per claim)".to_string())));
}

#[test]
fn format_all_writes_the_four_shared_task_files() {
    let project = project();
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    let out = Path::new("bundle");
    let exports = formats::export_many(&project.schema, &docs, &Format::ALL, &ExportOptions::default(), out).unwrap();
    for (format, name) in [
        (Format::CheckthatSubjectivity, "checkthat_subjectivity.tsv"),
        (Format::CheckthatCheckworthiness, "checkthat_checkworthiness.tsv"),
        (Format::Claimbuster, "claimbuster.csv"),
        (Format::Claims, "claims.json"),
    ] {
        let (_, export) = exports.iter().find(|(f, _)| *f == format).unwrap();
        assert_eq!(export.files.len(), 1);
        assert_eq!(export.files[0].path, out.join(name));
        // The same bytes as the format exported alone.
        let alone =
            formats::export(&project.schema, &docs, format, &ExportOptions::default(), &out.join(name)).unwrap();
        assert_eq!(export.files[0].bytes, alone.files[0].bytes, "{format}");
    }
    assert_eq!(TaskMapping::default().subjective_labels, ["Opinion"]);
}

#[test]
fn the_command_line_writes_them_with_the_mapping_flags() {
    let dir = tempfile::tempdir().unwrap();
    let saved = dir.path().join("p.ron");
    factmark::store::save(&project(), &saved).unwrap();
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    };
    let folder = dir.path().join("all");
    run(&["export", saved.to_str().unwrap(), "--format", "all", "--out", folder.to_str().unwrap()]);
    for name in ["checkthat_subjectivity.tsv", "checkthat_checkworthiness.tsv", "claimbuster.csv", "claims.json"] {
        assert!(folder.join(name).is_file(), "{name}");
    }
    let tsv = dir.path().join("subj.tsv");
    run(&[
        "export",
        saved.to_str().unwrap(),
        "--format",
        "checkthat-subjectivity",
        "--subjective-labels",
        "Opinion,Source",
        "--out",
        tsv.to_str().unwrap(),
    ]);
    let table = rows(&std::fs::read(&tsv).unwrap(), b'\t');
    assert_eq!(
        table.iter().skip(1).map(|r| r[2].as_str()).collect::<Vec<_>>(),
        ["SUBJ", "SUBJ", "OBJ", "OBJ", "OBJ", "OBJ"]
    );
    let cw = dir.path().join("cw.tsv");
    run(&[
        "export",
        saved.to_str().unwrap(),
        "--format",
        "checkthat-checkworthiness",
        "--check-worthy-attribute",
        "priority",
        "--claim-label",
        "claim",
        "--out",
        cw.to_str().unwrap(),
    ]);
    let table = rows(&std::fs::read(&cw).unwrap(), b'\t');
    assert_eq!(
        table.iter().skip(1).map(|r| r[2].as_str()).collect::<Vec<_>>(),
        ["No", "Yes", "Yes", "Yes", "No", "No"]
    );
}
