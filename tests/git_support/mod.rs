//! Shared by the git tests: the real `git` binary run with the test's own HOME and identity (so the
//! machine's settings cannot leak in), and a team of clones of one bare remote.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use factmark::model::{Project, SpanId};
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

/// The first test article: curly quotes, an em dash, accented names and an abbreviation.
pub const HARBOUR: &str = "Ferry fares to rise “sharply”, operator warns\n\nThe island ferry operator said on Monday that fares will rise by a fifth in June. Its chief executive, Inès Laurent, blamed fuel costs — and a U.S. supplier’s late engines. “Nobody wants this,” said the harbour master, Piotr Wójcik. Passengers told the council the rise was shameful.\n";

/// The second test article.
pub const ORCHARD: &str = "Library hours cut in three villages\n\nThe county will shorten opening hours at three village libraries from April, according to a budget note seen by this paper. Councillor Mª José Ibáñez said the cuts were “temporary — a year at most”. Closing libraries early is a false economy.\n";

/// Every span id of the project.
pub fn all_span_ids(project: &Project) -> Vec<SpanId> {
    project.documents.iter().flat_map(|d| d.spans.iter().map(|s| s.id)).collect()
}

/// Span and relation ids are unique across the project and below its counters.
pub fn assert_unique_ids(project: &Project) {
    let mut ids = all_span_ids(project);
    let n = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), n, "span ids are unique across the project");
    assert!(project.next_span_id > ids.iter().map(|id| id.0).max().unwrap_or(0));
    let mut rels: Vec<_> = project.documents.iter().flat_map(|d| d.relations.iter().map(|r| r.id)).collect();
    let n = rels.len();
    rels.sort();
    rels.dedup();
    assert_eq!(rels.len(), n, "relation ids are unique across the project");
}
