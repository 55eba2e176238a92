//! The application layer without a window: edits undo exactly, live
//! actions fork the future and leave the past alone, and no sequence of
//! commands makes it panic.

mod common;

use proptest::prelude::*;
use settle::model::Dur;
use settle::scenario::{Kind, Link, Narration, NodeKind, Op, Scenario, ValueSpec};
use settle::session::compare::{CompareCmd, Side};
use settle::session::contexts::ContextEdit;
use settle::session::presets::PRESETS;
use settle::session::{Action, Cmd, Document, Edit, Selection, Session, ViewCmd};

fn preset(i: usize) -> Scenario {
    PRESETS[i % PRESETS.len()].load().expect("preset loads")
}

/// An edit described by numbers, made concrete against the drawing it is
/// applied to (so it names nodes and links that exist, or not).
#[derive(Clone, Debug)]
enum Recipe {
    Add(usize, f32, f32),
    Connect(usize, usize),
    Move(usize, f32, f32),
    Rename(usize, String),
    Timeout(usize, u64),
    Latency(usize, u64),
    DeleteNode(usize),
    DeleteLink(usize),
    Crash(usize, u64),
    Caption(u64, String),
    MoveCaption(usize, u64),
    DeleteCaption(usize),
    /// Node into context Sales, Shipping, or out of its own.
    Context(usize, usize),
    RenameContext(usize, String),
}

fn recipe() -> impl Strategy<Value = Recipe> {
    prop_oneof![
        (0..Kind::ALL.len(), -500f32..1500.0, -500f32..1500.0)
            .prop_map(|(k, x, y)| Recipe::Add(k, x, y)),
        (0..40usize, 0..40usize).prop_map(|(a, b)| Recipe::Connect(a, b)),
        (0..40usize, -500f32..1500.0, -500f32..1500.0).prop_map(|(n, x, y)| Recipe::Move(n, x, y)),
        (0..40usize, "[a-zA-Z ]{0,12}").prop_map(|(n, s)| Recipe::Rename(n, s)),
        (0..40usize, 0..5_000u64).prop_map(|(n, ms)| Recipe::Timeout(n, ms)),
        (0..40usize, 0..500u64).prop_map(|(l, ms)| Recipe::Latency(l, ms)),
        (0..40usize).prop_map(Recipe::DeleteNode),
        (0..40usize).prop_map(Recipe::DeleteLink),
        (0..40usize, 0..3_000u64).prop_map(|(n, ms)| Recipe::Crash(n, ms)),
        (0..3_000u64, "[a-z ]{1,20}").prop_map(|(ms, t)| Recipe::Caption(ms, t)),
        (0..20usize, 0..3_000u64).prop_map(|(i, ms)| Recipe::MoveCaption(i, ms)),
        (0..20usize).prop_map(Recipe::DeleteCaption),
        (0..40usize, 0..3usize).prop_map(|(n, c)| Recipe::Context(n, c)),
        (0..4usize, "[a-zA-Z ]{0,12}").prop_map(|(i, to)| Recipe::RenameContext(i, to)),
    ]
}

fn node_id(s: &Scenario, n: usize) -> String {
    if s.nodes.is_empty() {
        return "nobody".into();
    }
    s.nodes[n % s.nodes.len()].id.clone()
}

