//! The Postroom world: hosts joined by links with latency, a virtual clock, and a timeline
//! that records every line crossing a link.
//!
//! Deterministic: the same scenario gives the same timeline on every machine. The UI only
//! renders the timeline; it never drives a protocol session itself.

pub mod host;
pub mod scenario;
pub mod timeline;
pub mod world;

pub use host::{Host, HostId};
pub use scenario::Scenario;
pub use timeline::{Direction, MailboxEntry, Protocol, Step, Timeline};
pub use world::run;
