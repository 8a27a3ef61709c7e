//! Shared by the session targets: splitting one input into the chunks a network would deliver.

// The IMAP checks; the other targets do not use them.
#[allow(dead_code)]
pub mod imap;

/// Splits `data` into consecutive chunks whose sizes come from one `seed` byte, so that one
/// input can exercise both a session fed all at once and one fed a byte at a time.
///
/// The low three bits pick the largest chunk (1, 2, 3, 5, 8, 13, 64 or 600 octets; a seed of 0
/// means the whole input in one chunk); the other bits seed a small PRNG that picks each
/// chunk's size between 1 and that largest size. The payload itself stays contiguous, so a
/// plain SMTP transcript (after two header bytes) is still a meaningful input.
pub struct Chunks<'a> {
    rest: &'a [u8],
    limit: usize,
    state: u32,
}

impl<'a> Chunks<'a> {
    pub fn new(data: &'a [u8], seed: u8) -> Self {
        let limit = if seed == 0 {
            usize::MAX
        } else {
            [1, 2, 3, 5, 8, 13, 64, 600][usize::from(seed & 7)]
        };
        Chunks {
            rest: data,
            limit,
            state: (u32::from(seed) << 8) | 0x9e37_79b9,
        }
    }

    fn next_random(&mut self) -> u32 {
        // xorshift32: deterministic, which is all a fuzz target needs.
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.state = x;
        x
    }
}

impl<'a> Iterator for Chunks<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        let size = if self.limit == usize::MAX {
            self.rest.len()
        } else {
            1 + (self.next_random() as usize) % self.limit
        };
        let (chunk, rest) = self.rest.split_at(size.min(self.rest.len()));
        self.rest = rest;
        Some(chunk)
    }
}
