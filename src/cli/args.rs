//! The command line's grammar. Names and flags here are a public interface: scripts rely on them.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// factmark: label claims, opinions and sources in articles. With no command, opens the desktop app.
#[derive(Debug, Parser)]
#[command(name = "factmark", version, about, args_conflicts_with_subcommands = true)]
pub struct Cli {
    /// Project file to open in the desktop app (default: the bundled sample project).
    pub project: Option<PathBuf>,
    /// A command to run without a window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Headless commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty project with the default Claim / Opinion / Source schema.
    New {
        /// Where to write the project (the folder must exist; an existing file is never overwritten).
        project: PathBuf,
        /// Project name (default: the file name).
        #[arg(long)]
        name: Option<String>,
        /// The label schema to start with: fact-opinion (Claim, Opinion, Source) or attribution (Source,
        /// Cue, Content, as PARC and PolNeAR annotate attributions).
        #[arg(long, default_value = "fact-opinion")]
        preset: crate::model::SchemaPreset,
    },
    /// Import articles: .txt, .md, .html, .jsonl files, or folders of them.
    Import {
        /// The project to import into.
        project: PathBuf,
        /// Files and folders to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Import the good lines of a JSONL file that has bad ones, listing each bad line (without it, such
        /// a file is refused and nothing is imported).
        #[arg(long)]
        skip_bad_lines: bool,
    },
    /// Add, list or remove spans.
    #[command(subcommand)]
    Span(SpanCommand),
    /// Add, list or remove relations between spans.
    #[command(subcommand)]
    Relation(RelationCommand),
    /// List documents or show one.
    #[command(subcommand)]
    Doc(DocCommand),
    /// Counts of documents, spans and relations by label, status and annotator.
    Stats {
        /// The project.
        project: PathBuf,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Settle a conflict a git merge left in a document field or a project setting, keeping ours or
    /// theirs. `factmark validate` lists every conflict with the command that settles it; spans in
    /// conflict are settled with `factmark span resolve`.
    Resolve(super::resolve_cmd::ResolveArgs),
    /// Check a project file: it parses, spans match their text, labels and ids are valid; lists the
    /// conflicts a merge left.
    Validate {
        /// The project.
        project: PathBuf,
    },
    /// Export a dataset: doccano, doccano-rel, labelstudio, spacy, prodigy, brat, csv, conll, sentences,
    /// checkthat-subjectivity, checkthat-checkworthiness, claimbuster or claims.
    Export(ExportArgs),
    /// Add spans and relations from another tool's files (doccano, doccano-rel, labelstudio, spacy,
    /// prodigy, brat) to the documents with the same text, as one undoable edit.
    ImportAnnotations {
        /// The project to add annotations to.
        project: PathBuf,
        /// Format of the files.
        #[arg(long)]
        format: crate::formats::Format,
        /// A file, or a folder of files (for brat: the folder of .txt and .ann files).
        input: PathBuf,
        /// Units of doccano offsets: utf16 (doccano's own) or chars.
        #[arg(long, default_value = "utf16")]
        doccano_units: crate::formats::DoccanoUnits,
        /// Annotator recorded on imported spans (default: $FACTMARK_ANNOTATOR, else $USER).
        #[arg(long)]
        annotator: Option<String>,
        /// doccano, spacy, prodigy: import the good lines of a file that has lines that are not valid JSON
        /// or not a record of the format, listing each bad line (without it, nothing is imported).
        #[arg(long)]
        skip_bad_lines: bool,
    },
    /// Merge several annotators' copies of a project into one, matching documents by their text.
    Merge(super::merge_cmd::MergeArgs),
    /// Inter-annotator agreement: span F1, Cohen's kappa and Krippendorff's alpha.
    Agree(super::agree_cmd::AgreeArgs),
    /// Suggested spans from the built-in cues, the project's own rules and the recommenders that learn
    /// from its human spans.
    Suggest(super::suggest_cmd::SuggestArgs),
    /// Train the learned recommenders on the project's human spans and save them to a file of their own.
    Learn(super::learn_cmd::LearnArgs),
    /// Which recommenders the project uses: list them, or switch some off (`--off`) or on (`--on`).
    Recommenders(super::recommenders_cmd::RecommendersArgs),
    /// Replay a hand-labelled project document by document and measure the time the suggestions save.
    Simulate(super::simulate_cmd::SimulateArgs),
    /// Turn a project file into a project folder (a name ending in .factmark) or back; nothing is lost.
    Convert(super::convert_cmd::ConvertArgs),
    /// Write a deterministic synthetic corpus for benchmarks.
    GenCorpus(super::gen_corpus_cmd::GenCorpusArgs),
    /// Three-way merge of a project file, for git: `merge-driver %O %A %B %P` (set up by `git-setup`).
    /// Exit 0 merged, 1 merged with conflicts flagged in the project, 2 unreadable input.
    MergeDriver(super::git_cmd::MergeDriverArgs),
    /// Make git merge factmark projects with `merge-driver`: adds `*.ron merge=factmark` to .gitattributes
    /// and sets merge.factmark.* in the repository's config. Idempotent.
    GitSetup {
        /// The repository (default: the current directory).
        repo: Option<PathBuf>,
    },
    /// During a git merge of a project folder: bring back the text of each document one side deleted and
    /// the other changed (git deletes it with the deletion), and flag the document so that
    /// `factmark resolve <folder> document --doc <id> --keep ours|theirs` keeps or deletes it.
    GitRestore {
        /// The project folder.
        project: PathBuf,
    },
}

/// `factmark export …`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The project.
    pub project: PathBuf,
    /// doccano, doccano-rel, labelstudio, spacy, prodigy, brat, csv, conll, sentences,
    /// checkthat-subjectivity, checkthat-checkworthiness, claimbuster or claims; or all (every format at
    /// once, into the --out folder).
    #[arg(long)]
    pub format: crate::formats::FormatChoice,
    /// Output file; a folder for brat and csv. labelstudio also writes <name>_config.xml beside it;
    /// sentences writes CSV when the name ends in .csv, else JSONL. With --format all, a folder that gets
    /// doccano.jsonl, doccano-rel.jsonl, labelstudio.json, spacy.jsonl, prodigy.jsonl, brat/, csv/,
    /// dataset.conll, sentences.jsonl, checkthat_subjectivity.tsv, checkthat_checkworthiness.tsv,
    /// claimbuster.csv and claims.json.
    #[arg(long)]
    pub out: PathBuf,
    /// Only these labels, comma-separated (case does not matter).
    #[arg(long, value_delimiter = ',')]
    pub labels: Option<Vec<String>>,
    /// Only documents with these statuses, comma-separated (todo, in-progress, needs-review, done).
    #[arg(long, value_delimiter = ',')]
    pub status: Option<Vec<crate::model::DocStatus>>,
    /// Only spans made by this annotator.
    #[arg(long)]
    pub annotator: Option<String>,
    /// Only spans a reviewer accepted.
    #[arg(long)]
    pub accepted_only: bool,
    /// Units of doccano offsets: utf16 (what doccano's UI counts; the default) or chars.
    #[arg(long, default_value = "utf16")]
    pub doccano_units: crate::formats::DoccanoUnits,
    /// CoNLL: one tag column where the longest span wins (reports how many spans it drops), instead of
    /// one column per label.
    #[arg(long)]
    pub flat: bool,
    /// checkthat-subjectivity: labels whose spans make a sentence SUBJ, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "Opinion")]
    pub subjective_labels: Vec<String>,
    /// checkthat-checkworthiness, claimbuster, claims: the label of claim spans.
    #[arg(long, default_value = "Claim")]
    pub claim_label: String,
    /// checkthat-checkworthiness, claimbuster: the yes/no attribute marking a claim check-worthy (when no
    /// claim has it, every claim counts).
    #[arg(long, default_value = "check_worthy")]
    pub check_worthy_attribute: String,
}

