//! Fonts: egui's defaults plus DejaVu Sans (from `assets/fonts`) as a
//! fallback, for the arrows and symbols the views use (→ ⟷ ✂ ▶ ★ ✔ ⚠).

use std::sync::Arc;

use egui::{FontData, FontDefinitions, FontFamily};

/// Installs the fonts once per context.
pub fn install(ctx: &egui::Context) {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        "dejavu".into(),
        Arc::new(FontData::from_static(crate::export::FONT)),
    );
    for family in [FontFamily::Proportional, FontFamily::Monospace] {
        if let Some(list) = fonts.families.get_mut(&family) {
            list.push("dejavu".into());
        }
    }
    ctx.set_fonts(fonts);
}
