//! The recommenders that learn from the project's own human spans, on small projects built here from
//! markup (`[Label#name>target|text]`, as in tests/eval/): the string matcher, the clause model's
//! boundaries, the Source tagger, the link model, leaving out the document suggested for, the filters
//! every suggestion passes, the simulated annotator's accounting, and determinism.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use factmark::analysis::suggest::simulate::{TimeModel, simulate};
use factmark::analysis::suggest::{
    LearnWhat, Learned, LinkTarget, Recommender, SuggestOptions, SuggestedLink, Suggester, Suggestion, learn,
};
use factmark::model::{CharIdx, DocId, Document, Project, Relation, RelationId, RuleKind, Span, SpanId, SuggestRule};
use factmark::session::job::Progress;
use factmark::session::suggestions::suggest_documents;

mod markup_support;
use markup_support::parse_markup as parse;

/// Adds a document written in markup to `project`, with its spans and `attributed_to` relations.
fn add_doc(project: &mut Project, title: &str, marked: &str) -> DocId {
    let (text, spans) = parse(marked);
    let id = project.unique_doc_id(title);
    let mut doc = Document::new(id.clone(), title, text);
    let mut names: HashMap<String, SpanId> = HashMap::new();
    for m in &spans {
        let span = Span::new(project.alloc_span_id(), CharIdx(m.start)..CharIdx(m.end), m.label.clone(), "ana");
        if let Some(name) = &m.name {
            names.insert(name.clone(), span.id);
        }
        doc.spans.push(span);
    }
    doc.spans.sort_by_key(|s| s.sort_key());
    for m in &spans {
        if let (Some(name), Some(target)) = (&m.name, &m.target) {
            let id = project.alloc_relation_id();
            doc.relations.push(Relation {
                id: RelationId(id.0),
                from: names[name],
                to: names[target],
                kind: "attributed_to".into(),
            });
        }
    }
    project.documents.push(doc);
    id
}

/// A project of the given documents (markup).
fn project_of(docs: &[&str]) -> Project {
    let mut project = Project::new("learned");
    for (i, d) in docs.iter().enumerate() {
        add_doc(&mut project, &format!("doc {i}"), d);
    }
    project
}

/// The char range of the `nth` (from 0) occurrence of `part` in `text`.
fn find(text: &str, part: &str, nth: usize) -> Range<CharIdx> {
    let (b, _) = text.match_indices(part).nth(nth).unwrap_or_else(|| panic!("{part:?} #{nth} in {text:?}"));
    let start = text[..b].chars().count();
    CharIdx(start)..CharIdx(start + part.chars().count())
}

fn slice(text: &str, r: Range<CharIdx>) -> String {
    text.chars().skip(r.start.0).take(r.end.0 - r.start.0).collect()
}

/// Suggestions for `doc` by `chosen`, with models trained on `project` (all its labelled documents).
fn suggest_with(project: &Project, chosen: &[Recommender], doc: &Document) -> Vec<Suggestion> {
    let options = SuggestOptions::only(chosen);
    let learned = learn(project, None, options.learn, &|| false);
    suggester(project, &options, learned).suggest(doc)
}

fn suggester(project: &Project, options: &SuggestOptions, learned: Learned) -> Suggester {
    let (s, errors) = Suggester::new(&project.schema, &project.rules, options).unwrap();
    assert!(errors.is_empty(), "{errors:?}");
    s.with_learned(Arc::new(learned))
}

/// A document without spans.
fn bare(text: &str) -> Document {
    Document::new(DocId("new".into()), "New", text)
}

/// `(label, text, recommender)` of each suggestion, for messages.
fn show(text: &str, found: &[Suggestion]) -> Vec<(String, String, &'static str, f32)> {
    found.iter().map(|s| (s.label.clone(), slice(text, s.range()), s.recommender.name(), s.score)).collect()
}

