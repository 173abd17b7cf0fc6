//! Outputs. Every renderer is a pure function from records to bytes: no clock, no hash-map
//! order, so the same inputs give byte-identical files. The CLI only writes what these return.

pub mod csv;
mod files;
pub mod findings;
pub mod html;
pub mod journal;
pub mod ledger;
pub mod notice;
mod reconciliation;
pub mod safe;
pub mod statement;
pub mod summary;
pub mod text;
pub mod workbook;

pub use reconciliation::{file_name, file_names, skips_text, OutFile, Reconciliation, ReportError};

/// Money as every output shows it (`$1,234.56`, `-$0.30`): the web app formats amounts with this
/// and nothing else.
pub fn money(d: rust_decimal::Decimal) -> String {
    billrecon_model::usd(d)
}
