//! The month ledger's commands: `post`, `receivables`, `pay`, `finding`, `journal`, `history`,
//! `ledger verify`, and the ledger behind `reconcile --ledger` and `findings --ledger`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use billrecon_ledger::{Decision, Event, EventOutcome, Ledger, PayOutcome, Payment, PostOutcome, Source, Stamp};
use billrecon_model::{usd, Decimal, FreeText, PhoneNumber};
use chrono::NaiveDate;

use crate::cli::{JournalFormat, ReceivablesFormat};
use crate::emit::emit;
use crate::outcome::Outcome;

/// The environment variable naming the ledger when `--ledger` does not.
pub const LEDGER_ENV: &str = "BILLRECON_LEDGER";

/// The ledger to use: `--ledger`, else `$BILLRECON_LEDGER`, else `billrecon.db` beside the
/// month folder (months are sibling folders), else in the current folder.
pub fn path(explicit: Option<&Path>, month_dir: Option<&Path>) -> PathBuf {
    if let Some(p) = explicit {
        return p.to_path_buf();
    }
    if let Some(p) = std::env::var_os(LEDGER_ENV).filter(|v| !v.is_empty()) {
        return PathBuf::from(p);
    }
    match month_dir {
        Some(m) => {
            let folder = if m.is_dir() { m.to_path_buf() } else { m.parent().unwrap_or(Path::new(".")).to_path_buf() };
            let parent = std::fs::canonicalize(&folder).ok().and_then(|f| f.parent().map(Path::to_path_buf));
            parent.unwrap_or_else(|| PathBuf::from("..")).join("billrecon.db")
        }
        None => PathBuf::from("billrecon.db"),
    }
}

/// Opens a ledger that must already exist (every command but `post`).
pub fn open_existing(path: &Path) -> anyhow::Result<Ledger> {
    if !path.is_file() {
        bail!(
            "{}: no ledger there (`billrecon post MONTH_DIR` creates it; --ledger or {LEDGER_ENV} names another)",
            path.display()
        );
    }
    Ledger::open(path).with_context(|| format!("{}", path.display()))
}

/// Who runs this command: the operating system's login (`$USER`, else `$LOGNAME`), as the actor
/// of what it writes; `unknown` when neither is set or it is not plain text.
pub fn stamp() -> Stamp {
    let login = ["USER", "LOGNAME", "USERNAME"].iter().find_map(|v| std::env::var(v).ok().filter(|s| !s.trim().is_empty()));
    let actor = login
        .and_then(|l| FreeText::parse("login", &l).ok())
        .unwrap_or_else(|| FreeText::parse("login", "unknown").expect("plain text"));
    Stamp { actor, source: Source::Cli, at: now() }
}

