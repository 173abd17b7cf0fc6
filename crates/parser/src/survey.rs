//! `billrecon init`: a folder's files recognized by their headers, and the manifest that places
//! them.
//!
//! Every file of the folder is looked at (every file inside a zip, every sheet of a workbook):
//! its first rows are offered to the one header search ([`crate::header`]) for each table of
//! each built-in profile (carrier downloads, the fleet list) and for each canonical table. A
//! file is what it matches; a file that matches nothing is named with the table it came
//! closest to and the columns it lacks. The manifest then takes what was recognized: each
//! carrier download's tables as one invoice, usage reports, the inventory (or fleet list), and
//! the optional tables; its period from the first invoice's own bill period.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use billrecon_model::normalize_word;

use crate::error::ParseError;
use crate::header::HeaderSearch;
use crate::manifest::{input_ref, Archives, InputRef};
use crate::profile::{Profile, ProfileRef, BUILTIN};
use crate::source::archive::{self, Archive};
use crate::source::{FileRef, Format};
use crate::table::{Columns, Layout};
use crate::tables;

/// Rows looked at for a header (a title block above it included).
const PEEK_ROWS: usize = crate::header::HEADER_SEARCH_ROWS;

use crate::manifest::PLACEHOLDER;

/// One table a file can be: a profile's section, or a canonical table.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Kind {
    /// `None`: the canonical layout.
    pub profile: Option<String>,
    pub section: &'static str,
}

impl Kind {
    /// `verizon-rdd invoice charges`, `fleet list (inventory)`, `canonical usage`.
    pub fn describe(&self) -> String {
        let kind = tables::by_section(self.section).map_or(self.section, |s| s.kind);
        match self.profile.as_deref() {
            None => format!("canonical {kind}"),
            Some("fleet") => "fleet list (inventory)".to_string(),
            Some(p) => format!("{p} {kind}"),
        }
    }
}

/// The tables a file is, as one phrase: `verizon-rdd invoice charges + invoice allowances`.
pub fn describe_all(kinds: &[Kind]) -> String {
    let mut out = String::new();
    for (i, k) in kinds.iter().enumerate() {
        if i == 0 {
            out = k.describe();
        } else {
            out.push_str(" + ");
            out.push_str(tables::by_section(k.section).map_or(k.section, |s| s.kind));
        }
    }
    out
}

/// What a file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// The tables it is (a carrier's charges detail is its charges and its allowances).
    Tables(Vec<Kind>),
    /// Nothing fits: the table it came closest to and why it is not that table (`missing
    /// Wireless Number`, `has columns it does not: minutes`).
    Unrecognized { closest: Option<(Kind, Vec<String>)> },
    /// Not a table billrecon reads, and why.
    NotATable(String),
}

/// One file (a zip member, a workbook sheet) of the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// As the manifest names it: `Fleet.xlsx#Fleet`, `RDD.zip#AccountSummary`.
    pub name: String,
    pub found: Found,
    /// Where the manifest puts it: `invoice[1].summary`, `inputs.usage`, ...
    pub placed: Vec<String>,
    /// Why it was not placed, when it was recognized but could not be.
    pub note: Option<String>,
}

impl Entry {
    /// Whether the entry needs the clerk: not placed, and not merely another sheet of a
    /// workbook that was placed.
    pub fn unplaced(&self) -> bool {
        self.placed.is_empty() && !matches!(&self.found, Found::NotATable(r) if r.starts_with("another sheet"))
    }
}

/// The folder surveyed, and the manifest it gives.
#[derive(Debug, Clone)]
pub struct Survey {
    pub entries: Vec<Entry>,
    /// The manifest's text; `Err` says why none can be written.
    pub manifest: Result<String, String>,
    /// What the clerk should know about the manifest (period, a second invoice's period).
    pub notes: Vec<String>,
}

/// A candidate table: what to look for, and how the file is laid out.
struct Candidate {
    kind: Kind,
    profile: Option<ProfileRef>,
}

fn candidates() -> Result<Vec<Candidate>, ParseError> {
    let mut out = Vec::new();
    for (name, _) in BUILTIN {
        let p = ProfileRef(Arc::new(Profile::resolve(name, Path::new("."))?));
        for section in p.sections() {
            out.push(Candidate { kind: Kind { profile: Some(name.to_string()), section }, profile: Some(p.clone()) });
        }
    }
    for spec in tables::ALL {
        out.push(Candidate { kind: Kind { profile: None, section: spec.section }, profile: None });
    }
    Ok(out)
}

