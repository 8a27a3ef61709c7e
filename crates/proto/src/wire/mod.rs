//! Pieces of the wire formats that more than one protocol writes or reads the same way.

pub mod calendar;
