//! The vendored scripts over real HTTP: gzipped for clients that accept it, byte for byte the
//! same file once unzipped, plain for the others; images as they are.

mod common;
use common::start;
use std::io::{Read, Write};

/// A GET returning the status, the lower-cased head and the raw body bytes.
fn get_bytes(s: &common::Server, path: &str, extra: &str) -> (u16, String, Vec<u8>) {
    let mut c = std::net::TcpStream::connect(s.addr).unwrap();
    write!(c, "GET {path} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n{extra}\r\n").unwrap();
    let mut raw = Vec::new();
    c.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..end]).to_lowercase();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[end + 4..].to_vec())
}

#[test]
fn scripts_are_gzipped_for_clients_that_accept_it() {
    let s = start();
    let original = include_bytes!("../static/htmx/htmx.min.js");
    let (status, head, body) = get_bytes(&s, "/static/htmx/htmx.min.js", "Accept-Encoding: gzip, br\r\n");
    assert_eq!(status, 200);
    assert!(head.contains("content-encoding: gzip") && head.contains("vary: accept-encoding"), "{head}");
    assert!(body.len() * 2 < original.len(), "{} bytes gzipped, {} plain", body.len(), original.len());
    let mut unzipped = Vec::new();
    flate2::read::GzDecoder::new(&body[..]).read_to_end(&mut unzipped).unwrap();
    assert_eq!(unzipped, original, "the same file once unzipped");

    let (_, head, body) = get_bytes(&s, "/static/htmx/htmx.min.js", "Accept-Encoding: gzip;q=0\r\n");
    assert!(!head.contains("content-encoding"), "{head}");
    assert_eq!(body, original);
    let (_, head, body) = get_bytes(&s, "/static/htmx/htmx.min.js", "");
    assert!(!head.contains("content-encoding") && body == original);

    // Images are compressed already; pages are never gzipped (they may hold a CSRF token).
    let (_, head, _) = get_bytes(&s, "/static/leaflet/images/layers.png", "Accept-Encoding: gzip\r\n");
    assert!(!head.contains("content-encoding"), "{head}");
    let (_, head, _) = get_bytes(&s, "/", "Accept-Encoding: gzip\r\n");
    assert!(!head.contains("content-encoding"), "{head}");
}
