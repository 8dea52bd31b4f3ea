//! The small project the store and robustness tests start from (`mod kursk_support;` in each).

use factmark::edit::{Edit, History};
use factmark::model::{CharIdx, DocId, DocStatus, Document, Project, Relation, Span};

/// Its one document's text: curly quotes, em dashes, an emoji, a blank line.
pub const TEXT: &str = "U.S. intelligence has “confirmed” that up to 10,000 troops—mostly infantry—are in Kursk.\n\nCritics 😡 say the minister’s plan is “reckless”.";

/// A project with one document, three spans (one nested) and a relation, made through the edit history.
pub fn kursk_project() -> Project {
    let mut project = Project::new("Kursk coverage");
    project.documents.push(Document::new(DocId("kursk-1".into()), "Kursk — troops", TEXT));
    let doc = DocId("kursk-1".into());
    let mut history = History::new();
    let claim = project.alloc_span_id();
    let source = project.alloc_span_id();
    let opinion = project.alloc_span_id();
    for (id, range, label) in [(claim, 0..87, "Claim"), (source, 0..17, "Source"), (opinion, 104..137, "Opinion")] {
        let span = Span::new(id, CharIdx(range.start)..CharIdx(range.end), label, "ana");
        history.apply(&mut project, Edit::AddSpan { doc: doc.clone(), span, relations: vec![] }).unwrap();
    }
    let relation = Relation { id: project.alloc_relation_id(), from: source, to: claim, kind: "attributed_to".into() };
    history.apply(&mut project, Edit::AddRelation { doc: doc.clone(), relation }).unwrap();
    history.apply(&mut project, Edit::SetDocStatus { doc, status: DocStatus::InProgress }).unwrap();
    project
}
