//! Base64 (RFC 4648 §4 and §5): the standard alphabet with padding, as SASL responses use it
//! (RFC 4954, RFC 9051 §6.2.2), and the URL-safe one without padding, for share links.
//! Decoding is strict, as the `base64` crate's standard engines are: padding exactly as
//! RFC 4648 writes it (none for the URL-safe form) and no stray bits in the last symbol.
//! Small on purpose: the web page's first load has a size budget.

/// Which of RFC 4648's forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// §4: `A–Z a–z 0–9 + /`, padded with `=`.
    Standard,
    /// §5: `- _` instead of `+ /`, no padding.
    UrlSafeNoPad,
}

impl Alphabet {
    fn symbol(self, value: u32) -> char {
        let v = (value & 63) as u8;
        char::from(match v {
            0..=25 => b'A' + v,
            26..=51 => b'a' + v - 26,
            52..=61 => b'0' + v - 52,
            62 if self == Alphabet::Standard => b'+',
            62 => b'-',
            _ if self == Alphabet::Standard => b'/',
            _ => b'_',
        })
    }

    fn value(self, symbol: u8) -> Option<u32> {
        let v = match symbol {
            b'A'..=b'Z' => symbol - b'A',
            b'a'..=b'z' => symbol - b'a' + 26,
            b'0'..=b'9' => symbol - b'0' + 52,
            b'+' if self == Alphabet::Standard => 62,
            b'/' if self == Alphabet::Standard => 63,
            b'-' if self == Alphabet::UrlSafeNoPad => 62,
            b'_' if self == Alphabet::UrlSafeNoPad => 63,
            _ => return None,
        };
        Some(u32::from(v))
    }
}

pub fn encode(bytes: impl AsRef<[u8]>, alphabet: Alphabet) -> String {
    let bytes = bytes.as_ref();
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        let symbols = chunk.len() + 1;
        for i in 0..symbols {
            out.push(alphabet.symbol(n >> (18 - 6 * i)));
        }
        if alphabet == Alphabet::Standard {
            for _ in symbols..4 {
                out.push('=');
            }
        }
    }
    out
}

/// The octets `text` encodes, or `None` if it is not canonical base64 of this form.
pub fn decode(text: &str, alphabet: Alphabet) -> Option<Vec<u8>> {
    let mut symbols = text.as_bytes();
    if alphabet == Alphabet::Standard {
        if symbols.len() % 4 != 0 {
            return None;
        }
        let padding = symbols.iter().rev().take_while(|&&b| b == b'=').count();
        if padding > 2 {
            return None;
        }
        symbols = symbols.get(..symbols.len() - padding)?;
        // One `=` follows three symbols, two follow two.
        if padding > 0 && symbols.len() % 4 != 4 - padding {
            return None;
        }
    }
    let mut out = Vec::with_capacity(symbols.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &s in symbols {
        acc = (acc << 6) | alphabet.value(s)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    // A lone last symbol carries no whole octet; leftover bits must be zero.
    (bits < 6 && acc == 0).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4648_test_vectors() {
        // RFC 4648 §10.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encode(plain, Alphabet::Standard), coded);
            assert_eq!(decode(coded, Alphabet::Standard).unwrap(), plain.as_bytes());
            let bare = coded.trim_end_matches('=');
            assert_eq!(encode(plain, Alphabet::UrlSafeNoPad), bare);
            assert_eq!(
                decode(bare, Alphabet::UrlSafeNoPad).unwrap(),
                plain.as_bytes()
            );
        }
        assert_eq!(encode([0xfb, 0xff], Alphabet::Standard), "+/8=");
        assert_eq!(encode([0xfb, 0xff], Alphabet::UrlSafeNoPad), "-_8");
    }

    #[test]
    fn non_canonical_input_is_refused() {
        for bad in [
            "Zg", "Zg=", "Zh==", "Z===", "Zm9v=", "Zm9", "Zm 9v", "-_8=", "Z",
        ] {
            assert_eq!(decode(bad, Alphabet::Standard), None, "{bad}");
        }
        for bad in ["Zg==", "Zh", "Z", "+/8", "Zm9v="] {
            assert_eq!(decode(bad, Alphabet::UrlSafeNoPad), None, "{bad}");
        }
    }
}
