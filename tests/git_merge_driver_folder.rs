//! The merge driver on a project folder's files directly (no git): ids handed out twice across document
//! files are renumbered the same way on every load, and a side's broken file leaves ours alone.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use factmark::model::{Project, Span, SpanId};
use factmark::store;

mod git_support;
use git_support::{HARBOUR, ORCHARD, assert_unique_ids, text};

/// A folder with two documents, "one" and "two", each with two spans and a relation, saved by factmark.
fn two_document_folder(dir: &Path) -> PathBuf {
    use factmark::model::{CharIdx, DocId, Document, Relation, RelationId};
    let schema = store::load(&factmark::ui::sample_project_path()).unwrap().schema;
    let mut project = Project::new("p");
    project.schema = schema;
    for (id, text, first) in [("one", HARBOUR, 1), ("two", ORCHARD, 3)] {
        let mut doc = Document::new(DocId(id.into()), id, text);
        doc.spans = vec![
            Span::new(SpanId(first), CharIdx(0)..CharIdx(5), "Source", "ana"),
            Span::new(SpanId(first + 1), CharIdx(10)..CharIdx(20), "Claim", "ana"),
        ];
        doc.relations = vec![Relation {
            id: RelationId(first),
            from: SpanId(first),
            to: SpanId(first + 1),
            kind: "attributed_to".into(),
        }];
        project.documents.push(doc);
    }
    project.next_span_id = 5;
    project.next_relation_id = 5;
    let folder = dir.join("p.factmark");
    store::save(&project, &folder).unwrap();
    folder
}

#[test]
fn ids_duplicated_across_document_files_are_renumbered_the_same_way_on_every_load() {
    let dir = tempfile::tempdir().unwrap();
    let folder = two_document_folder(dir.path());
    // What a merge of two clones leaves: document two holds the ids document one uses, and the index its
    // stale caches (counts and an empty annotations hash).
    let two = folder.join("docs/two.ron");
    let body = fs::read_to_string(&two).unwrap();
    let body = body.replace("(id: 3,", "(id: 1,").replace("(id: 4,", "(id: 2,");
    let body = body.replace("from: 3, to: 4", "from: 1, to: 2");
    fs::write(&two, body).unwrap();
    let index = fs::read_to_string(folder.join("index/0000.ron")).unwrap();
    let stale = index.replace("\"Claim\": 1", "\"Claim\": 7");
    let stale = blank_annotation_hashes(&stale);
    assert!(stale.contains("\"Claim\": 7") && stale.contains("annotations: \"\""), "{stale}");
    fs::write(folder.join("index/0000.ron"), &stale).unwrap();

    let loaded = store::load(&folder).unwrap_or_else(|e| panic!("stale caches and duplicate ids must load: {e}"));
    assert_unique_ids(&loaded);
    assert_eq!(loaded, store::load(&folder).unwrap(), "the same files give the same ids");
    let [one, two_doc] = [&loaded.documents[0], &loaded.documents[1]];
    assert_eq!(one.spans.iter().map(|s| s.id.0).collect::<Vec<_>>(), vec![1, 2], "the first document keeps its ids");
    assert_eq!(two_doc.spans.len(), 2);
    assert!(two_doc.spans.iter().all(|s| s.id.0 >= 5), "{:?}", two_doc.spans);
    let rel = &two_doc.relations[0];
    assert_eq!(two_doc.span(rel.from).map(|s| s.label.as_str()), Some("Source"), "the relation follows its spans");
    assert_eq!(two_doc.span(rel.to).map(|s| s.label.as_str()), Some("Claim"));
    assert!(loaded.next_span_id > 6);

    // The next save writes the new ids and fresh caches.
    store::save(&loaded, &folder).unwrap();
    assert_eq!(store::load(&folder).unwrap(), loaded);
    let index = fs::read_to_string(folder.join("index/0000.ron")).unwrap();
    assert!(!index.contains("annotations: \"\"") && !index.contains("\"Claim\": 7"), "{index}");
}

