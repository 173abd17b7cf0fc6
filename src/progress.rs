//! The progress bar on stderr: drawn only on a terminal, only without `--quiet`, and only once
//! an input has taken more than a second, with bytes, rows and rows per second.

use std::io::IsTerminal;
use std::rc::Rc;
use std::time::{Duration, Instant};

use std::cell::{Cell, RefCell};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Bar {
    bar: RefCell<Option<ProgressBar>>,
    label: RefCell<String>,
    total: Cell<u64>,
    started: Cell<Instant>,
}

const DELAY: Duration = Duration::from_secs(1);

impl Bar {
    /// A bar, or `None` when stderr is not a terminal or the user asked for quiet.
    pub fn new(quiet: bool) -> Option<Rc<Bar>> {
        if quiet || !std::io::stderr().is_terminal() {
            return None;
        }
        Some(Rc::new(Bar {
            bar: RefCell::new(None),
            label: RefCell::new(String::new()),
            total: Cell::new(0),
            started: Cell::new(Instant::now()),
        }))
    }
}

impl billrecon_parser::progress::Progress for Bar {
    fn start(&self, label: &str, total: u64) {
        *self.label.borrow_mut() = label.to_string();
        self.total.set(total);
        self.started.set(Instant::now());
    }

    fn advance(&self, bytes: u64, rows: u64) {
        let elapsed = self.started.get().elapsed();
        if elapsed < DELAY {
            return;
        }
        let mut slot = self.bar.borrow_mut();
        let bar = slot.get_or_insert_with(|| {
            let b = ProgressBar::with_draw_target(Some(self.total.get()), ProgressDrawTarget::stderr());
            b.set_style(
                ProgressStyle::with_template("{prefix} [{bar:30}] {bytes}/{total_bytes} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            b.set_prefix(self.label.borrow().clone());
            b
        });
        bar.set_position(bytes);
        let rate = rows as f64 / elapsed.as_secs_f64().max(0.001);
        bar.set_message(format!("{rows} rows, {rate:.0} rows/s ({} left)", left(bytes, self.total.get(), elapsed)));
    }

    fn finish(&self) {
        if let Some(b) = self.bar.borrow_mut().take() {
            b.finish_and_clear();
        }
    }
}

/// Time left at the average pace so far, in whole seconds. (indicatif's own estimate starts
/// when the bar is first drawn, a second in, and reads the bytes already done as done at once.)
fn left(done: u64, total: u64, elapsed: Duration) -> String {
    if done == 0 || total <= done {
        return "0s".into();
    }
    let secs = elapsed.as_secs_f64() * (total - done) as f64 / done as f64;
    format!("{}s", secs.ceil() as u64)
}

/// Reads a month through the one pipeline, under the bar unless quiet.
pub fn read_month(month_dir: &std::path::Path, quiet: bool) -> anyhow::Result<billrecon_pipeline::MonthRead> {
    read_month_with(month_dir, quiet, Vec::new())
}

/// [`read_month`] with attestations beside the manifest's (the employees' signed web ones).
pub fn read_month_with(
    month_dir: &std::path::Path,
    quiet: bool,
    extra: Vec<billrecon_model::Attestation>,
) -> anyhow::Result<billrecon_pipeline::MonthRead> {
    let bar = Bar::new(quiet).map(|b| b as Rc<dyn billrecon_parser::progress::Progress>);
    Ok(billrecon_pipeline::read_with(month_dir, bar, extra)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_is_the_average_pace_so_far() {
        assert_eq!(left(200, 500, Duration::from_secs(2)), "3s");
        assert_eq!(left(200, 500, Duration::from_millis(2_100)), "4s");
        assert_eq!(left(500, 500, Duration::from_secs(9)), "0s");
        assert_eq!(left(0, 500, Duration::from_secs(1)), "0s");
    }
}
