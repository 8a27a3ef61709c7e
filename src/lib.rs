//! The Postroom app: renders a simulated timeline of an email's journey. It never drives a
//! protocol session itself; it only moves a cursor over steps the simulation computed.
//!
//! `state/` holds what each page shows (pure, tested natively), `pages/` wires it to the
//! `components/`, which only render: props in, callbacks out.

pub mod components;
pub mod export;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod state;
pub mod storage;
