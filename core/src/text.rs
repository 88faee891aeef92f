//! Bilingual messages and the way numbers, shares, money and dates are written in each language.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

use crate::date::Date;

/// A language of the product's users.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Vietnamese (the default).
    #[default]
    Vi,
    /// English.
    En,
}

impl Lang {
    /// Parses `"vi"` or `"en"`.
    pub fn parse(s: &str) -> Option<Lang> {
        match s {
            "vi" => Some(Lang::Vi),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// A message in Vietnamese and English.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Message {
    /// Vietnamese text.
    pub vi: String,
    /// English text.
    pub en: String,
}

/// A [`Message`] from named texts, so the two languages cannot be swapped by position:
/// `msg!(vi: "…", en: "…")`. Each text is anything `Into<String>` (`&str`, `String`, `format!`).
///
/// ```
/// let m = htx_rules::msg!(vi: "có", en: format!("{}", "yes"));
/// assert_eq!((m.vi.as_str(), m.en.as_str()), ("có", "yes"));
/// ```
#[macro_export]
macro_rules! msg {
    (vi: $vi:expr, en: $en:expr $(,)?) => {
        $crate::Message {
            vi: ::std::convert::Into::into($vi),
            en: ::std::convert::Into::into($en),
        }
    };
}

impl Message {
    /// A message from its two texts, Vietnamese first. Prefer [`msg!`](crate::msg) (named
    /// `vi:`/`en:`), which cannot swap the languages by position; this stays for callers that
    /// already use it.
    pub fn new(vi: impl Into<String>, en: impl Into<String>) -> Message {
        Message {
            vi: vi.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Vi => &self.vi,
            Lang::En => &self.en,
        }
    }
}

/// How a decimal is meant: plain number, share (0.6 = 60%) or money in VND.
#[cfg_attr(feature = "compiled", derive(serde::Serialize, serde::Deserialize))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Unit {
    /// A plain number.
    Plain,
    /// A proportion, written as a percentage.
    Share,
    /// Vietnamese đồng.
    Money,
}

/// Writes `d` with a decimal comma (vi) or point (en) and grouped thousands when `group`.
pub fn write_decimal(d: Decimal, lang: Lang, group: bool) -> String {
    let mut out = String::new();
    push_decimal(&mut out, d, lang, group);
    out
}

/// [`write_decimal`], appended to `out` (no string of its own: the JSON writer fills one
/// buffer per record).
pub(crate) fn push_decimal(out: &mut String, d: Decimal, lang: Lang, group: bool) {
    let start = out.len();
    decimal_plain(d.normalize(), |s| out.push_str(s));
    // `-?digits(.digits)?`: the sign, the integer part, then the fraction
    let body = start + usize::from(out.as_bytes().get(start) == Some(&b'-'));
    let dot = out.get(body..).and_then(|s| s.find('.')).map(|i| body + i);
    let int_end = dot.unwrap_or(out.len());
    let (dec_sep, grp_sep) = match lang {
        Lang::Vi => (",", '.'),
        Lang::En => (".", ','),
    };
    if let Some(p) = dot {
        out.replace_range(p..p + 1, dec_sep);
    }
    if group && int_end - body > 3 {
        // from the right, so the places still to fill do not move
        let mut i = int_end;
        while i > body + 3 {
            i -= 3;
            out.insert(i, grp_sep);
        }
    }
}

/// `d` as its `Display` writes it (`-0.0123`, every digit of its scale), handed to `emit` in
/// pieces. Without rust_decimal's formatter, which divides the 96-bit mantissa once per digit:
/// here one 128-bit division, then 64-bit arithmetic.
pub(crate) fn decimal_plain(d: Decimal, mut emit: impl FnMut(&str)) {
    const E19: u128 = 10_000_000_000_000_000_000;
    let m = d.mantissa();
    if m == 0 {
        // zero (and its scale, or a sign): rare, as rust_decimal writes it
        emit(&d.to_string());
        return;
    }
    // the digits of |m|, from the right (at most 29)
    let mut digits = [b'0'; 40];
    let mut pos = digits.len();
    let mut put = |mut x: u64, at_least: usize| {
        let mut n = 0;
        while x > 0 || n < at_least {
            pos -= 1;
            if let Some(slot) = digits.get_mut(pos) {
                *slot = b'0' + (x % 10) as u8;
            }
            x /= 10;
            n += 1;
        }
    };
    let u = m.unsigned_abs();
    let (hi, lo) = ((u / E19) as u64, (u % E19) as u64);
    if hi > 0 {
        put(lo, 19);
        put(hi, 0);
    } else {
        put(lo, 1);
    }
    let digits = digits
        .get(pos..)
        .and_then(|x| std::str::from_utf8(x).ok())
        .unwrap_or("");
    let scale = d.scale() as usize;
    if m < 0 {
        emit("-");
    }
    if scale == 0 {
        emit(digits);
    } else if digits.len() > scale {
        let (int, frac) = digits.split_at(digits.len() - scale);
        emit(int);
        emit(".");
        emit(frac);
    } else {
        emit("0.");
        for _ in digits.len()..scale {
            emit("0");
        }
        emit(digits);
    }
}

/// Writes a share as a percentage: `0.775` → `77,5%` (vi) / `77.5%` (en). A share with more
/// than two decimals of a percent (`2/3`) is rounded for a person to read, and marked so:
/// `≈66,67%`; with as many decimals as it takes not to look whole (`0.600001` → `≈60,0001%`), so a
/// rounded share never reads as equal to a threshold it is not equal to. The exact value stays in
/// the decision's `value`.
pub fn write_share(d: Decimal, lang: Lang) -> String {
    let mut out = String::new();
    push_share(&mut out, d, lang);
    out
}

/// [`write_share`], appended to `out`.
pub(crate) fn push_share(out: &mut String, d: Decimal, lang: Lang) {
    let pct = d.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(d);
    let mut dp = 2;
    let mut shown = pct.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if shown == pct {
        push_decimal(out, pct, lang, false);
        out.push('%');
        return;
    }
    while shown.fract().is_zero() && dp < 28 {
        dp += 2;
        shown = pct.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    }
    out.push('≈');
    push_decimal(out, shown.normalize(), lang, false);
    out.push('%');
}

/// Writes money: `1.500.000 đồng` (vi) / `1,500,000 VND` (en).
pub fn write_money(d: Decimal, lang: Lang) -> String {
    let mut out = String::new();
    push_money(&mut out, d, lang);
    out
}

/// [`write_money`], appended to `out`.
pub(crate) fn push_money(out: &mut String, d: Decimal, lang: Lang) {
    push_decimal(out, d, lang, true);
    out.push_str(match lang {
        Lang::Vi => " đồng",
        Lang::En => " VND",
    });
}

/// Writes a date: `31/12/2025` (vi) / `2025-12-31` (en).
pub fn write_date(d: Date, lang: Lang) -> String {
    let mut out = String::new();
    push_date(&mut out, d, lang);
    out
}

/// [`write_date`], appended to `out`.
pub(crate) fn push_date(out: &mut String, d: Date, lang: Lang) {
    let (y, m, day) = d.ymd();
    if !(0..=9999).contains(&y) {
        // outside the four digits `Display` pads to: as it writes it
        use std::fmt::Write;
        let _ = match lang {
            Lang::Vi => write!(out, "{day:02}/{m:02}/{y:04}"),
            Lang::En => write!(out, "{d}"),
        };
        return;
    }
    let two = |out: &mut String, x: u32| {
        out.push(char::from(b'0' + (x / 10 % 10) as u8));
        out.push(char::from(b'0' + (x % 10) as u8));
    };
    let (hi, lo) = (y as u32 / 100, y as u32 % 100);
    match lang {
        Lang::Vi => {
            two(out, day);
            out.push('/');
            two(out, m);
            out.push('/');
            two(out, hi);
            two(out, lo);
        }
        Lang::En => {
            two(out, hi);
            two(out, lo);
            out.push('-');
            two(out, m);
            out.push('-');
            two(out, day);
        }
    }
}

/// Appends `i` in decimal digits (what `Display` writes, without the formatting machinery).
pub(crate) fn push_int(out: &mut String, i: i64) {
    int_text(i, |s| out.push_str(s));
}

/// `i` in decimal digits, handed to `emit`.
pub(crate) fn int_text(i: i64, emit: impl FnOnce(&str)) {
    let mut digits = [b'0'; 20];
    let mut pos = digits.len();
    let mut x = i.unsigned_abs();
    loop {
        pos -= 1;
        if let Some(slot) = digits.get_mut(pos) {
            *slot = b'0' + (x % 10) as u8;
        }
        x /= 10;
        if x == 0 {
            break;
        }
    }
    if i < 0 {
        pos -= 1;
        if let Some(slot) = digits.get_mut(pos) {
            *slot = b'-';
        }
    }
    emit(
        digits
            .get(pos..)
            .and_then(|x| std::str::from_utf8(x).ok())
            .unwrap_or(""),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn decimals_are_written_as_rust_decimal_writes_them_plain() {
        // a deterministic spread of mantissas (small, 64-bit, 96-bit), scales and signs
        let mut x: u128 = 0x9E37_79B9_7F4A_7C15;
        let mut seen = 0;
        for i in 0..20_000u32 {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let bits = match i % 4 {
                0 => x % 1000,
                1 => x % (1 << 64),
                2 => x % (1 << 96),
                _ => x % 10u128.pow(i % 29),
            };
            let lo = bits as u32;
            let mid = (bits >> 32) as u32;
            let hi = (bits >> 64) as u32;
            let d = Decimal::from_parts(lo, mid, hi, i % 3 == 0, i % 29);
            let mut got = String::new();
            decimal_plain(d, |s| got.push_str(s));
            assert_eq!(got, d.to_string(), "{d:?}");
            let mut got = String::new();
            decimal_plain(d.normalize(), |s| got.push_str(s));
            assert_eq!(got, d.normalize().to_string());
            seen += 1;
        }
        for s in [
            "0",
            "0.000",
            "-0",
            "1",
            "-1",
            "0.1",
            "-0.01",
            "79228162514264337593543950335",
        ] {
            let d = Decimal::from_str(s).unwrap();
            let mut got = String::new();
            decimal_plain(d, |s| got.push_str(s));
            assert_eq!(got, d.to_string());
        }
        assert_eq!(seen, 20_000);
    }

    #[test]
    fn integers_and_dates_are_written_as_display_writes_them() {
        for i in [
            0,
            1,
            -1,
            9,
            10,
            99,
            100,
            12345,
            -987_654_321,
            i64::MAX,
            i64::MIN,
        ] {
            let mut s = String::new();
            push_int(&mut s, i);
            assert_eq!(s, i.to_string());
        }
        for text in [
            "2025-06-30",
            "0001-01-01",
            "1999-12-31",
            "2030-02-28",
            "9999-12-31",
        ] {
            let d = Date::parse(text).unwrap();
            let mut vi = String::new();
            push_date(&mut vi, d, Lang::Vi);
            assert_eq!(vi, d.to_vi());
            let mut en = String::new();
            push_date(&mut en, d, Lang::En);
            assert_eq!(en, d.to_string());
        }
    }

    #[test]
    fn vietnamese_number_style() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(write_share(d("0.775"), Lang::Vi), "77,5%");
        assert_eq!(write_share(d("0.775"), Lang::En), "77.5%");
        assert_eq!(write_share(d("0.6"), Lang::Vi), "60%");
        let two_thirds = d("2") / d("3");
        assert_eq!(write_share(two_thirds, Lang::Vi), "≈66,67%");
        assert_eq!(write_share(two_thirds, Lang::En), "≈66.67%");
        // never rounded onto a whole number it is not: a threshold would seem met or missed
        assert_eq!(write_share(d("0.600001"), Lang::Vi), "≈60,0001%");
        assert_eq!(write_share(d("0.5999999"), Lang::En), "≈59.99999%");
        assert_eq!(write_share(d("0.12345"), Lang::En), "≈12.35%");
        assert_eq!(write_money(d("1500000"), Lang::Vi), "1.500.000 đồng");
        assert_eq!(write_money(d("1500000"), Lang::En), "1,500,000 VND");
        assert_eq!(write_money(d("150000"), Lang::En), "150,000 VND");
        assert_eq!(write_decimal(d("-1234.5"), Lang::Vi, true), "-1.234,5");
        assert_eq!(write_decimal(d("-123.5"), Lang::Vi, true), "-123,5");
        assert_eq!(write_decimal(d("123456"), Lang::En, true), "123,456");
        assert_eq!(
            write_decimal(d("1234567.25"), Lang::En, true),
            "1,234,567.25"
        );
        assert_eq!(
            write_decimal(d("1234567.250"), Lang::Vi, false),
            "1234567,25"
        );
        assert_eq!(write_decimal(d("-0.5"), Lang::Vi, false), "-0,5");
        assert_eq!(write_money(d("999"), Lang::Vi), "999 đồng");
        assert_eq!(write_money(d("1000"), Lang::Vi), "1.000 đồng");
        let day = Date::parse("2025-01-04").unwrap();
        assert_eq!(write_date(day, Lang::Vi), "04/01/2025");
        assert_eq!(write_date(day, Lang::En), "2025-01-04");
        // appended, not replacing
        let mut s = String::from("x=");
        push_share(&mut s, d("0.6"), Lang::Vi);
        assert_eq!(s, "x=60%");
    }
}
