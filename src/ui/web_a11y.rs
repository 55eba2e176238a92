//! A screen reader in the page (compiled for wasm32 only). egui builds an
//! AccessKit tree of every widget each frame, but eframe 0.37's web runner
//! drops it (`accesskit_update: _, // not currently implemented`), so the
//! page's canvas is one blank image to a screen reader. This plugin keeps
//! a copy of the tree as hidden DOM elements over the canvas, with ARIA
//! roles, names, states and the widgets' places, and turns a screen
//! reader's activation of one (a DOM click) back into the AccessKit click
//! egui already understands, so buttons, checkboxes and menus work.
//!
//! It covers what Settle's widgets need: names, roles, toggled and
//! disabled states, values of text fields and sliders, and clicks. Typing
//! into a mirrored text field and moving the reader's focus into egui are
//! not mirrored; keyboard users keep egui's own Tab focus on the canvas.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use egui::accesskit::{Action, ActionRequest, Node, NodeId, Role, Toggled, TreeId};

/// The element that holds the mirror: a transparent layer the size of the
/// page, above the canvas, that the pointer passes through.
const LAYER: &str = "settle_a11y";
/// The shortest time between two rewrites of the mirror, in seconds: a
/// running simulation changes the tree every frame; a reader does not
/// need it that often.
const EVERY: f64 = 0.25;
/// The most nodes mirrored, so a huge drawing cannot flood the page.
const MOST: usize = 4_000;

/// Registered once, in the page's egui context.
#[derive(Default)]
pub struct AriaMirror {
    /// Node ids a screen reader activated, for the next frame's input.
    clicked: Arc<Mutex<Vec<u64>>>,
    /// The mirror last written, to leave the page alone when nothing changed.
    written: String,
    /// When it was written, in egui's seconds.
    at: f64,
}

impl egui::Plugin for AriaMirror {
    fn debug_name(&self) -> &'static str {
        "aria mirror"
    }

    fn setup(&mut self, ctx: &egui::Context) {
        ctx.enable_accesskit();
        layer(self.clicked.clone(), ctx.clone());
    }

    fn input_hook(&mut self, _ctx: &egui::Context, input: &mut egui::RawInput) {
        let Ok(mut clicked) = self.clicked.lock() else {
            return;
        };
        for id in clicked.drain(..) {
            input
                .events
                .push(egui::Event::AccessKitActionRequest(ActionRequest {
                    action: Action::Click,
                    target_tree: TreeId::ROOT,
                    target_node: NodeId(id),
                    data: None,
                }));
        }
    }

    fn output_hook(&mut self, ctx: &egui::Context, output: &mut egui::FullOutput) {
        let Some(update) = output.platform_output.accesskit_update.as_ref() else {
            return;
        };
        let now = ctx.input(|i| i.time);
        if now - self.at < EVERY && !self.written.is_empty() {
            // Come back once the interval has passed, even if idle.
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(EVERY));
            return;
        }
        let Some(root) = update.tree.as_ref().map(|t| t.root) else {
            return;
        };
        let nodes: BTreeMap<u64, &Node> = update.nodes.iter().map(|(id, n)| (id.0, n)).collect();
        let mut html = String::new();
        let mut count = 0;
        write_node(&mut html, &nodes, root.0, (0.0, 0.0), &mut count, 0);
        self.at = now;
        if html != self.written {
            if let Some(el) = document().and_then(|d| d.get_element_by_id(LAYER)) {
                el.set_inner_html(&html);
            }
            self.written = html;
        }
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Makes the layer and sends its clicks to `clicked`.
fn layer(clicked: Arc<Mutex<Vec<u64>>>, ctx: egui::Context) {
    use wasm_bindgen::JsCast as _;
    use wasm_bindgen::closure::Closure;
    let Some(doc) = document() else { return };
    let Some(body) = doc.body() else { return };
    let Ok(el) = doc.create_element("div") else {
        return;
    };
    el.set_id(LAYER);
    el.set_attribute(
        "style",
        "position:absolute;left:0;top:0;width:100%;height:100%;overflow:hidden;opacity:0;pointer-events:none;z-index:1",
    )
    .ok();
    let on_click = Closure::<dyn FnMut(web_sys::Event)>::new(move |e: web_sys::Event| {
        let id = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("[data-n]").ok().flatten())
            .and_then(|el| el.get_attribute("data-n"))
            .and_then(|n| n.parse::<u64>().ok());
        if let (Some(id), Ok(mut c)) = (id, clicked.lock()) {
            c.push(id);
            ctx.request_repaint();
        }
    });
    el.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref())
        .ok();
    // The layer lives as long as the page.
    on_click.forget();
    body.append_child(&el).ok();
}

