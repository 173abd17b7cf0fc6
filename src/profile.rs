//! `billrecon profile list|show|test`: the carrier profiles, and what a profile makes of a file.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context};

use billrecon_model::{InputReport, Rejection, UsageTable};
use billrecon_parser::archive::{self, Archive};
use billrecon_parser::manifest::input_ref;
use billrecon_parser::profile::{self, Captured, Profile, ProfileRef, BUILTIN};
use billrecon_parser::{tables, Archives, InputRef, ParseError};

use crate::emit::emit;
use crate::outcome::Outcome;

/// The built-in profiles, one per line.
pub fn list() -> anyhow::Result<Outcome> {
    let mut out = String::new();
    for (name, text) in BUILTIN {
        let p = Profile::parse(text, name)?;
        let _ = writeln!(out, "{name:<14} {}", p.description);
    }
    out.push_str("\nPrint one with `billrecon profile show NAME`, save it, adapt it, and name the file in billrecon.toml.\n");
    emit(&out)?;
    Ok(Outcome::Done)
}

/// Prints a built-in profile (or a profile file) as TOML, checked.
pub fn show(name: &str) -> anyhow::Result<Outcome> {
    let text = match profile::builtin_text(name) {
        Some(t) => t.to_string(),
        None => {
            let names: Vec<&str> = BUILTIN.iter().map(|(n, _)| *n).collect();
            if !Path::new(name).is_file() {
                bail!("`{name}` is not a built-in profile ({}) nor a profile file", names.join(", "));
            }
            std::fs::read_to_string(name).with_context(|| format!("cannot read {name}"))?
        }
    };
    Profile::parse(&text, name)?;
    emit(&text)?;
    Ok(Outcome::Done)
}

/// Reads `file` through one section of the profile (the one given, the one whose file name it
/// has, or the first whose columns it has) and prints its first rows as the canonical table they
/// become. A whole carrier download (`RDD.zip`) is tried file by file.
pub fn test(profile_name: &str, file: &str, section: Option<&str>, rows: usize) -> anyhow::Result<Outcome> {
    let p = ProfileRef(std::sync::Arc::new(Profile::resolve(profile_name, Path::new("."))?));
    if archive::is_zip(file) {
        return test_download(&p, file, section, rows);
    }
    let mut input = input_ref("FILE", file, Path::new("."), Some(p.clone())).map_err(anyhow::Error::msg)?;
    Archives::default().resolve(&mut input)?;
    let (rejected, text) = test_one(&p, &input, section, rows)?;
    emit(&text)?;
    Ok(if rejected { Outcome::Incomplete } else { Outcome::Done })
}

/// Every file of a download read through the section whose file it is.
fn test_download(p: &ProfileRef, file: &str, section: Option<&str>, rows: usize) -> anyhow::Result<Outcome> {
    let archive = Archive::open(Path::new(file), file)?;
    archive.check_download(&p.name, &p.files())?;
    let mut rejected = false;
    let mut text = String::new();
    for member in &archive.members {
        let Some(s) = p.section_of_file(member) else { continue };
        if section.is_some_and(|want| want != s) {
            continue;
        }
        let mut input =
            input_ref("FILE", &format!("{file}#{member}"), Path::new("."), Some(p.clone())).map_err(anyhow::Error::msg)?;
        Archives::default().resolve(&mut input)?;
        let (r, t) = test_one(p, &input, Some(s), rows)?;
        rejected |= r;
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&t);
    }
    if text.is_empty() {
        bail!("{file}: no file in the zip is one profile {} reads (it holds: {})", p.origin, archive.listing());
    }
    emit(&text)?;
    Ok(if rejected { Outcome::Incomplete } else { Outcome::Done })
}

