//! Helpers shared by the project folder tests.

// Each test file uses only part of this module.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

use factmark::store::folder;

/// The folder at `path` rewritten in the layout of the release before shards: the document lines in
/// `project.ron` (format 1), no `index/`.
pub fn to_older_layout(path: &Path) {
    let head = std::fs::read_to_string(path.join("project.ron")).unwrap();
    let mut lines = String::new();
    for name in folder::open_index(path).unwrap().shard_names() {
        let shard = std::fs::read_to_string(path.join("index").join(format!("{name}.ron"))).unwrap();
        for line in shard.lines().filter(|l| l.trim_start().starts_with("(id: ")) {
            lines.push_str(line);
            lines.push('\n');
        }
    }
    let start = head.find("    shards: [").unwrap();
    let end = start + head[start..].find("],\n").unwrap() + 3;
    let old = format!("{}    documents: [\n{lines}    ],\n{}", &head[..start], &head[end..]);
    std::fs::write(path.join("project.ron"), old.replacen("format: 2,", "format: 1,", 1)).unwrap();
    std::fs::remove_dir_all(path.join("index")).unwrap();
}

/// Runs the factmark binary with `args` (annotator "ana").
pub fn factmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).env("FACTMARK_ANNOTATOR", "ana").output().unwrap()
}

/// The standard output of a run that must have succeeded.
pub fn ok(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `p` as an argument.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}
