//! Agreement figures checked against values worked out by hand or taken from published worked examples.
//! Each test says where its expected numbers come from.

use factmark::analysis::agreement::{
    AgreementError, AgreementOptions, AgreementReport, AlphaCounter, Figure, agreement, cohen_kappa, exact_matches,
    overlap_matches,
};
use factmark::model::{CharIdx, DocId, Document, LabelDef, Project, Relation, Rgb, Span, SpanId};

fn close(figure: &Figure, expected: f64) {
    let value = figure.value().unwrap_or_else(|| panic!("expected {expected}, got {figure:?}"));
    assert!((value - expected).abs() < 1e-9, "expected {expected}, got {value}");
}

/// Builds projects span by span; spans are kept in the project's sort order as the store requires.
struct Builder {
    project: Project,
}

impl Builder {
    fn new() -> Builder {
        Builder { project: Project::new("agreement test") }
    }

    fn doc(&mut self, id: &str, text: &str) -> &mut Self {
        self.project.documents.push(Document::new(DocId(id.into()), id, text));
        self
    }

    fn span(&mut self, doc: &str, start: usize, end: usize, label: &str, annotator: &str) -> SpanId {
        let id = self.project.alloc_span_id();
        let document = self.project.doc_mut(&DocId(doc.into())).unwrap();
        document.spans.push(Span::new(id, CharIdx(start)..CharIdx(end), label, annotator));
        document.spans.sort_by_key(Span::sort_key);
        id
    }

    fn report(&self, annotators: Option<&[&str]>, by_doc: bool) -> AgreementReport {
        let options = AgreementOptions {
            annotators: annotators.map(|list| list.iter().map(|a| a.to_string()).collect()),
            by_doc,
        };
        agreement(&self.project, &options).unwrap()
    }
}

/// "a a a … a": `n` one-letter words; token i covers chars 2i..2i+1.
fn words(n: usize) -> String {
    vec!["a"; n].join(" ")
}

/// The chars of tokens `first..last` (exclusive) in [`words`].
fn tokens(first: usize, last: usize) -> (usize, usize) {
    (2 * first, 2 * last - 1)
}

#[test]
fn cohen_kappa_matches_the_standard_two_rater_yes_no_example() {
    // The worked example on Wikipedia's "Cohen's kappa" page: 50 grant proposals, two readers.
    // Both yes 20, A yes / B no 5, A no / B yes 10, both no 15.
    // p_o = (20 + 15) / 50 = 0.7. A says yes 25/50 = 0.5, B says yes 30/50 = 0.6, so
    // p_e = 0.5·0.6 + 0.5·0.4 = 0.5 and κ = (0.7 − 0.5) / (1 − 0.5) = 0.4.
    let k = cohen_kappa([
        ("yes".to_string(), "yes".to_string(), 20),
        ("yes".to_string(), "no".to_string(), 5),
        ("no".to_string(), "yes".to_string(), 10),
        ("no".to_string(), "no".to_string(), 15),
    ]);
    assert_eq!((k.items, k.agreed), (50, 35));
    close(&k.observed, 0.7);
    close(&k.expected, 0.5);
    close(&k.kappa, 0.4);
}

#[test]
fn cohen_kappa_with_three_categories_by_hand() {
    //          B: X   Y   O   | A total
    //   A: X      4   1   0   |  5
    //      Y      0   3   1   |  4
    //      O      1   0  10   | 11
    //   B total   5   4  11   | 20
    // p_o = (4 + 3 + 10) / 20 = 0.85; p_e = (5·5 + 4·4 + 11·11) / 20² = 162 / 400 = 0.405;
    // κ = (0.85 − 0.405) / (1 − 0.405) = 0.445 / 0.595.
    let c = |a: &str, b: &str, n| (a.to_string(), b.to_string(), n);
    let k =
        cohen_kappa([c("X", "X", 4), c("X", "Y", 1), c("Y", "Y", 3), c("Y", "O", 1), c("O", "X", 1), c("O", "O", 10)]);
    close(&k.observed, 0.85);
    close(&k.expected, 0.405);
    close(&k.kappa, 0.445 / 0.595);
}

