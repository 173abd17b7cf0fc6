//! The command line as the user types it: clap's commands, flags and help prose. `main` turns
//! it into what each command needs.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

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
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Write a month's billrecon.toml from the files in its folder (a carrier download, a fleet list).
    #[command(
        long_about = "Looks at every file in DIR (CSV, TXT, XLSX, and the files inside zips), recognizes each by its header as a built-in carrier profile's table (Verizon's Raw Data Download, AT&T Premier), the agency's fleet list, or a canonical table, and writes DIR/billrecon.toml: the period (the invoice's bill period), one [[invoice]] per carrier invoice, the usage reports, the inventory (or fleet list), and the policy accounts as placeholders marked SET-ME that `check` flags until they are set. It prints what it recognized, where it placed it, and for a file it did not recognize the closest table and the columns missing. It never overwrites a manifest without --force.\n\n\
Exit codes: 0 = every file was placed, 1 = some files were not (listed), 2 = no manifest could be written (the message says why)."
    )]
    Init {
        /// The month folder: the carrier's download (zip or files) and the agency's fleet list.
        dir: PathBuf,
        /// Replace an existing billrecon.toml.
        #[arg(long)]
        force: bool,
    },
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
    /// Reconcile a month: post every invoice dollar and write the statements, notices and journal.
    #[command(long_about = "Reconciles a month end to end: reads every input, applies the policy rules, \
posts every charge item to the program account codes that own the lines (prorated by days), the \
employee receivable account (personal-use charges employees repay) or suspense (unassigned lines), and \
writes into --out:\n\n\
  summary.json          totals, accounts, invoices, findings and inputs\n\
  findings.csv          every finding with its source rows\n\
  postings.csv          every posting with the invoice rows it came from\n\
  journal.csv           the balanced journal for a GL import (journal-peoplesoft.txt too when\n\
                        [policy] journal_format = \"peoplesoft\")\n\
  statements/ACCT.html  one chargeback statement per program account (and .csv)\n\
  notices/EMP.html      one reimbursement notice per employee who owes money (and .txt)\n\
  reconciliation.xlsx   Summary, Findings, Postings, Journal and Rejected sheets\n\n\
The same inputs always give byte-identical files. docs/outputs.md shows each output.\n\n\
Exit codes: 0 = reconciled, nothing needs action; 1 = reconciled, with findings that need action \
(or rejected input rows); 2 = the month could not be reconciled (the message says why).")]
    Reconcile {
        /// The month folder holding billrecon.toml (or the path of a manifest file).
        month_dir: PathBuf,
        /// Folder to write the outputs into (created if missing; must be empty or a previous output).
        #[arg(long)]
        out: PathBuf,
        /// The run's date (YYYY-MM-DD): notices are due notice_due_days after it. Default: the period's end.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
        /// Print each stage's wall time on stderr (read + fold, rules, chargeback, outputs).
        #[arg(long)]
        timings: bool,
        /// A ledger holding earlier months: add the history findings (nothing is written to it).
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// Reconcile a month and record it in the ledger (invoices, postings, journal, findings, notices).
    #[command(
        long_about = "Reconciles the month as `reconcile` does (without writing its files) and records it in the ledger: invoices, postings, the journal, findings, assignments, each line's month, and each employee liability as a notice due notice_due_days after --as-of. With earlier months in the ledger the history findings are added (zero_usage_streak, cost_spike, repeat_finding, credit_not_received).\n\n\
An invoice is known by carrier, account number and invoice number. Posted before with the same content: nothing is written (\"already posted\"). With other content: refused, naming what differs, unless --replace, which reverses the earlier posting and posts this one (both stay in the ledger).\n\n\
The ledger is --ledger, else $BILLRECON_LEDGER, else billrecon.db beside the month folder.\n\n\
Exit codes: as reconcile (0, or 1 with findings that need action); 2 = not posted (the message says why)."
    )]
    Post {
        month_dir: PathBuf,
        #[arg(long)]
        ledger: Option<PathBuf>,
        /// Reverse an earlier posting of a changed invoice and post this one.
        #[arg(long)]
        replace: bool,
        /// The run's date: notices are due notice_due_days after it. Default: the period's end.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long, short)]
        quiet: bool,
    },
    /// Open a month for review before posting: employees see their calls on the web and attest.
    #[command(long_about = "Reads the month and records it in the ledger for review, without posting: \
