//! Amounts of money (Vietnamese đồng) written as people write them.
//!
//! Registries, spreadsheets and web forms carry amounts typed by hand: `"1.800.000đ"`,
//! `"1.800.000 đồng"`, `"1,8 triệu"`, `"1tr8"`, `"1800000"`. [`parse_amount`] reads all of them to
//! the same exact [`Decimal`], and refuses what could mean two different amounts. Every text cell
//! of a money field (JSON strings, CSV and spreadsheet cells, Python and browser values) goes
//! through it, so the command line, Python and the browser read an amount the same way.
//!
//! # What is accepted
//!
//! An optional `-`, one amount, then optionally a currency word. Letters may be upper or lower
//! case, with or without Vietnamese diacritics, in composed (NFC) or decomposed (NFD) form.
//!
//! | form | examples | value |
//! |---|---|---|
//! | digits | `1800000`, `1500000.5` | as written |
//! | grouped thousands: `.`, `,`, space, no-break space, thin space or `_`, one kind per amount | `1.800.000`, `1,800,000`, `1 800 000`, `1_800_000` | 1 800 000 |
//! | one group mark and a decimal mark (the last of `.`/`,`, once) | `1.800.000,50`, `1,800,000.50`, `1 800 000,5` | 1 800 000.5 |
//! | a single `.` or `,` followed by exactly three digits | `900.000`, `1,500` | a thousands mark: 900 000, 1 500 (đồng has no thousandths) |
//! | a single `.` or `,` followed by any other number of digits | `1,8`, `1.5`, `1500000.50` | a decimal mark |
//! | a number and a multiplier: `tỷ`/`tỉ` (10⁹), `triệu`/`tr` (10⁶), `nghìn`/`ngàn`/`k` (10³) | `1,8 triệu`, `1.8tr`, `500 nghìn`, `500k`, `2 tỷ` | 1 800 000, 1 800 000, 500 000, 500 000, 2 000 000 000 |
//! | whole numbers with falling multipliers | `1 triệu 800 nghìn`, `2 tỷ 500 triệu` | 1 800 000, 2 500 000 000 |
//! | shorthand: a multiplier followed by one or three digits, the next digits of that unit | `1tr8`, `1 triệu 800`, `2k5`, `1tr050` | 1 800 000, 1 800 000, 2 500, 1 050 000 |
//! | a currency word, last or first | `đ`, `đồng`, `d`, `dong`, `VND`, `VNĐ`, `₫` | — |
//!
//! # What is refused (`None`)
//!
//! - Ambiguous texts: a multiplier after a number with a single `.` or `,` followed by three
//!   digits (`1,500 triệu`: 1.5 million or 1.5 billion?); a shorthand of two digits (`1tr50`:
//!   1 500 000 or 1 050 000?); a currency word after a shorthand (`1 triệu 800 đồng`: 1 800 000 or
//!   1 000 800?); separators in a term of a compound amount (`1.500 triệu 200 nghìn`).
//! - Malformed groups (`1.80.000`, `18.00.000`), two kinds of group mark (`1.800 000`), a decimal
//!   mark twice, stray characters, percentages, exponents, texts over 64 bytes.
//! - Multipliers out of order or too large for their place (`800 nghìn 1 triệu`,
//!   `1 triệu 1200 nghìn`), and amounts beyond [`Decimal`]'s range.
//!
//! ```
//! use htx_rules::amount::parse_amount;
//! use rust_decimal::Decimal;
//! let million_8 = Decimal::from(1_800_000);
//! for text in ["1.800.000đ", "1.800.000 đồng", "1,8 triệu", "1800000", "1tr8", "1 800 000 VND"] {
//!     assert_eq!(parse_amount(text), Some(million_8), "{text}");
//! }
//! assert_eq!(parse_amount("1,500 triệu"), None); // 1.5 million or 1,500 million?
//! ```

use rust_decimal::Decimal;