#[test]
fn token_kappa_on_a_project_reproduces_the_yes_no_example() {
    // The same 20/5/10/15 table, built from spans: 50 one-letter tokens; ana labels tokens 0–24 Claim,
    // ben labels tokens 0–19 and 25–34 Claim. Both: tokens 0–19 (20); ana only: 20–24 (5); ben only:
    // 25–34 (10); neither: 35–49 (15). So κ for Claim is 0.4, and the overall κ (categories "Claim"/"O")
    // is the same table, 0.4.
    let mut b = Builder::new();
    b.doc("d", &words(50));
    let (s, e) = tokens(0, 25);
    b.span("d", s, e, "Claim", "ana");
    let (s, e) = tokens(0, 20);
    b.span("d", s, e, "Claim", "ben");
    let (s, e) = tokens(25, 35);
    b.span("d", s, e, "Claim", "ben");
    let report = b.report(None, false);
    let pair = &report.pairs[0];
    assert_eq!((pair.a.as_str(), pair.b.as_str(), pair.tokens), ("ana", "ben", 50));
    let claim = &pair.kappa_by_label[0];
    assert_eq!(claim.label, "Claim");
    close(&claim.kappa.kappa, 0.4);
    close(&pair.kappa.kappa, 0.4);
    // Opinion and Source: nobody used them, every token is "not Opinion" for both: a single class.
    assert!(pair.kappa_by_label[1].kappa.kappa.reason().is_some_and(|r| r.contains("expected agreement is 1")));
    // Spans: ana 1 span, ben 2; no exact match. By overlap, ana's span matches ben's first (tokens 0–19);
    // ben's second starts at token 25, after ana's ends. P = 1/1, R = 1/2, F1 = 2·1/(1+2).
    assert_eq!((pair.exact.tp, pair.exact.fp, pair.exact.fn_), (0, 1, 2));
    close(&pair.exact.f1, 0.0);
    assert_eq!((pair.overlap.tp, pair.overlap.fp, pair.overlap.fn_), (1, 0, 1));
    close(&pair.overlap.precision, 1.0);
    close(&pair.overlap.recall, 0.5);
    close(&pair.overlap.f1, 2.0 / 3.0);
}

#[test]
fn span_scores_per_label_by_hand() {
    // ana: Claim 0..10, Claim 20..30, Source 0..4.   ben: Claim 0..10, Claim 21..30, Source 5..9.
    // Exact: Claim 0..10 matches (tp 1); 20..30 ≠ 21..30; Sources differ → Claim P = R = 1/2,
    // Source 0/1; overall tp 1 of 3 and 3 → P = R = F1 = 1/3.
    // Overlap: both Claim pairs overlap (tp 2); 0..4 and 5..9 share no char → overall tp 2 → 2/3.
    let mut b = Builder::new();
    b.doc("d", "0123456789012345678901234567890123456789");
    for (s, e, label) in [(0, 10, "Claim"), (20, 30, "Claim"), (0, 4, "Source")] {
        b.span("d", s, e, label, "ana");
    }
    for (s, e, label) in [(0, 10, "Claim"), (21, 30, "Claim"), (5, 9, "Source")] {
        b.span("d", s, e, label, "ben");
    }
    let pair = &b.report(None, false).pairs[0];
    close(&pair.exact.precision, 1.0 / 3.0);
    close(&pair.exact.f1, 1.0 / 3.0);
    close(&pair.overlap.f1, 2.0 / 3.0);
    let claim = &pair.exact_by_label[0];
    assert_eq!((claim.label.as_str(), claim.scores.tp, claim.scores.fp, claim.scores.fn_), ("Claim", 1, 1, 1));
    close(&claim.scores.f1, 0.5);
    let opinion = &pair.exact_by_label[1];
    assert!(opinion.scores.f1.reason().is_some(), "no Opinion spans: F1 undefined, not 0 or NaN");
    let source = &pair.overlap_by_label[2];
    assert_eq!((source.scores.tp, source.scores.spans_a, source.scores.spans_b), (0, 1, 1));
    close(&source.scores.f1, 0.0);
}

#[test]
#[allow(clippy::single_range_in_vec_init)] // lists of one range are what this test is about
fn overlap_matching_is_one_to_one_and_maximal() {
    // One long span over two short ones counts once, not twice: tp 1, and B's second span is a miss.
    assert_eq!(overlap_matches(&[0..20], &[0..5, 10..15]), 1);
    // A greedy pass that pairs A[0] with B[0] would leave A[1] alone; the maximum matching is 2.
    assert_eq!(overlap_matches(&[0..20, 0..3], &[0..5, 10..15]), 2);
    assert_eq!(exact_matches(&[0..5, 0..5], &[0..5]), 1);
}