/// One file through one section: whether rows were rejected, and the text to print.
fn test_one(p: &ProfileRef, input: &InputRef, section: Option<&str>, rows: usize) -> anyhow::Result<(bool, String)> {
    let sections: Vec<&str> = match section {
        Some(s) => {
            if !p.sections().any(|x| x == s) {
                bail!("profile {} has no [{s}] section (it maps: {})", p.origin, p.sections().collect::<Vec<_>>().join(", "));
            }
            vec![s]
        }
        // The section whose file this is, then every section in turn.
        None => {
            let own = p.section_of_file(input.file.member.as_deref().unwrap_or(&input.file.name));
            own.into_iter().chain(p.sections().filter(|s| Some(*s) != own)).collect()
        }
    };
    let mut misses = Vec::new();
    for s in &sections {
        let (result, captured) = profile::capture(rows, || read_section(input, s));
        match result {
            Ok((report, rejections)) => {
                return Ok((report.rejected > 0, render(p, s, &report, &rejections, &captured)));
            }
            Err(e @ (ParseError::MissingColumns { .. } | ParseError::NoHeader { .. } | ParseError::Empty { .. }))
                if section.is_none() =>
            {
                misses.push(format!("  [{s}]: {e}"));
            }
            Err(e) => return Err(e.into()),
        }
    }
    bail!("no section of profile {} fits {}:\n{}", p.origin, input.name(), misses.join("\n"))
}

fn read_section(input: &InputRef, section: &str) -> Result<(InputReport, Vec<Rejection>), ParseError> {
    match section {
        "summary" => tables::read_summary(input).map(|(_, r, j)| (r, j)),
        "charges" => tables::read_charges(input, 0).map(|(_, r, j)| (r, j)),
        "lines" => tables::read_lines(input).map(|(_, r, j)| (r, j)),
        "allowances" => tables::read_allowances(input).map(|(_, r, j)| (r, j)),
        "usage" => billrecon_parser::usage::read_usage(input, &mut UsageTable::default()),
        // No month here: a fleet list's rows are shown covering a period of its own.
        "inventory" => {
            let any = billrecon_model::Period::month("2000-01").expect("a month");
            tables::read_inventory(input, &any, None).map(|(_, r, j)| (r, j))
        }
        "employees" => tables::read_employees(input).map(|(_, r, j)| (r, j)),
        "plans" => tables::read_plans(input).map(|(_, r, j)| (r, j)),
        _ => tables::read_attestations(input).map(|(_, r, j)| (r, j)),
    }
}

fn render(p: &Profile, section: &str, r: &InputReport, rejections: &[Rejection], c: &Captured) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} read as the [{section}] table of profile {}: header row {}, {} rows read, {} accepted, {} rejected, {} skipped, {} blank\n",
        r.file,
        p.origin,
        r.header_row,
        r.read,
        r.accepted,
        r.rejected,
        r.skipped,
        r.blank,
    );
    for skip in &r.skips {
        let rows: Vec<String> = skip.first_rows.iter().map(u32::to_string).collect();
        let more = if skip.rows > skip.first_rows.len() as u64 { ", ..." } else { "" };
        let _ = writeln!(out, "Skipped {}: {} (rows {}{more})", skip.rows, skip.reason, rows.join(", "));
    }
    if !r.skips.is_empty() {
        out.push('\n');
    }
    if c.rows.is_empty() {
        out.push_str("No canonical rows.\n");
    } else {
        let mut head: Vec<&str> = vec!["ROW"];
        head.extend(c.columns.iter().map(String::as_str));
        let rows: Vec<Vec<String>> =
            c.rows.iter().map(|(row, cells)| std::iter::once(row.to_string()).chain(cells.iter().cloned()).collect()).collect();
        let right: Vec<bool> = head.iter().map(|h| matches!(*h, "ROW" | "quantity" | "amount" | "charge")).collect();
        out.push_str(&billrecon_report::text::table(&head, &rows, &right));
        let _ = writeln!(out, "\n({} canonical rows shown; --rows N sets how many)", c.rows.len());
    }
    if !rejections.is_empty() {
        let _ = writeln!(out, "\nRejected rows ({}):", rejections.len());
        for j in rejections {
            let _ = writeln!(out, "{j}");
        }
    }
    out
}
