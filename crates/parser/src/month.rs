//! Reading a whole month: the manifest, then every input it names, in manifest order.

use std::path::Path;

use billrecon_model::{InputReport, Invoice, Month, Rejection, UsageTable};

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

/// Reads `MONTH_DIR/billrecon.toml` (or the named manifest) and every input it names.
pub fn load_month(path: &Path) -> Result<Loaded, ParseError> {
    let manifest = Manifest::load(path)?;
    let mut inputs = Vec::new();
    let mut rejections = Vec::new();
    let mut keep = |(report, rej): (InputReport, Vec<Rejection>)| {
        inputs.push(report);
        rejections.extend(rej);
    };
    let mut invoices = Vec::new();
    for (i, inv) in manifest.invoices.iter().enumerate() {
        let (summary, r, j) = tables::read_summary(&inv.summary)?;
        keep((r, j));
        let (charges, r, j) = tables::read_charges(&inv.charges, i)?;
        keep((r, j));
        invoices.push(Invoice { summary, charges });
    }
    let mut usage = UsageTable::default();
    for u in &manifest.usage {
        keep(tables::read_usage(u, &mut usage)?);
    }
    let (inventory, r, j) = tables::read_inventory(&manifest.inventory)?;
    keep((r, j));
    let mut employees = Vec::new();
    if let Some(e) = &manifest.employees {
        let (v, r, j) = tables::read_employees(e)?;
        employees = v;
        keep((r, j));
    }
    let mut plans = Vec::new();
    if let Some(p) = &manifest.plans {
        let (v, r, j) = tables::read_plans(p)?;
        plans = v;
        keep((r, j));
    }
    let mut attestations = Vec::new();
    if let Some(a) = &manifest.attestations {
        let (v, r, j) = tables::read_attestations(a)?;
        attestations = v;
        keep((r, j));
    }
    let month = Month {
        period: manifest.period.clone(),
        policy: manifest.policy.clone(),
        invoices,
        usage,
        inventory,
        employees,
        plans,
        attestations,
    };
    Ok(Loaded { manifest, month, inputs, rejections })
}
