//! Spacy dataset import on an arbitrary file: never panics; an accepted import applies and leaves a
//! valid project that saves and loads unchanged.
#![no_main]

use factmark::formats::{DoccanoUnits, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = factmark_fuzz::write_scratch("spacy.jsonl", data);
    factmark_fuzz::check_annotations(&path, Format::Spacy, DoccanoUnits::default());
});
