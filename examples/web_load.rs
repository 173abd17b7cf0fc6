//! A load client for `benches/web.sh`: CONNECTIONS concurrent clients, each over its own
//! keep-alive connection, request the findings queue of MONTH page after page (the pages in
//! turn), REQUESTS times each; prints the latency percentiles and the status counts.
//!
//! `cargo run --release --example web_load -- ADDR COOKIE MONTH PAGES CONNECTIONS REQUESTS`
//!
//! Loopback only: ADDR must be 127.0.0.1:PORT. std only (threads and a blocking socket).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() != 6 {
        eprintln!("usage: web_load ADDR COOKIE MONTH PAGES CONNECTIONS REQUESTS");
        std::process::exit(2);
    }
    let (addr, cookie, month) = (a[0].clone(), a[1].clone(), a[2].clone());
    assert!(addr.starts_with("127.0.0.1:"), "loopback only");
    let pages: u64 = a[3].parse().unwrap();
    let conns: usize = a[4].parse().unwrap();
    let reqs: usize = a[5].parse().unwrap();
    let start = Instant::now();
    let workers: Vec<_> = (0..conns)
        .map(|w| {
            let (addr, cookie, month) = (addr.clone(), cookie.clone(), month.clone());
            std::thread::spawn(move || {
                let mut out = Vec::with_capacity(reqs);
                let mut s = BufReader::new(TcpStream::connect(&addr).unwrap());
                for i in 0..reqs {
                    let page = 1 + ((w * reqs + i) as u64 % pages.max(1));
                    let req = format!("GET /months/{month}?page={page} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\r\n");
                    let t = Instant::now();
                    s.get_mut().write_all(req.as_bytes()).unwrap();
                    let status = read_answer(&mut s);
                    out.push((t.elapsed(), status));
                }
                out
            })
        })
        .collect();
    let mut all: Vec<(Duration, u16)> = workers.into_iter().flat_map(|w| w.join().unwrap()).collect();
    let wall = start.elapsed();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p).ceil() as usize).clamp(1, all.len()) - 1].0.as_secs_f64() * 1000.0;
    let ok = all.iter().filter(|(_, s)| *s == 200).count();
    println!(
        "{} requests over {conns} connections in {:.2} s ({:.0}/s): {ok} answered 200; latency ms p50 {:.1} p90 {:.1} p99 {:.1} max {:.1}",
        all.len(),
        wall.as_secs_f64(),
        all.len() as f64 / wall.as_secs_f64(),
        pct(0.50),
        pct(0.90),
        pct(0.99),
        pct(1.0)
    );
    if ok != all.len() {
        std::process::exit(1);
    }
}

/// Reads one answer (status line, headers, a Content-Length body); returns the status.
fn read_answer(s: &mut BufReader<TcpStream>) -> u16 {
    let mut line = String::new();
    s.read_line(&mut line).unwrap();
    let status = line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let mut len = 0usize;
    loop {
        line.clear();
        s.read_line(&mut line).unwrap();
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
            len = v.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0u8; len];
    s.read_exact(&mut body).unwrap();
    status
}
