//! Text handling shared by every part of factmark: offset conversions and the tokenizer.

pub mod offsets;
pub mod tokens;
