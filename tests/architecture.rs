//! Guards the shape DEVELOPERS.md asks for: the core never imports the GUI toolkit, offsets are converted
//! in one module only, and source files stay small.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn sources() -> Vec<PathBuf> {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    assert!(files.len() > 10, "found the sources");
    files
}

fn is_core(path: &Path) -> bool {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).unwrap();
    let top = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
    !matches!(top.as_str(), "ui" | "cli" | "main.rs" | "lib.rs")
}

#[test]
fn core_has_no_gui_imports() {
    for path in sources().into_iter().filter(|p| is_core(p)) {
        let text = fs::read_to_string(&path).unwrap();
        for needle in ["egui", "eframe", "rfd::"] {
            assert!(
                !text.contains(needle),
                "{} mentions {needle}: the core must not depend on the GUI",
                path.display()
            );
        }
    }
}

#[test]
fn only_the_offsets_module_counts_utf16_units() {
    for path in sources() {
        if path.ends_with("text/offsets.rs") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("len_utf16") && !text.contains("encode_utf16"),
            "{} converts UTF-16 offsets itself",
            path.display()
        );
    }
}

#[test]
fn source_files_stay_small() {
    for path in sources() {
        let lines = fs::read_to_string(&path).unwrap().lines().count();
        assert!(lines <= 650, "{} has {lines} lines; split it by concern", path.display());
    }
}
