//! One registry, checked (as ruff's `registry.rs` is): every rule in `Rule::ALL` and
//! `Rule::HISTORY` has its own module under `src/rules/` and its own numbered section in
//! docs/rules.md, and neither holds a rule the registry does not.

use std::collections::BTreeSet;
use std::path::Path;

use billrecon_model::Rule;

fn registry() -> BTreeSet<&'static str> {
    Rule::ALL.iter().chain(Rule::HISTORY).map(|r| r.as_str()).collect()
}

#[test]
fn every_rule_is_documented_and_no_section_documents_a_rule_that_is_gone() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules.md")).unwrap();
    // Sections are `## 1. `key` (severity)` or `### 14. `key` (...)`.
    let mut documented = Vec::new();
    for line in doc.lines().filter(|l| l.starts_with("## ") || l.starts_with("### ")) {
        let title = line.trim_start_matches('#').trim();
        let Some((number, rest)) = title.split_once(". `") else { continue };
        if number.parse::<u32>().is_err() {
            continue;
        }
        documented.push(rest.split('`').next().unwrap().to_string());
    }
    let sections: BTreeSet<&str> = documented.iter().map(String::as_str).collect();
    assert_eq!(sections.len(), documented.len(), "a rule has two sections: {documented:?}");
    let missing: Vec<_> = registry().difference(&sections).copied().collect();
    let gone: Vec<_> = sections.difference(&registry()).copied().collect();
    assert!(missing.is_empty(), "rules with no section in docs/rules.md: {missing:?}");
    assert!(gone.is_empty(), "sections of docs/rules.md for rules that are not in the registry: {gone:?}");
    // Numbered in the registry's order: month rules, then history rules.
    let order: Vec<&str> = Rule::ALL.iter().chain(Rule::HISTORY).map(|r| r.as_str()).collect();
    assert_eq!(documented, order, "docs/rules.md numbers the rules in the registry's order");
}

#[test]
fn every_rule_has_its_own_module() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let modules: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_string())
        .filter(|m| m != "mod")
        .collect();
    let rules: BTreeSet<String> = registry().into_iter().map(String::from).collect();
    assert_eq!(modules, rules, "src/rules/ holds one module per rule, named as the rule");
}
