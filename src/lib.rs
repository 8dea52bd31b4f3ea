//! factmark: hand-label claims, opinions and sources in articles, and export datasets with exact offsets.
//!
//! The core — [`model`], [`text`], [`edit`], [`store`], [`import`], [`analysis`] — has no GUI code and is
//! shared by the desktop app ([`ui`]) and the command line ([`cli`]).

#![warn(missing_docs)]

pub mod analysis;
pub mod cli;
pub mod edit;
pub mod formats;
pub mod import;
pub mod merge;
pub mod model;
pub mod session;
pub mod store;
pub mod synth;
pub mod text;
pub mod ui;
