//! Carrier profiles: a small TOML file that maps a carrier's own export onto a canonical table,
//! in the spirit of hledger's CSV rules. `docs/profiles.md` documents every key.
//!
//! A profile is compiled once (patterns checked, every required canonical field accounted for)
//! and then read by [`read`], which turns each source row into the canonical cells the table
//! converters of [`crate::tables`] already accept. So a carrier file is validated by exactly the
//! same code as a canonical one, and its rejections still name the carrier's own columns.

mod apply;
mod spec;

pub use apply::{capture, read, read_runs, Captured};
pub use spec::{builtin_text, Profile, ProfileRef, BUILTIN};

#[cfg(test)]
mod tests;
