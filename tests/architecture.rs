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

/// The top folder (or file) of `path` under `src/`.
fn layer(path: &Path) -> String {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let rel = path.strip_prefix(&src).unwrap();
    rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned()
}

/// The code of a file without its comments, so a doc comment naming another layer is no import.
fn code_of(path: &Path) -> String {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn layers_import_only_downwards() {
    // model/text → edit, store, import, formats, merge, analysis → session → ui | cli → main.
    for path in sources() {
        let code = code_of(&path);
        let uses =
            |module: &str| code.contains(&format!("crate::{module}")) || code.contains(&format!("super::{module}"));
        let layer = layer(&path);
        let forbidden: &[&str] = match layer.as_str() {
            "ui" => &["cli"],
            "cli" => &["ui"],
            "session" => &["ui", "cli"],
            "main.rs" | "lib.rs" => &[],
            _ => &["session", "ui", "cli"],
        };
        for module in forbidden {
            assert!(!uses(module), "{} ({layer}) imports {module}", path.display());
        }
    }
}

#[test]
fn the_binary_chooses_the_front_end() {
    let main = code_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/main.rs"));
    assert!(main.contains("ui::run") && main.contains("cli::run"), "main.rs starts the window or a command");
}

#[test]
fn the_library_warns_on_missing_docs() {
    let lib = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs")).unwrap();
    assert!(lib.contains("#![warn(missing_docs)]"), "lib.rs asks for doc comments on public items");
}

#[test]
fn command_dispatch_has_no_catch_all_arm() {
    // Adding a command must not compile until every dispatch handles it.
    for rel in ["src/session/commands.rs", "src/ui/app.rs", "src/ui/commands.rs", "src/session/workspace/mod.rs"] {
        let code = code_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join(rel));
        assert!(!code.contains("_ =>"), "{rel} has a catch-all arm");
    }
}

#[test]
fn source_and_test_files_stay_small() {
    let mut files = sources();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests"), &mut files);
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("benches"), &mut files);
    for path in files {
        let lines = fs::read_to_string(&path).unwrap().lines().count();
        assert!(lines <= 600, "{} has {lines} lines; split it by concern", path.display());
    }
}
