//! The window's dialogs and files: the windows over the editor (help,
//! glossary, confirmations, the file dialog, the export), and what a
//! chosen file is for (open, save as, export), on the desktop and in a
//! browser; and the link to this moment.

#[cfg(not(target_arch = "wasm32"))]
use std::path::Path;
use std::path::PathBuf;

use egui::Context;

#[cfg(not(target_arch = "wasm32"))]
use super::super::file_dialog::FileDialog;
use super::super::file_dialog::Outcome;
use super::super::{dialogs, glossary, help};
use super::SettleApp;
use crate::session::Cmd;

/// What a file dialog is choosing a file for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Choosing {
    Open,
    SaveAs,
    Export,
}

impl SettleApp {
    pub(super) fn windows(&mut self, ctx: &Context, cmds: &mut Vec<Cmd>) {
        if self.help {
            help::ui(ctx, &mut self.help);
        }
        glossary::window(ctx, &mut self.glossary, self.presenting);
        dialogs::open_path(ctx, &mut self.open_path, cmds);
        if self.session.confirm.is_some() && self.file_dialog.is_none() {
            let title = self.session.doc.title();
            dialogs::confirm_discard(ctx, title.trim_end_matches(" — Settle"), cmds);
        }
        if let Some(path) = &self.session.overwrite {
            dialogs::confirm_overwrite(ctx, path, cmds);
        }
        let until = self.session.player.as_ref().map_or(0, |p| p.until());
        if self.export.ui(ctx, until).is_some() {
            self.choose_file(Choosing::Export);
        }
        if let Some((dialog, choosing)) = &mut self.file_dialog {
            let choosing = *choosing;
            match dialog.show(ctx) {
                Outcome::Pending => {}
                Outcome::Cancelled => {
                    self.file_dialog = None;
                    self.export.cancel();
                }
                Outcome::Chosen(path) => {
                    self.file_dialog = None;
                    self.chosen(choosing, path, cmds);
                }
            }
        }
        if let Some(done) = self.export.poll() {
            self.session.notice = Some(done);
            // The banner was drawn before this: draw it again with the news.
            ctx.request_repaint();
        }
        if self.export.busy() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
    }

    /// A file was chosen in a dialog: open it, save to it or export to it.
    fn chosen(&mut self, choosing: Choosing, path: PathBuf, cmds: &mut Vec<Cmd>) {
        match choosing {
            Choosing::Open => cmds.push(Cmd::Open(path)),
            Choosing::SaveAs => cmds.push(Cmd::SaveTo(path)),
            Choosing::Export => {
                let seed = self
                    .session
                    .player
                    .as_ref()
                    .map_or(self.session.doc.scenario.seed, |p| p.seed);
                let scenario = self.session.doc.scenario.clone();
                self.session.notice = Some(self.export.start(scenario, seed, path));
            }
        }
    }

    /// Opens File ▸ Export… on what is on screen.
    pub(super) fn open_export(&mut self) {
        let Some(p) = &self.session.player else {
            self.session.notice = Some(crate::session::Notice::error(
                "There is nothing to export until the drawing can run.",
            ));
            return;
        };
        let t = p.trace();
        let id = |n: &crate::model::NodeIdx| t.nodes.get(*n as usize).map(|i| i.id.clone());
        let lanes = crate::export::Lanes {
            order: self.seq.lanes.order.iter().filter_map(id).collect(),
            hidden: self.seq.lanes.hidden.iter().filter_map(id).collect(),
        };
        self.export.show_for(p.now(), p.until(), lanes);
    }

    /// Asks for a file: the browser's picker, or a download to save.
    #[cfg(target_arch = "wasm32")]
    pub(super) fn choose_file(&mut self, choosing: Choosing) {
        match choosing {
            Choosing::Open => {
                if let Some(ctx) = &self.ctx {
                    crate::ui::web::pick_file(self.picked.clone(), ctx.clone());
                }
            }
            Choosing::SaveAs => match self.session.file_to_save() {
                Ok((name, text)) => {
                    crate::ui::web::download(name.clone(), text.into_bytes());
                    self.session.downloaded(&name);
                }
                Err(e) => self.session.notice = Some(crate::session::Notice::error(e)),
            },
            Choosing::Export => {
                let doc = self.session.doc.name.trim_end_matches(".ron").to_string();
                let name = self.export.suggested_name(&doc);
                let seed = self
                    .session
                    .player
                    .as_ref()
                    .map_or(self.session.doc.scenario.seed, |p| p.seed);
                let notice = self.export.download(&self.session.doc.scenario, seed, name);
                self.session.notice = Some(notice);
            }
        }
    }

    /// Asks for a file: the platform's dialog where it can open, else ours.
    #[cfg(not(target_arch = "wasm32"))]
    pub(super) fn choose_file(&mut self, choosing: Choosing) {
        let dir = self
            .session
            .doc
            .path
            .as_deref()
            .and_then(Path::parent)
            .filter(|d| d.is_dir())
            .map_or_else(|| self.files_dir.clone(), Path::to_path_buf);
        let doc = self.session.doc.name.trim_end_matches(".ron").to_string();
        let ext = [self.export.extension()];
        let (name, filter) = match choosing {
            Choosing::Export => (self.export.suggested_name(&doc), ("Export", &ext[..])),
            _ => (format!("{doc}.ron"), dialogs::SCENARIOS),
        };
        if self.native_dialogs {
            let save_as = (choosing != Choosing::Open).then_some(name.as_str());
            match dialogs::native(save_as, &dir, filter) {
                dialogs::Native::Chosen(path) => {
                    let mut cmds = Vec::new();
                    self.chosen(choosing, path, &mut cmds);
                    self.cmds.extend(cmds);
                    return;
                }
                dialogs::Native::Cancelled => {
                    self.export.cancel();
                    return;
                }
                dialogs::Native::Unavailable => {}
            }
        }
        let dialog = match choosing {
            Choosing::Open => FileDialog::open("Open a scenario", &dir),
            Choosing::SaveAs => FileDialog::save("Save the drawing as", &dir, &name, vec!["ron"]),
            Choosing::Export => {
                FileDialog::save("Export to", &dir, &name, vec![ext[0]]).saving("the export")
            }
        };
        self.file_dialog = Some((dialog, choosing));
    }

    /// Puts a link to this lesson at this moment on the clipboard: the
    /// page's own address in a browser; on the desktop, the part after the
    /// `#`, to add to the address of wherever the web build is served.
    pub(super) fn copy_link(&mut self) {
        let fragment = match self.session.link_here() {
            Ok(f) => f,
            Err(e) => {
                self.session.notice = Some(crate::session::Notice::error(e));
                return;
            }
        };
        #[cfg(target_arch = "wasm32")]
        let link = format!("{}{fragment}", crate::ui::web::location().0);
        #[cfg(not(target_arch = "wasm32"))]
        let link = fragment;
        let said = format!(
            "Copied a link of {} characters to the clipboard.",
            link.len()
        );
        self.copied = Some(link);
        self.session.notice = Some(crate::session::Notice::info(said));
    }
}
