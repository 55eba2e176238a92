//! Node icons from `assets/icons`, embedded in the binary so the app runs
//! from any folder.

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

use crate::scenario::Kind;

/// One texture per node kind, in [`Kind::ALL`] order, and the app's own.
pub struct Icons {
    kinds: Vec<TextureHandle>,
    pub app: TextureHandle,
}

/// The PNG of a kind's icon. A new kind needs its picture here.
fn png(kind: Kind) -> &'static [u8] {
    match kind {
        Kind::Client => include_bytes!("../../assets/icons/client.png"),
        Kind::Service => include_bytes!("../../assets/icons/service.png"),
        Kind::Database => include_bytes!("../../assets/icons/database.png"),
        Kind::Broker => include_bytes!("../../assets/icons/broker.png"),
        Kind::Replica => include_bytes!("../../assets/icons/replica.png"),
        Kind::Cdc => include_bytes!("../../assets/icons/cdc.png"),
        Kind::Composer => include_bytes!("../../assets/icons/composer.png"),
        Kind::Orchestrator => include_bytes!("../../assets/icons/orchestrator.png"),
        Kind::Peer => include_bytes!("../../assets/icons/peer.png"),
        Kind::Projection => include_bytes!("../../assets/icons/projection.png"),
        Kind::Log => include_bytes!("../../assets/icons/log.png"),
        Kind::Coordinator => include_bytes!("../../assets/icons/coordinator.png"),
        Kind::EventStore => include_bytes!("../../assets/icons/eventstore.png"),
    }
}

fn load(ctx: &Context, name: &str, png: &[u8]) -> TextureHandle {
    let image = match image::load_from_memory_with_format(png, image::ImageFormat::Png) {
        Ok(img) => {
            let rgba = img.to_rgba8();
            let size = [rgba.width() as usize, rgba.height() as usize];
            ColorImage::from_rgba_unmultiplied(size, rgba.as_raw())
        }
        // The icons are part of the binary; a broken one shows as a blank.
        Err(_) => ColorImage::filled([1, 1], egui::Color32::TRANSPARENT),
    };
    ctx.load_texture(name, image, TextureOptions::LINEAR)
}

impl Icons {
    pub fn new(ctx: &Context) -> Self {
        Icons {
            kinds: Kind::ALL
                .iter()
                .map(|&k| load(ctx, &format!("icon-{}", k.word()), png(k)))
                .collect(),
            app: load(
                ctx,
                "icon-app",
                include_bytes!("../../assets/icons/settle.png"),
            ),
        }
    }

    /// The icon of a node kind.
    pub fn for_kind(&self, kind: Kind) -> &TextureHandle {
        let i = Kind::ALL.iter().position(|&k| k == kind).unwrap_or(0);
        &self.kinds[i.min(self.kinds.len() - 1)]
    }
}
