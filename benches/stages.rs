//! Criterion benches of each stage at 1 million usage rows (a synthetic month of 10,000 lines
//! from `billrecon-synth`, written once into a temporary folder), and the ingestion of a
//! 400,000-row XLSX charges sheet.
//!
//!     cargo bench --bench stages
//!
//! Figures and the machine they came from: docs/performance.md.

use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};

use billrecon_parser::{load_month_with, CountUsage};
use billrecon_rules::{Ctx, UsageFold};

const LINES: u32 = 10_000;
const ROWS: u64 = 1_000_000;

fn month(dir: &Path) {
    let opts = billrecon_synth::Options {
        lines: LINES,
        usage_rows: ROWS,
        seed: 1,
        style: billrecon_synth::Style::Plain,
        period: Default::default(),
        order: Default::default(),
    };
    billrecon_synth::generate(opts, dir).expect("generate");
}

fn stages(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    month(tmp.path());
    let dir = tmp.path();
    let mut g = c.benchmark_group("1M usage rows");
    g.sample_size(10);
    g.bench_function("parser: read the month (usage counted, not kept)", |b| {
        b.iter(|| load_month_with(dir, |_| CountUsage::default()).expect("load"))
    });
    g.bench_function("parser + usage fold", |b| b.iter(|| load_month_with(dir, UsageFold::new).expect("load")));
    let (loaded, fold) = load_month_with(dir, UsageFold::new).expect("load");
    let facts = fold.finish();
    g.bench_function("rules: every rule over the folded month", |b| {
        b.iter(|| billrecon_rules::evaluate_ctx(&Ctx::with_facts(&loaded.month, facts.clone())))
    });
    let findings = billrecon_rules::evaluate_ctx(&Ctx::with_facts(&loaded.month, facts.clone()));
    g.bench_function("chargeback: post and journal", |b| {
        b.iter(|| billrecon_chargeback::post(&loaded.month, &findings).expect("post"))
    });
    g.finish();
}

fn xlsx_charges(c: &mut Criterion) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("charges.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet_with_constant_memory().expect("sheet");
    for (col, h) in ["line", "category", "description", "quantity", "amount"].iter().enumerate() {
        ws.write_string(0, col as u16, *h).expect("write");
    }
    let cats = ["plan", "tax", "surcharge", "feature"];
    for r in 1..=400_000u32 {
        let line = format!("860{:07}", 2_000_000 + r / 4);
        ws.write_string(r, 0, &line).expect("write");
        ws.write_string(r, 1, cats[(r % 4) as usize]).expect("write");
        ws.write_string(r, 2, "Monthly item").expect("write");
        ws.write_number(r, 3, 1.0).expect("write");
        ws.write_number(r, 4, f64::from(r % 9000) / 100.0 + 1.0).expect("write");
    }
    wb.save(&path).expect("save");
    let input = billrecon_parser::FileRef {
        name: "charges.xlsx".into(),
        path,
        member: None,
        sheet: None,
        format: billrecon_parser::Format::Xlsx,
    };
    let mut g = c.benchmark_group("xlsx");
    g.sample_size(10);
    g.bench_function("parser: 400,000-row XLSX charges sheet", |b| {
        b.iter(|| {
            let (charges, report, _) = billrecon_parser::tables::read_charges(&input, 0).expect("read");
            assert_eq!((charges.len(), report.rejected), (400_000, 0));
        })
    });
    g.finish();
}

criterion_group!(benches, stages, xlsx_charges);
criterion_main!(benches);
