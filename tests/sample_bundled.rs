//! The sample travels inside the binary: the first start writes the user's own copy into the data folder,
//! later starts open that copy as it was left, and without a writable folder it opens unsaved.

use factmark::store;
use factmark::ui::open_sample_in;

mod ui_support;

#[test]
fn the_first_start_writes_the_users_copy_and_later_starts_keep_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").join("factmark");
    let app = open_sample_in(Some(&data));
    let copy = data.join("sample.ron");
    assert_eq!(app.workspace().session.path(), Some(copy.as_path()), "the copy in the data folder is open");
    let bundled = store::load(&factmark::ui::sample_project_path()).unwrap();
    assert_eq!(app.project(), &bundled, "the copy is the bundled sample");

    // Work done in the copy is never overwritten by the bundled sample.
    let mut edited = bundled.clone();
    edited.name = "my sample".into();
    store::save(&edited, &copy).unwrap();
    let again = open_sample_in(Some(&data));
    assert_eq!(again.project().name, "my sample");
}

#[test]
fn without_a_writable_data_folder_the_sample_opens_unsaved_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    // A file where the data folder should be: nothing can be written below it.
    let blocker = dir.path().join("factmark");
    std::fs::write(&blocker, "not a folder").unwrap();
    for data in [Some(blocker.as_path()), None] {
        let app = open_sample_in(data);
        assert_eq!(app.workspace().session.path(), None, "nothing on disk is tied to it");
        assert_eq!(
            app.project().documents.len(),
            store::load(&factmark::ui::sample_project_path()).unwrap().documents.len()
        );
        let mut h = ui_support::harness(app, [1200.0, 800.0]);
        h.run();
        let message = h.state().message().to_string();
        assert!(message.contains("Save as"), "the status bar says how to keep the work: {message}");
    }
    assert_eq!(std::fs::read_to_string(&blocker).unwrap(), "not a folder", "the blocking file is untouched");
}
