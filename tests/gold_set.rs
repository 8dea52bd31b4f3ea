//! The gold set for the learning recommenders (tests/gold/): its project files match the markup, and
//! `factmark simulate` on the held-out part clears the floors the issue sets.
//!
//! `dev/` is what the recommenders may be tuned on; `test/` is only scored. Both were written and
//! annotated by writers who had not read the recommender code (see tests/gold/README.md).

use std::path::{Path, PathBuf};
use std::process::Command;

use factmark::model::Project;
use factmark::store;

mod markup_support;

fn gold_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/gold")
}

fn gold_project(part: &str) -> Project {
    markup_support::markup_project(&gold_dir().join(part), &format!("factmark gold set ({part})"), "gold")
}

#[test]
fn gold_project_files_match_the_markup() {
    for part in ["dev", "test"] {
        let project = gold_project(part);
        let path = gold_dir().join(format!("{part}.ron"));
        if std::env::var_os("FACTMARK_BLESS").is_some() || !path.exists() {
            store::save(&project, &path).unwrap();
        }
        let stored = store::load(&path).unwrap();
        assert_eq!(stored.documents, project.documents, "tests/gold/{part}.ron is stale: rerun with FACTMARK_BLESS=1");
        for doc in &project.documents {
            for span in &doc.spans {
                let text: String = doc.text.chars().skip(span.start.0).take(span.len()).collect();
                assert_eq!(text.trim(), text, "{}: span {:?} has outer whitespace", doc.id, text);
            }
        }
    }
    assert_eq!(gold_project("test").documents.len(), 20, "twenty held-out articles");
}
