//! Analysis over projects: statistics now; agreement and suggestions build on the same model.

pub mod stats;