/// Longest text read as an amount, in bytes (the longest accepted form is far shorter).
const MAX_LEN: usize = 64;

/// A multiplier word's power of ten.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Scale {
    Thousand = 3,
    Million = 6,
    Billion = 9,
}

impl Scale {
    fn exponent(self) -> u32 {
        self as u32
    }
}

/// An exact amount as integer digits and a scale (digits / 10^scale), built up with integer
/// arithmetic: a [`Decimal`] is made once, at the end (Decimal's own arithmetic would add
/// kilobytes to the browser build).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Exact {
    digits: u128,
    scale: u32,
}

impl Exact {
    fn whole(digits: u128) -> Exact {
        Exact { digits, scale: 0 }
    }

    /// × 10^exponent, exactly.
    fn shift(self, exponent: u32) -> Option<Exact> {
        if self.scale >= exponent {
            Some(Exact {
                digits: self.digits,
                scale: self.scale - exponent,
            })
        } else {
            let digits = self
                .digits
                .checked_mul(10_u128.checked_pow(exponent - self.scale)?)?;
            Some(Exact::whole(digits))
        }
    }

    fn decimal(self, negative: bool) -> Option<Decimal> {
        let digits = i128::try_from(self.digits).ok()?;
        Decimal::try_from_i128_with_scale(if negative { -digits } else { digits }, self.scale).ok()
    }
}

#[derive(Debug, PartialEq)]
enum Token {
    /// Digits with their separators, as written.
    Number(String),
    Scale(Scale),
    Currency,
}

/// Reads an amount of money as people write it; `None` when the text is not an amount or could
/// mean two different amounts. See the [module documentation](self) for every accepted form.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    if text.len() > MAX_LEN {
        return None;
    }
    let trimmed = text.trim();
    let (negative, body) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, trimmed),
    };
    let mut tokens = tokenize(body)?;
    // One currency word: last, or (VND, ₫) first.
    let mut currency = false;
    if tokens.last() == Some(&Token::Currency) {
        tokens.pop();
        currency = true;
    } else if tokens.first() == Some(&Token::Currency) {
        tokens.remove(0);
    }
    amount(&tokens, currency)?.decimal(negative)
}

/// The amount the tokens (currency words removed) stand for.
fn amount(tokens: &[Token], currency_after: bool) -> Option<Exact> {
    match tokens {
        [Token::Number(n)] => number(n, Ambiguity::Group),
        [Token::Number(n), Token::Scale(s)] => number(n, Ambiguity::Refuse)?.shift(s.exponent()),
        [Token::Number(first), Token::Scale(scale), rest @ ..] => {
            let mut total = Exact::whole(digits(first)?).shift(scale.exponent())?.digits;
            let mut unit = *scale;
            let mut rest = rest;
            loop {
                match rest {
                    [] => return Some(Exact::whole(total)),
                    [Token::Number(n), Token::Scale(s), tail @ ..] => {
                        // a whole number of a smaller unit, less than one of the unit before
                        if *s >= unit {
                            return None;
                        }
                        let part = digits(n)?;
                        if part >= 10_u128.pow(unit.exponent() - s.exponent()) {
                            return None;
                        }
                        total =
                            total.checked_add(Exact::whole(part).shift(s.exponent())?.digits)?;
                        unit = *s;
                        rest = tail;
                    }
                    [Token::Number(n)] => {
                        // shorthand: the next one or three digits of the last unit
                        if currency_after || !(n.len() == 1 || n.len() == 3) {
                            return None;
                        }
                        let places = n.len() as u32; // 1 or 3, never more than a unit's exponent
                        let part = Exact::whole(digits(n)?).shift(unit.exponent() - places)?;
                        return Some(Exact::whole(total.checked_add(part.digits)?));
                    }
                    _ => return None,
                }
            }
        }
        _ => None,
    }
}

