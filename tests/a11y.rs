//! What a screen reader and a keyboard-only learner meet: every input is
//! named, every canvas node and link is an element of its own with its
//! state in words, the replica table and the diagram speak their contents,
//! and a lesson and an edit can be done with the keyboard alone.

use egui::{Event, Key, Modifiers, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use settle::scenario::NodeKind;
use settle::session::{Cmd, Selection};
use settle::ui::SettleApp;
use settle::ui::app::Prefs;

fn harness() -> Harness<'static, SettleApp> {
    Harness::builder()
        .with_size(vec2(1440.0, 900.0))
        .with_max_steps(20)
        .build_ui_state(
            |ui, app: &mut SettleApp| app.show(ui),
            SettleApp::new(Prefs::default()),
        )
}

fn open(h: &mut Harness<'static, SettleApp>, title: &str) {
    h.run_steps(2);
    h.get_by_label_contains(title).click();
    h.run_steps(4);
}

#[test]
fn every_input_has_a_name_wherever_a_learner_goes() {
    let mut h = harness();
    h.run_steps(3);
    h.check_accessibility();
    open(&mut h, "Event-driven replication");
    h.check_accessibility();
    for id in ["catalog", "search", "admin", "bus", "catalog-db"] {
        h.state_mut().push(Cmd::Select(Selection::node(id)));
        h.run_steps(3);
        h.check_accessibility();
    }
    h.state_mut().push(Cmd::Select(Selection::link(0)));
    h.run_steps(3);
    h.check_accessibility();
    h.state_mut().push(Cmd::Seek(2_200_000.0));
    h.run_steps(3);
    h.check_accessibility();
    h.key_press(Key::F11);
    h.run_steps(4);
    h.check_accessibility();
}

#[test]
fn canvas_nodes_and_links_are_found_and_clicked_by_name() {
    let mut h = harness();
    open(&mut h, "Event-driven replication");
    // Crash the catalog database: its node says so.
    h.state_mut().push(Cmd::Seek(1_200_000.0));
    h.run_steps(2);
    h.get_by_label("Pricing, replica").click();
    h.run_steps(3);
    assert!(h.state().session.selection.nodes.contains("pricing"));
    h.get_by_label("Link Event bus to Recommendations").click();
    h.run_steps(3);
    assert!(h.state().session.selection.link.is_some());
    // At 1.2 s the link to Recommendations is cut, and says so.
    let link = h.get_by_label("Link Event bus to Recommendations");
    let said = link
        .accesskit_node()
        .description()
        .unwrap_or_default()
        .to_string();
    assert!(said.contains("cut"), "{said}");
    let rec = h.get_by_label("Recommendations, replica");
    let said = rec
        .accesskit_node()
        .description()
        .unwrap_or_default()
        .to_string();
    assert!(said.contains("stale") || said.contains("agrees"), "{said}");
}

#[test]
fn the_replica_table_and_the_diagram_speak_their_contents() {
    let mut h = harness();
    open(&mut h, "Event-driven replication");
    h.state_mut().push(Cmd::Seek(1_500_000.0));
    h.run_steps(4);
    // A cell: copy, record, value, version, agreement.
    let cells = h.query_all_by_label_contains("Recommendations, sku-");
    assert!(cells.count() > 0, "no replica cell speaks");
    h.get_all_by_label_contains("version")
        .next()
        .expect("a cell with its version");
    // The diagram's rows: time, from, to, what.
    h.get_all_by_label_contains("s, Catalog service to Event bus: product-changed")
        .next()
        .expect("a spoken arrow");
}

/// Presses Tab until the element named `label` has the keyboard.
fn tab_to(h: &mut Harness<'static, SettleApp>, label: &str) {
    for _ in 0..200 {
        if h.query_all_by_label(label).any(|n| n.is_focused()) {
            return;
        }
        h.key_press(Key::Tab);
        h.run_steps(1);
    }
    panic!("Tab never reached {label}");
}

