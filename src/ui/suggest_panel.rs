//! Suggestions in the app: the shown document's suggested spans drawn dashed over the text (never part of
//! the project until accepted), a list to pick the current one, Enter or A to accept it, X to reject it,
//! accept all / reject all, which recommenders to use, and the project's own rules. The engine is
//! [`crate::analysis::suggest`]; the learned recommenders retrain in the background as the user labels
//! ([`crate::session::suggestions::Trainer`]). Rejections last for the session (they are not stored in
//! the project).

use std::sync::Arc;

use crate::session::project_source::DocSource;
use crate::session::project_wide::TrainingCap;
use std::collections::HashSet;
use std::ops::Range;

use crate::analysis::suggest::{Suggestion, accept_edit, check_rules};
use crate::edit::Edit;
use crate::model::{CharIdx, DocId, RuleKind, SuggestRule};

use super::doc_view::color_of;
use super::intent::Intent;
use super::workspace::Workspace;
use crate::session::suggestions::{
    Trainer, all_recommenders, enabled_recommenders, is_enabled_set, switch_recommender,
};

/// What was rejected: never suggested again in this session.
type Rejected = HashSet<(DocId, usize, usize, String)>;

/// The order of the suggestion list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Order {
    /// As they come in the text.
    #[default]
    InText,
    /// Least certain first (score nearest one half): what a decision teaches the models most.
    LeastCertain,
}

/// The suggestions window's state.
#[derive(Default)]
pub struct SuggestPanel {
    /// Whether suggestions are shown (the window and the dashed spans).
    pub open: bool,
    /// The document, project revision and model generation the list was made for (or is being made for).
    computed_for: Option<(DocId, u64, u64)>,
    /// Suggesting on a worker: a long report takes longer than a frame. The list shown stays until the
    /// new one arrives.
    pending: Option<(crate::session::job::Job<Vec<Suggestion>>, DocId)>,
    /// Pre-annotation by a language model, when the user set a server and asked.
    llm: super::llm_panel::LlmPanel,
    /// The model's suggestions for a document: they join the list each time it is made.
    llm_found: Option<(DocId, Vec<Suggestion>)>,
    /// Training on every document and saving the models, when the user asked.
    saving: Option<crate::session::job::Job<Result<String, String>>>,
    trainer: Trainer,
    /// Bumped when new models arrive or the recommenders change.
    generation: u64,
    order: Order,
    list: Vec<Suggestion>,
    /// For the view: range, colour, current.
    paint: Vec<(Range<CharIdx>, egui::Color32, bool)>,
    current: Option<usize>,
    rejected: Rejected,
    rule_errors: Vec<String>,
    new_rule: (String, String, usize),
}

impl SuggestPanel {
    /// Dashed spans for the document view.
    pub fn overlays(&self) -> &[(Range<CharIdx>, egui::Color32, bool)] {
        if self.open { &self.paint } else { &[] }
    }

    /// Whether a suggestion is current (then A / Enter / X act on it instead of on the selected span).
    pub fn has_current(&self) -> bool {
        self.open && self.current.is_some()
    }

    fn refresh(&mut self, ws: &Workspace) {
        let Some(doc) = ws.document() else {
            self.list.clear();
            self.paint.clear();
            return;
        };
        let project = ws.session.project();
        if !is_enabled_set(project, &self.trainer.chosen) {
            self.trainer.chosen = enabled_recommenders(project);
            self.generation += 1;
        }
        let updated = if ws.session.is_lazy() {
            // A project open one document at a time trains on a capped set read from its folder.
            let source = || ws.session.doc_source().unwrap_or_else(|_| DocSource::memory(Arc::new(project.clone())));
            self.trainer.update_from_source(source, &doc.id, ws.session.revision(), TrainingCap::default())
        } else {
            self.trainer.update(project, &doc.id, ws.session.revision())
        };
        if updated {
            self.generation += 1;
        }
        let key = (doc.id.clone(), ws.session.revision(), self.generation);
        if self.computed_for.as_ref() == Some(&key) {
            return;
        }
        if self.computed_for.as_ref().is_none_or(|(d, _, _)| *d != doc.id) {
            // Another document: the old list's ranges mean nothing here, even for the moment until the
            // new list arrives.
            self.list.clear();
            self.paint.clear();
            self.current = None;
        }
        self.computed_for = Some(key);
        let (suggester, errors) = match self.trainer.suggester(project) {
            Ok(pair) => pair,
            Err(err) => {
                self.rule_errors = vec![err.to_string()];
                return;
            }
        };
        self.rule_errors =
            errors.iter().chain(&check_rules(&project.schema, &project.rules)).map(ToString::to_string).collect();
        self.rule_errors.dedup();
        if let Some((job, _)) = &self.pending {
            // Superseded: a newer revision or model wants its own list.
            job.progress().cancel();
        }
        let copy = doc.clone();
        let job = crate::session::job::Job::spawn("suggest", move |_| suggester.suggest(&copy));
        self.pending = Some((job, doc.id.clone()));
    }

