//! brat standoff import: the input is `<text> NUL <ann>`, written as `doc.txt` and `doc.ann` in a folder of
//! their own, which is then imported as a brat folder.
#![no_main]

use factmark::formats::{DoccanoUnits, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (text, ann) = match data.iter().position(|&b| b == 0) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (&data[..0], data),
    };
    factmark_fuzz::write_scratch("brat/doc.txt", text);
    factmark_fuzz::write_scratch("brat/doc.ann", ann);
    let folder = factmark_fuzz::scratch_dir().join("brat");
    factmark_fuzz::check_annotations(&folder, Format::Brat, DoccanoUnits::default());
});
