//! Every keyboard shortcut, listed once. The same table drives key
//! handling, the shortcut text beside menu items (egui formats it for the
//! platform, so macOS shows ⌘) and the help overlay.

use egui::{Context, Key, KeyboardShortcut, Modifiers};

use crate::session::choose::ChooseCmd;
use crate::session::{Cmd, ViewCmd};

/// What a key does.
#[derive(Clone, Debug, PartialEq)]
pub enum KeyAction {
    Run(Cmd),
    /// Close what is open, or clear the selection.
    Escape,
    /// Move the keyboard to the next region (`true`) or the previous one.
    Region(bool),
}

/// One binding.
pub struct Binding {
    pub keys: KeyboardShortcut,
    pub action: KeyAction,
    /// What the help overlay says; `None` for an alternative key that the
    /// overlay does not list separately.
    pub help: Option<&'static str>,
    /// Works while a text field has the keyboard (window-wide commands).
    pub while_typing: bool,
    /// Works while a button or a canvas node has the keyboard (Space does
    /// not: it presses the focused button).
    pub with_focus: bool,
    /// Works on the welcome view too.
    pub on_welcome: bool,
}

fn bind(m: Modifiers, k: Key, action: KeyAction, help: Option<&'static str>) -> Binding {
    Binding {
        keys: KeyboardShortcut::new(m, k),
        action,
        help,
        while_typing: false,
        with_focus: true,
        on_welcome: false,
    }
}

fn run(c: Cmd) -> KeyAction {
    KeyAction::Run(c)
}

/// The bindings, in the order they are tried: a shortcut with more
/// modifiers comes before the same key with fewer.
pub fn bindings() -> Vec<Binding> {
    let cmd = Modifiers::COMMAND;
    let cmd_shift = Modifiers::COMMAND | Modifiers::SHIFT;
    let none = Modifiers::NONE;
    let view = |v| run(Cmd::View(v));
    let mut list = vec![
        bind(cmd_shift, Key::Z, run(Cmd::Redo), Some("Redo")),
        bind(cmd, Key::Y, run(Cmd::Redo), None),
        bind(cmd, Key::Z, run(Cmd::Undo), Some("Undo")),
        Binding {
            while_typing: true,
            ..bind(
                cmd_shift,
                Key::S,
                view(ViewCmd::SaveAsDialog),
                Some("Save as"),
            )
        },
        Binding {
            while_typing: true,
            ..bind(cmd, Key::S, run(Cmd::Save), Some("Save"))
        },
        Binding {
            while_typing: true,
            on_welcome: true,
            ..bind(cmd, Key::O, view(ViewCmd::OpenDialog), Some("Open"))
        },
        Binding {
            while_typing: true,
            ..bind(
                none,
                Key::F11,
                view(ViewCmd::TogglePresentation),
                Some("Presentation mode"),
            )
        },
        Binding {
            while_typing: true,
            ..bind(
                Modifiers::SHIFT,
                Key::F6,
                KeyAction::Region(false),
                Some("Previous region"),
            )
        },
        Binding {
            while_typing: true,
            ..bind(
                none,
                Key::F6,
                KeyAction::Region(true),
                Some("Next region: menu bar, lesson card, drawing, inspector, playback"),
            )
        },
        Binding {
            with_focus: false,
            ..bind(none, Key::Space, run(Cmd::TogglePlay), Some("Play / pause"))
        },
        bind(
            none,
            Key::Period,
            run(Cmd::Step),
            Some("Step one event forward"),
        ),
        bind(
            none,
            Key::Comma,
            run(Cmd::StepBack),
            Some("Step one event back"),
        ),
        bind(
            none,
            Key::C,
            run(Cmd::Choose(ChooseCmd::Toggle)),
            Some("Choose what arrives next: stop wherever messages could arrive in another order"),
        ),
        bind(none, Key::OpenBracket, run(Cmd::Slower), Some("Slower")),
        bind(none, Key::CloseBracket, run(Cmd::Faster), Some("Faster")),
        bind(none, Key::Home, run(Cmd::Home), Some("Jump to the start")),
        bind(none, Key::End, run(Cmd::End), Some("Jump to the end")),
        bind(
            none,
            Key::Delete,
            run(Cmd::DeleteSelection),
            Some("Remove the selection"),
        ),
        bind(none, Key::Backspace, run(Cmd::DeleteSelection), None),
        bind(
            none,
            Key::F,
            view(ViewCmd::Fit),
            Some("Fit the drawing to the view"),
        ),
        Binding {
            on_welcome: true,
            ..bind(
                Modifiers::SHIFT,
                Key::Slash,
                view(ViewCmd::ToggleHelp),
                Some("This help"),
            )
        },
        Binding {
            on_welcome: true,
            ..bind(none, Key::Questionmark, view(ViewCmd::ToggleHelp), None)
        },
        // While typing, Esc belongs to the field: it puts back what was there.
        Binding {
            on_welcome: true,
            ..bind(
                none,
                Key::Escape,
                KeyAction::Escape,
                Some("Close help, leave presentation, clear selection"),
            )
        },
    ];
    list.shrink_to_fit();
    list
}

