//! Importing articles shaped like real news pages (tests/articles): the byline and date are found below
//! share bars and tag lines, the furniture is left out of the body and reported, and the prose is kept
//! exactly as written.

use std::path::{Path, PathBuf};

use factmark::import::{DropReason, ImportedArticle, plan_import, read_file};
use factmark::model::Project;

mod ui_support;

fn article(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/articles").join(name)
}

fn read(name: &str) -> ImportedArticle {
    let mut articles = read_file(&article(name)).unwrap();
    assert_eq!(articles.len(), 1);
    articles.remove(0)
}

/// The dropped lines as (text, reason) pairs, in file order.
fn dropped(a: &ImportedArticle) -> Vec<(&str, DropReason)> {
    a.dropped.iter().map(|d| (d.text.as_str(), d.reason)).collect()
}

/// Checks the parts every sample shares: the noise is out of the body and reported, the prose is in,
/// "We share this view with…" stays, and no empty or whitespace-only paragraph is left.
fn assert_clean(a: &ImportedArticle, noise: &[&str], prose: &[&str]) {
    for line in noise {
        assert!(!a.text.lines().any(|l| l.trim() == line.trim()), "{line:?} is still in the body");
        assert!(a.dropped.iter().any(|d| d.text == *line), "{line:?} is not listed as dropped");
    }
    for sentence in prose {
        assert!(a.text.contains(sentence), "{sentence:?} is missing from the body");
    }
    assert!(a.text.contains("We share this view with"), "prose that mentions sharing must stay");
    assert!(!a.text.lines().any(|l| !l.is_empty() && l.trim().is_empty()), "a whitespace-only line is left");
    assert!(!a.text.contains("\n\n\n"), "an empty paragraph is left");
    assert!(!a.text.starts_with(char::is_whitespace) && !a.text.ends_with(char::is_whitespace));
}

#[test]
fn byline_below_a_share_bar_with_footnote_mark_and_a_tag_line() {
    let a = read("ports-in-limbo.txt");
    assert_eq!(a.title, "Ports in limbo: how new tariffs are rerouting Europe’s grain trade");
    assert_eq!(a.meta.author, "José Carlos Palma");
    assert_eq!(a.meta.date, "2024-10-31");
    assert_clean(
        &a,
        &[
            "Share this:",
            "Topic: Economy Region: Europe Tags: trade, tariffs",
            "Ports in Limbo: How New Tariffs Are Rerouting Europe’s Grain Trade",
            "Facebook",
            "Email",
        ],
        &[
            "In the spring, the U.S. and several of its trading partners raised duties on processed cereals, and the \
             European response — a set of countermeasures announced in July — pushed the same goods in the opposite \
             direction.",
            "Dr. Ingrid Halvorsen, who studies commodity shipping",
            "“Grain is patient,” she said.",
            "A retired officer, Gen. Rui Valadares, who now chairs a veterans’ farming association near Évora",
            "1. Storage fees have doubled since August",
            "3. Smaller cooperatives cannot afford lawyers",
            "*José Carlos Palma is a freelance journalist based in Lisbon",
        ],
    );
    assert!(a.text.starts_with("At six in the morning the cranes at the grain terminal in Setúbal"));
    assert!(a.text.ends_with("who covers agriculture and trade."), "the footer share bar is gone: {}", a.text);
    // The non-breaking-space line between two paragraphs stays their paragraph break.
    assert!(a.text.contains("within a season.\n\nEconomists disagree"));
    assert_eq!(
        dropped(&a),
        [
            ("Share this:", DropReason::ShareBar),
            ("Topic: Economy Region: Europe Tags: trade, tariffs", DropReason::Tags),
            ("Ports in Limbo: How New Tariffs Are Rerouting Europe’s Grain Trade", DropReason::RepeatedTitle),
            ("\u{a0}", DropReason::Blank),
            ("\u{a0}\u{a0}", DropReason::Blank),
            ("\u{a0}", DropReason::Blank),
            ("Share this:", DropReason::ShareBar),
            ("Facebook", DropReason::ShareBar),
            ("X", DropReason::ShareBar),
            ("Email", DropReason::ShareBar),
        ]
    );
}

#[test]
fn student_byline_with_class_year_section_and_date_in_markdown() {
    let a = read("library-past-midnight.md");
    assert_eq!(a.title, "The library should stay open past midnight");
    // As printed, class year included; the section ("Opinions") has no metadata field and is not kept.
    assert_eq!(a.meta.author, "Ellen Jordan ’26");
    assert_eq!(a.meta.date, "2024-11-08");
    assert_eq!(a.meta.publication, "");
    assert_clean(
        &a,
        &["Share on Facebook | Share on X | Share via Email", "Tags: campus, library, budget", "Read more"],
        &[
            "That is not “a few”. It is more than attend most of the lectures I have taken here.",
            "Dr. Amelia Okonkwo, who chairs the faculty library committee",
            "about $48,000 a year — less than the university spent",
            "2. Extend the late shuttle to stop outside the library at 1 a.m. and 2:10 a.m.",
            "Ellen Jordan is a junior studying mechanical engineering.",
        ],
    );
    assert!(!a.text.contains("Opinions |"), "the byline line is not body text");
    assert!(a.text.starts_with("Every night at 11:45, a recorded voice"));
    assert!(a.text.ends_with("Her column appears every other Friday."));
}

