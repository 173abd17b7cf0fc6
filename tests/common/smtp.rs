//! A real SMTP server for the tests, on 127.0.0.1 port 0, speaking enough of RFC 5321 for a
//! client that sends mail (EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT). It keeps every message
//! it accepts, and refuses (550) recipients it is told to. Stopped when dropped.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

#[derive(Debug, Clone)]
pub struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

pub struct SmtpServer {
    pub port: u16,
    pub mails: Arc<Mutex<Vec<Mail>>>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl SmtpServer {
    /// Refuses RCPT TO for each address in `refuse`.
    pub fn start(refuse: &[&str]) -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        listener.set_nonblocking(true).unwrap();
        let mails = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let refuse: Vec<String> = refuse.iter().map(|s| s.to_string()).collect();
        let (m, st) = (Arc::clone(&mails), Arc::clone(&stop));
        std::thread::spawn(move || {
            while !st.load(std::sync::atomic::Ordering::Relaxed) {
                match listener.accept() {
                    Ok((conn, _)) => {
                        conn.set_nonblocking(false).unwrap();
                        conn.set_read_timeout(Some(std::time::Duration::from_secs(10))).unwrap();
                        let _ = session(conn, &m, &refuse);
                    }
                    Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
                }
            }
        });
        SmtpServer { port, mails, stop }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn mails(&self) -> Vec<Mail> {
        self.mails.lock().unwrap().clone()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

fn session(conn: TcpStream, mails: &Mutex<Vec<Mail>>, refuse: &[String]) -> std::io::Result<()> {
    let mut w = conn.try_clone()?;
    let mut r = BufReader::new(conn);
    let mut say = |s: &str| w.write_all(format!("{s}\r\n").as_bytes());
    say("220 127.0.0.1 test SMTP ready")?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if r.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let cmd = line.trim_end().to_string();
        let upper = cmd.to_ascii_uppercase();
        if upper.starts_with("EHLO") {
            say("250-127.0.0.1 greets you")?;
            say("250-8BITMIME")?;
            say("250 SMTPUTF8")?;
        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
            say("250 ok")?;
        } else if upper.starts_with("RSET") {
            from.clear();
            to.clear();
            say("250 ok")?;
        } else if upper.starts_with("MAIL FROM:") {
            from = addr(&cmd[10..]);
            say("250 ok")?;
        } else if upper.starts_with("RCPT TO:") {
            let a = addr(&cmd[8..]);
            if refuse.contains(&a) {
                say("550 5.1.1 no such mailbox here")?;
            } else {
                to.push(a);
                say("250 ok")?;
            }
        } else if upper == "DATA" {
            if to.is_empty() {
                say("554 no valid recipients")?;
                continue;
            }
            say("354 end with <CRLF>.<CRLF>")?;
            let mut data = String::new();
            loop {
                line.clear();
                if r.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').filter(|_| line.starts_with("..")).unwrap_or(&line));
            }
            mails.lock().unwrap().push(Mail { from: from.clone(), to: to.clone(), data });
            to.clear();
            say("250 ok: queued")?;
        } else if upper == "QUIT" {
            say("221 bye")?;
            return Ok(());
        } else {
            say("502 command not implemented")?;
        }
    }
}

fn addr(s: &str) -> String {
    let s = s.trim();
    let s = s.split_whitespace().next().unwrap_or("");
    s.trim_start_matches('<').trim_end_matches('>').to_string()
}