/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: four observers, twelve
/// units, nominal values 1–5, with missing values (`None`):
const PUBLISHED: [[Option<u8>; 12]; 4] = {
    const N: Option<u8> = None;
    [
        [Some(1), Some(2), Some(3), Some(3), Some(2), Some(1), Some(4), Some(1), Some(2), N, N, N],
        [Some(1), Some(2), Some(3), Some(3), Some(2), Some(2), Some(4), Some(1), Some(2), Some(5), N, Some(3)],
        [N, Some(3), Some(3), Some(3), Some(2), Some(3), Some(4), Some(2), Some(2), Some(5), Some(1), N],
        [Some(1), Some(2), Some(3), Some(3), Some(2), Some(4), Some(4), Some(1), Some(2), Some(5), Some(1), N],
    ]
};

#[test]
fn krippendorff_alpha_matches_the_published_nominal_example() {
    // The paper's result: unit 12 has one value and is not pairable; n = 40 pairable values with
    // n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5, n_5 = 3; Σ_{c≠k} o_ck = 8 (from units 2, 6 and 8), so
    // α = 1 − (n − 1)·Σ o_ck / Σ_{c≠k} n_c·n_k = 1 − 39·8 / (40² − (81+169+100+25+9)) = 1 − 312/1216
    // = 0.743 (the paper prints 0.743).
    let mut counter = AlphaCounter::new();
    for unit in 0..12 {
        let values: Vec<u8> = PUBLISHED.iter().filter_map(|observer| observer[unit]).collect();
        counter.add_unit(&values);
    }
    let alpha = counter.finish(|v| v.to_string());
    assert_eq!((alpha.units, alpha.values), (11, 40));
    let n_c: Vec<usize> = alpha.categories.iter().map(|c| c.values).collect();
    assert_eq!(n_c, [9, 13, 10, 5, 3]);
    close(&alpha.alpha, 1.0 - 312.0 / 1216.0);
    assert_eq!(format!("{:.3}", alpha.alpha.value().unwrap()), "0.743");
    close(&alpha.observed_disagreement, 8.0 / 40.0);
    close(&alpha.expected_disagreement, 1216.0 / (40.0 * 39.0));
}

#[test]
fn krippendorff_alpha_matches_the_published_binary_example() {
    // Same paper, section A: two observers, ten units, values 0/1.
    //   A: 0 1 0 0 0 0 0 0 1 0
    //   B: 1 1 1 0 0 1 0 0 0 0
    // Coincidences o_00 = 10, o_01 = o_10 = 4, o_11 = 2; n_0 = 14, n_1 = 6, n = 20.
    // α = 1 − (n − 1)·o_01 / (n_0·n_1) = 1 − 19·4 / 84 = 0.095 (as printed).
    let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    let mut counter = AlphaCounter::new();
    for (x, y) in a.iter().zip(&b) {
        counter.add_unit(&[*x, *y]);
    }
    let alpha = counter.finish(|v: &i32| v.to_string());
    close(&alpha.alpha, 1.0 - 76.0 / 84.0);
    assert_eq!(format!("{:.3}", alpha.alpha.value().unwrap()), "0.095");
}

#[test]
fn project_alpha_reproduces_the_published_example_through_documents_and_spans() {
    // The 4 × 12 example again, as a project: each unit is a one-word document, each value a span over
    // that word with label L1–L5, by annotator o1–o4. A missing value is an annotator with no span in the
    // document, which is exactly the "not touched" rule. Unit 12 is touched by one annotator only, so
    // it is not compared, as in the paper. α over tokens must be 0.743 again.
    let mut b = Builder::new();
    b.project.schema.labels = (1..=5)
        .map(|i| LabelDef {
            name: format!("L{i}"),
            color: Rgb([0, 0, 0]),
            key: None,
            guideline: String::new(),
            attributes: Vec::new(),
        })
        .collect();
    for unit in 0..12 {
        let doc = format!("unit{unit}");
        b.doc(&doc, "word");
        for (observer, values) in PUBLISHED.iter().enumerate() {
            if let Some(v) = values[unit] {
                b.span(&doc, 0, 4, &format!("L{v}"), &format!("o{}", observer + 1));
            }
        }
    }
    let report = b.report(None, false);
    assert_eq!(report.annotators, ["o1", "o2", "o3", "o4"]);
    assert_eq!(report.alpha.documents, 11);
    assert_eq!((report.alpha.overall.units, report.alpha.overall.values), (11, 40));
    close(&report.alpha.overall.alpha, 1.0 - 312.0 / 1216.0);
    // Six pairs; o1 × o2 compare units 1–9 (o1 has nothing in 10–12): they differ only in unit 6.
    assert_eq!(report.pairs.len(), 6);
    let o1o2 = &report.pairs[0];
    assert_eq!((o1o2.documents, o1o2.documents_only_a, o1o2.documents_only_b), (9, 0, 2));
    assert_eq!((o1o2.kappa.items, o1o2.kappa.agreed), (9, 8));
    assert_eq!((o1o2.exact.tp, o1o2.exact.fp, o1o2.exact.fn_), (8, 1, 1));
}

