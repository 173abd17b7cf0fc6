//! `billrecon`: reconciles a public agency's monthly telecom carrier bills.
//!
//! Exit codes: 0 = done, nothing needs attention; 1 = done, with rows rejected (or, for later
//! commands, findings that need action); 2 = the month could not be read.
//! Data goes to stdout; errors go to stderr.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

mod check;
mod findings;

#[derive(Parser)]
#[command(
    name = "billrecon",
    version,
    about = "Reconciles a month of telecom carrier bills, penny-exact.",
    long_about = "Reconciles a public agency's monthly telecom carrier bills: checks that each invoice \
ties out, finds the charges employees must repay, and posts every invoice dollar to a program \
account code, the employee receivable account or suspense.\n\n\
A month is a folder with a billrecon.toml manifest naming the invoices, usage reports, line \
inventory, employees, plans and attestations (see docs/formats.md).\n\n\
Exit codes: 0 = nothing needs attention, 1 = rows were rejected (or findings need action), \
2 = the month could not be read."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read every input of a month and report what was accepted and what was rejected.
    #[command(long_about = "Reads the month's manifest and every input it names (invoices, usage \
reports, inventory, employees, plans, attestations) and prints, for each input, how many rows were \
read, accepted, rejected and blank, then every rejected row as FILE[:SHEET]:ROW: COLUMN: reason.\n\n\
Run it first when a new month's files arrive: fix or explain every rejected row before reconciling.\n\n\
Exit codes: 0 = every row was accepted, 1 = some rows were rejected, 2 = the month could not be \
read (missing file, unknown sheet, missing columns, a manifest error...).")]
    Check {
        /// The month folder holding billrecon.toml (or the path of a manifest file).
        month_dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
        format: OutputFormat,
    },
    /// Apply the policy rules to a month and list what they find.
    #[command(long_about = "Reads the month and applies the policy rules: chargeable directory \
assistance (OPM), personal-use overages and personal calls with their own charge (CREC), unassigned, \
inactive and unbilled lines, lines of employees who have left, invoices that do not tie out, \
duplicate and third-party charges, attestations that match no call, and missing authorizations.\n\n\
Each finding has a severity: charge (the employee owes it), action (finance must act), review, or \
info; the rows it rests on (FILE[:SHEET]:ROW); and one sentence saying why. docs/rules.md explains \
every rule.\n\n\
Exit codes: 0 = nothing needs action, 1 = findings of severity action (or rejected input rows), \
2 = the month could not be read.")]
    Findings {
        /// The month folder holding billrecon.toml (or the path of a manifest file).
        month_dir: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FindingsFormat::Table)]
        format: FindingsFormat,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FindingsFormat {
    /// Aligned columns for people.
    Table,
    /// The findings.csv layout, for a spreadsheet.
    Csv,
    /// One JSON array.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// Aligned columns for people.
    Text,
    /// One JSON document for programs.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check { month_dir, format } => check::run(&month_dir, format),
        Command::Findings { month_dir, format } => findings::run(&month_dir, format),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Writes to stdout, ignoring a closed pipe (`billrecon check ... | head`).
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