fn concrete(s: &Scenario, r: &Recipe) -> Edit {
    match r {
        Recipe::Add(k, x, y) => Edit::AddNode {
            kind: Kind::ALL[*k],
            at: Some((*x, *y)),
        },
        Recipe::Connect(a, b) => Edit::Connect {
            from: node_id(s, *a),
            to: node_id(s, *b),
        },
        Recipe::Move(n, x, y) => Edit::Move(vec![(node_id(s, *n), (*x, *y))]),
        Recipe::Rename(n, name) => Edit::Rename {
            id: node_id(s, *n),
            name: name.clone(),
        },
        Recipe::Timeout(n, ms) => {
            let id = node_id(s, *n);
            let spec = match s.nodes.iter().find(|m| m.id == id).map(|m| &m.kind) {
                Some(NodeKind::Composer(c)) => {
                    let mut c = c.clone();
                    c.call_timeout = Dur::ms(*ms);
                    NodeKind::Composer(c)
                }
                Some(other) => other.clone(),
                None => Kind::Client.default_spec(),
            };
            Edit::SetSpec {
                id,
                spec: Box::new(spec),
            }
        }
        Recipe::Latency(l, ms) => {
            let index = l % s.links.len().max(1);
            let link = s.links.get(index).cloned().unwrap_or(Link {
                from: "a".into(),
                to: "b".into(),
                latency: Default::default(),
                loss: Default::default(),
                duplicate: Default::default(),
            });
            Edit::SetLink {
                index,
                link: Link {
                    latency: settle::scenario::Latency::Fixed(Dur::ms(*ms)),
                    ..link
                },
            }
        }
        Recipe::DeleteNode(n) => Edit::DeleteNodes(vec![node_id(s, *n)]),
        Recipe::DeleteLink(l) => Edit::DeleteLink(*l % s.links.len().max(1)),
        Recipe::Crash(n, ms) => Action::Crash(node_id(s, *n)).at(ms * 1_000),
        Recipe::Caption(ms, text) => Edit::AddCaption(Box::new(Narration {
            at: Some(Dur::ms(*ms)),
            when: None,
            text: text.clone(),
            focus: Vec::new(),
            ask: None,
        })),
        Recipe::MoveCaption(i, ms) => {
            let index = i % s.narration.len().max(1);
            let mut caption = s.narration.get(index).cloned().unwrap_or(Narration {
                at: None,
                when: None,
                text: "x".into(),
                focus: Vec::new(),
                ask: None,
            });
            if caption.at.is_some() {
                caption.at = Some(Dur::ms(*ms));
            }
            Edit::SetCaption {
                index,
                caption: Box::new(caption),
            }
        }
        Recipe::DeleteCaption(i) => Edit::DeleteCaption(i % s.narration.len().max(1)),
        Recipe::Context(n, c) => Edit::Context(match ["Sales", "Shipping"].get(*c) {
            Some(name) => ContextEdit::Put {
                node: node_id(s, *n),
                context: (*name).into(),
            },
            None => ContextEdit::TakeOut {
                node: node_id(s, *n),
            },
        }),
        Recipe::RenameContext(i, to) => Edit::Context(ContextEdit::Rename {
            from: s
                .contexts
                .get(i % s.contexts.len().max(1))
                .map_or("none".into(), |c| c.name.clone()),
            to: to.clone(),
        }),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Any edits, then undo them all: the starting drawing, exactly; redo
    /// them all: the final one, exactly.
    #[test]
    fn undoing_every_edit_gives_back_the_start_and_redoing_gives_the_end(
        start in 0..PRESETS.len(),
        recipes in prop::collection::vec(recipe(), 1..60),
    ) {
        let first = preset(start);
        let mut doc = Document::new(first.clone(), None, "t".into());
        let mut changes = 0;
        for r in &recipes {
            let before = doc.scenario.clone();
            doc.apply(&concrete(&doc.scenario, r));
            if doc.scenario != before {
                changes += 1;
            }
        }
        let last = doc.scenario.clone();
        for _ in 0..changes {
            prop_assert!(doc.undo(), "fewer undo steps than changes");
        }
        prop_assert!(!doc.can_undo(), "more undo steps than changes");
        prop_assert_eq!(&doc.scenario, &first);
        for _ in 0..changes {
            prop_assert!(doc.redo());
        }
        prop_assert!(!doc.can_redo());
        prop_assert_eq!(&doc.scenario, &last);
    }

    /// A live action at moment `t` changes nothing the run recorded before
    /// `t`: the trace up to then is the same, byte for byte.
    #[test]
    fn an_action_at_t_leaves_the_trace_before_t_untouched(
        start in 0..PRESETS.len(),
        which in 0..4usize,
        pick in 0..40usize,
        frac in 0.05f64..0.95,
    ) {
        let mut session = Session::new(1.0, Default::default());
        session.apply(Cmd::OpenPreset(start));
        let s = session.doc.scenario.clone();
        let t = (s.until.0 as f64 * frac) as u64;
        let id = node_id(&s, pick);
        let link = s.links.get(pick % s.links.len().max(1)).cloned();
        let action = match (which, link) {
            (0, _) => Action::Crash(id),
            (1, Some(l)) => Action::Cut { a: l.from, b: l.to, one_way: pick % 2 == 0 },
            (2, _) => Action::Skew { node: id, ahead: Dur::ms(300) },
            _ => Action::Request {
                from: s.workload.first().map_or(id.clone(), |w| w.from().to_string()),
                to: s.workload.first().map_or(id, |w| w.to().to_string()),
                op: Op::Write { id: "x".into(), value: ValueSpec::Text("y".into()), poison: false },
            },
        };
        session.apply(Cmd::Seek(t as f64));
        session.apply(Cmd::Act(action));
        prop_assume!(session.problem.is_none());
        let before = common::jsonl(&common::run(&s, s.seed));
        let after = common::jsonl(&common::run(&session.doc.scenario, s.seed));
        let upto = |bytes: &[u8]| -> Vec<String> {
            String::from_utf8_lossy(bytes)
                .lines()
                .filter(|l| {
                    let v: serde_json::Value = serde_json::from_str(l).expect("json line");
                    v["t_us"].as_u64().expect("time") < t
                })
                .map(str::to_string)
                .collect()
        };
        prop_assert_eq!(upto(&before), upto(&after));
    }

    /// Any sequence of commands leaves the session whole: no panic, and
    /// what it shows is a drawing it can describe.
    #[test]
    fn random_commands_never_panic(cmds in prop::collection::vec(command(), 1..80)) {
        let dir = std::env::temp_dir().join(format!("settle-session-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let mut session = Session::new(0.5, Default::default());
        for c in cmds {
            let c = match c {
                Cmd::SaveTo(p) => Cmd::SaveTo(dir.join(p)),
                Cmd::Open(p) => Cmd::Open(dir.join(p)),
                c => c,
            };
            session.apply(c);
            if let Some(p) = &session.player {
                prop_assert!(p.time().is_finite());
                prop_assert!(p.upto() <= p.trace().steps.len());
                // Compared runs share one clock and one seed.
                if let Some(o) = session.compare.as_ref().and_then(|c| c.other_player.as_ref()) {
                    prop_assert_eq!(o.time(), p.time());
                    prop_assert_eq!(o.seed, p.seed);
                }
            }
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

fn command() -> impl Strategy<Value = Cmd> {
    let simple = prop_oneof![
        Just(Cmd::New),
        Just(Cmd::Save),
        Just(Cmd::Welcome),
        Just(Cmd::Resume),
        Just(Cmd::ConfirmSave),
        Just(Cmd::ConfirmDiscard),
        Just(Cmd::ConfirmCancel),
        Just(Cmd::Checkpoint),
        Just(Cmd::Undo),
        Just(Cmd::Redo),
        Just(Cmd::DeleteSelection),
        Just(Cmd::Play),
        Just(Cmd::Pause),
        Just(Cmd::TogglePlay),
        Just(Cmd::Step),
        Just(Cmd::StepBack),
        Just(Cmd::Home),
        Just(Cmd::End),
        Just(Cmd::Faster),
        Just(Cmd::Slower),
        Just(Cmd::NarrationBack),
        Just(Cmd::NarrationNext),
        Just(Cmd::DismissNotice),
        Just(Cmd::View(ViewCmd::Fit)),
    ];
    prop_oneof![
        4 => simple,
        1 => (0..PRESETS.len() + 2).prop_map(Cmd::OpenPreset),
        1 => "[a-z]{1,6}\\.ron".prop_map(|p| Cmd::Open(p.into())),
        1 => "[a-z]{1,6}\\.ron".prop_map(|p| Cmd::SaveTo(p.into())),
        2 => prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(-1.0), 0.0..6e6f64].prop_map(Cmd::Seek),
        1 => prop_oneof![Just(f64::NAN), Just(0.0), Just(1e9), 0.0..10.0f64].prop_map(Cmd::SetSpeed),
        1 => any::<u64>().prop_map(Cmd::SetSeed),
        1 => (0..20usize, 0..6usize).prop_map(|(step, choice)| Cmd::Guess { step, choice }),
        1 => (0..40usize).prop_map(|n| Cmd::Select(Selection::node(&format!("n{n}")))),
        1 => (0..40usize).prop_map(|l| Cmd::Select(Selection::link(l))),
        1 => proptest::option::of(0..5_000u32).prop_map(Cmd::SelectMessage),
        4 => recipe().prop_map(|r| Cmd::Edit(concrete(&preset(2), &r))),
        1 => recipe().prop_map(|r| Cmd::Gesture(concrete(&preset(2), &r))),
        1 => (0..40usize).prop_map(|n| Cmd::Act(Action::Crash(format!("n{n}")))),
        1 => prop_oneof![
            Just(CompareCmd::Duplicate),
            (0..4usize).prop_map(CompareCmd::Variant),
            Just(CompareCmd::Edit(Side::A)),
            Just(CompareCmd::Edit(Side::B)),
            Just(CompareCmd::End { keep: Side::A }),
            Just(CompareCmd::End { keep: Side::B }),
        ]
        .prop_map(Cmd::Compare),
    ]
}

/// The operator's actions of issue 10 are offered where they apply and
/// recorded in the drawing at the moment shown, like any fault.
#[test]
fn rebuild_and_redrive_are_offered_and_recorded_at_the_moment_shown() {
    for (file, node, label) in [
        ("05-cqrs.ron", "view", "Rebuild view now"),
        (
            "03b-idempotent-consumer.ron",
            "bus",
            "Re-drive dead letters now",
        ),
    ] {
        let i = PRESETS
            .iter()
            .position(|p| p.file == file)
            .expect("preset listed");
        let mut session = Session::new(1.0, Default::default());
        session.apply(Cmd::OpenPreset(i));
        session.apply(Cmd::Seek(1_500_000.0));
        let offers =
            settle::session::actions::node_offers(&session.doc.scenario, None, node, 1_500_000);
        let offer = offers
            .into_iter()
            .find(|o| o.label == label)
            .unwrap_or_else(|| panic!("{label} offered on {node}"));
        let before = session.doc.scenario.faults.len();
        session.apply(Cmd::Act(offer.action));
        assert!(session.problem.is_none(), "{:?}", session.problem);
        let faults = &session.doc.scenario.faults;
        assert_eq!(faults.len(), before + 1);
        assert!(
            faults
                .iter()
                .any(|f| f.at() == Dur::ms(1_500) && matches!(f, settle::scenario::Fault::Rebuild { node: n, .. } | settle::scenario::Fault::Redrive { node: n, .. } if n == node)),
            "{faults:?}"
        );
    }
    // Other nodes are not offered either.
    let s = PRESETS[0].load().expect("loads");
    for n in &s.nodes {
        let offers = settle::session::actions::node_offers(&s, None, &n.id, 0);
        assert!(
            offers
                .iter()
                .all(|o| !o.label.starts_with("Rebuild") && !o.label.starts_with("Re-drive"))
        );
    }
}

/// A notice belongs to the drawing it was given on: opening another lesson
/// clears it, and an error from a file that cannot be opened still shows.
#[test]
fn a_notice_does_not_follow_the_learner_into_another_lesson() {
    let mut session = Session::new(1.0, Default::default());
    session.apply(Cmd::OpenPreset(3));
    session.notice = Some(settle::session::Notice::info("Saved shop.ron"));
    session.apply(Cmd::OpenPreset(5));
    assert!(session.notice.is_none(), "{:?}", session.notice);
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.ron");
    std::fs::write(&bad, "(title: ").expect("write");
    session.open(&bad);
    assert!(session.notice.as_ref().is_some_and(|n| n.error));
}

/// A live action that validation would refuse (a write sent to a replica)
/// is refused with a sentence; the run, its diagram and checks stay.
#[test]
fn a_refused_live_action_keeps_the_run() {
    let mut session = Session::new(1.0, Default::default());
    session.apply(Cmd::OpenPreset(3));
    assert!(session.player.is_some());
    let before = session.doc.scenario.clone();
    session.apply(Cmd::Act(Action::Request {
        from: "shopper".into(),
        to: "recommend".into(),
        op: Op::Write {
            id: "sku-1".into(),
            value: ValueSpec::Text("9".into()),
            poison: false,
        },
    }));
    assert_eq!(
        session.doc.scenario, before,
        "the refused action was recorded"
    );
    assert!(session.player.is_some(), "the run vanished");
    let notice = session.notice.as_ref().expect("a sentence says why");
    assert!(
        notice.error && notice.text.starts_with("Not done:"),
        "{}",
        notice.text
    );
    // What validation accepts still goes through.
    session.apply(Cmd::Act(Action::Request {
        from: "shopper".into(),
        to: "recommend".into(),
        op: Op::Read { id: "sku-1".into() },
    }));
    assert_ne!(session.doc.scenario, before);
    assert!(session.player.is_some());
}