/// Wire-style reports: Claims without the attribution frame and the full stop, Sources before "said" or
/// "told", each Source linked to its Claim.
const WIRE: &[&str] = &[
    "[Claim#c1|The bridge carried 41,000 vehicles a day], [Source#s1>c1|the ministry] said. \
     [Claim#c2|Repairs will cost 4 million euros], [Source#s2>c2|officials] said. \
     [Source#s3>c3|Anna Berg] said [Claim#c3|the tunnel opened in 1998].",
    "[Claim#c1|The port handled 12 million tonnes last year], [Source#s1>c1|the harbour board] said. \
     [Source#s2>c2|Tom Hale] told reporters [Claim#c2|the cranes were replaced in 2019]. \
     [Claim#c3|Fares rose by 8 percent in March], [Source#s3>c3|the council] said.",
    "[Claim#c1|The hospital treated 3,400 patients in May], [Source#s1>c1|the health board] said. \
     [Source#s2>c2|Lena Ortiz] said [Claim#c2|the new wing has 120 beds]. \
     [Claim#c3|Waiting times fell to 41 minutes], [Source#s3>c3|officials] said.",
    "[Source#s1>c1|Paul Meyer] told the council [Claim#c1|the school has 540 pupils]. \
     [Claim#c2|The budget grew by 2.5 percent], [Source#s2>c2|the ministry] said. \
     [Claim#c3|Three teachers retired in June], [Source#s3>c3|the head teacher] said.",
    "[Claim#c1|The airport lost 9 million euros in 2023], [Source#s1>c1|the auditors] said. \
     [Source#s2>c2|Sara Lind] said [Claim#c2|the runway was resurfaced in 2021]. \
     [Claim#c3|Passenger numbers doubled since 2015], [Source#s3>c3|the operator] said.",
];

/// A new report in the same style: two Claims before a trailing frame, one after "said".
const NEW_WIRE: &str = "The ferry carries 900 passengers an hour, the ministry said. \
                        Mira Castell said the pier was rebuilt in 2010. \
                        Tolls rose by 12 percent in 2024, officials said.";

