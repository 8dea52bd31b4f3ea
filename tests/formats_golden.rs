//! Golden files: the whole test project (the reference sentence plus a CRLF-origin document with an astral
//! emoji, combining accents, curly quotes, em dashes, nested Source-in-Claim spans and relations) exported
//! in every format and compared byte for byte with tests/golden/. The golden files were checked by hand
//! against /work/shared/formats; regenerate with `UPDATE_GOLDEN=1 cargo test --test formats_golden` and
//! review the diff.

mod formats_support;

use std::fs;
use std::path::{Path, PathBuf};

use factmark::formats::{DoccanoUnits, ExportOptions, Format};
use factmark::model::CharIdx;
use factmark::text::offsets::OffsetMap;
use formats_support::{export, file, find, golden_project};
use serde_json::Value;

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

/// Exports `format` with `options` to the golden name `name` and compares every file with the golden copy.
fn check(format: Format, options: &ExportOptions, name: &str) -> factmark::formats::Export {
    let project = golden_project();
    let out = PathBuf::from(name);
    let export = export(&project, format, options, &out);
    for f in &export.files {
        let golden = golden_dir().join(&f.path);
        if std::env::var_os("UPDATE_GOLDEN").is_some() {
            fs::create_dir_all(golden.parent().unwrap()).unwrap();
            fs::write(&golden, &f.bytes).unwrap();
        }
        let expected = fs::read(&golden).unwrap_or_else(|e| panic!("{}: {e}", golden.display()));
        assert!(
            expected == f.bytes,
            "{} differs from the golden file:\n--- ours\n{}\n--- golden\n{}",
            f.path.display(),
            String::from_utf8_lossy(&f.bytes),
            String::from_utf8_lossy(&expected)
        );
    }
    export
}

fn lines(bytes: &str) -> Vec<Value> {
    bytes.lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn doccano_counts_utf16_units_by_default_and_chars_on_request() {
    let utf16 = check(Format::Doccano, &ExportOptions::default(), "doccano.jsonl");
    let chars = check(
        Format::Doccano,
        &ExportOptions { doccano_units: DoccanoUnits::Chars, ..ExportOptions::default() },
        "doccano_chars.jsonl",
    );
    let project = golden_project();
    let text = &project.documents[1].text;
    let opinion = find(text, "the minister’s plan");
    let u = &lines(&file(&utf16, Path::new("doccano.jsonl")))[1];
    let c = &lines(&file(&chars, Path::new("doccano_chars.jsonl")))[1];
    // After the emoji (one char, two UTF-16 units) the two units differ by exactly one.
    let find_label =
        |row: &Value, label: &str| row["label"].as_array().unwrap().iter().find(|l| l[2] == label).unwrap().clone();
    assert_eq!(find_label(c, "Opinion")[0], opinion.start.0);
    assert_eq!(find_label(u, "Opinion")[0], opinion.start.0 + 1);
    assert_eq!(find_label(u, "Source")[0], 0, "before the emoji both agree");
    // JavaScript's String.slice on UTF-16 units gives the span's text.
    let (s, e) = (find_label(u, "Opinion")[0].as_u64().unwrap(), find_label(u, "Opinion")[1].as_u64().unwrap());
    let units: Vec<u16> = text.encode_utf16().collect();
    assert_eq!(String::from_utf16(&units[s as usize..e as usize]).unwrap(), "the minister’s plan is “reckless”");
    assert_eq!(u["author"], "A. Writer");
    assert_eq!(u["doc_id"], "minister-plan");
    assert_eq!(utf16.summary.relations, 0);
    assert_eq!(utf16.summary.dropped[0].0, 3, "relations cannot be written in sequence labelling");
}

#[test]
fn doccano_rel_golden() {
    let export = check(Format::DoccanoRel, &ExportOptions::default(), "doccano_rel.jsonl");
    let row = &lines(&file(&export, Path::new("doccano_rel.jsonl")))[1];
    let entities = row["entities"].as_array().unwrap();
    for rel in row["relations"].as_array().unwrap() {
        let from = &entities[rel["from_id"].as_u64().unwrap() as usize];
        assert_eq!(from["label"], "Source");
    }
    assert_eq!(export.summary.relations, 3);
}

#[test]
fn labelstudio_golden() {
    let export = check(Format::LabelStudio, &ExportOptions::default(), "labelstudio.json");
    assert_eq!(export.files[1].path, Path::new("labelstudio_config.xml"));
    let tasks: Value = serde_json::from_str(&file(&export, Path::new("labelstudio.json"))).unwrap();
    let text = tasks[1]["data"]["text"].as_str().unwrap();
    let map = OffsetMap::new(text);
    for r in tasks[1]["annotations"][0]["result"].as_array().unwrap() {
        if r["type"] == "labels" {
            let (s, e) = (r["value"]["start"].as_u64().unwrap(), r["value"]["end"].as_u64().unwrap());
            let slice = map.slice(CharIdx(s as usize)..CharIdx(e as usize)).unwrap();
            assert_eq!(r["value"]["text"], slice, "Label Studio counts code points");
        }
    }
}

#[test]
fn spacy_golden() {
    check(Format::Spacy, &ExportOptions::default(), "spacy.jsonl");
}

#[test]
fn prodigy_golden_and_heads_are_last_tokens() {
    let export = check(Format::Prodigy, &ExportOptions::default(), "prodigy.jsonl");
    let row = &lines(&file(&export, Path::new("prodigy.jsonl")))[1];
    for rel in row["relations"].as_array().unwrap() {
        assert_eq!(rel["head"], rel["head_span"]["token_end"]);
        assert_eq!(rel["child"], rel["child_span"]["token_end"]);
    }
    let tokens = row["tokens"].as_array().unwrap();
    for span in row["spans"].as_array().unwrap() {
        let first = &tokens[span["token_start"].as_u64().unwrap() as usize];
        let last = &tokens[span["token_end"].as_u64().unwrap() as usize];
        assert_eq!((first["start"].clone(), last["end"].clone()), (span["start"].clone(), span["end"].clone()));
    }
    assert!(export.summary.warnings.is_empty(), "every span is on token edges");
}

#[test]
fn brat_golden_has_lf_text_notes_and_attributes() {
    let export = check(Format::Brat, &ExportOptions::default(), "brat");
    let txt = file(&export, Path::new("brat/minister-plan.txt"));
    assert!(!txt.contains('\r'));
    let ann = file(&export, Path::new("brat/minister-plan.ann"));
    assert!(ann.contains("\tAnnotatorNotes T"), "{ann}");
    assert!(ann.contains("\tcheck_worthy T"), "{ann}");
    assert!(ann.contains("\tverdict T"), "{ann}");
}

#[test]
fn csv_golden_quotes_properly() {
    let export = check(Format::Csv, &ExportOptions::default(), "csv");
    let spans = file(&export, Path::new("csv/spans.csv"));
    assert!(spans.contains("\"strong, \"\"loaded\"\" word\""), "{spans}");
    let rows: Vec<csv::StringRecord> =
        csv::Reader::from_reader(spans.as_bytes()).records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 6);
}

