//! The suggestion engine: each built-in cue family on crafted sentences, user rules, duplicates, accepting
//! (origin, annotator, relations, undo), no leaks into exports, the CLI, and speed.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use factmark::analysis::suggest::{
    LinkTarget, SuggestError, SuggestOptions, Suggester, Suggestion, accept_edit, check_rules, suggest,
};
use factmark::edit::{Edit, History};
use factmark::formats::{ExportOptions, Filter, Format, export, select};
use factmark::model::{CharIdx, DocId, Document, Project, RuleKind, Schema, Span, SuggestRule};
use factmark::store;

fn doc(text: &str) -> Document {
    Document::new(DocId("d".into()), "Doc", text)
}

fn run(text: &str) -> Vec<(String, String, String)> {
    let d = doc(text);
    suggest(&d, &Schema::default(), &[], &SuggestOptions::default())
        .iter()
        .map(|s| (s.label.clone(), slice(text, s), s.rule.clone()))
        .collect()
}

fn slice(text: &str, s: &Suggestion) -> String {
    text.chars().skip(s.start.0).take(s.end.0 - s.start.0).collect()
}

fn has(found: &[(String, String, String)], label: &str, text: &str) -> bool {
    found.iter().any(|(l, t, _)| l == label && t == text)
}

#[test]
fn source_cues_find_speakers_and_their_content() {
    let text = "Officials at the Port Authority said the bridge carried 41,000 vehicles a day in 2025. \
                According to the inspection report, corrosion had cut the cable by 7 percent. \
                “We did not take this decision lightly,” said Margarethe Olsen, the authority’s chief engineer. \
                A spokesperson, Henrik Dahl, said on Friday that the ferries would run every 15 minutes.";
    let found = run(text);
    for (label, span) in [
        ("Source", "Officials at the Port Authority"),
        ("Claim", "the bridge carried 41,000 vehicles a day in 2025"),
        ("Source", "the inspection report"),
        ("Claim", "corrosion had cut the cable by 7 percent"),
        ("Source", "Margarethe Olsen, the authority’s chief engineer"),
        ("Opinion", "We did not take this decision lightly"),
        ("Source", "A spokesperson, Henrik Dahl"),
        ("Claim", "the ferries would run every 15 minutes"),
    ] {
        assert!(has(&found, label, span), "missing {label} {span:?} in {found:#?}");
    }
    let rules: Vec<&str> = found.iter().filter(|f| f.0 == "Source").map(|f| f.2.as_str()).collect();
    assert_eq!(
        rules,
        ["source.reporting-verb", "source.according-to", "source.quoted-speech", "source.reporting-verb"]
    );
}

#[test]
fn attributions_link_the_source_to_its_content() {
    let text = "Analysts at Nordbank estimated that shops could lose €2.4 million.";
    let d = doc(text);
    let found = suggest(&d, &Schema::default(), &[], &SuggestOptions::default());
    let source = found.iter().find(|s| s.label == "Source").unwrap();
    let link = source.relation.as_ref().expect("the Source brings its relation");
    assert_eq!((link.kind.as_str(), link.outgoing), ("attributed_to", true));
    let LinkTarget::Suggestion(i) = link.other else { panic!("links the suggested content") };
    assert_eq!(slice(text, &found[i]), "shops could lose €2.4 million");
    assert_eq!(found[i].label, "Claim");
}

#[test]
fn opinion_cues_cover_modals_stance_evaluation_and_questions() {
    let text = "The council should scrap the extension. It is time to break the habit. \
                The plan is reckless. Does anyone seriously believe a sixth lane will help? \
                Clearly, the tram is the better bet.";
    let found = run(text);
    for (span, rule) in [
        ("The council should scrap the extension", "opinion.modal"),
        ("It is time to break the habit", "opinion.stance"),
        ("The plan is reckless", "opinion.evaluative"),
        ("Does anyone seriously believe a sixth lane will help?", "opinion.question"),
        ("Clearly, the tram is the better bet", "opinion.stance"),
    ] {
        assert!(found.contains(&("Opinion".into(), span.into(), rule.into())), "missing {span:?} in {found:#?}");
    }
    // An argued content is an opinion even without its own cue.
    let argued = run("Consumer groups argue that the tariff structure is a tax on the poor.");
    assert!(has(&argued, "Opinion", "the tariff structure is a tax on the poor"), "{argued:#?}");
    assert!(has(&argued, "Source", "Consumer groups"));
}

#[test]
fn claim_cues_cover_numbers_dates_and_events() {
    let text = "Households paid €612 for water last year. The bridge reopens on Monday. \
                The road was closed in Kleve after the storm. The mood is calm here.";
    let found = run(text);
    assert!(found.contains(&(
        "Claim".into(),
        "Households paid €612 for water last year".into(),
        "claim.number".into()
    )));
    assert!(found.contains(&("Claim".into(), "The bridge reopens on Monday".into(), "claim.date".into())));
    assert!(has(&found, "Claim", "The road was closed in Kleve after the storm"));
    assert!(!found.iter().any(|f| f.1.contains("calm")), "no cue, no suggestion: {found:#?}");
    // A strong opinion cue outweighs the number beside it.
    assert!(has(&run("The council must cut fees by 5 percent."), "Opinion", "The council must cut fees by 5 percent"));
    // Headings and list items (no final punctuation) are not statements.
    assert!(run("Average bill, 2025: €612\n\nWhat the 2019 inspection said").is_empty());
}

