//! The document list: title, status and span counts per label, with a filter box and a sort order.

use crate::model::{DocStatus, Document, Project};
use crate::session::job::{Job, Poll};
use crate::session::learning_order::{learning_value, order_by_learning_value};

use super::doc_view::label_color;
use super::intent::Intent;
use super::workspace::{LazyDocs, SpanChange};

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
    /// Most for the learned recommenders to learn from first (the unlabelled documents they are least
    /// sure about), worked out in the background; labelled documents last.
    ToLearnFrom,
}

/// What the learning order was worked out for: documents with spans, and documents in all. It is worked
/// out again when a document gets its first span (or one is added), not on every edit: each time trains
/// the models and suggests on every unlabelled document.
type LearnKey = (usize, usize);

/// The learning order's values and the work that computes them.
#[derive(Default)]
struct LearningOrder {
    values: Option<(LearnKey, Vec<Option<f32>>)>,
    job: Option<(Job<Vec<Option<f32>>>, LearnKey)>,
    /// Bumped when new values arrive, so the rows are sorted again.
    generation: u64,
    /// The project revision last looked at: counting labelled documents every frame would cost as much as
    /// the list itself on a large project.
    looked_at: Option<u64>,
}

impl LearningOrder {
    /// [`Self::update`], skipped while nothing runs and the project has not changed since the last look.
    fn update_at(&mut self, project: &Project, revision: u64) {
        if self.job.is_none() && self.looked_at == Some(revision) {
            return;
        }
        self.update(project);
        self.looked_at = Some(revision);
    }

    /// Collects finished values and starts work when they are missing or out of date.
    fn update(&mut self, project: &Project) {
        if let Some((job, key)) = &self.job {
            match job.poll() {
                Poll::Running => return,
                Poll::Done(values) => {
                    self.values = Some((*key, values));
                    self.generation += 1;
                }
                Poll::Lost => {}
            }
            self.job = None;
        }
        let key = (project.documents.iter().filter(|d| !d.spans.is_empty()).count(), project.documents.len());
        if self.values.as_ref().is_some_and(|(k, _)| *k == key) {
            return;
        }
        // The worker gets its own copy: the user goes on labelling while it ranks.
        let snapshot = project.clone();
        self.job = Some((Job::spawn("learning order", move |progress| learning_value(&snapshot, progress)), key));
    }
}

/// The list's own state: the filter text, the order, and span counts kept per project revision (counting
/// every span of every document each frame would cost more than the whole text view).
#[derive(Default)]
pub struct DocList {
    /// Only titles (or statuses) containing this, ignoring case.
    pub filter: String,
    /// The order.
    pub sort: SortBy,
    /// Only documents with this status.
    pub status: Option<DocStatus>,
    /// Only documents with at least one span of the label at this index of the schema.
    pub with_label: Option<usize>,
    counts: Option<(u64, Vec<Vec<usize>>)>,
    /// The rows of the last frame and what they were computed for (filters, order, revision).
    rows: Option<(RowKey, Vec<usize>)>,
    /// Documents marked done, counted with the rows (once per revision, not every frame).
    done: usize,
    /// The document shown when the list was last drawn: when another is shown (Alt+↓, a link), the list
    /// scrolls to bring its row into sight.
    followed: Option<usize>,
    /// The list's scroll offset and visible height in the last frame.
    scroll: (f32, f32),
    learning: LearningOrder,
}

/// Everything the listed rows depend on.
type RowKey = (String, SortBy, Option<DocStatus>, Option<usize>, u64, usize, u64);

/// Spans per label (schema order) of every document.
fn label_counts(project: &Project, lazy: Option<&LazyDocs>) -> Vec<Vec<usize>> {
    // A linear search of the few labels beats hashing every span's label string.
    let names: Vec<&str> = project.schema.labels.iter().map(|l| l.name.as_str()).collect();
    project.documents.iter().map(|d| count_doc(&names, d, lazy)).collect()
}

