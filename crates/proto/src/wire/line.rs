//! Line framing: SMTP (RFC 5321 §2.3.8), POP3 (RFC 1939 §3) and IMAP (RFC 9051 §2.2) all end
//! lines with CRLF, and all must cope with a peer that sends a bare LF.

/// A complete line was found, or why not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineError {
    /// No line end yet and still within the limit: wait for more bytes.
    Incomplete,
    /// More than `max` octets without a CRLF.
    TooLong,
}

/// Finds the first line of `input`. Returns the line without its line end and the number of
/// octets it took including the line end. A bare LF also ends a line here, so the caller can
/// answer it instead of waiting forever; [`line_has_bare_lf`] tells the two apart.
pub fn line(input: &[u8], max: usize) -> Result<(&[u8], usize), LineError> {
    match input.iter().position(|&b| b == b'\n') {
        Some(lf) if lf < max => {
            let text = input.get(..lf).unwrap_or_default();
            let text = text.strip_suffix(b"\r").unwrap_or(text);
            Ok((text, lf + 1))
        }
        Some(_) => Err(LineError::TooLong),
        None if input.len() >= max => Err(LineError::TooLong),
        None => Err(LineError::Incomplete),
    }
}

/// True if the line that ends at `consumed` octets ended in a bare LF rather than CRLF.
pub fn line_has_bare_lf(input: &[u8], consumed: usize) -> bool {
    consumed < 2 || input.get(consumed - 2) != Some(&b'\r')
}
