//! The `factmark` binary: the desktop app with no arguments, headless commands otherwise. The two front
//! ends never call each other; this is the one place that chooses between them.

use std::process::ExitCode;

use factmark::cli::{self, Invocation};

fn main() -> ExitCode {
    match cli::parse() {
        Ok(Invocation::Window(project)) => cli::exit_code(factmark::ui::run(project)),
        Ok(Invocation::Command(command)) => cli::exit_code(cli::run(command, &mut std::io::stdout().lock())),
        Err(code) => code,
    }
}
