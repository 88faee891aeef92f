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
    use std::fmt::Write;
    let start = out.len();
    let _ = write!(out, "{}", d.normalize());
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
    use std::fmt::Write;
    let _ = match lang {
        Lang::Vi => {
            let (y, m, day) = d.ymd();
            write!(out, "{day:02}/{m:02}/{y:04}")
        }
        Lang::En => write!(out, "{d}"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

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
