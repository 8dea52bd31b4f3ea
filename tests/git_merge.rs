//! Two annotators sharing a single-file project through a real git remote: `factmark git-setup` in both
//! clones, independent labelling, `git pull` merging with `factmark merge-driver`, a real conflict flagged
//! in the project and settled with `factmark span resolve`.
//!
//! Runs the real `git` binary with its own HOME and no system config, so the machine's settings cannot
//! leak in; skipped (with a note) only when git is not installed.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use factmark::model::{Project, Span, SpanId};
use factmark::store;

mod git_support;
use git_support::{Team, git_available, text};

const HARBOUR: &str = "Harbour bridge repairs “months behind”, engineers say\n\nEngineers led by Zoë Ortiz said on Tuesday that repairs to the harbour bridge are “at least four months behind” schedule. The U.S. firm hired for the steel work — Calloway & Sons — disputed the figure. “We expect to finish by spring,” said José Núñez, a company spokesman. The delay is an embarrassment for the council.\n";

const ORCHARD: &str = "Orchard growers fear a late frost\n\nApple growers in the valley say a late frost could halve this year’s crop. “We have never seen blossom this early,” said Ana Müller, who farms forty hectares near Saint-Élie. The regional weather office expects temperatures to fall below zero next week. Growers should have insured their trees years ago.\n";

impl Team {
    fn project(&self, clone: &str) -> PathBuf {
        self.root.join(clone).join("coverage.ron")
    }

    /// Adds a span by its text; returns its id.
    fn add(&self, clone: &str, doc: &str, label: &str, find: &str) -> u64 {
        self.add_span(clone, "coverage.ron", doc, label, find)
    }

    fn load(&self, clone: &str) -> Project {
        store::load(&self.project(clone)).unwrap_or_else(|e| panic!("{clone}'s project does not load: {e}"))
    }
}

/// A bare remote, annotator A's clone with the project (two articles, four spans, one relation) pushed, and
/// annotator B's clone of it; `git-setup` run in both.
fn team() -> Team {
    let team = Team::new();
    let root = team.root.clone();
    for (name, body) in [("harbour.txt", HARBOUR), ("orchard.txt", ORCHARD)] {
        fs::write(root.join(name), body).unwrap();
    }
    team.factmark("a", &["new", "coverage.ron", "--name", "Coverage"]);
    team.factmark("a", &["import", "coverage.ron", "../harbour.txt", "../orchard.txt"]);
    let ortiz = team.add("a", "Harbour", "Source", "Engineers led by Zoë Ortiz");
    let behind =
        team.add("a", "Harbour", "Claim", "repairs to the harbour bridge are “at least four months behind” schedule");
    team.factmark(
        "a",
        &[
            "relation",
            "add",
            "coverage.ron",
            "--doc",
            "Harbour",
            "--from",
            &ortiz.to_string(),
            "--to",
            &behind.to_string(),
        ],
    );
    team.add("a", "Harbour", "Opinion", "The delay is an embarrassment for the council.");
    team.add("a", "Orchard", "Opinion", "Growers should have insured their trees years ago.");
    let setup = team.factmark("a", &["git-setup"]);
    assert!(setup.contains("added `*.ron merge=factmark`") && setup.contains("merge.factmark.driver"), "{setup}");
    let again = team.factmark("a", &["git-setup"]);
    assert!(again.contains("nothing to change"), "a second git-setup must change nothing: {again}");
    assert_eq!(fs::read_to_string(root.join("a/.gitattributes")).unwrap(), "*.ron merge=factmark\n");
    team.git("a", &["config", "pull.rebase", "false"]);
    team.git("a", &["add", ".gitattributes", "coverage.ron"]);
    team.git("a", &["commit", "-m", "Project with two articles"]);
    team.git("a", &["push", "-u", "origin", "main"]);
    team.git(".", &["clone", "remote.git", "b"]);
    team.git("b", &["config", "pull.rebase", "false"]);
    let setup_b = team.factmark("b", &["git-setup"]);
    assert!(setup_b.contains("already has `*.ron merge=factmark`"), "{setup_b}");
    assert!(setup_b.contains("git config merge.factmark.driver"), "{setup_b}");
    team
}

