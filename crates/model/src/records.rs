//! Records of a month: invoices and their charges, assignments, employees, plans, attestations.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::allowance::Allowance;
use crate::phone::PhoneNumber;
use crate::source::SourceRef;
use crate::usage::TimeOfDay;

macro_rules! word_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in files and outputs.
            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl FromStr for $name {
            type Err = String;
            /// Matches ignoring case, surrounding spaces, and `_` vs space.
            fn from_str(s: &str) -> Result<Self, String> {
                // The word exactly as written in files and outputs: no normalizing to do.
                $(if s == $word { return Ok($name::$variant); })+
                let norm = crate::records::normalize_word(s);
                $(if norm == crate::records::normalize_word($word) { return Ok($name::$variant); })+
                let all: Vec<&str> = vec![$($word),+];
                Err(format!("`{}` is not one of: {}", s.trim(), all.join(", ")))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result { f.write_str(self.as_str()) }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

/// Lower case, trimmed, `_` read as a space, runs of spaces folded.
pub fn normalize_word(s: &str) -> String {
    s.trim().to_lowercase().replace('_', " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

word_enum!(
    /// What a charge item on an invoice is for.
    ChargeCategory {
        Plan = "plan",
        Feature = "feature",
        Equipment = "equipment",
        Accessory = "accessory",
        Usage = "usage",
        OverageVoice = "overage_voice",
        OverageText = "overage_text",
        OverageData = "overage_data",
        DirectoryAssistance = "directory_assistance",
        LongDistance = "long_distance",
        Roaming = "roaming",
        International = "international",
        ThirdParty = "third_party",
        OneTime = "one_time",
        Credit = "credit",
        Tax = "tax",
        Surcharge = "surcharge",
        Fee = "fee",
        Adjustment = "adjustment",
        Other = "other",
    }
);

impl ChargeCategory {
    /// The words people read (statements, notices, the workbook).
    pub fn label(&self) -> &'static str {
        crate::labels::label(self.as_str())
    }
}

word_enum!(
    /// The status of a line's assignment.
    LineStatus {
        Active = "active",
        Suspended = "suspended",
        Lost = "lost",
        Stolen = "stolen",
        Returned = "returned",
        Spare = "spare",
    }
);

impl LineStatus {
    /// A line billed under any other status than active is an inactive line still being billed.
    pub fn is_inactive(&self) -> bool {
        !matches!(self, LineStatus::Active)
    }
}

word_enum!(
    /// What kind of instrument a line of the inventory is (OPM's policy covers "telephones,
    /// telephone calling cards, ... facsimile machines and cellular telephones").
    InstrumentKind {
        Wireless = "wireless",
        Desk = "desk",
        Fax = "fax",
        Card = "card",
    }
);

impl InstrumentKind {
    /// How statements, notices and the web name an instrument: a wireless line by its number
    /// alone (as they always have), `desk phone 860-555-0300`, `fax line 860-555-0400`,
    /// `calling card ending 4821`.
    pub fn name(&self, line: &PhoneNumber) -> String {
        match self {
            InstrumentKind::Wireless => line.pretty(),
            InstrumentKind::Desk => format!("desk phone {}", line.pretty()),
            InstrumentKind::Fax => format!("fax line {}", line.pretty()),
            InstrumentKind::Card => format!("calling {}", line.pretty()),
        }
    }

    /// The instrument after "on" in a sentence: `line 860-555-0101` for a wireless line (as
    /// findings and notices always have), else its name.
    pub fn on(&self, line: &PhoneNumber) -> String {
        match self {
            InstrumentKind::Wireless => format!("line {}", line.pretty()),
            k => k.name(line),
        }
    }

    /// The kind as an inventory or fleet list writes it: the four words, or the usual names
    /// (`cell`, `mobile`, `smartphone`; `desk phone`, `landline`; `fax line`; `calling card`).
    pub fn from_words(s: &str) -> Result<InstrumentKind, String> {
        let kind = match normalize_word(s).as_str() {
            "cell" | "cellular" | "cell phone" | "mobile" | "smartphone" | "smart phone" | "wireless phone" => {
                InstrumentKind::Wireless
            }
            "desk phone" | "desktop phone" | "landline" | "land line" | "wireline" => InstrumentKind::Desk,
            "fax line" | "facsimile" | "fax machine" => InstrumentKind::Fax,
            "calling card" | "telephone calling card" | "phone card" => InstrumentKind::Card,
            _ => return s.parse(),
        };
        Ok(kind)
    }

    /// The kind a line's key implies when no inventory says: a calling card's key is a card.
    pub fn of_key(line: &PhoneNumber) -> InstrumentKind {
        if line.is_card() {
            InstrumentKind::Card
        } else {
            InstrumentKind::Wireless
        }
    }
}

/// Each line's instrument kind as the inventory says (indexed once for an output): only the
/// lines that are not wireless are kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Instruments(std::collections::BTreeMap<PhoneNumber, InstrumentKind>);

impl Instruments {
    pub fn new(inventory: &[Assignment]) -> Instruments {
        Instruments(inventory.iter().filter(|a| a.kind != InstrumentKind::Wireless).map(|a| (a.line, a.kind)).collect())
    }

    /// The line's kind: the inventory's, else what its key implies.
    pub fn kind(&self, line: &PhoneNumber) -> InstrumentKind {
        self.0.get(line).copied().unwrap_or_else(|| InstrumentKind::of_key(line))
    }

    /// `860-555-0101`, `desk phone 860-555-0300`, `calling card ending 4821`.
    pub fn name(&self, line: &PhoneNumber) -> String {
        self.kind(line).name(line)
    }

    /// The instrument after "on" ([`InstrumentKind::on`]).
    pub fn on(&self, line: &PhoneNumber) -> String {
        self.kind(line).on(line)
    }
}

/// The header of one carrier invoice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InvoiceSummary {
    pub carrier: String,
    pub account_number: String,
    pub invoice_number: String,
    pub invoice_date: Option<NaiveDate>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub previous_balance: Decimal,
    /// Negative, as printed on a bill.
    pub payments: Decimal,
    pub adjustments: Decimal,
    pub current_charges: Decimal,
    pub total_due: Decimal,
    /// When the carrier wants to be paid, as printed on the bill.
    pub due_date: Option<NaiveDate>,
    pub source: SourceRef,
}

/// One charge item of an invoice.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Charge {
    /// Index of the invoice in [`crate::Month::invoices`] (the manifest's order).
    pub invoice: usize,
    /// `None` for an account-level charge.
    pub line: Option<PhoneNumber>,
    pub category: ChargeCategory,
    pub description: String,
    pub quantity: Option<Decimal>,
    pub amount: Decimal,
    pub source: SourceRef,
}

/// What the carrier's own per-line summary says of one line (Verizon's "Account & Wireless
/// Summary"): a cross-check of the charge items, and who and what the carrier thinks the line is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LineSummary {
    /// `None` for the account's own row (its account-level charges).
    pub line: Option<PhoneNumber>,
    /// The line's total charges on this invoice: its charge items must add up to it.
    pub total: Decimal,
    /// The plan as the carrier prints it (`FLEX BUSINESS DATA DEVICE 2GB $35.00 monthly ...`).
    pub plan: String,
    /// The user name the carrier has for the line.
    pub user_name: String,
    /// What the carrier says the line used (voice minutes, messages, data in the carrier's
    /// unit); `None` where it says nothing.
    pub voice_minutes: Option<Decimal>,
    pub messages: Option<Decimal>,
    pub data: Option<Decimal>,
    pub source: SourceRef,
}

