//! "Label all" tags whole words by default, and a token format says which spans it cannot hold exactly
//! (a span that starts or ends inside a word) instead of widening them silently.

use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use factmark::formats::{ExportDoc, ExportOptions, Format, export};
use factmark::model::{CharIdx, DocId, Document, Span, SpanId};
use factmark::ui::FactmarkApp;
use std::path::Path;

mod ui_support;
use ui_support::press;

const TEXT: &str = "The Kremlin said the talks were over.\n\nThe Kremlin’s spokesman, Dmitri Orlov, added nothing.";

fn chars_before(needle: &str, nth: usize) -> usize {
    let byte = TEXT.match_indices(needle).nth(nth).unwrap().0;
    TEXT[..byte].chars().count()
}

#[test]
fn label_all_tags_whole_words_by_default() {
    let mut project = ui_support::project_with_sample_schema("kremlin");
    project.documents.push(Document::new(DocId("k".into()), "Kremlin", TEXT));
    let mut h = ui_support::harness(FactmarkApp::new(project, None), [1500.0, 1000.0]);
    press(&mut h, Modifiers::COMMAND, Key::F);
    h.get_by_label("Find").type_text("Kremlin");
    h.run();
    h.get_by_label_contains("1 match(es) here");
    h.get_by_label("Label all as Source").click();
    h.run();
    let spans = &h.state().project().documents[0].spans;
    assert_eq!(spans.len(), 1, "the Kremlin inside “Kremlin’s” is not a whole word");
    assert_eq!(spans[0].start, CharIdx(chars_before("Kremlin", 0)));
    // Unticking "Whole word" finds both, for whoever wants that.
    h.get_by_label("Whole word").click();
    h.run();
    h.get_by_label_contains("2 match(es) here");
}

#[test]
fn token_formats_name_the_spans_they_cannot_hold_exactly() {
    let mut project = ui_support::project_with_sample_schema("kremlin");
    let mut doc = Document::new(DocId("kremlin-story".into()), "Kremlin", TEXT);
    let whole = chars_before("Kremlin", 0);
    let inside = chars_before("Kremlin", 1);
    doc.spans.push(Span::new(SpanId(1), CharIdx(whole)..CharIdx(whole + 7), "Source", "t"));
    doc.spans.push(Span::new(SpanId(2), CharIdx(inside)..CharIdx(inside + 7), "Source", "t"));
    project.documents.push(doc);
    project.next_span_id = 3;
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    for format in [Format::Conll, Format::Prodigy, Format::Spacy] {
        let out = export(&project.schema, &docs, format, &ExportOptions::default(), Path::new("out")).unwrap();
        let warning = out
            .summary
            .warnings
            .iter()
            .find(|(_, what)| what.contains("inside a word"))
            .unwrap_or_else(|| panic!("{format:?} says nothing about the span inside “Kremlin’s”"));
        assert_eq!(warning.0, 1, "{format:?}: only the span inside the word");
        let named = format!("kremlin-story chars {inside}–{} “Kremlin”", inside + 7);
        assert!(warning.1.contains(&named), "{format:?} names the span: {}", warning.1);
    }
    // Formats with char offsets hold it exactly and say nothing.
    for format in [Format::Doccano, Format::LabelStudio, Format::Csv] {
        let out = export(&project.schema, &docs, format, &ExportOptions::default(), Path::new("out")).unwrap();
        assert!(out.summary.warnings.iter().all(|(_, w)| !w.contains("inside a word")), "{format:?}");
    }
}
