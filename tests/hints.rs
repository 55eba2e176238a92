//! Design hints read the drawing: each fires on a drawing with its flaw and
//! stays quiet on one without, and on the presets that fix the flaw. A
//! dismissal is an undoable edit saved with the drawing; `settle validate`
//! prints the hints and still passes.

mod common;

use settle::check::{Hint, HintKind, all_hints, hints};
use settle::scenario::{self, Scenario};
use settle::session::{Document, Edit};

fn drawing(nodes: &str, links: &str, workload: &str) -> Scenario {
    let text = format!(
        r#"(title: "t", until: "3s", nodes: [{nodes}], links: [{links}], workload: [{workload}])"#
    );
    scenario::from_str(&text, "t.ron").unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn kinds(s: &Scenario) -> Vec<(HintKind, String)> {
    hints(s).into_iter().map(|h| (h.kind, h.node)).collect()
}

fn of(s: &Scenario, kind: HintKind) -> Vec<Hint> {
    hints(s).into_iter().filter(|h| h.kind == kind).collect()
}

const SHOP: &str = r#"
    (id: "c", kind: Client()),
    (id: "orders", name: "Orders", kind: Service(table: "orders", database: "db", publish: (broker: "bus", topic: "placed") WRITE)),
    (id: "db", kind: Database()),
    (id: "bus", name: "Bus", kind: Broker(delivery: AtLeastOnce(ack_timeout: "200ms"))),
    (id: "ship", name: "Shipping", kind: Replica(broker: "bus", topic: "placed", table: "orders" DEDUP)),
    RELAY
"#;
const SHOP_LINKS: &str = r#"(from: "c", to: "orders"), (from: "orders", to: "db"), (from: "orders", to: "bus"), (from: "bus", to: "ship") RELAY_LINKS"#;

fn shop(outbox: bool, dedup: bool) -> Scenario {
    let nodes = SHOP
        .replace("WRITE", if outbox { ", write: Outbox" } else { "" })
        .replace("DEDUP", if dedup { "" } else { ", dedup: false" })
        .replace(
            "RELAY",
            if outbox {
                r#"(id: "relay", kind: Cdc(database: "db", broker: "bus")),"#
            } else {
                ""
            },
        );
    let links = SHOP_LINKS.replace(
        "RELAY_LINKS",
        if outbox {
            r#", (from: "db", to: "relay"), (from: "relay", to: "bus")"#
        } else {
            ""
        },
    );
    drawing(&nodes, &links, "")
}

#[test]
fn a_dual_write_is_hinted_and_an_outbox_is_not() {
    let flawed = shop(false, true);
    let h = of(&flawed, HintKind::DualWrite);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].node, "orders");
    assert!(
        h[0].reason
            .contains("Orders commits, then publishes to Bus"),
        "{}",
        h[0].reason
    );
    assert!(of(&shop(true, true), HintKind::DualWrite).is_empty());
}

#[test]
fn an_outbox_without_a_relay_is_hinted() {
    let mut half = shop(true, true);
    half.nodes.retain(|n| n.id != "relay");
    half.links.retain(|l| l.from != "relay" && l.to != "relay");
    let h = of(&half, HintKind::UnpublishedOutbox);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].node, "orders");
    assert!(
        h[0].reason.contains("no CDC relay reads"),
        "{}",
        h[0].reason
    );
    assert!(of(&shop(true, true), HintKind::UnpublishedOutbox).is_empty());
    assert!(of(&shop(false, true), HintKind::UnpublishedOutbox).is_empty());
}

#[test]
fn a_consumer_without_dedup_on_an_at_least_once_topic_is_hinted() {
    let flawed = shop(true, false);
    let h = of(&flawed, HintKind::NoDedup);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].node, "ship");
    assert!(h[0].reason.contains("at least once"), "{}", h[0].reason);
    assert!(of(&shop(true, true), HintKind::NoDedup).is_empty());
    // At most once never redelivers: no duplicates to guard against.
    let mut once = flawed.clone();
    for n in &mut once.nodes {
        if let scenario::NodeKind::Broker(b) = &mut n.kind {
            b.delivery = scenario::Delivery::AtMostOnce;
        }
    }
    assert!(of(&once, HintKind::NoDedup).is_empty());
}

fn gateway(call_timeout: &str, client_timeout: &str) -> Scenario {
    drawing(
        &format!(
            r#"(id: "web", name: "Web", kind: Client(timeout: "{client_timeout}")),
               (id: "gw", name: "Gateway", kind: Composer(calls: ["a", "b"], call_timeout: "{call_timeout}")),
               (id: "a", name: "A", kind: Service(table: "as")),
               (id: "b", name: "B", kind: Service(table: "bs"))"#
        ),
        r#"(from: "web", to: "gw"), (from: "gw", to: "a"), (from: "gw", to: "b")"#,
        r#"Request(at: "100ms", from: "web", to: "gw", op: Read(id: "1"))"#,
    )
}

