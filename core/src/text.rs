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
    let s = d.normalize().to_string();
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, s),
    };
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s, None),
    };
    let (dec_sep, grp_sep) = match lang {
        Lang::Vi => (',', '.'),
        Lang::En => ('.', ','),
    };
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if group && int.len() > 3 {
        let first = int.len() % 3;
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (i + 3 - first) % 3 == 0 {
                out.push(grp_sep);
            }
            out.push(c);
        }
    } else {
        out.push_str(&int);
    }
    if let Some(f) = frac {
        out.push(dec_sep);
        out.push_str(&f);
    }
    out
}

/// Writes a share as a percentage: `0.775` → `77,5%` (vi) / `77.5%` (en). A share with more
/// than two decimals of a percent (`2/3`) is rounded for a person to read, and marked so:
/// `≈66,67%`; with as many decimals as it takes not to look whole (`0.600001` → `≈60,0001%`), so a
/// rounded share never reads as equal to a threshold it is not equal to. The exact value stays in
/// the decision's `value`.
pub fn write_share(d: Decimal, lang: Lang) -> String {
    let pct = d.checked_mul(Decimal::ONE_HUNDRED).unwrap_or(d);
    let mut dp = 2;
    let mut shown = pct.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    if shown == pct {
        return format!("{}%", write_decimal(pct, lang, false));
    }
    while shown.fract().is_zero() && dp < 28 {
        dp += 2;
        shown = pct.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    }
    format!("≈{}%", write_decimal(shown.normalize(), lang, false))
}

/// Writes money: `1.500.000 đồng` (vi) / `1,500,000 VND` (en).
pub fn write_money(d: Decimal, lang: Lang) -> String {
    match lang {
        Lang::Vi => format!("{} đồng", write_decimal(d, lang, true)),
        Lang::En => format!("{} VND", write_decimal(d, lang, true)),
    }
}

/// Writes a date: `31/12/2025` (vi) / `2025-12-31` (en).
pub fn write_date(d: Date, lang: Lang) -> String {
    match lang {
        Lang::Vi => d.to_vi(),
        Lang::En => d.to_string(),
    }
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
    }
}