fn rule(name: &str, kind: RuleKind, pattern: &str, label: &str) -> SuggestRule {
    SuggestRule {
        name: name.into(),
        kind,
        pattern: pattern.into(),
        label: label.into(),
        case_sensitive: false,
        enabled: true,
    }
}

#[test]
fn user_rules_match_phrases_word_lists_and_regexes() {
    let text = "The Ministry’s spokesperson spoke. A ministry spokesperson wrote. WHO data and who-knows.";
    let d = doc(text);
    let mut rules = vec![
        rule("spokes", RuleKind::Phrase, "ministry   spokesperson", "Source"),
        rule("orgs", RuleKind::Words, "WHO|Red Cross", "Source"),
        rule("verbs", RuleKind::Regex, r"\b(?:spoke|wrote)\b", "Claim"),
    ];
    rules[1].case_sensitive = true;
    let options = SuggestOptions { builtin: false, labels: None, ..SuggestOptions::default() };
    let found: Vec<(String, String)> =
        suggest(&d, &Schema::default(), &rules, &options).iter().map(|s| (s.rule.clone(), slice(text, s))).collect();
    assert_eq!(
        found,
        [
            ("user.verbs".to_string(), "spoke".to_string()),
            ("user.spokes".into(), "ministry spokesperson".into()),
            ("user.verbs".into(), "wrote".into()),
            ("user.orgs".into(), "WHO".into()),
        ]
    );
    // Disabled rules do not run; broken ones are reported and skipped without stopping the others.
    rules[0].enabled = false;
    rules.push(rule("broken", RuleKind::Regex, "(", "Source"));
    rules.push(rule("nolabel", RuleKind::Phrase, "x", "Verdict"));
    let (suggester, errors) = Suggester::new(&Schema::default(), &rules, &options).unwrap();
    assert_eq!(errors.len(), 2);
    assert!(matches!(&errors[0], SuggestError::BadRule { rule, .. } if rule == "broken"));
    assert_eq!(check_rules(&Schema::default(), &rules).len(), 2);
    assert_eq!(suggester.suggest(&d).len(), 3);
    // A label filter keeps only what was asked for.
    let only = SuggestOptions { builtin: false, labels: Some(vec!["source".into()]), ..SuggestOptions::default() };
    let (suggester, _) = Suggester::new(&Schema::default(), &rules, &only).unwrap();
    assert!(suggester.suggest(&d).iter().all(|s| s.label == "Source"));
    assert!(
        Suggester::new(
            &Schema::default(),
            &rules,
            &SuggestOptions { builtin: false, labels: Some(vec!["x".into()]), ..SuggestOptions::default() }
        )
        .is_err()
    );
}

const ARTICLE: &str = "Officials at the Port Authority said the bridge carried 41,000 vehicles a day in 2025. \
                       The council should scrap the extension.";

fn project() -> Project {
    let mut p = Project::new("t");
    p.documents.push(Document::new(DocId("a".into()), "A", ARTICLE));
    p
}

#[test]
fn suggestions_repeating_a_human_span_are_dropped_and_linked_to_it() {
    let mut p = project();
    let id = p.alloc_span_id();
    p.documents[0].spans.push(Span::new(id, CharIdx(0)..CharIdx(31), "Source", "ana"));
    let found = suggest(&p.documents[0], &p.schema, &[], &SuggestOptions::default());
    assert!(!found.iter().any(|s| s.label == "Source"), "the human Source is not suggested again");
    let claim = found.iter().find(|s| s.label == "Claim").unwrap();
    let link = claim.relation.as_ref().unwrap();
    assert_eq!((link.other, link.outgoing), (LinkTarget::Span(id), false));
}

