//! A partitioned log's settings: how long it holds a fetch and waits for
//! a silent member, what it keeps, each topic's partitions, and each
//! consumer group's commit policy, batch size and pace.

use egui::Ui;

use crate::model::Dur;
use crate::scenario::{CommitPolicy, LogSpec, NodeKind};
use crate::session::Cmd;
use crate::ui::inspector::fields::{gesture, label, millis, set_spec};
use crate::ui::view::View;

pub(super) fn log(ui: &mut Ui, view: &View, id: &str, l: &LogSpec, cmds: &mut Vec<Cmd>) {
    let set = |k: LogSpec| set_spec(id, NodeKind::Log(k));
    let lbl = label(ui, "Publisher resends after");
    let (r, d) = millis(ui, &lbl, l.ack_timeout);
    let r =
        r.on_hover_text("A publisher sends an event again if the log has not confirmed it by then");
    let mut k = l.clone();
    k.ack_timeout = Dur(d.0.max(1000));
    gesture(&r, cmds, set(k));
    ui.end_row();
    let lbl = label(ui, "Fetch waits up to");
    let (r, d) = millis(ui, &lbl, l.fetch_wait);
    let r = r.on_hover_text(
        "A fetch that finds nothing new is held this long for new events, then answered empty",
    );
    let mut k = l.clone();
    k.fetch_wait = Dur(d.0.max(1000));
    gesture(&r, cmds, set(k));
    ui.end_row();
    let lbl = label(ui, "Session timeout");
    let (r, d) = millis(ui, &lbl, l.session_timeout);
    let r = r.on_hover_text(
        "A member not heard from for this long is taken for dead: its partitions go to the others",
    );
    let mut k = l.clone();
    k.session_timeout = Dur(d.0.max(1000));
    gesture(&r, cmds, set(k));
    ui.end_row();
    let lbl = label(ui, "Keep events for");
    let (r, d) = millis(ui, &lbl, l.keep_for.unwrap_or(Dur(0)));
    let r = r.on_hover_text("Older events are deleted; 0 keeps them however old");
    let mut k = l.clone();
    k.keep_for = (d.0 > 0).then_some(Dur(d.0.max(1000)));
    gesture(&r, cmds, set(k));
    ui.end_row();
    let lbl = label(ui, "Keep per partition");
    let mut n = l.keep_last.unwrap_or(0);
    let r = ui
        .add(
            egui::DragValue::new(&mut n)
                .range(0..=100_000)
                .suffix(" latest events"),
        )
        .labelled_by(lbl.id)
        .on_hover_text("Each partition keeps only its latest events; 0 keeps all");
    let mut k = l.clone();
    k.keep_last = (n > 0).then_some(n);
    gesture(&r, cmds, set(k));
    ui.end_row();
    for (i, t) in l.topics.iter().enumerate() {
        let lbl = label(ui, &format!("Topic {} partitions", t.name));
        let mut n = t.partitions;
        let r = ui
            .add(egui::DragValue::new(&mut n).range(1..=64))
            .labelled_by(lbl.id)
            .on_hover_text("A key always goes to the same partition; order holds within one");
        let mut k = l.clone();
        k.topics[i].partitions = n;
        gesture(&r, cmds, set(k));
        ui.end_row();
    }
    for (i, g) in l.groups.iter().enumerate() {
        group(ui, l, i, &g.name, cmds, &set);
    }
    label(ui, "Groups");
    let groups: Vec<String> = crate::scenario::log_groups(view.scenario, id)
        .iter()
        .map(|g| {
            let members: Vec<&str> = g.members.iter().map(|m| view.label(m)).collect();
            format!("{}: {}", g.name, members.join(", "))
        })
        .collect();
    ui.label(if groups.is_empty() {
        "no consumer yet: link a replica to it".to_string()
    } else {
        groups.join("\n")
    });
    ui.end_row();
}

/// One listed group's settings: when it commits, how many events a fetch
/// brings, how long a member takes over each.
fn group(
    ui: &mut Ui,
    l: &LogSpec,
    i: usize,
    name: &str,
    cmds: &mut Vec<Cmd>,
    set: &dyn Fn(LogSpec) -> crate::session::Edit,
) {
    let Some(g) = l.groups.get(i) else {
        return;
    };
    let lbl = label(ui, &format!("Group {name} commits"));
    let words = |c: &CommitPolicy| match c {
        CommitPolicy::BeforeHandling => "before handling (at most once)",
        CommitPolicy::AfterHandling => "after handling (at least once)",
        CommitPolicy::Every(_) => "every interval (automatic)",
    };
    let mut chosen = g.commit;
    egui::ComboBox::from_id_salt(("log-commit", i))
        .selected_text(words(&g.commit))
        .show_ui(ui, |ui| {
            for c in [
                CommitPolicy::BeforeHandling,
                CommitPolicy::AfterHandling,
                CommitPolicy::Every(Dur::ms(500)),
            ] {
                let on = std::mem::discriminant(&c) == std::mem::discriminant(&g.commit);
                if ui.selectable_label(on, words(&c)).clicked() && !on {
                    chosen = c;
                }
            }
        })
        .response
        .labelled_by(lbl.id)
        .on_hover_text(
            "Before handling, a crash loses the rest of a batch; after, it repeats the batch; on an interval, both can happen",
        );
    if chosen != g.commit {
        let mut k = l.clone();
        k.groups[i].commit = chosen;
        cmds.push(Cmd::Edit(set(k)));
    }
    ui.end_row();
    if let CommitPolicy::Every(every) = g.commit {
        let lbl = label(ui, &format!("Group {name} commits every"));
        let (r, d) = millis(ui, &lbl, every);
        let mut k = l.clone();
        k.groups[i].commit = CommitPolicy::Every(Dur(d.0.max(1000)));
        gesture(&r, cmds, set(k));
        ui.end_row();
    }
    let lbl = label(ui, &format!("Group {name} fetches up to"));
    let mut n = g.max_poll;
    let r = ui
        .add(
            egui::DragValue::new(&mut n)
                .range(1..=crate::scenario::MAX_POLL)
                .suffix(" events"),
        )
        .labelled_by(lbl.id)
        .on_hover_text("The most events one fetch brings (a batch)");
    let mut k = l.clone();
    k.groups[i].max_poll = n;
    gesture(&r, cmds, set(k));
    ui.end_row();
    let lbl = label(ui, &format!("Group {name} pace"));
    let (r, d) = millis(ui, &lbl, g.pace);
    let r = r.on_hover_text("How long a member takes over each event");
    let mut k = l.clone();
    k.groups[i].pace = d;
    gesture(&r, cmds, set(k));
    ui.end_row();
}
