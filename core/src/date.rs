//! Civil dates (proleptic Gregorian), stored as days since 1970-01-01.
//!
//! The core never reads the clock: callers pass the as-of date (the command line, Python and the
//! browser each compute "today" at their edge).

use std::fmt;

/// A calendar date, ordered, `Copy`, printed and parsed as ISO `YYYY-MM-DD`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Date(i32);

impl Date {
    /// The date `y-m-d`, or `None` when it does not exist (e.g. 2023-02-29).
    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Date> {
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || !(1..=9999).contains(&y) {
            return None;
        }
        let y = i64::from(if m <= 2 { y - 1 } else { y });
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = i64::from((m + 9) % 12);
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        i32::try_from(era * 146_097 + doe - 719_468).ok().map(Date)
    }

    /// Days since 1970-01-01 (negative before), clamped to the years 1..=9999.
    pub fn from_unix_days(days: i64) -> Date {
        let lo = i64::from(Date::MIN.0);
        let hi = i64::from(Date::MAX.0);
        Date(i32::try_from(days.clamp(lo, hi)).unwrap_or(0))
    }

    /// The civil date in Vietnam (UTC+7 all year, no daylight saving: Asia/Ho_Chi_Minh) at
    /// `unix_seconds` seconds since 1970-01-01T00:00:00Z. A pure function: the caller reads
    /// the clock (the core never does). From 17:00 UTC on, Vietnam is already on the next day.
    ///
    /// ```
    /// use htx_rules::Date;
    /// // 2025-12-31T16:59:59Z is 23:59:59 in Vietnam; one second later it is 2026-01-01
    /// assert_eq!(Date::today_in_vietnam(1_767_200_399).to_string(), "2025-12-31");
    /// assert_eq!(Date::today_in_vietnam(1_767_200_400).to_string(), "2026-01-01");
    /// ```
    pub fn today_in_vietnam(unix_seconds: i64) -> Date {
        const UTC_OFFSET_SECONDS: i64 = 7 * 3600;
        Date::from_unix_days(
            unix_seconds
                .saturating_add(UTC_OFFSET_SECONDS)
                .div_euclid(86_400),
        )
    }

    /// The earliest representable date, 0001-01-01.
    pub const MIN: Date = Date(-719_162);
    /// The latest representable date, 9999-12-31.
    pub const MAX: Date = Date(2_932_896);

    /// Days since 1970-01-01.
    pub fn unix_days(self) -> i64 {
        i64::from(self.0)
    }

    /// Year, month (1-12) and day (1-31).
    pub fn ymd(self) -> (i32, u32, u32) {
        let z = i64::from(self.0) + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = doy - (153 * mp + 2) / 5 + 1;
        let m = if mp < 10 { mp + 3 } else { mp - 9 };
        let y = if m <= 2 { y + 1 } else { y };
        (y as i32, m as u32, d as u32)
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.ymd().0
    }

    /// This date moved by `n` days (saturating at the representable range).
    pub fn add_days(self, n: i64) -> Date {
        Date::from_unix_days(i64::from(self.0).saturating_add(n))
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = s.get(r)?;
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let y = num(0..4)?;
        Date::from_ymd(i32::try_from(y).ok()?, num(5..7)?, num(8..10)?)
    }

    /// `dd/mm/yyyy`, the Vietnamese way of writing a date.
    pub fn to_vi(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{d:02}/{m:02}/{y:04}")
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ => {
            if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 {
                29
            } else {
                28
            }
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl serde::Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // `YYYY-MM-DD` in JSON; the day number in a compact binary form (the compiled pack)
        if s.is_human_readable() {
            s.collect_str(self)
        } else {
            s.serialize_i32(self.0)
        }
    }
}

impl<'de> serde::Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        if !d.is_human_readable() {
            // clamped like every day number the library takes in
            return i32::deserialize(d).map(|n| Date::from_unix_days(i64::from(n)));
        }
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Date::parse(&s).ok_or_else(|| serde::de::Error::custom("expected a date YYYY-MM-DD"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_orders() {
        for (y, m, d) in [
            (1970, 1, 1),
            (2024, 2, 29),
            (2025, 12, 31),
            (2026, 1, 1),
            (1, 1, 1),
            (9999, 12, 31),
        ] {
            let date = Date::from_ymd(y, m, d).unwrap();
            assert_eq!(date.ymd(), (y, m, d));
            assert_eq!(Date::parse(&date.to_string()), Some(date));
        }
        assert_eq!(Date::from_ymd(1970, 1, 1).unwrap().unix_days(), 0);
        assert!(Date::parse("2025-12-31") < Date::parse("2026-01-01"));
        assert_eq!(Date::parse("2023-02-29"), None);
        assert_eq!(Date::parse("2023-2-01"), None);
        assert_eq!(Date::parse("+023-02-01"), None);
        assert_eq!(
            Date::parse("2025-12-31").unwrap().add_days(1),
            Date::parse("2026-01-01").unwrap()
        );
        assert_eq!(Date::MIN, Date::from_ymd(1, 1, 1).unwrap());
        assert_eq!(Date::MAX, Date::from_ymd(9999, 12, 31).unwrap());
    }
}
