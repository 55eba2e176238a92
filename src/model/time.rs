//! Durations and instants as scenario authors write them: `"250ms"`, `"1.5s"`.
//!
//! Virtual time inside Settle is an integer count of microseconds, so a run
//! never depends on floating-point rounding. Files spell time with a unit
//! because a bare number would leave a reader guessing which one.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// Virtual time, in microseconds since the start of a run.
pub type Micros = u64;

/// The longest virtual time a scenario may mention: one day. Beyond that a
/// run would take longer than any lesson, and the bound keeps arithmetic on
/// times far from overflow.
pub const MAX_TIME: Micros = 24 * 3600 * 1_000_000;

/// A span of virtual time, written in files as a number and a unit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Dur(pub Micros);

impl Dur {
    /// `n` milliseconds.
    pub const fn ms(n: u64) -> Self {
        Dur(n * 1_000)
    }

    /// `n` seconds.
    pub const fn secs(n: u64) -> Self {
        Dur(n * 1_000_000)
    }

    /// The span in microseconds.
    pub const fn micros(self) -> Micros {
        self.0
    }
}

/// Why a duration could not be read; phrased for the person who wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DurError(pub String);

impl fmt::Display for DurError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads `"1.5s"`, `"250ms"`, `"40us"`, `"2min"` into microseconds.
pub fn parse_dur(text: &str) -> Result<Dur, DurError> {
    let t = text.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == '+'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let unit = unit.trim();
    let scale: f64 = match unit {
        "us" | "µs" => 1.0,
        "ms" => 1_000.0,
        "s" => 1_000_000.0,
        "min" => 60_000_000.0,
        "" => {
            return Err(DurError(format!(
                "\"{t}\" has no unit: write it as \"{t}ms\" or \"{t}s\""
            )));
        }
        other => {
            return Err(DurError(format!(
                "\"{other}\" is not a unit of time Settle knows: use us, ms, s or min (for example \"250ms\")"
            )));
        }
    };
    let value: f64 = number.parse().map_err(|_| {
        DurError(format!(
            "\"{t}\" is not a duration: write a number and a unit, like \"250ms\""
        ))
    })?;
    if value < 0.0 {
        return Err(DurError(format!(
            "\"{t}\" is negative: a time or latency must be zero or more"
        )));
    }
    let micros = (value * scale).round();
    if !micros.is_finite() || micros > MAX_TIME as f64 {
        return Err(DurError(format!(
            "\"{t}\" is longer than Settle's limit of one day of virtual time"
        )));
    }
    Ok(Dur(micros as u64))
}

impl fmt::Display for Dur {
    /// Writes the shortest exact form: `"1.5s"` rather than `"1500000us"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let us = self.0;
        if us == 0 {
            f.write_str("0ms")
        } else if us.is_multiple_of(1_000_000) {
            write!(f, "{}s", us / 1_000_000)
        } else if us.is_multiple_of(1_000) && us >= 1_000_000 {
            write!(f, "{}s", trim_float(us as f64 / 1e6))
        } else if us.is_multiple_of(1_000) {
            write!(f, "{}ms", us / 1_000)
        } else {
            write!(f, "{us}us")
        }
    }
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Formats a span for people in milliseconds: `48.7 ms`.
pub fn fmt_ms(us: Micros) -> String {
    format!("{:.1} ms", us as f64 / 1e3)
}

/// Formats a virtual instant for people: `1.250s`, `15ms`, `0.000s`.
pub fn fmt_time(t: Micros) -> String {
    format!("{:.3}s", t as f64 / 1e6)
}

impl Serialize for Dur {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for Dur {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Dur;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a duration with a unit, like \"250ms\" or \"1.5s\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Dur, E> {
                parse_dur(v).map_err(|e| E::custom(e.0))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Dur, E> {
                Err(E::custom(format!(
                    "{v} has no unit: write it as \"{v}ms\" or \"{v}s\""
                )))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Dur, E> {
                Err(E::custom(format!(
                    "{v} has no unit (and a time must not be negative): write it like \"250ms\""
                )))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Dur, E> {
                Err(E::custom(format!(
                    "{v} has no unit: write it as \"{v}ms\" or \"{v}s\""
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// A probability in [0, 1], checked where it is read so that the error
/// points at the number itself.
#[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize)]
#[serde(transparent)]
pub struct Prob(pub f64);

impl<'de> Deserialize<'de> for Prob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(d)?;
        if !(0.0..=1.0).contains(&v) {
            return Err(de::Error::custom(format!(
                "{v} is not a probability: use a number from 0.0 (never) to 1.0 (always)"
            )));
        }
        Ok(Prob(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_units() {
        assert_eq!(parse_dur("250ms"), Ok(Dur(250_000)));
        assert_eq!(parse_dur("1.5s"), Ok(Dur(1_500_000)));
        assert_eq!(parse_dur("40us"), Ok(Dur(40)));
        assert_eq!(parse_dur("2min"), Ok(Dur(120_000_000)));
    }

    #[test]
    fn rejects_what_a_person_gets_wrong() {
        assert!(parse_dur("-5ms").unwrap_err().0.contains("negative"));
        assert!(parse_dur("5").unwrap_err().0.contains("no unit"));
        assert!(parse_dur("5 hours").unwrap_err().0.contains("not a unit"));
        assert!(parse_dur("9999999s").unwrap_err().0.contains("limit"));
    }

    #[test]
    fn display_round_trips() {
        for us in [0, 40, 1_000, 250_000, 1_500_000, 3_000_000, 1_001] {
            let d = Dur(us);
            assert_eq!(parse_dur(&d.to_string()), Ok(d), "{d}");
        }
    }
}
