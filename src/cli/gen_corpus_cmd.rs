//! `factmark gen-corpus`: a deterministic synthetic corpus for benchmarks and scale tests.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::Args;

use crate::model::validate;
use crate::store;
use crate::synth::{self, CorpusSpec};

/// Arguments of `factmark gen-corpus …`.
#[derive(Debug, Args)]
pub struct GenCorpusArgs {
    /// A folder (the project is written as project.ron inside it) or a project file ending in .ron.
    #[arg(long)]
    pub out: PathBuf,
    /// Number of articles.
    #[arg(long, default_value_t = 1000)]
    pub docs: usize,
    /// Approximate words per article.
    #[arg(long, default_value_t = 870)]
    pub words_per_doc: usize,
    /// Spans per article.
    #[arg(long, default_value_t = 50)]
    pub spans_per_doc: usize,
    /// attributed_to relations per article (default: a tenth of the spans).
    #[arg(long)]
    pub relations_per_doc: Option<usize>,
    /// Seed: the same arguments and seed always give the same bytes.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Also write every article as a .txt file (title, byline, date, text) in an `articles` folder.
    #[arg(long)]
    pub txt: bool,
    /// Replace an existing project file.
    #[arg(long)]
    pub force: bool,
    /// `file`: one project file; `folder`: a project folder (`--out` then names the folder, e.g.
    /// `big.factmark`), one file per document text and per document's annotations.
    #[arg(long, value_enum, default_value_t = Layout::File)]
    pub layout: Layout,
}

/// How a project is laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Layout {
    /// One `.ron` file.
    File,
    /// A `.factmark` folder.
    Folder,
}

/// Runs `factmark gen-corpus …`.
pub fn gen_corpus(args: &GenCorpusArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let (folder, project_path) = match args.layout {
        Layout::File => locations(&args.out),
        Layout::Folder => (args.out.clone(), args.out.clone()),
    };
    if args.layout == Layout::Folder && !store::folder::is_folder(&args.out) {
        bail!("{}: a project folder's name ends in .factmark", args.out.display());
    }
    if project_path.exists() && !args.force {
        bail!("{}: already exists; add --force to replace it", project_path.display());
    }
    fs::create_dir_all(&folder).with_context(|| folder.display().to_string())?;
    let spec = CorpusSpec {
        docs: args.docs,
        words_per_doc: args.words_per_doc,
        spans_per_doc: args.spans_per_doc,
        relations_per_doc: args.relations_per_doc.unwrap_or(args.spans_per_doc / 10),
        seed: args.seed,
    };
    let project = synth::corpus(&spec);
    // The generator is meant to always produce a valid project; checking here turns a generator bug into a
    // clear message instead of a file that refuses to open.
    if let Some(problem) = validate::problems(&project).first() {
        bail!("generated corpus is invalid (a bug in gen-corpus): {problem}");
    }
    match args.layout {
        Layout::File => store::save(&project, &project_path)?,
        Layout::Folder => {
            store::folder::save(&project, &project_path)?;
        }
    }
    let chars: usize = project.documents.iter().map(|d| d.text.len()).sum();
    let relations: usize = project.documents.iter().map(|d| d.relations.len()).sum();
    writeln!(
        out,
        "wrote {} documents, {} spans, {} relations ({:.1} MB of text) to {}",
        project.documents.len(),
        project.span_count(),
        relations,
        chars as f64 / 1e6,
        project_path.display()
    )?;
    if args.txt {
        let articles = folder.join("articles");
        fs::create_dir_all(&articles).with_context(|| articles.display().to_string())?;
        for doc in &project.documents {
            let path = articles.join(format!("{}.txt", doc.id));
            fs::write(&path, synth::article_txt(doc)).with_context(|| path.display().to_string())?;
        }
        writeln!(out, "wrote {} articles to {}", project.documents.len(), articles.display())?;
    }
    Ok(())
}

/// The folder to write into and the project file's path.
fn locations(out: &Path) -> (PathBuf, PathBuf) {
    if out.extension().is_some_and(|e| e == "ron") {
        let folder = match out.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        (folder, out.to_path_buf())
    } else {
        (out.to_path_buf(), out.join("project.ron"))
    }
}
