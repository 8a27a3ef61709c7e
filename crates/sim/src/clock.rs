//! The virtual clock's calendar: where `Instant::ZERO` falls, and the dates and store clocks
//! read from it. The story and the comparison set their stores' clocks here, and only here.

use postroom_proto::{Instant, MailStore};

/// The calendar time at which the virtual clock starts: Friday 6 March 2026, 09:00 UTC.
pub const EPOCH_UNIX: i64 = 1_772_787_600;

/// [`EPOCH_UNIX`] as an RFC 5322 date, for messages that were there before the story.
pub(crate) const START_DATE: &str = "Fri, 6 Mar 2026 09:00:00 +0000";

/// Seconds since the Unix epoch at `now`.
fn unix_seconds(now: Instant) -> i64 {
    EPOCH_UNIX + i64::try_from(now.as_micros() / 1_000_000).unwrap_or(0)
}

/// `now` as an RFC 5322 date, for Date: and Received: fields.
pub(crate) fn date(now: Instant) -> String {
    postroom_proto::message::date(unix_seconds(now))
}

/// Sets the store's clock to `now`: what it stamps as a message's arrival (INTERNALDATE).
pub(crate) fn set(store: &mut MailStore, now: Instant) {
    store.set_clock(unix_seconds(now));
}
