//! "Today" for the command line: the civil date in Vietnam (UTC+7), whatever the machine's zone.
//! The core reads no clock; this is the one place the command line does.

use htx_rules::Date;

/// Seconds since 1970-01-01T00:00:00Z by the system clock (0 if the clock is before 1970).
fn unix_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// Today's date in Vietnam (Asia/Ho_Chi_Minh, UTC+7, no daylight saving): from 17:00 UTC on,
/// the next day. `HTX_RULES_NOW` (seconds since the epoch) stands in for the clock, for tests.
pub fn today_in_vietnam() -> Date {
    let now = std::env::var("HTX_RULES_NOW")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(unix_seconds);
    Date::today_in_vietnam(now)
}
