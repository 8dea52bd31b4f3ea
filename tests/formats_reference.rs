//! The reference sentence of /work/shared/formats (copied to tests/golden/reference) exports to exactly the
//! reference offsets, token indices and field names in every format. The only allowed difference is label
//! case: factmark keeps the project's names ("Claim"), the reference writes "CLAIM". Extra keys factmark adds
//! (doc_id, words and spaces in spaCy, colours in the config) are allowed; every reference key must be present and equal.

mod formats_support;

use std::path::Path;

use factmark::formats::{ExportOptions, Filter, Format};
use factmark::model::DocStatus;
use formats_support::{export, export_filtered, file, golden_project, reference};
use serde_json::Value;

/// Upper-cases label names wherever they appear as whole strings, so they compare with the reference.
fn upper_labels(v: &mut Value) {
    match v {
        Value::String(s) if ["Claim", "Source", "Opinion"].contains(&s.as_str()) => *s = s.to_uppercase(),
        Value::Array(items) => items.iter_mut().for_each(upper_labels),
        Value::Object(map) => map.values_mut().for_each(upper_labels),
        _ => {}
    }
}

/// Every key and value of `expected` is in `actual` (objects may have more keys; arrays match in length).
fn assert_contains(actual: &Value, expected: &Value, at: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (key, ev) in e {
                let av = a.get(key).unwrap_or_else(|| panic!("{at}: missing key {key:?} in {actual}"));
                assert_contains(av, ev, &format!("{at}.{key}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{at}: lengths differ: {actual} vs {expected}");
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                assert_contains(av, ev, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(actual, expected, "{at}"),
    }
}

fn only_kursk() -> Filter {
    // kursk-1 is the only document marked done.
    Filter { statuses: Some(vec![DocStatus::Done]), ..Filter::default() }
}

fn first_json_line(text: &str) -> Value {
    let mut v: Value = serde_json::from_str(text.lines().next().unwrap()).unwrap();
    upper_labels(&mut v);
    v
}

fn check_jsonl(format: Format, reference_name: &str) {
    let project = golden_project();
    let out = Path::new("out.jsonl");
    let ours = file(&export_filtered(&project, &only_kursk(), format, out), out);
    assert_eq!(ours.lines().count(), 1);
    let expected: Value = serde_json::from_str(reference(reference_name).trim()).unwrap();
    assert_contains(&first_json_line(&ours), &expected, reference_name);
}

#[test]
fn doccano_sequence_labelling_matches_the_reference() {
    check_jsonl(Format::Doccano, "doccano_seq.jsonl");
}

#[test]
fn doccano_relations_match_the_reference() {
    check_jsonl(Format::DoccanoRel, "doccano.jsonl");
}

#[test]
fn spacy_matches_the_reference() {
    check_jsonl(Format::Spacy, "spacy.jsonl");
}

#[test]
fn prodigy_matches_the_reference_tokens_spans_and_relation_heads() {
    check_jsonl(Format::Prodigy, "prodigy.jsonl");
}

#[test]
fn labelstudio_matches_the_reference_up_to_region_ids() {
    let project = golden_project();
    let out = Path::new("tasks.json");
    let export = export_filtered(&project, &only_kursk(), Format::LabelStudio, out);
    let mut ours: Value = serde_json::from_str(&file(&export, out)).unwrap();
    upper_labels(&mut ours);
    let mut expected: Value = serde_json::from_str(&reference("labelstudio.json")).unwrap();
    // Region ids are free-form strings: the reference's are hand-made ("kursk-1-s1"), ours use span ids.
    // Check that the relation links the Source region to the Claim region, then compare without ids.
    let result = ours.pointer_mut("/0/annotations/0/result").unwrap().as_array_mut().unwrap();
    let id_of = |label: &str, result: &[Value]| {
        result.iter().find(|r| r.pointer("/value/labels/0").and_then(Value::as_str) == Some(label)).unwrap()["id"]
            .clone()
    };
    assert_eq!(result[2]["from_id"], id_of("SOURCE", result));
    assert_eq!(result[2]["to_id"], id_of("CLAIM", result));
    for value in [&mut ours, &mut expected] {
        for r in value.pointer_mut("/0/annotations/0/result").unwrap().as_array_mut().unwrap() {
            let obj = r.as_object_mut().unwrap();
            for key in ["id", "from_id", "to_id"] {
                obj.remove(key);
            }
        }
    }
    assert_contains(&ours, &expected, "labelstudio.json");
    let config = file(&export, Path::new("tasks_config.xml"));
    for needle in [
        "<View>",
        "<Labels name=\"label\" toName=\"text\">",
        "<Label value=\"Claim\"",
        "<Label value=\"Opinion\"",
        "<Label value=\"Source\"",
        "<Text name=\"text\" value=\"$text\"/>",
        "<Relations>\n    <Relation value=\"attributed_to\"/>\n  </Relations>",
        "</View>",
    ] {
        assert!(config.contains(needle), "config lacks {needle}:\n{config}");
    }
}

#[test]
fn brat_matches_the_reference_files() {
    let project = golden_project();
    let out = Path::new("brat");
    let export = export_filtered(&project, &only_kursk(), Format::Brat, out);
    assert_eq!(file(&export, &out.join("kursk-1.txt")), reference("brat/kursk-1.txt"));
    let ann = file(&export, &out.join("kursk-1.ann")).replace("\tSource ", "\tSOURCE ").replace("\tClaim ", "\tCLAIM ");
    assert_eq!(ann, reference("brat/kursk-1.ann"));
}

#[test]
fn flat_conll_matches_the_reference() {
    let project = golden_project();
    let (docs, _) = factmark::formats::select(&project, &only_kursk()).unwrap();
    let out = Path::new("out.conll");
    let options = ExportOptions { flat: true, ..ExportOptions::default() };
    let export = factmark::formats::export(&project.schema, &docs, Format::Conll, &options, out).unwrap();
    let ours = file(&export, out).replace("-Claim", "-CLAIM");
    assert_eq!(ours, reference("conll.txt"));
    // The Source inside the Claim cannot share the one column: dropped and reported.
    assert_eq!(export.summary.dropped[0].0, 1, "{:?}", export.summary.dropped);
    assert_eq!(export.summary.spans, 1);
}

#[test]
fn csv_matches_the_reference_columns() {
    let project = golden_project();
    let out = Path::new("tables");
    let export = export_filtered(&project, &only_kursk(), Format::Csv, out);
    let read = |text: String| -> Vec<csv::StringRecord> {
        csv::Reader::from_reader(text.as_bytes()).records().map(Result::unwrap).collect()
    };
    let header = |text: &str| text.lines().next().unwrap().trim_end().to_string();
    let spans = file(&export, &out.join("spans.csv"));
    assert!(spans.contains("\r\n"), "CRLF record ends as the reference");
    assert!(header(&spans).starts_with("doc,span_id,label,start,end,text"));
    let ours = read(spans);
    let expected = read(reference("spans.csv"));
    assert_eq!(ours.len(), expected.len());
    for (o, e) in ours.iter().zip(&expected) {
        assert_eq!(o[0], e[0]);
        assert_eq!(o[2].to_uppercase(), e[2]);
        assert_eq!((&o[3], &o[4], &o[5]), (&e[3], &e[4], &e[5]));
    }
    let relations = file(&export, &out.join("relations.csv"));
    assert_eq!(header(&relations), header(&reference("relations.csv")));
    let rel = &read(relations)[0];
    assert_eq!((&rel[0], &rel[1], &rel[2], &rel[3]), ("kursk-1", "1", "2", "attributed_to"));
}

#[test]
fn expected_spans_match() {
    let project = golden_project();
    let out = Path::new("out.jsonl");
    let row = first_json_line(&file(&export_filtered(&project, &only_kursk(), Format::Spacy, out), out));
    let expected: Value = serde_json::from_str(&reference("expected.json")).unwrap();
    for (e, ours) in expected.as_array().unwrap().iter().zip(row["spans"].as_array().unwrap()) {
        for key in ["start", "end", "label", "text"] {
            assert_eq!(ours[key], e[key], "{key}");
        }
    }
    // The whole project exports too (the full files are checked in formats_golden).
    let all = export(&project, Format::Spacy, &ExportOptions::default(), out);
    assert_eq!(all.summary.documents, 2);
}
