//! Inter-annotator agreement (being written).
