//! The hosts and origins this server answers to, and the Content-Security-Policy it sends.

use axum::http::{header, HeaderMap};

/// Scripts and styles only from this server; no inline script; forms post only here.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The hosts and origins this server answers to.
#[derive(Debug, Clone)]
pub struct Allowed {
    /// `Host` header values (`127.0.0.1:8017`, `localhost:8017`, the public origin's host).
    pub hosts: Vec<String>,
    /// `Origin` header values (`http://127.0.0.1:8017`, the public origin).
    pub origins: Vec<String>,
}

impl Allowed {
    pub fn new(bound: std::net::SocketAddr, public_origin: Option<&str>) -> Allowed {
        let port = bound.port();
        let mut hosts = vec![match bound.ip() {
            std::net::IpAddr::V6(ip) => format!("[{ip}]:{port}"),
            ip => format!("{ip}:{port}"),
        }];
        if bound.ip().is_loopback() {
            for h in ["127.0.0.1", "localhost", "[::1]"] {
                hosts.push(format!("{h}:{port}"));
            }
        }
        let mut origins: Vec<String> = hosts.iter().map(|h| format!("http://{h}")).collect();
        if let Some(o) = public_origin {
            let o = o.trim_end_matches('/');
            origins.push(o.to_string());
            if let Some(rest) = o.split_once("://").map(|(_, r)| r) {
                hosts.push(rest.to_string());
            }
        }
        hosts.sort();
        hosts.dedup();
        origins.sort();
        origins.dedup();
        Allowed { hosts, origins }
    }

    pub fn host_ok(&self, headers: &HeaderMap) -> bool {
        headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .is_some_and(|h| self.hosts.iter().any(|a| a.eq_ignore_ascii_case(h)))
    }

    /// A POST is same-origin when its Origin is ours, or (a browser sending none) its
    /// Sec-Fetch-Site says so. A client that sends neither is not a browser and cannot be made to
    /// post by another site; the form token still has to match.
    pub fn same_origin(&self, headers: &HeaderMap) -> bool {
        if let Some(o) = headers.get(header::ORIGIN) {
            return o.to_str().is_ok_and(|o| self.origins.iter().any(|a| a.eq_ignore_ascii_case(o)));
        }
        match headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
            None => true,
            Some(v) => v == "same-origin" || v == "none",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn loopback_names_are_allowed_and_no_others() {
        let a = Allowed::new("127.0.0.1:8017".parse().unwrap(), None);
        assert!(a.host_ok(&headers(&[("host", "127.0.0.1:8017")])));
        assert!(a.host_ok(&headers(&[("host", "localhost:8017")])));
        assert!(!a.host_ok(&headers(&[("host", "evil.example:8017")])), "DNS rebinding");
        assert!(!a.host_ok(&headers(&[("host", "127.0.0.1:9999")])));
        assert!(!a.host_ok(&headers(&[])));
    }

    #[test]
    fn origin_and_fetch_site_decide_a_post() {
        let a = Allowed::new("127.0.0.1:8017".parse().unwrap(), Some("https://bills.example.gov"));
        assert!(a.same_origin(&headers(&[("origin", "http://127.0.0.1:8017")])));
        assert!(a.same_origin(&headers(&[("origin", "https://bills.example.gov")])));
        assert!(!a.same_origin(&headers(&[("origin", "http://127.0.0.1:8018")])), "another local port");
        assert!(!a.same_origin(&headers(&[("origin", "null")])));
        assert!(!a.same_origin(&headers(&[("sec-fetch-site", "cross-site")])));
        assert!(!a.same_origin(&headers(&[("sec-fetch-site", "same-site")])));
        assert!(a.same_origin(&headers(&[("sec-fetch-site", "same-origin")])));
        assert!(a.same_origin(&headers(&[])), "not a browser: the token decides");
        assert!(a.host_ok(&headers(&[("host", "bills.example.gov")])));
    }
}
