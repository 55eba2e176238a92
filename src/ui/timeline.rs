//! The playback bar: play, pause, step, step back, speed, seed, the
//! choose-next mode (with its list, when the run holds for a choice), and
//! a timeline to drag to any moment, with marks where faults and
//! narration happen.

use egui::{Align2, FontId, Sense, Stroke, pos2, vec2};

use super::theme;
use super::view::View;
use crate::scenario::fmt_time;
use crate::session::Cmd;
use crate::session::choose::ChooseCmd;
use crate::session::player::{MAX_SPEED, MIN_SPEED};

pub fn ui(ui: &mut egui::Ui, view: &View, seed_text: &mut String, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else {
        ui.add_space(4.0);
        ui.weak("Playback starts once the scenario can run.");
        ui.add_space(4.0);
        return;
    };
    ui.add_space(4.0);
    super::choose::ui(ui, view, cmds);
    ui.horizontal(|ui| {
        let big = |s: &str| egui::RichText::new(s).size(15.0);
        if ui
            .button(big("◀◀ Start"))
            .on_hover_text("Back to the start (Home)")
            .clicked()
        {
            cmds.push(Cmd::Home);
        }
        if ui
            .button(big("Step back"))
            .on_hover_text("Undo one event (,)")
            .clicked()
        {
            cmds.push(Cmd::StepBack);
        }
        let (label, tip) = if p.playing {
            ("Pause", "Pause (Space)")
        } else {
            ("Play", "Play (Space)")
        };
        if ui
            .add(egui::Button::new(big(label)).min_size(vec2(70.0, 0.0)))
            .on_hover_text(tip)
            .clicked()
        {
            cmds.push(if p.playing { Cmd::Pause } else { Cmd::Play });
        }
        if ui
            .button(big("Step"))
            .on_hover_text("One event forward (.)")
            .clicked()
        {
            cmds.push(Cmd::Step);
        }
        if ui
            .button(big("End ▶▶"))
            .on_hover_text("Jump to the end (End)")
            .clicked()
        {
            cmds.push(Cmd::End);
        }
        let mut choosing = p.choose.on;
        if ui
            .toggle_value(&mut choosing, big("Choose next"))
            .on_hover_text(
                "Stop wherever more than one message could arrive next, and choose which arrives, is lost or arrives twice (C)",
            )
            .clicked()
        {
            cmds.push(Cmd::Choose(ChooseCmd::Toggle));
        }
        ui.separator();
        let mut speed = p.speed;
        let r = ui
            .add(
                egui::Slider::new(&mut speed, MIN_SPEED..=MAX_SPEED)
                    .logarithmic(true)
                    .text("× speed")
                    .custom_formatter(|v, _| format!("{v:.3}")),
            )
            .on_hover_text("Virtual seconds per real second ([ and ] change it)");
        if r.changed() {
            cmds.push(Cmd::SetSpeed(speed));
        }
        ui.separator();
        let name = ui.label("Seed");
        let r = ui
            .add(egui::TextEdit::singleline(seed_text).desired_width(70.0))
            .labelled_by(name.id)
            .on_hover_text("Same scenario and seed, same run");
        // Passing through the field changes nothing; a new number reruns.
        if r.lost_focus() {
            match seed_text.trim().parse::<u64>() {
                Ok(seed) if seed != p.seed => cmds.push(Cmd::SetSeed(seed)),
                Ok(_) => {}
                Err(_) => *seed_text = p.seed.to_string(),
            }
        }
        if ui.button("⚄").on_hover_text("A new random seed").clicked() {
            let next = p
                .seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
                >> 33;
            cmds.push(Cmd::SetSeed(next));
        }
        ui.separator();
        let events = format!("event {} of {}", p.upto(), p.trace().steps.len());
        ui.label(
            egui::RichText::new(format!("{} / {}", fmt_time(p.now()), fmt_time(p.until())))
                .monospace()
                .size(15.0),
        )
        .on_hover_text(&events);
        // The count is shown only where it fits whole (a narrow window or
        // a projector's large type leaves no room); the time always is.
        let events = egui::WidgetText::from(egui::RichText::new(events).weak()).into_galley(
            ui,
            Some(egui::TextWrapMode::Extend),
            f32::INFINITY,
            egui::TextStyle::Body,
        );
        if events.size().x <= ui.available_width() {
            ui.label(events);
        }
    });
    scrubber(ui, view, cmds);
    ui.add_space(4.0);
}

