//! `billrecon`: reconciles a public agency's monthly telecom carrier bills.
//!
//! `main` parses the command line (`cli`), runs one command, and turns what it did (an
//! [`Outcome`]) into the exit code in one place, [`exit_code`]. Data goes to stdout; errors go to
//! stderr.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use cli::{Cli, Command, FindingAction, GenerateOrder, GenerateStyle, LedgerAction, ProfileAction, UserAction};
use outcome::{exit_code, Outcome};

mod check;
mod cli;
mod emit;
mod findings;
mod init;
mod ledger;
mod notify;
mod outcome;
mod profile;
mod progress;
mod reconcile;
mod serve;

/// mimalloc: the month allocates millions of short strings and vectors from several threads;
/// the system allocator spent a sixth of a statewide run in malloc and free.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    // Set once, before any thread starts: a malformed workbook's panic inside the XLSX reader
    // is contained and reported as a rejection of that file, not printed as a crash.
    billrecon_parser::quiet_contained_panics();
    let result = run(Cli::parse().command);
    if let Err(e) = &result {
        let _ = writeln!(std::io::stderr(), "error: {e:#}");
    }
    ExitCode::from(exit_code(&result))
}

fn run(command: Command) -> anyhow::Result<Outcome> {
    match command {
        Command::Init { dir, force } => init::run(&dir, force),
        Command::Check { month_dir, format } => check::run(&month_dir, format),
        Command::Findings { month_dir, format, ledger } => findings::run(&month_dir, format, ledger.as_deref()),
        Command::Reconcile { month_dir, out, as_of, quiet, timings, ledger } => {
            reconcile::run(&month_dir, &out, as_of, quiet, timings, ledger.as_deref())
        }
        Command::Post { month_dir, ledger, replace, as_of, quiet } => {
            ledger::post(&month_dir, ledger.as_deref(), replace, as_of, quiet)
        }
        Command::Open { month_dir, ledger, replace, deadline } => ledger::open(&month_dir, ledger.as_deref(), replace, deadline),
        Command::Receivables { ledger, as_of, employee, format } => {
            ledger::receivables(ledger.as_deref(), as_of, employee.as_deref(), format)
        }
        Command::Pay { employee, amount, date, reference, file, ledger } => {
            ledger::pay(ledger.as_deref(), employee.as_deref(), amount.as_deref(), date, reference.as_deref(), file.as_deref())
        }
        Command::Finding { action, id, reason, by, case, date, ledger } => {
            let event = match action {
                FindingAction::Waive => billrecon_ledger::Event::Waive,
                FindingAction::Dispute => billrecon_ledger::Event::Dispute,
                FindingAction::Resolve => billrecon_ledger::Event::Resolve,
            };
            ledger::finding(ledger.as_deref(), event, &id, &reason, &by, case.as_deref(), date)
        }
        Command::Journal { since, format, ledger } => ledger::journal(ledger.as_deref(), since, format),
        Command::History { line, ledger } => ledger::history(ledger.as_deref(), &line),
        Command::Ledger { action: LedgerAction::Verify { ledger } } => ledger::verify(ledger.as_deref()),
        Command::Generate { lines, usage_rows, seed, style, order, period, out_dir } => {
            generate(lines, usage_rows, seed, style, order, period, &out_dir)
        }
        Command::Notify { month, smtp, starttls, from, outbox, public_origin, enrol, statements, ledger } => notify::run(
            &month,
            smtp.as_deref(),
            starttls,
            &from,
            outbox,
            public_origin.as_deref(),
            enrol,
            statements,
            ledger.as_deref(),
        ),
        Command::Serve { ledger, host, port, public_origin } => serve::serve(ledger.as_deref(), host, port, public_origin),
        Command::User { action } => match action {
            UserAction::Add { login, role, accounts, employee, email, password_stdin: _, ledger } => {
                serve::user_add(ledger.as_deref(), &login, role, &accounts, employee.as_deref(), email.as_deref())
            }
            UserAction::List { ledger } => serve::user_list(ledger.as_deref()),
            UserAction::Disable { login, ledger } => serve::user_disable(ledger.as_deref(), &login),
            UserAction::Passwd { login, password_stdin: _, ledger } => serve::user_passwd(ledger.as_deref(), &login),
        },
        Command::Profile { action: ProfileAction::List } => profile::list(),
        Command::Profile { action: ProfileAction::Show { name } } => profile::show(&name),
        Command::Profile { action: ProfileAction::Test { profile, file, table, rows } } => {
            profile::test(&profile, &file, table.as_deref(), rows)
        }
    }
}

fn generate(
    lines: u32,
    usage_rows: u64,
    seed: u64,
    style: GenerateStyle,
    order: GenerateOrder,
    period: billrecon_synth::BillMonth,
    out: &std::path::Path,
) -> anyhow::Result<Outcome> {
    use anyhow::Context;
    let style = match style {
        GenerateStyle::Plain => billrecon_synth::Style::Plain,
        GenerateStyle::Carrier => billrecon_synth::Style::Carrier,
    };
    let order = match order {
        GenerateOrder::Line => billrecon_synth::Order::Line,
        GenerateOrder::Date => billrecon_synth::Order::Date,
    };
    let g = billrecon_synth::generate(billrecon_synth::Options { lines, usage_rows, seed, style, period, order }, out)
        .with_context(|| format!("cannot write the month into {}", out.display()))?;
    let mut text = format!("wrote {}: {lines} lines, {} usage rows, {} invoices\n", out.display(), g.usage_rows, g.invoices);
    for (f, size) in &g.files {
        text.push_str(&format!("  {f:<28} {size:>14} bytes\n"));
    }
    text.push_str("planted:\n");
    for (rule, n) in &g.planted {
        text.push_str(&format!("  {rule:<28} {n:>14}\n"));
    }
    eprint!("{text}");
    Ok(Outcome::Done)
}
