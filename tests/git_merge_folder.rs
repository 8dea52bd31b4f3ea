//! Two annotators sharing a project *folder* (`coverage.factmark/`) through a real git remote: the merge
//! driver merges the index and each document file semantically, ids handed out twice (in one document or
//! in two) end up unique after loading, and a real conflict is flagged in the document file (never as text
//! markers), settled with `factmark span resolve`, and committed.
//!
//! Runs the real `git` binary with its own HOME and no system config; skipped (with a note) only when git
//! is not installed.

use std::fs;
use std::path::PathBuf;

use factmark::model::{Project, Span, SpanId};
use factmark::store;

mod git_support;
use git_support::{HARBOUR, ORCHARD, Team, all_span_ids, assert_unique_ids, git_available, text};

const PROJECT: &str = "coverage.factmark";

impl Team {
    fn folder(&self, clone: &str) -> PathBuf {
        self.root.join(clone).join(PROJECT)
    }

    /// Adds a span by its text; returns its id.
    fn add(&self, clone: &str, doc: &str, label: &str, find: &str) -> u64 {
        self.add_span(clone, PROJECT, doc, label, find)
    }

    fn set_label(&self, clone: &str, doc: &str, span: u64, label: &str) {
        self.factmark(clone, &["span", "set", PROJECT, "--doc", doc, "--span", &span.to_string(), "--label", label]);
    }

    fn load(&self, clone: &str) -> Project {
        store::load(&self.folder(clone)).unwrap_or_else(|e| panic!("{clone}'s project does not load: {e}"))
    }

    /// Every file of the clone's project folder, with its contents.
    fn files(&self, clone: &str) -> Vec<(PathBuf, String)> {
        let mut out = vec![];
        for dir in [self.folder(clone), self.folder(clone).join("docs"), self.folder(clone).join("index")] {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_file() {
                    out.push((path.clone(), fs::read_to_string(&path).unwrap()));
                }
            }
        }
        out
    }

    fn assert_no_markers(&self, clone: &str) {
        for (path, body) in self.files(clone) {
            for marker in ["<<<<<<<", "=======", ">>>>>>>"] {
                assert!(!body.contains(marker), "{} has a text conflict marker", path.display());
            }
        }
    }
}

/// A bare remote; A's clone with the folder project (two articles, three spans, one relation) pushed; B's
/// clone of it; `git-setup` in both.
fn team() -> Team {
    let team = Team::new();
    let root = team.root.clone();
    fs::write(root.join("ferry.txt"), HARBOUR).unwrap();
    fs::write(root.join("library.txt"), ORCHARD).unwrap();
    // Made as a single file, then converted: the way an existing project moves to a folder.
    team.factmark("a", &["new", "start.ron", "--name", "Coverage"]);
    team.factmark("a", &["import", "start.ron", "../ferry.txt", "../library.txt"]);
    team.factmark("a", &["convert", "start.ron", PROJECT]);
    fs::remove_file(root.join("a/start.ron")).unwrap();
    let laurent = team.add("a", "Ferry", "Source", "Inès Laurent");
    let fuel = team.add("a", "Ferry", "Claim", "blamed fuel costs — and a U.S. supplier’s late engines");
    team.factmark(
        "a",
        &["relation", "add", PROJECT, "--doc", "Ferry", "--from", &laurent.to_string(), "--to", &fuel.to_string()],
    );
    team.add("a", "Ferry", "Opinion", "the rise was shameful");
    team.add("a", "Library", "Opinion", "Closing libraries early is a false economy.");
    let setup = team.factmark("a", &["git-setup"]);
    assert!(setup.contains("added `*.ron merge=factmark`"), "{setup}");
    // `*.ron` has no slash, so it matches at any depth: the folder's index and every document file.
    let doc_files: Vec<String> = fs::read_dir(team.folder("a").join("docs"))
        .unwrap()
        .map(|e| format!("{PROJECT}/docs/{}", e.unwrap().file_name().to_string_lossy()))
        .collect();
    assert_eq!(doc_files.len(), 4, "two articles, a text and an annotation file each: {doc_files:?}");
    let index_files = [format!("{PROJECT}/project.ron"), format!("{PROJECT}/index/0000.ron")];
    for file in doc_files.iter().chain(&index_files).map(String::as_str) {
        let attr = team.git("a", &["check-attr", "merge", "--", file]);
        let expected = if file.ends_with(".ron") { "merge: factmark" } else { "merge: unspecified" };
        assert!(attr.contains(expected), "{file}: {attr}");
    }
    team.git("a", &["config", "pull.rebase", "false"]);
    team.git("a", &["add", ".gitattributes", PROJECT]);
    team.git("a", &["commit", "-m", "Folder project with two articles"]);
    team.git("a", &["push", "-u", "origin", "main"]);
    team.git(".", &["clone", "remote.git", "b"]);
    team.git("b", &["config", "pull.rebase", "false"]);
    let setup_b = team.factmark("b", &["git-setup"]);
    assert!(setup_b.contains("git config merge.factmark.driver"), "{setup_b}");
    team
}