#[test]
fn a_lesson_and_an_edit_with_the_keyboard_alone() {
    let mut h = harness();
    h.run_steps(2);
    // The lesson: open it and step through with Next.
    tab_to(&mut h, "04 Outbox and CDC");
    h.key_press(Key::Enter);
    h.run_steps(4);
    assert!(!h.state().session.welcome);
    // Step 1 shows on opening; two Nexts reach the question of step 3.
    for _ in 0..2 {
        tab_to(&mut h, "Next ▶");
        h.key_press(Key::Space);
        h.run_steps(2);
        // Let the run play to the step.
        for _ in 0..600 {
            if !h.state().session.player.as_ref().is_some_and(|p| p.playing) {
                break;
            }
            h.run_steps(1);
        }
    }
    h.get_by_label("Step 3 of 8");
    // Step 3 asks: answer it from the keyboard.
    tab_to(&mut h, "Only the outbox side gets it");
    h.key_press(Key::Space);
    h.run_steps(2);
    assert_eq!(h.state().session.lesson.guesses.len(), 1);

    // The edit: a blank drawing, two nodes, a link, a name, a request, a crash.
    h.key_press(Key::Escape);
    h.state_mut().push(Cmd::ConfirmDiscard);
    h.state_mut().push(Cmd::New);
    h.run_steps(3);
    h.state_mut().push(Cmd::ConfirmDiscard);
    h.run_steps(3);
    assert!(
        h.state().session.doc.scenario.nodes.is_empty(),
        "no blank drawing"
    );
    tab_to(&mut h, "Add client");
    h.key_press(Key::Space);
    h.run_steps(2);
    tab_to(&mut h, "Add service");
    h.key_press(Key::Space);
    h.run_steps(3);
    // Link: focus the client, L, focus the service, Enter.
    tab_to(&mut h, "client-1, client");
    h.key_press(Key::L);
    h.run_steps(1);
    tab_to(&mut h, "service-1, service");
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(
        h.state().session.doc.scenario.links.len(),
        1,
        "no link made"
    );
    // Move it with the arrows.
    let before = h.state().session.doc.scenario.nodes[1].pos;
    h.key_press(Key::ArrowDown);
    h.run_steps(2);
    assert!(
        h.state().session.doc.scenario.nodes[1].pos.1 > before.1,
        "arrow did not move it"
    );
    // Rename: Enter goes to the inspector's name field.
    h.key_press(Key::Enter);
    h.run_steps(3);
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.event(Event::Text("Orders".into()));
    h.key_press(Key::Enter);
    h.run_steps(3);
    assert_eq!(h.state().session.doc.scenario.nodes[1].label(), "Orders");
    // Fire a request from the client: Enter takes the keyboard to its
    // inspector, and Tab goes on from there.
    tab_to(&mut h, "client-1, client");
    h.key_press(Key::Enter);
    h.run_steps(3);
    tab_to(&mut h, "Record id");
    h.event(Event::Text("7".into()));
    h.run_steps(1);
    tab_to(&mut h, "Fire request");
    h.key_press(Key::Space);
    h.run_steps(3);
    assert!(
        !h.state().session.doc.scenario.workload.is_empty(),
        "no request fired"
    );
    // Crash the service from its actions menu.
    tab_to(&mut h, "Orders, service");
    h.key_press_modifiers(Modifiers::SHIFT, Key::F10);
    h.run_steps(2);
    tab_to(&mut h, "Crash");
    h.key_press(Key::Space);
    h.run_steps(3);
    assert!(
        h.state().session.doc.scenario.faults.iter().any(
            |f| matches!(f, settle::scenario::Fault::Crash { node, .. } if node == "service-1")
        ),
        "no crash recorded"
    );
    assert!(matches!(
        h.state().session.doc.scenario.nodes[1].kind,
        NodeKind::Service(_)
    ));
}

