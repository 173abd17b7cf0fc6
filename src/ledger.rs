//! The month ledger's commands: `post`, `receivables`, `pay`, `finding`, `journal`, `history`,
//! `ledger verify`, and the ledger behind `reconcile --ledger` and `findings --ledger`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};
use billrecon_ledger::{Event, EventOutcome, Ledger, PayOutcome, Payment, PostInput, PostOutcome};
use billrecon_model::{usd, Decimal, PhoneNumber, Severity};
use billrecon_report::{text, Reconciliation};
use chrono::NaiveDate;

use crate::emit;

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

/// `billrecon post`: reconcile the month and record it.
pub fn post(month_dir: &Path, ledger: Option<&Path>, replace: bool, as_of: Option<NaiveDate>, quiet: bool) -> anyhow::Result<u8> {
    let (loaded, facts) = crate::stream::load(month_dir, quiet)?;
    let lpath = path(ledger, Some(month_dir));
    let mut db = Ledger::open(&lpath).with_context(|| format!("{}", lpath.display()))?;
    let history = db.history(&loaded.month.period.label)?;
    let ctx = billrecon_rules::Ctx::with_facts(&loaded.month, facts);
    let (findings, lines, credits) = billrecon_rules::evaluate_with_history(&ctx, Some(&history));
    let posted = billrecon_chargeback::post(&loaded.month, &findings)?;
    let as_of = as_of.unwrap_or(loaded.month.period.end);
    let input =
        PostInput { month: &loaded.month, findings: &findings, posted: &posted, as_of, lines: &lines, account_credits: &credits };
    let outcome = db.post(&input, replace).map_err(|e| anyhow::anyhow!("{}: {e}", lpath.display()))?;
    let r = Reconciliation {
        month: &loaded.month,
        inputs: &loaded.inputs,
        rejections: &loaded.rejections,
        findings: &findings,
        ledger: &posted,
        as_of,
    };
    let rejected = loaded.rejected();
    let mut s = String::new();
    match &outcome {
        PostOutcome::AlreadyPosted { month, invoices } => {
            let _ = writeln!(s, "{month} is already posted in {} ({}): nothing written.", lpath.display(), invoices.join(", "));
        }
        PostOutcome::Posted { new, replaced, unchanged, receivables, findings: recorded, .. } => {
            s.push_str(&crate::reconcile::summary(&r, "Posted", rejected));
            let _ = writeln!(s, "\nLedger {}:", lpath.display());
            for (what, names) in
                [("new", new), ("replaced (the earlier posting reversed)", replaced), ("unchanged, left as posted", unchanged)]
            {
                for n in names {
                    let _ = writeln!(s, "  invoice {n}: {what}");
                }
            }
            let owed: Decimal = posted.employees.values().sum();
            let _ = writeln!(s, "  notices to employees: {receivables} ({}); findings recorded: {recorded}", usd(owed));
            let from_history: Vec<String> = billrecon_model::Rule::HISTORY
                .iter()
                .filter_map(|rule| {
                    let n = findings.iter().filter(|f| f.rule == *rule).count();
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
    for u in crate::check::placeholder_lines(&loaded) {
        eprintln!("{u}");
    }
    let action = findings.iter().any(|f| f.severity == Severity::Action);
    Ok(if action || rejected > 0 || !loaded.manifest.placeholders.is_empty() { 1 } else { 0 })
}

/// The history findings `reconcile --ledger` and `findings --ledger` add.
pub fn history_for(ledger: Option<&Path>, month: &billrecon_model::Month) -> anyhow::Result<Option<billrecon_model::History>> {
    let Some(p) = ledger else { return Ok(None) };
    let db = open_existing(p)?;
    Ok(Some(db.history(&month.period.label)?))
}

/// Output formats of `receivables`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ReceivablesFormat {
    Table,
    Csv,
    Json,
}

/// `billrecon receivables`.
pub fn receivables(
    ledger: Option<&Path>,
    as_of: Option<NaiveDate>,
    employee: Option<&str>,
    format: ReceivablesFormat,
) -> anyhow::Result<u8> {
    let db = open_existing(&path(ledger, None))?;
    let as_of = as_of.unwrap_or_else(crate::today);
    let rows = db.receivables(as_of, employee)?;
    let cells = |r: &billrecon_ledger::Receivable| -> Vec<String> {
        vec![
            r.employee_id.clone(),
            r.billed.to_string(),
            r.paid.to_string(),
            r.waived.to_string(),
            r.outstanding.to_string(),
            r.current.to_string(),
            r.aged[0].to_string(),
            r.aged[1].to_string(),
            r.aged[2].to_string(),
            r.aged[3].to_string(),
            r.oldest_due.map(|d| d.to_string()).unwrap_or_default(),
        ]
    };
    let text = match format {
        ReceivablesFormat::Json => {
            let v: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "employee_id": r.employee_id,
                        "billed": r.billed.to_string(),
                        "paid": r.paid.to_string(),
                        "waived": r.waived.to_string(),
                        "outstanding": r.outstanding.to_string(),
                        "credit": (-r.outstanding).max(Decimal::ZERO).to_string(),
                        "current": r.current.to_string(),
                        "days_0_30": r.aged[0].to_string(),
                        "days_31_60": r.aged[1].to_string(),
                        "days_61_90": r.aged[2].to_string(),
                        "days_over_90": r.aged[3].to_string(),
                        "oldest_due": r.oldest_due.map(|d| d.to_string()),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&v)? + "\n"
        }
        ReceivablesFormat::Csv => billrecon_report::csv::table(
            &[
                "employee_id",
                "billed",
                "paid",
                "waived",
                "outstanding",
                "current",
                "days_0_30",
                "days_31_60",
                "days_61_90",
                "days_over_90",
                "oldest_due",
            ],
            &rows.iter().map(cells).collect::<Vec<_>>(),
        ),
        ReceivablesFormat::Table => {
            let mut s = format!("Receivables on {as_of} (days past the notice's due date)\n\n");
            let body: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let outstanding = if r.outstanding < Decimal::ZERO {
                        format!("{} credit", usd(-r.outstanding))
                    } else {
                        usd(r.outstanding)
                    };
                    let mut c =
                        vec![r.employee_id.clone(), usd(r.billed), usd(r.paid), usd(r.waived), outstanding, usd(r.current)];
                    c.extend(r.aged.iter().map(|a| usd(*a)));
                    c.push(r.oldest_due.map(|d| d.to_string()).unwrap_or_default());
                    c
                })
                .collect();
            s.push_str(&text::table(
                &[
                    "EMPLOYEE",
                    "BILLED",
                    "PAID",
                    "WAIVED",
                    "OUTSTANDING",
                    "NOT YET DUE",
                    "0-30",
                    "31-60",
                    "61-90",
                    "90+",
                    "OLDEST DUE",
                ],
                &body,
                &[false, true, true, true, true, true, true, true, true, true, false],
            ));
            let total: Decimal = rows.iter().map(|r| r.outstanding.max(Decimal::ZERO)).sum();
            let credit: Decimal = rows.iter().map(|r| (-r.outstanding).max(Decimal::ZERO)).sum();
            let _ = writeln!(s, "\nOutstanding {}; credits {}", usd(total), usd(credit));
            s
        }
    };
    emit(&text)?;
    Ok(0)
}