#[test]
fn html_byline_paragraph_with_date_after_share_bar() {
    let a = read("shrinking-chocolate.html");
    assert_eq!(a.title, "Why your chocolate bar is getting smaller");
    assert_eq!(a.meta.author, "Ayşe Çelik");
    assert_eq!(a.meta.date, "2024-10-31");
    assert_eq!(a.meta.publication, "The Northgate Ledger");
    assert_clean(
        &a,
        &[
            "Share this:",
            "Topic: Economy Region: Europe Tags: trade, tariffs",
            "“Why Your Chocolate Bar Is Getting Smaller”",
            "Advertisement",
            "Related: Turkish hazelnut growers count the cost of a late frost",
        ],
        &[
            "Shoppers have a word for it — “shrinkflation” — and this autumn the reason sits in the orchards along \
             Turkey’s Black Sea coast",
            "Dr. Lena Hoffmann, who advises confectioners on sourcing",
            "part of a dispute that began with U.S. tariffs on European machinery",
            "A U.N. agency that tracks food prices",
            "Retired Gen. Selim Aydın",
            "1. Compare the price per kilogram",
        ],
    );
    assert!(!a.text.contains("Ayşe Çelik |"), "the byline paragraph is not body text");
    assert!(a.text.starts_with("The wrapper looks the same"));
    assert!(a.text.ends_with("though few expect the bars to grow back."));
    // Paragraphs of &nbsp; are whitespace in HTML: they never become paragraphs at all.
    assert_eq!(a.text.matches("\n\n").count() + 1, 12, "{}", a.text);
}

#[test]
fn posted_by_byline_weekday_date_with_time_and_page_tools() {
    let a = read("night-trains.txt");
    assert_eq!(a.title, "Night trains are back. Can they last this time?");
    assert_eq!(a.meta.author, "Łukasz Wiśniewski");
    assert_eq!(a.meta.date, "2024-09-05");
    assert_clean(
        &a,
        &[
            "Share this article",
            "Print",
            "Email",
            "NIGHT TRAINS ARE BACK.  CAN THEY LAST THIS TIME?",
            "Related:",
            "Read more: Europe’s longest rail tunnel opens to passengers",
            "Advertisement",
        ],
        &[
            "The sleeper from Vienna pulled into Kraków at 6:52 a.m., eleven minutes late",
            "“The economics have always been brutal,” said Prof. Hanna Lindqvist",
            "In the U.K., a sleeper route to the far north survives",
            "Mr. Tomasz Król, a spokesperson for the Polish operator",
            "on the Vienna–Kraków route",
            "“At my age I do not want to sit in an airport,” she said.",
        ],
    );
    assert!(!a.text.contains("Posted by") && !a.text.contains("3:15 p.m. ET"));
    // Two blank-looking lines (U+00A0 then U+202F) in the middle of the article: one paragraph break.
    assert!(a.text.contains("a short list of complaints:\n\n1. Tickets go on sale too late"));
    assert!(a.text.ends_with("That still feels like magic to me.”"));
}

#[test]
fn the_plan_reports_dropped_lines_per_document() {
    let plan = plan_import(&Project::new("t"), &[article("ports-in-limbo.txt"), article("night-trains.txt")]);
    assert!(plan.errors.is_empty(), "{:?}", plan.errors);
    assert_eq!(plan.documents.len(), 2);
    assert_eq!(plan.dropped.len(), 2);
    let ports = &plan.dropped[0];
    assert_eq!(ports.doc, plan.documents[0].id);
    assert_eq!(ports.title, "Ports in limbo: how new tariffs are rerouting Europe’s grain trade");
    assert!(ports.path.ends_with("ports-in-limbo.txt"));
    assert_eq!(ports.lines.len(), 10);
    assert_eq!(plan.dropped[1].doc, plan.documents[1].id);
    assert_eq!(plan.documents[0].text, read("ports-in-limbo.txt").text);
}

#[test]
fn cli_import_prints_the_dropped_lines_under_each_document() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("p.ron");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_factmark")).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let p = project.to_str().unwrap();
    run(&["new", p]);
    let out = run(&["import", p, article("night-trains.txt").to_str().unwrap()]);
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("imported night-trains-are-back"), "{out}");
    assert_eq!(
        lines[1],
        "  dropped 9 line(s) from \"Night trains are back. Can they last this time?\": \"Share this article\" (share \
         buttons), \"Print\" (share buttons), \"Email\" (share buttons), \"NIGHT TRAINS ARE BACK.  CAN THEY LAST THIS \
         TIME?\" (the title repeated), \"\\u{a0}\" (blank line of spaces), \"\\u{a0}\\u{202f}\" (blank line of spaces), \
         \"Related:\" (related-links header), \"Read more: Europe’s longest rail tunnel opens to passengers\" \
         (read-more link), \"Advertisement\" (advertisement label)"
    );
    assert_eq!(lines[2], format!("1 document(s) imported into {p}"));
}

#[test]
fn the_import_preview_lists_the_lines_left_out() {
    use egui_kittest::kittest::Queryable;
    let mut h =
        ui_support::harness(factmark::ui::FactmarkApp::new(factmark::model::Project::new("p"), None), [1400.0, 900.0]);
    ui_support::press(&mut h, egui::Modifiers::COMMAND, egui::Key::I);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/articles/night-trains.txt");
    h.get_by_label("Paths").type_text(path);
    h.run();
    h.get_by_label("Preview").click();
    ui_support::wait_for(&mut h, "left out 9 line(s) of page furniture");
    h.get_by_label_contains("\"Share this article\" (share buttons)");
    h.get_by_label_contains("(the title repeated)");
}