/// A menu item chosen by a screen reader (an AccessKit click, no pointer)
/// does its work and closes its menu, as a mouse click does.
#[test]
fn a_menu_item_chosen_by_a_screen_reader_closes_its_menu() {
    let mut h = harness();
    open(&mut h, "Event-driven replication");
    h.get_by_label("View").click_accesskit();
    h.run_steps(3);
    let presenting = h.state().presenting;
    h.get_by_label_contains("Presentation").click_accesskit();
    h.run_steps(4);
    assert_ne!(h.state().presenting, presenting, "the item did nothing");
    assert!(
        h.query_by_label_contains("Presentation").is_none(),
        "the View menu stayed open after its item was chosen"
    );
    // A lesson chosen from the submenu closes the whole menu.
    h.get_by_label("File").click_accesskit();
    h.run_steps(3);
    h.get_by_label("Lessons").click_accesskit();
    h.run_steps(3);
    h.get_by_label("04 Outbox and CDC").click_accesskit();
    h.run_steps(4);
    assert_eq!(h.state().session.doc.scenario.title, "Outbox and CDC");
    assert!(
        h.query_by_label("Course quiz").is_none() && h.query_by_label("Save As…").is_none(),
        "the File menu stayed open after a lesson was chosen"
    );
}

/// The element that has the keyboard, by its accessible name.
fn focused_label(h: &Harness<'static, SettleApp>) -> String {
    h.root()
        .query_all(egui_kittest::kittest::by())
        .find(|n| n.is_focused())
        .and_then(|n| n.accesskit_node().label())
        .unwrap_or_default()
}

/// F6 and Shift+F6 move the keyboard through the window's regions, in the
/// order the help lists them, and Tab walks on into the region reached.
#[test]
fn f6_cycles_the_regions_and_tab_walks_into_one() {
    let mut h = harness();
    open(&mut h, "Event-driven replication");
    let order = [
        "Menu bar region",
        "Lesson card region",
        "Drawing region",
        "Inspector region",
        "Playback region",
        "Menu bar region",
    ];
    for want in order {
        h.key_press(Key::F6);
        h.run_steps(2);
        assert_eq!(focused_label(&h), want);
    }
    h.key_press_modifiers(Modifiers::SHIFT, Key::F6);
    h.run_steps(2);
    assert_eq!(focused_label(&h), "Playback region");
    // Back to the drawing, then Tab: the first node in reading order.
    for _ in 0..2 {
        h.key_press_modifiers(Modifiers::SHIFT, Key::F6);
        h.run_steps(2);
    }
    assert_eq!(focused_label(&h), "Drawing region");
    h.key_press(Key::Tab);
    h.run_steps(2);
    let node = focused_label(&h);
    assert!(
        h.state()
            .session
            .doc
            .scenario
            .nodes
            .iter()
            .any(|n| node.starts_with(&format!("{}, ", n.label()))),
        "Tab from the drawing's anchor reached {node:?}, not a node"
    );
}

/// A screen reader's click on a canvas node (AccessKit's Click action, no
/// pointer) selects it and leaves the keyboard on it.
#[test]
fn a_screen_readers_click_on_a_canvas_node_selects_it() {
    let mut h = harness();
    open(&mut h, "Event-driven replication");
    h.get_by_label("Pricing, replica").click_accesskit();
    h.run_steps(3);
    assert!(h.state().session.selection.nodes.contains("pricing"));
    assert_eq!(focused_label(&h), "Pricing, replica");
}

/// Esc closes an open drop-down or menu and nothing else: the node stays
/// selected.
#[test]
fn escape_closes_a_drop_down_and_keeps_the_selection() {
    let mut h = harness();
    open(&mut h, "Event-driven replication");
    h.state_mut().push(Cmd::Select(Selection::node("catalog")));
    h.run_steps(3);
    h.query_all_by_role(egui::accesskit::Role::ComboBox)
        .next()
        .expect("the service's inspector has a drop-down")
        .click();
    h.run_steps(3);
    assert!(
        egui::Popup::is_any_open(&h.ctx),
        "the drop-down did not open"
    );
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(!egui::Popup::is_any_open(&h.ctx), "Esc left it open");
    assert!(
        h.state().session.selection.nodes.contains("catalog"),
        "Esc on the drop-down cleared the selection"
    );
    // With nothing open, Esc clears the selection as before.
    h.key_press(Key::Escape);
    h.run_steps(3);
    assert!(h.state().session.selection.nodes.is_empty());
}

