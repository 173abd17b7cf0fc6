//! `billrecon check`: how every input was read.

use std::fmt::Write as _;
use std::path::Path;

use billrecon_parser::usage::Outside;
use billrecon_parser::Loaded;

use crate::cli::OutputFormat;
use crate::emit::emit;
use crate::outcome::Outcome;

pub fn run(month_dir: &Path, format: OutputFormat) -> anyhow::Result<Outcome> {
    // Rows are counted and checked as they stream; none are kept.
    let checked = billrecon_pipeline::check(month_dir)?;
    let (loaded, dates) = (&checked.loaded, &checked.outside);
    let text = match format {
        OutputFormat::Text => render_text(loaded, dates),
        OutputFormat::Json => render_json(loaded, dates)?,
    };
    emit(&text)?;
    Ok(Outcome::Month(checked.attention()))
}

/// What check says of usage dated outside the period: nothing when all is inside.
fn outside_lines(l: &Loaded, o: &Outside) -> Vec<String> {
    let p = &l.month.period;
    let Some((at, date)) = &o.first else { return vec![] };
    let mut v = vec![format!(
        "{} of {} usage rows are dated outside the period {} to {} (the first: {at}, {date}); they count only where the carrier charged them.",
        o.outside, o.rows, p.start, p.end
    )];
    if o.outside == o.rows {
        v.push(format!("No usage row is dated in the period: is the manifest's period right ({})?", l.manifest.path.display()));
    }
    v
}

/// The policy accounts still holding `billrecon init`'s placeholder, as sentences.
pub fn placeholder_lines(l: &Loaded) -> Vec<String> {
    l.manifest
        .placeholders
        .iter()
        .map(|k| {
            format!(
                "{}: {k} is still the placeholder `billrecon init` wrote: set it to your agency's account code before posting the journal",
                l.manifest.path.display()
            )
        })
        .collect()
}

/// An input as its messages name it: `FILE`, or `FILE:SHEET` for a workbook's sheet.
fn file_label(i: &billrecon_model::InputReport) -> String {
    match &i.sheet {
        Some(s) => format!("{}:{s}", i.file),
        None => i.file.clone(),
    }
}

fn render_text(l: &Loaded, o: &Outside) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Month {} ({} to {}, {} days)\n",
        l.month.period.label,
        l.month.period.start,
        l.month.period.end,
        l.month.period.days()
    );
    // The profile column appears only when some input was read through a carrier profile.
    let profiles = l.inputs.iter().any(|i| i.profile.is_some());
    let mut rows: Vec<Vec<String>> = l
        .inputs
        .iter()
        .map(|i| {
            let mut r = vec![
                i.kind.clone(),
                i.file.clone(),
                i.sheet.clone().unwrap_or_else(|| "-".into()),
                i.header_row.to_string(),
                i.read.to_string(),
                i.accepted.to_string(),
                i.rejected.to_string(),
                i.skipped.to_string(),
                i.blank.to_string(),
            ];
            if profiles {
                r.push(i.profile.clone().unwrap_or_else(|| "canonical".into()));
            }
            r
        })
        .collect();
    let sum = |f: fn(&billrecon_model::InputReport) -> u64| l.inputs.iter().map(f).sum::<u64>().to_string();
    let mut total = vec![
        "total".into(),
        String::new(),
        String::new(),
        String::new(),
        sum(|i| i.read),
        sum(|i| i.accepted),
        sum(|i| i.rejected),
        sum(|i| i.skipped),
        sum(|i| i.blank),
    ];
    let mut head = vec!["INPUT", "FILE", "SHEET", "HEADER ROW", "READ", "ACCEPTED", "REJECTED", "SKIPPED", "BLANK"];
    let mut right = vec![false, false, false, true, true, true, true, true, true];
    if profiles {
        total.push(String::new());
        head.push("PROFILE");
        right.push(false);
    }
    rows.push(total);
    out.push_str(&billrecon_report::text::table(&head, &rows, &right));
    let skipped: u64 = l.inputs.iter().map(|i| i.skipped).sum();
    if skipped > 0 {
        let _ = writeln!(out, "\nSkipped rows ({skipped}), not records of their table:");
        for i in l.inputs.iter().filter(|i| i.skipped > 0) {
            let file = file_label(i);
            for s in &i.skips {
                let rows: Vec<String> = s.first_rows.iter().map(u32::to_string).collect();
                let more = if s.rows > s.first_rows.len() as u64 { ", ..." } else { "" };
                let _ = writeln!(out, "{file}: {} × {} (rows {}{more})", s.rows, s.reason, rows.join(", "));
            }
        }
    }
    if !l.month.invoices.is_empty() {
        let _ = writeln!(out, "\nInvoices ({}):", l.month.invoices.len());
        for inv in &l.month.invoices {
            let s = &inv.summary;
            let _ = writeln!(
                out,
                "{} account {} invoice {}: current charges {}, total due {}",
                s.carrier,
                s.account_number,
                s.invoice_number,
                billrecon_report::money(s.current_charges),
                billrecon_report::money(s.total_due)
            );
        }
    }
    let short: Vec<&billrecon_model::InputReport> = l.inputs.iter().filter(|i| i.short > 0).collect();
    if !short.is_empty() {
        let _ = writeln!(out, "\nShort rows (the tool that wrote them dropped trailing empty fields):");
        for i in short {
            let file = file_label(i);
            let rows = if i.short == 1 { "row" } else { "rows" };
            let _ = writeln!(out, "{file}: {} {rows} short of trailing empty columns, read as empty", i.short);
        }
    }
    let outside = outside_lines(l, o);
    if !outside.is_empty() {
        out.push('\n');
        for line in &outside {
            let _ = writeln!(out, "{line}");
        }
    }
    let unset = placeholder_lines(l);
    if !unset.is_empty() {
        let _ = writeln!(out, "\nPolicy accounts to set ({}):", unset.len());
        for u in &unset {
            let _ = writeln!(out, "{u}");
        }
    }
    if l.rejections.is_empty() {
        out.push_str("\nEvery row was accepted.\n");
    } else {
        let _ = writeln!(out, "\nRejected rows ({}):", l.rejections.len());
        for r in &l.rejections {
            // A corrupt cell's control characters are shown, never sent to the terminal.
            let _ = writeln!(out, "{}", billrecon_report::safe::visible(&r.to_string()));
        }
    }
    out
}

fn render_json(l: &Loaded, o: &Outside) -> anyhow::Result<String> {
    let rejected: Vec<serde_json::Value> = l
        .rejections
        .iter()
        .map(|r| {
            serde_json::json!({
                "source": r.source.to_string(),
                "file": &*r.source.file,
                "sheet": r.source.sheet.as_deref(),
                "row": r.source.row,
                "column": r.column,
                "reason": r.reason,
                "message": r.to_string(),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "period": l.month.period.label,
        "period_start": l.month.period.start.to_string(),
        "period_end": l.month.period.end.to_string(),
        "inputs": l.inputs,
        "totals": {
            "read": l.inputs.iter().map(|i| i.read).sum::<u64>(),
            "accepted": l.inputs.iter().map(|i| i.accepted).sum::<u64>(),
            "rejected": l.inputs.iter().map(|i| i.rejected).sum::<u64>(),
            "skipped": l.inputs.iter().map(|i| i.skipped).sum::<u64>(),
            "blank": l.inputs.iter().map(|i| i.blank).sum::<u64>(),
        },
        "rejected": rejected,
        "unset_policy": l.manifest.placeholders,
        "usage_outside_period": o.outside,
    });
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}
