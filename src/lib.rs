//! The Postroom app: renders a simulated timeline of an email's journey. It never drives a
//! protocol session itself; it only moves a cursor over steps the simulation computed.

pub mod app;
pub mod compare_app;
pub mod components;
pub mod console_app;
pub mod hooks;
pub mod state;
pub mod storage;
