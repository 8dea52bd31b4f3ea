//! The document list: title, status and span counts per label, with a filter box and a sort order.

use crate::model::{DocStatus, Document, Project};

use super::doc_view::label_color;
use super::intent::Intent;

/// How the list is ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum SortBy {
    /// The project's order.
    #[default]
    Project,
    /// By title.
    Title,
    /// By status (to do first).
    Status,
    /// Fewest spans first.
    Spans,
}

/// The list's own state: the filter text and the order.
#[derive(Default)]
pub struct DocList {
    /// Only titles (or statuses) containing this, ignoring case.
    pub filter: String,
    /// The order.
    pub sort: SortBy,
}

fn status_rank(status: DocStatus) -> u8 {
    match status {
        DocStatus::Todo => 0,
        DocStatus::InProgress => 1,
        DocStatus::NeedsReview => 2,
        DocStatus::Done => 3,
    }
}

impl DocList {
    /// Indices of the documents to list, filtered and sorted.
    pub fn rows(&self, project: &Project) -> Vec<usize> {
        let needle = self.filter.to_lowercase();
        let mut rows: Vec<usize> = project
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                needle.is_empty() || d.title.to_lowercase().contains(&needle) || d.status.as_str().contains(&needle)
            })
            .map(|(i, _)| i)
            .collect();
        let docs = &project.documents;
        match self.sort {
            SortBy::Project => {}
            SortBy::Title => rows.sort_by_key(|&i| docs[i].title.to_lowercase()),
            SortBy::Status => rows.sort_by_key(|&i| status_rank(docs[i].status)),
            SortBy::Spans => rows.sort_by_key(|&i| docs[i].spans.len()),
        }
        rows
    }

    /// Draws the list; clicking a title asks to show that document.
    pub fn show(&mut self, ui: &mut egui::Ui, project: &Project, selected: Option<usize>, intents: &mut Vec<Intent>) {
        ui.heading("Documents");
        ui.horizontal(|ui| {
            let label = ui.label("Filter");
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(120.0)).labelled_by(label.id);
            egui::ComboBox::from_label("Sort")
                .selected_text(match self.sort {
                    SortBy::Project => "project order",
                    SortBy::Title => "title",
                    SortBy::Status => "status",
                    SortBy::Spans => "fewest spans",
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.sort, SortBy::Project, "project order");
                    ui.selectable_value(&mut self.sort, SortBy::Title, "title");
                    ui.selectable_value(&mut self.sort, SortBy::Status, "status");
                    ui.selectable_value(&mut self.sort, SortBy::Spans, "fewest spans");
                });
        });
        ui.separator();
        egui::ScrollArea::vertical().auto_shrink([false, false]).show(ui, |ui| {
            for index in self.rows(project) {
                let doc = &project.documents[index];
                let row = ui.selectable_label(selected == Some(index), egui::RichText::new(&doc.title).strong());
                if row.clicked() {
                    intents.push(Intent::SelectDocument(index));
                }
                if selected == Some(index) && ui.input(|i| i.modifiers.alt) {
                    row.scroll_to_me(None);
                }
                counts(ui, project, doc);
                ui.add_space(6.0);
            }
        });
    }
}

fn counts(ui: &mut egui::Ui, project: &Project, doc: &Document) {
    ui.horizontal_wrapped(|ui| {
        ui.weak(doc.status.as_str());
        for label in &project.schema.labels {
            let count = doc.spans.iter().filter(|s| s.label == label.name).count();
            ui.colored_label(label_color(label.color), format!("{} {count}", label.name));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocId;

    #[test]
    fn filters_and_sorts() {
        let mut project = Project::new("p");
        for (id, title, status) in [
            ("a", "Zebra crossing", DocStatus::Done),
            ("b", "Apple prices", DocStatus::Todo),
            ("c", "Bridge", DocStatus::Todo),
        ] {
            let mut d = Document::new(DocId(id.into()), title, "text");
            d.status = status;
            project.documents.push(d);
        }
        let mut list = DocList::default();
        assert_eq!(list.rows(&project), vec![0, 1, 2]);
        list.sort = SortBy::Title;
        assert_eq!(list.rows(&project), vec![1, 2, 0]);
        list.filter = "done".into();
        assert_eq!(list.rows(&project), vec![0]);
        list.filter = "BRI".into();
        assert_eq!(list.rows(&project), vec![2]);
    }
}
