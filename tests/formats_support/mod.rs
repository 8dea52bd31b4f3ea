//! The project every format test exports: the shared reference sentence, plus a CRLF-origin document with
//! an astral emoji, combining accents, curly quotes, em dashes, nested Source-in-Claim spans and relations.

#![allow(dead_code)]

use std::ops::Range;
use std::path::Path;

use factmark::formats::{self, ExportDoc, ExportOptions, Filter, Format};
use factmark::model::{
    AttrValue, CharIdx, DocId, DocStatus, Document, Project, Relation, RelationId, ReviewState, Span, SpanId,
};
use factmark::text::offsets::OffsetMap;

/// The sentence of /work/shared/formats (README.md there).
pub const REFERENCE: &str = "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk.";

/// The second document as it arrived: Windows line ends, an emoji, decomposed accents (e + U+0301).
pub const CRLF_SOURCE: &str = "Critics 😡 say the minister’s plan is “reckless”—and the Ministry disagrees.\r\nZoe\u{308} Ange\u{301}lique, a spokeswoman, said the plan “will save €2 billion”.\r\n";

/// The char range of the first occurrence of `needle` in `text`.
pub fn find(text: &str, needle: &str) -> Range<CharIdx> {
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in text"));
    OffsetMap::new(text).char_range_from_bytes(at..at + needle.len()).unwrap()
}

fn span(id: u64, range: Range<CharIdx>, label: &str, annotator: &str) -> Span {
    Span::new(SpanId(id), range, label, annotator)
}

fn rel(id: u64, from: u64, to: u64) -> Relation {
    Relation { id: RelationId(id), from: SpanId(from), to: SpanId(to), kind: "attributed_to".into() }
}

/// Two documents: `kursk-1` (the reference, Source 1 ⊂ Claim 2, relation 1) and `minister-plan`.
pub fn golden_project() -> Project {
    let mut project = Project::new("golden");
    let mut kursk = Document::new(DocId("kursk-1".into()), "kursk-1", REFERENCE);
    kursk.status = DocStatus::Done;
    kursk.spans = vec![span(2, find(REFERENCE, "U.S. intelligence has"), "Claim", "ana")];
    // The Claim is the sentence without its final full stop, as in the reference.
    kursk.spans[0].end = CharIdx(87);
    kursk.spans.push(span(1, find(REFERENCE, "U.S. intelligence"), "Source", "ana"));
    kursk.spans[0].review = ReviewState::Accepted;
    kursk.relations = vec![rel(1, 1, 2)];

    let text = factmark::import::normalize_line_ends(CRLF_SOURCE);
    let mut plan = Document::new(DocId("minister-plan".into()), "The minister’s plan", text.clone());
    plan.status = DocStatus::NeedsReview;
    plan.meta.author = "A. Writer".into();
    let mut critics = span(3, find(&text, "Critics"), "Source", "ben");
    critics.attributes.insert("kind".into(), AttrValue::Text("anonymous".into()));
    let mut opinion = span(4, find(&text, "the minister’s plan is “reckless”"), "Opinion", "ben");
    opinion.note = "strong, \"loaded\" word".into();
    opinion.attributes.insert("polarity".into(), AttrValue::Text("negative".into()));
    let claim_text = "Zoe\u{308} Ange\u{301}lique, a spokeswoman, said the plan “will save €2 billion”";
    let mut claim = span(5, find(&text, claim_text), "Claim", "ana");
    claim.attributes.insert("check_worthy".into(), AttrValue::Bool(true));
    claim.attributes.insert("verdict".into(), AttrValue::Text("unverified".into()));
    claim.review = ReviewState::Accepted;
    let zoe = span(6, find(&text, "Zoe\u{308} Ange\u{301}lique, a spokeswoman"), "Source", "ana");
    plan.spans = vec![critics, opinion, claim, zoe];
    plan.spans.sort_by_key(Span::sort_key);
    plan.relations = vec![rel(2, 3, 4), rel(3, 6, 5)];

    project.documents = vec![kursk, plan];
    project.next_span_id = 7;
    project.next_relation_id = 4;
    assert!(factmark::model::validate::problems(&project).is_empty());
    project
}

/// Exports `project` whole in `format` to `out` (nothing is written; the files come back).
pub fn export(project: &Project, format: Format, options: &ExportOptions, out: &Path) -> formats::Export {
    let docs: Vec<ExportDoc> = project.documents.iter().map(ExportDoc::all).collect();
    formats::export(&project.schema, &docs, format, options, out).unwrap()
}

/// Exports with a filter, as the command does.
pub fn export_filtered(project: &Project, filter: &Filter, format: Format, out: &Path) -> formats::Export {
    let (docs, _) = formats::select(project, filter).unwrap();
    formats::export(&project.schema, &docs, format, &ExportOptions::default(), out).unwrap()
}

/// The file of `export` written at `path`, as text.
pub fn file(export: &formats::Export, path: &Path) -> String {
    let f = export.files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no file {}", path.display()));
    String::from_utf8(f.bytes.clone()).unwrap()
}

/// The reference file `name` of /work/shared/formats, from the copy kept in tests/golden/reference.
pub fn reference(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/reference").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
