//! What a line's plan includes, when no plans table says so: the carrier's own statement (a
//! usage summary row of its charges detail) or the words of the plan's name.

use rust_decimal::Decimal;

use crate::phone::PhoneNumber;
use crate::source::SourceRef;
use crate::usage::UsageType;

/// What a plan includes of one pool (minutes, messages, MB): so many, or no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowance {
    Limited(Decimal),
    Unlimited,
}

impl Allowance {
    /// The limit; `None` when there is none.
    pub fn limit(self) -> Option<Decimal> {
        match self {
            Allowance::Limited(n) => Some(n),
            Allowance::Unlimited => None,
        }
    }

    /// The amount in words: `500`, or `unlimited`.
    pub fn words(self) -> String {
        self.limit().map_or("unlimited".to_string(), |x| x.normalize().to_string())
    }
}

/// In JSON: the amount, or `null` for unlimited.
impl serde::Serialize for Allowance {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.limit().serialize(s)
    }
}

/// What a carrier states a line's plan includes for one kind of use: a usage summary row of
/// its charges detail (`Voice`, Allowance `500`, Used `560`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct StatedAllowance {
    pub line: PhoneNumber,
    /// Voice (minutes), text (messages) or data (MB).
    #[serde(serialize_with = "usage_type_word")]
    pub pool: UsageType,
    pub allowance: Allowance,
    /// The carrier marks the allowance shared (`2.000(shared)`): a pool across lines, of which
    /// no single line's part can be known.
    pub shared: bool,
    /// What the carrier says the line used, in the same unit.
    pub used: Option<Decimal>,
    pub source: SourceRef,
}

fn usage_type_word<S: serde::Serializer>(t: &UsageType, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.as_str())
}

/// An allowance as carriers write it: `unlimited`, `500`, `1,000`, `2.000(shared)`. Returns the
/// amount and whether it is shared; `Err` names what is wrong.
pub fn parse_stated(text: &str) -> Result<(Allowance, bool), String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    let (body, shared) = match lower.strip_suffix("(shared)") {
        Some(b) => (b.trim(), true),
        None => (lower.as_str(), false),
    };
    if body == "unlimited" || body == "unl" {
        return Ok((Allowance::Unlimited, shared));
    }
    let n: Decimal = body
        .replace(',', "")
        .parse()
        .map_err(|_| format!("`{t}` is not an allowance (a number, `unlimited`, or either followed by `(shared)`)"))?;
    if n < Decimal::ZERO {
        return Err(format!("`{t}` is negative"));
    }
    Ok((Allowance::Limited(n), shared))
}

/// What a plan's name says it includes, pool by pool: `None` where it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NamedAllowances {
    pub voice_minutes: Option<Allowance>,
    pub messages: Option<Allowance>,
    pub data_mb: Option<Allowance>,
}

impl NamedAllowances {
    pub fn get(&self, pool: UsageType) -> Option<Allowance> {
        match pool {
            UsageType::Voice => self.voice_minutes,
            UsageType::Text => self.messages,
            UsageType::Data => self.data_mb,
            UsageType::Other => None,
        }
    }
}