#[test]
fn a_call_whose_timeout_cannot_help_is_hinted() {
    // The gateway waits longer than its caller does.
    let h = of(&gateway("1s", "500ms"), HintKind::NoTimeout);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].node, "gw");
    assert!(
        h[0].reason.contains("but Web gives up after"),
        "{}",
        h[0].reason
    );
    // The gateway waits as long as the run.
    let h = of(&gateway("3s", "5s"), HintKind::NoTimeout);
    assert!(h.iter().any(|h| h.node == "gw"), "{h:?}");
    // ...and so does the client: a lost request is never noticed.
    assert!(h.iter().any(|h| h.node == "web"), "{h:?}");
    assert!(of(&gateway("150ms", "1s"), HintKind::NoTimeout).is_empty());
}

fn reporting(reads: bool) -> Scenario {
    let reporting = if reads {
        r#"(id: "rep", name: "Reporting", kind: Service(table: "reports", database: "odb", reads: ["orders"]))"#
    } else {
        r#"(id: "rep", name: "Reporting", kind: Service(table: "reports", database: "rdb", calls: ["o"])), (id: "rdb", kind: Database())"#
    };
    let links = if reads {
        r#"(from: "o", to: "odb"), (from: "rep", to: "odb")"#
    } else {
        r#"(from: "o", to: "odb"), (from: "rep", to: "rdb"), (from: "rep", to: "o")"#
    };
    drawing(
        &format!(
            r#"(id: "o", name: "Orders", kind: Service(table: "orders", database: "odb")),
               (id: "odb", name: "Orders DB", kind: Database()), {reporting}"#
        ),
        links,
        "",
    )
}

#[test]
fn reading_another_services_table_is_hinted_and_asking_it_is_not() {
    let flawed = reporting(true);
    let h = of(&flawed, HintKind::ForeignRead);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].node, "rep");
    assert!(
        h[0].reason.contains("Orders's table \"orders\""),
        "{}",
        h[0].reason
    );
    assert!(of(&reporting(false), HintKind::ForeignRead).is_empty());
}

#[test]
fn a_database_with_two_owners_is_hinted_on_the_database() {
    let h = of(&reporting(true), HintKind::SharedDatabase);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].node, "odb");
    assert!(
        h[0].reason.contains("Orders and Reporting"),
        "{}",
        h[0].reason
    );
    assert!(of(&reporting(false), HintKind::SharedDatabase).is_empty());
    // Reporting reads the orders table: the schemas are coupled.
    assert!(
        h[0].reason.contains("Reporting reads Orders's"),
        "{}",
        h[0].reason
    );
}

/// One server holding two services that keep to their own tables is not
/// the shared-database anti-pattern: the hint says what it does couple.
#[test]
fn a_shared_server_without_foreign_reads_couples_availability_not_schemas() {
    let s = drawing(
        r#"(id: "o", name: "Orders", kind: Service(table: "orders", database: "db")),
           (id: "c", name: "Customers", kind: Service(table: "customers", database: "db")),
           (id: "db", name: "Shared DB", kind: Database())"#,
        r#"(from: "o", to: "db"), (from: "c", to: "db")"#,
        "",
    );
    let h = of(&s, HintKind::SharedDatabase);
    assert_eq!(h.len(), 1, "{h:?}");
    let why = &h[0].reason;
    assert!(why.contains("schemas stay private"), "{why}");
    assert!(why.contains("outage"), "{why}");
    assert!(why.contains("credentials"), "{why}");
    assert!(!why.contains("coupled"), "{why}");
}

fn projection(read: bool) -> Scenario {
    drawing(
        r#"(id: "app", kind: Client()),
           (id: "orders", kind: Service(table: "orders", publish: (broker: "bus", topic: "o"))),
           (id: "bus", kind: Broker()),
           (id: "view", name: "My orders", kind: Projection(broker: "bus", view: "by-customer",
               sources: [(topic: "o", row: "customer", columns: [Count(name: "n")])]))"#,
        &format!(
            r#"(from: "app", to: "orders"), (from: "orders", to: "bus"), (from: "bus", to: "view"){}"#,
            if read {
                r#", (from: "app", to: "view")"#
            } else {
                ""
            }
        ),
        r#"Request(at: "100ms", from: "app", to: "orders", op: Write(id: "1", value: Text("customer=ann")))"#,
    )
}

#[test]
fn a_projection_nobody_reads_is_hinted() {
    let h = of(&projection(false), HintKind::UnreadProjection);
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].node, "view");
    assert!(h[0].reason.contains("\"by-customer\""), "{}", h[0].reason);
    assert!(of(&projection(true), HintKind::UnreadProjection).is_empty());
}

fn saga(compensations: [&str; 3], pivot: &str) -> Scenario {
    let [a, b, c] = compensations;
    drawing(
        &format!(
            r#"(id: "saga", name: "Checkout", kind: Orchestrator(steps: [
                   (service: "o", action: "created", compensation: "{a}"),
                   (service: "s", action: "reserved", compensation: "{b}"),
                   (service: "p", action: "charged", compensation: "{c}"),
               ]{pivot})),
               (id: "o", name: "Orders", kind: Service(table: "orders")),
               (id: "s", name: "Stock", kind: Service(table: "stock")),
               (id: "p", name: "Payments", kind: Service(table: "payments"))"#
        ),
        r#"(from: "saga", to: "o"), (from: "saga", to: "s"), (from: "saga", to: "p")"#,
        "",
    )
}

