//! The reading thread: fills blocks of about [`BLOCK`] bytes (decoded to UTF-8 bytes when the
//! file is in the Windows code page, its byte-order mark removed), each cut after its last line
//! break, while the caller's thread works on the block before. Memory stays bounded: at most
//! three blocks exist (one being filled, one queued, one being worked on).

use std::io::Read;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};

use crate::error::{io_reason, ParseError};
use crate::source::archive;
use crate::source::rows::FileRef;
use crate::table::Encoding;

use super::decode::{strip_bom, windows_1252_to_utf8};

/// Bytes read at a time. Unit tests use tiny blocks so that records cut across blocks and
/// recycled buffers are what every test exercises.
pub(crate) const BLOCK: usize = if cfg!(test) { 1 << 10 } else { 8 << 20 };

/// The longest line accepted: a longer one is not a table's row (a corrupt or binary file), and
/// holding it would take memory without bound.
pub(crate) const MAX_LINE: usize = if cfg!(test) { 64 << 10 } else { 256 << 20 };

/// A block of the file: whole lines, except at the end of the file.
pub(crate) struct Block {
    pub bytes: Vec<u8>,
    /// The last block: its bytes run to the end of the file.
    pub at_eof: bool,
    /// Bytes of the file this block covers (for progress).
    pub read: u64,
}

/// Reads `file` block by block on a thread of its own, calling `each` with every block in file
/// order on the caller's thread. `each` hands the block's buffer back for reuse. A read error,
/// or a reading thread that dies, is an error naming the file, never a short read.
pub(crate) fn blocks(
    file: &FileRef,
    encoding: Encoding,
    mut each: impl FnMut(Block) -> Result<Vec<u8>, ParseError>,
) -> Result<(), ParseError> {
    let label = file.label(None);
    let (tx, rx) = sync_channel::<Result<Block, ParseError>>(1);
    let (give_back, recycled) = sync_channel::<Vec<u8>>(3);
    std::thread::scope(|s| {
        let label = label.as_str();
        // The reader owns its ends of both channels: when it stops, the blocks run out.
        let reader = s.spawn(move || {
            let read = archive::with_reader(file, |r| produce(r, encoding, label, &tx, &recycled));
            if let Err(e) = read {
                let _ = tx.send(Err(e));
            }
        });
        let mut out = Ok(());
        for block in &rx {
            match block.and_then(&mut each) {
                // The reader reuses the buffer; if it has stopped, the buffer is simply freed.
                Ok(buf) => {
                    let _ = give_back.try_send(buf);
                }
                Err(e) => {
                    out = Err(e);
                    break;
                }
            }
        }
        // On an early return the reader sees the hang-up at its next send or wait and stops.
        drop(rx);
        drop(give_back);
        match reader.join() {
            Ok(()) => out,
            Err(_) => {
                Err(ParseError::Invalid { file: label.to_string(), reason: "the file could not be read to its end".into() })
            }
        }
    })
}

/// The reading thread's loop.
fn produce(
    file: &mut dyn Read,
    encoding: Encoding,
    label: &str,
    tx: &SyncSender<Result<Block, ParseError>>,
    recycled: &Receiver<Vec<u8>>,
) {
    // Bytes after the last line break of the block before.
    let mut carry: Vec<u8> = Vec::new();
    let mut raw: Vec<u8> = Vec::new();
    let mut first = true;
    let mut made = 0;
    loop {
        // A buffer the caller is done with; a new one while fewer than three exist.
        let mut buf = match recycled.try_recv() {
            Ok(b) => b,
            Err(_) if made < 3 => {
                made += 1;
                Vec::with_capacity(BLOCK + BLOCK / 8)
            }
            Err(_) => match recycled.recv() {
                Ok(b) => b,
                Err(_) => return,
            },
        };
        buf.clear();
        buf.append(&mut carry);
        let target = if encoding == Encoding::Utf8 { &mut buf } else { &mut raw };
        let base = target.len();
        // `read_to_end` fills spare capacity without zeroing it first; fewer bytes than asked
        // means the end of the file.
        let at_eof = match (&mut *file).take(BLOCK as u64).read_to_end(target) {
            Ok(n) => n < BLOCK,
            Err(e) => {
                let _ = tx.send(Err(ParseError::Open { file: label.to_string(), reason: io_reason(&e) }));
                return;
            }
        };
        let read = (target.len() - base) as u64;
        if encoding == Encoding::Windows1252 {
            // A single-byte encoding: every block decodes on its own.
            windows_1252_to_utf8(&raw, &mut buf);
            raw.clear();
        }
        if first {
            first = false;
            if buf.starts_with(&[0xFF, 0xFE]) || buf.starts_with(&[0xFE, 0xFF]) {
                let reason = "the file is UTF-16 text (as Excel's \"Unicode Text\" saves it): save it as \"CSV UTF-8\"".into();
                let _ = tx.send(Err(ParseError::Invalid { file: label.to_string(), reason }));
                return;
            }
            strip_bom(&mut buf);
        }
        if !at_eof {
            // Whole lines only; the rest starts the next block.
            let cut = memchr::memrchr(b'\n', &buf).map_or(0, |i| i + 1);
            if buf.len() - cut > MAX_LINE {
                let reason = format!("a line is longer than {} MiB: this is not a table of rows", MAX_LINE >> 20);
                let _ = tx.send(Err(ParseError::Invalid { file: label.to_string(), reason }));
                return;
            }
            carry.extend_from_slice(&buf[cut..]);
            buf.truncate(cut);
        }
        if tx.send(Ok(Block { bytes: buf, at_eof, read })).is_err() || at_eof {
            return;
        }
    }
}