/// `billrecon post`: reconcile the month and record it.
pub fn post(
    month_dir: &Path,
    ledger: Option<&Path>,
    replace: bool,
    as_of: Option<NaiveDate>,
    quiet: bool,
) -> anyhow::Result<Outcome> {
    let lpath = path(ledger, Some(month_dir));
    let mut db = Ledger::open(&lpath).with_context(|| format!("{}", lpath.display()))?;
    let stamp = stamp();
    // A month opened for review is closed to new web attestations first; those signed count.
    let web = billrecon_pipeline::web_attestations(month_dir, &mut db, &stamp)?;
    let signed = web.len();
    let read = crate::progress::read_month_with(month_dir, quiet, web)?;
    let posted = billrecon_pipeline::post(&read, &mut db, replace, as_of, &stamp)?;
    let run = &posted.run;
    let r = run.reconciliation(posted.as_of);
    let attention = run.attention();
    let mut s = String::new();
    match &posted.outcome {
        PostOutcome::AlreadyPosted { month, invoices } => {
            let _ = writeln!(s, "{month} is already posted in {} ({}): nothing written.", lpath.display(), invoices.join(", "));
        }
        PostOutcome::Posted { new, replaced, unchanged, receivables, findings: recorded, .. } => {
            s.push_str(&billrecon_report::text::month_summary(&r, "Posted", attention.rejected_rows));
            let _ = writeln!(s, "\nLedger {}:", lpath.display());
            for (what, names) in
                [("new", new), ("replaced (the earlier posting reversed)", replaced), ("unchanged, left as posted", unchanged)]
            {
                for n in names {
                    let _ = writeln!(s, "  invoice {n}: {what}");
                }
            }
            let owed: Decimal = run.postings.employees.values().sum();
            let _ = writeln!(s, "  notices to employees: {receivables} ({}); findings recorded: {recorded}", usd(owed));
            if signed > 0 {
                let _ = writeln!(
                    s,
                    "  calls employees attested personal on the web: {signed} (the month is now closed to attestations)"
                );
            }
            let from_history: Vec<String> = billrecon_model::Rule::HISTORY
                .iter()
                .filter_map(|rule| {
                    let n = run.findings.iter().filter(|f| f.rule == *rule).count();
                    (n > 0).then(|| format!("{n} {}", rule.as_str()))
                })
                .collect();
            if !from_history.is_empty() {
                let _ = writeln!(s, "  from earlier months: {}", from_history.join(", "));
            }
        }
    }
    if !quiet {
        emit(&s)?;
    }
    for u in crate::check::placeholder_lines(&read.loaded) {
        eprintln!("{u}");
    }
    Ok(Outcome::Month(attention))
}

/// `billrecon open`: the month recorded for review (not posted): each employee sees their calls
/// on `/me/MONTH` and signs which were personal.
pub fn open(month_dir: &Path, ledger: Option<&Path>, replace: bool, deadline: Option<NaiveDate>) -> anyhow::Result<Outcome> {
    let (loaded, content) = billrecon_pipeline::open_month(month_dir)?;
    let m = &loaded.month;
    let default_deadline = m.period.end + chrono::Duration::days(10);
    let lpath = path(ledger, Some(month_dir));
    let mut db = Ledger::open(&lpath).with_context(|| format!("{}", lpath.display()))?;
    let label = &m.period.label;
    let out = db
        .open_month(label, deadline, default_deadline, &content, replace, &stamp())
        .with_context(|| lpath.display().to_string())?;
    let due = db.review(label)?.map(|r| r.deadline).unwrap_or(default_deadline);
    let mut s = String::new();
    match out {
        billrecon_ledger::OpenOutcome::Opened { calls, employees } => {
            let _ = writeln!(
                s,
                "Opened {label} for review in {}: {calls} calls of {employees} employees, attestations due {due}.",
                lpath.display()
            );
        }
        billrecon_ledger::OpenOutcome::Already { calls } => {
            let _ = writeln!(s, "{label} is open for review already with the same {calls} calls: nothing written.");
        }
        billrecon_ledger::OpenOutcome::Extended { calls, from, to } => {
            let _ = writeln!(
                s,
                "{label} is open for review with the same {calls} calls: attestations now due {to} (were due {from})."
            );
        }
        billrecon_ledger::OpenOutcome::Replaced { calls, added, removed, orphaned } => {
            let _ = writeln!(s, "Opened {label} again: {calls} calls ({added} new, {removed} gone); attestations of calls still there stay signed.");
            for o in &orphaned {
                let _ = writeln!(s, "  a signed call no longer in the month: {o}");
            }
        }
    }
    emit(&s)?;
    Ok(Outcome::Month(billrecon_pipeline::Attention { rejected_rows: loaded.rejected(), ..Default::default() }))
}

/// The history findings `reconcile --ledger` and `findings --ledger` add.
pub fn history_for(ledger: Option<&Path>, month: &billrecon_model::Month) -> anyhow::Result<Option<billrecon_model::History>> {
    let Some(p) = ledger else { return Ok(None) };
    let db = open_existing(p)?;
    Ok(Some(db.history(&month.period.label)?))
}

