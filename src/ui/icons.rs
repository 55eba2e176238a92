//! Node icons from `assets/icons`, embedded in the binary so the app runs
//! from any folder.

use egui::{ColorImage, Context, TextureHandle, TextureOptions};

/// One texture per node kind.
pub struct Icons {
    client: TextureHandle,
    service: TextureHandle,
    database: TextureHandle,
    broker: TextureHandle,
    replica: TextureHandle,
    cdc: TextureHandle,
    composer: TextureHandle,
    orchestrator: TextureHandle,
    peer: TextureHandle,

    pub app: TextureHandle,
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
            client: load(
                ctx,
                "icon-client",
                include_bytes!("../../assets/icons/client.png"),
            ),
            service: load(
                ctx,
                "icon-service",
                include_bytes!("../../assets/icons/service.png"),
            ),
            database: load(
                ctx,
                "icon-database",
                include_bytes!("../../assets/icons/database.png"),
            ),
            broker: load(
                ctx,
                "icon-broker",
                include_bytes!("../../assets/icons/broker.png"),
            ),
            replica: load(
                ctx,
                "icon-replica",
                include_bytes!("../../assets/icons/replica.png"),
            ),
            cdc: load(
                ctx,
                "icon-cdc",
                include_bytes!("../../assets/icons/cdc.png"),
            ),
            composer: load(
                ctx,
                "icon-composer",
                include_bytes!("../../assets/icons/composer.png"),
            ),
            orchestrator: load(
                ctx,
                "icon-orchestrator",
                include_bytes!("../../assets/icons/orchestrator.png"),
            ),
            peer: load(
                ctx,
                "icon-peer",
                include_bytes!("../../assets/icons/peer.png"),
            ),
            app: load(
                ctx,
                "icon-app",
                include_bytes!("../../assets/icons/settle.png"),
            ),
        }
    }

    /// The icon of a node kind word.
    pub fn for_kind(&self, kind: &str) -> &TextureHandle {
        match kind {
            "client" => &self.client,
            "database" => &self.database,
            "broker" => &self.broker,
            "replica" => &self.replica,
            "cdc" => &self.cdc,
            "composer" => &self.composer,
            "orchestrator" => &self.orchestrator,
            "peer" => &self.peer,
            _ => &self.service,
        }
    }
}
