//! What a projection's view is: a function of the newest image of each
//! source record, defined once for the projection and for the check that
//! compares a view with its sources.

use std::collections::BTreeMap;

use crate::model::Sym;
use crate::model::fields::{field, rename_field};
use crate::scenario::Column;

/// One topic a projection folds, resolved.
#[derive(Clone, Debug)]
pub struct SourceRt {
    pub topic: Sym,
    /// The field naming the row, or `None` for the record's own id.
    pub row: Option<String>,
    pub columns: Vec<Column>,
    /// Fields renamed in records of the old shape before folding (an
    /// upcaster).
    pub upcast: Vec<(String, String)>,
}

/// A record's value text as its source reads it: of the newest shape,
/// with each field the upcaster knows under its old name renamed.
pub(super) fn upcast(source: &SourceRt, value: &str) -> String {
    let mut text = value.to_string();
    for (from, to) in &source.upcast {
        if field(&text, to).is_none()
            && let Some(renamed) = rename_field(&text, from, to)
        {
            text = renamed;
        }
    }
    text
}

/// The row a source record belongs to, by its id and value text.
pub(super) fn row_of<'t>(source: &SourceRt, id: &'t str, value: &'t str) -> Option<&'t str> {
    match &source.row {
        None => Some(id),
        Some(f) => field(value, f),
    }
}

/// The view folded from source records: for each source (by index), its
/// records as (id, value text). Rows are keyed by their id text; a row
/// exists when some record belongs to it. Defined once, for the
/// projection and for the check that compares a view with its sources.
pub fn fold(sources: &[SourceRt], records: &[Vec<(String, String)>]) -> BTreeMap<String, String> {
    let upcasted: Vec<Vec<(String, String)>>;
    let records = if sources.iter().any(|s| !s.upcast.is_empty()) {
        upcasted = sources
            .iter()
            .zip(records)
            .map(|(s, list)| {
                list.iter()
                    .map(|(id, v)| (id.clone(), upcast(s, v)))
                    .collect()
            })
            .collect();
        &upcasted[..]
    } else {
        records
    };
    let mut rows: BTreeMap<String, Vec<(usize, &str, &str)>> = BTreeMap::new();
    for (s, (source, list)) in sources.iter().zip(records).enumerate() {
        for (id, value) in list {
            if let Some(row) = row_of(source, id, value) {
                rows.entry(row.to_string())
                    .or_default()
                    .push((s, id.as_str(), value.as_str()));
            }
        }
    }
    rows.into_iter()
        .map(|(row, members)| {
            let text = row_text(sources, &members);
            (row, text)
        })
        .collect()
}

/// One row's text from the records that belong to it, columns in the
/// order the sources list them.
fn row_text(sources: &[SourceRt], members: &[(usize, &str, &str)]) -> String {
    let mut parts = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        let mut mine: Vec<(&str, &str)> = members
            .iter()
            .filter(|m| m.0 == s)
            .map(|m| (m.1, m.2))
            .collect();
        mine.sort_unstable();
        for column in &source.columns {
            let shown = match column {
                Column::Copy { field: f, .. } => mine.last().map(|(_, v)| match f {
                    Some(f) => field(v, f).unwrap_or("—").to_string(),
                    None => v.replace(' ', "_"),
                }),
                Column::Count { .. } => Some(mine.len().to_string()),
                Column::Sum { field: f, .. } => Some(
                    mine.iter()
                        .filter_map(|(_, v)| field(v, f)?.parse::<i64>().ok())
                        .fold(0i64, i64::saturating_add)
                        .to_string(),
                ),
            };
            if let Some(v) = shown {
                parts.push(format!("{}={v}", column.name()));
            }
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape() -> Vec<SourceRt> {
        vec![
            SourceRt {
                topic: 0,
                row: Some("customer".into()),
                columns: vec![
                    Column::Count {
                        name: "orders".into(),
                    },
                    Column::Sum {
                        name: "total".into(),
                        field: "total".into(),
                    },
                ],
                upcast: Vec::new(),
            },
            SourceRt {
                topic: 1,
                row: None,
                columns: vec![Column::Copy {
                    name: "name".into(),
                    field: None,
                }],
                upcast: Vec::new(),
            },
        ]
    }

    #[test]
    fn orders_and_customers_fold_into_one_row_per_customer() {
        let orders = vec![
            ("o-1".to_string(), "customer=ann total=30".to_string()),
            ("o-2".to_string(), "customer=ann total=45".to_string()),
            ("o-3".to_string(), "customer=bo total=5".to_string()),
        ];
        let customers = vec![("ann".to_string(), "Ann".to_string())];
        let view = fold(&shape(), &[orders, customers]);
        assert_eq!(
            view.get("ann").map(String::as_str),
            Some("orders=2 total=75 name=Ann")
        );
        assert_eq!(view.get("bo").map(String::as_str), Some("orders=1 total=5"));
    }

    #[test]
    fn an_upcaster_reads_old_records_in_the_new_shape() {
        let source = vec![SourceRt {
            topic: 0,
            row: None,
            columns: vec![Column::Copy {
                name: "town".into(),
                field: Some("town".into()),
            }],
            upcast: vec![("city".into(), "town".into())],
        }];
        let rows = vec![
            ("ann".to_string(), "name=Ann city=Oslo".to_string()),
            ("bo".to_string(), "name=Bo town=Rome".to_string()),
        ];
        let view = fold(&source, std::slice::from_ref(&rows));
        assert_eq!(view.get("ann").map(String::as_str), Some("town=Oslo"));
        assert_eq!(view.get("bo").map(String::as_str), Some("town=Rome"));
        let plain = vec![SourceRt {
            upcast: Vec::new(),
            ..source[0].clone()
        }];
        let view = fold(&plain, &[rows]);
        assert_eq!(view.get("ann").map(String::as_str), Some("town=—"));
    }
}
