//! IMAP (RFC 9051, compatible with RFC 3501): mail stays on the server, in folders, and
//! every device sees the same flags.
//!
//! ```text
//!   greeting * OK            (or * PREAUTH, * BYE)
//!        |
//!   not authenticated   CAPABILITY NOOP LOGOUT ID STARTTLS AUTHENTICATE LOGIN
//!        | LOGIN / AUTHENTICATE OK
//!   authenticated       + ENABLE SELECT EXAMINE CREATE DELETE RENAME SUBSCRIBE LIST
//!        | SELECT OK    STATUS APPEND IDLE NAMESPACE
//!   selected            + CLOSE UNSELECT EXPUNGE SEARCH FETCH STORE COPY MOVE UID ...
//!        | LOGOUT (from any state)
//!   logout
//! ```

#[cfg(feature = "mime-structure")]
pub mod body;
pub mod client;
pub mod decode;
pub mod encode;
pub mod explain;
mod explain_data;
pub mod mime;
pub mod response;
#[cfg(feature = "imap4rev2")]
pub mod rev2;
pub mod section;
pub mod server;
pub mod session;
pub mod types;

pub use client::{CachedMessage, ClientConfig, ClientEvent, DeviceCache, ImapClient, Intent};
pub use server::{ImapServer, ServerConfig, ServerEvent};
pub use session::ImapNarrator;
pub use types::{Command, State};