/// Where a document is named on the command line.
#[derive(Debug, Args)]
pub struct DocArg {
    /// Document id, or its title (or a unique part of the title).
    #[arg(long)]
    pub doc: String,
}

/// `factmark span …`
#[derive(Debug, Subcommand)]
pub enum SpanCommand {
    /// Add a span, located by --find text or by --start/--end char offsets.
    Add {
        /// The project.
        project: PathBuf,
        /// Which document (by id or title).
        #[command(flatten)]
        doc: DocArg,
        /// Label name (case does not matter).
        #[arg(long)]
        label: String,
        /// Text to find in the document; the span covers it exactly.
        #[arg(long, conflicts_with_all = ["start", "end"], required_unless_present = "start")]
        find: Option<String>,
        /// Which occurrence of --find to use, from 1.
        #[arg(long, default_value_t = 1, requires = "find")]
        nth: usize,
        /// First char of the span (Unicode scalar values, from 0).
        #[arg(long, requires = "end")]
        start: Option<usize>,
        /// First char after the span (exclusive).
        #[arg(long, requires = "start")]
        end: Option<usize>,
        /// A note on the span.
        #[arg(long, default_value = "")]
        note: String,
        /// Who made the span (default: $FACTMARK_ANNOTATOR, else $USER).
        #[arg(long)]
        annotator: Option<String>,
        /// Print the new span as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List spans of the project or of one document.
    List {
        /// The project.
        project: PathBuf,
        /// Only this document (id or title).
        #[arg(long)]
        doc: Option<String>,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Change a span: attributes (`--attr verdict=false`, empty value clears), label, note, review state.
    Set {
        /// The project.
        project: PathBuf,
        /// Which document (by id or title).
        #[command(flatten)]
        doc: DocArg,
        /// The span's id.
        #[arg(long)]
        span: u64,
        /// NAME=VALUE; repeat for several. Yes/no takes yes/no/true/false; an empty VALUE clears.
        #[arg(long = "attr")]
        attrs: Vec<String>,
        /// New label.
        #[arg(long)]
        label: Option<String>,
        /// New note (empty clears).
        #[arg(long)]
        note: Option<String>,
        /// unreviewed, accepted or rejected.
        #[arg(long)]
        review: Option<String>,
        /// Reviewer recorded with --review (default: $FACTMARK_ANNOTATOR, else $USER).
        #[arg(long)]
        reviewer: Option<String>,
    },
    /// Remove a span and the relations that involve it.
    Remove {
        /// The project.
        project: PathBuf,
        /// Which document (by id or title).
        #[command(flatten)]
        doc: DocArg,
        /// The span's id.
        #[arg(long)]
        span: u64,
    },
    /// Settle a merge conflict: keep this alternative, remove the others of its group, clear its flag.
    Resolve {
        /// Project file.
        project: PathBuf,
        /// The alternative to keep (see `factmark validate`).
        span: u64,
    },
}

/// `factmark relation …`
#[derive(Debug, Subcommand)]
pub enum RelationCommand {
    /// Link two spans of one document.
    Add {
        /// The project.
        project: PathBuf,
        /// Which document (by id or title).
        #[command(flatten)]
        doc: DocArg,
        /// Span the relation starts at (for attributed_to: the Source).
        #[arg(long)]
        from: u64,
        /// Span it points to (for attributed_to: the Claim or Opinion).
        #[arg(long)]
        to: u64,
        /// Relation type.
        #[arg(long = "type", default_value = "attributed_to")]
        kind: String,
        /// Print the new relation as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List relations of the project or of one document.
    List {
        /// The project.
        project: PathBuf,
        /// Only this document (id or title).
        #[arg(long)]
        doc: Option<String>,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Remove a relation.
    Remove {
        /// The project.
        project: PathBuf,
        /// Which document (by id or title).
        #[command(flatten)]
        doc: DocArg,
        /// The relation's id.
        #[arg(long)]
        relation: u64,
    },
}

/// `factmark doc …`
#[derive(Debug, Subcommand)]
pub enum DocCommand {
    /// List the project's documents.
    List {
        /// The project.
        project: PathBuf,
        /// Print a JSON array.
        #[arg(long)]
        json: bool,
    },
    /// Show one document's metadata and text.
    Show {
        /// The project.
        project: PathBuf,
        /// Which document (by id or title).
        #[command(flatten)]
        doc: DocArg,
        /// Print JSON (metadata, text, spans, relations).
        #[arg(long)]
        json: bool,
    },
    /// Change a document's status, title or note (one undoable edit).
    Set {
        /// The project.
        project: PathBuf,
        /// Which document (by id or title).
        #[command(flatten)]
        doc: DocArg,
        /// New status: todo, in-progress, needs-review or done.
        #[arg(long)]
        status: Option<crate::model::DocStatus>,
        /// New title.
        #[arg(long)]
        title: Option<String>,
        /// New note.
        #[arg(long)]
        note: Option<String>,
    },
}