/// The index with every annotations hash emptied, as the index merge leaves a line both sides changed.
fn blank_annotation_hashes(index: &str) -> String {
    index
        .lines()
        .map(|line| match line.find("annotations: \"") {
            Some(at) => {
                let rest = &line[at + "annotations: \"".len()..];
                let end = rest.find('"').unwrap();
                format!("{}annotations: \"\"{}", &line[..at], &rest[end + 1..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn driver(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).arg("merge-driver").args(args).current_dir(dir).output().unwrap()
}

#[test]
fn the_driver_merges_folder_files_and_leaves_ours_alone_when_theirs_is_broken() {
    let dir = tempfile::tempdir().unwrap();
    let folder = two_document_folder(dir.path());
    let d = dir.path();
    let doc = fs::read_to_string(folder.join("docs/one.ron")).unwrap();
    fs::write(d.join("base"), &doc).unwrap();
    fs::write(d.join("ours"), &doc).unwrap();
    fs::write(d.join("theirs"), "(format: 1, id: \"one\", title: \"one\", spans: [oops").unwrap();
    let out = driver(d, &["base", "ours", "theirs", "p.factmark/docs/one.ron"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("p.factmark/docs/one.ron: cannot read their version"), "{}", text(&out));
    assert_eq!(fs::read_to_string(d.join("ours")).unwrap(), doc, "ours is left as git gave it");

    // Both sides relabel span 2 differently: exit 1, both versions in the file, flagged, no markers.
    fs::write(d.join("ours"), doc.replace("label: \"Claim\"", "label: \"Opinion\"")).unwrap();
    fs::write(d.join("theirs"), doc.replace("label: \"Claim\"", "label: \"Source\"")).unwrap();
    let out = driver(d, &["base", "ours", "theirs", "p.factmark/docs/one.ron"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("factmark span resolve p.factmark <span id>"), "{}", text(&out));
    let merged = fs::read_to_string(d.join("ours")).unwrap();
    assert!(merged.contains("conflict: \"2/ours\"") && merged.contains("conflict: \"2/theirs\""), "{merged}");
    assert!(!merged.contains("<<<<<<<"));
    fs::copy(d.join("ours"), folder.join("docs/one.ron")).unwrap();
    let project = store::load(&folder).unwrap_or_else(|e| panic!("the merged document file loads: {e}"));
    assert_eq!(factmark::model::validate::conflicts(&project).len(), 1);

    // An index shard: both sides added a document line and raised the counters; both lines are kept.
    let index = fs::read_to_string(folder.join("index/0000.ron")).unwrap();
    let line = |id: &str| index.lines().find(|l| l.contains(&format!("id: \"{id}\""))).unwrap().to_string();
    let add = |id: &str, next: &str| {
        let extra = line("two").replace("\"two\"", &format!("\"{id}\""));
        index.replace(&line("two"), &format!("{}\n{extra}", line("two"))).replace("next_span_id: 5", next)
    };
    fs::write(d.join("base"), &index).unwrap();
    fs::write(d.join("ours"), add("three", "next_span_id: 9")).unwrap();
    fs::write(d.join("theirs"), add("four", "next_span_id: 12")).unwrap();
    let out = driver(d, &["base", "ours", "theirs", "p.factmark/index/0000.ron"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let merged = fs::read_to_string(d.join("ours")).unwrap();
    let ids: Vec<&str> =
        ["one", "two", "three", "four"].into_iter().filter(|id| merged.contains(&format!("id: \"{id}\""))).collect();
    assert_eq!(ids, ["one", "two", "three", "four"], "{merged}");
    assert!(merged.find("\"three\"") < merged.find("\"four\""), "ours' order, then theirs' additions");
    assert!(merged.contains("next_span_id: 12"), "the counters end at the highest: {merged}");

    // project.ron: both sides added a shard (theirs after the shard it follows) and raised the counters;
    // a shard theirs dropped is dropped.
    let project = fs::read_to_string(folder.join("project.ron")).unwrap();
    assert!(project.contains("shards: [\n        \"0000\",\n    ]"), "{project}");
    let with = |names: &[&str], next: &str| {
        let list: String = names.iter().map(|n| format!("        \"{n}\",\n")).collect();
        project.replace("        \"0000\",\n", &list).replace("next_span_id: 5", next)
    };
    fs::write(d.join("base"), with(&["0000", "0001"], "next_span_id: 5")).unwrap();
    fs::write(d.join("ours"), with(&["0000", "0001", "0002"], "next_span_id: 8")).unwrap();
    fs::write(d.join("theirs"), with(&["0003", "0000"], "next_span_id: 6")).unwrap();
    let out = driver(d, &["base", "ours", "theirs", "p.factmark/project.ron"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let merged = fs::read_to_string(d.join("ours")).unwrap();
    let names: Vec<&str> = merged.lines().filter_map(|l| l.trim().strip_prefix('"')?.strip_suffix("\",")).collect();
    assert_eq!(names, ["0003", "0000", "0002"], "{merged}");
    assert!(merged.contains("next_span_id: 8"), "{merged}");
    // One side in the older layout (document lines in project.ron): refused, ours left as git gave it.
    let old_layout = "(format: 1, layout: \"folder\", name: \"p\", next_span_id: 5, next_relation_id: 5, \
        schema: (labels: [], relation_types: []), documents: [])";
    fs::write(d.join("theirs"), old_layout).unwrap();
    fs::write(d.join("ours"), &project).unwrap();
    let out = driver(d, &["base", "ours", "theirs", "p.factmark/project.ron"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("older factmark's layout"), "{}", text(&out));
    assert_eq!(fs::read_to_string(d.join("ours")).unwrap(), project);
}
