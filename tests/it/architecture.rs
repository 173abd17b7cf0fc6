//! The architecture, held by tests that read the sources (as rust-analyzer's tidy tests do):
//!
//! - **No import cycle inside any crate** (nor the binary): a module's uses are the `crate::`,
//!   `super::` and `self::` paths in its code and the paths through its own child modules; a
//!   path naming an item (not a module) counts as a use of the module that defines the item.
//!   The crate root's `pub use` re-exports are its public face, not a use. Test code (after
//!   `#[cfg(test)]`, and `tests.rs`, `testkit.rs` files) is not read.
//! - **No crate imports one downstream of it**: each crate's dependencies on crates of ours are
//!   the ones its place in the flow allows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where each crate of ours stands: a crate may depend only on those listed for it.
const ALLOWED: &[(&str, &[&str])] = &[
    ("model", &[]),
    ("parser", &["model"]),
    ("rules", &["model"]),
    ("chargeback", &["model"]),
    ("ledger", &["model", "chargeback"]),
    ("report", &["model", "chargeback", "ledger"]),
    ("pipeline", &["model", "parser", "rules", "chargeback", "report", "ledger"]),
    ("synth", &[]),
    // Above report and ledger: renders what they give it, computes no money (the preview of an
    // employee's share is the rules' arithmetic).
    ("web", &["model", "rules", "report", "ledger"]),
    // Above the ledger: sends the documents it stored.
    ("notify", &["model", "ledger"]),
    // Tools beside the flow: the fixture writer reads back what it wrote.
    ("fixture-gen", &["model", "parser"]),
];

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module a file is, from the source root: `rules/mod.rs` → `rules`, `lib.rs` → `` (root).
fn module_of(rel: &Path) -> String {
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if !matches!(stem, "mod" | "lib" | "main") {
        parts.push(stem.to_string());
    }
    parts.join("::")
}

/// The code of a file that counts: before `#[cfg(test)]`, without comments and string contents.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        // Drop string literals (paths in messages are not uses).
        let mut in_str = false;
        let mut prev = ' ';
        for c in line.chars() {
            if c == '"' && prev != '\\' {
                in_str = !in_str;
            } else if !in_str {
                out.push(c);
            }
            prev = c;
        }
        out.push('\n');
    }
    out
}

/// Identifier paths in `code` that start with `prefix` (`crate::a::b::{C, d}` → [`a::b::C`, `a::b::d`]).
fn paths_after(code: &str, prefix: &str) -> Vec<String> {
    let bytes = code.as_bytes();
    let mut out = Vec::new();
    for (i, _) in code.match_indices(prefix) {
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':') {
            continue;
        }
        let rest = &code[i + prefix.len()..];
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
        let head = rest[..end].trim_end_matches(':');
        if rest[end..].starts_with('{') && rest[..end].ends_with("::") {
            // A group: each member after the shared head.
            let close = rest[end..].find('}').map_or(rest.len(), |c| end + c);
            for member in rest[end + 1..close].split(',') {
                let m = member.trim().split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).next().unwrap_or("");
                if !m.is_empty() {
                    out.push(format!("{head}::{m}"));
                }
            }
        } else if !head.is_empty() {
            out.push(head.to_string());
        }
    }
    out
}

/// One crate's modules and the modules each uses.
fn graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rs_files(src, &mut files);
    let mut code: BTreeMap<String, String> = BTreeMap::new();
    for f in &files {
        let rel = f.strip_prefix(src).unwrap();
        let name = rel.file_name().unwrap().to_string_lossy();
        if name == "tests.rs" || name == "testkit.rs" || rel.starts_with("bin") {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        code.insert(module_of(rel), code_of(&text));
    }
    let modules: BTreeSet<String> = code.keys().cloned().collect();
    // Where each item is defined (the first module defining a name wins; names are few).
    let mut defined: BTreeMap<String, String> = BTreeMap::new();
    for (m, c) in &code {
        for kw in ["struct ", "enum ", "fn ", "type ", "trait ", "const ", "static ", "macro_rules! "] {
            for (i, _) in c.match_indices(kw) {
                let before = c[..i].trim_end();
                if !(before.ends_with("pub") || before.ends_with(')') || before.ends_with('\n') || before.is_empty()) {
                    continue;
                }
                let name: String = c[i + kw.len()..].chars().take_while(|ch| ch.is_alphanumeric() || *ch == '_').collect();
                if !name.is_empty() {
                    defined.entry(name).or_insert_with(|| m.clone());
                }
            }
        }
    }
    // The module a path names: the longest module prefix, else the module defining its first
    // item, else the prefix.
    let resolve = |path: &str| -> Option<String> {
        let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
        for n in (1..=segs.len()).rev() {
            let p = segs[..n].join("::");
            if modules.contains(&p) {
                // `a::Item`: the item may live in `a`, or be re-exported by `a` from a child.
                if n < segs.len() {
                    if let Some(d) = defined.get(segs[n]) {
                        if d.starts_with(&p) {
                            return Some(d.clone());
                        }
                    }
                }
                return Some(p);
            }
        }
        segs.first().and_then(|s| defined.get(*s).cloned()).or_else(|| Some(String::new()))
    };
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, c) in &code {
        let mut used: Vec<String> = Vec::new();
        // The root's `pub use` lines are its public face: not uses.
        let c: String = if m.is_empty() {
            c.lines().filter(|l| !l.trim_start().starts_with("pub use ")).collect::<Vec<_>>().join("\n")
        } else {
            c.clone()
        };
        for p in paths_after(&c, "crate::") {
            used.extend(resolve(&p));
        }
        let parent = m.rsplit_once("::").map_or("", |(p, _)| p);
        for p in paths_after(&c, "super::") {
            let abs = if parent.is_empty() { p } else { format!("{parent}::{p}") };
            used.extend(resolve(&abs));
        }
        for p in paths_after(&c, "self::") {
            let abs = if m.is_empty() { p } else { format!("{m}::{p}") };
            used.extend(resolve(&abs));
        }
        // Children used by a relative path: `child::run(..)`, `use child::X`.
        let children: Vec<&String> = modules
            .iter()
            .filter(|k| {
                let rest = if m.is_empty() { Some(k.as_str()) } else { k.strip_prefix(&format!("{m}::")) };
                rest.is_some_and(|r| !r.is_empty() && !r.contains("::"))
            })
            .collect();
        for child in children {
            let short = child.rsplit("::").next().unwrap();
            if !paths_after(&c, &format!("{short}::")).is_empty() {
                used.push(child.clone());
            }
        }
        let set = edges.entry(m.clone()).or_default();
        for u in used {
            if &u != m {
                set.insert(u);
            }
        }
    }
    edges
}

