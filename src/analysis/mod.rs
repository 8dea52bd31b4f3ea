//! Analysis over projects: statistics, agreement between annotators, search and suggestions.

pub mod agreement;
pub mod search;
pub mod stats;
pub mod suggest;
