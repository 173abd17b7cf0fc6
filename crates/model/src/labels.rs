//! The one table of words people read: every machine key that can reach a statement, a notice
//! or the workbook, with its label. CSV and JSON outputs keep the keys (they are stable and
//! other programs read them); pages people read show the labels.

/// `(key, label)`, keys as written in CSV and JSON outputs.
pub const LABELS: &[(&str, &str)] = &[
    // Charge categories.
    ("plan", "Plan"),
    ("feature", "Feature"),
    ("equipment", "Equipment"),
    ("accessory", "Accessory"),
    ("usage", "Usage"),
    ("overage_voice", "Voice overage"),
    ("overage_text", "Text overage"),
    ("overage_data", "Data overage"),
    ("directory_assistance", "Directory assistance"),
    ("long_distance", "Long distance"),
    ("roaming", "Roaming"),
    ("international", "International"),
    ("third_party", "Third-party purchase"),
    ("one_time", "One-time charge"),
    ("credit", "Credit"),
    ("tax", "Tax"),
    ("surcharge", "Surcharge"),
    ("fee", "Fee"),
    ("adjustment", "Adjustment"),
    ("other", "Other"),
    // Posting kinds.
    ("line_charge", "Line charge"),
    ("account_share", "Share of account charges"),
    ("liability_out", "Repaid by the employee"),
    ("liability_in", "Owed by the employee"),
    // Rules (`directory_assistance` is above: the same words).
    ("personal_overage", "Personal share of an overage"),
    ("personal_call_charge", "Charged personal call"),
    ("unassigned_line", "Line not assigned to anyone"),
    ("terminated_employee", "Line of a departed employee"),
    ("inactive_line_billed", "Inactive line still billed"),
    ("zero_usage", "Line with no use"),
    ("invoice_mismatch", "Invoice does not add up"),
    ("duplicate_charge", "Possible duplicate charge"),
    ("third_party_charge", "Third-party charge"),
    ("unmatched_attestation", "Attested call not found"),
    ("missing_authorization", "No written authorization"),
    ("not_billed", "Assigned line not billed"),
    ("zero_usage_streak", "No use for months"),
    ("cost_spike", "Charges jumped"),
    ("repeat_finding", "Still open from an earlier month"),
    ("credit_not_received", "Disputed credit not received"),
    // Severities.
    ("charge", "Employee repays"),
    ("action", "Action needed"),
    ("review", "Review"),
    ("info", "For the record"),
];

/// The label of `key`; a key with none (never, for the keys billrecon writes: a test holds
/// every one to the table) shows as itself.
pub fn label(key: &str) -> &str {
    LABELS.iter().find(|(k, _)| *k == key).map_or(key, |(_, l)| l)
}

/// Whether `key` has a label.
pub fn has_label(key: &str) -> bool {
    LABELS.iter().any(|(k, _)| *k == key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ChargeCategory, Rule, Severity};

    #[test]
    fn every_category_rule_and_severity_has_a_label_and_no_key_is_listed_twice() {
        for c in ChargeCategory::ALL {
            assert!(has_label(c.as_str()), "{c}");
        }
        for r in Rule::ALL.iter().chain(Rule::HISTORY) {
            assert!(has_label(r.as_str()), "{r}");
        }
        for s in [Severity::Charge, Severity::Action, Severity::Review, Severity::Info] {
            assert!(has_label(s.as_str()), "{s}");
        }
        let mut keys: Vec<&str> = LABELS.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n, "a key listed twice");
        assert_eq!(label("overage_voice"), "Voice overage");
        assert_eq!(label("no_such_key"), "no_such_key");
    }
}
