//! A real `billrecon serve` for the end-to-end and browser tests: a month posted into a new
//! ledger (its folder then removed: the ledger is all the server needs), users added through
//! `billrecon user add --password-stdin`, the server started on 127.0.0.1 port 0 and stopped by
//! its own handle when dropped. A small HTTP/1.1 client talks to it over loopback.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

pub const PASSWORD: &str = "correct horse battery";

/// The test users: login, role, and the scope flags.
pub const USERS: &[(&str, &[&str])] = &[
    ("sup", &["--role", "supervisor"]),
    ("clerk", &["--role", "clerk"]),
    ("arts", &["--role", "program", "--account", "1010-ARTS"]),
    ("sped", &["--role", "program", "--account", "1030-SPED"]),
    ("e1001", &["--role", "employee", "--employee", "E1001"]),
];

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_billrecon"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the binary; panics unless it exits `code`.
pub fn billrecon(args: &[&str], stdin: Option<&str>, code: i32) -> String {
    let mut c =
        Command::new(bin()).args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    if let Some(s) = stdin {
        // A command refused before it reads its input closes the pipe: that is its answer.
        let _ = c.stdin.take().unwrap().write_all(s.as_bytes());
    }
    drop(c.stdin.take());
    let out = c.wait_with_output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "billrecon {args:?}:\n{text}");
    text
}

/// A posted ledger with the test users, in a temporary folder.
pub struct Posted {
    pub dir: tempfile::TempDir,
    pub ledger: PathBuf,
}

pub fn posted(month: &str) -> Posted {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join(month);
    std::fs::create_dir_all(&m).unwrap();
    let from = root().join("fixtures").join(month);
    for e in std::fs::read_dir(&from).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, m.join(p.file_name().unwrap())).unwrap();
    }
    let ledger = dir.path().join("billrecon.db");
    let l = ledger.to_str().unwrap();
    billrecon(&["post", m.to_str().unwrap(), "--ledger", l, "-q"], None, 1);
    // The month folder is gone: every page must come from the ledger.
    std::fs::remove_dir_all(&m).unwrap();
    for (login, flags) in USERS {
        let mut args = vec!["user", "add", login, "--password-stdin", "--ledger", l];
        args.extend_from_slice(flags);
        billrecon(&args, Some(&format!("{PASSWORD}\n")), 0);
    }
    Posted { dir, ledger }
}

/// A running server, stopped when dropped.
pub struct Server {
    child: Child,
    pub url: String,
    pub addr: String,
}

impl Server {
    pub fn start(ledger: &Path) -> Server {
        Server::start_with(ledger, &[])
    }

    pub fn start_with(ledger: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .args(["serve", "--ledger", ledger.to_str().unwrap(), "--port", "0"])
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let url = first.trim().to_string();
        assert!(url.starts_with("http://127.0.0.1:") && url.ends_with('/'), "first line: {url:?}");
        let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
        Server { child, url, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// One request over a new connection (`Connection: close`).
pub fn request(addr: &str, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    if method == "POST" {
        req.push_str("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines.filter_map(|l| l.split_once(": ")).map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Answer { status, headers, body: body.to_string() }
}

pub fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.bytes()
                    .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
                    .collect::<String>()
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The value of the first `name="csrf"` input of a page.
pub fn csrf_of(page: &str) -> String {
    page.split("name=\"csrf\" value=\"").nth(1).expect("a csrf input").split('"').next().unwrap().to_string()
}

/// Logs in over HTTP as the acceptance check does: GET /login, POST /login; returns the cookie.
pub fn login(addr: &str, login: &str) -> String {
    let page = request(addr, "GET", "/login", &[], "");
    let csrf = csrf_of(&page.body);
    let a = request(addr, "POST", "/login", &[], &form(&[("login", login), ("password", PASSWORD), ("csrf", &csrf)]));
    assert_eq!(a.status, 303, "{}", a.body);
    a.header("set-cookie").expect("a session cookie").split(';').next().unwrap().to_string()
}

/// The sample month without its attestations CSV, opened for review (`billrecon open`) into a new
/// ledger: (the folder holding both, the month folder, the ledger).
pub fn opened_without_csv() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("2026-10");
    std::fs::create_dir_all(&m).unwrap();
    for e in std::fs::read_dir(root().join("fixtures/2026-10")).unwrap() {
        let p = e.unwrap().path();
        if p.file_name().unwrap() != "attestations.csv" {
            std::fs::copy(&p, m.join(p.file_name().unwrap())).unwrap();
        }
    }
    let manifest = std::fs::read_to_string(m.join("billrecon.toml")).unwrap();
    let manifest: String = manifest.lines().filter(|l| !l.starts_with("attestations")).map(|l| format!("{l}\n")).collect();
    std::fs::write(m.join("billrecon.toml"), manifest).unwrap();
    let ledger = dir.path().join("billrecon.db");
    let opened = billrecon(&["open", m.to_str().unwrap(), "--ledger", ledger.to_str().unwrap()], None, 0);
    assert!(opened.starts_with("Opened 2026-10 for review in "), "{opened}");
    (dir, m, ledger)
}