    /// Takes the worker's list when it is ready. Returns whether it is still working.
    fn collect(&mut self, ws: &Workspace) -> bool {
        use crate::session::job::Poll;
        let Some((job, for_doc)) = &self.pending else { return false };
        let found = match job.poll() {
            Poll::Running => return true,
            Poll::Done(found) => found,
            Poll::Lost => Vec::new(),
        };
        let for_doc = for_doc.clone();
        self.pending = None;
        if ws.document().is_none_or(|d| d.id != for_doc) {
            // The user moved on to another document; its own list is on the way.
            return false;
        }
        let found = match (&self.llm_found, ws.document()) {
            (Some((llm_doc, llm)), Some(doc)) if *llm_doc == for_doc => with_llm(found, llm, doc),
            _ => found,
        };
        let rejected = &self.rejected;
        self.list = found
            .into_iter()
            .filter(|s| !rejected.contains(&(for_doc.clone(), s.start.0, s.end.0, s.label.clone())))
            .collect();
        drop_dangling_links(&mut self.list);
        self.sort();
        self.current = (!self.list.is_empty()).then_some(0);
        self.repaint_list(ws);
        false
    }

    /// Puts the list in the chosen order. Relations point at list positions, so they are renumbered.
    fn sort(&mut self) {
        let mut order: Vec<usize> = (0..self.list.len()).collect();
        if self.order == Order::LeastCertain {
            order.sort_by(|&a, &b| {
                let doubt = |i: usize| (self.list[i].score - 0.5).abs();
                doubt(a).total_cmp(&doubt(b)).then(a.cmp(&b))
            });
        }
        let mut position = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            position[old] = new;
        }
        let mut sorted: Vec<Suggestion> = order.iter().map(|&i| self.list[i].clone()).collect();
        for s in &mut sorted {
            if let Some(link) = &mut s.relation
                && let crate::analysis::suggest::LinkTarget::Suggestion(j) = &mut link.other
            {
                *j = position.get(*j).copied().unwrap_or(*j);
            }
        }
        self.list = sorted;
    }

    fn repaint_list(&mut self, ws: &Workspace) {
        self.paint = self
            .list
            .iter()
            .enumerate()
            .map(|(i, s)| (s.range(), color_of(ws.session.project(), &s.label), Some(i) == self.current))
            .collect();
    }

    /// Accepts suggestion `i` (or every one): one undoable edit, spans made by the user, origin kept.
    fn accept(&mut self, ws: &Workspace, which: Option<usize>, intents: &mut Vec<Intent>) {
        let Some(doc) = ws.document() else { return };
        let chosen: Vec<usize> = match which {
            Some(i) => vec![i],
            None => (0..self.list.len()).collect(),
        };
        match accept_edit(ws.session.project(), &doc.id, &self.list, &chosen, &ws.session.annotator) {
            Ok(plan) => {
                intents.push(Intent::Edit(plan.edit));
                // Off the list at once: the fresh list is made on a worker and arrives a moment later.
                self.drop_from_list(ws, &chosen);
            }
            Err(err) => intents.push(Intent::Message(err.to_string())),
        }
    }

    /// Takes suggestions `which` (ascending positions) off the list; relations to the others are renumbered
    /// and relations to the ones taken off dropped.
    fn drop_from_list(&mut self, ws: &Workspace, which: &[usize]) {
        let mut position: Vec<Option<usize>> = Vec::with_capacity(self.list.len());
        let mut kept = 0;
        for i in 0..self.list.len() {
            if which.contains(&i) {
                position.push(None);
            } else {
                position.push(Some(kept));
                kept += 1;
            }
        }
        let old = std::mem::take(&mut self.list);
        for (i, mut s) in old.into_iter().enumerate() {
            if position[i].is_none() {
                continue;
            }
            if let Some(link) = &s.relation
                && let crate::analysis::suggest::LinkTarget::Suggestion(j) = link.other
            {
                match position.get(j).copied().flatten() {
                    Some(new) => {
                        if let Some(link) = &mut s.relation {
                            link.other = crate::analysis::suggest::LinkTarget::Suggestion(new);
                        }
                    }
                    None => s.relation = None,
                }
            }
            self.list.push(s);
        }
        self.current = self.current.filter(|_| !self.list.is_empty()).map(|c| c.min(self.list.len().saturating_sub(1)));
        self.repaint_list(ws);
    }

    fn reject(&mut self, ws: &Workspace, which: Option<usize>) {
        let Some(doc) = ws.document() else { return };
        let chosen: Vec<usize> = match which {
            Some(i) => vec![i],
            None => (0..self.list.len()).collect(),
        };
        for s in chosen.iter().filter_map(|&i| self.list.get(i)) {
            self.rejected.insert((doc.id.clone(), s.start.0, s.end.0, s.label.clone()));
        }
        self.drop_from_list(ws, &chosen);
    }

    /// A / Enter on the current suggestion.
    pub fn accept_current(&mut self, ws: &Workspace, intents: &mut Vec<Intent>) {
        if let Some(i) = self.current {
            self.accept(ws, Some(i), intents);
        }
    }

    /// X on the current suggestion.
    pub fn reject_current(&mut self, ws: &Workspace, intents: &mut Vec<Intent>) {
        if let Some(i) = self.current {
            self.reject(ws, Some(i));
            if let Some(next) = self.current.and_then(|c| self.list.get(c)) {
                intents.push(Intent::Reveal(next.range()));
            }
        }
    }

    /// Draws the window when open.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        ws: &Workspace,
        llm: &mut crate::session::llm::LlmSettings,
        intents: &mut Vec<Intent>,
    ) {
        if !self.open {
            return;
        }
        self.refresh(ws);
        let suggesting = self.collect(ws);
        if self.trainer.is_training() || suggesting {
            // The worker does not wake the window: look again shortly for its models.
            ctx.request_repaint_after(std::time::Duration::from_millis(150));
        }
        let mut open = true;
        // Scrolls as a whole when its sections open taller than the screen (a 600-pixel-high window).
        let window = crate::ui::dialogs::window("Suggestions", ctx).open(&mut open).default_width(420.0).vscroll(true);
        window.show(ctx, |ui| {
            ui.label(format!("{} suggestion(s) in this document — A or Enter accepts, X rejects.", self.list.len()));
            self.learning_status(ui, ws, intents);
            ui.horizontal(|ui| {
                if ui.add_enabled(!self.list.is_empty(), egui::Button::new("Accept all")).clicked() {
                    self.accept(ws, None, intents);
                }
                if ui.add_enabled(!self.list.is_empty(), egui::Button::new("Reject all")).clicked() {
                    self.reject(ws, None);
                }
            });
            let mut clicked = None;
            egui::ScrollArea::vertical().max_height(260.0).show(ui, |ui| {
                for (i, s) in self.list.iter().enumerate() {
                    let doc = ws.document().map_or("", |d| d.text.as_str());
                    let text = crate::text::offsets::slice_from(doc, 0, CharIdx(0), s.range()).unwrap_or("");
                    let short: String = text.chars().take(60).collect();
                    let row = egui::RichText::new(format!(
                        "{} · {:.2} · {} · {short}",
                        s.label,
                        s.score,
                        s.recommender.name()
                    ))
                    .color(color_of(ws.session.project(), &s.label));
                    if ui.selectable_label(self.current == Some(i), row).clicked() {
                        clicked = Some(i);
                    }
                }
            });
            if let Some(i) = clicked {
                self.current = Some(i);
                self.repaint_list(ws);
                intents.push(Intent::Reveal(self.list[i].range()));
            }
            ui.separator();
            egui::CollapsingHeader::new("Pre-annotate with an LLM (off until you set a server)").show(ui, |ui| {
                if let Some(found) = self.llm.show(ui, ws, llm) {
                    self.llm_found = Some(found);
                    // Made again with the model's suggestions joined in.
                    self.generation += 1;
                }
            });
            ui.separator();
            self.rules(ui, ws, intents);
        });
        self.open = open;
    }

    /// What the learned recommenders learned from, the order of the list, and which recommenders run.
    fn learning_status(&mut self, ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
        ui.horizontal(|ui| {
            match self.trainer.trained_on() {
                Some((docs, spans)) => ui.label(format!("Learned from {docs} other document(s), {spans} span(s)")),
                None => ui.label("Nothing learned yet: label a document and the suggestions learn from it"),
            };
            if self.trainer.is_training() {
                ui.spinner();
                ui.label("learning…");
            }
        });
        let before = self.order;
        ui.horizontal(|ui| {
            ui.label("Order:");
            ui.radio_value(&mut self.order, Order::InText, "in the text");
            ui.radio_value(&mut self.order, Order::LeastCertain, "least certain first");
        });
        let changed = before != self.order;
        // Switching one is an edit of the project (saved with it, undoable), not a setting of this window.
        ui.collapsing("Recommenders (for this project)", |ui| {
            for r in all_recommenders() {
                let mut on = self.trainer.chosen.contains(&r);
                if ui.checkbox(&mut on, r.name()).on_hover_text(r.about()).changed() {
                    intents.push(Intent::Edit(switch_recommender(ws.session.project(), r, on)));
                }
            }
            self.save_models(ui, ws, intents);
        });
        if changed {
            self.generation += 1;
        }
    }

    /// "Save learned models": what the models learned stays out of the project file unless the user asks
    /// for it here; then they are trained on every document and written beside the project.
    fn save_models(&mut self, ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
        use crate::session::job::{Job, Poll};
        use crate::session::saved_models::{default_models_path, save_models};
        if let Some(job) = &self.saving {
            match job.poll() {
                Poll::Running => {
                    ui.horizontal(|ui| {
                        ui.spinner();
                        ui.label("saving the learned models…");
                    });
                    ui.ctx().request_repaint_after(std::time::Duration::from_millis(150));
                    return;
                }
                Poll::Done(Ok(said)) | Poll::Done(Err(said)) => intents.push(Intent::Message(said)),
                Poll::Lost => intents.push(Intent::Message("Saving the learned models failed".into())),
            }
            self.saving = None;
        }
        let Some(target) = ws.session.path().map(default_models_path) else {
            ui.weak("Save the project to save its learned models beside it");
            return;
        };
        let button = ui
            .button("Save learned models")
            .on_hover_text(format!("Trains on every labelled document and writes {}", target.display()));
        if button.clicked() {
            let snapshot = ws.session.project().clone();
            let what = crate::analysis::suggest::SuggestOptions::only(&self.trainer.chosen).learn;
            self.saving = Some(Job::spawn("save models", move |progress| {
                let learned = crate::analysis::suggest::learn(&snapshot, None, what, &|| progress.is_cancelled());
                match save_models(&snapshot, &learned, &target) {
                    Ok(bytes) => {
                        Ok(format!("Saved the learned models to {} ({} KB)", target.display(), bytes.div_ceil(1024)))
                    }
                    Err(err) => Err(format!("Could not save the learned models: {err}")),
                }
            }));
        }
    }

    /// The project's own rules: each phrase, word list or regex suggests a label.
    fn rules(&mut self, ui: &mut egui::Ui, ws: &Workspace, intents: &mut Vec<Intent>) {
        ui.heading("Project rules");
        for err in &self.rule_errors {
            ui.colored_label(ui.visuals().error_fg_color, err);
        }
        let rules = &ws.session.project().rules;
        for (i, rule) in rules.iter().enumerate() {
            ui.horizontal(|ui| {
                let mut enabled = rule.enabled;
                let kind = rule.kind.as_str();
                if ui
                    .checkbox(&mut enabled, format!("{} ({kind}: {}) → {}", rule.name, rule.pattern, rule.label))
                    .changed()
                {
                    let mut next = rules.clone();
                    next[i].enabled = enabled;
                    intents.push(Intent::Edit(Edit::SetRules { rules: next }));
                }
                if ui.small_button("Delete").clicked() {
                    let mut next = rules.clone();
                    next.remove(i);
                    intents.push(Intent::Edit(Edit::SetRules { rules: next }));
                }
            });
        }
        let (pattern, kind, label) = &mut self.new_rule;
        if kind.is_empty() {
            kind.push_str("phrase");
        }
        ui.horizontal(|ui| {
            let name = ui.label("Pattern");
            ui.add(egui::TextEdit::singleline(pattern).desired_width(160.0)).labelled_by(name.id);
            egui::ComboBox::from_label("as").selected_text(kind.as_str()).show_ui(ui, |ui| {
                for k in RuleKind::ALL.map(RuleKind::as_str) {
                    ui.selectable_value(kind, k.to_string(), k);
                }
            });
            let labels = &ws.session.project().schema.labels;
            let shown = labels.get(*label).map_or("—", |l| l.name.as_str());
            egui::ComboBox::from_label("suggests").selected_text(shown).show_ui(ui, |ui| {
                for (i, l) in labels.iter().enumerate() {
                    ui.selectable_value(label, i, &l.name);
                }
            });
            if ui.button("Add rule").clicked()
                && !pattern.trim().is_empty()
                && let Some(def) = labels.get(*label)
            {
                let kind = kind.parse().unwrap_or_default();
                let rule = SuggestRule {
                    name: pattern.trim().chars().take(24).collect(),
                    kind,
                    pattern: pattern.trim().to_string(),
                    label: def.name.clone(),
                    case_sensitive: false,
                    enabled: true,
                };
                let mut next = rules.clone();
                next.push(rule);
                intents.push(Intent::Edit(Edit::SetRules { rules: next }));
                pattern.clear();
            }
        });
    }
}