#[test]
fn conll_golden_per_label_and_flat() {
    let per_label = check(Format::Conll, &ExportOptions::default(), "conll.txt");
    assert!(per_label.summary.dropped.iter().all(|(_, why)| why.starts_with("relations")));
    assert_eq!(per_label.summary.spans, 6, "one column per label loses nothing here");
    let flat = check(Format::Conll, &ExportOptions { flat: true, ..ExportOptions::default() }, "conll_flat.txt");
    assert_eq!(flat.summary.spans, 4, "the two Sources nested in Claims lose");
    let text = file(&per_label, Path::new("conll.txt"));
    assert!(text.contains("Zoe\u{308} -X- _ B-Claim O B-Source\n"), "{text}");
}

#[test]
fn sentences_golden_jsonl_and_csv() {
    let export = check(Format::Sentences, &ExportOptions::default(), "sentences.jsonl");
    check(Format::Sentences, &ExportOptions::default(), "sentences.csv");
    let rows = lines(&file(&export, Path::new("sentences.jsonl")));
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0]["has_claim"], true);
    assert_eq!(rows[1]["subjective"], true);
    assert_eq!(rows[2]["subjective"], false);
    assert_eq!(rows[2]["has_source"], true);
}

#[test]
fn an_empty_selection_still_writes_headers() {
    let project = golden_project();
    let filter = factmark::formats::Filter {
        statuses: Some(vec![factmark::model::DocStatus::Todo]),
        ..factmark::formats::Filter::default()
    };
    let out = Path::new("s.csv");
    let export = formats_support::export_filtered(&project, &filter, Format::Sentences, out);
    assert_eq!(file(&export, out), "doc,sentence,start,end,text,subjective,has_claim,has_source\r\n");
    let export = formats_support::export_filtered(&project, &filter, Format::Csv, Path::new("t"));
    assert!(file(&export, Path::new("t/spans.csv")).starts_with("doc,span_id,label,start,end,text,"));
    assert_eq!(export.summary.documents, 0);
}
