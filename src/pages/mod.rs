//! The pages, each its own module and HTML page: each holds one state and wires it to
//! the components.

pub mod compare;
pub mod console;
pub mod explorer;
pub mod exports;
pub mod lessons;
