//! HTML articles: title, byline, date and body from a real HTML5 parser. Navigation, headers, footers,
//! asides, scripts, forms, ads and share bars are left out, and so are furniture paragraphs without such
//! markup ("Share this:", tag lines, the headline again), which are reported. Nothing is fetched: links
//! and sources are never followed, and scripts are never run.

use std::path::Path;

use ego_tree::NodeRef;
use scraper::{ElementRef, Html, Node, Selector};

use crate::model::Metadata;

use super::boilerplate::{Verdict, byline, sift};
use super::{ImportError, ImportedArticle};

/// Elements whose whole subtree is page furniture, not article text.
const SKIPPED_TAGS: [&str; 15] = [
    "nav", "header", "footer", "aside", "script", "style", "noscript", "form", "template", "iframe", "svg", "button",
    "select", "object", "head",
];

/// Class or id segments (split on `-`, `_` and spaces) that mark page furniture.
const SKIPPED_MARKERS: [&str; 14] = [
    "ad",
    "ads",
    "advert",
    "advertisement",
    "share",
    "social",
    "newsletter",
    "related",
    "promo",
    "byline",
    "cookie",
    "comments",
    "subscribe",
    "sponsored",
];

/// Elements that hold one paragraph of text each.
const BLOCK_TAGS: [&str; 12] = ["p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "pre", "figcaption", "dt", "dd"];

fn select_first<'a>(doc: &'a Html, selector: &str) -> Option<ElementRef<'a>> {
    let selector = Selector::parse(selector).ok()?;
    doc.select(&selector).next()
}

fn attr(doc: &Html, selector: &str, name: &str) -> Option<String> {
    let value = select_first(doc, selector)?.value().attr(name)?.trim().to_string();
    (!value.is_empty()).then_some(value)
}

fn text_of(doc: &Html, selector: &str) -> Option<String> {
    let text = collapse(&select_first(doc, selector)?.text().collect::<String>());
    (!text.is_empty()).then_some(text)
}

/// Runs of whitespace become one space; ends trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Deepest element nesting accepted. Real articles nest a few dozen levels; the HTML5 tree builder's scope
/// checks cost time proportional to depth for every tag, so a hostile page of 100,000 nested elements
/// would take minutes. Such pages are refused instead.
pub const MAX_NESTING: usize = 1000;

/// Elements that pages close explicitly, so counting them estimates nesting before parsing. Every block
/// element whose end tag is required is here: nesting any of them 100,000 deep makes the tree builder's
/// scope checks quadratic, so leaving one out would let a page past the limit.
const COUNTED_TAGS: [&str; 37] = [
    "div",
    "span",
    "section",
    "article",
    "main",
    "aside",
    "nav",
    "header",
    "footer",
    "table",
    "tbody",
    "tr",
    "td",
    "ul",
    "ol",
    "blockquote",
    "b",
    "i",
    "em",
    "strong",
    "a",
    "font",
    "figure",
    "small",
    "address",
    "center",
    "details",
    "dialog",
    "dir",
    "dl",
    "fieldset",
    "hgroup",
    "listing",
    "menu",
    "pre",
    "search",
    "summary",
];

/// The deepest nesting of [`COUNTED_TAGS`] in `source`, found by scanning tags without parsing.
fn nesting_depth(source: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    for piece in source.split('<').skip(1) {
        let closing = piece.starts_with('/');
        let name: String = piece
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if !COUNTED_TAGS.contains(&name.as_str()) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !piece.split('>').next().is_some_and(|tag| tag.ends_with('/')) {
            depth += 1;
            deepest = deepest.max(depth);
        }
    }
    deepest
}

