//! The TLS choices a server and a client make, the same for STARTTLS (RFC 3207), STLS
//! (RFC 2595) and IMAP's STARTTLS (RFC 9051 §6.2.1).

/// Whether a server offers STARTTLS/STLS, and whether it must come before authentication.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsPolicy {
    /// STARTTLS is not advertised (no certificate, or TLS is handled outside).
    NotOffered,
    /// STARTTLS is advertised; authentication works with or without it.
    Offered,
    /// STARTTLS is advertised and authentication (and, for SMTP, MAIL) is refused until it
    /// is done.
    Required,
}

/// Whether a client upgrades the connection with STARTTLS/STLS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientTls {
    /// Never: stay in plain text (or the connection is already encrypted).
    Never,
    /// When the server offers it.
    IfOffered,
    /// Always: give up (QUIT) if the server does not offer it.
    Required,
}