/// Reads the allowances a plan's name states, as carriers and agencies write them:
/// `Business Talk 500 minutes`, `450 MIN 1000 MSG`, `FLEX BUSINESS DATA DEVICE 2GB`,
/// `Unlimited Talk & Text 5GB`, `BUSINESS UNLIMITED SMARTPHONE`. A number counts only with its
/// unit beside it (`2GB`, `2 GB`, `500 minutes`); `unlimited` covers the pools named right after
/// it (`Unlimited Talk & Text`), or, followed by none, every pool no number was given for.
/// A price (`$35.00`, `$.45/min`) is not an allowance and is passed over.
pub fn from_plan_name(name: &str) -> NamedAllowances {
    // Words: runs of letters, or of digits with their `.` and `,`; a number and its unit may
    // be written together (`2GB`). A `$` and the number after it are a price: left out.
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut digits = false;
    let mut price = false;
    for ch in name.chars() {
        if ch == '$' {
            price = true;
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if price {
            if ch.is_ascii_digit() || ch == '.' || ch == ',' {
                continue;
            }
            price = false;
        }
        let is_digit = ch.is_ascii_digit() || (digits && (ch == '.' || ch == ','));
        if ch.is_alphanumeric() || is_digit {
            let now_digits = is_digit && !(ch.is_alphabetic());
            if !cur.is_empty() && now_digits != digits {
                words.push(std::mem::take(&mut cur));
            }
            digits = now_digits;
            cur.push(ch.to_ascii_lowercase());
        } else if !cur.is_empty() {
            words.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    let pool_of = |w: &str| -> Option<UsageType> {
        match w {
            "min" | "mins" | "minute" | "minutes" | "talk" | "voice" | "calling" => Some(UsageType::Voice),
            "msg" | "msgs" | "message" | "messages" | "text" | "texts" | "texting" | "sms" | "messaging" => Some(UsageType::Text),
            "gb" | "mb" | "data" => Some(UsageType::Data),
            _ => None,
        }
    };
    let mut out = NamedAllowances::default();
    let set = |out: &mut NamedAllowances, pool: UsageType, a: Allowance| {
        let slot = match pool {
            UsageType::Voice => &mut out.voice_minutes,
            UsageType::Text => &mut out.messages,
            UsageType::Data => &mut out.data_mb,
            UsageType::Other => return,
        };
        if slot.is_none() {
            *slot = Some(a);
        }
    };
    let mut unlimited_for_all = false;
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if w.starts_with(|c: char| c.is_ascii_digit()) {
            if let (Ok(n), Some(unit)) = (w.replace(',', "").parse::<Decimal>(), words.get(i + 1)) {
                match unit.as_str() {
                    // A number too large to be gigabytes of anything says nothing.
                    "gb" => {
                        if let Some(mb) = n.checked_mul(Decimal::from(1024)) {
                            set(&mut out, UsageType::Data, Allowance::Limited(mb));
                        }
                    }
                    "mb" => set(&mut out, UsageType::Data, Allowance::Limited(n)),
                    u => {
                        if let Some(p @ (UsageType::Voice | UsageType::Text)) = pool_of(u) {
                            if u != "talk" && u != "voice" && u != "calling" && u != "data" {
                                set(&mut out, p, Allowance::Limited(n));
                            }
                        }
                    }
                }
            }
        } else if w == "unlimited" || w == "unl" {
            // The pools named right after it: `Unlimited Talk & Text`, `Unlimited Data`.
            let named: Vec<UsageType> = words[i + 1..].iter().take(3).map_while(|w| pool_of(w)).collect();
            if named.is_empty() {
                unlimited_for_all = true;
            }
            for p in named {
                set(&mut out, p, Allowance::Unlimited);
            }
        }
        i += 1;
    }
    if unlimited_for_all {
        for p in [UsageType::Voice, UsageType::Text, UsageType::Data] {
            set(&mut out, p, Allowance::Unlimited);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn stated_allowances_as_carriers_write_them() {
        assert_eq!(parse_stated("unlimited"), Ok((Allowance::Unlimited, false)));
        assert_eq!(parse_stated("2.000(shared)"), Ok((Allowance::Limited(d("2.000")), true)));
        assert_eq!(parse_stated(" 1,000 "), Ok((Allowance::Limited(d("1000")), false)));
        assert_eq!(parse_stated("Unlimited (shared)"), Ok((Allowance::Unlimited, true)));
        assert_eq!(
            parse_stated("lots").unwrap_err(),
            "`lots` is not an allowance (a number, `unlimited`, or either followed by `(shared)`)"
        );
    }

    #[test]
    fn plan_names_state_what_they_include() {
        let n = |s: &str| {
            let a = from_plan_name(s);
            (a.voice_minutes, a.messages, a.data_mb)
        };
        assert_eq!(n("Business Talk 500 minutes"), (Some(Allowance::Limited(d("500"))), None, None));
        assert_eq!(n("450 MIN 1000 MSG"), (Some(Allowance::Limited(d("450"))), Some(Allowance::Limited(d("1000"))), None));
        assert_eq!(
            n("FLEX BUSINESS DATA DEVICE 2GB $35.00 monthly access charge"),
            (None, None, Some(Allowance::Limited(d("2048"))))
        );
        assert_eq!(
            n("Unlimited Talk & Text 5 GB"),
            (Some(Allowance::Unlimited), Some(Allowance::Unlimited), Some(Allowance::Limited(d("5120"))))
        );
        assert_eq!(
            n("BUSINESS UNLIMITED SMARTPHONE"),
            (Some(Allowance::Unlimited), Some(Allowance::Unlimited), Some(Allowance::Unlimited))
        );
        assert_eq!(
            n("Pooled 1,000 minutes unlimited text"),
            (Some(Allowance::Limited(d("1000"))), Some(Allowance::Unlimited), None)
        );
        assert_eq!(n("Business Talk 1000"), (None, None, None), "a number without its unit says nothing");
        assert_eq!(n("Smartphone Plan"), (None, None, None));
        assert_eq!(n("$500 minutes"), (None, None, None), "a price is not an allowance");
        // Found by fuzzing (fuzz/ values): a number that overflows as megabytes says nothing.
        assert_eq!(n("777614614015,5015,550015257770.5GB07350015p1251"), (None, None, None));
        assert_eq!(n("Business Talk 500 $30.00 (500 minutes, $.45/min after)"), (Some(Allowance::Limited(d("500"))), None, None));
        assert_eq!(n("BUSINESS TALK 500 $30.00 monthly access charge $.25 per minute after allowance"), (None, None, None));
    }
}