/// The ARIA role for an AccessKit role, when there is a plain one.
fn aria_role(role: Role) -> Option<&'static str> {
    Some(match role {
        Role::Button | Role::DefaultButton => "button",
        Role::CheckBox => "checkbox",
        Role::Switch => "switch",
        Role::RadioButton => "radio",
        Role::TextInput | Role::MultilineTextInput | Role::SearchInput => "textbox",
        Role::Slider => "slider",
        Role::SpinButton => "spinbutton",
        Role::ComboBox => "combobox",
        Role::Link => "link",
        Role::Image => "img",
        Role::Heading => "heading",
        Role::Menu => "menu",
        Role::MenuBar => "menubar",
        Role::MenuItem => "menuitem",
        Role::Tab => "tab",
        Role::TabList => "tablist",
        Role::List => "list",
        Role::ListItem => "listitem",
        Role::Window | Role::Dialog => "dialog",
        Role::ProgressIndicator => "progressbar",
        Role::Tooltip => "tooltip",
        Role::Label => return None,
        _ => "group",
    })
}

/// Writes node `id` and its children, placed relative to `origin` (the
/// parent's top-left corner, in points, which the page shows as CSS
/// pixels at the browser's own zoom).
fn write_node(
    out: &mut String,
    nodes: &BTreeMap<u64, &Node>,
    id: u64,
    origin: (f64, f64),
    count: &mut usize,
    depth: usize,
) {
    let Some(node) = nodes.get(&id) else { return };
    if *count >= MOST || depth > 64 || node.is_hidden() {
        return;
    }
    *count += 1;
    let rect = node.bounds().unwrap_or_default();
    let _ = write!(
        out,
        "<div data-n=\"{id}\" style=\"position:absolute;left:{:.0}px;top:{:.0}px;width:{:.0}px;height:{:.0}px\"",
        rect.x0 - origin.0,
        rect.y0 - origin.1,
        rect.width(),
        rect.height()
    );
    let role = aria_role(node.role());
    if let Some(r) = role {
        let _ = write!(out, " role=\"{r}\"");
    }
    let name = node.label().or(node.value()).unwrap_or_default();
    if !name.is_empty() && role.is_some() {
        let _ = write!(out, " aria-label=\"{}\"", escape(name));
    }
    if let Some(d) = node.description() {
        let _ = write!(out, " aria-description=\"{}\"", escape(d));
    }
    if node.supports_action(Action::Click) || role == Some("textbox") {
        out.push_str(" tabindex=\"-1\"");
    }
    if node.is_disabled() {
        out.push_str(" aria-disabled=\"true\"");
    }
    if let Some(t) = node.toggled() {
        let state = match t {
            Toggled::True => "true",
            Toggled::False => "false",
            Toggled::Mixed => "mixed",
        };
        let key = if role == Some("button") {
            "aria-pressed"
        } else {
            "aria-checked"
        };
        let _ = write!(out, " {key}=\"{state}\"");
    }
    if let Some(v) = node.numeric_value() {
        let _ = write!(out, " aria-valuenow=\"{v}\"");
    }
    if let (Some("textbox"), Some(v)) = (role, node.value()) {
        let _ = write!(out, " aria-valuetext=\"{}\"", escape(v));
    }
    out.push('>');
    if role.is_none() && !name.is_empty() {
        out.push_str(&escape(name));
    }
    for child in node.children() {
        write_node(out, nodes, child.0, (rect.x0, rect.y0), count, depth + 1);
    }
    out.push_str("</div>");
}

fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            c => s.push(c),
        }
    }
    s
}
