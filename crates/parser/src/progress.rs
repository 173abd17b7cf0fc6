//! Progress of reading, for a progress bar. The parser reports; the binary draws (or not).
//!
//! The reporter is installed for the duration of one call with [`with`], so no signature of the
//! readers carries it, and a library user who installs nothing pays one thread-local read per
//! block.

use std::cell::RefCell;
use std::rc::Rc;

/// Receives reading progress. Every method has a do-nothing default.
pub trait Progress {
    /// A new input: its label and size in bytes (0 when unknown).
    fn start(&self, _label: &str, _total_bytes: u64) {}
    /// Bytes and rows read so far in the current input.
    fn advance(&self, _bytes: u64, _rows: u64) {}
    /// The current input is done.
    fn finish(&self) {}
}

thread_local! {
    static CURRENT: RefCell<Option<Rc<dyn Progress>>> = const { RefCell::new(None) };
}

/// Runs `f` with `p` receiving the progress of every read it makes on this thread.
pub fn with<T>(p: Rc<dyn Progress>, f: impl FnOnce() -> T) -> T {
    struct Reset(Option<Rc<dyn Progress>>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let prev = self.0.take();
            CURRENT.with(|c| *c.borrow_mut() = prev);
        }
    }
    let prev = CURRENT.with(|c| c.borrow_mut().replace(p));
    let _reset = Reset(prev);
    f()
}

/// Reports to the installed progress, if any.
pub(crate) fn report(f: impl FnOnce(&dyn Progress)) {
    let p = CURRENT.with(|c| c.borrow().clone());
    if let Some(p) = p {
        f(&*p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    struct Count(Cell<u64>);
    impl Progress for Count {
        fn advance(&self, _b: u64, rows: u64) {
            self.0.set(rows);
        }
    }

    #[test]
    fn reports_only_inside_with() {
        let c = Rc::new(Count(Cell::new(0)));
        report(|p| p.advance(1, 5));
        assert_eq!(c.0.get(), 0);
        with(c.clone(), || report(|p| p.advance(1, 7)));
        assert_eq!(c.0.get(), 7);
        report(|p| p.advance(1, 9));
        assert_eq!(c.0.get(), 7);
    }
}
