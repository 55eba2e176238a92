//! Problems name nodes the way the learner sees them: the name on the
//! drawing first, then the id a file editor searches for, and the file's
//! line and column stay in the message `settle validate` prints.

use settle::scenario::from_str;
use settle::session::{Cmd, Edit, Session};

/// An orders service with its database, which carries a name of its own.
const SHOP: &str = r#"(
    title: "t",
    nodes: [
        (id: "c", kind: Client()),
        (id: "orders-a", name: "Orders", kind: Service(table: "orders", database: Some("db"))),
        (id: "db", name: "Orders DB", kind: Database()),
    ],
    links: [
        (from: "c", to: "orders-a"),
        (from: "orders-a", to: "db"),
    ],
    workload: [
        Request(at: "10ms", from: "c", to: "orders-a", op: Read(id: "1")),
    ],
)"#;

#[test]
fn a_broken_link_to_a_renamed_node_names_it_in_the_banner() {
    let mut session = Session::new(1.0, Default::default());
    session.apply(Cmd::OpenBytes {
        name: "shop.ron".into(),
        bytes: SHOP.as_bytes().to_vec(),
    });
    assert_eq!(session.problem, None, "the shop is well formed");
    session.apply(Cmd::Edit(Edit::Rename {
        id: "db".into(),
        name: "Order store".into(),
    }));
    session.apply(Cmd::Edit(Edit::DeleteLink(1)));
    let problem = session.problem.clone().unwrap_or_default();
    assert!(
        problem.contains("Orders (\"orders-a\") and Order store (\"db\") must be linked"),
        "{problem}"
    );
}

#[test]
fn validate_names_the_node_and_keeps_the_place() {
    let cut = SHOP.replace("        (from: \"orders-a\", to: \"db\"),\n", "");
    let err = match from_str(&cut, "shop.ron") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a service cut from its database is a problem"),
    };
    assert!(err.starts_with("shop.ron:5:"), "{err}");
    assert!(err.contains("Orders (\"orders-a\")"), "{err}");
    assert!(err.contains("Orders DB (\"db\")"), "{err}");
}

#[test]
fn a_node_without_a_name_is_named_by_its_id() {
    let cut = SHOP
        .replace(", name: \"Orders DB\"", "")
        .replace("        (from: \"orders-a\", to: \"db\"),\n", "");
    let err = from_str(&cut, "shop.ron").err().map(|e| e.to_string());
    let err = err.unwrap_or_default();
    assert!(err.contains(" and \"db\" must be linked"), "{err}");
}
