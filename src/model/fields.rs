//! Record values written as `name=value` pairs separated by spaces
//! (`customer=ann total=30`): how a projection reads the fields it folds
//! and how a clerk's edit changes some fields of a record and keeps the
//! others.

/// The fields of a record value written as `name=value` pairs.
pub fn fields(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split_whitespace()
        .filter_map(|pair| pair.split_once('='))
}

/// The value of field `name` in `text`, if present.
pub fn field<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    fields(text).find(|(k, _)| *k == name).map(|(_, v)| v)
}

/// `text` with the fields of `set` replaced or added, in the order they
/// first appear: what a clerk's edit writes back.
pub fn set_fields(text: &str, set: &str) -> String {
    let mut out: Vec<(String, String)> = fields(text)
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for (k, v) in fields(set) {
        match out.iter_mut().find(|(name, _)| name == k) {
            Some(slot) => slot.1 = v.to_string(),
            None => out.push((k.to_string(), v.to_string())),
        }
    }
    out.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with field `from` renamed `to`, keeping its value and place;
/// `None` when `text` has no field `from` (nothing to rename). What a
/// column rename does to a row, and what an upcaster does to an event of
/// the old shape.
pub fn rename_field(text: &str, from: &str, to: &str) -> Option<String> {
    field(text, from)?;
    Some(
        fields(text)
            .map(|(k, v)| {
                let k = if k == from { to } else { k };
                format!("{k}={v}")
            })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rename_keeps_the_value_and_its_place() {
        assert_eq!(
            rename_field("name=Ann city=Oslo phone=1", "city", "town").as_deref(),
            Some("name=Ann town=Oslo phone=1")
        );
        assert_eq!(rename_field("name=Ann", "city", "town"), None);
    }

    #[test]
    fn an_edit_sets_fields_and_keeps_the_others() {
        assert_eq!(
            set_fields("name=Ann city=Oslo phone=1", "phone=555"),
            "name=Ann city=Oslo phone=555"
        );
        assert_eq!(set_fields("", "a=1 b=2"), "a=1 b=2");
    }
}
