//! Test helpers: the model's month builder, and findings of one rule as compact strings.

pub use billrecon_model::testkit::*;
use billrecon_model::Rule;

/// Findings of one rule, as compact strings: `severity line employee account amount liable | sources | detail`.
pub fn run(m: &TestMonth, rule: Rule) -> Vec<String> {
    crate::evaluate(&m.month, &m.usage)
        .into_iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            format!(
                "{} {} {} {} {} {} | {} | {}",
                f.severity,
                f.line.map(|l| l.to_string()).unwrap_or_else(|| "-".into()),
                if f.employee_id.is_empty() { "-" } else { &f.employee_id },
                if f.account_code.is_empty() { "-" } else { &f.account_code },
                f.amount,
                f.employee_liable,
                f.sources_text(),
                f.detail
            )
        })
        .collect()
}