fn scrubber(ui: &mut egui::Ui, view: &View, cmds: &mut Vec<Cmd>) {
    let Some(p) = view.player else { return };
    let width = ui.available_width();
    let (rect, resp) = ui.allocate_exact_size(vec2(width, 30.0), Sense::click_and_drag());
    let resp = resp.on_hover_text(if view.compare.is_some() {
        "Drag to any moment; red marks are faults, short pink ones choices of what arrives next, blue are narration, purple is where the compared runs part ways"
    } else {
        "Drag to any moment; red marks are faults, short pink ones choices of what arrives next, blue are narration"
    });
    let painter = ui.painter_at(rect);
    let visuals = ui.visuals();
    let until = p.until().max(1) as f32;
    let x_of = |t: f32| rect.min.x + 8.0 + (rect.width() - 16.0) * (t / until).clamp(0.0, 1.0);
    let track = rect.shrink2(vec2(8.0, 11.0));
    painter.rect_filled(track, 4.0, visuals.extreme_bg_color);
    let done = egui::Rect::from_min_max(track.min, pos2(x_of(p.time() as f32), track.max.y));
    painter.rect_filled(done, 4.0, visuals.selection.bg_fill.gamma_multiply(0.6));
    for f in &view.scenario.faults {
        let x = x_of(f.at().0 as f32);
        // A choice of what arrives next is the learner's, not the
        // scenario's: a shorter mark in the playhead's colour.
        let (inset, color) = match f.choice() {
            Some(_) => (8.0, theme::NOW),
            None => (2.0, theme::FAULT),
        };
        painter.line_segment(
            [pos2(x, rect.min.y + inset), pos2(x, rect.max.y - inset)],
            Stroke::new(3.0, color),
        );
    }
    for n in view.scenario.narration.iter().filter_map(|n| n.at) {
        painter.circle_filled(
            pos2(x_of(n.0 as f32), rect.min.y + 5.0),
            3.5,
            theme::NARRATION,
        );
    }
    for &(at, _) in p.marks() {
        painter.circle_filled(
            pos2(x_of(at as f32), rect.max.y - 5.0),
            3.5,
            theme::NARRATION,
        );
    }
    if let Some(at) = view.compare.and_then(|c| c.parting) {
        // Where the compared runs part ways: a tall mark of its own colour.
        let x = x_of(at as f32);
        let c = theme::DIFFERS;
        painter.line_segment(
            [pos2(x, rect.min.y), pos2(x, rect.max.y)],
            Stroke::new(3.0, c),
        );
        painter.text(
            pos2(x + 4.0, rect.min.y),
            Align2::LEFT_TOP,
            "≠",
            FontId::proportional(13.0),
            theme::ink(ui, c),
        );
    }
    let x = x_of(p.time() as f32);
    painter.circle(
        pos2(x, rect.center().y),
        8.0,
        theme::NOW,
        Stroke::new(2.0, visuals.strong_text_color()),
    );
    if let Some(pos) = resp.interact_pointer_pos()
        && (resp.dragged() || resp.clicked())
    {
        let t = ((pos.x - rect.min.x - 8.0) / (rect.width() - 16.0)).clamp(0.0, 1.0) * until;
        cmds.push(Cmd::Pause);
        cmds.push(Cmd::Seek(f64::from(t)));
    }
    if let Some(h) = resp.hover_pos() {
        let t = ((h.x - rect.min.x - 8.0) / (rect.width() - 16.0)).clamp(0.0, 1.0) * until;
        painter.text(
            pos2(h.x, rect.min.y),
            Align2::CENTER_BOTTOM,
            fmt_time(t as u64),
            FontId::monospace(10.0),
            visuals.text_color(),
        );
    }
}
