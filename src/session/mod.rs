//! The layer between the core and the two front ends: what the window and the command line share and
//! neither re-implements. No GUI code here.
//!
//! - [`commands`]: the one command list (names, menus, default keys, what each needs).
//! - [`export`]: exporting a dataset (targets, selection, building, writing all or none, the report).
//! - [`import`]: planning an import of articles, with progress and cancel.
//! - [`job`]: background work with progress and cancel.
//! - [`merge_files`]: merging annotators' copies of a project into a new file.
//! - [`schema_rules`]: schema rules that need the command list (label keys).

pub mod commands;
pub mod export;
pub mod import;
pub mod job;
pub mod merge_files;
pub mod schema_rules;
