//! Article import of arbitrary bytes as a `.html` file: `factmark::import::read_bytes` and the file-based
//! `plan_import` path must agree, never panic, and accepted articles must become a valid project.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    factmark_fuzz::check_article("html", data);
});