#[test]
fn documents_count_only_when_both_annotators_touched_them() {
    // "d1" has spans from both; "d2" only from ana. Treating d2 as ben saying "nothing here" would add
    // disagreement ben never expressed, so d2 is left out of the pair and reported as "only ana".
    let mut b = Builder::new();
    b.doc("d1", "Fees rose in 2025.").doc("d2", "Fees fell in 2024.");
    b.span("d1", 0, 17, "Claim", "ana");
    b.span("d1", 0, 17, "Claim", "ben");
    b.span("d2", 0, 17, "Claim", "ana");
    let pair = &b.report(None, true).pairs[0];
    assert_eq!((pair.documents, pair.documents_only_a, pair.documents_only_b), (1, 1, 0));
    assert_eq!(pair.tokens, 5);
    close(&pair.exact.f1, 1.0);
    assert_eq!(pair.by_doc.len(), 1);
    assert_eq!(pair.by_doc[0].doc, "d1");
}

#[test]
fn a_token_under_several_labels_has_their_set_as_its_category() {
    // "U.S. intelligence confirmed it." → tokens U.S. | intelligence | confirmed | it | .
    // ana: Claim over the sentence (0..30) and Source over "U.S. intelligence" (0..17).
    // ben: Claim over the sentence only. Tokens 0–1 are "Claim+Source" for ana and "Claim" for ben
    // (2 disagreements); tokens 2–3 are "Claim" for both; "." (30..31) is O for both. p_o = 3/5;
    // p_e = (A: Claim+Source 2, Claim 2, O 1; B: Claim 4, O 1) = (2·4 + 1·1) / 25 = 9/25;
    // κ = (15/25 − 9/25) / (16/25) = 6/16 = 0.375.
    // Per label, Claim agrees everywhere (κ = 1); Source is 2 tokens vs 0 (B used one class only, but A
    // did not, so p_e = (2·0 + 3·5)/25 = 0.6 < 1 and κ = (0.6 − 0.6)/0.4 = 0).
    let mut b = Builder::new();
    b.doc("d", "U.S. intelligence confirmed it.");
    b.span("d", 0, 30, "Claim", "ana");
    b.span("d", 0, 17, "Source", "ana");
    b.span("d", 0, 30, "Claim", "ben");
    let pair = &b.report(None, false).pairs[0];
    let cells: Vec<(&str, &str, usize)> =
        pair.kappa.table.iter().map(|c| (c.a.as_str(), c.b.as_str(), c.count)).collect();
    assert_eq!(cells, [("Claim", "Claim", 2), ("Claim+Source", "Claim", 2), ("O", "O", 1)]);
    close(&pair.kappa.kappa, 0.375);
    close(&pair.kappa_by_label[0].kappa.kappa, 1.0);
    close(&pair.kappa_by_label[2].kappa.kappa, 0.0);
}

#[test]
fn a_span_that_starts_inside_a_word_covers_that_word() {
    // "ntelligence" (6..17) starts inside "intelligence": the token still counts as under the span, so a
    // sloppy selection does not look like disagreement at token level (it does at exact span level).
    let mut b = Builder::new();
    b.doc("d", "U.S. intelligence confirmed it.");
    b.span("d", 6, 17, "Source", "ana");
    b.span("d", 5, 17, "Source", "ben");
    let pair = &b.report(None, false).pairs[0];
    close(&pair.kappa.kappa, 1.0);
    assert_eq!(pair.exact.tp, 0);
    assert_eq!(pair.overlap.tp, 1);
}

