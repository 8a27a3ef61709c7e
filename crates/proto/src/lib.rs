//! The Postroom protocol engine: SMTP, POP3 and IMAP clients and servers as sans-IO state
//! machines.
//!
//! It is deterministic and does no networking: callers feed received bytes in with
//! `handle_input`, take bytes to send with `poll_output` and learn what happened with
//! `poll_event`. It never reads the OS clock; time is passed in as an [`Instant`].

pub mod base64;
pub mod error;
pub mod explain;
#[cfg(feature = "http")]
pub mod http;
pub mod i18n;
pub mod imap;
pub mod live;
pub mod message;
pub mod mime;
pub mod pop3;
pub mod secret;
pub mod session;
pub mod smtp;
pub mod store;
pub mod time;
pub mod tree;
pub mod wire;

pub use error::{DecodeError, ProtocolError, UsageError};
pub use explain::{Explanation, RfcRef};
pub use message::{dot_stuff, dot_unstuff};
pub use store::{MailStore, StoredMessage};
pub use time::{Duration, Instant};