/// `(range, label, recommender)` of each suggestion.
fn ranges(found: &[Suggestion]) -> Vec<(Range<CharIdx>, String, Recommender)> {
    found.iter().map(|s| (s.range(), s.label.clone(), s.recommender)).collect()
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
fn the_string_matcher_proposes_consistently_labelled_names_where_they_recur_on_whole_words() {
    // "Dr. Ilse Maro" is a Source each of the four times it occurs; "the ministry" once in five.
    let project = project_of(&[
        "[Source|Dr. Ilse Maro] said the bridge was safe. The ministry said repairs were due. \
         Reporters waited for [Source|Dr. Ilse Maro] outside.",
        "Engineers met [Source|Dr. Ilse Maro] on Friday. [Source|The ministry] said the road would close. \
         The ministry later changed its mind. Critics blamed the ministry.",
        "[Source|Dr. Ilse Maro] told the council the tunnel leaked. Nobody asked the ministry.",
    ]);
    let text = "On Monday Dr. Ilse Maro warned that the ministry had ignored her. \
                Dr. Ilse Maroni, her cousin, disagreed; the ministry did not.";
    let found = suggest_with(&project, &[Recommender::Strings], &bare(text));
    assert_eq!(
        ranges(&found),
        vec![(find(text, "Dr. Ilse Maro", 0), "Source".to_string(), Recommender::Strings)],
        "{:?}",
        show(text, &found)
    );
    assert_eq!(found[0].score, 1.0, "labelled every time it occurred");
    assert_eq!(found[0].rule, "learned.strings");
}

#[test]
fn the_clause_model_learns_to_leave_out_the_attribution_frame_and_the_full_stop() {
    let project = project_of(WIRE);
    let text = "The ferry carries 900 passengers an hour, the ministry said. \
                Tolls rose by 12 percent in 2024, officials said. \
                The museum drew 80,000 visitors in 2022, the council said.";
    let found = suggest_with(&project, &[Recommender::Clauses], &bare(text));
    let claim = |part: &str| (find(text, part, 0), "Claim".to_string(), Recommender::Clauses);
    assert_eq!(
        ranges(&found),
        vec![
            claim("The ferry carries 900 passengers an hour"),
            claim("Tolls rose by 12 percent in 2024"),
            claim("The museum drew 80,000 visitors in 2022"),
        ],
        "{:?}",
        show(text, &found)
    );
    // The leading frame ("X said …") is left out the same way, and the full stop with it.
    let found = suggest_with(&project, &[Recommender::Clauses], &bare(NEW_WIRE));
    let claims: Vec<String> = found.iter().filter(|s| s.label == "Claim").map(|s| slice(NEW_WIRE, s.range())).collect();
    assert!(claims.contains(&"the pier was rebuilt in 2010".to_string()), "{claims:?}");
    for s in &found {
        assert!(s.score > 0.0 && s.score <= 1.0, "{:?}", show(NEW_WIRE, &found));
    }
}

#[test]
fn the_tagger_finds_a_new_name_where_sources_stand_before_said_or_told() {
    let project = project_of(WIRE);
    // Neither name occurs in the training documents: only their position can tell.
    let text = "Mira Castell said the pier was rebuilt in 2010. Jonas Weber told reporters the ferry was late.";
    for doc in &project.documents {
        assert!(!doc.text.contains("Castell") && !doc.text.contains("Weber"));
    }
    let found = suggest_with(&project, &[Recommender::Tagger], &bare(text));
    let sources: Vec<_> = ranges(&found).into_iter().filter(|(_, label, _)| label == "Source").collect();
    assert_eq!(
        sources,
        vec![
            (find(text, "Mira Castell", 0), "Source".to_string(), Recommender::Tagger),
            (find(text, "Jonas Weber", 0), "Source".to_string(), Recommender::Tagger),
        ],
        "{:?}",
        show(text, &found)
    );
    for s in &found {
        assert!(s.score > 0.5 && s.score <= 1.0, "{:?}", show(text, &found));
        assert_eq!(s.rule, "learned.tagger");
    }
}

#[test]
fn the_link_model_attributes_the_suggested_claim_to_the_suggested_source() {
    let project = project_of(WIRE);
    let chosen = [Recommender::Clauses, Recommender::Tagger, Recommender::Links];
    assert_eq!(
        SuggestOptions::only(&chosen).learn,
        LearnWhat { strings: false, clauses: true, tagger: true, links: true }
    );
    let found = suggest_with(&project, &chosen, &bare(NEW_WIRE));
    let text = NEW_WIRE;
    let at = |part: &str, label: &str| {
        found
            .iter()
            .position(|s| s.range() == find(text, part, 0) && s.label == label)
            .unwrap_or_else(|| panic!("{label} {part:?} in {:?}", show(text, &found)))
    };
    for (source, claim) in [
        ("the ministry", "The ferry carries 900 passengers an hour"),
        ("Mira Castell", "the pier was rebuilt in 2010"),
        ("officials", "Tolls rose by 12 percent in 2024"),
    ] {
        let (s, c) = (at(source, "Source"), at(claim, "Claim"));
        assert_eq!(
            found[s].relation,
            Some(SuggestedLink { kind: "attributed_to".into(), other: LinkTarget::Suggestion(c), outgoing: true }),
            "{source} → {claim}"
        );
    }
    // The relations come from the link model: without it (and without the cues) there are none.
    let unlinked = suggest_with(&project, &[Recommender::Clauses, Recommender::Tagger], &bare(text));
    assert_eq!(ranges(&unlinked), ranges(&found));
    assert!(unlinked.iter().all(|s| s.relation.is_none()), "{unlinked:?}");
}

/// The wire reports plus a document that alone names "Zorbek Quill" (a Source once, then unlabelled),
/// and an unlabelled one that names him again.
fn project_with_a_unique_name() -> (Project, DocId, DocId) {
    let mut project = project_of(WIRE);
    let a = add_doc(
        &mut project,
        "dam",
        "[Claim#c1|The dam holds 40 million cubic metres], [Source#s1>c1|Zorbek Quill] said. \
         Zorbek Quill chairs the water board.",
    );
    let u = add_doc(&mut project, "lock", "Zorbek Quill opened the new lock on Monday.");
    (project, a, u)
}

#[test]
fn a_document_left_out_of_training_teaches_nothing() {
    let (project, a, _) = project_with_a_unique_name();
    let what = SuggestOptions::only(&[Recommender::Strings]).learn;
    let text = "Yesterday Zorbek Quill spoke to the ministry.";
    let name = find(text, "Zorbek Quill", 0);
    let without = learn(&project, Some(&a), what, &|| false);
    let with = learn(&project, None, what, &|| false);
    // The unlabelled document never teaches; the left-out one does not either.
    assert_eq!((without.documents, with.documents), (WIRE.len(), WIRE.len() + 1));
    assert_eq!(with.spans - without.spans, 2);
    let options = SuggestOptions::only(&[Recommender::Strings]);
    let found = suggester(&project, &options, without).suggest(&bare(text));
    assert!(found.iter().all(|s| s.range() != name), "{:?}", show(text, &found));
    let found = suggester(&project, &options, with).suggest(&bare(text));
    let quill: Vec<_> = found.iter().filter(|s| s.range() == name).collect();
    assert_eq!(quill.len(), 1, "{:?}", show(text, &found));
    assert_eq!((quill[0].label.as_str(), quill[0].score), ("Source", 0.5), "labelled once of twice");
}

#[test]
fn suggest_documents_never_suggests_from_a_documents_own_spans() {
    let (project, a, u) = project_with_a_unique_name();
    let chosen = [Recommender::Strings];
    let dam = project.doc(&a).unwrap();
    let second = find(&dam.text, "Zorbek Quill", 1);
    // Trained on everything, the matcher would propose the unlabelled second mention in the same document
    // (the first repeats the human span and is not listed).
    let leaky = suggest_with(&project, &chosen, dam);
    assert!(leaky.iter().any(|s| s.range() == second), "{:?}", show(&dam.text, &leaky));

    let docs: Vec<&Document> = project.documents.iter().collect();
    let (per_doc, errors) = suggest_documents(&project, &docs, &chosen, None, &Progress::default()).unwrap();
    assert!(errors.is_empty());
    let ids: Vec<&DocId> = per_doc.iter().map(|(id, _)| id).collect();
    assert_eq!(ids, project.documents.iter().map(|d| &d.id).collect::<Vec<_>>(), "every document, in order");
    let of = |id: &DocId| &per_doc.iter().find(|(d, _)| d == id).unwrap().1;
    let on_dam = of(&a);
    assert!(on_dam.iter().all(|s| !slice(&dam.text, s.range()).contains("Quill")), "{:?}", show(&dam.text, on_dam));
    // The unlabelled document gets the model trained on every labelled one, which knows the name.
    let lock = project.doc(&u).unwrap();
    let on_lock = of(&u);
    assert_eq!(ranges(on_lock), vec![(find(&lock.text, "Zorbek Quill", 0), "Source".into(), Recommender::Strings)]);
}

#[test]
fn suggestions_never_repeat_human_spans_and_come_only_from_the_chosen_recommenders() {
    let mut project = project_of(WIRE);
    project.rules.push(rule("pier", RuleKind::Phrase, "the pier", "Claim"));
    // The new report with two of its spans already made by hand.
    let d = add_doc(
        &mut project,
        "new",
        "[Claim|The ferry carries 900 passengers an hour], the ministry said. \
         [Source|Mira Castell] said the pier was rebuilt in 2010. \
         Tolls rose by 12 percent in 2024, officials said.",
    );
    let doc = project.doc(&d).unwrap().clone();
    let text = doc.text.as_str();
    let all = factmark::session::suggestions::all_recommenders();
    let options = SuggestOptions::only(&all);
    let learned = learn(&project, Some(&d), options.learn, &|| false);
    let s = suggester(&project, &options, learned);
    let found = s.suggest(&doc);
    let human: Vec<(Range<CharIdx>, &str)> = doc.spans.iter().map(|h| (h.range(), h.label.as_str())).collect();
    for f in &found {
        assert!(!human.contains(&(f.range(), f.label.as_str())), "{:?} repeats a human span", show(text, &found));
        assert!((0.0..=1.0).contains(&f.score), "{:?}", show(text, &found));
    }
    // They were suggested: on the bare text both are there.
    let on_bare = s.suggest(&bare(text));
    for (range, label) in &human {
        assert!(on_bare.iter().any(|f| f.range() == *range && f.label == *label), "{:?}", show(text, &on_bare));
    }
    // Relations to a suggestion that was dropped for a human span go to that span instead.
    let (claim, castell) = (doc.spans.iter().find(|h| h.label == "Claim").unwrap(), &doc.spans[1]);
    assert_eq!(slice(text, castell.range()), "Mira Castell");
    let ministry = found.iter().find(|f| f.range() == find(text, "the ministry", 0)).unwrap();
    assert_eq!(ministry.relation.as_ref().map(|l| (l.other, l.outgoing)), Some((LinkTarget::Span(claim.id), true)));
    let pier = found.iter().find(|f| f.range() == find(text, "the pier was rebuilt in 2010", 0)).unwrap();
    assert_eq!(pier.relation.as_ref().map(|l| (l.other, l.outgoing)), Some((LinkTarget::Span(castell.id), false)));

    // Each choice of recommenders: only those make suggestions.
    for chosen in [
        vec![Recommender::Strings],
        vec![Recommender::Clauses],
        vec![Recommender::Tagger],
        vec![Recommender::Rules],
        vec![Recommender::Cues],
        vec![Recommender::Strings, Recommender::Tagger, Recommender::Links],
        all.clone(),
    ] {
        let options = SuggestOptions::only(&chosen);
        let learned = learn(&project, Some(&d), options.learn, &|| false);
        let found = suggester(&project, &options, learned).suggest(&doc);
        assert!(!found.is_empty(), "{chosen:?} suggests something here");
        for f in &found {
            assert!(chosen.contains(&f.recommender), "{chosen:?}: {:?}", show(text, &found));
            assert!((0.0..=1.0).contains(&f.score), "{chosen:?}: {:?}", show(text, &found));
        }
    }
    // The project's rule ("the pier") runs only when Rules is chosen, and the cues only when Cues is.
    let only_rules = suggest_with(&project, &[Recommender::Rules], &doc);
    assert_eq!(ranges(&only_rules), vec![(find(text, "the pier", 0), "Claim".into(), Recommender::Rules)]);
    assert_eq!(only_rules[0].rule, "user.pier");
}

#[test]
fn the_simulated_annotator_counts_accepts_adjustments_rejections_and_hand_tagging() {
    let mut project = project_of(&[
        // Berg: accepted. The Claim: one of "prices rose" and "4 percent" (an Opinion) adjusts it, the other
        // is rejected (a human span pairs with one suggestion), as is "The weather". "a disaster": by hand.
        "[Source|Anna Berg] said [Claim|prices rose 4 percent]. The weather was [Opinion|a disaster].",
        // "Officials" as a Claim: adjusted (label fixed); "the weather" adjusted (boundaries).
        "[Source|Officials] said [Opinion|the weather ruined the harvest].",
    ]);
    project.rules = vec![
        rule("berg", RuleKind::Phrase, "Anna Berg", "Source"),
        rule("rose", RuleKind::Regex, r"prices\s+rose", "Claim"),
        rule("percent", RuleKind::Phrase, "4 percent", "Opinion"),
        rule("weather", RuleKind::Phrase, "the weather", "Opinion"),
        rule("officials", RuleKind::Words, "officials|spokespeople", "Claim"),
    ];
    let options = SuggestOptions::only(&[Recommender::Rules]);
    let sim = simulate(&project, &options, vec!["rules".into()], TimeModel::default(), 1, &|| false).unwrap();
    assert_eq!(sim.runs.len(), 2);
    let counts = |i: usize| {
        let r = &sim.runs[i];
        (r.gold, r.suggested, r.accepted, r.adjusted, r.rejected, r.by_hand, r.seconds, r.seconds_by_hand)
    };
    // gold, suggested, accepted, adjusted, rejected, by hand, seconds (1/3/1/5 s), seconds by hand.
    assert_eq!(counts(0), (3, 4, 1, 1, 2, 1, 1.0 + 3.0 + 2.0 + 5.0, 15.0), "{sim}");
    assert_eq!(counts(1), (2, 2, 0, 2, 0, 0, 6.0, 10.0), "{sim}");
    assert_eq!((sim.runs[0].trained_on, sim.runs[1].trained_on), (0, 1), "documents before it");
    assert!((sim.runs[0].saved() - (1.0 - 11.0 / 15.0)).abs() < 1e-9);
    assert!((sim.runs[1].saved() - 0.4).abs() < 1e-9);
    let after = sim.after_warmup();
    assert_eq!((after.accepted, after.adjusted, after.rejected, after.by_hand), (0, 2, 0, 0));
    assert_eq!((after.seconds, after.seconds_by_hand), (6.0, 10.0));
    let overall = sim.overall();
    assert_eq!((overall.seconds, overall.seconds_by_hand), (17.0, 25.0));
    // The scores count only the documents after the warm-up: the second.
    assert_eq!(sim.scores.documents, 1);
    let score = |label: &str| {
        let s = &sim.scores.labels[label];
        (s.gold, s.suggested, s.exact_gold, s.overlap_gold, s.overlap_suggested)
    };
    assert_eq!(score("Source"), (1, 0, 0, 0, 0));
    assert_eq!(score("Opinion"), (1, 1, 0, 1, 1));
    assert_eq!(score("Claim"), (0, 1, 0, 0, 0));
    let shown = sim.to_string();
    assert!(shown.contains("once 1 documents are labelled: 40 % of the time saved (6 s instead of 10 s)"), "{shown}");
}

#[test]
fn training_twice_gives_identical_suggestions() {
    let (project, _, _) = project_with_a_unique_name();
    let options = SuggestOptions::default();
    let first = learn(&project, None, options.learn, &|| false);
    let second = learn(&project, None, options.learn, &|| false);
    assert_eq!((first.documents, first.spans), (second.documents, second.spans));
    let (a, b) = (suggester(&project, &options, first), suggester(&project, &options, second));
    let texts = [NEW_WIRE, "Zorbek Quill said the dam was safe. The ministry said officials were wrong."];
    for text in texts {
        let (x, y) = (a.suggest(&bare(text)), b.suggest(&bare(text)));
        assert!(x.len() >= 4, "{:?}", show(text, &x));
        assert_eq!(x, y, "{text}");
    }
    for doc in &project.documents {
        assert_eq!(a.suggest(doc), b.suggest(doc), "{}", doc.id);
    }
}

/// The string matcher keeps one entry per labelled text, and "The Ministry" and "the ministry" are two
/// texts matched ignoring case: where both qualify with different labels, which one a new occurrence
/// gets must not depend on the order of a hash map.
#[test]
fn the_string_matcher_breaks_ties_between_case_variants_the_same_way_every_time() {
    let project = project_of(&[
        "[Source|The Ministry] spoke. [Claim|the ministry] was here.",
        "Nothing here at all. [Claim|Prices rose 4 percent] today.",
        "Another text, [Source|Anna Berg] said.",
    ]);
    let text = "Then THE MINISTRY spoke again.";
    let first = suggest_with(&project, &[Recommender::Strings], &bare(text));
    assert_eq!(first.len(), 1, "{:?}", show(text, &first));
    for _ in 0..20 {
        let again = suggest_with(&project, &[Recommender::Strings], &bare(text));
        assert_eq!(show(text, &again), show(text, &first));
    }
}
