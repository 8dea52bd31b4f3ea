//! The `factmark` binary: the desktop app with no arguments, headless commands otherwise.

fn main() -> std::process::ExitCode {
    factmark::cli::main()
}
