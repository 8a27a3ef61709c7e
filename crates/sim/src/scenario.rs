//! A scenario: what the class watches, as data.

use serde::{Deserialize, Serialize};

/// One email from Alice to Bob, sent straight to Bob's mail server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub from: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// One-way latency of the link between the client and the server, in milliseconds.
    pub latency_ms: u64,
}

impl Default for Scenario {
    /// The classroom example: a short note whose second line starts with a period, so the
    /// class sees dot-stuffing happen.
    fn default() -> Self {
        Scenario {
            from: "alice@example.org".to_string(),
            to: "bob@example.net".to_string(),
            subject: "Lunch on Friday?".to_string(),
            body: "Hi Bob,\n.. and bring the slides, please.\nAlice".to_string(),
            latency_ms: 40,
        }
    }
}
