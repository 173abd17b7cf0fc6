//! Server-side sessions, the login form's one-time tokens, and the throttle that slows a login
//! after repeated failures. All in memory: restarting `serve` logs everyone out.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// 32 random bytes as hex: a session id, a form token.
pub fn token() -> String {
    let mut b = [0u8; 32];
    // The operating system's generator; without it no session could be safe, so none is made.
    getrandom::getrandom(&mut b).expect("the operating system's random generator");
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// A logged-in session.
#[derive(Debug, Clone)]
pub struct Session {
    pub login: String,
    /// The token every form of this session carries.
    pub csrf: String,
    last_seen: Instant,
}

/// How long a session lasts without a request.
pub const IDLE: Duration = Duration::from_secs(8 * 3600);
/// How long a login form stays valid.
const LOGIN_FORM: Duration = Duration::from_secs(3600);
/// At most this many login forms are outstanding (the oldest are forgotten first).
const MAX_LOGIN_FORMS: usize = 10_000;
/// Failures allowed before a login is slowed.
pub const FREE_FAILURES: u32 = 5;

#[derive(Default)]
pub struct Sessions {
    sessions: Mutex<HashMap<String, Session>>,
    login_forms: Mutex<HashMap<String, Instant>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Sessions {
    /// Starts a session for `login`; returns its id.
    pub fn start(&self, login: &str) -> String {
        let id = token();
        let s = Session { login: login.to_string(), csrf: token(), last_seen: Instant::now() };
        let mut all = lock(&self.sessions);
        all.retain(|_, s| s.last_seen.elapsed() < IDLE);
        all.insert(id.clone(), s);
        id
    }

    /// The live session with this id (its idle clock restarted).
    pub fn get(&self, id: &str) -> Option<Session> {
        let mut all = lock(&self.sessions);
        match all.get_mut(id) {
            Some(s) if s.last_seen.elapsed() < IDLE => {
                s.last_seen = Instant::now();
                Some(s.clone())
            }
            Some(_) => {
                all.remove(id);
                None
            }
            None => None,
        }
    }

    pub fn end(&self, id: &str) {
        lock(&self.sessions).remove(id);
    }

    /// A one-time token for a login form.
    pub fn login_form(&self) -> String {
        let t = token();
        let mut forms = lock(&self.login_forms);
        forms.retain(|_, at| at.elapsed() < LOGIN_FORM);
        if forms.len() >= MAX_LOGIN_FORMS {
            if let Some(oldest) = forms.iter().min_by_key(|(_, at)| **at).map(|(k, _)| k.clone()) {
                forms.remove(&oldest);
            }
        }
        forms.insert(t.clone(), Instant::now());
        t
    }

    /// Takes a login form's token: true once, for a token this server issued within the hour.
    pub fn take_login_form(&self, t: &str) -> bool {
        matches!(lock(&self.login_forms).remove(t), Some(at) if at.elapsed() < LOGIN_FORM)
    }

    /// How long a login must wait before it may be tried again (None: now). After
    /// [`FREE_FAILURES`] failures, each further one doubles the wait, from one second to a minute.
    pub fn wait_for(&self, login: &str) -> Option<Duration> {
        let f = lock(&self.failures);
        let (n, last) = f.get(login)?;
        if *n < FREE_FAILURES {
            return None;
        }
        let wait = Duration::from_secs(1u64 << (n - FREE_FAILURES).min(6)).min(Duration::from_secs(60));
        let since = last.elapsed();
        (since < wait).then(|| wait - since)
    }

    pub fn failed(&self, login: &str) {
        let mut f = lock(&self.failures);
        if f.len() > 100_000 {
            f.retain(|_, (_, at)| at.elapsed() < Duration::from_secs(3600));
        }
        let e = f.entry(login.to_string()).or_insert((0, Instant::now()));
        e.0 += 1;
        e.1 = Instant::now();
    }

    pub fn succeeded(&self, login: &str) {
        lock(&self.failures).remove(login);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_login_form_token_works_once() {
        let s = Sessions::default();
        let t = s.login_form();
        assert!(s.take_login_form(&t));
        assert!(!s.take_login_form(&t));
        assert!(!s.take_login_form("made-up"));
    }

    #[test]
    fn logins_are_slowed_after_five_failures() {
        let s = Sessions::default();
        for _ in 0..FREE_FAILURES - 1 {
            s.failed("clerk");
        }
        assert_eq!(s.wait_for("clerk"), None);
        s.failed("clerk");
        let w = s.wait_for("clerk").expect("slowed");
        assert!(w <= Duration::from_secs(1) && w > Duration::from_millis(500), "{w:?}");
        s.failed("clerk");
        assert!(s.wait_for("clerk").unwrap() > Duration::from_millis(1500));
        assert_eq!(s.wait_for("supervisor"), None, "another login is not slowed");
        s.succeeded("clerk");
        assert_eq!(s.wait_for("clerk"), None);
    }

    #[test]
    fn sessions_end() {
        let s = Sessions::default();
        let a = s.start("clerk");
        let b = s.start("clerk");
        assert_ne!(a, b);
        assert_eq!(s.get(&a).unwrap().login, "clerk");
        assert_ne!(s.get(&a).unwrap().csrf, s.get(&b).unwrap().csrf);
        s.end(&a);
        assert!(s.get(&a).is_none());
        assert!(s.get(&b).is_some(), "only that session ended");
    }
}