its calls on assigned lines become visible to the employees holding them (a line held part of the \
period: only the days they held it), on /me/MONTH in `billrecon serve`, where each marks which were \
personal and signs. Opening again with the same files changes nothing; with changed files it is \
refused, naming what changed, unless --replace (signed calls still there stay signed). \
`billrecon post` then takes the signed attestations and closes the month to new ones.")]
    Open {
        month_dir: PathBuf,
        #[arg(long)]
        ledger: Option<PathBuf>,
        /// Open again with changed files.
        #[arg(long)]
        replace: bool,
        /// When attestations are due (shown to employees). Default: ten days after the period.
        #[arg(long, value_parser = parse_date)]
        deadline: Option<chrono::NaiveDate>,
    },
    /// What each employee owes: notices, payments, waivers, aging.
    Receivables {
        #[arg(long)]
        ledger: Option<PathBuf>,
        /// Age on this date (default: today).
        #[arg(long, value_parser = parse_date)]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long)]
        employee: Option<String>,
        #[arg(long, value_enum, default_value_t = ReceivablesFormat::Table)]
        format: ReceivablesFormat,
    },
    /// Record an employee's payment (applied to the oldest open notice first), or a CSV of them.
    Pay {
        /// The employee id.
        employee: Option<String>,
        /// The amount paid.
        amount: Option<String>,
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        /// The check or receipt number: recording it twice is a no-op.
        #[arg(long = "ref")]
        reference: Option<String>,
        /// A CSV of payments: employee_id,date,amount,reference.
        #[arg(long, conflicts_with_all = ["employee", "amount", "date", "reference"])]
        file: Option<PathBuf>,
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// Waive, dispute or resolve a finding (a waiver moves its liability back to the program).
    Finding {
        #[arg(value_enum)]
        action: FindingAction,
        /// The finding's id (`DA-8bd95ef0`).
        id: String,
        #[arg(long)]
        reason: String,
        /// Who decided.
        #[arg(long)]
        by: String,
        /// The carrier's case reference (a dispute).
        #[arg(long = "case")]
        case: Option<String>,
        /// The date of the decision (default: today).
        #[arg(long, value_parser = parse_date)]
        date: Option<chrono::NaiveDate>,
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// The adjusting entries since a date (waivers, payments, replacements), as a balanced journal.
    Journal {
        #[arg(long, value_parser = parse_date)]
        since: chrono::NaiveDate,
        #[arg(long, value_enum, default_value_t = JournalFormat::Csv)]
        format: JournalFormat,
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// A line month by month: charges, use, holder, account code, findings.
    History {
        line: String,
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// The ledger itself.
    Ledger {
        #[command(subcommand)]
        action: LedgerAction,
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
        /// A ledger: add the history findings, and show each finding's status and history.
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// Write a synthetic month of any size (canonical format, planted cases of every rule).
    #[command(long_about = "Writes a complete, valid month into OUT_DIR in the canonical format: \
manifest, several invoices with account-level charges, effective-dated inventory with mid-month \
reassignments, employees, plans, attestations and the usage report, with planted cases of every \
rule at realistic rates (about 1 in 1,000 usage rows a chargeable directory-assistance call). The \
same seed gives the same bytes; the usage report is streamed, so 20 million rows need no memory.\n\n\
The statewide benchmark month: --lines 50000 --usage-rows 20000000 (about 1 GB of usage CSV).")]
    Generate {
        /// Lines (phones) on the account.
        #[arg(long)]
        lines: u32,
        /// Usage rows (call detail) in the month.
        #[arg(long)]
        usage_rows: u64,
        /// Seed: the same seed writes the same bytes.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// How the CSV files are spelled: `plain` (no quotes, ten-digit numbers, LF) or `carrier`
        /// (every text field quoted, `$` amounts, `(860) 555-0101` numbers, CRLF), the same month.
        #[arg(long, value_enum, default_value_t = GenerateStyle::Plain)]
        style: GenerateStyle,
        /// The usage report's row order: `line` (a line's calls together, as carriers list them)
        /// or `date` (every line interleaved in time order, as a database exports them).
        #[arg(long, value_enum, default_value_t = GenerateOrder::Line)]
        order: GenerateOrder,
        /// The month the bill is for (YYYY-MM): dates, the period and the invoice numbers follow
        /// it, so a year of months can be generated and posted one after another.
        #[arg(long, default_value = "2026-10", value_parser = parse_month)]
        period: billrecon_synth::BillMonth,
        /// Folder to write the month into (created if missing).
        out_dir: PathBuf,
    },
    /// Serve the ledger for review in a browser: finance, programs and employees, each their own.
    #[command(long_about = "Starts the review web app over the ledger (it needs nothing else: \
statements and notices are the documents `post` stored). Its first line on stdout is the address, \
e.g. http://127.0.0.1:8017/. Users are added with `billrecon user add`; each sees only what their \
role and scope allow (docs/web.md). It binds 127.0.0.1 unless --host says otherwise; serving on \
another address prints a warning unless --public-origin https://... says a TLS proxy is in front. \
Stop it with Ctrl-C.")]
    Serve {
        #[arg(long)]
        ledger: Option<PathBuf>,
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        host: std::net::IpAddr,
        /// The port (0 picks a free one).
        #[arg(long, default_value_t = billrecon_web::DEFAULT_PORT)]
        port: u16,
        /// The https:// origin of a TLS proxy in front (cookies are then Secure).
        #[arg(long)]
        public_origin: Option<String>,
    },
    /// Email each employee their notice of a posted month (SMTP, or .eml files with --outbox).
    #[command(long_about = "Sends one message per employee with a notice in the posted MONTH, to the \
email of the month's employees table: a plain-text part and an HTML part (the notice as posted), \
the amount and the due date in the subject, and a link to /me/MONTH when --public-origin is set. \
Every message is recorded in the ledger: a second run sends nothing new, and a run after failures \
sends only those. An employee with no email, or an address holding a line break or other control \
character, is listed and not sent to (exit 1). For a real relay use --starttls (or smtps://) and \
put the login in BILLRECON_SMTP_USERNAME and BILLRECON_SMTP_PASSWORD, never on the command line.")]
    Notify {
        /// The month (YYYY-MM).
        month: String,
        /// smtp://HOST:PORT (or smtps://HOST:PORT).
        #[arg(long, required_unless_present = "outbox")]
        smtp: Option<String>,
        /// Require STARTTLS on an smtp:// relay.
        #[arg(long)]
        starttls: bool,
        /// The sender's address.
        #[arg(long)]
        from: String,
        /// Write each message as a .eml file here instead of sending.
        #[arg(long)]
        outbox: Option<PathBuf>,
        /// The web app's https:// address: each message links to /me/MONTH.
        #[arg(long)]
        public_origin: Option<String>,
        /// Give each employee without a web login a one-time link (7 days) to set their password;
        /// needs --public-origin.
        #[arg(long, requires = "public_origin")]
        enrol: bool,
        /// Send program users (with an --email) their accounts' statements instead of notices.
        #[arg(long, conflicts_with = "enrol")]
        statements: bool,
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// The web app's users: add, list, disable, set a password.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Carrier profiles: list the built-in ones, print one to adapt, or try one on a file.
    #[command(long_about = "A carrier profile maps a carrier's own export (Verizon's Raw Data \
Download, AT&T Premier, ...) onto billrecon's canonical tables. A month's billrecon.toml names the \
profile of an invoice or input; docs/profiles.md documents every key.")]
    Profile {
        #[command(subcommand)]
        action: ProfileAction,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingAction {
    Waive,
    Dispute,
    Resolve,
}

#[derive(Subcommand)]
pub enum LedgerAction {
    /// Recompute every balance from the entries; exit 2 with the first discrepancy.
    Verify {
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
pub enum UserAction {
    /// Add a user; the password is read from standard input (one line).
    Add {
        login: String,
        #[arg(long, value_enum)]
        role: UserRole,
        /// A program's account code (repeat for several).
        #[arg(long = "account")]
        accounts: Vec<String>,
        /// An employee's id.
        #[arg(long)]
        employee: Option<String>,
        /// Where `notify --statements` sends a program user's statements.
        #[arg(long)]
        email: Option<String>,
        /// Read the password from standard input (the only way: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// List the users: login, role, scope, status.
    List {
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// Disable a user (their sessions end at their next request).
    Disable {
        login: String,
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
    /// Set a user's password (read from standard input) and enable them again.
    Passwd {
        login: String,
        #[arg(long, required = true)]
        password_stdin: bool,
        #[arg(long)]
        ledger: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UserRole {
    /// Everything.
    Supervisor,
    /// Review, dispute and resolve findings, record payments; cannot waive.
    Clerk,
    /// The statements and findings of its account codes (--account); may dispute on its lines.
    Program,
    /// Their own notices (--employee).
    Employee,
}

#[derive(Subcommand)]
pub enum ProfileAction {
    /// List the built-in profiles.
    List,
    /// Print a built-in profile (or a profile file) as TOML, to copy and adapt.
    Show {
        /// A built-in name (verizon-rdd, att-premier) or a profile file.
        name: String,
    },
    /// Read a file through a profile and show its first rows as the canonical table they become.
    #[command(long_about = "Reads FILE through PROFILE and prints its first rows as the canonical \
table they become, then every rejected row. Without --table, the first table of the profile whose \
columns the file has is used.\n\n\
Exit codes: 0 = every row was accepted, 1 = some rows were rejected, 2 = the file could not be read \
with the profile.")]
    Test {
        /// A built-in name or a profile file.
        profile: String,
        /// The file to read (FILE#SHEET for a workbook sheet).
        file: String,
        /// Which table of the profile to read the file as.
        #[arg(long, value_parser = ["summary", "charges", "usage", "inventory", "employees", "plans", "attestations"])]
        table: Option<String>,
        /// How many canonical rows to show.
        #[arg(long, default_value_t = 10)]
        rows: usize,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateStyle {
    /// No quote anywhere, ten-digit phone numbers, plain amounts, LF line ends.
    Plain,
    /// As carriers and databases export: text quoted, `$1.99`, `(860) 555-0101`, CRLF.
    Carrier,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GenerateOrder {
    /// Grouped by line.
    Line,
    /// In date and time order, lines interleaved.
    Date,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FindingsFormat {
    /// Aligned columns for people.
    Table,
    /// The findings.csv layout, for a spreadsheet.
    Csv,
    /// One JSON array.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// Aligned columns for people.
    Text,
    /// One JSON document for programs.
    Json,
}

/// Output formats of `receivables`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReceivablesFormat {
    Table,
    Csv,
    Json,
}

/// Output formats of `journal`.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum JournalFormat {
    Csv,
    Peoplesoft,
}

fn parse_month(s: &str) -> Result<billrecon_synth::BillMonth, String> {
    billrecon_synth::BillMonth::parse(s).ok_or_else(|| format!("`{s}` is not a month in the form YYYY-MM (2000-01 to 2099-12)"))
}

fn parse_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date in the form YYYY-MM-DD"))
}
