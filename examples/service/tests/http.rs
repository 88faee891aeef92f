//! The service answering real HTTP requests: each test starts the `htx-rules-service` binary on
//! 127.0.0.1 port 0 (the address it prints), sends HTTP/1.1 requests over a plain TCP socket and
//! checks the answers against the engine called in-process.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use htx_rules::{Date, Engine};
use serde_json::{json, Value};

const COOP: &str = include_str!("../../cooperative.json");
const BAD_FORM: &str = include_str!("../../bad-form.json");

/// The service binary, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_htx-rules-service"))
            .args(["--listen", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the service binary");
        let mut line = String::new();
        BufReader::new(child.stderr.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|s| s.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in the service's first line: {line:?}"))
            .to_string();
        Server { child, addr }
    }

    fn post(&self, path: &str, body: &[u8]) -> Reply {
        request(&self.addr, "POST", path, body)
    }

    fn get(&self, path: &str) -> Reply {
        request(&self.addr, "GET", path, b"")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// One HTTP/1.1 request (`Connection: close`), the reply read to the end.
fn request(addr: &str, method: &str, path: &str, body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(30))).unwrap();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    // A server may answer (413) and close before reading a body over its limit: a failed write is
    // not the test's concern, the reply is.
    let _ = s.write_all(body);
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            // a reset after the reply has arrived (the unread part of a refused body)
            Err(_) if raw.windows(4).any(|w| w == b"\r\n\r\n") => break,
            Err(e) => panic!("reading the reply: {e}"),
        }
    }
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(raw)));
    let head = std::str::from_utf8(&raw[..end]).unwrap();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|c| c.parse().ok())
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let rest = &raw[end + 4..];
    let chunked = headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        let len = headers
            .iter()
            .find(|(k, _)| k == "content-length")
            .map(|(_, v)| v.parse::<usize>().unwrap())
            .unwrap_or(rest.len());
        assert!(rest.len() >= len, "short body: {} of {len}", rest.len());
        rest[..len].to_vec()
    };
    Reply {
        status,
        headers,
        body,
    }
}

fn dechunk(mut rest: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let eol = rest.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&rest[..eol]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&rest[eol + 2..eol + 2 + size]);
        rest = &rest[eol + 2 + size + 2..];
    }
}

fn engine() -> Engine {
    Engine::embedded().unwrap()
}

fn date(s: &str) -> Date {
    Date::parse(s).unwrap()
}

#[test]
fn evaluates_a_women_managed_cooperative_as_the_engine_does() {
    let server = Server::start(&[]);
    let r = server.post("/evaluate/cooperative?as_of=2025-06-30", COOP.as_bytes());
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("x-htx-as-of"), Some("2025-06-30"));
    let got = r.json();
    assert_eq!(got["id"], "BT-HTX-0001");
    assert_eq!(got["decisions"]["women_managed"]["outcome"], "yes");
    assert_eq!(got["decisions"]["many_female_jobs"]["value"], "0.775");
    // exactly the contract JSON the core gives in-process
    let record: Value = serde_json::from_str(COOP).unwrap();
    let want = engine()
        .evaluate("cooperative", &record, date("2025-06-30"))
        .unwrap()
        .to_json();
    assert_eq!(got, want);
}

#[test]
fn an_array_gets_an_array_in_input_order() {
    let server = Server::start(&[]);
    let records = json!([
        serde_json::from_str::<Value>(COOP).unwrap(),
        { "id": "BT-THT-0002", "kind": "tht", "managers": [ { "role": "group_leader", "gender": "male" } ],
          "workers": { "total": 10, "female": 6 } },
        { "id": "BT-HTX-0003", "kind": "htx" }
    ]);
    let r = server.post(
        "/evaluate/cooperative?as_of=2026-03-01",
        records.to_string().as_bytes(),
    );
    assert_eq!(r.status, 200, "{}", String::from_utf8_lossy(&r.body));
    let got = r.json();
    let outcomes: Vec<(&str, &str)> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["id"].as_str().unwrap(),
                e["decisions"]["women_managed"]["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("BT-HTX-0001", "yes"),
            ("BT-THT-0002", "no"),
            ("BT-HTX-0003", "unknown")
        ]
    );
    let e = engine();
    let want: Vec<Value> = records
        .as_array()
        .unwrap()
        .iter()
        .map(|rec| {
            e.evaluate("cooperative", rec, date("2026-03-01"))
                .unwrap()
                .to_json()
        })
        .collect();
    assert_eq!(got, Value::Array(want));
}

#[test]
fn without_as_of_the_date_is_today() {
    let server = Server::start(&[]);
    let r = server.post("/evaluate/cooperative", COOP.as_bytes());
    assert_eq!(r.status, 200);
    let today = htx_rules_service::today().to_string();
    assert_eq!(r.header("x-htx-as-of"), Some(today.as_str()));
}

#[test]
fn a_bad_body_gets_400_with_line_and_column() {
    let server = Server::start(&[]);
    let body = "{\n  \"kind\": \"htx\",\n  \"workers\": { \"total\": 40,, }\n}";
    let r = server.post("/evaluate/cooperative?as_of=2025-06-30", body.as_bytes());
    assert_eq!(r.status, 400);
    let e = r.json();
    assert_eq!(e["code"], "input.json");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(3), Some(28))
    );
    assert!(
        e["message"]["en"]
            .as_str()
            .unwrap()
            .starts_with("line 3, column 28: invalid JSON"),
        "{e}"
    );
    assert!(
        e["message"]["vi"]
            .as_str()
            .unwrap()
            .starts_with("dòng 3, cột 28: JSON không hợp lệ"),
        "{e}"
    );
    // validate reads its body the same way
    let r = server.post("/validate/cooperative", b"");
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], "input.json");
}

