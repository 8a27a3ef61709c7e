//! SMTP (RFC 5321): commands, replies, and the client and server sessions.
//!
//! ```text
//!  server state            client sends           server replies
//!  ------------            ------------           --------------
//!  (connect)                                       220 greeting
//!  ExpectHelo          --  EHLO / HELO        -->  250 (+ extensions)
//!  ExpectMail          --  MAIL FROM:<a>      -->  250 | 5xx
//!  ExpectRcpt          --  RCPT TO:<b>        -->  250 | 550 | 452   (repeat)
//!  ExpectRcptOrData    --  DATA               -->  354
//!  ReceivingData       --  message, "." line  -->  250 accepted | 552
//!  ExpectMail          --  QUIT               -->  221, then Closed
//! ```
//! RSET returns to `ExpectMail` from any state after the greeting; EHLO/HELO may be repeated
//! and also reset the transaction (§4.1.4).

pub mod client;
pub mod decode;
pub mod encode;
pub mod explain;
pub mod server;
pub mod session;
pub mod types;

pub use client::{ClientConfig, ClientEvent, ClientTls, SmtpClient};
pub use server::{Role, ServerConfig, ServerEvent, SmtpServer, TlsPolicy};
pub use session::SmtpNarrator;
pub use types::{
    ClientState, Command, Mailbox, Param, Reply, ReplyCode, ReplyTo, ReversePath, ServerState, Verb,
};