#[test]
fn accepting_makes_human_spans_with_origin_and_relations_in_one_undoable_step() {
    let mut p = project();
    let doc_id = DocId("a".into());
    let found = suggest(&p.documents[0], &p.schema, &[], &SuggestOptions::default());
    assert_eq!(found.len(), 3);
    let before = p.clone();
    let all: Vec<usize> = (0..found.len()).collect();
    let accepted = accept_edit(&p, &doc_id, &found, &all, "ana").unwrap();
    assert_eq!((accepted.spans, accepted.relations), (3, 1));
    assert!(matches!(&accepted.edit, Edit::Batch { edits, .. } if edits.len() == 4));
    let mut history = History::new();
    history.apply(&mut p, accepted.edit).unwrap();
    let d = &p.documents[0];
    assert!(d.spans.iter().all(|s| s.annotator == "ana" && s.origin.starts_with("suggest:")));
    let origins: Vec<&str> = d.spans.iter().map(|s| s.origin.as_str()).collect();
    assert!(origins.contains(&"suggest:source.reporting-verb") && origins.contains(&"suggest:opinion.modal"));
    assert_eq!(d.relations.len(), 1);
    // Nothing is suggested twice once accepted.
    assert!(suggest(d, &p.schema, &[], &SuggestOptions::default()).is_empty());
    history.undo(&mut p).unwrap();
    assert_eq!(p.documents, before.documents);

    // One at a time, content first: the relation appears when its second end is accepted.
    let source = found.iter().position(|s| s.label == "Source").unwrap();
    let claim = found.iter().position(|s| s.label == "Claim").unwrap();
    let first = accept_edit(&p, &doc_id, &found, &[claim], "ben").unwrap();
    assert_eq!((first.spans, first.relations), (1, 0));
    first.edit.apply(&mut p).unwrap();
    let second = accept_edit(&p, &doc_id, &found, &[source], "ben").unwrap();
    assert_eq!((second.spans, second.relations), (1, 1));
    second.edit.apply(&mut p).unwrap();
    let d = &p.documents[0];
    let rel = &d.relations[0];
    assert_eq!(d.span(rel.from).unwrap().label, "Source");
    assert_eq!(d.span(rel.to).unwrap().label, "Claim");
    assert!(matches!(accept_edit(&p, &doc_id, &found, &[99], "ben"), Err(SuggestError::NoSuggestion(99))));
}

#[test]
fn suggestions_never_reach_an_export_before_acceptance() {
    let p = project();
    let exported = |p: &Project| -> Vec<Vec<u8>> {
        let (docs, _) = select(p, &Filter::default()).unwrap();
        Format::ALL
            .iter()
            .flat_map(|&f| {
                export(&p.schema, &docs, f, &ExportOptions::default(), Path::new("out/x.jsonl")).unwrap().files
            })
            .map(|file| file.bytes)
            .collect()
    };
    let before = exported(&p);
    let copy = p.clone();
    let found = suggest(&p.documents[0], &p.schema, &p.rules, &SuggestOptions::default());
    assert!(!found.is_empty());
    assert_eq!(p, copy, "suggesting does not touch the project");
    assert_eq!(exported(&p), before, "no suggestion appears in any export format");
    assert!(store::to_ron(&p).unwrap().find("suggest").is_none(), "nor in the project file");
}

fn factmark(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).env("FACTMARK_ANNOTATOR", "tester").output().unwrap()
}

#[test]
fn cli_lists_as_json_and_accepts_all() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("p.ron");
    let mut p = project();
    p.rules.push(rule("broken", RuleKind::Regex, "(", "Source"));
    store::save(&p, &path).unwrap();
    let path_s = path.to_str().unwrap();
    let out = factmark(&["suggest", path_s, "--json", "--labels", "source,claim"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken"), "broken rules are warned about");
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["text"], "Officials at the Port Authority");
    assert_eq!(rows[0]["rule"], "source.reporting-verb");
    assert_eq!(rows[0]["relation"]["suggestion"], 1);
    assert_eq!(store::load(&path).unwrap(), p, "listing never writes");

    let out = factmark(&["suggest", path_s, "--accept-all"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("accepted 3 suggestion(s) as spans and 1 relation(s)"));
    let saved = store::load(&path).unwrap();
    assert_eq!(saved.span_count(), 3);
    assert!(saved.documents[0].spans.iter().all(|s| s.annotator == "tester" && s.origin.starts_with("suggest:")));
    let out = factmark(&["suggest", path_s, "--labels", "Verdict"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_megabyte_article_is_fast() {
    let paragraph = "Officials at the Port Authority said the bridge carried 41,000 vehicles a day in 2025. \
        “We did not take this decision lightly,” said Margarethe Olsen, the authority’s chief engineer. \
        According to the report, corrosion had cut the cable by 7 percent. The council should scrap the plan. \
        Critics 😡 say the minister’s plan is reckless; Zoë Ibáñez disagrees — mostly.\n\n";
    let text = paragraph.repeat(1_000_000 / paragraph.len() + 1);
    assert!(text.len() > 1_000_000);
    let d = doc(&text);
    let (suggester, _) = Suggester::new(
        &Schema::default(),
        &[rule("r", RuleKind::Words, "bridge|cable", "Claim")],
        &SuggestOptions::default(),
    )
    .unwrap();
    let started = Instant::now();
    let found = suggester.suggest(&d);
    let took = started.elapsed();
    println!("{} suggestions for {} bytes in {took:?}", found.len(), text.len());
    assert!(found.len() > 10_000);
    // Release builds take well under half a second (see README); debug builds are several times slower.
    let limit = if cfg!(debug_assertions) { 15.0 } else { 0.5 };
    assert!(took.as_secs_f64() < limit, "took {took:?}");
}