fn spans_with_text<'p>(project: &'p Project, doc_title: &str, needle: &str) -> Vec<&'p Span> {
    let doc = project.documents.iter().find(|d| d.title.contains(doc_title)).unwrap();
    let chars: Vec<char> = doc.text.chars().collect();
    doc.spans.iter().filter(|s| chars[s.start.0..s.end.0].iter().collect::<String>() == needle).collect()
}

#[test]
fn same_document_both_sides_then_a_conflict_settled_and_committed() {
    if !git_available() {
        eprintln!("note: git is not installed; skipping the git merge test");
        return;
    }
    let team = team();
    let before = team.load("b");
    let shameful = spans_with_text(&before, "Ferry", "the rise was shameful")[0].id.0;
    let economy = spans_with_text(&before, "Library", "Closing libraries early is a false economy.")[0].id.0;

    // A: two spans in the ferry article, and the opinion relabelled.
    let a_new = [
        team.add("a", "Ferry", "Source", "Piotr Wójcik"),
        team.add("a", "Ferry", "Claim", "fares will rise by a fifth in June"),
    ];
    team.set_label("a", "Ferry", shameful, "Claim");
    team.git("a", &["commit", "-am", "A: ferry spans"]);
    team.git("a", &["push"]);

    // B: two spans in the same article (the ids A just used) with a relation, one in the other, a deletion.
    let b_source = team.add("b", "Ferry", "Source", "The island ferry operator");
    let b_claim = team.add("b", "Ferry", "Claim", "“Nobody wants this,”");
    assert!(a_new.contains(&b_source) && a_new.contains(&b_claim), "both clones hand out the same ids");
    team.factmark(
        "b",
        &["relation", "add", PROJECT, "--doc", "Ferry", "--from", &b_source.to_string(), "--to", &b_claim.to_string()],
    );
    team.add("b", "Library", "Source", "Councillor Mª José Ibáñez");
    team.factmark("b", &["span", "remove", PROJECT, "--doc", "Library", "--span", &economy.to_string()]);
    team.git("b", &["commit", "-am", "B: spans in both articles"]);
    let pull = team.git("b", &["pull", "--no-edit"]);
    assert!(pull.contains("factmark: merged document"), "the driver merged the document file: {pull}");
    assert!(pull.contains("factmark: merged the index"), "the driver merged the index: {pull}");
    team.assert_no_markers("b");
    assert!(team.files("b").iter().all(|(_, body)| !body.contains("conflict:")), "a clean merge flags nothing");

    let merged = team.load("b");
    assert_unique_ids(&merged);
    // The merged index keeps a side's counts only on lines that name that side's files, and a document
    // both sides changed is read: the folder's statistics are those of the merged project.
    let index = store::folder::open_index(&team.folder("b")).unwrap();
    let (stats, whole) =
        (factmark::analysis::stats::folder_stats(&index), factmark::analysis::stats::project_stats(&merged));
    assert_eq!(stats.unwrap(), whole);
    let found =
        |doc: &str, needle: &str| spans_with_text(&merged, doc, needle).iter().map(|s| s.id).collect::<Vec<_>>();
    for (doc, needle) in [
        ("Ferry", "Piotr Wójcik"),
        ("Ferry", "fares will rise by a fifth in June"),
        ("Ferry", "The island ferry operator"),
        ("Ferry", "“Nobody wants this,”"),
        ("Ferry", "Inès Laurent"),
        ("Library", "Councillor Mª José Ibáñez"),
    ] {
        assert_eq!(found(doc, needle).len(), 1, "{needle} is there once");
    }
    assert_eq!(all_span_ids(&merged).len(), 4 + 2 + 3 - 1, "every addition kept, the deletion applied");
    assert!(found("Library", "Closing libraries early is a false economy.").is_empty(), "B's deletion is kept");
    let ferry = merged.documents.iter().find(|d| d.title.contains("Ferry")).unwrap();
    assert_eq!(ferry.span(SpanId(shameful)).map(|s| s.label.as_str()), Some("Claim"), "A's relabel is kept");
    let (b_source, b_claim) =
        (found("Ferry", "The island ferry operator")[0], found("Ferry", "“Nobody wants this,”")[0]);
    assert!(
        ferry.relations.iter().any(|r| r.from == b_source && r.to == b_claim),
        "B's relation follows B's spans to their new ids: {:?}",
        ferry.relations
    );
    assert_eq!(ferry.relations.len(), 2);
    team.git("b", &["push"]);
    team.git("a", &["pull", "--no-edit"]);
    assert_eq!(team.load("a"), merged, "both clones see the same project");

    // Both relabel the same span differently: a real conflict.
    team.set_label("a", "Ferry", shameful, "Opinion");
    team.git("a", &["commit", "-am", "A: an opinion after all"]);
    team.git("a", &["push"]);
    team.set_label("b", "Ferry", shameful, "Source");
    team.git("b", &["commit", "-am", "B: a source"]);
    let pull = team.git_status("b", &["pull", "--no-edit"]);
    assert!(!pull.status.success(), "git reports the conflict: {}", text(&pull));
    assert!(text(&pull).contains("CONFLICT") && text(&pull).contains("docs/"), "{}", text(&pull));
    assert!(text(&pull).contains(&format!("factmark span resolve {PROJECT}")), "{}", text(&pull));
    team.assert_no_markers("b");
    let conflicted = team.load("b");
    assert_unique_ids(&conflicted);
    let alternatives = spans_with_text(&conflicted, "Ferry", "the rise was shameful");
    let flags: Vec<(&str, &str)> = alternatives.iter().map(|s| (s.label.as_str(), s.conflict.as_str())).collect();
    assert_eq!(flags.len(), 2, "{flags:?}");
    assert!(flags.contains(&("Source", &*format!("{shameful}/ours"))), "{flags:?}");
    let theirs = alternatives.iter().find(|s| s.label == "Opinion").unwrap();
    assert_eq!(theirs.conflict, format!("{shameful}/theirs"));
    let report = team.factmark("b", &["validate", PROJECT]);
    assert!(report.contains("1 conflict(s) left"), "{report}");
    assert!(report.contains("label Source (ours) vs Opinion (theirs)"), "{report}");

    // B keeps A's version and finishes the merge.
    let resolved = team.factmark("b", &["span", "resolve", PROJECT, &theirs.id.to_string()]);
    assert!(resolved.contains(&format!("removed alternative(s) {shameful}")), "{resolved}");
    team.git("b", &["add", PROJECT]);
    team.git("b", &["commit", "--no-edit"]);
    let report = team.factmark("b", &["validate", PROJECT]);
    assert!(report.contains("valid") && !report.contains("conflict"), "{report}");
    let done = team.load("b");
    let settled = spans_with_text(&done, "Ferry", "the rise was shameful");
    assert_eq!(settled.len(), 1);
    assert_eq!((settled[0].label.as_str(), settled[0].conflict.as_str()), ("Opinion", ""));
    let status = team.git("b", &["status", "--porcelain"]);
    assert!(status.trim().is_empty(), "{status}");
    team.git("b", &["push"]);
    team.git("a", &["pull", "--no-edit"]);
    assert_eq!(team.load("a"), done);
}

