//! Virtual time: integer microseconds, so the engine runs the same everywhere (wasm included)
//! and never depends on the machine's clock.

use std::fmt;
use std::ops::{Add, Mul, Sub};

/// A point on the virtual clock, in microseconds since the start of the world.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Instant(u64);

/// A span of virtual time, in microseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(u64);

impl Instant {
    pub const ZERO: Instant = Instant(0);

    pub const fn from_micros(us: u64) -> Self {
        Instant(us)
    }

    pub const fn as_micros(self) -> u64 {
        self.0
    }

    /// Time elapsed since `earlier`, or zero if `earlier` is in the future.
    pub fn saturating_since(self, earlier: Instant) -> Duration {
        Duration(self.0.saturating_sub(earlier.0))
    }
}

impl Duration {
    pub const ZERO: Duration = Duration(0);

    pub const fn from_micros(us: u64) -> Self {
        Duration(us)
    }

    pub const fn from_millis(ms: u64) -> Self {
        Duration(ms.saturating_mul(1_000))
    }

    pub const fn from_secs(s: u64) -> Self {
        Duration(s.saturating_mul(1_000_000))
    }

    pub const fn as_micros(self) -> u64 {
        self.0
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    fn add(self, rhs: Duration) -> Instant {
        Instant(self.0.saturating_add(rhs.0))
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_since(rhs)
    }
}

impl Add for Duration {
    type Output = Duration;
    fn add(self, rhs: Duration) -> Duration {
        Duration(self.0.saturating_add(rhs.0))
    }
}

impl Mul<u64> for Duration {
    type Output = Duration;
    fn mul(self, rhs: u64) -> Duration {
        Duration(self.0.saturating_mul(rhs))
    }
}

/// Shown to students as seconds with millisecond precision: `t = 1.250 s`.
impl fmt::Display for Instant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{:03} s",
            self.0 / 1_000_000,
            (self.0 / 1_000) % 1_000
        )
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 < 1_000_000 {
            write!(f, "{} ms", self.0 / 1_000)
        } else {
            write!(
                f,
                "{}.{:03} s",
                self.0 / 1_000_000,
                (self.0 / 1_000) % 1_000
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_add_and_display_as_seconds() {
        let t = Instant::ZERO + Duration::from_millis(1_250);
        assert_eq!(t.as_micros(), 1_250_000);
        assert_eq!(t.to_string(), "1.250 s");
        assert_eq!(Duration::from_millis(40).to_string(), "40 ms");
        assert_eq!(t - Instant::from_micros(2_000_000), Duration::ZERO);
    }

    #[test]
    fn time_saturates_instead_of_overflowing() {
        let end = Instant::from_micros(u64::MAX) + Duration::from_secs(1);
        assert_eq!(end.as_micros(), u64::MAX);
    }
}
