//! Carrier profiles: a small TOML file that maps a carrier's own export onto a canonical table,
//! in the spirit of hledger's CSV rules. `docs/profiles.md` documents every key.
//!
//! A profile is compiled once (patterns checked, every required canonical field accounted for)
//! and then read by [`read`], which turns each source row into the canonical cells the table
//! converters of [`crate::tables`] already accept. So a carrier file is validated by exactly the
//! same code as a canonical one, and its rejections still name the carrier's own columns.

mod apply;
mod spec;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use std::sync::Arc;

pub use apply::{capture, read, Captured};
pub(crate) use spec::TableProfile;

use billrecon_model::normalize_word;

use crate::error::ParseError;

/// The profiles shipped inside the binary: name and TOML text.
pub const BUILTIN: &[(&str, &str)] = &[
    ("verizon-rdd", include_str!("../../profiles/verizon-rdd.toml")),
    ("att-premier", include_str!("../../profiles/att-premier.toml")),
];

/// The built-in profile of that name, as TOML text.
pub fn builtin_text(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// A compiled profile.
#[derive(Debug)]
pub struct Profile {
    pub name: String,
    pub description: String,
    /// Where it came from: a built-in name or the file's path as the user wrote it.
    pub origin: String,
    tables: BTreeMap<&'static str, TableProfile>,
}

impl Profile {
    /// A built-in name, or a path (relative to `base`) to a profile TOML file.
    pub fn resolve(name: &str, base: &Path) -> Result<Profile, ParseError> {
        if let Some(text) = builtin_text(name) {
            return Profile::parse(text, name);
        }
        let path = base.join(name);
        let looks_like_file = name.ends_with(".toml") || name.contains('/') || name.contains('\\');
        if !looks_like_file || !path.exists() {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            return Err(ParseError::Profile {
                origin: name.to_string(),
                reason: format!("not a built-in profile ({}) nor a profile file", names.join(", ")),
            });
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ParseError::Open { file: name.to_string(), reason: crate::error::io_reason(&e) })?;
        Profile::parse(&text, name)
    }

    /// Compiles profile TOML; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Profile, ParseError> {
        spec::compile(text, origin)
    }

    /// The canonical tables this profile maps, by section name (`summary`, `charges`, ...).
    pub fn sections(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.tables.keys().copied()
    }

    pub(crate) fn table(&self, section: &str) -> Option<&TableProfile> {
        self.tables.get(section)
    }

    /// The file name stems the profile's tables come in (`AccountSummary`, ...): what a carrier
    /// download holds.
    pub fn files(&self) -> Vec<&str> {
        // In the order the profile's tables are documented (summary, charges, lines, usage, ...).
        crate::tables::ALL.iter().filter_map(|spec| self.tables.get(spec.section)).filter_map(|t| t.file.as_deref()).collect()
    }

    /// The section whose file a file name is (`AccountSummary_202401.txt` is the `summary`).
    pub fn section_of_file(&self, name: &str) -> Option<&'static str> {
        let stem = normalize_word(crate::archive::stem_and_month(name).0);
        self.tables.iter().find(|(_, t)| t.file.as_deref().is_some_and(|f| normalize_word(f) == stem)).map(|(s, _)| *s)
    }
}

/// A shared profile on an input; two are equal when they come from the same place.
#[derive(Clone)]
pub struct ProfileRef(pub Arc<Profile>);

impl PartialEq for ProfileRef {
    fn eq(&self, other: &Self) -> bool {
        self.0.origin == other.0.origin
    }
}

impl Eq for ProfileRef {}

impl fmt::Debug for ProfileRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "profile {}", self.0.origin)
    }
}

impl std::ops::Deref for ProfileRef {
    type Target = Profile;
    fn deref(&self) -> &Profile {
        &self.0
    }
}

#[cfg(test)]
mod tests;
