//! The numbers behind the plots as CSV, for a spreadsheet or a chart of
//! one's own: the same samples the app draws (trace::query::Series), one
//! row per sample, time in seconds.

use std::fmt::Write;

use crate::trace::Trace;
use crate::trace::query::Series;

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// A number without trailing zeros: `0.25`, `3`.
fn number(v: f64, decimals: usize) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let s = format!("{v:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Every plotted series of a whole run: a header row `time_s,…`, then one
/// row per sample.
pub fn csv(trace: &Trace) -> String {
    let mut s = Series::new(trace);
    s.finish(trace.until);
    let mut columns: Vec<(String, &[f64], usize)> = vec![
        ("divergent_records".into(), &s.divergent, 0),
        ("messages_in_flight".into(), &s.in_flight, 0),
    ];
    if !s.staleness.is_empty() {
        columns.push(("staleness_max_ms".into(), &s.staleness_max, 3));
        columns.push(("staleness_mean_ms".into(), &s.staleness_mean, 3));
    }
    for (node, values) in &s.staleness {
        columns.push((
            format!("staleness_ms {}", trace.node_label(*node)),
            values,
            3,
        ));
    }
    let mut out = String::from("time_s");
    for (name, _, _) in &columns {
        out.push(',');
        out.push_str(&field(name));
    }
    out.push('\n');
    for (i, t) in s.t.iter().enumerate() {
        out.push_str(&number(*t, 6));
        for (_, values, decimals) in &columns {
            let v = values.get(i).copied().unwrap_or(0.0);
            let _ = write!(out, ",{}", number(v, *decimals));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_and_numbers_are_plain_csv() {
        assert_eq!(field("Search"), "Search");
        assert_eq!(field("a, \"b\""), "\"a, \"\"b\"\"\"");
        assert_eq!(number(0.250_000, 6), "0.25");
        assert_eq!(number(3.0, 0), "3");
        assert_eq!(number(f64::NAN, 3), "0");
    }
}
