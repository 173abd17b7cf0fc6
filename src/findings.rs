//! `billrecon findings`: the rules' findings for a month.

use std::fmt::Write as _;
use std::path::Path;

use billrecon_model::{usd, Severity};
use billrecon_report::findings;

use crate::{emit, FindingsFormat};

pub fn run(month_dir: &Path, format: FindingsFormat) -> anyhow::Result<u8> {
    let (loaded, facts) = crate::stream::load(month_dir, true)?;
    let found = billrecon_rules::evaluate_ctx(&billrecon_rules::Ctx::with_facts(&loaded.month, facts));
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