/// The local recommenders' suggestions with the language model's appended. A model suggestion that is now a
/// span (accepted since) is left out, and links to it point at that span; links to suggestions left out
/// otherwise are dropped.
fn with_llm(mut local: Vec<Suggestion>, llm: &[Suggestion], doc: &crate::model::Document) -> Vec<Suggestion> {
    use crate::analysis::suggest::LinkTarget;
    let offset = local.len();
    let mut target: Vec<Option<LinkTarget>> = Vec::with_capacity(llm.len());
    let mut kept: Vec<Suggestion> = Vec::new();
    for s in llm {
        let same = |start, end, label: &str| start == s.start && end == s.end && label == s.label;
        if let Some(span) = doc.spans.iter().find(|h| same(h.start, h.end, &h.label)) {
            target.push(Some(LinkTarget::Span(span.id)));
        } else if let Some(i) = local.iter().position(|l| same(l.start, l.end, &l.label)) {
            // A local recommender already suggests exactly this: listed once, under the local one.
            target.push(Some(LinkTarget::Suggestion(i)));
        } else {
            target.push(Some(LinkTarget::Suggestion(offset + kept.len())));
            kept.push(s.clone());
        }
    }
    for s in &mut kept {
        if let Some(link) = &mut s.relation {
            match link.other {
                LinkTarget::Suggestion(j) => match target.get(j).copied().flatten() {
                    Some(t) => link.other = t,
                    None => s.relation = None,
                },
                LinkTarget::Span(_) => {}
            }
        }
    }
    local.extend(kept);
    local
}

