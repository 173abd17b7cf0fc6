//! The parser: files in, typed records out.
//!
//! Only this crate knows file formats (csv-core, calamine, zip). Every data row is accepted into
//! a record, skipped for a stated reason, or rejected with `FILE[:SHEET]:ROW: COLUMN: reason`;
//! nothing is dropped silently. Errors that stop a month from being read are [`ParseError`]s.
//!
//! Modules in layers, each using only those above it in this list:
//! `value`, `error`, `progress` → `table`, `header` → `source` (CSV, XLSX, zip) → `tables`,
//! `usage` (the canonical tables) → `profile` (carrier layouts) → `manifest` → `month` →
//! `survey` (`billrecon init`: a folder's files recognized and placed).

pub mod error;
pub mod progress;
pub mod value;

pub mod header;
pub mod table;

pub mod source;

pub mod tables;
pub mod usage;

pub mod profile;

pub mod manifest;

pub mod month;

pub mod survey;

pub use billrecon_model::UsageSink;
pub use error::ParseError;
pub use manifest::{Archives, InputRef, Manifest, MANIFEST_FILE};
pub use month::{load_month, load_month_with, Loaded};
pub use source::archive;
pub use source::xlsx::quiet_contained_panics;
pub use source::{FileRef, Format};
pub use table::TableSpec;
pub use tables::TableInput;
pub use usage::{CountUsage, KeepUsage};
