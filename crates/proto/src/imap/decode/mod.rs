//! IMAP parsers (RFC 9051 §9 ABNF), written with nom; each is named after its rule.
//!
//! Framing first: [`frame`] finds one whole command (or response) including its literals,
//! and says how many synchronising literals it has seen, so the server knows when to send
//! "+" (RFC 9051 §7.5). The complete command, literals inline, is then parsed as a whole.
//!
//! One file per kind of thing parsed: `frame` (whole commands), `basic` (atoms, strings,
//! numbers, flags), `datetime`, `sequence` (sequence sets), `fetch` (FETCH items and body
//! sections), `search` (SEARCH keys), `status` (STATUS items), `list` (extended LIST
//! options) and `command`. They depend on `types` and `mime` only.

use nom::IResult;

mod basic;
mod command;
mod datetime;
mod fetch;
mod frame;
#[cfg(feature = "imap4rev2")]
mod list;
mod search;
mod sequence;
#[cfg(feature = "mailboxes")]
mod status;

pub use basic::{is_done, normalise_flag};
pub use command::{command, CommandError};
pub use datetime::days_from_civil;
pub use frame::{frame, frame_resuming, frame_within, Framing, Progress};

type Res<'a, T> = IResult<&'a [u8], T>;

#[cfg(test)]
mod tests;
