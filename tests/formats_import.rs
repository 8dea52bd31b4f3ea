//! import-annotations: export → import into a copy without annotations gives the same spans (and relations
//! where the format has them); broken files report file, line and problem and import nothing; the import is
//! one undoable edit.

mod formats_support;

use std::fs;
use std::path::{Path, PathBuf};

use factmark::formats::{DoccanoUnits, ExportOptions, Format, FormatError, ImportOptions, plan_import};
use factmark::model::{CharIdx, Project};
use formats_support::{export, golden_project};

/// Writes an export of the golden project under `dir` and returns the path to import from.
fn write_export(format: Format, options: &ExportOptions, dir: &Path) -> PathBuf {
    let name = match format {
        Format::Brat => "brat",
        Format::LabelStudio => "tasks.json",
        _ => "out.jsonl",
    };
    let out = dir.join(name);
    for f in export(&golden_project(), format, options, &out).files {
        fs::create_dir_all(f.path.parent().unwrap()).unwrap();
        fs::write(&f.path, &f.bytes).unwrap();
    }
    out
}

fn stripped() -> Project {
    let mut project = golden_project();
    for doc in &mut project.documents {
        doc.spans.clear();
        doc.relations.clear();
    }
    project
}

fn options(format: Format) -> ImportOptions {
    ImportOptions { format, doccano_units: DoccanoUnits::Utf16, annotator: "importer".into() }
}

/// (doc, start, end, label) of every span, sorted.
fn spans(p: &Project) -> Vec<(String, usize, usize, String)> {
    let mut out: Vec<_> = p
        .documents
        .iter()
        .flat_map(|d| d.spans.iter().map(move |s| (d.id.to_string(), s.start.0, s.end.0, s.label.clone())))
        .collect();
    out.sort();
    out
}

type RelationKey = (String, (CharIdx, CharIdx), (CharIdx, CharIdx), String);

/// Relations as (doc, from range, to range, type), sorted: ids differ after import, ranges do not.
fn relations(p: &Project) -> Vec<RelationKey> {
    let mut out = Vec::new();
    for d in &p.documents {
        for r in &d.relations {
            let range = |id| d.span(id).map(|s| (s.start, s.end)).unwrap();
            out.push((d.id.to_string(), range(r.from), range(r.to), r.kind.clone()));
        }
    }
    out.sort();
    out
}

fn round_trip(format: Format, export_options: &ExportOptions, import_options: &ImportOptions, with_relations: bool) {
    let dir = tempfile::tempdir().unwrap();
    let input = write_export(format, export_options, dir.path());
    let mut project = stripped();
    let before = project.clone();
    let plan = plan_import(&project, &input, import_options).unwrap();
    assert_eq!(plan.spans, 6, "{format}");
    let inverse = plan.edit.unwrap().apply(&mut project).unwrap();
    let original = golden_project();
    assert_eq!(spans(&project), spans(&original), "{format}");
    if with_relations {
        assert_eq!(relations(&project), relations(&original), "{format}");
    }
    assert!(factmark::model::validate::problems(&project).is_empty());
    // Importing the same file again adds nothing.
    let again = plan_import(&project, &input, import_options).unwrap();
    assert!(again.edit.is_none(), "{format}: a second import adds nothing");
    assert_eq!(again.already_present, 6 + if with_relations { 3 } else { 0 });
    // One edit: its inverse takes the project back to before the import.
    inverse.apply(&mut project).unwrap();
    assert_eq!(spans(&project), spans(&before));
}

#[test]
fn doccano_round_trips_in_utf16_and_chars() {
    round_trip(Format::Doccano, &ExportOptions::default(), &options(Format::Doccano), false);
    let chars = ExportOptions { doccano_units: DoccanoUnits::Chars, ..ExportOptions::default() };
    let import = ImportOptions { doccano_units: DoccanoUnits::Chars, ..options(Format::Doccano) };
    round_trip(Format::Doccano, &chars, &import, false);
}

#[test]
fn doccano_rel_round_trips() {
    round_trip(Format::DoccanoRel, &ExportOptions::default(), &options(Format::DoccanoRel), true);
}

#[test]
fn labelstudio_round_trips_with_notes() {
    round_trip(Format::LabelStudio, &ExportOptions::default(), &options(Format::LabelStudio), true);
}

#[test]
fn spacy_round_trips() {
    round_trip(Format::Spacy, &ExportOptions::default(), &options(Format::Spacy), true);
}

#[test]
fn prodigy_round_trips() {
    round_trip(Format::Prodigy, &ExportOptions::default(), &options(Format::Prodigy), true);
}

