//! Pre-annotation by a language model, in the suggestions window: where the text goes (an OpenAI-compatible
//! server the user sets: Ollama, llama.cpp, vLLM, LM Studio, OpenAI), the model, the temperature and the
//! name of the environment variable with the API key (the key itself is never stored). Nothing is sent
//! until a server is set and the user presses the button; the request runs on a worker with a progress bar
//! and Cancel, and its suggestions join the list like any other recommender's (recommender "llm").

use crate::analysis::suggest::Suggestion;
use crate::model::DocId;
use crate::session::job::{Job, Poll};
use crate::session::llm::{LlmError, LlmRun, LlmSettings, endpoint, llm_suggest};

use super::workspace::Workspace;

/// The panel's state: the request under way and what the last one said.
#[derive(Default)]
pub struct LlmPanel {
    job: Option<(Job<Result<LlmRun, LlmError>>, DocId)>,
    /// The last run's report ("sent 3 chunks …", "2 spans could not be found in the text"), or its error.
    said: Option<(String, bool)>,
}

impl LlmPanel {
    /// Draws the settings and the button; returns the suggestions of a run that just finished, for the
    /// document they were made for.
    pub fn show(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        settings: &mut LlmSettings,
    ) -> Option<(DocId, Vec<Suggestion>)> {
        let arrived = self.collect();
        ui.horizontal(|ui| {
            let label = ui.label("Server");
            ui.add(
                egui::TextEdit::singleline(&mut settings.base_url)
                    .hint_text("http://localhost:11434/v1")
                    .desired_width(220.0),
            )
            .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label("Model");
            ui.add(
                egui::TextEdit::singleline(&mut settings.model).hint_text("qwen2.5:7b-instruct").desired_width(160.0),
            )
            .labelled_by(label.id);
            let label = ui.label("Temperature");
            ui.add(egui::DragValue::new(&mut settings.temperature).range(0.0..=2.0).speed(0.05)).labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let label = ui.label("API key from $");
            ui.add(egui::TextEdit::singleline(&mut settings.api_key_env).desired_width(180.0)).labelled_by(label.id);
            let name = settings.api_key_env.trim();
            let set = !name.is_empty() && std::env::var(name).is_ok_and(|k| !k.trim().is_empty());
            ui.weak(if set { "(set)" } else { "(not set: no key is sent)" });
        });
        if settings.is_set() {
            // Said before anything is sent, every time: the user sees where the article would go.
            ui.label(format!("The shown document's text is sent to {}", endpoint(settings)));
        } else {
            ui.weak("Off: set a server to use it. Nothing is sent anywhere until you press the button.");
        }
        let ready = settings.is_set() && !settings.model.trim().is_empty() && ws.document().is_some();
        match &self.job {
            Some((job, _)) => {
                let (done, total) = job.progress().get();
                let mut cancel = false;
                ui.horizontal(|ui| {
                    let fraction = if total == 0 { 0.0 } else { done as f32 / total as f32 };
                    let text = if total == 0 { "asking…".to_string() } else { format!("chunk {done} of {total}") };
                    ui.add(egui::ProgressBar::new(fraction).text(text).desired_width(200.0));
                    cancel = ui.button("Cancel").clicked();
                });
                if cancel {
                    // The worker stops at its next step; a reply still on its way is thrown away, so the
                    // window need not wait for a slow model to finish a chunk.
                    job.progress().cancel();
                    self.job = None;
                    self.said = Some(("Cancelled: nothing was added.".into(), false));
                } else {
                    ui.ctx().request_repaint_after(std::time::Duration::from_millis(150));
                }
            }
            None => {
                if ui.add_enabled(ready, egui::Button::new("Ask the LLM about this document")).clicked() {
                    self.start(ws, settings);
                }
            }
        }
        if let Some((text, error)) = &self.said {
            if *error {
                ui.colored_label(ui.visuals().error_fg_color, text);
            } else {
                for line in text.lines() {
                    ui.weak(line);
                }
            }
        }
        arrived
    }

    fn start(&mut self, ws: &Workspace, settings: &LlmSettings) {
        let Some(doc) = ws.document() else { return };
        // The worker gets its own copy: the user goes on labelling while the model answers. Other
        // documents are needed for the prompt's examples.
        let snapshot = ws.session.project().clone();
        let settings = settings.clone();
        let id = doc.id.clone();
        let wanted = id.clone();
        let job = Job::spawn("llm", move |progress| {
            let Some(doc) = snapshot.documents.iter().find(|d| d.id == wanted) else {
                return Err(LlmError::Cancelled);
            };
            llm_suggest(&snapshot, &[doc], &settings, progress)
        });
        self.said = None;
        self.job = Some((job, id));
    }

    fn collect(&mut self) -> Option<(DocId, Vec<Suggestion>)> {
        let (job, doc) = self.job.as_ref()?;
        let result = match job.poll() {
            Poll::Running => return None,
            Poll::Done(result) => result,
            Poll::Lost => Err(LlmError::Cancelled),
        };
        let doc = doc.clone();
        self.job = None;
        match result {
            Ok(run) => {
                self.said = Some((run.to_string(), false));
                let found = run.suggestions.into_iter().find(|(id, _)| *id == doc).map(|(_, s)| s).unwrap_or_default();
                Some((doc, found))
            }
            Err(LlmError::Cancelled) => {
                self.said = Some(("Cancelled: nothing was added.".into(), false));
                None
            }
            Err(err) => {
                self.said = Some((format!("{err} — nothing was added."), true));
                None
            }
        }
    }
}
