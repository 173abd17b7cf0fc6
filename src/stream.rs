//! Reading a month with its usage folded as it streams: runs of rows are converted and folded on
//! every core and their folds merged in file order ([`UsageFold`]). Memory holds a block of
//! usage at a time, never the month's.

use std::path::Path;

use billrecon_parser::{load_month_with, Loaded};
use billrecon_rules::{UsageFacts, UsageFold};

/// Loads the month (with a progress bar unless quiet) and folds its usage.
pub fn load(month_dir: &Path, quiet: bool) -> anyhow::Result<(Loaded, UsageFacts)> {
    let read = || load_month_with(month_dir, UsageFold::new);
    let (loaded, fold) = match crate::progress::Bar::new(quiet) {
        Some(bar) => billrecon_parser::progress::with(bar, read)?,
        None => read()?,
    };
    Ok((loaded, fold.facts))
}