/// Reads an HTML page into an article.
pub fn parse(path: &Path, source: &str) -> Result<ImportedArticle, ImportError> {
    let depth = nesting_depth(source);
    if depth > MAX_NESTING {
        return Err(ImportError::TooDeep { path: path.to_path_buf(), depth, max: MAX_NESTING });
    }
    let doc = Html::parse_document(source);
    let title = attr(&doc, r#"meta[property="og:title"]"#, "content")
        .or_else(|| text_of(&doc, "article h1"))
        .or_else(|| text_of(&doc, "h1"))
        .or_else(|| text_of(&doc, "title"))
        .unwrap_or_default();
    let marked_author = attr(&doc, r#"meta[name="author"]"#, "content")
        .or_else(|| text_of(&doc, r#"[rel="author"]"#))
        .or_else(|| text_of(&doc, ".byline"))
        .or_else(|| text_of(&doc, ".author"));
    // Byline markup holds the printed byline ("By José Carlos Palma*", "Ellen Jordan ’26 in Opinions |
    // November 8, 2024"): read it like a text byline; a plain name is taken as it is.
    let (byline_author, byline_date) = marked_author.as_deref().and_then(byline).unwrap_or_default();
    let author = byline_author
        .or_else(|| {
            marked_author
                .map(|a| a.strip_prefix("By ").or_else(|| a.strip_prefix("by ")).unwrap_or(&a).trim().to_string())
        })
        .unwrap_or_default();
    let date = attr(&doc, r#"meta[property="article:published_time"]"#, "content")
        .or_else(|| attr(&doc, "time[datetime]", "datetime"))
        .map(|d| date_part(&d))
        .or(byline_date)
        .unwrap_or_default();
    let root =
        select_first(&doc, "article").or_else(|| select_first(&doc, "main")).or_else(|| select_first(&doc, "body"));
    let mut blocks = root.map(|r| body_blocks(*r)).unwrap_or_default();
    // The headline is the title, not body text.
    if blocks.first().is_some_and(|b| *b == title) {
        blocks.remove(0);
    }
    // Pages without byline markup print it as a paragraph, often below a share bar; the page's own meta
    // tags win over such a paragraph.
    let sifted = sift(&title, &blocks, !author.is_empty(), !date.is_empty());
    let dropped = sifted.dropped(&blocks);
    let text = blocks
        .iter()
        .zip(&sifted.verdicts)
        .filter(|(_, verdict)| **verdict == Verdict::Keep)
        .map(|(block, _)| block.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    let meta = Metadata {
        author: if author.is_empty() { sifted.author.unwrap_or_default() } else { author },
        date: if date.is_empty() { sifted.date.unwrap_or_default() } else { date },
        publication: attr(&doc, r#"meta[property="og:site_name"]"#, "content").unwrap_or_default(),
        url: attr(&doc, r#"link[rel="canonical"]"#, "href")
            .or_else(|| attr(&doc, r#"meta[property="og:url"]"#, "content"))
            .unwrap_or_default(),
        source_file: String::new(),
    };
    Ok(ImportedArticle { title, meta, text, dropped })
}

/// `2026-01-20T08:00:00Z` → `2026-01-20`; anything else as given.
fn date_part(value: &str) -> String {
    let day = value.get(..10).unwrap_or(value);
    let iso = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if iso { day.to_string() } else { value.trim().to_string() }
}

fn is_skipped(element: &scraper::node::Element) -> bool {
    if SKIPPED_TAGS.contains(&element.name()) {
        return true;
    }
    let marked = |value: Option<&str>| {
        value.is_some_and(|v| {
            v.split(|c: char| c.is_whitespace() || c == '-' || c == '_')
                .any(|segment| SKIPPED_MARKERS.contains(&segment.to_ascii_lowercase().as_str()))
        })
    };
    marked(element.attr("class")) || marked(element.attr("id"))
}

/// The text blocks under `root`, in document order. Iterative, so deeply nested markup cannot overflow
/// the stack.
fn body_blocks(root: NodeRef<'_, Node>) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut loose = String::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Element(element) if node != root && is_skipped(element) => {}
            // A date standing on its own between blocks is metadata (read above), not body text; a date
            // inside a paragraph is kept by `inline_text`.
            Node::Element(element) if element.name() == "time" => {}
            Node::Element(element) if BLOCK_TAGS.contains(&element.name()) || is_leaf_quote(node, element) => {
                flush(&mut loose, &mut blocks);
                let text = collapse(&inline_text(node));
                if !text.is_empty() {
                    blocks.push(text);
                }
            }
            Node::Element(_) => {
                // A block-level container: text directly inside it (outside any <p>) still counts.
                flush(&mut loose, &mut blocks);
                let children: Vec<NodeRef<'_, Node>> = node.children().collect();
                stack.extend(children.into_iter().rev());
            }
            Node::Text(text) => loose.push_str(text),
            _ => {}
        }
    }
    flush(&mut loose, &mut blocks);
    blocks
}

/// A blockquote without paragraphs inside is one block of its own.
fn is_leaf_quote(node: NodeRef<'_, Node>, element: &scraper::node::Element) -> bool {
    element.name() == "blockquote"
        && !node.descendants().any(|d| matches!(d.value(), Node::Element(e) if BLOCK_TAGS.contains(&e.name())))
}

fn flush(loose: &mut String, blocks: &mut Vec<String>) {
    let text = collapse(loose);
    if !text.is_empty() {
        blocks.push(text);
    }
    loose.clear();
}

/// Text inside a block, skipping furniture nested in it (an ad inside a paragraph); `<br>` is a space.
fn inline_text(block: NodeRef<'_, Node>) -> String {
    let mut out = String::new();
    let mut stack = vec![block];
    while let Some(node) = stack.pop() {
        match node.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(e) if node != block && is_skipped(e) => {}
            Node::Element(e) => {
                if e.name() == "br" {
                    out.push(' ');
                }
                let children: Vec<NodeRef<'_, Node>> = node.children().collect();
                stack.extend(children.into_iter().rev());
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_body_without_furniture() {
        let page = r#"<html><head><title>Site | Trams</title><meta name="author" content="Inès Duval">
            <meta property="article:published_time" content="2026-01-20T08:00:00Z"><script>var x = "evil";</script></head>
            <body><nav>Home News</nav><header>The Gazette</header>
            <article><h1>Trams &amp; the city</h1><p class="byline">By Inès Duval</p>
            <p>The council <em>should</em> act&mdash;now.</p><aside class="ad">Buy shoes</aside>
            <blockquote><p>“We ran out,” she said.</p></blockquote><div class="share-bar">Share this: X</div>
            <ul><li>One</li><li>Two</li></ul></article><footer>© 2026</footer></body></html>"#;
        let a = parse(Path::new("t.html"), page).unwrap();
        assert_eq!(a.title, "Trams & the city");
        assert_eq!(a.meta.author, "Inès Duval");
        assert_eq!(a.meta.date, "2026-01-20");
        assert_eq!(a.text, "The council should act—now.\n\n“We ran out,” she said.\n\nOne\n\nTwo");
    }

    #[test]
    fn deep_nesting_is_read_up_to_the_limit_and_refused_beyond() {
        let page = |n: usize| format!("<body>{}deep text{}</body>", "<div><b>".repeat(n), "</b></div>".repeat(n));
        assert!(parse(Path::new("t.html"), &page(400)).unwrap().text.contains("deep text"));
        let err = parse(Path::new("t.html"), &page(50_000)).unwrap_err().to_string();
        assert_eq!(err, "t.html: HTML nested 100000 elements deep; the limit is 1000");
        // Void and self-closed tags do not count as nesting.
        assert_eq!(nesting_depth("<div><br><img src=x /><span/></div><div>"), 1);
    }

    #[test]
    fn byline_markup_is_read_like_a_text_byline() {
        let page = r#"<body><article><h1>Hours</h1><p class="byline">Ellen Jordan ’26 in Opinions | November 8, 2024</p>
            <p>Open later.</p></article></body>"#;
        let a = parse(Path::new("t.html"), page).unwrap();
        assert_eq!((a.meta.author.as_str(), a.meta.date.as_str()), ("Ellen Jordan ’26", "2024-11-08"));
        let page = r#"<body><article><h1>Ports</h1><div class="author">By José Carlos Palma*</div><p>Body.</p></article></body>"#;
        assert_eq!(parse(Path::new("t.html"), page).unwrap().meta.author, "José Carlos Palma");
    }
}
