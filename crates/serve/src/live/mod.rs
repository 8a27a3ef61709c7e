//! Live mode (`--web`): every session as a stream of events for the live page, the pages
//! themselves over HTTP, and the stream over a WebSocket.

mod hub;
mod watch;
pub mod web;

pub use hub::{Batch, Bounds, Hub};
pub use postroom_proto::live::{Ports, Settings};
pub use watch::Watch;