fn span_with_text<'p>(project: &'p Project, doc_title: &str, needle: &str) -> Vec<&'p Span> {
    let doc = project.documents.iter().find(|d| d.title.contains(doc_title)).unwrap();
    let chars: Vec<char> = doc.text.chars().collect();
    doc.spans.iter().filter(|s| chars[s.start.0..s.end.0].iter().collect::<String>() == needle).collect()
}

#[test]
fn two_annotators_merge_through_git_then_settle_a_conflict() {
    if !git_available() {
        eprintln!("note: git is not installed; skipping the git merge test");
        return;
    }
    let team = team();
    let before = team.load("b");
    let embarrassment = span_with_text(&before, "Harbour", "The delay is an embarrassment for the council.")[0].id;
    let insured = span_with_text(&before, "Orchard", "Growers should have insured their trees years ago.")[0].id;

    // A: two spans in the harbour article, and the opinion relabelled.
    let a_new = [
        team.add("a", "Harbour", "Source", "José Núñez"),
        team.add("a", "Harbour", "Claim", "“We expect to finish by spring,”"),
    ];
    team.factmark(
        "a",
        &["span", "set", "coverage.ron", "--doc", "Harbour", "--span", &embarrassment.to_string(), "--label", "Claim"],
    );
    team.git("a", &["commit", "-am", "A: harbour spans"]);
    team.git("a", &["push"]);

    // B: spans in both articles (their ids are the ones A just used), a relation, and a deletion.
    let b_source = team.add("b", "Harbour", "Source", "The U.S. firm hired for the steel work — Calloway & Sons —");
    let b_claim = team.add("b", "Harbour", "Claim", "disputed the figure");
    let b_orchard = team.add("b", "Orchard", "Source", "Ana Müller");
    assert!(a_new.contains(&b_source) && a_new.contains(&b_claim), "both clones hand out the same ids");
    team.factmark(
        "b",
        &[
            "relation",
            "add",
            "coverage.ron",
            "--doc",
            "Harbour",
            "--from",
            &b_source.to_string(),
            "--to",
            &b_claim.to_string(),
        ],
    );
    team.factmark("b", &["span", "remove", "coverage.ron", "--doc", "Orchard", "--span", &insured.to_string()]);
    team.git("b", &["commit", "-am", "B: spans in both articles"]);
    let pull = team.git("b", &["pull", "--no-edit"]);
    assert!(pull.contains("factmark: merged coverage.ron"), "the driver ran: {pull}");

    let merged = team.load("b");
    let raw = fs::read_to_string(team.project("b")).unwrap();
    assert!(!raw.contains("<<<<<<<") && !raw.contains(">>>>>>>"));
    assert!(!raw.contains("conflict:"), "a clean merge flags nothing");
    let found = |doc: &str, needle: &str| span_with_text(&merged, doc, needle).iter().map(|s| s.id).collect::<Vec<_>>();
    let [a_source, a_claim] = [found("Harbour", "José Núñez"), found("Harbour", "“We expect to finish by spring,”")];
    let b_source_id = found("Harbour", "The U.S. firm hired for the steel work — Calloway & Sons —");
    let b_claim_id = found("Harbour", "disputed the figure");
    for ids in [&a_source, &a_claim, &b_source_id, &b_claim_id, &found("Orchard", "Ana Müller")] {
        assert_eq!(ids.len(), 1, "every added span is there once");
    }
    let mut all: Vec<SpanId> = merged.documents.iter().flat_map(|d| d.spans.iter().map(|s| s.id)).collect();
    assert_eq!(all.len(), 4 + 2 + 3 - 1);
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 8, "span ids are unique");
    assert!(merged.next_span_id > all.iter().map(|id| id.0).max().unwrap());
    let harbour = merged.documents.iter().find(|d| d.title.contains("Harbour")).unwrap();
    assert_eq!(harbour.relations.len(), 2);
    assert!(
        harbour.relations.iter().any(|r| r.from == b_source_id[0] && r.to == b_claim_id[0]),
        "B's relation links B's spans under their new ids: {:?}",
        harbour.relations
    );
    assert_eq!(harbour.span(embarrassment).map(|s| s.label.as_str()), Some("Claim"), "A's relabel is kept");
    assert!(found("Orchard", "Growers should have insured their trees years ago.").is_empty(), "B's deletion is kept");
    assert!(b_orchard > 0);
    team.git("b", &["push"]);
    team.git("a", &["pull", "--no-edit"]);

    // Both relabel the same span differently: a real conflict.
    let disputed = embarrassment.to_string();
    team.factmark("a", &["span", "set", "coverage.ron", "--doc", "Harbour", "--span", &disputed, "--label", "Opinion"]);
    team.git("a", &["commit", "-am", "A: it is an opinion after all"]);
    team.git("a", &["push"]);
    team.factmark("b", &["span", "set", "coverage.ron", "--doc", "Harbour", "--span", &disputed, "--label", "Source"]);
    team.git("b", &["commit", "-am", "B: it is a source"]);
    let pull = team.git_status("b", &["pull", "--no-edit"]);
    assert!(!pull.status.success(), "git reports the conflict: {}", text(&pull));
    assert!(text(&pull).contains("conflict"), "{}", text(&pull));
    let raw = fs::read_to_string(team.project("b")).unwrap();
    assert!(!raw.contains("<<<<<<<") && !raw.contains("======="), "no text conflict markers in the project");
    let conflicted = team.load("b");
    let alternatives = span_with_text(&conflicted, "Harbour", "The delay is an embarrassment for the council.");
    let labels: Vec<(&str, &str)> = alternatives.iter().map(|s| (s.label.as_str(), s.conflict.as_str())).collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(labels.contains(&("Source", &*format!("{disputed}/ours"))), "{labels:?}");
    let theirs = alternatives.iter().find(|s| s.label == "Opinion").unwrap();
    assert_eq!(theirs.conflict, format!("{disputed}/theirs"));
    let report = team.factmark("b", &["validate", "coverage.ron"]);
    assert!(report.contains("1 conflict(s) left"), "{report}");
    assert!(report.contains(&format!("span {disputed} in doc")), "{report}");
    assert!(report.contains("label Source (ours) vs Opinion (theirs)"), "{report}");

    // B accepts A's version, and finishes the merge.
    let resolved = team.factmark("b", &["span", "resolve", "coverage.ron", &theirs.id.to_string()]);
    assert!(resolved.contains(&format!("removed alternative(s) {disputed}")), "{resolved}");
    team.git("b", &["add", "coverage.ron"]);
    team.git("b", &["commit", "--no-edit"]);
    let report = team.factmark("b", &["validate", "coverage.ron"]);
    assert!(report.contains("valid") && !report.contains("conflict"), "{report}");
    let done = team.load("b");
    let settled = span_with_text(&done, "Harbour", "The delay is an embarrassment for the council.");
    assert_eq!(settled.len(), 1);
    assert_eq!((settled[0].label.as_str(), settled[0].conflict.as_str()), ("Opinion", ""));
    // factmark's `.bak` copies are untracked files, not changes.
    let status = team.git("b", &["status", "--porcelain", "--untracked-files=no"]);
    assert!(status.trim().is_empty(), "{status}");
    team.git("b", &["push"]);
}

