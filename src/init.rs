//! `billrecon init`: a month folder's manifest written from the files in it.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::bail;
use billrecon_parser::survey::{survey, Entry, Found};
use billrecon_parser::MANIFEST_FILE;

use crate::emit::emit;
use crate::outcome::Outcome;

pub fn run(dir: &Path, force: bool) -> anyhow::Result<Outcome> {
    if !dir.is_dir() {
        bail!("{}: not a folder (give the folder holding the carrier's download and the fleet list)", dir.display());
    }
    let target = dir.join(MANIFEST_FILE);
    if target.exists() && !force {
        bail!(
            "{}: a manifest is already there; billrecon init does not overwrite it (run with --force to replace it)",
            target.display()
        );
    }
    let s = survey(dir)?;
    let mut out = String::new();
    let _ = writeln!(out, "Looked at {} file(s) in {}:\n", s.entries.len(), dir.display());
    let rows: Vec<Vec<String>> = s.entries.iter().map(row).collect();
    out.push_str(&billrecon_report::text::table(&["FILE", "RECOGNIZED AS", "PLACED AS"], &rows, &[false, false, false]));
    let unplaced: Vec<&Entry> = s.entries.iter().filter(|e| e.unplaced()).collect();
    match &s.manifest {
        Ok(text) => {
            std::fs::write(&target, text).map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", target.display()))?;
            let _ = writeln!(out, "\nWrote {}:", target.display());
            for n in &s.notes {
                let _ = writeln!(out, "- {n}");
            }
            let _ = writeln!(
                out,
                "\nNext: set the three policy accounts marked SET-ME in {MANIFEST_FILE}, then run `billrecon check {}`.",
                dir.display()
            );
            if !unplaced.is_empty() {
                let _ = writeln!(
                    out,
                    "{} file(s) were not placed (above): add them to {MANIFEST_FILE} yourself if they belong to the month.",
                    unplaced.len()
                );
            }
            emit(&out)?;
            Ok(if unplaced.is_empty() { Outcome::Done } else { Outcome::Incomplete })
        }
        Err(why) => {
            emit(&out)?;
            bail!("{}: no manifest written: {why}", dir.display())
        }
    }
}

fn row(e: &Entry) -> Vec<String> {
    let (what, placed) = match &e.found {
        Found::Tables(kinds) => {
            let what = billrecon_parser::survey::describe_all(kinds);
            let placed = if e.placed.is_empty() {
                e.note.as_ref().map_or("not placed".to_string(), |n| format!("not placed: {n}"))
            } else {
                e.placed.join(", ")
            };
            (what, placed)
        }
        Found::Unrecognized { closest: Some((k, missing)) } => {
            (format!("not recognized: closest is {} ({})", k.describe(), missing.join(", ")), "not placed".into())
        }
        Found::Unrecognized { closest: None } => {
            ("not recognized: no header of any table billrecon reads".into(), "not placed".into())
        }
        Found::NotATable(why) => (why.clone(), "-".into()),
    };
    vec![e.name.clone(), what, placed]
}
