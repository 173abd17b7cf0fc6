//! Reading a whole month: the manifest, then every input it names.
//!
//! Usage is read last and handed to a [`UsageSink`] a block at a time, so a caller can fold it
//! as it streams (a statewide month's 20 million rows never sit in memory) or keep it all
//! ([`load_month`]). Reports and rejections are always in manifest order.

use std::path::Path;

use billrecon_model::{InputReport, Invoice, Month, Rejection, UsageSink, UsageTable};

use crate::error::ParseError;
use crate::manifest::Manifest;
use crate::tables;

/// A month as read: the records, how each input was read, and every rejected row.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub manifest: Manifest,
    pub month: Month,
    /// One per input table, in manifest order.
    pub inputs: Vec<InputReport>,
    /// In input order, then row order.
    pub rejections: Vec<Rejection>,
}

impl Loaded {
    pub fn rejected(&self) -> u64 {
        self.inputs.iter().map(|i| i.rejected).sum()
    }
}

/// Reads `MONTH_DIR/billrecon.toml` (or the named manifest) and every input it names, the
/// usage kept whole beside the month.
pub fn load_month(path: &Path) -> Result<(Loaded, UsageTable), ParseError> {
    let (loaded, keep) = load_month_with(path, |_| crate::usage::KeepUsage::default())?;
    Ok((loaded, keep.0))
}

/// Reads the month, handing usage to the sink `sink_for` makes from everything else (the
/// attestations and period a fold needs are read by then).
pub fn load_month_with<S: UsageSink>(path: &Path, sink_for: impl FnOnce(&Month) -> S) -> Result<(Loaded, S), ParseError> {
    let manifest = Manifest::load(path)?;
    let mut invoice_reports = Vec::new();
    let mut invoices = Vec::new();
    for (i, inv) in manifest.invoices.iter().enumerate() {
        let (summary, r1, j1) = tables::read_summary(&inv.summary)?;
        let (charges, r2, j2) = tables::read_charges(&inv.charges, i)?;
        invoice_reports.push((r1, j1));
        invoice_reports.push((r2, j2));
        let mut lines = Vec::new();
        if let Some(l) = &inv.lines {
            let (v, r, j) = tables::read_lines(l)?;
            lines = v;
            invoice_reports.push((r, j));
        }
        let mut allowances = Vec::new();
        if let Some(a) = &inv.allowances {
            let (v, r, j) = tables::read_allowances(a)?;
            allowances = v;
            invoice_reports.push((r, j));
        }
        invoices.push(Invoice { summary, charges, lines, allowances });
    }
    let mut rest = Vec::new();
    let (inventory, r, j) = tables::read_inventory(&manifest.inventory, &manifest.period, manifest.inventory_as_of)?;
    rest.push((r, j));
    let mut employees = Vec::new();
    if let Some(e) = &manifest.employees {
        let (v, r, j) = tables::read_employees(e)?;
        employees = v;
        rest.push((r, j));
    }
    let mut plans = None;
    if let Some(p) = &manifest.plans {
        let (v, r, j) = tables::read_plans(p)?;
        plans = Some(v);
        rest.push((r, j));
    }
    let mut attestations = Vec::new();
    if let Some(a) = &manifest.attestations {
        let (v, r, j) = tables::read_attestations(a)?;
        attestations = v;
        rest.push((r, j));
    }
    let month = Month {
        period: manifest.period.clone(),
        policy: manifest.policy.clone(),
        invoices,
        inventory,
        employees,
        plans,
        attestations,
    };
    let mut sink = sink_for(&month);
    let mut usage_reports = Vec::new();
    for u in &manifest.usage {
        usage_reports.push(crate::usage::read_usage_with(u, &mut sink)?);
    }
    let mut inputs = Vec::new();
    let mut rejections = Vec::new();
    for (r, j) in invoice_reports.into_iter().chain(usage_reports).chain(rest) {
        inputs.push(r);
        rejections.extend(j);
    }
    Ok((Loaded { manifest, month, inputs, rejections }, sink))
}
