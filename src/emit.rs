//! Data goes to stdout (errors go to stderr, from `main`).

use std::io::Write;

/// Writes to stdout, ignoring a closed pipe (`billrecon check ... | head`).
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}
