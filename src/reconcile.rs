//! `billrecon reconcile`: the month end to end, outputs written under `--out`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{bail, Context};
use billrecon_report::{Reconciliation, ReportError};

use crate::emit::emit;
use crate::outcome::Outcome;

/// Written into every output folder, so a rerun may replace what a previous run wrote.
const MARKER: &str = ".billrecon-output";

pub fn run(
    month_dir: &Path,
    out: &Path,
    as_of: Option<chrono::NaiveDate>,
    quiet: bool,
    timings: bool,
    ledger: Option<&Path>,
) -> anyhow::Result<Outcome> {
    let mut clock = Timings::new(timings);
    let read = crate::progress::read_month(month_dir, quiet)?;
    clock.lap("read and fold the inputs");
    // With a ledger, its history adds the history findings; without, exactly the month's own.
    let history = crate::ledger::history_for(ledger, &read.loaded.month)?;
    let evaluated = read.evaluate(history.as_ref());
    clock.lap("rules");
    let run = evaluated.chargeback()?;
    clock.lap("chargeback");
    let rec = run.reconciliation(run.as_of(as_of));
    prepare(out)?;
    let written = std::sync::atomic::AtomicUsize::new(0);
    let folders = std::sync::Mutex::new(std::collections::BTreeSet::new());
    rec.write_files(|f| {
        let path = out.join(&f.path);
        let failed = |reason: String| ReportError::Write { path: path.display().to_string(), reason };
        if let Some(dir) = path.parent() {
            let mut made = folders.lock().map_err(|_| failed("an output writer failed".into()))?;
            if !made.contains(dir) {
                std::fs::create_dir_all(dir).map_err(|e| failed(format!("cannot create its folder: {e}")))?;
                made.insert(dir.to_path_buf());
            }
        }
        std::fs::write(&path, &f.bytes).map_err(|e| failed(format!("cannot write: {e}")))?;
        written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Ok(())
    })?;
    clock.lap("render and write the outputs");
    clock.report();

    let attention = run.attention();
    if !quiet {
        emit(&report(&rec, written.into_inner(), out, attention.rejected_rows))?;
    }
    // A journal posting to a placeholder account must not go unnoticed, even when quiet.
    for u in crate::check::placeholder_lines(&read.loaded) {
        eprintln!("{u}");
    }
    Ok(Outcome::Month(attention))
}

/// Stage wall times, kept only when `--timings` asks for the clock.
struct Timings {
    last: Option<std::time::Instant>,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Timings {
    fn new(on: bool) -> Timings {
        Timings { last: on.then(std::time::Instant::now), laps: Vec::new() }
    }

    fn lap(&mut self, stage: &'static str) {
        if let Some(last) = self.last {
            let now = std::time::Instant::now();
            self.laps.push((stage, now - last));
            self.last = Some(now);
        }
    }

    fn report(&self) {
        if self.last.is_none() {
            return;
        }
        let mut s = String::from("timings:\n");
        for (stage, d) in &self.laps {
            let _ = writeln!(s, "  {stage:<32} {:>8.3} s", d.as_secs_f64());
        }
        let total: std::time::Duration = self.laps.iter().map(|l| l.1).sum();
        let _ = writeln!(s, "  {:<32} {:>8.3} s", "total", total.as_secs_f64());
        eprint!("{s}");
    }
}

/// Creates `out`, or empties what a previous run wrote there; refuses any other non-empty folder.
fn prepare(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        if !out.is_dir() {
            bail!("{}: --out must be a folder", out.display());
        }
        let mut entries = std::fs::read_dir(out).with_context(|| format!("{}: cannot read", out.display()))?.peekable();
        if entries.peek().is_some() {
            if !out.join(MARKER).exists() {
                bail!(
                    "{}: the folder is not empty and was not written by billrecon; choose an empty or new folder",
                    out.display()
                );
            }
            for e in std::fs::read_dir(out)? {
                let p = e?.path();
                if p.is_dir() {
                    std::fs::remove_dir_all(&p)?;
                } else {
                    std::fs::remove_file(&p)?;
                }
            }
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("{}: cannot create the folder", out.display()))?;
    std::fs::write(out.join(MARKER), "Written by billrecon reconcile; a rerun replaces everything in this folder.\n")?;
    Ok(())
}

fn report(r: &Reconciliation<'_>, files: usize, out: &Path, rejected: u64) -> String {
    let mut s = billrecon_report::text::month_summary(r, "Reconciled", rejected);
    s.truncate(s.trim_end().len());
    s.push_str("; see findings.csv\n");
    let _ = writeln!(s, "Wrote {files} files to {}", out.display());
    s
}
