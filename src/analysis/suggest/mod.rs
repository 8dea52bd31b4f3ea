//! Suggested spans from cues and rules (being written).