/// `billrecon pay`: one payment, or a CSV of them (`employee_id,date,amount,reference`).
pub fn pay(
    ledger: Option<&Path>,
    employee: Option<&str>,
    amount: Option<&str>,
    date: Option<NaiveDate>,
    reference: Option<&str>,
    file: Option<&Path>,
) -> anyhow::Result<u8> {
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
                payments.push(Payment { employee_id: c[0].to_string(), date, amount, reference: c[3].to_string() });
            }
        }
        (None, Some(e), Some(a)) => {
            let Some(date) = date else { bail!("give the payment's --date") };
            let Some(reference) = reference else { bail!("give the payment's --ref (a check or receipt number)") };
            let amount: Decimal = a.trim_start_matches('$').parse().with_context(|| format!("`{a}` is not an amount"))?;
            payments.push(Payment { employee_id: e.to_string(), date, amount, reference: reference.to_string() });
        }
        _ => bail!("give EMPLOYEE AMOUNT --date DATE --ref REF, or --file payments.csv"),
    }
    let mut db = open_existing(&path(ledger, None))?;
    let out = db.pay(&payments)?;
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
    Ok(0)
}

/// `billrecon finding waive|dispute|resolve`.
pub fn finding(
    ledger: Option<&Path>,
    event: Event,
    id: &str,
    reason: &str,
    by: &str,
    case: &str,
    date: Option<NaiveDate>,
) -> anyhow::Result<u8> {
    let mut db = open_existing(&path(ledger, None))?;
    let date = date.unwrap_or_else(crate::today);
    let s = match db.event(id, event, reason, by, case, date)? {
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
    Ok(0)
}

/// Output formats of `journal`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum JournalFormat {
    Csv,
    Peoplesoft,
}