/// A file's first rows: line (or row) number and cell texts.
type Rows = Vec<(u32, Vec<String>)>;

/// A file as found: its manifest name, where it is, and its rows (per sheet for a workbook).
struct Peeked {
    name: String,
    file: FileRef,
}

/// Surveys `dir`: every file recognized and placed.
pub fn survey(dir: &Path) -> Result<Survey, ParseError> {
    let candidates = candidates()?;
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| ParseError::Open { file: dir.display().to_string(), reason: crate::error::io_reason(&e) })?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut entries = Vec::new();
    for name in names {
        let path = dir.join(&name);
        if name.starts_with('.') || name == crate::manifest::MANIFEST_FILE {
            continue;
        }
        if path.is_dir() {
            entries.push(not_a_table(&name, "a folder (folders are not searched)"));
            continue;
        }
        if archive::is_zip(&name) {
            let archive = match Archive::open(&path, &name) {
                Ok(a) => a,
                Err(e) => {
                    entries.push(not_a_table(&name, &e.to_string()));
                    continue;
                }
            };
            let mut members = archive.members.clone();
            members.sort();
            for m in members {
                let shown = format!("{name}#{m}");
                if archive::is_zip(&m) {
                    entries.push(not_a_table(&shown, "a zip inside a zip: unzip the outer one into this folder"));
                    continue;
                }
                let Some(format) = format_of(&m) else {
                    entries.push(not_a_table(&shown, "not a table file (CSV, TXT or XLSX)"));
                    continue;
                };
                let file = FileRef { name: shown.clone(), path: path.clone(), member: Some(m.clone()), sheet: None, format };
                entries.extend(recognize(&Peeked { name: shown, file }, &candidates));
            }
            continue;
        }
        let Some(format) = format_of(&name) else {
            entries.push(not_a_table(&name, "not a table file (CSV, TXT or XLSX)"));
            continue;
        };
        let file = FileRef { name: name.clone(), path, member: None, sheet: None, format };
        entries.extend(recognize(&Peeked { name, file }, &candidates));
    }
    let (manifest, notes) = place(dir, &mut entries);
    Ok(Survey { entries, manifest, notes })
}

fn not_a_table(name: &str, reason: &str) -> Entry {
    Entry { name: name.to_string(), found: Found::NotATable(reason.to_string()), placed: vec![], note: None }
}

fn format_of(name: &str) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        Some(Format::Xlsx)
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") || lower.ends_with(".tsv") {
        Some(Format::Csv)
    } else {
        None
    }
}

/// How close a row is to being a candidate's header: the row's cells that are the candidate's
/// columns, over the row's cells and the required columns it lacks (1 = exactly its header).
fn closeness(columns: &Columns<'_>, fields: &[String], missing: usize) -> f64 {
    let known: Vec<String> = columns.columns().map(normalize_word).collect();
    let cells: Vec<String> = fields.iter().filter(|f| !f.trim().is_empty()).map(|f| normalize_word(f)).collect();
    let hits = cells.iter().filter(|c| known.contains(c)).count();
    hits as f64 / (cells.len() + missing).max(1) as f64
}

/// The header match of one candidate over a file's first rows: the header's cells when found,
/// else how close the closest row came and what it lacks. A canonical table matches only when
/// every column of its header is one of the table's own (it has only two to four required
/// columns, which many other files hold too).
fn try_header<'r>(
    columns: &Columns<'_>,
    layout: &Layout,
    rows: &'r [(u32, Vec<String>)],
    label: &str,
    canonical: bool,
) -> Result<&'r [String], (f64, Vec<String>)> {
    let mut search = HeaderSearch::new(columns, label);
    for (row, fields) in rows {
        if *row <= layout.skip_rows || fields.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        match search.offer(*row, fields.clone()) {
            Ok(Some(_)) => {
                let known: Vec<String> = columns.columns().map(normalize_word).collect();
                let extra: Vec<String> = fields
                    .iter()
                    .filter(|f| !f.trim().is_empty() && !known.contains(&normalize_word(f)))
                    .map(|f| f.trim().to_string())
                    .collect();
                if canonical && !extra.is_empty() {
                    return Err((closeness(columns, fields, 0), vec![format!("has columns it does not: {}", extra.join(", "))]));
                }
                return Ok(fields);
            }
            Ok(None) => {}
            Err(_) => break,
        }
    }
    match search.closest() {
        Some((_, missing, fields)) => {
            Err((closeness(columns, fields, missing.len()), vec![format!("missing {}", missing.join(", "))]))
        }
        None => Err((0.0, vec![])),
    }
}

