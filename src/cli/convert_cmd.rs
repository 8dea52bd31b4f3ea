//! `factmark convert <from> <to>`: a project file into a project folder or back (the target's name decides:
//! a name ending in `.factmark` is a folder, any other a single file). Nothing is lost either way.

use std::io::Write;
use std::path::PathBuf;

use anyhow::bail;
use clap::Args;

use crate::store;

/// Arguments of `factmark convert …`.
#[derive(Debug, Args)]
pub struct ConvertArgs {
    /// The project to read: a `.ron` file or a `.factmark` folder.
    pub from: PathBuf,
    /// Where to write it: a name ending in `.factmark` gets a folder, any other a single file. Must not
    /// exist yet.
    pub to: PathBuf,
}

/// Runs `factmark convert …`.
pub fn run(args: &ConvertArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    if args.to.exists() {
        bail!("{}: already exists; convert writes a new project and never replaces one", args.to.display());
    }
    let project = store::load(&args.from)?;
    store::save(&project, &args.to)?;
    // Read back and compared, so a conversion that lost anything says so rather than leaving a bad copy.
    if store::load(&args.to)? != project {
        bail!(
            "{}: the converted project differs from {} (a bug; the original is untouched)",
            args.to.display(),
            args.from.display()
        );
    }
    let kind = if store::folder::is_folder(&args.to) { "project folder" } else { "project file" };
    writeln!(
        out,
        "wrote {kind} {} ({} documents, {} spans)",
        args.to.display(),
        project.documents.len(),
        project.span_count()
    )?;
    Ok(())
}
