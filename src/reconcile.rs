//! `billrecon reconcile`: the month end to end, outputs written under `--out`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context};
use billrecon_model::{usd, Severity};
use billrecon_report::{text, Reconciliation, ReportError};

use crate::emit;

/// Written into every output folder, so a rerun may replace what a previous run wrote.
const MARKER: &str = ".billrecon-output";

pub fn run(
    month_dir: &Path,
    out: &Path,
    as_of: Option<chrono::NaiveDate>,
    quiet: bool,
    timings: bool,
    ledger: Option<&Path>,
) -> anyhow::Result<u8> {
    let mut clock = Timings::new(timings);
    let (loaded, facts) = crate::stream::load(month_dir, quiet)?;
    clock.lap("read and fold the inputs");
    let ctx = billrecon_rules::Ctx::with_facts(&loaded.month, facts);
    let findings = match crate::ledger::history_for(ledger, &loaded.month)? {
        // Without a ledger, exactly the month's own findings.
        None => billrecon_rules::evaluate_ctx(&ctx),
        Some(h) => billrecon_rules::evaluate_with_history(&ctx, Some(&h)).0,
    };
    clock.lap("rules");
    let ledger = billrecon_chargeback::post(&loaded.month, &findings)?;
    clock.lap("chargeback");
    let rec = Reconciliation {
        month: &loaded.month,
        inputs: &loaded.inputs,
        rejections: &loaded.rejections,
        findings: &findings,
        ledger: &ledger,
        as_of: as_of.unwrap_or(loaded.month.period.end),
    };
    prepare(out)?;
    let written = std::sync::atomic::AtomicUsize::new(0);
    let folders = std::sync::Mutex::new(std::collections::BTreeSet::new());
    rec.write_files(|f| {
        let path = out.join(&f.path);
        let failed = |reason: String| ReportError::Write { path: path.display().to_string(), reason };
        if let Some(dir) = path.parent() {
            let mut made = folders.lock().map_err(|_| failed("an output writer failed".into()))?;
            if !made.contains(dir) {
                std::fs::create_dir_all(dir).map_err(|e| failed(format!("cannot create its folder: {e}")))?;
                made.insert(dir.to_path_buf());
            }
        }
        std::fs::write(&path, &f.bytes).map_err(|e| failed(format!("cannot write: {e}")))?;
        written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    })?;
    clock.lap("render and write the outputs");
    clock.report();

    let action = findings.iter().filter(|f| f.severity == Severity::Action).count();
    let rejected = loaded.rejected();
    if !quiet {
        emit(&report(&rec, written.into_inner(), out, rejected))?;
    }
    // A journal posting to a placeholder account must not go unnoticed, even when quiet.
    let unset = crate::check::placeholder_lines(&loaded);
    for u in &unset {
        eprintln!("{u}");
    }
    Ok(if action > 0 || rejected > 0 || !unset.is_empty() { 1 } else { 0 })
}

/// Stage wall times, kept only when `--timings` asks for the clock.
struct Timings {
    last: Option<std::time::Instant>,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Timings {
    fn new(on: bool) -> Timings {
        Timings { last: on.then(std::time::Instant::now), laps: Vec::new() }
    }

    fn lap(&mut self, stage: &'static str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            self.laps.push((stage, now - last));
            self.last = Some(now);
        }
    }

    fn report(&self) {
        if self.last.is_none() {
            return;
        }
        let mut s = String::from("timings:\n");
        for (stage, d) in &self.laps {
            let _ = writeln!(s, "  {stage:<32} {:>8.3} s", d.as_secs_f64());
        }
        let total: std::time::Duration = self.laps.iter().map(|l| l.1).sum();
        let _ = writeln!(s, "  {:<32} {:>8.3} s", "total", total.as_secs_f64());
        eprint!("{s}");
    }
}

/// Creates `out`, or empties what a previous run wrote there; refuses any other non-empty folder.
fn prepare(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        if !out.is_dir() {
            bail!("{}: --out must be a folder", out.display());
        }
        let mut entries = std::fs::read_dir(out).with_context(|| format!("{}: cannot read", out.display()))?.peekable();
        if entries.peek().is_some() {
            if !out.join(MARKER).exists() {
                bail!(
                    "{}: the folder is not empty and was not written by billrecon; choose an empty or new folder",
                    out.display()
                );
            }
            for e in std::fs::read_dir(out)? {
                let p = e?.path();
                if p.is_dir() {
                    std::fs::remove_dir_all(&p)?;
                } else {
                    std::fs::remove_file(&p)?;
                }
            }
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("{}: cannot create the folder", out.display()))?;
    std::fs::write(out.join(MARKER), "Written by billrecon reconcile; a rerun replaces everything in this folder.\n")?;
    Ok(())
}

fn report(r: &Reconciliation<'_>, files: usize, out: &Path, rejected: u64) -> String {
    let mut s = summary(r, "Reconciled", rejected);
    s.truncate(s.trim_end().len());
    s.push_str("; see findings.csv\n");
    let _ = writeln!(s, "Wrote {files} files to {}", out.display());
    s
}

/// The month in a few lines: rows read, each invoice tying out, each account's net, the
/// findings by severity. `verb` opens it (`Reconciled`, `Posted`).
pub fn summary(r: &Reconciliation<'_>, verb: &str, rejected: u64) -> String {
    let l = r.ledger;
    let p = &r.month.period;
    let mut s = String::new();
    let sum = |f: fn(&billrecon_model::InputReport) -> u64| r.inputs.iter().map(f).sum::<u64>();
    let (read, accepted, skipped, blank) = (sum(|i| i.read), sum(|i| i.accepted), sum(|i| i.skipped), sum(|i| i.blank));
    let _ = writeln!(
        s,
        "{verb} {} ({} to {}): {read} rows read: {accepted} accepted, {rejected} rejected, {skipped} skipped, {blank} blank\n",
        p.label, p.start, p.end,
    );
    let rows: Vec<Vec<String>> = r
        .month
        .invoices
        .iter()
        .zip(&l.invoices)
        .map(|(inv, t)| {
            let su = &inv.summary;
            vec![
                su.carrier.clone(),
                su.invoice_number.clone(),
                usd(su.current_charges),
                usd(t.items_total),
                if t.ties_out { "yes" } else { "NO" }.into(),
            ]
        })
        .collect();
    s.push_str(&text::table(
        &["CARRIER", "INVOICE", "CURRENT CHARGES", "ITEMS", "TIES OUT"],
        &rows,
        &[false, false, true, true, false],
    ));
    s.push('\n');
    let rows: Vec<Vec<String>> = l.accounts.iter().map(|(k, v)| vec![k.clone(), usd(*v)]).collect();
    s.push_str(&text::table(&["ACCOUNT", "NET"], &rows, &[false, true]));
    let _ = writeln!(
        s,
        "\nBilled {} = programs {} + employees {} + suspense {}",
        usd(l.billed),
        usd(l.programs),
        usd(l.employees_total),
        usd(l.suspense)
    );
    let count = |sev: Severity| r.findings.iter().filter(|f| f.severity == sev).count();
    let _ = writeln!(
        s,
        "Findings: {} ({} charge, {} action, {} review, {} info)",
        r.findings.len(),
        count(Severity::Charge),
        count(Severity::Action),
        count(Severity::Review),
        count(Severity::Info)
    );
    s
}