#[test]
fn brat_round_trips_with_notes() {
    round_trip(Format::Brat, &ExportOptions::default(), &options(Format::Brat), true);
    let dir = tempfile::tempdir().unwrap();
    let input = write_export(Format::Brat, &ExportOptions::default(), dir.path());
    let mut project = stripped();
    plan_import(&project, &input, &options(Format::Brat)).unwrap().edit.unwrap().apply(&mut project).unwrap();
    let opinion = project.documents[1].spans.iter().find(|s| s.label == "Opinion").unwrap();
    assert_eq!(opinion.note, "strong, \"loaded\" word");
    assert_eq!(opinion.annotator, "importer");
}

/// Writes `content` as `name` in a temp dir, imports it and returns the error.
fn broken(format: Format, name: &str, content: &str) -> (FormatError, PathBuf, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, content).unwrap();
    let err = plan_import(&stripped(), &path, &options(format)).unwrap_err();
    (err, path, dir)
}

fn assert_problem(err: &FormatError, path: &Path, line: usize, words: &str) {
    let message = err.to_string();
    assert!(message.starts_with(&format!("{}:{line}: ", path.display())), "{message}");
    assert!(message.contains(words), "{message} lacks {words:?}");
}

const REF: &str = formats_support::REFERENCE;

#[test]
fn malformed_json_line_is_reported_by_line() {
    let good = format!("{{\"text\": {REF:?}, \"label\": [[0, 17, \"Source\"]]}}");
    let (err, path, _dir) = broken(Format::Doccano, "a.jsonl", &format!("{good}\n{{\"text\": \"oops\n"));
    assert_problem(&err, &path, 2, "invalid JSON");
}

#[test]
fn offsets_out_of_range_are_reported() {
    let row = format!("{{\"text\": {REF:?}, \"label\": [[80, 99, \"Claim\"]]}}\n");
    let (err, path, _dir) = broken(Format::Doccano, "a.jsonl", &row);
    assert_problem(&err, &path, 1, "80..99");
}

#[test]
fn offsets_inside_a_surrogate_pair_are_reported() {
    let text = &golden_project().documents[1].text;
    // UTF-16 unit 9 is the second half of the emoji.
    let row = serde_json::json!({"text": text, "label": [[9, 14, "Claim"]]}).to_string();
    let (err, path, _dir) = broken(Format::Doccano, "a.jsonl", &row);
    assert_problem(&err, &path, 1, "inside a character");
}

#[test]
fn span_text_that_does_not_match_the_offsets_is_reported() {
    let row = serde_json::json!({"text": REF, "spans": [{"start": 1, "end": 17, "label": "Source", "text": "U.S. intelligence"}]});
    let (err, path, _dir) = broken(Format::Spacy, "a.jsonl", &format!("\n{row}\n"));
    assert_problem(&err, &path, 2, "but the text there is \"");
}

#[test]
fn unknown_labels_are_reported() {
    let row = serde_json::json!({"text": REF, "spans": [{"start": 0, "end": 17, "label": "Person"}]});
    let (err, path, _dir) = broken(Format::Spacy, "a.jsonl", &row.to_string());
    assert_problem(&err, &path, 1, "unknown label \"Person\"");
}

#[test]
fn documents_not_in_the_project_are_reported() {
    let row = serde_json::json!({"text": "Some other article.", "spans": []});
    let (err, path, _dir) = broken(Format::Spacy, "a.jsonl", &row.to_string());
    assert_problem(&err, &path, 1, "no document in the project has this text");
}

#[test]
fn brat_text_mismatch_is_reported_with_the_ann_line() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("k.txt"), REF).unwrap();
    let ann = dir.path().join("k.ann");
    fs::write(&ann, "T1\tSource 0 17\tU.S. intelligence\nT2\tClaim 0 17\tU.S. intelligencE\n").unwrap();
    let err = plan_import(&stripped(), dir.path(), &options(Format::Brat)).unwrap_err();
    assert_problem(&err, &ann, 2, "the text there is");
}

#[test]
fn labelstudio_region_outside_the_text_is_reported_with_the_task_line() {
    let tasks = serde_json::json!([{"data": {"text": REF}, "annotations": [{"result": [
        {"id": "a", "type": "labels", "value": {"start": 0, "end": 500, "labels": ["Claim"]}}
    ]}]}]);
    let (err, path, _dir) = broken(Format::LabelStudio, "t.json", &serde_json::to_string_pretty(&tasks).unwrap());
    assert_problem(&err, &path, 2, "task 1: result 1: region 0..500 is empty or outside the text");
}
