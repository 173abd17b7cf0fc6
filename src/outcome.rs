//! What a command did ([`Outcome`]) and the one place its exit code is decided ([`exit_code`]).
//! Commands return an outcome; only `main` turns it into a process exit code.

/// What a command did, as far as its exit code is concerned.
pub enum Outcome {
    /// Done; nothing needs a person's attention.
    Done,
    /// Done: a month read (and perhaps evaluated and posted) with what of it needs attention.
    Month(billrecon_pipeline::Attention),
    /// Done, but some of what was asked could not be (files init could not place, rows a
    /// profile rejected): the command listed them.
    Incomplete,
}

/// The exit code, decided here only:
///
/// | code | meaning |
/// |---|---|
/// | 0 | done, and nothing needs attention |
/// | 1 | done, and something needs attention: rows rejected, findings of severity action, policy accounts left as placeholders, no usage row in the period (a month); files not placed (`init`); rows rejected (`profile test`) |
/// | 2 | not done: the month could not be read, a ledger command was refused, free text was refused (the message says why; nothing was written) |
pub fn exit_code(result: &anyhow::Result<Outcome>) -> u8 {
    match result {
        Ok(Outcome::Done) => 0,
        Ok(Outcome::Month(a)) if a.is_clear() => 0,
        Ok(Outcome::Month(_) | Outcome::Incomplete) => 1,
        Err(_) => 2,
    }
}