#[test]
fn unknown_entity_rule_and_route_get_404_and_a_wrong_method_405() {
    let server = Server::start(&[]);
    let r = server.post("/evaluate/cooperatives?as_of=2025-06-30", COOP.as_bytes());
    assert_eq!(r.status, 404);
    let e = r.json();
    assert_eq!(e["code"], "entity.unknown");
    assert!(e["message"]["vi"]
        .as_str()
        .unwrap()
        .contains("cooperatives"));
    assert!(e["message"]["en"]
        .as_str()
        .unwrap()
        .contains("cooperatives"));
    // the entity is checked before the body
    let r = server.post("/validate/nobody", b"not json");
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (404, json!("entity.unknown"))
    );

    let r = server.get("/explain/no_such_rule");
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (404, json!("rule.unknown"))
    );

    let r = server.get("/evaluate");
    assert_eq!(r.status, 404);
    let e = r.json();
    assert_eq!(e["code"], "route.unknown");
    let en = e["message"]["en"].as_str().unwrap();
    assert!(
        ["cooperative", "person", "progress", "/healthz"]
            .iter()
            .all(|w| en.contains(w)),
        "{en}"
    );

    let r = server.get("/evaluate/cooperative");
    assert_eq!(
        (r.status, r.json()["code"].clone()),
        (405, json!("route.method"))
    );
}

#[test]
fn a_bad_as_of_gets_400() {
    let server = Server::start(&[]);
    let r = server.post("/evaluate/cooperative?as_of=2025-02-30", COOP.as_bytes());
    assert_eq!(r.status, 400);
    let e = r.json();
    assert_eq!(e["code"], "input.date");
    assert!(e["message"]["en"].as_str().unwrap().contains("2025-02-30"));
}

#[test]
fn a_record_that_is_not_an_object_gets_422_with_its_pointer() {
    let server = Server::start(&[]);
    let body = format!("[{COOP}, 42]");
    let r = server.post("/evaluate/cooperative?as_of=2025-06-30", body.as_bytes());
    assert_eq!(r.status, 422);
    let e = r.json();
    assert_eq!(e["code"], "facts.invalid");
    assert_eq!(e["errors"][0]["field"], "/1");
    assert_eq!(e["errors"][0]["code"], "facts.type");
}

#[test]
fn validate_and_explain_answer_as_the_engine_does() {
    let server = Server::start(&[]);
    let r = server.post(
        "/validate/cooperative?as_of=2025-06-30",
        BAD_FORM.as_bytes(),
    );
    assert_eq!(r.status, 200);
    let got = r.json();
    assert_eq!(got["valid"], false);
    let fields: Vec<&str> = got["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["/established_on", "/workers/female", "/managers/0/role"]
    );
    let record: Value = serde_json::from_str(BAD_FORM).unwrap();
    let want = engine()
        .validate("cooperative", &record, date("2025-06-30"))
        .unwrap()
        .to_json();
    assert_eq!(got, want);
    // an array of forms: one validation per form
    let r = server.post(
        "/validate/cooperative?as_of=2025-06-30",
        format!("[{COOP}, {BAD_FORM}]").as_bytes(),
    );
    let valid: Vec<Value> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["valid"].clone())
        .collect();
    assert_eq!(valid, [json!(true), json!(false)]);

    let r = server.get("/explain/many_female_jobs");
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        engine().explain("many_female_jobs").unwrap().to_json()
    );

    let r = server.get("/healthz");
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["packs"][0]["id"], "ben-tre-2747");
}

#[test]
fn a_body_over_the_limit_gets_413_and_a_big_batch_under_it_is_answered() {
    let limit = 256 * 1024;
    let server = Server::start(&["--max-body-bytes", &limit.to_string()]);
    // ~150 KiB: over the in-place threshold, answered on the blocking pool
    let n = 300;
    let batch = format!("[{}]", vec![COOP; n].join(","));
    assert!(batch.len() > 64 * 1024 && batch.len() < limit);
    let r = server.post("/evaluate/cooperative?as_of=2025-06-30", batch.as_bytes());
    assert_eq!(r.status, 200);
    let got = r.json();
    assert_eq!(got.as_array().unwrap().len(), n);
    assert!(got
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["decisions"]["counts_as_new"]["outcome"] == "yes"));

    let big = format!("[{}]", vec![COOP; 2 * n].join(","));
    assert!(big.len() > limit);
    let r = server.post("/evaluate/cooperative?as_of=2025-06-30", big.as_bytes());
    assert_eq!(r.status, 413);
    let e = r.json();
    assert_eq!(e["code"], "input.too_large");
    assert_eq!(e["limit_bytes"], limit);
    assert!(e["message"]["en"]
        .as_str()
        .unwrap()
        .contains("262144 bytes"));
}

#[test]
fn one_engine_serves_many_connections_at_once() {
    let server = Server::start(&[]);
    let addr = server.addr.clone();
    let want = server
        .post("/evaluate/cooperative?as_of=2025-06-30", COOP.as_bytes())
        .json();
    let answers: Vec<Value> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| {
                    (0..20)
                        .map(|_| {
                            let r = request(
                                &addr,
                                "POST",
                                "/evaluate/cooperative?as_of=2025-06-30",
                                COOP.as_bytes(),
                            );
                            assert_eq!(r.status, 200);
                            r.json()
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert_eq!(answers.len(), 160);
    assert!(answers.iter().all(|a| *a == want));
}
