//! Every input a fuzz target (`fuzz/`) once crashed on, replayed as the target reads it: kept
//! under `tests/fuzz_regressions/TARGET/` so a crash that was fixed stays fixed. Each must now
//! give a value or an error, never a panic, with the counts adding up.

use std::path::{Path, PathBuf};

use billrecon_parser::value::{self, Cell};
use billrecon_parser::{FileRef, Format};

fn inputs(target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions").join(target);
    let mut v: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(d) => d.map(|e| e.unwrap().path()).collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

/// The `values` target's body.
fn values(data: &[u8]) {
    let Ok(t) = std::str::from_utf8(data) else { return };
    let c = Cell::Text(t);
    if let Ok(m) = value::money(c) {
        assert_eq!(m.round_dp(2), m);
    }
    let _ = (value::quantity(c), value::date(c), value::time(c), value::line(c), value::optional_phone(c));
    let _ = billrecon_model::PhoneNumber::parse(t);
    let _ = billrecon_model::allowance::parse_stated(t);
    let _ = billrecon_model::allowance::from_plan_name(t);
}

/// The file-reading targets' body: the bytes as a file of `format`, read as usage and charges.
fn file(data: &[u8], ext: &str, format: Format) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("input.{ext}"));
    std::fs::write(&path, data).unwrap();
    let file = FileRef { name: format!("input.{ext}"), path, member: None, sheet: None, format };
    let mut usage = billrecon_model::UsageTable::default();
    if let Ok((r, _)) = billrecon_parser::usage::read_usage(&file, &mut usage) {
        assert!(r.balanced());
    }
    if let Ok((_, r, _)) = billrecon_parser::tables::read_charges(&file, 0) {
        assert!(r.balanced());
    }
}

#[test]
fn every_input_a_fuzz_target_crashed_on_is_read_without_a_panic() {
    billrecon_parser::quiet_contained_panics();
    let mut replayed = 0;
    for p in inputs("values") {
        values(&std::fs::read(&p).unwrap());
        replayed += 1;
    }
    for (target, ext, format) in [("csv", "csv", Format::Csv), ("xlsx", "xlsx", Format::Xlsx)] {
        for p in inputs(target) {
            file(&std::fs::read(&p).unwrap(), ext, format);
            replayed += 1;
        }
    }
    for p in inputs("manifest") {
        if let Ok(t) = String::from_utf8(std::fs::read(&p).unwrap()) {
            let _ = billrecon_parser::Manifest::parse(&t, "billrecon.toml", Path::new("/nonexistent"));
        }
        replayed += 1;
    }
    for p in inputs("profile") {
        if let Ok(t) = String::from_utf8(std::fs::read(&p).unwrap()) {
            let _ = billrecon_parser::profile::Profile::parse(&t, "fuzz.toml");
        }
        replayed += 1;
    }
    for p in inputs("zip") {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("input.zip");
        std::fs::write(&path, std::fs::read(&p).unwrap()).unwrap();
        if let Ok(a) = billrecon_parser::archive::Archive::open(&path, "input.zip") {
            let _ = a.find("AccountSummary");
        }
        replayed += 1;
    }
    assert!(replayed >= 1, "the crash inputs found so far are replayed");
}
