//! What every protocol shares on the wire: line framing and the TLS choices of servers and
//! clients. No protocol module reaches into another's for these.

pub mod line;
pub mod tls;

pub use line::{line, line_has_bare_lf, LineError};
pub use tls::{ClientTls, TlsPolicy};
