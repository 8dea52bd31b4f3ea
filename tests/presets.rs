//! Schema presets: `factmark new --preset attribution`, File → New's choice of schema, and what the
//! attribution preset's spans and links look like in the brat export (Source, Cue, Content as `T` lines,
//! `source_of` and `content_of` as `R` lines).

use std::path::Path;
use std::process::Command;

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::formats::{ExportDoc, ExportOptions, Format, export};
use factmark::model::{CharIdx, DocId, Document, Project, Relation, RelationId, SchemaPreset, Span, SpanId};
use factmark::ui::FactmarkApp;

mod ui_support;

#[test]
fn factmark_new_takes_a_preset_and_refuses_an_unknown_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attr.ron");
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap();
    let out = run(&["new", path.to_str().unwrap(), "--preset", "attribution"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let project = factmark::store::load(&path).unwrap();
    assert_eq!(project.schema, SchemaPreset::Attribution.schema());
    let bad = run(&["new", dir.path().join("x.ron").to_str().unwrap(), "--preset", "parc"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("fact-opinion, attribution"));
    assert!(!dir.path().join("x.ron").exists());
}

#[test]
fn file_new_asks_for_the_schema() {
    let mut h = ui_support::harness(FactmarkApp::new(Project::new("before"), None), [1200.0, 800.0]);
    ui_support::press(&mut h, Modifiers::COMMAND, Key::N);
    h.get_by_label("Attribution (source, cue, content)").click();
    h.run();
    h.get_by_label_contains("Labels: Source, Cue, Content");
    h.get_by_label("Create").click();
    h.run();
    assert_eq!(h.state().project().name, "Untitled");
    assert_eq!(h.state().project().schema, SchemaPreset::Attribution.schema());
    assert!(h.query_by_label("New project").is_none(), "the window closed");
}

#[test]
fn an_attribution_exports_to_brat_as_three_text_bounds_and_two_links() {
    let text = "Officials said the bridge will close.";
    let mut project = Project::new("attr");
    project.schema = SchemaPreset::Attribution.schema();
    let mut doc = Document::new(DocId("d".into()), "Bridge", text);
    doc.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(9), "Source", "a"));
    doc.spans.push(Span::new(SpanId(2), CharIdx(10)..CharIdx(14), "Cue", "a"));
    doc.spans.push(Span::new(SpanId(3), CharIdx(15)..CharIdx(36), "Content", "a"));
    doc.relations.push(Relation { id: RelationId(1), from: SpanId(1), to: SpanId(2), kind: "source_of".into() });
    doc.relations.push(Relation { id: RelationId(2), from: SpanId(2), to: SpanId(3), kind: "content_of".into() });
    project.documents.push(doc);
    project.next_span_id = 4;
    project.next_relation_id = 3;
    let problems: Vec<String> = factmark::model::validate::problems(&project).into_iter().map(|p| p.message).collect();
    assert!(problems.is_empty(), "{problems:?}");
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    let out = export(&project.schema, &docs, Format::Brat, &ExportOptions::default(), Path::new("brat")).unwrap();
    let ann = out.files.iter().find(|f| f.path.extension().is_some_and(|e| e == "ann")).expect("an .ann file");
    let ann = String::from_utf8(ann.bytes.clone()).unwrap();
    assert!(ann.contains("\tSource 0 9\tOfficials\n"), "{ann}");
    assert!(ann.contains("\tCue 10 14\tsaid\n"), "{ann}");
    assert!(ann.contains("\tContent 15 36\tthe bridge will close\n"), "{ann}");
    assert!(ann.lines().any(|l| l.starts_with('R') && l.contains("\tsource_of Arg1:T")), "{ann}");
    assert!(ann.lines().any(|l| l.starts_with('R') && l.contains("\tcontent_of Arg1:T")), "{ann}");
}
