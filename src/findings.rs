//! `billrecon findings`: the rules' findings for a month.

use std::fmt::Write as _;
use std::path::Path;

use billrecon_model::{usd, Severity};
use billrecon_report::findings;

use crate::cli::FindingsFormat;
use crate::emit::emit;
use crate::outcome::Outcome;

pub fn run(month_dir: &Path, format: FindingsFormat, ledger: Option<&Path>) -> anyhow::Result<Outcome> {
    let read = crate::progress::read_month(month_dir, true)?;
    let history = crate::ledger::history_for(ledger, &read.loaded.month)?;
    let evaluated = read.evaluate(history.as_ref());
    let found = &evaluated.findings;
    let text = match (format, ledger) {
        (FindingsFormat::Table, Some(p)) => {
            // Each finding with its status in the ledger and what happened to it.
            let db = crate::ledger::open_existing(p)?;
            let with: Vec<_> = found.iter().map(|f| Ok((f, db.posted_status(&f.id)?))).collect::<anyhow::Result<_>>()?;
            billrecon_report::ledger::findings_with_status(&read.loaded.month.period.label, &p.display().to_string(), &with)
        }
        (FindingsFormat::Csv, _) => findings::csv(found),
        (FindingsFormat::Json, _) => serde_json::to_string_pretty(&findings::json(found))? + "\n",
        (FindingsFormat::Table, None) => {
            let mut out = String::new();
            let count = |s: Severity| found.iter().filter(|f| f.severity == s).count();
            let _ = writeln!(
                out,
                "Findings for {}: {} ({} charge, {} action, {} review, {} info)\n",
                read.loaded.month.period.label,
                found.len(),
                count(Severity::Charge),
                count(Severity::Action),
                count(Severity::Review),
                count(Severity::Info)
            );
            out.push_str(&findings::table(found));
            let liable: rust_decimal::Decimal = found.iter().map(|f| f.employee_liable).sum();
            let _ = writeln!(out, "\nEmployees owe {} in all.", usd(liable));
            out
        }
    };
    emit(&text)?;
    let attention = evaluated.attention();
    if attention.rejected_rows > 0 && !(ledger.is_some() && matches!(format, FindingsFormat::Table)) {
        eprintln!(
            "note: {} input rows were rejected and are not in these findings (run `billrecon check`)",
            attention.rejected_rows
        );
    }
    Ok(Outcome::Month(attention))
}