#[test]
fn git_setup_outside_a_repository_is_a_clear_error() {
    if !git_available() {
        eprintln!("note: git is not installed; skipping");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["git-setup", &dir.path().display().to_string()])
        .env("HOME", dir.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("not a git repository"), "{}", text(&out));
    assert!(!dir.path().join(".gitattributes").exists());
}

#[test]
fn merge_driver_leaves_ours_alone_when_an_input_is_unreadable() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let mut project = Project::new("p");
    project.documents.push(factmark::model::Document::new(factmark::model::DocId("d".into()), "D", "Text — “quoted”."));
    store::save(&project, &path("base.ron")).unwrap();
    store::save(&project, &path("ours.ron")).unwrap();
    fs::write(path("theirs.ron"), "(format: 1, name: \"p\", next_span_id: oops").unwrap();
    let ours_before = fs::read(path("ours.ron")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["merge-driver", "base.ron", "ours.ron", "theirs.ron", "data/coverage.ron"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("data/coverage.ron: cannot read their version"), "{}", text(&out));
    assert_eq!(fs::read(path("ours.ron")).unwrap(), ours_before, "ours is left as git gave it");

    // A clean merge exits 0 and writes the result over ours.
    store::save(&project, &path("theirs.ron")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_factmark"))
        .args(["merge-driver", "base.ron", "ours.ron", "theirs.ron"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(store::load(&path("ours.ron")).unwrap(), project);
}

#[test]
fn resolving_keeps_one_alternative_and_moves_the_others_relations_to_it() {
    use factmark::model::{CharIdx, DocId, Document, Relation, RelationId};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let article = "Zoë Ortiz said the U.S. plan “will fail” — nobody agreed.";
    let mut project = Project::new("p");
    let mut doc = Document::new(DocId("d".into()), "D", article);
    let mut ours = Span::new(SpanId(2), CharIdx(15)..CharIdx(40), "Claim", "a");
    ours.conflict = "2/ours".into();
    let mut theirs = Span::new(SpanId(3), CharIdx(15)..CharIdx(40), "Opinion", "b");
    theirs.conflict = "2/theirs".into();
    doc.spans = vec![Span::new(SpanId(1), CharIdx(0)..CharIdx(9), "Source", "a"), ours, theirs];
    doc.spans.sort_by_key(Span::sort_key);
    doc.relations = vec![Relation { id: RelationId(1), from: SpanId(1), to: SpanId(2), kind: "attributed_to".into() }];
    project.documents.push(doc);
    project.next_span_id = 4;
    project.next_relation_id = 2;
    store::save(&project, &path).unwrap();
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap();
    let p = path.display().to_string();

    let listed = run(&["validate", &p]);
    assert!(text(&listed).contains("label Claim (ours) vs Opinion (theirs)"), "{}", text(&listed));
    let refused = run(&["span", "resolve", &p, "1"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused).contains("span 1 is not in conflict"), "{}", text(&refused));

    let out = run(&["span", "resolve", &p, "3"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("1 relation(s) moved"), "{}", text(&out));
    let done = store::load(&path).unwrap();
    let doc = &done.documents[0];
    assert_eq!(doc.spans.len(), 2);
    assert!(doc.span(SpanId(2)).is_none());
    assert_eq!(doc.span(SpanId(3)).map(|s| (s.label.as_str(), s.conflict.as_str())), Some(("Opinion", "")));
    assert_eq!(doc.relations.len(), 1);
    assert_eq!((doc.relations[0].from, doc.relations[0].to), (SpanId(1), SpanId(3)));
    assert!(factmark::model::validate::conflicts(&done).is_empty());
    assert!(!fs::read_to_string(&path).unwrap().contains("conflict"), "no flag is left in the file");
}

/// Recolours label `label` of the clone's project, as the schema editor would.
fn recolour(team: &Team, clone: &str, label: &str, colour: [u8; 3]) {
    let mut project = team.load(clone);
    let mut schema = project.schema.clone();
    let def = schema.labels.iter_mut().find(|l| l.name == label).unwrap();
    def.color = factmark::model::Rgb(colour);
    factmark::edit::Edit::SetSchema { schema: Box::new(schema) }.apply(&mut project).unwrap();
    store::save(&project, &team.project(clone)).unwrap();
}

#[test]
fn document_field_and_schema_conflicts_are_kept_in_the_file_listed_and_resolved() {
    if !git_available() {
        eprintln!("note: git is not installed; skipping the git merge test");
        return;
    }
    let team = team();
    let set = |clone: &str, args: &[&str]| {
        let mut all = vec!["doc", "set", "coverage.ron", "--doc", "Harbour"];
        all.extend_from_slice(args);
        team.factmark(clone, &all);
    };
    // A: the harbour article is done, retitled; Claim turns red. B: needs review, another title; Claim blue.
    set("a", &["--status", "done", "--title", "Harbour repairs late"]);
    recolour(&team, "a", "Claim", [0xcc, 0x22, 0x22]);
    team.git("a", &["commit", "-am", "A: harbour done, Claim red"]);
    team.git("a", &["push"]);
    set("b", &["--status", "needs-review", "--title", "Bridge repairs behind schedule"]);
    recolour(&team, "b", "Claim", [0x22, 0x22, 0xcc]);
    // A change only B made (the note) merges cleanly beside the conflicts.
    set("b", &["--note", "check the spokesman's name"]);
    team.git("b", &["commit", "-am", "B: needs review, Claim blue"]);
    let pull = team.git_status("b", &["pull", "--no-edit"]);
    assert!(!pull.status.success(), "git reports the conflict: {}", text(&pull));
    let said = text(&pull);
    assert!(said.contains("factmark: conflict: doc") && said.contains("label Claim"), "{said}");

    // The file opens, holds ours in force and theirs beside it, and no text markers.
    let raw = fs::read_to_string(team.project("b")).unwrap();
    assert!(!raw.contains("<<<<<<<") && !raw.contains("======="));
    let conflicted = team.load("b");
    let harbour = conflicted.documents.iter().find(|d| d.note == "check the spokesman's name").unwrap();
    let id = harbour.id.to_string();
    assert_eq!(harbour.title, "Bridge repairs behind schedule");
    assert_eq!(harbour.status, factmark::model::DocStatus::NeedsReview);
    let fields: Vec<(&str, &str)> = harbour.conflicts.iter().map(|c| (c.field.as_str(), c.theirs.as_str())).collect();
    assert_eq!(fields, [("title", "Harbour repairs late"), ("status", "done")]);
    assert_eq!(conflicted.schema.label("Claim").map(|l| l.color.to_string()), Some("#2222cc".to_string()));
    assert_eq!(conflicted.conflicts.len(), 1);

    let report = team.factmark("b", &["validate", "coverage.ron"]);
    assert!(report.contains("3 conflict(s) left"), "{report}");
    assert!(report.contains("project label:Claim: ours colour #2222cc"), "{report}");
    assert!(report.contains("theirs colour #cc2222"), "{report}");
    assert!(report.contains(&format!("doc {id}: status: ours \"needs-review\", theirs \"done\"")), "{report}");
    assert!(report.contains(&format!("factmark resolve coverage.ron title --doc {id} --keep ours|theirs")), "{report}");
    assert!(report.contains("factmark resolve coverage.ron label:Claim --keep ours|theirs"), "{report}");

    let shown = team.factmark("b", &["doc", "show", "coverage.ron", "--doc", &id]);
    assert!(
        shown.contains("status: needs-review\n") && shown.contains("conflict: status — theirs \"done\""),
        "{shown}"
    );

    // A field that is not in conflict is refused, naming the ones that are.
    let refused = team.factmark_status("b", &["resolve", "coverage.ron", "note", "--doc", &id, "--keep", "ours"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(text(&refused).contains("has no conflict on \"note\" (open: title, status)"), "{}", text(&refused));

    let keep = |item: &str, doc: Option<&str>, side: &str| {
        let mut args = vec!["resolve", "coverage.ron", item, "--keep", side];
        args.extend(doc.map(|d| ["--doc", d]).into_iter().flatten());
        team.factmark("b", &args)
    };
    assert!(keep("status", Some(&id), "theirs").contains("2 conflict(s) left"));
    keep("title", Some(&id), "ours");
    assert!(keep("label:Claim", None, "theirs").contains("0 conflict(s) left"));
    let done = team.load("b");
    let harbour = done.doc(&harbour.id).unwrap();
    assert_eq!(
        (harbour.title.as_str(), harbour.status),
        ("Bridge repairs behind schedule", factmark::model::DocStatus::Done)
    );
    assert!(harbour.conflicts.is_empty() && done.conflicts.is_empty());
    assert_eq!(done.schema.label("Claim").map(|l| l.color.to_string()), Some("#cc2222".to_string()));
    let raw = fs::read_to_string(team.project("b")).unwrap();
    assert!(!raw.contains("conflicts:"), "nothing of the conflicts is left in the file");
    let report = team.factmark("b", &["validate", "coverage.ron"]);
    assert!(!report.contains("conflict"), "{report}");
    team.git("b", &["add", "coverage.ron"]);
    team.git("b", &["commit", "--no-edit"]);
    team.git("b", &["push"]);
    team.git("a", &["pull", "--no-edit"]);
    assert_eq!(team.load("a"), done, "A gets the settled project as it is");
}

/// Applies the edit `make` builds from the clone's project and saves it, as the window would.
fn edit(team: &Team, clone: &str, make: impl FnOnce(&Project) -> Vec<factmark::edit::Edit>) {
    let mut project = team.load(clone);
    for edit in make(&project) {
        edit.apply(&mut project).unwrap();
    }
    store::save(&project, &team.project(clone)).unwrap();
}

/// Relation `id` of `doc` pointed elsewhere, under the same id.
fn repoint(project: &Project, doc: &str, from: u64, to: u64) -> Vec<factmark::edit::Edit> {
    let doc = project.documents.iter().find(|d| d.title.contains(doc)).unwrap();
    let mut relation = doc.relations[0].clone();
    (relation.from, relation.to) = (SpanId(from), SpanId(to));
    vec![
        factmark::edit::Edit::RemoveRelation { doc: doc.id.clone(), relation: relation.id },
        factmark::edit::Edit::AddRelation { doc: doc.id.clone(), relation },
    ]
}

#[test]
fn a_relation_a_deleted_document_and_a_rename_in_conflict_are_kept_listed_and_resolved() {
    if !git_available() {
        eprintln!("note: git is not installed; skipping the git merge test");
        return;
    }
    let team = team();
    let rename = |to: &str| factmark::edit::Edit::RenameLabel { from: "Claim".into(), to: to.into() };
    // A: Claim is renamed Fact, the relation points at the Opinion (span 3), the orchard article is deleted.
    edit(&team, "a", |p| {
        let orchard = p.documents.iter().find(|d| d.title.contains("Orchard")).unwrap().id.clone();
        let mut edits = vec![rename("Fact"), factmark::edit::Edit::RemoveDocument { doc: orchard }];
        edits.extend(repoint(p, "Harbour", 1, 3));
        edits
    });
    team.git("a", &["commit", "-am", "A: Fact, relation to the opinion, orchard deleted"]);
    team.git("a", &["push"]);
    // B: Claim is renamed Assertion, the relation starts at a new Source, the orchard article gets a span.
    let nunez = team.add("b", "Harbour", "Source", "José Núñez");
    team.add("b", "Orchard", "Source", "Ana Müller");
    edit(&team, "b", |p| {
        let mut edits = vec![rename("Assertion")];
        edits.extend(repoint(p, "Harbour", nunez, 2));
        edits
    });
    team.git("b", &["commit", "-am", "B: Assertion, relation from Núñez, orchard source"]);
    let pull = team.git_status("b", &["pull", "--no-edit"]);
    assert!(!pull.status.success(), "git reports the conflict: {}", text(&pull));

    // The file opens with ours in force and both versions of each conflict.
    let conflicted = team.load("b");
    assert!(conflicted.schema.label("Assertion").is_some() && conflicted.schema.label("Fact").is_none());
    let behind = span_with_text(
        &conflicted,
        "Harbour",
        "repairs to the harbour bridge are “at least four months behind” schedule",
    );
    assert_eq!(behind.iter().map(|s| s.label.as_str()).collect::<Vec<_>>(), ["Assertion"], "one span, not two");
    let harbour = conflicted.documents.iter().find(|d| d.title.contains("Harbour")).unwrap();
    assert_eq!((harbour.relations[0].from, harbour.relations[0].to), (SpanId(nunez), SpanId(2)), "ours in force");
    let orchard =
        conflicted.documents.iter().find(|d| d.title.contains("Orchard")).expect("the changed document is kept");
    assert_eq!(orchard.spans.len(), 2, "with B's new span");
    let (harbour_id, orchard_id) = (harbour.id.to_string(), orchard.id.to_string());

    let report = team.factmark("b", &["validate", "coverage.ron"]);
    assert!(report.contains("3 conflict(s) left"), "{report}");
    assert!(
        report.contains("project label_name:Assertion: ours label \"Claim\" renamed \"Assertion\", theirs label \"Claim\" renamed \"Fact\""),
        "{report}"
    );
    assert!(report.contains("factmark resolve coverage.ron label_name:Assertion --keep ours|theirs"), "{report}");
    assert!(
        report.contains(&format!(
            "doc {harbour_id}: relation 1 changed differently on each side: ours attributed_to: span {nunez} → span 2, theirs attributed_to: span 1 → span 3"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!("factmark resolve coverage.ron relation:1 --doc {harbour_id} --keep ours|theirs"))
    );
    assert!(report.contains(&format!("doc {orchard_id}: deleted in theirs but changed in ours")), "{report}");
    assert!(report.contains(&format!("factmark resolve coverage.ron document --doc {orchard_id} --keep ours|theirs")));

    let keep = |item: &str, doc: Option<&str>, side: &str| {
        let mut args = vec!["resolve", "coverage.ron", item, "--keep", side];
        args.extend(doc.map(|d| ["--doc", d]).into_iter().flatten());
        team.factmark("b", &args)
    };
    keep("label_name:Assertion", None, "theirs");
    keep("relation:1", Some(&harbour_id), "theirs");
    assert!(keep("document", Some(&orchard_id), "theirs").contains("0 conflict(s) left"));
    let done = team.load("b");
    assert!(done.schema.label("Fact").is_some() && done.schema.label("Assertion").is_none());
    assert_eq!(
        span_with_text(&done, "Harbour", "repairs to the harbour bridge are “at least four months behind” schedule")[0]
            .label,
        "Fact"
    );
    let harbour = done.documents.iter().find(|d| d.title.contains("Harbour")).unwrap();
    assert_eq!((harbour.relations[0].from, harbour.relations[0].to), (SpanId(1), SpanId(3)), "theirs kept");
    assert!(done.documents.iter().all(|d| !d.title.contains("Orchard")), "theirs' deletion kept");
    let report = team.factmark("b", &["validate", "coverage.ron"]);
    assert!(!report.contains("conflict"), "{report}");
    team.git("b", &["add", "coverage.ron"]);
    team.git("b", &["commit", "--no-edit"]);
    team.git("b", &["push"]);
    team.git("a", &["pull", "--no-edit"]);
    assert_eq!(team.load("a"), done, "A gets the settled project as it is");
}
