//! Find text in documents (being written).
