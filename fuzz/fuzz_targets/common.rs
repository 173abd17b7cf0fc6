//! What every file-reading target shares: the fuzz input written to a file of this process's
//! own (the readers take paths, as the CLI does), on tmpfs where there is one.

use std::path::PathBuf;

pub fn file_with(bytes: &[u8], ext: &str) -> PathBuf {
    let dir = if std::path::Path::new("/dev/shm").is_dir() { PathBuf::from("/dev/shm") } else { std::env::temp_dir() };
    let p = dir.join(format!("billrecon-fuzz-{}.{ext}", std::process::id()));
    std::fs::write(&p, bytes).expect("write the fuzz input");
    p
}
