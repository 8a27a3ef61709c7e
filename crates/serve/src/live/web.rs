//! Live mode's web side: the built pages (dist/) over plain HTTP, and the live stream over a
//! WebSocket at [`STREAM_PATH`] (with [`STATUS_PATH`] to tell the bridge from another host).
//! One thread per connection, as for the mail ports; requests are read with a size and a time
//! limit, files only from the pages' folder, GET and HEAD only. The WebSocket only streams: what a browser sends on it is read and ignored.

use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use tungstenite::protocol::{Role, WebSocketConfig};
use tungstenite::{Message, WebSocket};

use super::Hub;

pub use postroom_proto::live::{STATUS_BODY, STATUS_PATH, STREAM_PATH};

/// Connections served at once (pages and watchers); more are refused with 503.
const MAX_CONNECTIONS: usize = 128;
/// The longest request head read.
const MAX_HEAD: usize = 8 * 1024;
/// The largest file served.
const MAX_FILE: u64 = 32 * 1024 * 1024;
/// How long a request may take to arrive, and a write to a browser that does not read.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
/// Events sent in one WebSocket message at most (as JSON lines).
const BATCH: usize = 256;
/// How long a watcher sleeps when nothing happens before it looks at its socket again.
const IDLE: Duration = Duration::from_millis(250);
/// A ping this often keeps proxies and browsers from closing a quiet stream.
const PING: Duration = Duration::from_secs(20);

/// Accepts web connections forever.
pub fn serve_web(listener: TcpListener, hub: Arc<Hub>, root: PathBuf) {
    let open = Arc::new(AtomicUsize::new(0));
    let root = Arc::new(root);
    for conn in listener.incoming() {
        let Ok(mut tcp) = conn else { continue };
        if open.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            open.fetch_sub(1, Ordering::SeqCst);
            let _ = tcp.set_write_timeout(Some(REQUEST_TIMEOUT));
            let _ = respond(
                &mut tcp,
                "503 Service Unavailable",
                "text/plain",
                b"busy\n",
                false,
            );
            continue;
        }
        let (hub, root, count) = (hub.clone(), root.clone(), open.clone());
        let spawned = thread::Builder::new().name("web".into()).spawn(move || {
            let _ = handle(tcp, &hub, &root);
            count.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            open.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A request's head, as far as we need it.
struct Request {
    method: String,
    path: String,
    query: String,
    upgrade: bool,
    key: Option<String>,
}

fn read_head(tcp: &mut TcpStream) -> io::Result<Option<Request>> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    let deadline = Instant::now() + REQUEST_TIMEOUT;
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD || Instant::now() > deadline {
            return Ok(None);
        }
        let n = tcp.read(&mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        head.extend_from_slice(buf.get(..n).unwrap_or_default());
    }
    let mut headers = [httparse::EMPTY_HEADER; 32];
    let mut req = httparse::Request::new(&mut headers);
    if !matches!(req.parse(&head), Ok(httparse::Status::Complete(_))) {
        return Ok(None);
    }
    let target = req.path.unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let header = |name: &str| {
        req.headers
            .iter()
            .find(|h| h.name.eq_ignore_ascii_case(name))
            .map(|h| String::from_utf8_lossy(h.value).into_owned())
    };
    Ok(Some(Request {
        method: req.method.unwrap_or("").to_string(),
        path: path.to_string(),
        query: query.to_string(),
        upgrade: header("upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket")),
        key: header("sec-websocket-key"),
    }))
}

fn respond(
    tcp: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
    head_only: bool,
) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-cache\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    );
    tcp.write_all(head.as_bytes())?;
    if !head_only {
        tcp.write_all(body)?;
    }
    tcp.flush()
}

