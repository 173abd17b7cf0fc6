//! End-to-end tests: run the `billrecon` binary as a user would and snapshot its exit code,
//! stdout and stderr (in the style of uv's `crates/uv/tests/it/`).

mod architecture;
mod catalogue;
mod check;
mod concurrency;
mod findings;
mod generate;
mod hostile;
mod init;
mod instruments;
mod ledger;
mod notify;
mod privacy;
mod profiles;
mod real_layouts;
mod reconcile;
mod web;
mod worked_example;

/// A real `billrecon serve` and a real SMTP server, shared with the browser tests.
#[path = "../common/server.rs"]
mod server;
#[path = "../common/smtp.rs"]
mod smtp;

use std::path::{Path, PathBuf};
use std::process::Command;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// Runs the binary from the repository root; returns a transcript of exit code, stdout, stderr.
pub fn run(args: &[&str]) -> String {
    run_in(&root(), args)
}

pub fn run_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_billrecon")).args(args).current_dir(dir).output().expect("the binary runs");
    format!(
        "exit: {}\n----- stdout -----\n{}----- stderr -----\n{}",
        out.status.code().map_or("signal".to_string(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file under `dir`, relative, sorted.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Copies the files of folder `from` into a new folder `to` (a fixture month into a temporary
/// folder a test may change).
pub fn copy_month(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, to.join(p.file_name().unwrap())).unwrap();
    }
}
