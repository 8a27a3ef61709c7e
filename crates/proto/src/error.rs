//! Errors say who is at fault: the bytes (decoding), the peer (protocol) or the caller (usage).

use std::fmt;

/// Why a parser could not produce a value from the bytes it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeError {
    /// The bytes are a prefix of something valid: wait for more.
    Incomplete,
    /// The bytes can never become valid.
    Failed,
}

/// The peer broke the protocol; the text says how, for the transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtocolError(pub String);

/// The caller asked a session for something its state does not allow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::Incomplete => f.write_str("incomplete input"),
            DecodeError::Failed => f.write_str("malformed input"),
        }
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "protocol error: {}", self.0)
    }
}

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "usage error: {}", self.0)
    }
}

impl std::error::Error for DecodeError {}
impl std::error::Error for ProtocolError {}
impl std::error::Error for UsageError {}
