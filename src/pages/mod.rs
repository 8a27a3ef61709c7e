//! The pages, each its own module and HTML page: each holds one state and wires it to
//! the components.

pub mod compare;
pub mod console;
pub mod explorer;
pub mod exports;
#[cfg(feature = "lab")]
pub mod lab;
pub mod lessons;
pub mod live;
pub mod log;
