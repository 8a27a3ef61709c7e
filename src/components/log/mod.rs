//! The log page's own parts: where a log is pasted, dropped or chosen (with the examples and
//! the formats understood), and what the engine read in it (format, protocol, notices,
//! findings). Plain functions: props in, `LogAction`s out. The session itself is shown by
//! the explorer's own `ExplorerView`.

mod input;
mod summary;

pub use input::{log_input, InputProps};
pub use summary::log_summary;