/// `billrecon receivables`.
pub fn receivables(
    ledger: Option<&Path>,
    as_of: Option<NaiveDate>,
    employee: Option<&str>,
    format: ReceivablesFormat,
) -> anyhow::Result<Outcome> {
    let db = open_existing(&path(ledger, None))?;
    let as_of = as_of.unwrap_or_else(today);
    let rows = db.receivables(as_of, employee)?;
    emit(&match format {
        ReceivablesFormat::Json => billrecon_report::ledger::receivables_json(&rows),
        ReceivablesFormat::Csv => billrecon_report::ledger::receivables_csv(&rows),
        ReceivablesFormat::Table => billrecon_report::ledger::receivables_table(&rows, as_of),
    })?;
    Ok(Outcome::Done)
}

/// `billrecon pay`: one payment, or a CSV of them (`employee_id,date,amount,reference`).
pub fn pay(
    ledger: Option<&Path>,
    employee: Option<&str>,
    amount: Option<&str>,
    date: Option<NaiveDate>,
    reference: Option<&str>,
    file: Option<&Path>,
) -> anyhow::Result<Outcome> {
    let mut payments = Vec::new();
    match (file, employee, amount) {
        (Some(f), None, None) => {
            let text = std::fs::read_to_string(f).with_context(|| format!("{}: cannot read", f.display()))?;
            let mut lines = text.lines().enumerate();
            let header = lines.next().map(|(_, h)| h.trim().to_ascii_lowercase()).unwrap_or_default();
            if header.replace(' ', "") != "employee_id,date,amount,reference" {
                bail!("{}: the header must be employee_id,date,amount,reference", f.display());
            }
            for (n, l) in lines {
                if l.trim().is_empty() {
                    continue;
                }
                let c: Vec<&str> = l.split(',').map(str::trim).collect();
                let at = format!("{}:{}", f.display(), n + 1);
                if c.len() != 4 {
                    bail!("{at}: has {} fields where the header has 4", c.len());
                }
                let date = NaiveDate::parse_from_str(c[1], "%Y-%m-%d")
                    .with_context(|| format!("{at}: date: `{}` is not YYYY-MM-DD", c[1]))?;
                let amount: Decimal =
                    c[2].trim_start_matches('$').parse().with_context(|| format!("{at}: amount: `{}` is not an amount", c[2]))?;
                let employee_id = FreeText::parse(format!("{at}: employee_id"), c[0])?;
                let reference = FreeText::parse(format!("{at}: reference"), c[3])?;
                payments.push(Payment { employee_id, date, amount, reference });
            }
        }
        (None, Some(e), Some(a)) => {
            let Some(date) = date else { bail!("give the payment's --date") };
            let Some(reference) = reference else { bail!("give the payment's --ref (a check or receipt number)") };
            let amount: Decimal = a.trim_start_matches('$').parse().with_context(|| format!("`{a}` is not an amount"))?;
            let employee_id = FreeText::parse("EMPLOYEE", e)?;
            let reference = FreeText::parse("--ref", reference)?;
            payments.push(Payment { employee_id, date, amount, reference });
        }
        _ => bail!("give EMPLOYEE AMOUNT --date DATE --ref REF, or --file payments.csv"),
    }
    let mut db = open_existing(&path(ledger, None))?;
    let out = db.pay(&payments, &stamp())?;
    let mut s = String::new();
    for (o, p) in out.iter().zip(&payments) {
        match o {
            PayOutcome::Recorded { reference, outstanding } => {
                let left = if *outstanding < Decimal::ZERO {
                    format!("{} credit", usd(-*outstanding))
                } else {
                    format!("{} outstanding", usd(*outstanding))
                };
                let _ = writeln!(s, "Recorded {reference}: {} from {} on {}; {left}", usd(p.amount), p.employee_id, p.date);
            }
            PayOutcome::Duplicate { reference } => {
                let _ = writeln!(s, "Payment {reference} was recorded before: nothing written");
            }
        }
    }
    emit(&s)?;
    Ok(Outcome::Done)
}

