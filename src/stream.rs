//! Reading a month with its usage folded as it streams: the parser reads blocks on this thread
//! while a worker folds the previous block on the other core. Memory holds two blocks of usage,
//! never the month's.

use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender};
use std::thread::JoinHandle;

use billrecon_model::{Month, UsageTable};
use billrecon_parser::{load_month_with, Loaded, UsageSink};
use billrecon_rules::{AttestationIndex, UsageFacts};

/// Sends each block to the folding worker.
pub struct FoldSink {
    tx: Option<SyncSender<UsageTable>>,
    worker: Option<JoinHandle<UsageFacts>>,
}

impl FoldSink {
    fn new(month: &Month) -> FoldSink {
        let attestations = month.attestations.clone();
        let period = month.period.clone();
        let (tx, rx) = sync_channel::<UsageTable>(2);
        let worker = std::thread::spawn(move || {
            let index = AttestationIndex::new(&attestations);
            let mut facts = UsageFacts::new(attestations.len());
            for block in rx {
                facts.absorb(&block, &index, &period);
            }
            facts
        });
        FoldSink { tx: Some(tx), worker: Some(worker) }
    }

    fn finish(mut self) -> anyhow::Result<UsageFacts> {
        drop(self.tx.take());
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(facts)) => Ok(facts),
            _ => anyhow::bail!("the usage fold failed"),
        }
    }
}

impl UsageSink for FoldSink {
    fn block(&mut self, rows: UsageTable) {
        if let Some(tx) = &self.tx {
            // The worker only stops early by panicking, which finish() reports.
            let _ = tx.send(rows);
        }
    }
}

/// Loads the month (with a progress bar unless quiet) and folds its usage.
pub fn load(month_dir: &Path, quiet: bool) -> anyhow::Result<(Loaded, UsageFacts)> {
    let read = || load_month_with(month_dir, FoldSink::new);
    let (loaded, sink) = match crate::progress::Bar::new(quiet) {
        Some(bar) => billrecon_parser::progress::with(bar, read)?,
        None => read()?,
    };
    Ok((loaded, sink.finish()?))
}
