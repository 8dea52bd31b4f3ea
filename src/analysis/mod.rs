//! Analysis over projects: statistics, agreement between annotators, search and suggestions.

pub mod agreement;
pub mod curation;
pub mod search;
pub mod stats;
pub mod suggest;
