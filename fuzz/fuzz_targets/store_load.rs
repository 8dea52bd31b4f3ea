//! The RON project loader on arbitrary bytes: `factmark::store::from_bytes` never panics, every error is
//! one line naming the file, and an accepted project saves and loads back unchanged.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match factmark::store::from_bytes(Path::new("fuzz.ron"), data) {
        Ok(project) => factmark_fuzz::assert_valid_and_round_trips(&project),
        Err(err) => {
            let message = err.to_string();
            assert!(message.starts_with("fuzz.ron"), "message must name the file: {message}");
            assert!(!message.contains('\n'), "one-line message: {message:?}");
        }
    }
});
