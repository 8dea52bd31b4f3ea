//! doccano / doccano-rel JSONL import. The first byte picks the offset units (even: UTF-16, odd: chars);
//! the rest is the file.
#![no_main]

use factmark::formats::{DoccanoUnits, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&first, content)) = data.split_first() else { return };
    let units = if first % 2 == 0 { DoccanoUnits::Utf16 } else { DoccanoUnits::Chars };
    let format = if first & 2 == 0 { Format::Doccano } else { Format::DoccanoRel };
    let path = factmark_fuzz::write_scratch("doccano.jsonl", content);
    factmark_fuzz::check_annotations(&path, format, units);
});