/// A file (every sheet of a workbook) against every candidate.
fn recognize(p: &Peeked, candidates: &[Candidate]) -> Vec<Entry> {
    // Rows per sheet (one unnamed "sheet" for a text file, read per layout).
    let sheets: Vec<(Option<String>, Option<Rows>)> = match p.file.format {
        Format::Xlsx => match crate::source::xlsx::peek(&p.file, PEEK_ROWS) {
            Ok(s) => s.into_iter().map(|(n, rows)| (Some(n), Some(rows))).collect(),
            Err(e) => return vec![not_a_table(&p.name, &e.to_string())],
        },
        Format::Csv => vec![(None, None)],
    };
    let mut text_rows: BTreeMap<(u8, Option<u8>, bool), Result<Rows, String>> = BTreeMap::new();
    let mut out = Vec::new();
    for (sheet, rows) in &sheets {
        let name = match sheet {
            Some(s) => format!("{}#{s}", p.name),
            None => p.name.clone(),
        };
        let mut matched: Vec<(usize, Kind)> = Vec::new();
        let mut closest: Option<(f64, Kind, Vec<String>)> = None;
        let mut unreadable: Option<String> = None;
        for c in candidates {
            let default = Layout::default();
            let spec = tables::by_section(c.kind.section).expect("a canonical section");
            let (columns, layout) = match &c.profile {
                Some(pr) => match pr.header(c.kind.section) {
                    Some(h) => h,
                    None => continue,
                },
                None => (spec.as_columns(), &default),
            };
            let rows: &[(u32, Vec<String>)] = match rows {
                Some(r) => r,
                None => {
                    let key = (layout.delimiter, layout.quote, layout.encoding == crate::table::Encoding::Windows1252);
                    let got = text_rows
                        .entry(key)
                        .or_insert_with(|| crate::source::csv::peek(&p.file, layout, PEEK_ROWS).map_err(|e| e.to_string()));
                    match got {
                        Ok(r) => r,
                        Err(e) => {
                            unreadable.get_or_insert_with(|| e.clone());
                            continue;
                        }
                    }
                }
            };
            match try_header(&columns, layout, rows, &name, c.profile.is_none()) {
                Ok(_) => matched.push((columns.required.len(), c.kind.clone())),
                Err((score, why)) => {
                    if score > 0.0 && closest.as_ref().is_none_or(|(best, _, _)| score > *best) {
                        closest = Some((score, c.kind.clone(), why));
                    }
                }
            }
        }
        let found = if matched.is_empty() {
            match unreadable {
                Some(e) if closest.is_none() => Found::NotATable(e),
                _ => Found::Unrecognized { closest: closest.map(|(_, k, m)| (k, m)) },
            }
        } else {
            // The most specific match decides whose table the file is; other tables of the same
            // profile the file also is (a charges detail's allowances) come with it.
            matched.sort_by_key(|m| std::cmp::Reverse(m.0));
            let owner = matched[0].1.profile.clone();
            let mut kinds: Vec<Kind> = matched.iter().filter(|(_, k)| k.profile == owner).map(|(_, k)| k.clone()).collect();
            if owner.is_none() {
                kinds.truncate(1);
            }
            let order = |k: &Kind| tables::ALL.iter().position(|t| t.section == k.section);
            kinds.sort_by_key(order);
            Found::Tables(kinds)
        };
        out.push(Entry { name, found, placed: vec![], note: None });
    }
    // A workbook whose other sheets are tables: a sheet that is none is simply another sheet.
    if out.len() > 1 && out.iter().any(|e| matches!(e.found, Found::Tables(_))) {
        for e in &mut out {
            if matches!(e.found, Found::Unrecognized { .. }) {
                e.found = Found::NotATable("another sheet of a workbook whose tables were found".into());
            }
        }
    }
    out
}

/// The manifest path of an entry: a zip member by its stem when a profile names its files.
fn manifest_path(e: &Entry, kind: &Kind) -> String {
    let Some((zip, member)) = e.name.split_once('#').filter(|(z, _)| archive::is_zip(z)) else {
        return e.name.clone();
    };
    if kind.profile.is_some() && format_of(member) == Some(Format::Csv) {
        return format!("{zip}#{}", archive::stem_and_month(member).0);
    }
    e.name.clone()
}