/// Drops links to positions past the list's end (after filtering out rejected suggestions, a link may
/// point at one that is gone).
fn drop_dangling_links(list: &mut [Suggestion]) {
    let len = list.len();
    for s in list.iter_mut() {
        if let Some(link) = &s.relation
            && let crate::analysis::suggest::LinkTarget::Suggestion(j) = link.other
            && j >= len
        {
            s.relation = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::suggest::{LinkTarget, Recommender, SuggestedLink};
    use crate::model::{Document, Span, SpanId};

    fn suggestion(start: usize, end: usize, label: &str, by: Recommender, link: Option<LinkTarget>) -> Suggestion {
        Suggestion {
            start: CharIdx(start),
            end: CharIdx(end),
            label: label.into(),
            rule: by.name().into(),
            recommender: by,
            score: 0.5,
            relation: link.map(|other| SuggestedLink { kind: "attributed_to".into(), other, outgoing: true }),
        }
    }

    #[test]
    fn model_suggestions_already_made_or_accepted_are_listed_once_and_links_follow_them() {
        let mut doc = Document::new(DocId("d".into()), "D", "Ana Lima said the U.S. bridge “will close” — soon.");
        doc.spans.push(Span::new(SpanId(7), CharIdx(0)..CharIdx(8), "Source", "ana"));
        let local = vec![suggestion(14, 42, "Claim", Recommender::Clauses, None)];
        let llm = vec![
            // The same Source as the human span, linked to the model's Claim (index 1).
            suggestion(0, 8, "Source", Recommender::Llm, Some(LinkTarget::Suggestion(1))),
            // The same Claim the clauses recommender makes.
            suggestion(14, 42, "Claim", Recommender::Llm, None),
            // A new one linked to the human span's twin (index 0).
            suggestion(44, 48, "Opinion", Recommender::Llm, Some(LinkTarget::Suggestion(0))),
        ];
        let merged = with_llm(local, &llm, &doc);
        assert_eq!(merged.len(), 2, "{merged:?}");
        assert_eq!(merged[0].recommender, Recommender::Clauses);
        assert_eq!((merged[1].label.as_str(), merged[1].recommender), ("Opinion", Recommender::Llm));
        assert_eq!(merged[1].relation.as_ref().map(|l| l.other), Some(LinkTarget::Span(SpanId(7))));

        let mut dangling = vec![suggestion(0, 3, "Source", Recommender::Llm, Some(LinkTarget::Suggestion(5)))];
        drop_dangling_links(&mut dangling);
        assert!(dangling[0].relation.is_none());
    }
}