impl LineSummary {
    /// The plan's name without the price and terms the carrier prints after it:
    /// `FLEX BUSINESS DATA DEVICE 2GB $35.00 monthly access charge` → `FLEX BUSINESS DATA DEVICE 2GB`.
    pub fn plan_name(&self) -> &str {
        self.plan.split('$').next().unwrap_or("").trim()
    }

    /// The carrier reports some use of the line this period.
    pub fn shows_usage(&self) -> bool {
        [self.voice_minutes, self.messages, self.data].iter().flatten().any(|q| !q.is_zero())
    }
}

/// A carrier invoice: its summary, its charge items and, when the carrier gives one, its
/// per-line summary.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Invoice {
    pub summary: InvoiceSummary,
    pub charges: Vec<Charge>,
    pub lines: Vec<LineSummary>,
    /// What the carrier states each line's plan includes (its usage summary rows), when the
    /// manifest names them: where no plans table is given, the overage rule's allowance.
    pub allowances: Vec<crate::allowance::StatedAllowance>,
}

/// One effective-dated assignment of a line (one inventory row).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Assignment {
    pub line: PhoneNumber,
    pub employee_id: String,
    pub employee_name: String,
    pub program: String,
    pub account_code: String,
    pub plan: String,
    pub status: LineStatus,
    pub start: NaiveDate,
    /// Inclusive; `None` = open.
    pub end: Option<NaiveDate>,
    pub authorized_by: String,
    /// How the assignment's dates are known.
    pub coverage: Coverage,
    /// Wireless line (the default), desk phone, fax line or calling card.
    pub kind: InstrumentKind,
    pub source: SourceRef,
}