/// Splits the text into numbers, multipliers and currency words.
fn tokenize(text: &str) -> Option<Vec<Token>> {
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c.is_ascii_digit() {
            let mut n = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_ascii_digit() {
                    n.push(c);
                    chars.next();
                } else if is_separator(c) {
                    // a separator belongs to the number only when a digit follows it
                    let mut ahead = chars.clone();
                    ahead.next();
                    if ahead.peek().is_some_and(char::is_ascii_digit) {
                        n.push(c);
                        chars.next();
                    } else if c.is_whitespace() {
                        break;
                    } else {
                        return None;
                    }
                } else {
                    break;
                }
            }
            tokens.push(Token::Number(n));
        } else if c != '-' && !is_separator(c) {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() || c.is_ascii_digit() || is_separator(c) {
                    break;
                }
                word.push(c);
                chars.next();
            }
            tokens.push(word_token(&word)?);
        } else {
            return None;
        }
    }
    Some(tokens)
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | '_' | ' ' | '\u{a0}' | '\u{2009}' | '\u{202f}'
    )
}

/// A multiplier or currency word, matched in any case and without diacritics (composed or
/// decomposed). Only the letters of these words are folded: no Unicode case tables are needed
/// (they would add kilobytes to the browser build).
fn word_token(word: &str) -> Option<Token> {
    let folded: String = word
        .chars()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'ệ' | 'Ệ' => 'e',
            'ì' | 'Ì' => 'i',
            'à' | 'À' => 'a',
            'ỷ' | 'Ỷ' | 'ỉ' | 'Ỉ' => 'y',
            'ồ' | 'Ồ' => 'o',
            'đ' | 'Đ' => 'd',
            other => other.to_ascii_lowercase(),
        })
        .collect();
    Some(match folded.as_str() {
        "ty" | "ti" => Token::Scale(Scale::Billion),
        "trieu" | "tr" => Token::Scale(Scale::Million),
        "nghin" | "ngan" | "k" => Token::Scale(Scale::Thousand),
        "d" | "dong" | "vnd" | "₫" => Token::Currency,
        _ => return None,
    })
}

/// What a single `.` or `,` followed by exactly three digits means.
#[derive(Clone, Copy, PartialEq)]
enum Ambiguity {
    /// A thousands mark (an amount in đồng never has thousandths).
    Group,
    /// Refused: before a multiplier both readings make sense.
    Refuse,
}

/// Plain digits, no separators (a term of a compound amount).
fn digits(n: &str) -> Option<u128> {
    if n.is_empty() || n.len() > 30 || !n.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    n.bytes().try_fold(0_u128, |acc, b| {
        acc.checked_mul(10)?.checked_add(u128::from(b - b'0'))
    })
}