/// Spans per label of one document, `names` being the schema's labels in order. A document not in memory
/// (a large folder opened document by document) has its counts from the folder's index.
fn count_doc(names: &[&str], doc: &Document, lazy: Option<&LazyDocs>) -> Vec<usize> {
    if let Some(stub) = lazy.and_then(|l| l.stub_counts(&doc.id)) {
        return names.iter().map(|n| stub.get(*n).copied().unwrap_or(0)).collect();
    }
    let mut counts = vec![0; names.len()];
    for span in &doc.spans {
        if let Some(i) = names.iter().position(|n| *n == span.label) {
            counts[i] += 1;
        }
    }
    counts
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
        let counts = self.counts.as_ref().map(|(_, c)| c.as_slice()).unwrap_or_default();
        let mut rows: Vec<usize> = project
            .documents
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                needle.is_empty() || d.title.to_lowercase().contains(&needle) || d.status.as_str().contains(&needle)
            })
            .filter(|(_, d)| self.status.is_none_or(|s| d.status == s))
            .filter(|(i, d)| {
                self.with_label.is_none_or(|l| match counts.get(*i) {
                    Some(c) => c.get(l).is_some_and(|n| *n > 0),
                    None => project.schema.labels.get(l).is_some_and(|def| d.spans.iter().any(|s| s.label == def.name)),
                })
            })
            .map(|(i, _)| i)
            .collect();
        let docs = &project.documents;
        match self.sort {
            SortBy::Project => {}
            SortBy::Title => rows.sort_by_key(|&i| docs[i].title.to_lowercase()),
            SortBy::Status => rows.sort_by_key(|&i| status_rank(docs[i].status)),
            SortBy::Spans => {
                rows.sort_by_key(|&i| counts.get(i).map_or(docs[i].spans.len(), |c| c.iter().sum::<usize>()));
            }
            SortBy::ToLearnFrom => match &self.learning.values {
                Some((_, values)) if values.len() == docs.len() => order_by_learning_value(&mut rows, values),
                // Not worked out yet: the project's order meanwhile.
                Some(_) | None => {}
            },
        }
        rows
    }

    /// Brings the span counts up to `revision`: after one edit that touched one document, that document's
    /// counts are adjusted by what the edit did (`change`) or, when that is not known, counted again;
    /// anything else recounts every document.
    fn refresh_counts(
        &mut self,
        project: &Project,
        revision: u64,
        touched: Option<&crate::model::DocId>,
        change: Option<&SpanChange>,
        lazy: Option<&LazyDocs>,
    ) {
        let Some((counted_at, counts)) = &mut self.counts else {
            self.counts = Some((revision, label_counts(project, lazy)));
            return;
        };
        if *counted_at == revision {
            return;
        }
        let one = touched.filter(|_| *counted_at + 1 == revision && counts.len() == project.documents.len());
        match one.and_then(|id| project.documents.iter().position(|d| d.id == *id)) {
            Some(i) => {
                let labels = &project.schema.labels;
                let adjusted = match change {
                    Some(change) if counts[i].len() == labels.len() => {
                        for c in &change.counts {
                            // A label outside the schema is not counted, as in `count_doc`.
                            if let Some(k) = labels.iter().position(|l| l.name == c.label) {
                                counts[i][k] = counts[i][k].saturating_add_signed(c.delta as isize);
                            }
                        }
                        true
                    }
                    _ => false,
                };
                if !adjusted {
                    let names: Vec<&str> = labels.iter().map(|l| l.name.as_str()).collect();
                    counts[i] = count_doc(&names, &project.documents[i], lazy);
                }
                *counted_at = revision;
            }
            None => self.counts = Some((revision, label_counts(project, lazy))),
        }
    }

    /// Draws the list; clicking a title asks to show that document.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        project: &Project,
        (revision, touched, change): (u64, Option<&crate::model::DocId>, Option<&SpanChange>),
        lazy: Option<&LazyDocs>,
        selected: Option<usize>,
        intents: &mut Vec<Intent>,
    ) {
        self.refresh_counts(project, revision, touched, change, lazy);
        // Ranking needs every document's text: not for a project read one document at a time.
        if lazy.is_some() && self.sort == SortBy::ToLearnFrom {
            self.sort = SortBy::Project;
            intents.push(Intent::Message(
                "\"Most to learn from\" reads every document: not for a project this large, which is open one \
                 document at a time"
                    .into(),
            ));
        }
        if self.sort == SortBy::ToLearnFrom {
            self.learning.update_at(project, revision);
            if self.learning.job.is_some() {
                // The worker does not wake the window: look again shortly for its result.
                ui.ctx().request_repaint_after(std::time::Duration::from_millis(200));
            }
        }
        let generation = self.learning.generation;
        let key: RowKey = (
            self.filter.clone(),
            self.sort,
            self.status,
            self.with_label,
            revision,
            project.documents.len(),
            generation,
        );
        // A new order starts at the top: after a re-sort the old scroll offset points at an arbitrary row.
        let reordered = self.rows.as_ref().is_some_and(|(k, _)| (k.1, k.6) != (key.1, key.6));
        if self.rows.as_ref().is_none_or(|(k, _)| *k != key) {
            let rows = self.rows(project);
            self.rows = Some((key, rows));
            self.done = project.documents.iter().filter(|d| d.status == DocStatus::Done).count();
        }
        // Taken out for the frame so the list can be drawn while `self` is borrowed; put back below.
        let cached = self.counts.take();
        let counts = cached.as_ref().map(|(_, c)| c.as_slice()).unwrap_or_default();
        let cached_rows = self.rows.take();
        let rows = cached_rows.as_ref().map(|(_, r)| r.as_slice()).unwrap_or_default();
        ui.heading("Documents");
        let (done, total) = (self.done, project.documents.len());
        let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
        ui.add(egui::ProgressBar::new(fraction).text(format!("{done} / {total} done")));
        // Wraps rather than clips when the panel is narrow.
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("Filter");
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(120.0)).labelled_by(label.id);
            egui::ComboBox::from_label("Sort")
                .selected_text(match self.sort {
                    SortBy::Project => "project order",
                    SortBy::Title => "title",
                    SortBy::Status => "status",
                    SortBy::Spans => "fewest spans",
                    SortBy::ToLearnFrom => "most to learn from",
                })
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut self.sort, SortBy::Project, "project order");
                    ui.selectable_value(&mut self.sort, SortBy::Title, "title");
                    ui.selectable_value(&mut self.sort, SortBy::Status, "status");
                    ui.selectable_value(&mut self.sort, SortBy::Spans, "fewest spans");
                    ui.selectable_value(&mut self.sort, SortBy::ToLearnFrom, "most to learn from")
                        .on_hover_text("Unlabelled documents the learned suggestions are least sure about first");
                });
            if self.sort == SortBy::ToLearnFrom && self.learning.job.is_some() {
                ui.spinner();
                ui.weak("ranking…");
            }
        });
        ui.horizontal_wrapped(|ui| {
            egui::ComboBox::from_label("Status").selected_text(self.status.map_or("any", DocStatus::as_str)).show_ui(
                ui,
                |ui| {
                    ui.selectable_value(&mut self.status, None, "any");
                    for status in [DocStatus::Todo, DocStatus::InProgress, DocStatus::NeedsReview, DocStatus::Done] {
                        ui.selectable_value(&mut self.status, Some(status), status.as_str());
                    }
                },
            );
            let shown = self.with_label.and_then(|l| project.schema.labels.get(l)).map_or("any", |l| l.name.as_str());
            egui::ComboBox::from_label("Has label").selected_text(shown).show_ui(ui, |ui| {
                ui.selectable_value(&mut self.with_label, None, "any");
                for (i, label) in project.schema.labels.iter().enumerate() {
                    ui.selectable_value(&mut self.with_label, Some(i), &label.name);
                }
            });
        });
        ui.separator();
        // Rows of a fixed height (title on one line, counts below), so only the ones in sight are built.
        let line = ui.text_style_height(&egui::TextStyle::Body);
        let row_height = line * 2.0 + ui.spacing().item_spacing.y * 2.0 + 6.0;
        let mut area = egui::ScrollArea::vertical().auto_shrink([false, false]);
        if reordered {
            area = area.vertical_scroll_offset(0.0);
        }
        if selected != self.followed {
            self.followed = selected;
            // The row's top in the list; show_rows spaces rows by the height plus the item spacing.
            let pitch = row_height + ui.spacing().item_spacing.y;
            if let Some(top) = selected.and_then(|s| rows.iter().position(|&r| r == s)).map(|p| p as f32 * pitch) {
                let (offset, height) = self.scroll;
                if top < offset || top + pitch > offset + height {
                    area = area.vertical_scroll_offset((top - height / 3.0).max(0.0));
                }
            }
        }
        let output = area.show_rows(ui, row_height, rows.len(), |ui, range| {
            for &index in &rows[range] {
                let doc = &project.documents[index];
                ui.allocate_ui(egui::vec2(ui.available_width(), row_height), |ui| {
                    let title = egui::RichText::new(&doc.title).strong();
                    let row = ui.add(egui::Button::selectable(selected == Some(index), title).truncate());
                    if row.clicked() {
                        intents.push(Intent::SelectDocument(index));
                    }
                    doc_counts(ui, project, doc, counts.get(index).map_or(&[][..], Vec::as_slice));
                    ui.add_space(6.0);
                });
            }
        });
        self.scroll = (output.state.clamped_offset().y, output.inner_rect.height());
        self.counts = cached;
        self.rows = cached_rows;
    }
}