#[test]
fn a_saga_step_without_compensation_is_hinted_unless_after_the_pivot() {
    let h = of(
        &saga(["cancelled", "", "refunded"], ""),
        HintKind::NoCompensation,
    );
    assert_eq!(h.len(), 1, "{h:?}");
    assert_eq!(h[0].node, "saga");
    assert!(
        h[0].reason.contains("step 2 (Stock reserved)"),
        "{}",
        h[0].reason
    );
    assert!(
        of(
            &saga(["cancelled", "released", "refunded"], ""),
            HintKind::NoCompensation
        )
        .is_empty()
    );
    // After the pivot a step is retried forward, never undone.
    assert!(
        of(
            &saga(["cancelled", "released", ""], ", pivot: 2"),
            HintKind::NoCompensation
        )
        .is_empty()
    );
}

/// The hints each preset shows: the lessons that show a flaw on purpose
/// carry its hint (and its text is true there); the halves that fix it
/// carry none.
#[test]
fn presets_show_the_flaws_they_teach_and_not_the_ones_they_fix() {
    let expected: &[(&str, &[(HintKind, &str)])] = &[
        (
            "00-request-path.ron",
            &[(HintKind::SharedDatabase, "shared-db")],
        ),
        (
            "01-data-ownership.ron",
            &[
                (HintKind::SharedDatabase, "orders-db"),
                (HintKind::ForeignRead, "reporting"),
            ],
        ),
        ("02-api-composition.ron", &[]),
        // Lessons that publish straight after a commit for simplicity
        // dismiss that dual-write hint (checked below): it is lesson 04's.
        ("03-event-driven-replication.ron", &[]),
        (
            "03b-idempotent-consumer.ron",
            &[(HintKind::NoDedup, "warehouse-b")],
        ),
        // The outbox half (orders-b) carries no hint; the dual-write half does.
        (
            "04-outbox-and-cdc.ron",
            &[(HintKind::DualWrite, "orders-a")],
        ),
        ("05-cqrs.ron", &[]),
        ("06-conflict-resolution.ron", &[]),
        ("06b-optimistic-concurrency.ron", &[]),
        ("07-saga-compensation.ron", &[]),
        ("07b-saga-choreography.ron", &[]),
        ("08-unit-of-work.ron", &[]),
    ];
    for (file, want) in expected {
        let s = common::load(
            &std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("scenarios")
                .join(file),
        );
        let got = kinds(&s);
        let want: Vec<(HintKind, String)> = want.iter().map(|(k, n)| (*k, n.to_string())).collect();
        assert_eq!(got, want, "{file}: {:#?}", hints(&s));
        // A dismissed hint is only a dual write, still found in the drawing.
        for key in &s.dismissed_hints {
            assert!(key.starts_with("dual-write:"), "{file} dismisses {key}");
            assert!(
                settle::check::all_hints(&s).iter().any(|h| &h.key() == key),
                "{file} dismisses {key}, which the drawing does not have"
            );
        }
    }
}

#[test]
fn a_dismissal_is_an_undoable_edit_saved_with_the_drawing() {
    let s = shop(false, false);
    let before = all_hints(&s);
    assert_eq!(hints(&s).len(), 2);
    let key = before[0].key();
    assert_eq!(key, "dual-write:orders");
    let mut doc = Document::new(s, None, "t".into());
    doc.apply(&Edit::DismissHint {
        key: key.clone(),
        dismissed: true,
    });
    assert_eq!(
        kinds(&doc.scenario),
        vec![(HintKind::NoDedup, "ship".to_string())]
    );
    assert_eq!(all_hints(&doc.scenario), before, "all_hints still lists it");
    let text = scenario::to_ron(&doc.scenario).expect("writes");
    assert!(text.contains("dismissed_hints"), "{text}");
    let back = scenario::from_str(&text, "t.ron").expect("reads back");
    assert_eq!(back.dismissed_hints, vec![key.clone()]);
    assert_eq!(hints(&back).len(), 1);
    doc.undo();
    assert_eq!(hints(&doc.scenario).len(), 2, "undo brings it back");
    // A drawing without dismissals writes no such field.
    assert!(
        !scenario::to_ron(&doc.scenario)
            .unwrap()
            .contains("dismissed_hints")
    );
}

#[test]
fn validate_prints_hints_below_its_verdict_and_passes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("shop.ron");
    std::fs::write(&path, scenario::to_ron(&shop(false, false)).unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_settle"))
        .args(["validate", path.to_str().unwrap()])
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    let verdict = text.find(": ok").expect("a verdict");
    let dual = text.find("Dual write").expect("the dual-write hint");
    assert!(verdict < dual, "{text}");
    assert!(text.contains("no-dedup:ship"), "{text}");
    assert!(text.contains("04-outbox-and-cdc.ron"), "{text}");
}