/// The help names punctuation keys by the character on the key.
#[test]
fn the_help_shows_keys_as_they_are_printed() {
    let mut h = harness();
    open(&mut h, "Event-driven replication");
    h.state_mut()
        .push(Cmd::View(settle::session::ViewCmd::ToggleHelp));
    h.run_steps(3);
    h.get_by_label("Step one event forward");
    for name in ["Period", "Comma", "OpenBracket", "CloseBracket"] {
        assert!(
            h.query_by_label(name).is_none(),
            "the help says {name:?} for a key"
        );
    }
    for key in [".", ",", "[", "]", "F6", "Shift+F6"] {
        h.get_by_label(key);
    }
}

/// Beside an open question the Checks panel does not list the checks that
/// would answer it; once the learner has guessed or skipped, it does.
#[test]
fn the_checks_panel_keeps_an_open_questions_answer_hidden() {
    let mut h = harness();
    open(&mut h, "Idempotent consumer");
    let question = h
        .state()
        .session
        .doc
        .scenario
        .narration
        .iter()
        .position(|n| n.ask.is_some())
        .expect("03b asks a question");
    assert!(
        h.query_by_label_contains("applied a second time").is_none(),
        "the Checks panel answers the open question"
    );
    h.get_by_label_contains("Answer it (or skip it) first");
    h.state_mut().push(Cmd::Skip { step: question });
    h.run_steps(3);
    h.get_by_label_contains("applied a second time");
    assert!(
        h.query_by_label_contains("Answer it (or skip it) first")
            .is_none()
    );
}

/// On a laptop the side panel and the palette can be put away from the
/// View menu, and brought back; F6 then skips the hidden region.
#[test]
fn the_side_panel_and_the_palette_can_be_hidden_and_brought_back() {
    let mut h = harness();
    open(&mut h, "Event-driven replication");
    h.get_by_label("Inspector region");
    let toggle_both = |h: &mut Harness<'static, SettleApp>| {
        // The checkboxes keep the menu open, as menus' checkboxes do.
        h.get_by_label("View").click_accesskit();
        h.run_steps(3);
        for item in ["Side panel", "Palette"] {
            h.get_by_label(item).click_accesskit();
            h.run_steps(3);
        }
        h.key_press(Key::Escape);
        h.run_steps(3);
    };
    toggle_both(&mut h);
    assert!(
        h.query_by_label("Inspector region").is_none(),
        "the side panel is still shown"
    );
    assert!(
        h.query_by_label("Add replica").is_none(),
        "the palette is still shown"
    );
    assert!(!h.state().persisted().side && !h.state().persisted().palette);
    for _ in 0..6 {
        h.key_press(Key::F6);
        h.run_steps(2);
        assert_ne!(focused_label(&h), "Inspector region");
    }
    toggle_both(&mut h);
    h.get_by_label("Inspector region");
    h.get_by_label("Add replica");
}

/// Nodes added from the palette on a blank drawing never land out of
/// sight: the view fits again when one would.
#[test]
fn nodes_added_from_the_palette_stay_in_view() {
    let mut h = harness();
    h.run_steps(2);
    h.get_by_label("New drawing").click();
    h.run_steps(4);
    for _ in 0..30 {
        h.get_by_label("Add service").click();
        h.run_steps(3);
    }
    h.run_steps(3);
    let top = h.get_by_label("Drawing region").rect().min.y;
    let bottom = h
        .get_all_by_label("Sequence diagram")
        .map(|n| n.rect().min.y)
        .fold(f32::MAX, f32::min);
    let n = h.state().session.doc.scenario.nodes.len();
    assert_eq!(n, 30);
    for node in h.query_all_by_label_contains(", service") {
        let c = node.rect().center();
        assert!(
            c.y > top && c.y < bottom,
            "a node at y={} is outside the drawing ({top}..{bottom})",
            c.y
        );
    }
}
