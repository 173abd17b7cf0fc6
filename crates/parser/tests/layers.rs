//! The parser's modules are in layers, and no module uses one above it (so there is no import
//! cycle in the crate). This test reads the sources: a `crate::` or `super::` path that reaches
//! a module of a higher or equal layer, other than the module itself, fails it. Test code (after
//! `#[cfg(test)]`, and `tests.rs` files) is not checked.

use std::collections::BTreeMap;
use std::path::Path;

/// Every module, lowest layer first. A module may use those of lower layers only.
const LAYERS: &[&[&str]] = &[
    &["value", "error", "progress"],
    &["table"],
    &["header"],
    &["source::rows"],
    &["source::archive"],
    &["source::csv::decode", "source::csv::scan"],
    &["source::csv::read", "source::csv::split"],
    &["source::csv", "source::xlsx"],
    &["source"],
    &["tables"],
    &["usage"],
    &["profile::spec"],
    &["profile::apply"],
    &["profile"],
    &["manifest"],
    &["month"],
    &["survey"],
    &["lib"],
];

fn rank() -> BTreeMap<&'static str, usize> {
    LAYERS.iter().enumerate().flat_map(|(i, l)| l.iter().map(move |m| (*m, i))).collect()
}

/// The module a source file is: `source/csv/mod.rs` → `source::csv`.
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

/// The module a path names: the longest known prefix of it.
fn target<'r>(path: &str, ranks: &'r BTreeMap<&'static str, usize>) -> Option<&'r str> {
    let segs: Vec<&str> = path.split("::").collect();
    (1..=segs.len()).rev().map(|n| segs[..n].join("::")).find_map(|p| ranks.keys().find(|k| **k == p).copied())
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Paths written after `prefix` in `code` (`crate::source::rows::{A, B}` → `source::rows`).
fn paths_after<'c>(code: &'c str, prefix: &str) -> Vec<&'c str> {
    code.match_indices(prefix)
        .filter(|(i, _)| *i == 0 || !code.as_bytes()[i - 1].is_ascii_alphanumeric() && code.as_bytes()[i - 1] != b'_')
        .map(|(i, _)| {
            let rest = &code[i + prefix.len()..];
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
            rest[..end].trim_end_matches(':')
        })
        .collect()
}

#[test]
fn no_module_uses_one_above_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let ranks = rank();
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for f in &all {
        let rel = f.strip_prefix(&src).unwrap();
        if rel.file_name().is_some_and(|n| n == "tests.rs") {
            continue;
        }
        let module = module_of(rel);
        let Some(&own) = ranks.get(module.as_str()) else {
            problems.push(format!("{}: module `{module}` is in no layer of this test", rel.display()));
            continue;
        };
        seen.push(module.clone());
        let text = std::fs::read_to_string(f).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
        let mut used: Vec<String> = paths_after(code, "crate::").into_iter().map(str::to_string).collect();
        for p in paths_after(code, "super::") {
            used.push(if parent.is_empty() { p.to_string() } else { format!("{parent}::{p}") });
        }
        for u in used {
            let Some(t) = target(&u, &ranks) else { continue };
            if t != module && ranks[t] >= own {
                problems.push(format!("{}: `{module}` (layer {own}) uses `{u}` in `{t}` (layer {})", rel.display(), ranks[t]));
            }
        }
    }
    for m in ranks.keys() {
        assert!(seen.iter().any(|s| s == m), "the layer list names `{m}`, which has no source file");
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
