//! SIGTERM drains: the real binary, asked to stop while a request is half sent, still answers
//! that request, then exits cleanly.

// A test binary: its helpers may panic on what the test does not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn inservice(data: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inservice"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("INSERVICE_DATA_DIR", data)
        .env("INSERVICE_BIND", "127.0.0.1:0")
        .env("INSERVICE_SPA_DIR", data.join("no-spa"))
        .env("INSERVICE_BACKUP_DAILY", "false")
        .env("INSERVICE_LOG", "warn");
    command
}

/// Reads one response whose body has a `Content-Length`.
fn read_response(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        stream.read_exact(&mut byte).unwrap();
        head.push(byte[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().parse().unwrap())
        })
        .unwrap_or(0);
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).unwrap();
    head + &String::from_utf8_lossy(&body)
}

#[cfg(unix)]
#[test]
fn sigterm_finishes_the_request_in_flight_then_exits() {
    let data = std::env::temp_dir().join(format!("inservice-sigterm-{}", std::process::id()));
    std::fs::create_dir_all(&data).unwrap();
    assert!(inservice(&data).arg("migrate").status().unwrap().success());
    let mut server = inservice(&data)
        .arg("serve")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("inservice is serving on http://")
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned)
        })
        .expect("the server says where it listens");
    // Keep reading its output so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));

    let body = br#"{"login": "nobody", "password": "not-the-password"}"#;
    let mut stream = TcpStream::connect(&address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    // A first request on the same connection proves the server took it (not merely queued in
    // the listener's backlog) before the signal.
    write!(
        stream,
        "GET /api/v1/health HTTP/1.1\r\nHost: {address}\r\n\r\n"
    )
    .unwrap();
    assert!(read_response(&mut stream).starts_with("HTTP/1.1 200"));
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(&body[..10]).unwrap();
    std::thread::sleep(Duration::from_millis(300));

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    std::thread::sleep(Duration::from_millis(500));
    stream.write_all(&body[10..]).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 401"),
        "the request in flight is answered: {answer}"
    );

    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server stops after draining");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(status.success(), "a clean exit: {status}");
    assert!(
        TcpStream::connect(&address).is_err(),
        "nothing listens any more"
    );
    std::fs::remove_dir_all(&data).unwrap();
}