/// `billrecon finding waive|dispute|resolve`. The free text is checked before the ledger is
/// opened: refused text writes nothing.
pub fn finding(
    ledger: Option<&Path>,
    event: Event,
    id: &str,
    reason: &str,
    by: &str,
    case: Option<&str>,
    date: Option<NaiveDate>,
) -> anyhow::Result<Outcome> {
    let reason = FreeText::parse("--reason", reason)?;
    let by = FreeText::parse("--by", by)?;
    let case = case.map(|c| FreeText::parse("--case", c)).transpose()?;
    let id = FreeText::parse("ID", id)?;
    let id = id.as_str();
    let mut db = open_existing(&path(ledger, None))?;
    let date = date.unwrap_or_else(today);
    let decision = Decision { finding: id, event, reason: &reason, by: &by, case: case.as_ref(), date, expect_version: None };
    let s = match db.event(&decision, &stamp())? {
        EventOutcome::Already { status } => format!("Finding {id} is already {status}: nothing written\n"),
        EventOutcome::Recorded { status, moved_back } if moved_back > Decimal::ZERO => {
            format!(
                "Finding {id} {status} on {date} by {by}: {} moved back to the program from the employee's receivable\n",
                usd(moved_back)
            )
        }
        EventOutcome::Recorded { status, .. } => format!("Finding {id} {status} on {date} by {by}\n"),
    };
    emit(&s)?;
    Ok(Outcome::Done)
}

/// `billrecon journal --since DATE`: the adjusting entries, balanced.
pub fn journal(ledger: Option<&Path>, since: NaiveDate, format: JournalFormat) -> anyhow::Result<Outcome> {
    let db = open_existing(&path(ledger, None))?;
    let rows = db.journal_since(since)?;
    let (dr, cr) = rows.iter().fold((Decimal::ZERO, Decimal::ZERO), |(d, c), r| (d + r.debit, c + r.credit));
    if dr != cr {
        bail!(
            "the adjusting journal since {since} does not balance (debits {}, credits {}): run `billrecon ledger verify`",
            usd(dr),
            usd(cr)
        );
    }
    emit(&match format {
        JournalFormat::Csv => billrecon_report::ledger::journal_csv(&rows),
        JournalFormat::Peoplesoft => billrecon_report::ledger::journal_peoplesoft(&rows, since),
    })?;
    Ok(Outcome::Done)
}

/// `billrecon history LINE`.
pub fn history(ledger: Option<&Path>, line: &str) -> anyhow::Result<Outcome> {
    let db = open_existing(&path(ledger, None))?;
    // A service line or a calling card (whose whole number is never echoed back).
    let l = PhoneNumber::parse_line(line).map_err(|e| anyhow::anyhow!("{e}"))?;
    let rows = db.line_history(&l)?;
    if rows.is_empty() {
        bail!("line {} is in no posted month of {}", l.pretty(), db.path.display());
    }
    emit(&billrecon_report::ledger::line_history(&l, &rows))?;
    Ok(Outcome::Done)
}

/// `billrecon ledger verify`.
pub fn verify(ledger: Option<&Path>) -> anyhow::Result<Outcome> {
    let db = open_existing(&path(ledger, None))?;
    let v = db.verify().map_err(|e| anyhow::anyhow!("{}: {e}", db.path.display()))?;
    emit(&format!(
        "{}: verified: {} invoices' postings equal what they billed, {} journals balance, {} employees' receivables equal notices less payments and waivers\n",
        db.path.display(),
        v.invoices,
        v.journals,
        v.employees
    ))?;
    Ok(Outcome::Done)
}

/// Now, UTC: the one clock the binary reads for the ledger (today's date for events given no
/// date, and the time each write is stamped with).
pub fn now() -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now())
}

/// Today's date (UTC), for ledger events given no date.
fn today() -> chrono::NaiveDate {
    now().date_naive()
}
