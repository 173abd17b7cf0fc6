//! Shared domain types of billrecon.
//!
//! This crate depends on nothing of ours. Every other crate speaks in these types:
//! money is [`rust_decimal::Decimal`] (never a float), lines are [`PhoneNumber`]s,
//! and every record carries the [`SourceRef`] (file, sheet, row) it came from.

pub mod allowance;
pub mod book;
pub mod finding;
pub mod history;
pub mod labels;
pub mod money;
pub mod month;
pub mod period;
pub mod phone;
pub mod records;
pub mod source;
#[cfg(feature = "testkit")]
pub mod testkit;
pub mod text;
pub mod usage;

pub use allowance::{Allowance, NamedAllowances, StatedAllowance};
pub use book::{DaySplit, LineBook};
pub use finding::{stable_hash, Call, Finding, Overage, Rule, Severity};
pub use history::{Dispute, History, LineMonth, OpenFinding, PastMonth};
pub use labels::label;
pub use money::{plain, round_cents, split_largest_remainder, usd, SplitError};
pub use month::{Allocation, InputReport, JournalFormat, Month, Policy, Skip, DEFAULT_DISPUTE, DEFAULT_PAYMENT};
pub use period::Period;
pub use phone::PhoneNumber;
pub use records::*;
pub use rust_decimal::Decimal;
pub use source::{Rejection, SourceRef};
pub use text::{FreeText, FreeTextError, TextProblem};
pub use usage::{StrColumn, TimeOfDay, UsageRecord, UsageSink, UsageSource, UsageTable, UsageType};