fn doc_counts(ui: &mut egui::Ui, project: &Project, doc: &Document, counts: &[usize]) {
    ui.horizontal(|ui| {
        // Truncated, not wider than the panel: a row wider than a narrow side panel makes egui take the
        // panel for wider than it is, and the document view then paints over its right edge.
        ui.add(egui::Label::new(egui::RichText::new(doc.status.as_str()).weak()).truncate());
        for (label, count) in project.schema.labels.iter().zip(counts) {
            let text = egui::RichText::new(format!("{} {count}", label.name)).color(label_color(label.color));
            ui.add(egui::Label::new(text).truncate());
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DocId;

    #[test]
    fn counts_follow_edits_one_document_at_a_time() {
        use crate::edit::Edit;
        use crate::model::{CharIdx, Span, SpanId};
        let mut project = Project::new("p");
        for id in ["a", "b"] {
            project.documents.push(Document::new(DocId(id.into()), id, "some text here"));
        }
        let mut list = DocList::default();
        list.refresh_counts(&project, 0, None, None, None);
        let add = Edit::AddSpan {
            doc: DocId("b".into()),
            span: Span::new(SpanId(1), CharIdx(0)..CharIdx(4), "Opinion", ""),
            relations: Vec::new(),
        };
        let touched = add.document().cloned();
        let change = crate::ui::workspace::span_change(&project, &add).map(|(_, c)| c);
        add.apply(&mut project).unwrap();
        list.refresh_counts(&project, 1, touched.as_ref(), change.as_ref(), None);
        assert_eq!(list.counts.as_ref().unwrap().1, label_counts(&project, None));
        assert_eq!(list.counts.as_ref().unwrap().1[1], vec![0, 1, 0]);
        // Relabelling moves one count from one label to another without a recount.
        let relabel = Edit::SetSpanLabel { doc: DocId("b".into()), span: SpanId(1), label: "Source".into() };
        let change = crate::ui::workspace::span_change(&project, &relabel).map(|(_, c)| c);
        relabel.apply(&mut project).unwrap();
        list.refresh_counts(&project, 2, touched.as_ref(), change.as_ref(), None);
        assert_eq!(list.counts.as_ref().unwrap().1[1], vec![0, 0, 1]);
        // Without a known change, the touched document is counted again.
        project.documents[1].spans.push(Span::new(SpanId(3), CharIdx(5)..CharIdx(9), "Claim", ""));
        list.refresh_counts(&project, 3, touched.as_ref(), None, None);
        assert_eq!(list.counts.as_ref().unwrap().1, label_counts(&project, None));
        // Two revisions at once: everything is recounted.
        project.documents[0].spans.push(Span::new(SpanId(2), CharIdx(0)..CharIdx(4), "Claim", ""));
        list.refresh_counts(&project, 5, touched.as_ref(), None, None);
        assert_eq!(list.counts.as_ref().unwrap().1, label_counts(&project, None));
    }

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
        list.filter.clear();
        list.status = Some(DocStatus::Todo);
        assert_eq!(list.rows(&project), vec![1, 2]);
        project.documents[2].spans.push(crate::model::Span::new(
            crate::model::SpanId(1),
            crate::model::CharIdx(0)..crate::model::CharIdx(4),
            "Source",
            "",
        ));
        list.with_label = Some(2);
        assert_eq!(list.rows(&project), vec![2], "only the document with a Source");
    }

    #[test]
    fn most_to_learn_from_is_worked_out_in_the_background_and_puts_labelled_documents_last() {
        let Ok(mut project) = crate::store::load(std::path::Path::new("tests/gold/dev.ron")) else {
            panic!("the gold set's tuning half")
        };
        for d in project.documents.iter_mut().skip(5) {
            d.spans.clear();
            d.relations.clear();
        }
        let mut list = DocList { sort: SortBy::ToLearnFrom, ..DocList::default() };
        assert_eq!(list.rows(&project), (0..8).collect::<Vec<_>>(), "the project's order until it is known");
        for _ in 0..3000 {
            list.learning.update(&project);
            if list.learning.values.is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let rows = list.rows(&project);
        let expected = learning_value(&project, &crate::session::job::Progress::default());
        let mut by_hand: Vec<usize> = (0..8).collect();
        order_by_learning_value(&mut by_hand, &expected);
        assert_eq!(rows, by_hand);
        assert_eq!(rows[3..], [0, 1, 2, 3, 4], "the labelled documents last, in order");
        // A document getting its first span starts the work again; the old order stays meanwhile.
        project.documents[6].spans.push(crate::model::Span::new(
            crate::model::SpanId(9999),
            crate::model::CharIdx(0)..crate::model::CharIdx(4),
            "Claim",
            "",
        ));
        list.learning.update(&project);
        assert!(list.learning.job.is_some());
        assert_eq!(list.rows(&project), rows);
    }
}
