//! The window, driven headless with egui_kittest: the document list, switching documents, and clear
//! messages for files that cannot be opened.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use factmark::model::{CharIdx, DocId, Document, Project, Span, SpanId};
use factmark::ui::FactmarkApp;

fn project() -> Project {
    let mut project = Project::new("UI test");
    let mut first = Document::new(
        DocId("a".into()),
        "Bridge closes “for weeks”",
        "The bridge—built in 1963—will close. Critics 😡 object.",
    );
    first.spans.push(Span::new(SpanId(1), CharIdx(0)..CharIdx(10), "Claim", "ana"));
    project.documents.push(first);
    project.documents.push(Document::new(DocId("b".into()), "Water bills rise", "Households paid €612 on average."));
    project.next_span_id = 2;
    project
}

#[test]
fn lists_documents_and_switches_on_click() {
    let mut app = FactmarkApp::new(project(), None);
    {
        // Headless tests have only egui's bundled fonts, which lack emoji; the real window finds system
        // fonts (the `system_fonts` feature). Tofu here keeps the test about behaviour, not fonts.
        let mut harness =
            Harness::builder().with_size([1000.0, 600.0]).allow_missing_glyphs().build_ui(|ui| app.show(ui));
        harness.run();
        harness.get_by_label("Water bills rise");
        // The first document is shown: its title as a heading too, and its text.
        assert_eq!(harness.query_all_by_label("Bridge closes “for weeks”").count(), 2);
        assert!(harness.query_by_label_contains("Households paid").is_none());
        harness.get_by_label_contains("Claim 1");
        harness.get_by_label("Water bills rise").click();
        harness.run();
        harness.get_by_label_contains("Households paid €612");
    }
    assert_eq!(app.selected(), Some(1));
}

#[test]
fn missing_and_broken_files_show_a_message_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("gone.ron");
    let app = FactmarkApp::from_path(&missing);
    assert!(app.message().contains("gone.ron"), "{}", app.message());
    assert!(app.project().documents.is_empty());

    let broken = dir.path().join("broken.ron");
    std::fs::write(&broken, "(format: 1, name: ").unwrap();
    let mut app = FactmarkApp::from_path(&broken);
    let message = app.message().to_string();
    assert!(message.contains("broken.ron:1:"), "{message}");
    let mut harness = Harness::builder().with_size([800.0, 400.0]).build_ui(|ui| app.show(ui));
    harness.run();
    harness.get_by_label_contains("broken.ron:1:");
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "(format: 1, name: ", "the file is never touched");
}

#[test]
fn opens_the_bundled_sample() {
    let app = FactmarkApp::from_path(&factmark::ui::sample_project_path());
    assert!(app.project().documents.len() >= 6, "{}", app.message());
    assert_eq!(app.selected(), Some(0));
    assert!(app.window_title().starts_with("factmark — "));
}
