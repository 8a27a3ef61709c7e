//! The loopback bridge: Postroom's protocol engine served on TCP so that real mail software
//! (smtplib, curl, swaks, Thunderbird, ...) can talk to it, with every session's annotated
//! transcript on stdout. It also drives our own client against real servers.
//!
//! TLS here is real (rustls, a self-signed certificate made at start) or absent, never
//! simulated.

pub mod admission;
pub mod args;
pub mod bridge;
pub mod drive;
pub mod live;
pub mod stream;
pub mod tls;
pub mod transcript;
