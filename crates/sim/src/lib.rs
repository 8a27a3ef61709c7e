//! The Postroom world: hosts joined by links with latency, a DNS resolver, a virtual clock,
//! and a timeline that records every line crossing a link — from Alice's laptop through her
//! provider and Bob's MX to Bob's phone and laptop.
//!
//! Deterministic: the same scenario gives the same timeline on every machine. The UI only
//! renders the timeline; it never drives a protocol session itself.

mod clock;
pub mod compare;
pub mod console;
mod conversation;
mod device;
mod drive;
pub mod export;
pub mod fault_marks;
pub mod host;
#[cfg(feature = "lab")]
pub mod lab;
pub mod lesson;
pub mod log;
mod narration;
mod net;
mod recorder;
pub mod scenario;
pub mod share;
pub mod timeline;
pub mod world;

pub use fault_marks::fault_marks;
pub use host::{Host, HostId};
pub use scenario::{
    Action, Device, DeviceSettings, Email, Fault, FetchProtocol, Outgoing, Scenario, Security,
};
pub use timeline::{Direction, MailboxEntry, MailboxView, Phase, Protocol, Step, Stored, Timeline};
pub use world::{run, run_limited, ScenarioError};