/// TOML for a value: a quoted string.
fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// An input as the manifest writes it: the path alone, or with its profile.
fn input_toml(path: &str, profile: Option<&str>) -> String {
    match profile {
        None => q(path),
        Some(p) => format!("{{ path = {}, profile = {} }}", q(path), q(p)),
    }
}

#[derive(Default)]
struct InvoiceDraft {
    profile: Option<String>,
    summary: Option<(usize, String)>,
    charges: Option<(usize, String)>,
    lines: Option<(usize, String)>,
    allowances: Option<(usize, String)>,
}

/// The user-defined label of an AT&T raw data output that names an account code (the first of
/// COST CENTER, GL CODE, ACCOUNT CODE, as a fleet list's account code is found), from the
/// foundation account's row near the top of the file: its number (1-4) and name.
fn att_account_label(path: &Path) -> Option<(u8, String)> {
    use std::io::Read;
    let mut head = Vec::new();
    std::fs::File::open(path).ok()?.take(1 << 20).read_to_end(&mut head).ok()?;
    let text = String::from_utf8_lossy(&head);
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next()?.split('|').map(str::trim).collect();
    let at = |name: &str| header.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (section, level) = (at("Section ID")?, at("Billing Entity Level")?);
    let labels: Vec<(u8, usize)> = (1..=4u8).filter_map(|n| Some((n, at(&format!("FAN User Defined Label {n}"))?))).collect();
    for row in lines {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        if cells.get(section) != Some(&"SL") || cells.get(level) != Some(&"FAN") {
            continue;
        }
        let named: Vec<(u8, &str)> =
            labels.iter().filter_map(|(n, c)| cells.get(*c).filter(|v| !v.is_empty()).map(|v| (*n, *v))).collect();
        for want in ["COST CENTER", "GL CODE", "ACCOUNT CODE"] {
            if let Some((n, v)) = named.iter().find(|(_, v)| normalize_word(v) == normalize_word(want)) {
                return Some((*n, v.to_string()));
            }
        }
    }
    None
}