/// `billrecon journal --since DATE`: the adjusting entries, balanced.
pub fn journal(ledger: Option<&Path>, since: NaiveDate, format: JournalFormat) -> anyhow::Result<u8> {
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
    let text = match format {
        JournalFormat::Csv => billrecon_report::csv::table(
            &["date", "kind", "account_code", "employee_id", "debit", "credit", "memo"],
            &rows
                .iter()
                .map(|r| {
                    vec![
                        r.date.to_string(),
                        r.kind.clone(),
                        r.account_code.clone(),
                        r.employee_id.clone(),
                        r.debit.to_string(),
                        r.credit.to_string(),
                        r.memo.clone(),
                    ]
                })
                .collect::<Vec<_>>(),
        ),
        JournalFormat::Peoplesoft => {
            // The same batch layout as reconcile's journal-peoplesoft.txt; each line's reference
            // is its date. The ledger keeps no business unit: BU001, PeopleSoft's default.
            let dates: Vec<String> = rows.iter().map(|r| r.date.to_string()).collect();
            let lines: Vec<billrecon_report::journal::PeopleSoftLine<'_>> = rows
                .iter()
                .zip(&dates)
                .map(|(r, d)| billrecon_report::journal::PeopleSoftLine {
                    account_code: &r.account_code,
                    employee_id: &r.employee_id,
                    debit: r.debit,
                    credit: r.credit,
                    reference: d,
                    memo: &r.memo,
                })
                .collect();
            billrecon_report::journal::peoplesoft_batch(
                "BU001",
                &since.format("%m/%d/%Y").to_string(),
                "adjustments since",
                &lines,
            )
        }
    };
    emit(&text)?;
    Ok(0)
}

/// `billrecon history LINE`.
pub fn history(ledger: Option<&Path>, line: &str) -> anyhow::Result<u8> {
    let db = open_existing(&path(ledger, None))?;
    let l = PhoneNumber::parse(line).map_err(|e| anyhow::anyhow!("{line}: {e}"))?;
    let rows = db.line_history(&l)?;
    if rows.is_empty() {
        bail!("line {} is in no posted month of {}", l.pretty(), db.path.display());
    }
    let body: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.month.clone(),
                usd(r.charges),
                r.voice_minutes.clone(),
                r.messages.clone(),
                if r.used { "yes" } else { "no" }.into(),
                if r.employee_id.is_empty() { "(nobody)".into() } else { r.employee_id.clone() },
                r.account_code.clone(),
                r.findings.join("; "),
            ]
        })
        .collect();
    let mut s = format!("Line {}, month by month\n\n", l.pretty());
    s.push_str(&text::table(
        &["MONTH", "CHARGES", "MINUTES", "MESSAGES", "USED", "HOLDER", "ACCOUNT", "FINDINGS"],
        &body,
        &[false, true, true, true, false, false, false, false],
    ));
    emit(&s)?;
    Ok(0)
}

/// `billrecon ledger verify`.
pub fn verify(ledger: Option<&Path>) -> anyhow::Result<u8> {
    let db = open_existing(&path(ledger, None))?;
    let v = db.verify().map_err(|e| anyhow::anyhow!("{}: {e}", db.path.display()))?;
    emit(&format!(
        "{}: verified: {} invoices' postings equal what they billed, {} journals balance, {} employees' receivables equal notices less payments and waivers\n",
        db.path.display(),
        v.invoices,
        v.journals,
        v.employees
    ))?;
    Ok(0)
}