fn handle(mut tcp: TcpStream, hub: &Hub, root: &Path) -> io::Result<()> {
    tcp.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    tcp.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    let Some(req) = read_head(&mut tcp)? else {
        return respond(
            &mut tcp,
            "400 Bad Request",
            "text/plain",
            b"bad request\n",
            false,
        );
    };
    if req.method != "GET" && req.method != "HEAD" {
        return respond(
            &mut tcp,
            "405 Method Not Allowed",
            "text/plain",
            b"only GET and HEAD: this server only shows\n",
            false,
        );
    }
    if req.path == STATUS_PATH {
        let head_only = req.method == "HEAD";
        return respond(
            &mut tcp,
            "200 OK",
            "text/plain; charset=utf-8",
            STATUS_BODY.as_bytes(),
            head_only,
        );
    }
    if req.path == STREAM_PATH {
        let Some(key) = req.key.filter(|_| req.upgrade) else {
            return respond(
                &mut tcp,
                "426 Upgrade Required",
                "text/plain",
                b"the live stream is a WebSocket\n",
                false,
            );
        };
        let since = req
            .query
            .split('&')
            .find_map(|p| p.strip_prefix("since="))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        let accept = tungstenite::handshake::derive_accept_key(key.as_bytes());
        let head = format!(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\
             Sec-WebSocket-Accept: {accept}\r\n\r\n"
        );
        tcp.write_all(head.as_bytes())?;
        return stream(tcp, hub, since);
    }
    let head_only = req.method == "HEAD";
    match file(root, &req.path) {
        Some((bytes, kind)) => respond(&mut tcp, "200 OK", kind, &bytes, head_only),
        None => {
            let body = format!(
                "Not found: {}\nThe pages are served from {}; build them with scripts/build-web.\n",
                req.path,
                root.display()
            );
            respond(
                &mut tcp,
                "404 Not Found",
                "text/plain; charset=utf-8",
                body.as_bytes(),
                head_only,
            )
        }
    }
}

/// A file of the pages' folder and its type; never outside it (no `..`, no hidden names).
fn file(root: &Path, path: &str) -> Option<(Vec<u8>, &'static str)> {
    let path = if path == "/" { "/index.html" } else { path };
    let mut full = root.to_path_buf();
    for part in path.split('/').filter(|p| !p.is_empty()) {
        let safe = !part.starts_with('.')
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
        if !safe {
            return None;
        }
        full.push(part);
    }
    let meta = std::fs::metadata(&full).ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE {
        return None;
    }
    let kind = match full.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        Some("txt") => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    };
    Some((std::fs::read(&full).ok()?, kind))
}

/// Streams the history after `since`, then every event as it happens, until the browser
/// leaves or stops reading.
fn stream(tcp: TcpStream, hub: &Hub, since: u64) -> io::Result<()> {
    // Short reads: the loop looks at the socket for a close between its waits.
    tcp.set_read_timeout(Some(Duration::from_millis(5)))?;
    // What a browser may send is small: it takes no commands.
    let config = WebSocketConfig::default()
        .max_message_size(Some(4096))
        .max_frame_size(Some(4096));
    let mut ws = WebSocket::from_raw_socket(tcp, Role::Server, Some(config));
    let mut batch = hub.first(since, BATCH);
    let mut last_sent = Instant::now();
    loop {
        if !batch.lines.is_empty() {
            ws.send(Message::text(batch.lines.join("\n")))
                .map_err(io::Error::other)?;
            last_sent = Instant::now();
        }
        let cursor = batch.cursor;
        match ws.read() {
            Ok(Message::Close(_)) => return Ok(()),
            // Pings are answered by the library; anything else asks for nothing.
            Ok(_) => {}
            Err(tungstenite::Error::Io(e))
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(io::Error::other(e)),
        }
        if last_sent.elapsed() > PING {
            ws.send(Message::Ping(Vec::new().into()))
                .map_err(io::Error::other)?;
            last_sent = Instant::now();
        }
        hub.wait(cursor, IDLE);
        batch = hub.after(cursor, BATCH);
    }
}
