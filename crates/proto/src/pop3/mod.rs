//! POP3 (RFC 1939): download mail from a maildrop, then usually delete it.
//!
//! ```text
//!            greeting (+OK)
//!                 |
//!          AUTHORIZATION   USER/PASS, APOP, AUTH, CAPA, STLS     QUIT: close, no UPDATE
//!                 | login (+OK), the maildrop is locked
//!           TRANSACTION    STAT LIST RETR TOP UIDL DELE RSET NOOP CAPA
//!                 | QUIT
//!             UPDATE       messages marked by DELE are removed, the lock released
//! ```
//! A connection that ends without QUIT never reaches UPDATE: nothing is deleted.

pub mod client;
pub mod decode;
pub mod encode;
pub mod explain;
pub mod server;
pub mod session;
pub mod types;

pub use client::{ClientConfig, ClientEvent, Keep, Login, Pop3Client};
pub use server::{Pop3Server, ServerConfig, ServerEvent};
pub use session::Pop3Narrator;
pub use types::{Command, Response, State};