#[test]
fn annotator_selection_excludes_gold_unless_named() {
    let mut b = Builder::new();
    b.doc("d", "Fees rose in 2025.");
    for who in ["ana", "ben", "gold"] {
        b.span("d", 0, 17, "Claim", who);
    }
    b.span("d", 0, 4, "Source", "");
    let report = b.report(None, false);
    assert_eq!(report.annotators, ["ana", "ben"]);
    assert_eq!(report.spans_without_annotator, 1);
    let with_gold = b.report(Some(&["gold", "ana"]), false);
    assert_eq!(with_gold.annotators, ["gold", "ana"]);
    assert_eq!(with_gold.pairs[0].a, "gold");
    let options = |names: &[&str]| AgreementOptions {
        annotators: Some(names.iter().map(|n| n.to_string()).collect()),
        by_doc: false,
    };
    assert!(matches!(agreement(&b.project, &options(&["ana", "zed"])), Err(AgreementError::UnknownAnnotator { .. })));
    assert!(matches!(agreement(&b.project, &options(&["ana"])), Err(AgreementError::TooFewAnnotators { .. })));
}

#[test]
fn nothing_to_compare_is_undefined_with_a_reason_and_json_has_null() {
    // ana and ben never share a document: no pair data, no pairable token.
    let mut b = Builder::new();
    b.doc("d1", "Fees rose.").doc("d2", "Fees fell.");
    b.span("d1", 0, 9, "Claim", "ana");
    b.span("d2", 0, 9, "Claim", "ben");
    let report = b.report(None, false);
    let pair = &report.pairs[0];
    assert_eq!(pair.documents, 0);
    assert!(pair.kappa.kappa.reason().is_some_and(|r| r.contains("no items")));
    assert!(pair.exact.f1.reason().is_some());
    assert!(report.alpha.overall.alpha.reason().is_some());
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["pairs"][0]["kappa"]["kappa"]["value"].is_null());
    assert!(json["pairs"][0]["kappa"]["kappa"]["undefined"].is_string());
    assert!(json["alpha"]["overall"]["alpha"]["value"].is_null());
}

#[test]
fn relations_and_review_state_do_not_change_agreement() {
    let mut b = Builder::new();
    b.doc("d", "Fees rose in 2025, the council said.");
    let s = b.span("d", 19, 30, "Source", "ana");
    let c = b.span("d", 0, 17, "Claim", "ana");
    b.span("d", 0, 17, "Claim", "ben");
    b.span("d", 19, 30, "Source", "ben");
    let rel = b.project.alloc_relation_id();
    b.project.documents[0].relations.push(Relation { id: rel, from: s, to: c, kind: "attributed_to".into() });
    b.project.documents[0].spans[0].review = factmark::model::ReviewState::Rejected;
    let pair = &b.report(None, false).pairs[0];
    close(&pair.exact.f1, 1.0);
    close(&pair.kappa.kappa, 1.0);
}

#[test]
fn unitizing_alpha_on_a_project_is_one_for_identical_boundaries_and_drops_when_they_move() {
    let text = "Officials said the bridge will close for six weeks, and critics called it a disaster.";
    let mut b = Builder::new();
    b.doc("d", text);
    b.doc("solo", "Only one annotator worked here.");
    for who in ["ana", "ben"] {
        b.span("d", 0, 9, "Source", who);
        b.span("d", 15, 50, "Claim", who);
    }
    b.span("solo", 0, 4, "Claim", "ana");
    let report = b.report(None, false);
    let u = &report.unitizing;
    assert_eq!((u.documents, u.chars), (1, text.chars().count() as u64), "only the document both worked on");
    let of = |r: &AgreementReport, label: &str| {
        r.unitizing.by_label.iter().find(|l| l.label == label).unwrap().alpha.alpha.clone()
    };
    close(&of(&report, "Claim"), 1.0);
    close(&of(&report, "Source"), 1.0);
    assert!(of(&report, "Opinion").reason().is_some(), "no Opinion units: undefined, with the reason");

    // Ben's Claim ends three words early: α_u drops below 1 but stays well above chance.
    let mut moved = Builder::new();
    moved.doc("d", text);
    moved.span("d", 15, 50, "Claim", "ana");
    moved.span("d", 15, 34, "Claim", "ben");
    moved.span("d", 0, 9, "Source", "ana");
    moved.span("d", 0, 9, "Source", "ben");
    let claim = of(&moved.report(None, false), "Claim").value().unwrap();
    assert!(claim < 0.99 && claim > 0.0, "α_u {claim}");
}
