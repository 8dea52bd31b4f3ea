//! The layer between the core and the two front ends: what the window and the command line share and
//! neither re-implements. No GUI code here.
//!
//! - [`commands`]: the one command list (names, menus, default keys, what each needs).
//! - [`export`]: exporting a dataset (targets, selection, building, writing all or none, the report).
//! - [`import`]: planning an import of articles, with progress and cancel.
//! - [`intent`]: what the window's views ask for; [`workspace`] applies them, in one place.
//! - [`job`]: background work with progress and cancel.
//! - [`learning_order`]: which unlabelled documents the learned recommenders are least sure about.
//! - [`llm`]: pre-annotation by a language model on a server the user chose (off until one is set).
//! - [`merge_files`]: merging annotators' copies of a project into a new file.
//! - [`project_source`]: the documents of the open project for project-wide work, in memory or a project
//!   folder with the loaded documents laid over it; [`project_wide`]: that work (find, agreement,
//!   statistics, training set) streamed over it.
//! - [`saved_models`]: the learned models saved to a file of their own when the user asks.
//! - [`schema_rules`]: schema rules that need the command list (label keys).
//! - [`suggestions`]: training the learned recommenders and suggesting, never from a document's own spans.
//! - [`workspace`]: the open project as the user works on it — its [`workspace::Session`] (history, file
//!   state, autosave) and [`workspace::Cursor`] (selection) — and the rules that turn intents into edits.

pub mod commands;
pub mod export;
pub mod import;
pub mod intent;
pub mod job;
pub mod learning_order;
pub mod llm;
pub mod merge_files;
pub mod project_source;
pub mod project_wide;
pub mod saved_models;
pub mod schema_rules;
pub mod suggestions;
pub mod workspace;