/// A cycle in the graph, if any, as `a -> b -> a`.
fn cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    fn visit(
        n: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<String> {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == m).unwrap();
                    let mut c: Vec<String> =
                        stack[at..].iter().map(|s| if s.is_empty() { "(root)".into() } else { s.clone() }).collect();
                    c.push(if m.is_empty() { "(root)".into() } else { m.clone() });
                    return Some(c.join(" -> "));
                }
                0 => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if state.get(n.as_str()).copied().unwrap_or(0) == 0 {
            if let Some(c) = visit(n, edges, &mut state, &mut Vec::new()) {
                return Some(c);
            }
        }
    }
    None
}

/// The source folders: the binary, then each crate.
fn sources() -> Vec<(String, PathBuf)> {
    let root = crate::root();
    let mut out = vec![("billrecon (the binary)".to_string(), root.join("src"))];
    let mut crates: Vec<PathBuf> = std::fs::read_dir(root.join("crates")).unwrap().map(|e| e.unwrap().path()).collect();
    crates.sort();
    for c in crates {
        out.push((c.file_name().unwrap().to_string_lossy().into_owned(), c.join("src")));
    }
    out
}

#[test]
fn no_module_of_any_crate_imports_one_that_imports_it_back() {
    let mut problems = Vec::new();
    for (name, src) in sources() {
        let g = graph(&src);
        assert!(!g.is_empty(), "{name}: no modules read from {}", src.display());
        if let Some(c) = cycle(&g) {
            problems.push(format!("{name}: {c}"));
        }
    }
    assert!(problems.is_empty(), "import cycles:\n{}", problems.join("\n"));
}

/// The test finds a cycle when there is one (so it cannot pass by reading nothing).
#[test]
fn the_cycle_test_finds_a_planted_cycle() {
    let t = tempfile::tempdir().unwrap();
    let src = t.path();
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\npub use a::A;\n").unwrap();
    std::fs::write(src.join("a.rs"), "use crate::b::helper;\npub struct A;\npub fn f() { helper() }\n").unwrap();
    std::fs::write(src.join("b.rs"), "pub fn helper() { let _ = crate::A; }\n").unwrap();
    assert_eq!(cycle(&graph(src)).as_deref(), Some("a -> b -> a"));
    std::fs::write(src.join("b.rs"), "pub fn helper() {}\n// crate::A in a comment\nfn g() { let _ = \"crate::A\"; }\n").unwrap();
    assert_eq!(cycle(&graph(src)), None);
    // A child module used by a relative path, and using its parent back.
    std::fs::create_dir(src.join("rules")).unwrap();
    std::fs::write(src.join("b.rs"), "pub fn helper() {}\n").unwrap();
    std::fs::write(src.join("rules/mod.rs"), "mod one;\npub fn money() {}\npub fn run() { one::run() }\n").unwrap();
    std::fs::write(src.join("rules/one.rs"), "use super::money;\npub fn run() { money() }\n").unwrap();
    assert_eq!(cycle(&graph(src)).as_deref(), Some("rules -> rules::one -> rules"));
}

#[test]
fn no_crate_depends_on_one_downstream_of_it() {
    let root = crate::root();
    let mut problems = Vec::new();
    for (name, allowed) in ALLOWED {
        let toml = std::fs::read_to_string(root.join("crates").join(name).join("Cargo.toml")).unwrap();
        let deps = toml.split("[dev-dependencies]").next().unwrap();
        for line in deps.lines() {
            if let Some(dep) = line.trim().strip_prefix("billrecon-") {
                let dep = dep.split(['.', ' ', '=']).next().unwrap();
                if !allowed.contains(&dep) {
                    problems.push(format!("crates/{name} depends on billrecon-{dep}, which it may not"));
                }
            }
        }
    }
    let listed: BTreeSet<&str> = ALLOWED.iter().map(|(n, _)| *n).collect();
    for e in std::fs::read_dir(root.join("crates")).unwrap() {
        let n = e.unwrap().file_name().to_string_lossy().into_owned();
        assert!(listed.contains(n.as_str()), "crates/{n} has no place in ALLOWED: say where it stands");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
