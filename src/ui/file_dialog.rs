//! A file dialog drawn inside the window, for machines where the platform's
//! dialog cannot open (no desktop portal, as on many Linux desktops and
//! every CI machine). It lists a folder's subfolders and matching files;
//! the folder can be typed, a file picked or named; saving over an
//! existing file asks first. Every field is named by its label, and it all
//! works from the keyboard.
//!
//! egui_file (the one dialog crate on egui 0.37) was weighed: its text
//! fields cannot be given accessible names, it draws emoji our fonts do not
//! have, and it overwrites without asking; this one is small and has none
//! of those faults.

use std::path::{Path, PathBuf};

use egui::{Context, Key, RichText};

use super::theme;

/// Most entries listed from one folder.
const MAX_ENTRIES: usize = 5_000;

/// What the dialog is choosing a file for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Purpose {
    Open,
    /// Save, with the extensions the file may have (the first is added
    /// when none is typed).
    Save {
        extensions: Vec<&'static str>,
    },
}

/// How a frame of the dialog ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Pending,
    Cancelled,
    Chosen(PathBuf),
}

#[derive(Clone, Debug)]
struct Entry {
    name: String,
    dir: bool,
}

pub struct FileDialog {
    purpose: Purpose,
    title: String,
    dir: PathBuf,
    dir_text: String,
    name: String,
    entries: Vec<Entry>,
    selected: Option<usize>,
    error: Option<String>,
    /// A save that would replace this existing file, waiting for a yes.
    replace: Option<PathBuf>,
    /// What a save writes, for the question before replacing a file.
    saving: &'static str,
    focus_name: bool,
}

impl FileDialog {
    /// A dialog to pick a file to open, starting in `dir`.
    pub fn open(title: &str, dir: &Path) -> Self {
        FileDialog::new(Purpose::Open, title, dir, "")
    }

    /// A dialog to choose where to save, starting in `dir` with `name`.
    pub fn save(title: &str, dir: &Path, name: &str, extensions: Vec<&'static str>) -> Self {
        FileDialog::new(Purpose::Save { extensions }, title, dir, name)
    }

    /// Names what a save writes ("this drawing" unless told), so the
    /// question before replacing a file says what replaces it.
    pub fn saving(mut self, what: &'static str) -> Self {
        self.saving = what;
        self
    }

    fn new(purpose: Purpose, title: &str, dir: &Path, name: &str) -> Self {
        let mut d = FileDialog {
            purpose,
            title: title.to_string(),
            dir: PathBuf::new(),
            dir_text: String::new(),
            name: name.to_string(),
            entries: Vec::new(),
            selected: None,
            error: None,
            replace: None,
            saving: "this drawing",
            focus_name: true,
        };
        d.go(dir.to_path_buf());
        d
    }

