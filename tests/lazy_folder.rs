//! A large project folder in the window's session: opened from its index alone, each document read when it
//! is shown or edited and dropped again when many are, saved by writing only the changed documents, with
//! a broken document file that keeps the rest usable, edits that would need every document refused, and a
//! recovery file that holds only the changed documents.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use factmark::edit::{Edit, EditError};
use factmark::model::{CharIdx, DocId, LabelDef, Project, Rgb, Span};
use factmark::session::intent::Intent;
use factmark::session::workspace::{Session, Workspace, recovery_path};
use factmark::store::{self, folder};
use factmark::synth::{self, CorpusSpec};

/// More documents than the session keeps in memory at once.
const DOCS: usize = 70;

fn corpus() -> Project {
    synth::corpus(&CorpusSpec { docs: DOCS, words_per_doc: 120, spans_per_doc: 6, relations_per_doc: 1, seed: 7 })
}

/// A folder of [`corpus`] in a temp dir, and the project it holds.
fn folder_project() -> (tempfile::TempDir, PathBuf, Project) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.factmark");
    let project = corpus();
    folder::save(&project, &path).unwrap();
    (dir, path, project)
}

/// Every file in the folder's `docs/` with its bytes.
fn doc_files(path: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(path.join("docs"))
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn lazy_workspace(path: &Path) -> Workspace {
    let session = Session::open_with(path, 10).unwrap();
    assert!(session.is_lazy());
    Workspace::with_session(session)
}

fn new_span(ws: &mut Workspace, doc: &DocId) -> Edit {
    let id = ws.session.alloc_span_id();
    Edit::AddSpan { doc: doc.clone(), span: Span::new(id, CharIdx(0)..CharIdx(3), "Claim", "ana"), relations: vec![] }
}

#[test]
fn a_large_folder_opens_from_its_index_and_reads_each_document_when_shown() {
    let (_dir, path, whole) = folder_project();
    let mut ws = lazy_workspace(&path);
    let project = ws.session.project();
    assert_eq!(project.documents.len(), DOCS);
    let titles: Vec<&str> = project.documents.iter().map(|d| d.title.as_str()).collect();
    let whole_titles: Vec<&str> = whole.documents.iter().map(|d| d.title.as_str()).collect();
    assert_eq!(titles, whole_titles, "every document is listed, in order, before any is read");
    let lazy = ws.session.lazy().unwrap();
    assert_eq!(lazy.loaded_count(), 1, "only the shown document is read");
    assert!(project.documents[5].text.is_empty() && project.documents[5].spans.is_empty());
    assert_eq!(
        lazy.stub_counts(&project.documents[5].id).unwrap().values().sum::<usize>(),
        whole.documents[5].spans.len()
    );
    assert_eq!(lazy.stub_spans() + project.span_count(), whole.span_count(), "the span total counts the stubs");

    ws.apply(Intent::SelectDocument(5));
    assert_eq!(ws.document().unwrap(), &whole.documents[5], "shown, the document is read whole");

    // Browsing every document keeps only a few in memory.
    for i in 0..DOCS {
        ws.apply(Intent::SelectDocument(i));
        assert_eq!(ws.document().unwrap(), &whole.documents[i]);
    }
    let loaded = ws.session.lazy().unwrap().loaded_count();
    assert!(loaded <= 48, "{loaded} documents stayed in memory");
    assert!(ws.session.project().documents[0].text.is_empty(), "the first one shown was dropped again");
}

#[test]
fn a_save_writes_only_the_changed_document_and_undo_reads_a_dropped_one_again() {
    let (_dir, path, mut whole) = folder_project();
    let before = doc_files(&path);
    let mut ws = lazy_workspace(&path);
    ws.apply(Intent::SelectDocument(3));
    let doc = whole.documents[3].id.clone();
    let edit = new_span(&mut ws, &doc);
    ws.session.edit(edit.clone()).unwrap();
    // Browse far enough that an unchanged document would have been dropped: the changed one stays.
    for i in 10..DOCS {
        ws.apply(Intent::SelectDocument(i));
    }
    assert!(ws.session.lazy().unwrap().is_loaded(&doc), "a changed document is never dropped before it is saved");
    ws.apply(Intent::Run(factmark::session::commands::CommandId::Save));
    assert!(!ws.session.is_dirty(), "{}", ws.message);

    let after = doc_files(&path);
    let changed: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    let stem = doc.as_str();
    assert_eq!(changed, [&format!("{stem}.ron")], "only the edited document's annotations were written");
    let mut expected = whole.clone();
    edit.apply(&mut expected).unwrap();
    assert_eq!(store::load(&path).unwrap(), expected, "the folder read whole holds the edit and nothing else");

    // Now the saved document is dropped while others are shown; undo reads it again and undoes the edit.
    for i in 10..DOCS {
        ws.apply(Intent::SelectDocument(i));
    }
    assert!(!ws.session.lazy().unwrap().is_loaded(&doc), "saved, it may be dropped like any other");
    ws.apply(Intent::Run(factmark::session::commands::CommandId::Undo));
    assert!(ws.session.lazy().unwrap().is_loaded(&doc), "{}", ws.message);
    ws.apply(Intent::Run(factmark::session::commands::CommandId::Save));
    whole.next_span_id = ws.session.project().next_span_id;
    assert_eq!(
        store::load(&path).unwrap(),
        whole,
        "undone and saved, the folder is as it was (but for the id counter)"
    );
}

#[test]
fn documents_added_removed_and_moved_are_saved_without_touching_the_others() {
    let (_dir, path, whole) = folder_project();
    let mut ws = lazy_workspace(&path);
    let removed = whole.documents[8].id.clone();
    let moved = whole.documents[20].id.clone();
    ws.session.edit(Edit::RemoveDocument { doc: removed.clone() }).unwrap();
    ws.session.edit(Edit::MoveDocument { doc: moved.clone(), index: 0 }).unwrap();
    ws.apply(Intent::NewDocument { title: "Late addition".into(), text: "A new article’s text — short.".into() });
    ws.apply(Intent::Run(factmark::session::commands::CommandId::Save));
    assert!(!ws.session.is_dirty(), "{}", ws.message);

    let reread = store::load(&path).unwrap();
    let mut expected: Vec<DocId> = whole.documents.iter().map(|d| d.id.clone()).filter(|id| *id != removed).collect();
    expected.retain(|id| *id != moved);
    expected.insert(0, moved.clone());
    let got: Vec<DocId> = reread.documents.iter().map(|d| d.id.clone()).collect();
    assert_eq!(got[..got.len() - 1], expected[..], "order kept, the moved document first, the removed one gone");
    assert_eq!(reread.documents.last().unwrap().title, "Late addition");
    for doc in &whole.documents {
        if doc.id != removed {
            assert_eq!(reread.doc(&doc.id), Some(doc), "{} came back changed", doc.id.as_str());
        }
    }
    assert!(!path.join("docs").join(format!("{}.ron", removed.as_str())).exists());
}

#[test]
fn schema_changes_that_documents_not_in_memory_may_need_are_refused_and_harmless_ones_are_not() {
    let (_dir, path, _whole) = folder_project();
    let mut ws = lazy_workspace(&path);
    let mut narrower = ws.session.project().schema.clone();
    narrower.labels.retain(|l| l.name != "Opinion");
    assert!(matches!(ws.session.edit(Edit::SetSchema { schema: Box::new(narrower) }), Err(EditError::NotInMemory(_))));
    let mut wider = ws.session.project().schema.clone();
    wider.labels.push(LabelDef {
        name: "Prediction".into(),
        color: Rgb([10, 20, 30]),
        key: None,
        guideline: String::new(),
        attributes: vec![],
    });
    ws.session.edit(Edit::SetSchema { schema: Box::new(wider.clone()) }).unwrap();
    assert!(!ws.session.is_dirty() || ws.session.unsaved_documents().is_empty(), "no document was touched");
    // Taking away what no document uses is fine: the index lines say which labels and relation types each
    // document not in memory uses.
    let mut unused_type = wider.clone();
    let mut kind = unused_type.relation_types[0].clone();
    kind.name = "contradicts".into();
    unused_type.relation_types.push(kind);
    ws.session.edit(Edit::SetSchema { schema: Box::new(unused_type) }).unwrap();
    ws.session.edit(Edit::SetSchema { schema: Box::new(wider.clone()) }).expect("an unused relation type goes");
    let mut without_prediction = wider.clone();
    without_prediction.labels.retain(|l| l.name != "Prediction");
    ws.session.edit(Edit::SetSchema { schema: Box::new(without_prediction) }).expect("an unused label goes");
    let mut no_relations = ws.session.project().schema.clone();
    no_relations.relation_types.clear();
    let refused = ws.session.edit(Edit::SetSchema { schema: Box::new(no_relations) });
    assert!(matches!(&refused, Err(EditError::NotInMemory(why)) if why.contains("relation type")), "{refused:?}");
}

#[test]
fn a_broken_document_file_leaves_the_rest_open_and_is_never_written() {
    let (_dir, path, whole) = folder_project();
    let broken = whole.documents[7].id.clone();
    let broken_file = path.join("docs").join(format!("{}.ron", broken.as_str()));
    std::fs::write(&broken_file, "(format: 2, id: \"truncat").unwrap();
    let mut ws = lazy_workspace(&path);
    ws.apply(Intent::SelectDocument(7));
    assert!(ws.message.contains(&format!("{}.ron", broken.as_str())), "the message names the file: {}", ws.message);
    assert!(ws.session.broken(&broken).is_some());
    let refused = ws.session.edit(Edit::SetDocStatus { doc: broken.clone(), status: factmark::model::DocStatus::Done });
    assert!(matches!(refused, Err(EditError::NotInMemory(_))), "{refused:?}");
    // The others work and save as usual; the broken file stays as it was.
    ws.apply(Intent::SelectDocument(9));
    let doc = whole.documents[9].id.clone();
    let edit = new_span(&mut ws, &doc);
    ws.session.edit(edit).unwrap();
    ws.apply(Intent::Run(factmark::session::commands::CommandId::Save));
    assert!(!ws.session.is_dirty(), "{}", ws.message);
    assert_eq!(std::fs::read_to_string(&broken_file).unwrap(), "(format: 2, id: \"truncat");
    assert_eq!(folder::open_index(&path).unwrap().document(9).unwrap().spans.len(), whole.documents[9].spans.len() + 1);
}

#[test]
fn the_recovery_file_holds_only_the_changed_documents_and_restores_them() {
    let (_dir, path, whole) = folder_project();
    let mut ws = lazy_workspace(&path);
    ws.apply(Intent::SelectDocument(4));
    let doc = whole.documents[4].id.clone();
    let edit = new_span(&mut ws, &doc);
    ws.session.edit(edit.clone()).unwrap();
    let job = ws.session.autosave_job(Instant::now() + Duration::from_secs(5)).expect("an autosave is due");
    job.write().unwrap();
    let recovery = recovery_path(&path);
    let saved = store::load(&recovery).unwrap();
    assert_eq!(saved.documents.len(), 1, "only the changed document goes into the recovery file");
    drop(ws); // the crash

    let mut ws = lazy_workspace(&path);
    ws.check_recovery();
    assert!(ws.prompt.is_some(), "the newer recovery file is offered");
    ws.apply(Intent::Recover(true));
    assert!(ws.session.is_dirty());
    ws.apply(Intent::Run(factmark::session::commands::CommandId::Save));
    let mut expected = whole.clone();
    edit.apply(&mut expected).unwrap();
    assert_eq!(store::load(&path).unwrap(), expected, "the restored edit is saved, every other document as it was");
    assert!(!recovery.exists(), "the save removed the recovery file");
}

#[test]
fn a_recovery_file_holding_only_saved_work_is_dropped_without_a_question() {
    let (_dir, path, whole) = folder_project();
    let mut saved = whole.clone_header();
    saved.documents.push(whole.documents[2].clone());
    std::thread::sleep(Duration::from_millis(20));
    store::save(&saved, &recovery_path(&path)).unwrap();
    let mut ws = lazy_workspace(&path);
    ws.check_recovery();
    assert!(ws.prompt.is_none(), "nothing unsaved in it: not offered");
    assert!(!recovery_path(&path).exists());
}

#[test]
fn saved_as_a_new_folder_it_is_copied_with_its_changes() {
    let (dir, path, whole) = folder_project();
    let mut ws = lazy_workspace(&path);
    ws.apply(Intent::SelectDocument(6));
    let doc = whole.documents[6].id.clone();
    let edit = new_span(&mut ws, &doc);
    ws.session.edit(edit.clone()).unwrap();
    let copy = dir.path().join("copy.factmark");
    ws.apply(Intent::SaveAs(copy.clone()));
    assert_eq!(ws.session.path(), Some(copy.as_path()), "{}", ws.message);
    let mut expected = whole.clone();
    edit.apply(&mut expected).unwrap();
    assert_eq!(store::load(&copy).unwrap(), expected);
    assert_eq!(store::load(&path).unwrap(), whole, "the original folder is untouched");
    // A single file would need every document in memory at once: refused, saying what to do instead.
    ws.apply(Intent::SaveAs(dir.path().join("one.ron")));
    assert!(ws.message.contains("factmark convert"), "{}", ws.message);
    assert!(!dir.path().join("one.ron").exists());
}

#[test]
fn a_small_folder_is_read_whole_and_its_save_writes_only_the_changed_document() {
    let (_dir, path, whole) = folder_project();
    let before = doc_files(&path);
    let mut ws = Workspace::with_session(Session::open_with(&path, DOCS).unwrap());
    assert!(!ws.session.is_lazy());
    assert_eq!(ws.session.project(), &whole, "read whole");
    let doc = whole.documents[11].id.clone();
    ws.session
        .edit(Edit::SetDocNote { doc: doc.clone(), note: "checked against the council’s minutes".into() })
        .unwrap();
    let index_before = std::fs::metadata(path.join(folder::INDEX)).unwrap().modified().unwrap();
    ws.apply(Intent::Run(factmark::session::commands::CommandId::Save));
    assert!(!ws.session.is_dirty(), "{}", ws.message);
    let after = doc_files(&path);
    let changed: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert_eq!(changed, [&format!("{}.ron", doc.as_str())]);
    assert!(std::fs::metadata(path.join(folder::INDEX)).unwrap().modified().unwrap() >= index_before);
    assert_eq!(store::load(&path).unwrap().doc(&doc).unwrap().note, "checked against the council’s minutes");
}

/// A document whose ids are at or above the counters its index holds (a git merge of the document file
/// handed out fresh ids, or a save was killed before its shard): shown lazily it reads, and a new span gets
/// an id no document of the project has.
#[test]
fn a_document_with_ids_above_the_index_counters_opens_and_new_ids_go_above_them() {
    let (_dir, path, whole) = folder_project();
    let top = whole.documents.iter().flat_map(|d| d.spans.iter().map(|s| s.id.0)).max().unwrap();
    let lowered = |text: String| {
        text.lines()
            .map(|l| match l.trim_start().strip_prefix("next_span_id: ") {
                Some(_) => "    next_span_id: 2,".to_string(),
                None => l.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut files = vec![path.join("project.ron")];
    files.extend(std::fs::read_dir(path.join("index")).unwrap().map(|e| e.unwrap().path()));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        std::fs::write(&file, lowered(text)).unwrap();
    }
    assert_eq!(folder::open_index(&path).unwrap().header().next_span_id, 2);
    let mut ws = lazy_workspace(&path);
    let last = DOCS - 1;
    ws.apply(Intent::SelectDocument(last));
    assert_eq!(ws.document().unwrap(), &whole.documents[last], "the document reads");
    let doc = whole.documents[last].id.clone();
    assert_eq!(ws.session.lazy().unwrap().broken(&doc), None);
    let edit = new_span(&mut ws, &doc);
    let Edit::AddSpan { span, .. } = &edit else { unreachable!() };
    let in_doc = whole.documents[last].spans.iter().map(|s| s.id.0).max().unwrap();
    assert!(span.id.0 > in_doc, "new id {} must be above the shown document's {in_doc}", span.id);
    ws.session.edit(edit).unwrap();
    // The statistics streamed over the folder read it too (the counters are the project's, not its own).
    let stats = factmark::analysis::stats::folder_stats(&folder::open_index(&path).unwrap()).unwrap();
    assert_eq!(stats.spans, whole.span_count());
    assert!(top >= in_doc);
}

/// Runs frames of the workspace until the rename in the folder is done; its message.
fn finish_rename(ws: &mut Workspace) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    while ws.poll_jobs() {
        assert!(Instant::now() < deadline, "the rename did not finish");
        std::thread::sleep(Duration::from_millis(20));
    }
    ws.message.clone()
}

/// A rename in a large folder rewrites the saved documents that use the name, on a worker, then opens the
/// folder anew: unsaved work must be saved first, and the folder afterwards is the project renamed whole.
#[test]
fn a_rename_rewrites_the_saved_folder_and_opens_it_anew() {
    let (_dir, path, whole) = folder_project();
    let mut ws = lazy_workspace(&path);
    let doc = whole.documents[3].id.clone();
    let edit = new_span(&mut ws, &doc);
    ws.session.edit(edit.clone()).unwrap();
    let rename = Edit::RenameLabel { from: "Claim".into(), to: "Assertion".into() };
    match ws.session.edit(rename.clone()) {
        Err(EditError::NotInMemory(why)) => assert!(why.starts_with("Save first"), "{why}"),
        other => panic!("a rename with unsaved work was not refused: {other:?}"),
    }
    ws.apply(Intent::Run(factmark::session::commands::CommandId::Save));
    assert!(!ws.session.is_dirty());
    let taken = Edit::RenameLabel { from: "Claim".into(), to: "Opinion".into() };
    assert!(ws.session.edit(taken).is_err(), "a name in use is refused before anything is written");

    ws.apply(Intent::Edit(rename.clone()));
    assert!(ws.message.contains("Renaming the label Claim to Assertion"), "{}", ws.message);
    let using = whole.documents.iter().filter(|d| d.spans.iter().any(|s| s.label == "Claim")).count();
    let message = finish_rename(&mut ws);
    assert!(message.contains(&format!("done, {using} document(s) rewritten")), "{message}");

    let mut expected = whole.clone();
    edit.clone().apply(&mut expected).unwrap();
    rename.apply(&mut expected).unwrap();
    let on_disk = store::load(&path).unwrap();
    assert_eq!(on_disk.schema, expected.schema, "the new name in the old one's place, relation ends too");
    assert_eq!(on_disk.documents, expected.documents);
    assert!(ws.session.is_lazy() && !ws.session.is_dirty());
    assert_eq!(ws.session.project().schema, expected.schema);
    assert_eq!(ws.document().unwrap(), &expected.documents[0], "the shown document is read again");

    // A relation type too; renaming back undoes a rename.
    let kind = Edit::RenameRelationType { from: "attributed_to".into(), to: "cites".into() };
    ws.apply(Intent::Edit(kind.clone()));
    finish_rename(&mut ws);
    kind.clone().apply(&mut expected).unwrap();
    assert_eq!(store::load(&path).unwrap(), expected);
    ws.apply(Intent::Edit(Edit::RenameLabel { from: "Assertion".into(), to: "Claim".into() }));
    finish_rename(&mut ws);
    let mut back = whole.clone();
    edit.apply(&mut back).unwrap();
    kind.apply(&mut back).unwrap();
    assert_eq!(store::load(&path).unwrap(), back);
}

/// A rename killed half way leaves both names defined, each document valid under one of them; renaming
/// again finishes it.
#[test]
fn a_rename_interrupted_half_way_opens_and_finishes_when_renamed_again() {
    let (_dir, path, whole) = folder_project();
    // What the first step of a rename leaves: both names defined, no document renamed yet, and one
    // document renamed by hand as a later step would have.
    let mut both = whole.clone();
    let mut copy = both.schema.label("Claim").unwrap().clone();
    copy.name = "Assertion".into();
    copy.key = None;
    both.schema.labels.push(copy);
    for kind in &mut both.schema.relation_types {
        if let Some(at) = kind.to.iter().position(|e| e == "Claim") {
            kind.to.insert(at + 1, "Assertion".into());
        }
    }
    for span in both.documents[0].spans.iter_mut().filter(|s| s.label == "Claim") {
        span.label = "Assertion".into();
    }
    folder::save(&both, &path).unwrap();
    assert!(store::load(&path).is_ok(), "the half-way folder opens");
    let mut ws = lazy_workspace(&path);
    let rename = Edit::RenameLabel { from: "Claim".into(), to: "Assertion".into() };
    ws.apply(Intent::Edit(rename.clone()));
    let message = finish_rename(&mut ws);
    assert!(message.contains("done"), "{message}");
    let mut expected = whole.clone();
    rename.apply(&mut expected).unwrap();
    assert_eq!(store::load(&path).unwrap(), expected);
}
