//! The parser: files in, typed records out.
//!
//! Only this crate knows polars (CSV) and calamine (XLSX). Every data row is either accepted into
//! a record or rejected with `FILE[:SHEET]:ROW: COLUMN: reason`; nothing is dropped silently.
//! Errors that stop a month from being read are [`ParseError`]s.

pub mod archive;
pub mod csv;
pub mod error;
pub mod manifest;
pub mod month;
pub mod profile;
pub mod progress;
pub mod table;
pub mod tables;
pub mod value;
mod xlsx;

pub use billrecon_model::UsageSink;
pub use error::ParseError;
pub use manifest::{Archives, Manifest, MANIFEST_FILE};
pub use month::{load_month, load_month_with, CountUsage, KeepUsage, Loaded};
pub use table::{read_table, Format, InputRef, TableSpec};
