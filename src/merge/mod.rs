//! Merging annotators' copies of a project (being written).
