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