/// Places the recognized entries and writes the manifest.
fn place(dir: &Path, entries: &mut [Entry]) -> (Result<String, String>, Vec<String>) {
    let mut notes = Vec::new();
    // Carrier downloads: a profile's tables from one zip (or the folder itself) are one invoice.
    let mut groups: BTreeMap<(String, String), InvoiceDraft> = BTreeMap::new();
    let mut canon_summaries: Vec<(usize, String)> = Vec::new();
    let mut canon_charges: Vec<(usize, String)> = Vec::new();
    let mut usage: Vec<(usize, String, Option<String>)> = Vec::new();
    let mut inventory: Vec<(usize, String, Option<String>)> = Vec::new();
    let mut optional: BTreeMap<&'static str, Vec<(usize, String)>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        let Found::Tables(kinds) = &e.found else { continue };
        for k in kinds {
            let path = manifest_path(e, k);
            match (k.profile.as_deref(), k.section) {
                (_, "usage") => usage.push((i, path, k.profile.clone())),
                (_, "inventory") => inventory.push((i, path, k.profile.clone())),
                (None, "summary") => canon_summaries.push((i, path)),
                (None, "charges") => canon_charges.push((i, path)),
                (None, s @ ("employees" | "plans" | "attestations")) => optional.entry(s).or_default().push((i, path)),
                (Some(p), s @ ("summary" | "charges" | "lines" | "allowances")) => {
                    let container = e.name.split_once('#').filter(|(z, _)| archive::is_zip(z)).map_or("", |(z, _)| z);
                    let g = groups.entry((p.to_string(), container.to_string())).or_default();
                    g.profile = Some(p.to_string());
                    let slot = match s {
                        "summary" => &mut g.summary,
                        "charges" => &mut g.charges,
                        "lines" => &mut g.lines,
                        _ => &mut g.allowances,
                    };
                    slot.get_or_insert((i, path));
                }
                _ => {}
            }
        }
    }
    // Canonical invoices: a summary with the charges of the same workbook, else of the name
    // that says `charges` where it says `summary`, else the only one.
    let mut canon: Vec<InvoiceDraft> = Vec::new();
    let mut free: Vec<(usize, String)> = canon_charges.clone();
    for (i, s) in &canon_summaries {
        let file = |p: &str| p.split('#').next().unwrap_or("").to_string();
        let pick = free
            .iter()
            .position(|(_, c)| file(c) == file(s) && c != s)
            .or_else(|| free.iter().position(|(_, c)| file(c) == file(s).replace("summary", "charges")))
            .or_else(|| (canon_summaries.len() == 1 && free.len() == 1).then_some(0));
        if let Some(k) = pick {
            let c = free.remove(k);
            canon.push(InvoiceDraft { summary: Some((*i, s.clone())), charges: Some(c), ..InvoiceDraft::default() });
        }
    }
    let mut invoices: Vec<InvoiceDraft> = Vec::new();
    for (_, g) in groups {
        if g.summary.is_some() && g.charges.is_some() {
            invoices.push(g);
        } else {
            let lacks = if g.summary.is_none() { "its invoice summary" } else { "its charges" };
            for (i, _) in [g.summary, g.charges, g.lines, g.allowances].into_iter().flatten() {
                entries[i].note = Some(format!("a carrier invoice without {lacks} in the same download"));
            }
        }
    }
    invoices.extend(canon);
    for (i, _) in canon_summaries.iter().chain(free.iter()) {
        if !invoices
            .iter()
            .any(|d| d.summary.as_ref().is_some_and(|s| s.0 == *i) || d.charges.as_ref().is_some_and(|s| s.0 == *i))
        {
            entries[*i].note =
                Some("an invoice table with no partner (a summary needs its charges, and charges their summary)".into());
        }
    }
    let mut text = String::from(
        "# Written by `billrecon init` from the files in this folder, each recognized by its header.\n\
         # Review it, set the policy accounts marked SET-ME, then run `billrecon check` on this folder.\n",
    );
    // The period: the first invoice's bill period as its summary states it.
    let Some(first) = invoices.first() else {
        return (Err("no carrier invoice was recognized: a month needs at least one (a summary and its charges)".into()), notes);
    };
    let period = match read_period(dir, first) {
        Ok(p) => p,
        Err(e) => return (Err(e), notes),
    };
    match &period {
        Period::Cycle(s, e) => {
            text.push_str(&format!("period_start = \"{s}\"\nperiod_end = \"{e}\"\n"));
            notes.push(format!("period {s} to {e}, the bill period of invoice 1"));
        }
        Period::Month(m) => {
            text.push_str(&format!("period = \"{m}\"\n"));
            notes.push(format!("period {m}, the month of invoice 1's date (its summary states no bill period)"));
        }
    }
    for (n, inv) in invoices.iter().enumerate() {
        let key = format!("invoice[{}]", n + 1);
        text.push_str("\n[[invoice]]\n");
        if let Some(p) = &inv.profile {
            text.push_str(&format!("profile = {}\n", q(p)));
        }
        for (field, slot) in
            [("summary", &inv.summary), ("charges", &inv.charges), ("lines", &inv.lines), ("allowances", &inv.allowances)]
        {
            if let Some((i, path)) = slot {
                text.push_str(&format!("{field} = {}\n", q(path)));
                entries[*i].placed.push(format!("{key}.{field}"));
            }
        }
        if n > 0 {
            if let Ok(p) = read_period(dir, inv) {
                if p != period {
                    notes.push(format!(
                        "invoice {}'s bill period ({}) differs from invoice 1's: the manifest uses invoice 1's",
                        n + 1,
                        p
                    ));
                }
            }
        }
    }
    text.push_str("\n[inputs]\n");
    if usage.is_empty() {
        return (Err("no usage report was recognized: a month needs at least one (the carrier's call detail)".into()), notes);
    }
    let list: Vec<String> = usage.iter().map(|(_, p, prof)| input_toml(p, prof.as_deref())).collect();
    text.push_str(&format!("usage = [\n  {},\n]\n", list.join(",\n  ")));
    for (i, _, _) in &usage {
        entries[*i].placed.push("inputs.usage".into());
    }
    // The agency's own list first: a bill read as the inventory (its user-defined labels) only
    // when nothing else says who has each line, and only when a label names an account code.
    inventory.sort_by_key(|(_, _, p)| p.as_deref() == Some("att-raw-data"));
    let mut bill_account: Option<(u8, String)> = None;
    if let Some((i, _, Some(p))) = inventory.first() {
        if p == "att-raw-data" {
            match att_account_label(&dir.join(&entries[*i].name)) {
                Some(found) => bill_account = Some(found),
                None => {
                    entries[*i].note = Some(
                        "also an inventory, by its user-defined labels, but no label names an account code (COST CENTER, GL CODE, ACCOUNT CODE)"
                            .into(),
                    );
                    inventory.remove(0);
                }
            }
        }
    }
    let Some((inv_i, inv_path, inv_profile)) = inventory.first().cloned() else {
        return (
            Err("no inventory or fleet list was recognized: a month needs to know who has each line (save the fleet list in this folder)".into()),
            notes,
        );
    };
    let mut inv_value = input_toml(&inv_path, inv_profile.as_deref());
    if inv_profile.as_deref() == Some("fleet") {
        let e = &entries[inv_i];
        let (file, sheet) = e.name.split_once('#').map_or((e.name.as_str(), None), |(f, s)| (f, Some(s)));
        let fr = FileRef {
            name: file.to_string(),
            path: dir.join(file),
            member: None,
            sheet: sheet.map(str::to_string),
            format: Format::Xlsx,
        };
        if format_of(file) == Some(Format::Xlsx) {
            if let Some(d) = crate::source::xlsx::saved_on(&fr) {
                inv_value = format!("{{ path = {}, profile = \"fleet\", as_of = \"{d}\" }}", q(&inv_path));
                notes.push(format!(
                    "lines assigned for the whole period per the fleet list of {d} (the date the workbook was saved)"
                ));
            }
        }
    }
    if let Some((n, label)) = &bill_account {
        let column = format!("Service ID {n} (UDL {n} - CTN Level)");
        inv_value = format!("{{ path = {}, profile = \"att-raw-data\", account_column = {} }}", q(&inv_path), q(&column));
        notes.push(format!(
            "each line of the AT&T bill assigned for the whole period to its {label} (user-defined label {n}); the bill names no employee ids, so what a holder would repay stays with the program: add a fleet list to name them"
        ));
    }
    text.push_str(&format!("inventory = {inv_value}\n"));
    entries[inv_i].placed.push("inputs.inventory".into());
    for (i, _, _) in inventory.iter().skip(1) {
        entries[*i].note = Some("a second inventory: a month reads one".into());
    }
    for (key, found) in &optional {
        let (i, path) = &found[0];
        text.push_str(&format!("{key} = {}\n", q(path)));
        entries[*i].placed.push(format!("inputs.{key}"));
        for (j, _) in found.iter().skip(1) {
            entries[*j].note = Some(format!("a second {key} table: a month reads one"));
        }
    }
    text.push_str(&format!(
        "\n[policy]\n\
         # Your agency's account codes: billrecon posts unassigned lines to suspense, what employees\n\
         # owe to their receivable, and the carrier's bill to payables. `check` flags every {PLACEHOLDER}.\n\
         suspense_account = \"{PLACEHOLDER}: suspense account\"\n\
         employee_receivable_account = \"{PLACEHOLDER}: employee receivable account\"\n\
         payable_account = \"{PLACEHOLDER}: accounts payable account\"\n"
    ));
    for e in entries.iter_mut() {
        if matches!(e.found, Found::Tables(_)) && e.placed.is_empty() && e.note.is_none() {
            e.note = Some("recognized, but the manifest has no place for it".into());
        }
    }
    (Ok(text), notes)
}

