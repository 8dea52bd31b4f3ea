//! Shared by the git tests: the real `git` binary run with the test's own HOME and identity (so the
//! machine's settings cannot leak in), and a team of clones of one bare remote.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Runs git in `dir` with the test's own HOME and identity.
pub fn git_in(home: &Path, dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .env("GIT_AUTHOR_NAME", "Test Annotator")
        .env("GIT_AUTHOR_EMAIL", "annotator@example.org")
        .env("GIT_COMMITTER_NAME", "Test Annotator")
        .env("GIT_COMMITTER_EMAIL", "annotator@example.org")
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .unwrap()
}

/// A command's stdout and stderr, as text.
pub fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Whether git is installed (the tests skip, with a note, only when it is not).
pub fn git_available() -> bool {
    Command::new("git").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// A temporary folder with a HOME, a bare remote `remote.git` and annotator A's clone `a` of it.
pub struct Team {
    _dir: tempfile::TempDir,
    /// Where the remote and the clones are.
    pub root: PathBuf,
    /// The HOME every git and factmark run gets.
    pub home: PathBuf,
}

impl Team {
    /// The remote and A's empty clone.
    pub fn new() -> Team {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let home = root.join("home");
        fs::create_dir_all(&home).unwrap();
        let team = Team { _dir: dir, root: root.clone(), home };
        let out = git_in(&team.home, &root, &["init", "--bare", "--initial-branch=main", "remote.git"]);
        assert!(out.status.success(), "{}", text(&out));
        team.git(".", &["clone", "remote.git", "a"]);
        team
    }

    /// Runs git in a clone and expects success; returns what it printed.
    pub fn git(&self, clone: &str, args: &[&str]) -> String {
        let out = git_in(&self.home, &self.root.join(clone), args);
        assert!(out.status.success(), "git {args:?} in {clone} failed: {}", text(&out));
        text(&out)
    }

    /// Runs git in a clone, whatever comes of it.
    pub fn git_status(&self, clone: &str, args: &[&str]) -> Output {
        git_in(&self.home, &self.root.join(clone), args)
    }

    /// Runs factmark in the clone (so `git-setup` sees the repository) and expects success.
    pub fn factmark(&self, clone: &str, args: &[&str]) -> String {
        let out = self.factmark_status(clone, args);
        assert_eq!(out.status.code(), Some(0), "factmark {args:?} in {clone}: {}", text(&out));
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs factmark in the clone, whatever comes of it; the annotator is the clone's name.
    pub fn factmark_status(&self, clone: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_factmark"))
            .current_dir(self.root.join(clone))
            .args(args)
            .env("HOME", &self.home)
            .env("FACTMARK_ANNOTATOR", clone)
            .output()
            .unwrap()
    }

    /// Adds a span to `project` (a path inside the clone) by its text; returns its id.
    pub fn add_span(&self, clone: &str, project: &str, doc: &str, label: &str, find: &str) -> u64 {
        let out =
            self.factmark(clone, &["span", "add", project, "--doc", doc, "--label", label, "--find", find, "--json"]);
        let value: Value = serde_json::from_str(&out).unwrap();
        value["id"].as_u64().unwrap()
    }
}
