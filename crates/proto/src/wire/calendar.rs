//! The proleptic Gregorian calendar behind every date on the wire: RFC 5322's `Date:`
//! (message.rs) and IMAP's `date-time` and search dates share one month table and one
//! day count since 1970-01-01 (UTC; the engine has no time zones).

/// `month = "Jan" / "Feb" / "Mar" / "Apr" / "May" / "Jun" / "Jul" / "Aug" / "Sep" / "Oct" /
/// "Nov" / "Dec"` (RFC 5322 §3.3); IMAP's `date-month` is the same list (RFC 9051 §9).
pub const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// The name of month `m` (1-12); "Jan" for a number out of range.
pub fn month_name(m: u32) -> &'static str {
    MONTHS
        .get(usize::try_from(m).unwrap_or(1).saturating_sub(1))
        .unwrap_or(&"Jan")
}

/// The number (1-12) of a month name, compared ASCII case-insensitively (both RFCs' ABNF
/// strings are case-insensitive).
pub fn month_number(name: &[u8]) -> Option<u32> {
    let index = MONTHS
        .iter()
        .position(|month| month.as_bytes().eq_ignore_ascii_case(name))?;
    u32::try_from(index + 1).ok()
}

/// A moment in UTC split into the fields dates are written with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Utc {
    /// Whole days since 1970-01-01 (negative before it).
    pub days: i64,
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
}

impl Utc {
    /// The calendar fields of a count of seconds since 1970-01-01 00:00:00 UTC.
    pub fn from_unix(unix_seconds: i64) -> Self {
        let days = unix_seconds.div_euclid(86_400);
        let secs = unix_seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        Utc {
            days,
            year,
            month,
            day,
            hour: secs / 3600,
            minute: (secs / 60) % 60,
            second: secs % 60,
        }
    }

    /// `time-of-day = hour ":" minute ":" second`, two digits each (RFC 5322 §3.3; IMAP's
    /// `time` is the same).
    pub fn time_of_day(&self) -> String {
        format!("{:02}:{:02}:{:02}", self.hour, self.minute, self.second)
    }
}

/// Year, month, day of a day count since 1970-01-01 (Howard Hinnant's civil_from_days).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date, if the date exists.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> Option<i64> {
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let max = *month_days.get(usize::try_from(m).ok()?.checked_sub(1)?)?;
    if d == 0 || d > max {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_names_and_numbers_match() {
        for m in 1..=12 {
            assert_eq!(month_number(month_name(m).as_bytes()), Some(m));
        }
        assert_eq!(month_number(b"jUL"), Some(7));
        assert_eq!(month_number(b"Jul "), None);
        assert_eq!(month_name(0), "Jan");
        assert_eq!(month_name(13), "Jan");
    }

    #[test]
    fn day_counts_round_trip() {
        for days in [-1000, 0, 59, 365, 11017, 20000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), Some(days));
        }
    }

    #[test]
    fn utc_fields_of_a_moment() {
        let t = Utc::from_unix(837_596_665);
        assert_eq!((t.year, t.month, t.day), (1996, 7, 17));
        assert_eq!(t.time_of_day(), "09:44:25");
        let before = Utc::from_unix(-1);
        assert_eq!((before.days, before.year, before.hour), (-1, 1969, 23));
    }
}