/// A month's period as the manifest will write it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Period {
    Cycle(chrono::NaiveDate, chrono::NaiveDate),
    Month(String),
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Period::Cycle(s, e) => write!(f, "{s} to {e}"),
            Period::Month(m) => f.write_str(m),
        }
    }
}

/// The bill period an invoice's summary states (else the month of its date).
fn read_period(dir: &Path, inv: &InvoiceDraft) -> Result<Period, String> {
    let Some((_, path)) = &inv.summary else { return Err("an invoice without a summary".into()) };
    let profile = match &inv.profile {
        Some(p) => Some(ProfileRef(Arc::new(Profile::resolve(p, dir).map_err(|e| e.to_string())?))),
        None => None,
    };
    let mut input: InputRef = input_ref("invoice[1].summary", path, dir, profile)?;
    Archives::default().resolve(&mut input).map_err(|e| e.to_string())?;
    let (s, _, _) = tables::read_summary(&input).map_err(|e| e.to_string())?;
    match (s.period_start, s.period_end, s.invoice_date) {
        (Some(a), Some(b), _) => Ok(Period::Cycle(a, b)),
        // Only the end (AT&T's raw data output): the month the bill period ends in, not the
        // month it was invoiced in (a bill of October is invoiced in November).
        (None, Some(b), _) => Ok(Period::Month(b.format("%Y-%m").to_string())),
        (_, _, Some(d)) => Ok(Period::Month(d.format("%Y-%m").to_string())),
        _ => Err(format!(
            "{path}: the invoice summary states neither its bill period nor its date: write the manifest's period yourself"
        )),
    }
}
