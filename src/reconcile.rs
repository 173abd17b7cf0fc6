//! `billrecon reconcile`: the month end to end, outputs written under `--out`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context};
use billrecon_model::{usd, Severity};
use billrecon_report::{text, Reconciliation};

use crate::emit;

/// Written into every output folder, so a rerun may replace what a previous run wrote.
const MARKER: &str = ".billrecon-output";

pub fn run(month_dir: &Path, out: &Path, as_of: Option<chrono::NaiveDate>, quiet: bool) -> anyhow::Result<u8> {
    let (loaded, facts) = crate::stream::load(month_dir, quiet)?;
    let findings = billrecon_rules::evaluate_ctx(&billrecon_rules::Ctx::with_facts(&loaded.month, facts));
    let ledger = billrecon_chargeback::post(&loaded.month, &findings)?;
    let rec = Reconciliation {
        month: &loaded.month,
        inputs: &loaded.inputs,
        rejections: &loaded.rejections,
        findings: &findings,
        ledger: &ledger,
        as_of: as_of.unwrap_or(loaded.month.period.end),
    };
    prepare(out)?;
    let mut written = 0usize;
    rec.write_files(|f| {
        let path = out.join(&f.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: cannot create the folder: {e}", dir.display()))?;
        }
        std::fs::write(&path, &f.bytes).map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        written += 1;
        Ok(())
    })
    .map_err(anyhow::Error::msg)?;

    let action = findings.iter().filter(|f| f.severity == Severity::Action).count();
    let rejected = loaded.rejected();
    if !quiet {
        emit(&report(&rec, written, out, rejected))?;
    }
    Ok(if action > 0 || rejected > 0 { 1 } else { 0 })
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
    let l = r.ledger;
    let p = &r.month.period;
    let mut s = String::new();
    let read: u64 = r.inputs.iter().map(|i| i.read).sum();
    let _ = writeln!(
        s,
        "Reconciled {} ({} to {}): {read} rows read, {} accepted, {rejected} rejected\n",
        p.label,
        p.start,
        p.end,
        read - rejected
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
        "Findings: {} ({} charge, {} action, {} review, {} info); see findings.csv",
        r.findings.len(),
        count(Severity::Charge),
        count(Severity::Action),
        count(Severity::Review),
        count(Severity::Info)
    );
    let _ = writeln!(s, "Wrote {files} files to {}", out.display());
    s
}
