//! A TCP connection that may be upgraded to TLS in the middle (STARTTLS) or from the start.

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;

/// How long a TLS handshake may wait for the client: enough for a satellite link's round
/// trips (over a second each), short enough that a silent client lets go.
const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Plain TCP, or TLS over it.
#[derive(Debug)]
pub enum Stream {
    Plain(TcpStream),
    Tls(Box<rustls::StreamOwned<rustls::ServerConnection, TcpStream>>),
}

impl Stream {
    /// Starts TLS as the server on this connection. The handshake runs on first use.
    pub fn into_tls(self, config: &Arc<rustls::ServerConfig>) -> io::Result<Stream> {
        let tcp = match self {
            Stream::Plain(tcp) => tcp,
            tls @ Stream::Tls(_) => return Ok(tls),
        };
        let conn = rustls::ServerConnection::new(config.clone())
            .map_err(|e| io::Error::other(format!("TLS: {e}")))?;
        // The connection's short poll timeout is for a session's idle loop; a handshake may
        // take several round trips on a slow link, so it gets its own, longer one.
        let poll = tcp.read_timeout()?;
        tcp.set_read_timeout(Some(HANDSHAKE_TIMEOUT))?;
        let mut stream = rustls::StreamOwned::new(conn, tcp);
        // Finish the handshake now, so a failure is reported where it happens.
        while stream.conn.is_handshaking() {
            stream.conn.complete_io(&mut stream.sock)?;
        }
        stream.sock.set_read_timeout(poll)?;
        Ok(Stream::Tls(Box::new(stream)))
    }

    pub fn is_tls(&self) -> bool {
        matches!(self, Stream::Tls(_))
    }

    pub fn tcp(&self) -> &TcpStream {
        match self {
            Stream::Plain(tcp) => tcp,
            Stream::Tls(s) => &s.sock,
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.read(buf),
            Stream::Tls(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Plain(s) => s.write(buf),
            Stream::Tls(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Plain(s) => s.flush(),
            Stream::Tls(s) => s.flush(),
        }
    }
}
