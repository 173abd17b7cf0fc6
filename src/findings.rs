//! `billrecon findings`: the rules' findings for a month.

use std::fmt::Write as _;
use std::path::Path;

use billrecon_model::{usd, Severity};
use billrecon_report::findings;

use crate::{emit, FindingsFormat};

pub fn run(month_dir: &Path, format: FindingsFormat, ledger: Option<&Path>) -> anyhow::Result<u8> {
    let (loaded, facts) = crate::stream::load(month_dir, true)?;
    let ctx = billrecon_rules::Ctx::with_facts(&loaded.month, facts);
    let history = crate::ledger::history_for(ledger, &loaded.month)?;
    let found = match &history {
        None => billrecon_rules::evaluate_ctx(&ctx),
        Some(h) => billrecon_rules::evaluate_with_history(&ctx, Some(h)).0,
    };
    if let (Some(p), FindingsFormat::Table) = (ledger, format) {
        return with_status(&loaded.month.period.label, &found, p, &loaded);
    }
    let text = match format {
        FindingsFormat::Csv => findings::csv(&found),
        FindingsFormat::Json => serde_json::to_string_pretty(&findings::json(&found))? + "\n",
        FindingsFormat::Table => {
            let mut out = String::new();
            let count = |s: Severity| found.iter().filter(|f| f.severity == s).count();
            let _ = writeln!(
                out,
                "Findings for {}: {} ({} charge, {} action, {} review, {} info)\n",
                loaded.month.period.label,
                found.len(),
                count(Severity::Charge),
                count(Severity::Action),
                count(Severity::Review),
                count(Severity::Info)
            );
            out.push_str(&findings::table(&found));
            let liable: rust_decimal::Decimal = found.iter().map(|f| f.employee_liable).sum();
            let _ = writeln!(out, "\nEmployees owe {} in all.", usd(liable));
            out
        }
    };
    emit(&text)?;
    let rejected = loaded.rejected();
    if rejected > 0 {
        eprintln!("note: {rejected} input rows were rejected and are not in these findings (run `billrecon check`)");
    }
    let action = found.iter().any(|f| f.severity == Severity::Action);
    Ok(if action || rejected > 0 { 1 } else { 0 })
}

/// The findings with each one's status in the ledger (open, waived, disputed, resolved; `new`
/// when not posted yet) and what happened to it.
fn with_status(
    month: &str,
    found: &[billrecon_model::Finding],
    ledger: &Path,
    loaded: &billrecon_parser::Loaded,
) -> anyhow::Result<u8> {
    let db = crate::ledger::open_existing(ledger)?;
    let mut rows = Vec::new();
    let mut history = String::new();
    for f in found {
        let posted: bool = db
            .connection()
            .query_row("SELECT EXISTS (SELECT 1 FROM findings WHERE finding_id = ?1)", [&f.id], |r| r.get(0))
            .unwrap_or(false);
        let st = db.status(&f.id)?;
        let status = if posted { st.status.clone() } else { "new".into() };
        rows.push(vec![
            f.id.clone(),
            f.severity.to_string(),
            f.rule.to_string(),
            f.line.map(|l| l.pretty()).unwrap_or_else(|| "-".into()),
            f.employee_id.clone(),
            usd(f.employee_liable),
            status,
            f.detail.clone(),
        ]);
        for h in &st.history {
            let _ = writeln!(history, "{}: {h}", f.id);
        }
    }
    let mut out = format!("Findings for {month} with their status in {}: {}\n\n", ledger.display(), found.len());
    out.push_str(&billrecon_report::text::table(
        &["ID", "SEVERITY", "RULE", "LINE", "EMPLOYEE", "LIABLE", "STATUS", "DETAIL"],
        &rows,
        &[false, false, false, false, false, true, false, false],
    ));
    if !history.is_empty() {
        out.push_str("\nHistory:\n");
        out.push_str(&history);
    }
    emit(&out)?;
    let action = found.iter().any(|f| f.severity == Severity::Action);
    Ok(if action || loaded.rejected() > 0 { 1 } else { 0 })
}
