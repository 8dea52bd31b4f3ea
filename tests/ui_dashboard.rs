//! The dashboard driven headless: Ctrl+D opens it, the figures (computed on a worker thread) arrive, and
//! the plots' accessible names carry the counts and an agreement figure worked out by hand below.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::edit::Edit;
use factmark::model::{CharIdx, DocId, DocStatus, Document, Project, Span, SpanId};
use factmark::ui::FactmarkApp;

mod ui_support;
use ui_support::{H, wait_for_exact};

const TEXT: &str = "The bridge will close. Officials said so. It is a disgrace. Repairs cost €18 million.";

/// Two documents, one done and one to do; only the first has spans:
/// - ana: Claim 0..22, Source 23..32;
/// - ben: Claim 0..22, Source 23..41, Claim 60..85.
fn project() -> Project {
    let mut project = ui_support::project_with_sample_schema("dashboard test");
    let mut done = Document::new(DocId("d".into()), "Bridge", TEXT);
    done.status = DocStatus::Done;
    let todo = Document::new(DocId("e".into()), "Untouched", "Nothing marked here yet.");
    for (index, doc) in [done, todo].into_iter().enumerate() {
        Edit::AddDocument { index, document: Box::new(doc) }.apply(&mut project).unwrap();
    }
    ui_support::add_spans(
        &mut project,
        "d",
        &[
            (0, 22, "Claim", "ana"),
            (23, 32, "Source", "ana"),
            (0, 22, "Claim", "ben"),
            (23, 41, "Source", "ben"),
            (60, 85, "Claim", "ben"),
        ],
    );
    project
}

#[test]
fn dashboard_counts_accepted_suggestions_kept_as_suggested() {
    let mut p = project();
    let spans = &mut p.documents[0].spans;
    spans[0].origin = "suggest:clauses".into();
    spans[1].origin = "suggest:tagger (changed)".into();
    spans[2].origin = "suggest:source.reporting-verb".into();
    let mut h = harness(FactmarkApp::new(p, None));
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    wait_for_exact(&mut h, "3 span(s) from accepted suggestions · 2 kept as suggested (67 %)");
}

fn harness(app: FactmarkApp) -> H {
    ui_support::harness(app, [1400.0, 1000.0])
}

#[test]
fn dashboard_shows_counts_and_a_hand_checked_agreement_figure() {
    let mut h = harness(FactmarkApp::new(project(), None));
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    wait_for_exact(&mut h, "2 documents · 5 spans · 0 relations · 19 words");
    h.get_by_label("1 of 2 documents done");
    h.get_by_label("No span comes from an accepted suggestion");
    for status in ["todo 1", "in progress 0", "needs review 0", "done 1"] {
        h.get_by_label(status);
    }
    h.get_by_label("Spans per label: Claim 3, Opinion 0, Source 2");
    h.get_by_label("Spans per annotator: ana 2, ben 3");
    h.get_by_label("Label mix per document: 2 documents");
    // 15 words in the first document (the € sign and full stops are not words), 4 in the second;
    // 5 spans / 15 words = 333.3 per 1,000, 0 / 4 = 0: mean 166.7.
    h.get_by_label("Spans per 1,000 words per document: mean 166.7 over 2 documents");

    // Exact-match F1 per label, ana against ben, worked by hand:
    // - Claim: ana 1 span, ben 2, one identical (0..22): F1 = 2·1 / (1 + 2) = 0.667;
    // - Source: 23..32 against 23..41 is no exact match: F1 = 0 / (1 + 1) = 0.000;
    // - Opinion: nobody marked one, so F1 = 0 / 0 is undefined, and says why.
    // The agreement section is at the bottom of the scrolled window: bring it into sight first.
    h.get_by_role_and_label(Role::ComboBox, "Figure").scroll_to_me();
    h.run();
    h.get_by_role_and_label(Role::ComboBox, "Figure").click();
    h.run();
    h.get_by_label("F1, exact span match (pair)").click();
    h.run();
    h.get_by_label("Agreement per label, F1, exact span match (pair): Claim 0.667, Opinion undefined, Source 0.000");
    h.get_by_label_contains("neither annotator has spans here");
    h.get_by_label("1 matched · ana 1 · ben 2 spans");

    // An edit bumps the revision: the figures are computed again and show the new count.
    let span = Span::new(SpanId(100), CharIdx(42)..CharIdx(59), "Opinion", "ana");
    h.state_mut().push(factmark::ui::Intent::Edit(Edit::AddSpan {
        doc: DocId("d".into()),
        span,
        relations: Vec::new(),
    }));
    wait_for_exact(&mut h, "Spans per label: Claim 3, Opinion 1, Source 2");

    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    assert!(h.query_by_label_contains("Spans per label").is_none(), "Ctrl+D closes it again");
}

#[test]
fn one_annotator_gives_the_reason_instead_of_figures() {
    let mut project = project();
    project.documents[0].spans.retain(|s| s.annotator == "ana");
    let mut h = harness(FactmarkApp::new(project, None));
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    wait_for_exact(&mut h, "Spans per annotator: ana 2");
    h.get_by_label_contains("agreement needs at least two annotators");
}
