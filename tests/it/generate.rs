//! `billrecon generate`: a synthetic month that reconciles, whose findings are the cases it
//! planted, byte-identical for the same seed.

use std::collections::BTreeMap;
use std::path::Path;

use crate::run_in;

/// The planted counts from generate's stderr, by rule.
fn planted(transcript: &str) -> BTreeMap<String, u64> {
    transcript
        .split("planted:\n")
        .nth(1)
        .expect("a planted section")
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.to_string(), w.next()?.parse().ok()?))
        })
        .collect()
}

/// Findings by rule, from `findings --format csv` (the rule is the second column).
fn found(csv: &str) -> BTreeMap<String, u64> {
    let mut by_rule = BTreeMap::new();
    for row in csv.split("----- stdout -----\n").nth(1).unwrap().split("----- stderr -----").next().unwrap().lines().skip(1) {
        *by_rule.entry(row.split(',').nth(1).unwrap().to_string()).or_insert(0) += 1;
    }
    by_rule
}

fn bytes(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

#[test]
fn generate_writes_a_month_whose_findings_are_what_it_planted() {
    let tmp = tempfile::tempdir().unwrap();
    let gen = run_in(tmp.path(), &["generate", "--lines", "2500", "--usage-rows", "40000", "--seed", "5", "m"]);
    insta::assert_snapshot!("generate_stderr", gen);
    let planted = planted(&gen);

    let check = run_in(tmp.path(), &["check", "m"]);
    assert!(check.starts_with("exit: 0\n"), "the generated month has no rejected row:\n{check}");

    let found = found(&run_in(tmp.path(), &["findings", "m", "--format", "csv"]));
    let mut table = String::from("rule                      planted    found\n");
    for rule in planted.keys().chain(found.keys()).collect::<std::collections::BTreeSet<_>>() {
        let (p, f) = (planted.get(rule), found.get(rule));
        table.push_str(&format!(
            "{rule:<24} {:>8} {:>8}\n",
            p.map_or("-".into(), |n| n.to_string()),
            f.map_or("-".into(), |n| n.to_string())
        ));
    }
    insta::assert_snapshot!("generate_planted_vs_found", table);
    // Every planted case is found, and nothing else: the counts agree rule by rule (the last two
    // planted lines count reassignments and attested calls, which are not findings).
    for (rule, n) in &planted {
        if rule != "reassigned_lines" && rule != "attested_calls" {
            assert_eq!(found.get(rule).copied().unwrap_or(0), *n, "{rule}\n{table}");
            assert!(*n > 0, "the month plants at least one {rule}");
        }
    }
    assert!(found.keys().all(|r| planted.contains_key(r)), "{table}");

    let rec = run_in(tmp.path(), &["reconcile", "m", "--out", "out", "--quiet"]);
    assert!(rec.starts_with("exit: 1\n"), "planted action findings exit 1:\n{rec}");
    assert!(tmp.path().join("out/journal.csv").is_file(), "{rec}");
}

#[test]
fn generate_same_seed_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    for d in ["a", "b", "c"] {
        let seed = if d == "c" { "8" } else { "7" };
        let out = run_in(tmp.path(), &["generate", "--lines", "120", "--usage-rows", "5000", "--seed", seed, d]);
        assert!(out.starts_with("exit: 0\n"), "{out}");
    }
    let (a, b, c) = (bytes(&tmp.path().join("a")), bytes(&tmp.path().join("b")), bytes(&tmp.path().join("c")));
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn generate_refuses_an_unwritable_folder() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("file"), "not a folder").unwrap();
    let out = run_in(tmp.path(), &["generate", "--lines", "10", "--usage-rows", "10", "file/m"]);
    insta::assert_snapshot!(out);
}

#[test]
fn generate_carrier_style_writes_as_exports_do_and_reconciles_to_the_same_outputs() {
    let tmp = tempfile::tempdir().unwrap();
    for (style, dir) in [("plain", "p"), ("carrier", "c")] {
        let out =
            run_in(tmp.path(), &["generate", "--lines", "150", "--usage-rows", "6000", "--seed", "3", "--style", style, dir]);
        assert!(out.starts_with("exit: 0\n"), "{out}");
    }
    let usage = std::fs::read_to_string(tmp.path().join("c/usage.csv")).unwrap();
    let first = usage.lines().nth(1).unwrap();
    assert!(usage.contains("\r\n") && first.starts_with("\"(") && usage.contains(",\"\"") && usage.contains("\"$"), "{first}");
    let plain = std::fs::read_to_string(tmp.path().join("p/usage.csv")).unwrap();
    assert!(!plain.contains('"') && !plain.contains('$') && !plain.contains('\r'));
    for (dir, out) in [("p", "po"), ("c", "co")] {
        let rec = run_in(tmp.path(), &["reconcile", dir, "--out", out, "--quiet"]);
        assert!(rec.starts_with("exit: 1\n"), "{rec}");
    }
    let (p, c) = (tree(&tmp.path().join("po")), tree(&tmp.path().join("co")));
    assert!(p.len() > 20, "{} output files", p.len());
    assert_eq!(p.keys().collect::<Vec<_>>(), c.keys().collect::<Vec<_>>());
    for (name, b) in &p {
        assert!(c[name] == *b, "{name} differs between the plain and the carrier style");
    }
}

/// Every file under `dir`, by its path inside it.
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    crate::files(dir).into_iter().map(|f| (f.display().to_string(), std::fs::read(dir.join(&f)).unwrap())).collect()
}

/// `--order date`: the same rows as `--order line`, in date and time order with every line
/// interleaved; the month posts the same money.
#[test]
fn date_order_is_the_same_rows_in_time_order_and_the_same_money() {
    let t = tempfile::tempdir().unwrap();
    let (a, b) = (t.path().join("line"), t.path().join("date"));
    for (dir, order) in [(&a, "line"), (&b, "date")] {
        let out = run_in(
            t.path(),
            &["generate", "--lines", "300", "--usage-rows", "20000", "--seed", "5", "--order", order, dir.to_str().unwrap()],
        );
        assert!(out.starts_with("exit: 0"), "{out}");
    }
    let rows = |d: &Path| -> Vec<String> {
        std::fs::read_to_string(d.join("usage.csv")).unwrap().lines().skip(1).map(str::to_string).collect()
    };
    let (line_rows, date_rows) = (rows(&a), rows(&b));
    assert_ne!(line_rows, date_rows, "another order");
    let when = |r: &String| -> (String, String) {
        let c: Vec<&str> = r.split(',').collect();
        (c[1].to_string(), c[2].to_string())
    };
    assert!(date_rows.windows(2).all(|w| when(&w[0]) <= when(&w[1])), "date order");
    assert!(
        date_rows.windows(2).filter(|w| w[0].split(',').next() != w[1].split(',').next()).count() > date_rows.len() / 2,
        "lines interleaved"
    );
    let (mut x, mut y) = (line_rows.clone(), date_rows.clone());
    x.sort();
    y.sort();
    assert_eq!(x, y, "the same rows");
    // Every other file is the same, and the money posted is the same.
    for f in ["billrecon.toml", "inventory.csv", "employees.csv", "plans.csv", "attestations.csv"] {
        assert_eq!(std::fs::read(a.join(f)).unwrap(), std::fs::read(b.join(f)).unwrap(), "{f}");
    }
    let total = |d: &Path| -> String {
        let out = d.with_extension("out");
        run_in(t.path(), &["reconcile", d.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
        std::fs::read_to_string(out.join("journal.csv")).unwrap()
    };
    assert_eq!(total(&a), total(&b), "the same journal");
}