    fn extensions(&self) -> Vec<&'static str> {
        match &self.purpose {
            Purpose::Open => vec!["ron"],
            Purpose::Save { extensions } => extensions.clone(),
        }
    }

    /// Shows folder `dir`, or says why it cannot.
    fn go(&mut self, dir: PathBuf) {
        let read = match std::fs::read_dir(&dir) {
            Ok(r) => r,
            Err(e) => {
                self.error = Some(format!("Cannot open the folder {}: {e}", dir.display()));
                self.dir_text = self.dir.display().to_string();
                return;
            }
        };
        let wanted = self.extensions();
        let mut entries: Vec<Entry> = read
            .filter_map(Result::ok)
            .take(MAX_ENTRIES)
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().to_string();
                if name.starts_with('.') {
                    return None;
                }
                let dir = e.file_type().ok()?.is_dir() || e.path().is_dir();
                let matches = Path::new(&name)
                    .extension()
                    .is_some_and(|x| wanted.iter().any(|w| x.eq_ignore_ascii_case(w)));
                (dir || matches).then_some(Entry { name, dir })
            })
            .collect();
        entries.sort_by(|a, b| b.dir.cmp(&a.dir).then(a.name.cmp(&b.name)));
        self.dir = dir;
        self.dir_text = self.dir.display().to_string();
        self.entries = entries;
        self.selected = None;
        self.error = None;
    }

    /// The file the dialog would choose now, if any.
    fn target(&self) -> Option<PathBuf> {
        let name = self.name.trim();
        if name.is_empty() {
            return None;
        }
        let mut path = self.dir.join(name);
        if let Purpose::Save { extensions } = &self.purpose
            && path.extension().is_none()
            && let Some(ext) = extensions.first()
        {
            path.set_extension(ext);
        }
        Some(path)
    }

    /// Tries to finish with the file named.
    fn confirm(&mut self) -> Outcome {
        let Some(path) = self.target() else {
            self.error = Some("Type or pick a file name first.".into());
            return Outcome::Pending;
        };
        if path.is_dir() {
            self.name.clear();
            self.go(path);
            return Outcome::Pending;
        }
        match self.purpose {
            Purpose::Open if !path.is_file() => {
                self.error = Some(format!("There is no file {}.", path.display()));
                Outcome::Pending
            }
            Purpose::Save { .. } if path.exists() => {
                self.replace = Some(path);
                Outcome::Pending
            }
            _ => Outcome::Chosen(path),
        }
    }

    /// Draws the dialog; says whether it is done.
    pub fn show(&mut self, ctx: &Context) -> Outcome {
        let mut outcome = Outcome::Pending;
        let modal = egui::Modal::new(egui::Id::unique("settle-file-dialog")).show(ctx, |ui| {
            ui.set_width(560.0);
            ui.heading(&self.title);
            if let Some(path) = self.replace.clone() {
                outcome = self.replace_ui(ui, &path);
                return;
            }
            ui.horizontal(|ui| {
                let l = ui.label("Folder");
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.dir_text).desired_width(380.0))
                    .labelled_by(l.id);
                if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    let dir = PathBuf::from(self.dir_text.trim());
                    self.go(dir);
                }
                let up = self.dir.parent().map(Path::to_path_buf);
                if ui
                    .add_enabled(up.is_some(), egui::Button::new("Up"))
                    .on_hover_text("The folder that holds this one")
                    .clicked()
                    && let Some(up) = up
                {
                    self.go(up);
                }
            });
            outcome = self.list_ui(ui);
            if outcome != Outcome::Pending {
                return;
            }
            ui.horizontal(|ui| {
                let l = ui.label("File name");
                let r = ui
                    .add(egui::TextEdit::singleline(&mut self.name).desired_width(380.0))
                    .labelled_by(l.id);
                if std::mem::take(&mut self.focus_name) {
                    r.request_focus();
                }
                if r.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter)) {
                    outcome = self.confirm();
                }
            });
            if let Some(e) = &self.error {
                ui.colored_label(theme::ink(ui, theme::FAULT), e);
            }
            ui.add_space(6.0);
            ui.horizontal(|ui| {
                let verb = match self.purpose {
                    Purpose::Open => "Open",
                    Purpose::Save { .. } => "Save",
                };
                if ui.button(verb).clicked() {
                    outcome = self.confirm();
                }
                if ui.button("Cancel").clicked() {
                    outcome = Outcome::Cancelled;
                }
            });
        });
        if outcome == Outcome::Pending && modal.should_close() && self.replace.is_none() {
            outcome = Outcome::Cancelled;
        }
        outcome
    }

    fn list_ui(&mut self, ui: &mut egui::Ui) -> Outcome {
        let mut outcome = Outcome::Pending;
        let mut enter = None;
        egui::ScrollArea::vertical()
            .max_height(300.0)
            .auto_shrink([false, true])
            .show(ui, |ui| {
                if self.entries.is_empty() {
                    ui.weak("No folders or matching files here.");
                }
                for (i, e) in self.entries.iter().enumerate() {
                    let text = if e.dir {
                        RichText::new(format!("{}/", e.name)).strong()
                    } else {
                        RichText::new(&e.name)
                    };
                    let r = ui.selectable_label(self.selected == Some(i), text);
                    if r.clicked() {
                        self.selected = Some(i);
                        if !e.dir {
                            self.name = e.name.clone();
                        }
                    }
                    if r.double_clicked()
                        || (r.has_focus() && ui.input(|k| k.key_pressed(Key::Enter)))
                    {
                        enter = Some(i);
                    }
                }
            });
        if let Some(i) = enter
            && let Some(e) = self.entries.get(i).cloned()
        {
            if e.dir {
                let dir = self.dir.join(&e.name);
                self.go(dir);
            } else {
                self.name = e.name;
                outcome = self.confirm();
            }
        }
        outcome
    }

    fn replace_ui(&mut self, ui: &mut egui::Ui, path: &Path) -> Outcome {
        let name = path
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().to_string());
        ui.label(format!("{name} already exists in {}.", self.dir.display()));
        ui.label(format!("Replace it with {}?", self.saving));
        let mut outcome = Outcome::Pending;
        ui.horizontal(|ui| {
            if ui.button("Replace").clicked() {
                outcome = Outcome::Chosen(path.to_path_buf());
            }
            if ui.button("Keep it").clicked() {
                self.replace = None;
            }
        });
        outcome
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_folders_then_matching_files_and_adds_the_extension() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("lessons")).expect("mkdir");
        std::fs::write(dir.path().join("b.ron"), "x").expect("write");
        std::fs::write(dir.path().join("a.txt"), "x").expect("write");
        std::fs::write(dir.path().join(".hidden.ron"), "x").expect("write");
        let mut d = FileDialog::save("Save", dir.path(), "shop", vec!["ron"]);
        let names: Vec<&str> = d.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["lessons", "b.ron"]);
        assert_eq!(d.confirm(), Outcome::Chosen(dir.path().join("shop.ron")));
        d.name = "b".into();
        assert_eq!(d.confirm(), Outcome::Pending, "replacing asks first");
        assert_eq!(d.replace, Some(dir.path().join("b.ron")));
        let mut o = FileDialog::open("Open", dir.path());
        o.name = "missing.ron".into();
        assert_eq!(o.confirm(), Outcome::Pending);
        assert!(o.error.is_some());
    }
}