/// The keys that run `cmd`, as this platform writes them (`Ctrl+S`, `⌘S`).
pub fn shortcut_text(ctx: &Context, cmd: &Cmd) -> Option<String> {
    bindings()
        .into_iter()
        .find(|b| b.help.is_some() && b.action == KeyAction::Run(cmd.clone()))
        .map(|b| keys_text(ctx, &b.keys))
}

/// A shortcut as this platform writes it, with punctuation keys shown as
/// the character on the key (`.`, `[`, `?`) rather than egui's name for
/// it ("Period", "OpenBracket").
pub fn keys_text(ctx: &Context, keys: &KeyboardShortcut) -> String {
    let key = keys.logical_key;
    let (name, symbol) = (key.name(), key.symbol_or_name());
    if key == Key::Slash && keys.modifiers == Modifiers::SHIFT {
        return "?".to_string();
    }
    let text = ctx.format_shortcut(keys);
    match text.strip_suffix(name) {
        Some(mods) if symbol != name && symbol.is_ascii() => format!("{mods}{symbol}"),
        _ => text,
    }
}

/// Keys that act on the focused node or link of the canvas (see
/// `ui::canvas::access`), and what the help overlay says of them.
pub mod canvas {
    use egui::{Key, KeyboardShortcut, Modifiers};

    /// Start a link from the focused node; Enter on another finishes it.
    pub const LINK: Key = Key::L;
    /// Open the focused node's or link's actions.
    pub const MENU: KeyboardShortcut = KeyboardShortcut::new(Modifiers::SHIFT, Key::F10);
    pub const MENU_ALT: Key = Key::M;
    /// How far Shift+arrow moves a node, in canvas units (an arrow alone
    /// moves it one grid step).
    pub const SHOVE: f32 = 100.0;

    pub const HELP: &[(&str, &str)] = &[
        (
            "Tab / Shift+Tab",
            "Move through the drawing's nodes and links, in reading order",
        ),
        ("Arrow keys", "Move the focused node (with Shift, further)"),
        (
            "Enter",
            "Edit the focused node in the inspector; finish a link",
        ),
        (
            "L",
            "Start a link from the focused node; Enter on another node finishes it",
        ),
        (
            "Shift+F10 or M",
            "Actions of the focused node or link: crash, restart, cut, heal, delete",
        ),
    ];
}

/// Whether Esc was pressed this frame. egui takes Esc to end text editing
/// before any widget sees it, so this reads the frame's raw input.
pub fn escape_pressed(ctx: &Context) -> bool {
    ctx.input(|i| {
        i.raw.events.iter().any(|e| {
            matches!(
                e,
                egui::Event::Key {
                    key: Key::Escape,
                    pressed: true,
                    ..
                }
            )
        })
    })
}

/// What the keys pressed this frame ask for, taking the keys out of the
/// input so no widget also acts on them.
pub fn pressed(ctx: &Context, welcome: bool) -> Vec<KeyAction> {
    let typing = ctx.text_edit_focused();
    let focused = ctx.egui_wants_keyboard_input();
    // Esc belongs to an open menu or drop-down: it closes that and leaves
    // the selection alone.
    let popup = egui::Popup::is_any_open(ctx);
    let mut out = Vec::new();
    ctx.input_mut(|i| {
        // "?" arrives as text on keyboards where it is not Shift+/.
        if !typing
            && i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"))
        {
            out.push(KeyAction::Run(Cmd::View(ViewCmd::ToggleHelp)));
        }
        for b in bindings() {
            if (typing && !b.while_typing)
                || (focused && !typing && !b.with_focus)
                || (welcome && !b.on_welcome)
                || (popup && b.action == KeyAction::Escape)
            {
                continue;
            }
            if i.consume_shortcut(&b.keys) && !out.contains(&b.action) {
                out.push(b.action);
            }
        }
    });
    out
}
