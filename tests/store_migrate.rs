//! Format-1 files as earlier factmark versions wrote them (through the generic `ron` serializer) and as
//! people edit them by hand. The store reads them through a fast reader that falls back to `ron` for
//! anything outside the layout it writes; both paths must give the same project, and re-saving a
//! format-1 file must not change a byte (no spurious git diffs after an upgrade).

use std::path::Path;

use factmark::model::{DocStatus, ReviewState};
use factmark::store::{self, StoreError};

/// A minimal format-1 file in the shape the first release wrote: optional fields left out.
const FORMAT_1: &str = r##"(
    format: 1,
    name: "old project",
    next_span_id: 3,
    next_relation_id: 2,
    schema: (
        labels: [
            (
                name: "Claim",
                color: "#2b7bd6",
                key: Some('1'),
            ),
            (
                name: "Source",
                color: "#2e9e5b",
            ),
        ],
        relation_types: [
            (
                name: "attributed_to",
                from: ["Source"],
                to: ["Claim"],
            ),
        ],
    ),
    documents: [
        (
            id: "kursk",
            title: "Kursk — troops",
            text: "U.S. intelligence says 10,000 troops 😡 are in Kursk.",
            spans: [
                (id: 1, start: 0, end: 51, label: "Claim", text: "U.S. intelligence says 10,000 troops 😡 are in Kursk", review: Accepted, reviewer: "ben"),
                (id: 2, start: 0, end: 17, label: "Source", text: "U.S. intelligence", annotator: "ana"),
            ],
            relations: [
                (id: 1, from: 2, to: 1, type: "attributed_to"),
            ],
        ),
    ],
)
"##;

fn load_str(text: &str) -> Result<factmark::model::Project, StoreError> {
    store::from_bytes(Path::new("old.ron"), text.as_bytes())
}

#[test]
fn minimal_format_1_file_loads_with_defaults() {
    let project = load_str(FORMAT_1).unwrap();
    let doc = &project.documents[0];
    assert_eq!(doc.status, DocStatus::Todo);
    assert_eq!(doc.spans.len(), 2);
    assert_eq!(doc.spans[0].review, ReviewState::Accepted);
    assert_eq!(doc.spans[1].annotator, "ana");
    assert_eq!(doc.relations[0].kind, "attributed_to");
    assert!(project.rules.is_empty());
}

#[test]
fn hand_edited_format_1_files_load_the_same() {
    let expected = load_str(FORMAT_1).unwrap();
    let variants = [
        FORMAT_1.replace("    documents: [", "    // the articles\n    documents: ["),
        FORMAT_1.replace("next_span_id: 3,", "next_span_id:   3 ,\n\n"),
        FORMAT_1.replace("label: \"Source\", text", "label: \"Sourc\\u{65}\", text"),
        FORMAT_1
            .replace("title: \"Kursk — troops\",\n", "")
            .replace("id: \"kursk\",", "title: \"Kursk — troops\", id: \"kursk\","),
        FORMAT_1.replace(
            "(id: 1, from: 2, to: 1, type: \"attributed_to\")",
            "(type: \"attributed_to\", to: 1, from: 2, id: 1)",
        ),
        FORMAT_1.replace("\n", "\r\n"),
    ];
    for (i, variant) in variants.iter().enumerate() {
        assert_ne!(variant, FORMAT_1, "variant {i} changed nothing");
        assert_eq!(load_str(variant).unwrap(), expected, "variant {i}");
    }
}

#[test]
fn resaving_a_format_1_file_changes_no_byte() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("saves/sample.ron");
    let original = std::fs::read_to_string(&path).unwrap();
    assert!(original.contains("format: 1,"));
    let project = store::load(&path).unwrap();
    assert_eq!(store::to_ron(&project).unwrap(), original);
    let minimal = load_str(FORMAT_1).unwrap();
    let resaved = store::to_ron(&minimal).unwrap();
    assert_eq!(load_str(&resaved).unwrap(), minimal);
}

#[test]
fn broken_format_1_files_still_report_line_and_column() {
    let bad = FORMAT_1.replace("next_span_id: 3", "next_span_id: three");
    let err = load_str(&bad).unwrap_err();
    assert!(matches!(err, StoreError::Parse { line: 4, .. }), "{err:?}");
    let newer = FORMAT_1.replace("format: 1,", "format: 2,");
    assert!(matches!(load_str(&newer).unwrap_err(), StoreError::NewerFormat { found: 2, .. }));
    let zero = FORMAT_1.replace("format: 1,", "format: 0,");
    assert!(matches!(load_str(&zero).unwrap_err(), StoreError::NotAProject { .. }));
}