/// How an assignment's dates are known.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub enum Coverage {
    /// Effective dates from the inventory.
    Dated,
    /// A fleet list, which has no dates: the line is assigned for the whole period, as the
    /// list (`file`, as of the date it was saved, when known) says.
    FleetList { file: String, as_of: Option<NaiveDate> },
}

impl fmt::Display for Coverage {
    /// `the fleet list of 2024-02-10`, `the fleet list Fleet.xlsx`, `the inventory`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Coverage::Dated => f.write_str("the inventory"),
            Coverage::FleetList { as_of: Some(d), .. } => write!(f, "the fleet list of {d}"),
            Coverage::FleetList { file, as_of: None } => write!(f, "the fleet list {file}"),
        }
    }
}

impl Assignment {
    /// The instrument as people read it ([`InstrumentKind::name`]).
    pub fn instrument(&self) -> String {
        self.kind.name(&self.line)
    }

    /// A desk phone or fax line a program shares, with no one holding it: what would be a
    /// holder's stays with the program.
    pub fn is_shared(&self) -> bool {
        self.employee_id.is_empty() && matches!(self.kind, InstrumentKind::Desk | InstrumentKind::Fax)
    }

    /// A calling card with no holder: an unassigned instrument (left out of the line book).
    pub fn is_unheld_card(&self) -> bool {
        self.kind == InstrumentKind::Card && self.employee_id.is_empty()
    }

    /// Covers `day` when `start <= day <= end` (open end = forever).
    pub fn covers(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|e| day <= e)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Employee {
    pub employee_id: String,
    pub name: String,
    pub email: String,
    /// `None` = still employed.
    pub termination_date: Option<NaiveDate>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Plan {
    pub plan: String,
    pub voice_minutes: Allowance,
    pub messages: Allowance,
    pub data_mb: Allowance,
    pub monthly_rate: Option<Decimal>,
    pub source: SourceRef,
}

/// A call an employee identified as personal.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Attestation {
    pub line: PhoneNumber,
    pub date: NaiveDate,
    pub time: Option<TimeOfDay>,
    /// When given, it must match the usage row's number too.
    pub number: Option<PhoneNumber>,
    pub note: String,
    pub source: SourceRef,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_parse_loosely_and_name_the_choices() {
        assert_eq!("Overage Voice".parse::<ChargeCategory>(), Ok(ChargeCategory::OverageVoice));
        assert_eq!(" TAX ".parse::<ChargeCategory>(), Ok(ChargeCategory::Tax));
        assert_eq!("directory_assistance".parse::<ChargeCategory>(), Ok(ChargeCategory::DirectoryAssistance));
        let e = "roam".parse::<ChargeCategory>().unwrap_err();
        assert!(e.starts_with("`roam` is not one of: plan, feature, equipment,"), "{e}");
        assert_eq!("Stolen".parse::<LineStatus>(), Ok(LineStatus::Stolen));
        assert_eq!(ChargeCategory::ALL.len(), 20);
        assert_eq!("Desk".parse::<InstrumentKind>(), Ok(InstrumentKind::Desk));
        for (words, kind) in [
            ("Smartphone", InstrumentKind::Wireless),
            ("Desk Phone", InstrumentKind::Desk),
            ("LANDLINE", InstrumentKind::Desk),
            ("fax_line", InstrumentKind::Fax),
            ("Calling Card", InstrumentKind::Card),
            ("card", InstrumentKind::Card),
        ] {
            assert_eq!(InstrumentKind::from_words(words), Ok(kind), "{words}");
        }
        assert_eq!(InstrumentKind::from_words("pager").unwrap_err(), "`pager` is not one of: wireless, desk, fax, card");
        let desk = PhoneNumber::parse("860-555-0300").unwrap();
        let card = PhoneNumber::parse_line("1234 5678 9012 4821").unwrap();
        assert_eq!(InstrumentKind::Desk.name(&desk), "desk phone 860-555-0300");
        assert_eq!(InstrumentKind::Fax.name(&desk), "fax line 860-555-0300");
        assert_eq!(InstrumentKind::Wireless.name(&desk), "860-555-0300");
        assert_eq!(InstrumentKind::Card.name(&card), "calling card ending 4821");
        assert_eq!(InstrumentKind::of_key(&card), InstrumentKind::Card);
    }
}