#[test]
fn spans_added_to_different_documents_keep_unique_ids_after_load() {
    if !git_available() {
        eprintln!("note: git is not installed; skipping the git merge test");
        return;
    }
    let team = team();
    let a_ids = [
        team.add("a", "Ferry", "Source", "Piotr Wójcik"),
        team.add("a", "Ferry", "Claim", "fares will rise by a fifth in June"),
    ];
    team.git("a", &["commit", "-am", "A: ferry"]);
    team.git("a", &["push"]);
    let b_source = team.add("b", "Library", "Source", "Councillor Mª José Ibáñez");
    let b_claim = team.add(
        "b",
        "Library",
        "Claim",
        "The county will shorten opening hours at three village libraries from April",
    );
    assert_eq!([b_source, b_claim], a_ids, "each clone handed out the same two ids, in different documents");
    team.factmark(
        "b",
        &[
            "relation",
            "add",
            PROJECT,
            "--doc",
            "Library",
            "--from",
            &b_source.to_string(),
            "--to",
            &b_claim.to_string(),
        ],
    );
    team.git("b", &["commit", "-am", "B: library"]);
    // Only the index is changed on both sides; git takes each document file from the side that changed it.
    let pull = team.git("b", &["pull", "--no-edit"]);
    assert!(pull.contains("factmark: merged the index"), "{pull}");
    assert!(!pull.contains("merged document"), "no document file needed merging: {pull}");
    team.assert_no_markers("b");

    let merged = team.load("b");
    assert_unique_ids(&merged);
    assert_eq!(all_span_ids(&merged).len(), 4 + 2 + 2, "nothing lost");
    let library = merged.documents.iter().find(|d| d.title.contains("Library")).unwrap();
    let id_of = |needle: &str| spans_with_text(&merged, "Library", needle)[0].id;
    let (source, claim) = (
        id_of("Councillor Mª José Ibáñez"),
        id_of("The county will shorten opening hours at three village libraries from April"),
    );
    assert!(
        library.relations.iter().any(|r| r.from == source && r.to == claim),
        "the relation follows: {:?}",
        library.relations
    );
    let ferry_ids: Vec<u64> = spans_with_text(&merged, "Ferry", "Piotr Wójcik").iter().map(|s| s.id.0).collect();
    assert_eq!(ferry_ids, vec![a_ids[0]], "the earlier document keeps its ids");

    // Every clone loading the merged files gets the same ids, before anyone saves them…
    team.git("b", &["push"]);
    team.git("a", &["pull", "--no-edit"]);
    assert_eq!(team.load("a"), merged);
    // …and the next save writes them, so the files hold unique ids from then on.
    team.add("b", "Library", "Opinion", "Closing libraries early is a false economy.");
    let saved = team.load("b");
    assert_unique_ids(&saved);
    let raw_ids: Vec<String> = team
        .files("b")
        .iter()
        .filter(|(p, _)| p.parent().is_some_and(|d| d.ends_with("docs")) && p.extension().is_some_and(|e| e == "ron"))
        .flat_map(|(_, body)| {
            // A span's line has a start; a relation's line has none.
            let spans = body.lines().filter(|l| l.contains("start:"));
            spans
                .filter_map(|l| l.trim().strip_prefix("(id: ")?.split(',').next().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    let mut unique = raw_ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), raw_ids.len(), "the saved document files hold unique span ids: {raw_ids:?}");
}

#[test]
fn field_and_label_conflicts_are_kept_in_the_folder_files_and_resolved() {
    if !git_available() {
        eprintln!("note: git is not installed; skipping the git merge test");
        return;
    }
    let team = team();
    let recolour = |clone: &str, colour: [u8; 3]| {
        let mut project = team.load(clone);
        let mut schema = project.schema.clone();
        schema.labels.iter_mut().filter(|l| l.name == "Opinion").for_each(|l| l.color = factmark::model::Rgb(colour));
        factmark::edit::Edit::SetSchema { schema: Box::new(schema) }.apply(&mut project).unwrap();
        store::save(&project, &team.folder(clone)).unwrap();
    };
    let set = |clone: &str, args: &[&str]| {
        let mut all = vec!["doc", "set", PROJECT, "--doc", "Library"];
        all.extend_from_slice(args);
        team.factmark(clone, &all);
    };
    set("a", &["--status", "done"]);
    recolour("a", [0x11, 0x11, 0x11]);
    team.git("a", &["commit", "-am", "A: library done, Opinion grey"]);
    team.git("a", &["push"]);
    set("b", &["--status", "in-progress"]);
    recolour("b", [0xee, 0xee, 0xee]);
    team.git("b", &["commit", "-am", "B: library in progress, Opinion white"]);
    let pull = team.git_status("b", &["pull", "--no-edit"]);
    assert!(!pull.status.success(), "git reports the conflict: {}", text(&pull));
    assert!(text(&pull).contains("docs/") && text(&pull).contains("project.ron"), "{}", text(&pull));
    team.assert_no_markers("b");

    // The document file holds the status conflict, the index the label's.
    let flagged: Vec<(PathBuf, String)> =
        team.files("b").into_iter().filter(|(_, body)| body.contains("conflicts:")).collect();
    assert_eq!(flagged.len(), 2, "the library's document file and the index: {flagged:?}");
    let (doc_file, index) = match flagged[0].0.ends_with("project.ron") {
        true => (&flagged[1].1, &flagged[0].1),
        false => (&flagged[0].1, &flagged[1].1),
    };
    assert!(doc_file.contains("(field: \"status\", theirs: \"done\")"), "{doc_file}");
    assert!(index.contains("Label(") && index.contains("#111111"), "{index}");

    let conflicted = team.load("b");
    let library = conflicted.documents.iter().find(|d| d.title.contains("Library")).unwrap();
    assert_eq!(library.status, factmark::model::DocStatus::InProgress, "ours in force");
    let report = team.factmark("b", &["validate", PROJECT]);
    assert!(report.contains("2 conflict(s) left"), "{report}");
    assert!(report.contains(&format!("factmark resolve {PROJECT} status --doc {} --keep ours|theirs", library.id)));

    let id = library.id.to_string();
    team.factmark("b", &["resolve", PROJECT, "status", "--doc", &id, "--keep", "theirs"]);
    team.factmark("b", &["resolve", PROJECT, "label:Opinion", "--keep", "ours"]);
    let done = team.load("b");
    assert_eq!(done.doc(&library.id).map(|d| d.status), Some(factmark::model::DocStatus::Done));
    assert_eq!(done.schema.label("Opinion").map(|l| l.color), Some(factmark::model::Rgb([0xee, 0xee, 0xee])));
    assert_eq!(factmark::merge::conflict_count(&done, None), 0);
    assert!(team.files("b").iter().all(|(_, body)| !body.contains("conflicts:")), "the files are clean again");
    team.git("b", &["add", PROJECT]);
    team.git("b", &["commit", "--no-edit"]);
    team.git("b", &["push"]);
    team.git("a", &["pull", "--no-edit"]);
    assert_eq!(team.load("a"), done);
}

#[test]
fn a_document_deleted_on_one_side_and_changed_on_the_other_is_restored_flagged_and_settled() {
    if !git_available() {
        eprintln!("note: git is not installed; skipping the git merge test");
        return;
    }
    // Who deletes, who adds a span, theirs' side as flagged, B's restore's words, whether theirs keeps it.
    for (deleter, changer, theirs, said, kept) in [
        ("a", "b", "deleted", "deleted in theirs, changed in ours", false),
        ("b", "a", "changed", "deleted in ours, changed in theirs", true),
    ] {
        let team = team();
        let mut project = team.load(deleter);
        let library = project.documents.iter().find(|d| d.title.contains("Library")).unwrap().id.clone();
        factmark::edit::Edit::RemoveDocument { doc: library }.apply(&mut project).unwrap();
        store::save(&project, &team.folder(deleter)).unwrap();
        team.git(deleter, &["commit", "-am", "library deleted"]);
        team.add(changer, "Library", "Source", "Councillor Mª José Ibáñez");
        team.git(changer, &["commit", "-am", "library source"]);
        team.git("a", &["push"]);
        let pull = team.git_status("b", &["pull", "--no-edit"]);
        assert!(!pull.status.success(), "git reports the conflict: {}", text(&pull));
        assert!(text(&pull).contains("factmark git-restore"), "the driver says what to run: {}", text(&pull));
        team.assert_no_markers("b");
        // Before the restore the app opens the folder anyway, and the document says what to run.
        let mut session = factmark::session::workspace::Session::open(&team.folder("b")).unwrap();
        let doc = session.project().documents.iter().find(|d| d.title.contains("Library")).unwrap().id.clone();
        assert!(session.ensure_loaded(&doc).unwrap_err().contains("`factmark git-restore"));
        // Git deleted the text with the deletion; the restore brings it back and flags the document.
        let restored = team.factmark("b", &["git-restore", PROJECT]);
        let conflicted = team.load("b");
        let library = conflicted.documents.iter().find(|d| d.title.contains("Library")).expect("the changed one");
        let id = library.id.to_string();
        assert!(restored.contains(&format!("doc {id}: {said}")), "{restored}");
        assert_eq!(library.spans.len(), 2, "with the added source: {:?}", library.spans);
        let fields: Vec<(&str, &str)> =
            library.conflicts.iter().map(|c| (c.field.as_str(), c.theirs.as_str())).collect();
        assert_eq!(fields, [("document", theirs)]);
        let report = team.factmark("b", &["validate", PROJECT]);
        assert!(report.contains("1 conflict(s) left") && report.contains("deleted in"), "{report}");
        assert!(report.contains(&format!("factmark resolve {PROJECT} document --doc {id} --keep ours|theirs")));
        let settled = team.factmark("b", &["resolve", PROJECT, "document", "--doc", &id, "--keep", "theirs"]);
        assert!(settled.contains("0 conflict(s) left"), "{settled}");
        let done = team.load("b");
        let library = done.documents.iter().find(|d| d.title.contains("Library"));
        assert_eq!(library.is_some_and(|d| d.conflicts.is_empty() && d.spans.len() == 2), kept, "{library:?}");
        let files = team.files("b").into_iter().filter(|(path, _)| path.to_string_lossy().contains("library"));
        assert_eq!(files.count(), if kept { 2 } else { 0 }, "the document's text and annotations");
        team.git("b", &["add", "-A", PROJECT]);
        team.git("b", &["commit", "--no-edit"]);
        team.git("b", &["push"]);
        team.git("a", &["pull", "--no-edit"]);
        assert_eq!(team.load("a"), done, "A gets the settled project as it is");
    }
}
