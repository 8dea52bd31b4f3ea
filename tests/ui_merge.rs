//! File → Merge projects: two annotators' copies (documents in another order) merged into a new file and
//! opened, every span kept.

use egui_kittest::kittest::Queryable;
use factmark::model::{CharIdx, DocId, Document, Project, Span, SpanId};
use factmark::store;
use factmark::ui::FactmarkApp;

mod ui_support;

fn copy(annotator: &str, reversed: bool) -> Project {
    let mut p = Project::new(annotator);
    let mut a = Document::new(DocId("a".into()), "Bridge", "The bridge will close on Friday, officials said.");
    let mut b = Document::new(DocId("b".into()), "Fares", "Fares rise 5% — a “disgrace”, critics say.");
    a.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(30), "Claim", annotator));
    b.spans.push(Span::new(SpanId(2), CharIdx(0)..CharIdx(13), "Claim", annotator));
    p.documents = if reversed { vec![b, a] } else { vec![a, b] };
    p.next_span_id = 3;
    p
}

/// Runs frames until a widget labelled `label` shows (at most ten seconds).
fn wait_for(h: &mut egui_kittest::Harness<'_, FactmarkApp>, label: &str) {
    let start = std::time::Instant::now();
    while h.query_by_label(label).is_none() {
        assert!(start.elapsed().as_secs() < 10, "{label:?} never showed");
        std::thread::sleep(std::time::Duration::from_millis(10));
        h.run();
    }
}

#[test]
fn merge_dialog_writes_and_opens_the_merged_project() {
    let dir = tempfile::tempdir().unwrap();
    let (ana, ben, out) = (dir.path().join("ana.ron"), dir.path().join("ben.ron"), dir.path().join("merged.ron"));
    store::save(&copy("ana", false), &ana).unwrap();
    store::save(&copy("ben", true), &ben).unwrap();
    let mut h = ui_support::harness(FactmarkApp::new(Project::new("empty"), None), [1400.0, 900.0]);
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Merge projects…").click();
    h.run();
    h.get_by_label("Projects to merge").focus();
    h.run();
    h.get_by_label("Projects to merge").type_text(&format!("{}\n{}", ana.display(), ben.display()));
    h.run();
    h.get_by_label("Merged project (a new file)").focus();
    h.run();
    h.get_by_label("Merged project (a new file)").type_text(out.to_str().unwrap());
    h.run();
    h.get_by_label("Merge").click();
    // The merge runs on a worker thread: the window keeps drawing until its result arrives.
    wait_for(&mut h, "Open the merged project");
    h.get_by_label("Open the merged project").click();
    h.run();
    let project = h.state().project();
    assert_eq!(project.documents.len(), 2, "documents matched by their text, not duplicated");
    assert_eq!(project.span_count(), 4, "every annotator's spans kept");
    let annotators: std::collections::BTreeSet<&str> =
        project.documents.iter().flat_map(|d| d.spans.iter().map(|s| s.annotator.as_str())).collect();
    assert_eq!(annotators.into_iter().collect::<Vec<_>>(), vec!["ana", "ben"]);
    assert_eq!(h.state().workspace().session.path(), Some(out.as_path()));
}

#[test]
fn merge_dialog_refuses_a_target_that_is_an_input_with_the_command_line_s_words() {
    let dir = tempfile::tempdir().unwrap();
    let (ana, ben) = (dir.path().join("ana.ron"), dir.path().join("ben.ron"));
    store::save(&copy("ana", false), &ana).unwrap();
    store::save(&copy("ben", true), &ben).unwrap();
    let before = std::fs::read(&ana).unwrap();
    let mut h = ui_support::harness(FactmarkApp::new(Project::new("empty"), None), [1400.0, 900.0]);
    h.state_mut().push(factmark::ui::Intent::Run(factmark::ui::commands::CommandId::MergeProjects));
    h.run();
    h.get_by_label("Projects to merge").focus();
    h.get_by_label("Projects to merge").type_text(&format!("{}\n{}", ana.display(), ben.display()));
    h.run();
    h.get_by_label("Merged project (a new file)").focus();
    h.get_by_label("Merged project (a new file)").type_text(ana.to_str().unwrap());
    h.run();
    h.get_by_label("Merge").click();
    let message = format!("{}: is also an input; write the merge to a new file", ana.display());
    wait_for(&mut h, &message);
    assert!(h.query_by_label("Open the merged project").is_none());
    assert_eq!(std::fs::read(&ana).unwrap(), before, "the annotator's file is untouched");
}