/// A number with grouped thousands and an optional decimal mark.
fn number(n: &str, ambiguity: Ambiguity) -> Option<Exact> {
    let count = |c: char| n.chars().filter(|&x| x == c).count();
    let (dots, commas) = (count('.'), count(','));
    let spacing = n.chars().find(|&c| is_separator(c) && c != '.' && c != ',');
    // (group mark, decimal mark)
    let (group, decimal) = match (dots, commas) {
        (0, 0) => (spacing, None),
        (_, 0) | (0, _) => {
            let (mark, times) = if dots > 0 { ('.', dots) } else { (',', commas) };
            if times > 1 {
                if spacing.is_some() {
                    return None;
                }
                (Some(mark), None)
            } else if spacing.is_some() {
                (spacing, Some(mark))
            } else {
                let (int, frac) = n.split_once(mark)?;
                let thousands =
                    frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0');
                match (thousands, ambiguity) {
                    (true, Ambiguity::Group) => (Some(mark), None),
                    (true, Ambiguity::Refuse) => return None,
                    (false, _) => (None, Some(mark)),
                }
            }
        }
        _ => {
            // both: the last one is the decimal mark, written once
            let last = n.chars().rev().find(|&c| c == '.' || c == ',')?;
            let other = if last == '.' { ',' } else { '.' };
            if count(last) != 1 || spacing.is_some() {
                return None;
            }
            (Some(other), Some(last))
        }
    };
    // every separator is the group mark or the decimal mark
    if n.chars()
        .any(|c| is_separator(c) && Some(c) != group && Some(c) != decimal)
    {
        return None;
    }
    let (int, frac) = match decimal {
        Some(mark) => n.split_once(mark)?,
        None => (n, ""),
    };
    if decimal.is_some() && (frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let int = match group {
        Some(mark) if int.contains(mark) => grouped(int, mark)?,
        _ => {
            if int.is_empty() || !int.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            int.to_owned()
        }
    };
    let all = digits(&format!("{int}{frac}"))?;
    Some(Exact {
        digits: all,
        scale: u32::try_from(frac.len()).ok()?,
    })
}

/// `1.800.000` with `mark` = `.` → `1800000`; `None` unless the first group has 1–3 digits and
/// every other exactly 3.
fn grouped(int: &str, mark: char) -> Option<String> {
    let mut groups = int.split(mark);
    let first = groups.next()?;
    if !(1..=3).contains(&first.len()) || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut out = first.to_owned();
    for g in groups {
        if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        out.push_str(g);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Option<Decimal> {
        Some(Decimal::from_str(s).unwrap())
    }

    #[test]
    fn the_forms_of_the_issue() {
        for text in [
            "1.800.000đ",
            "1.800.000 đ",
            "1.800.000 đồng",
            "1,8 triệu",
            "1800000",
            "1.800.000",
            "1,800,000",
            "1 800 000",
            "1\u{a0}800\u{a0}000 ₫",
            "1_800_000",
            "1.8 triệu",
            "1,8 tr",
            "1,8tr",
            "1tr8",
            "1 triệu 8",
            "1 triệu 800",
            "1 triệu 800 nghìn",
            "1 triệu 800 ngàn đồng",
            "1800 nghìn",
            "1800k",
            "1800000 VND",
            "VND 1.800.000",
            "1.800.000 VNĐ",
            "1.800.000,00 đ",
            "1,800,000.00",
            "  1.800.000đ  ",
            "1.800.000Đ",
            "1,8 TRIỆU",
            "1,8 trieu",
            "1.800.000 dong",
            "1.800.000d",
        ] {
            assert_eq!(parse_amount(text), d("1800000"), "{text:?}");
        }
    }

    #[test]
    fn decomposed_diacritics() {
        // NFD: e + dot below + circumflex; o + circumflex + grave
        assert_eq!(parse_amount("1,8 trie\u{323}\u{302}u"), d("1800000"));
        assert_eq!(parse_amount("500 đo\u{302}\u{300}ng"), d("500"));
        assert_eq!(parse_amount("500 nghi\u{300}n"), d("500000"));
    }

    #[test]
    fn multipliers() {
        assert_eq!(parse_amount("2 tỷ"), d("2000000000"));
        assert_eq!(parse_amount("2 tỉ 500 triệu"), d("2500000000"));
        assert_eq!(parse_amount("1 tỷ 2 triệu 300 nghìn"), d("1002300000"));
        assert_eq!(parse_amount("500k"), d("500000"));
        assert_eq!(parse_amount("2k5"), d("2500"));
        assert_eq!(parse_amount("2k500"), d("2500"));
        assert_eq!(parse_amount("1tr050"), d("1050000"));
        assert_eq!(parse_amount("1,25 triệu"), d("1250000"));
        assert_eq!(parse_amount("1,2345 triệu"), d("1234500"));
        assert_eq!(parse_amount("0,5 triệu"), d("500000"));
        assert_eq!(parse_amount("1.234,5 nghìn"), d("1234500"));
        // falling multipliers: 1 triệu and 8 nghìn
        assert_eq!(parse_amount("1tr8k"), d("1008000"));
    }

    #[test]
    fn decimals_and_groups() {
        assert_eq!(parse_amount("900.000"), d("900000"));
        assert_eq!(parse_amount("1,500"), d("1500"));
        assert_eq!(parse_amount("1,8"), d("1.8"));
        assert_eq!(parse_amount("1.5"), d("1.5"));
        assert_eq!(parse_amount("1500000.50"), d("1500000.50"));
        assert_eq!(parse_amount("1500.000"), d("1500"));
        assert_eq!(parse_amount("0.500"), d("0.5"));
        assert_eq!(parse_amount("1 800 000,5"), d("1800000.5"));
        assert_eq!(parse_amount("0"), d("0"));
        assert_eq!(parse_amount("-500.000"), d("-500000"));
        assert_eq!(parse_amount("- 1,8 triệu"), d("-1800000"));
    }

    #[test]
    fn refused() {
        for text in [
            "",
            " ",
            "đ",
            "triệu",
            "1,500 triệu",
            "1.500 nghìn",
            "1tr50",
            "1tr8000",
            "1 triệu 800 đồng",
            "1.500 triệu 200 nghìn",
            "1.80.000",
            "18.00.000",
            "1.800 000",
            "1.800,000,5",
            "1,8,5",
            "1.800.000..",
            "1.800.000.",
            ",5",
            "60%",
            "1e6",
            "abc",
            "1 abc",
            "800 nghìn 1 triệu",
            "1 triệu 1200 nghìn",
            "1 triệu 2 triệu",
            "1 nghìn 1 triệu",
            "đ 1000 đ",
            "1000 đ đ",
            "1000 đồng 5",
            "1 triệu nghìn",
            "--5",
            "+5",
            "1.800k",
            "99999999999999999999999999999999 tỷ",
            "1.800.000 đồng mỗi tháng",
        ] {
            assert_eq!(parse_amount(text), None, "{text:?}");
        }
        assert_eq!(parse_amount(&"1".repeat(65)), None, "over 64 bytes");
    }

    /// Formats `n` with `mark` between groups of three digits.
    fn group(n: u64, mark: &str) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push_str(mark);
            }
            out.push(c);
        }
        out
    }

    proptest! {
        #[test]
        fn grouped_forms_round_trip(n in 0_u64..10_000_000_000_000, mark in prop::sample::select(vec![".", ",", " ", "\u{a0}", "_"]),
                                    suffix in prop::sample::select(vec!["", "đ", " đ", " đồng", " VND", "₫"])) {
            let text = format!("{}{suffix}", group(n, mark));
            // a single group mark before three digits reads as thousands, as it should here
            prop_assert_eq!(parse_amount(&text), Some(Decimal::from(n)), "{}", text);
        }

        #[test]
        fn millions_with_a_decimal_comma(whole in 0_u64..10_000, tenths in 0_u64..10) {
            let text = format!("{whole},{tenths} triệu");
            prop_assert_eq!(parse_amount(&text), Some(Decimal::from(whole * 1_000_000 + tenths * 100_000)));
            let short = format!("{whole}tr{tenths}");
            prop_assert_eq!(parse_amount(&short), Some(Decimal::from(whole * 1_000_000 + tenths * 100_000)));
        }

        #[test]
        fn compound_round_trip(m in 1_u64..1000, k in 0_u64..1000) {
            let text = format!("{m} triệu {k} nghìn đồng");
            prop_assert_eq!(parse_amount(&text), Some(Decimal::from(m * 1_000_000 + k * 1000)));
        }

        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse_amount(&text);
        }

        #[test]
        fn never_panics_on_amount_like_text(text in "[0-9.,_ đtrk-]{0,30}(triệu|nghìn|tỷ|đồng|VND)?") {
            let _ = parse_amount(&text);
        }
    }
}
