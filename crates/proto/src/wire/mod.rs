//! What every protocol shares on the wire: line framing, the TLS choices of servers and
//! clients, and the calendar behind every date written. No protocol module reaches into
//! another's for these.

pub mod calendar;
pub mod line;
pub mod tls;

pub use line::{line, line_has_bare_lf, LineError};
pub use tls::{ClientTls, TlsPolicy};
