//! A GIF frame's colours. A GIF holds at most 256 colours a frame, and the
//! usual quantiser (NeuQuant) spends them on the large areas: the small
//! flat shapes that carry meaning here (a legend dot, a message in flight,
//! a kind's small print) came out in a neighbouring hue, a request dot
//! turned teal. Our pictures are flat shapes drawn from a few dozen
//! colours plus their anti-aliased edges, so the most frequent colours
//! are exactly the ones drawn on purpose: keep those, and give every edge
//! pixel the nearest kept colour.

/// A frame as palette indices.
pub struct Indexed {
    /// One index per pixel, row by row.
    pub pixels: Vec<u8>,
    /// The palette, three bytes (r, g, b) a colour.
    pub palette: Vec<u8>,
    /// The index that stands for "see-through", if the frame has any.
    pub transparent: Option<u8>,
}

/// The colour written for the see-through index (never shown).
const CLEAR_RGB: [u8; 3] = [255, 0, 255];

fn pack(p: &[u8]) -> u32 {
    (u32::from(p[0]) << 16) | (u32::from(p[1]) << 8) | u32::from(p[2])
}

fn unpack(c: u32) -> [u8; 3] {
    [(c >> 16) as u8, (c >> 8) as u8, c as u8]
}

/// How far apart two colours look, roughly: channels weighted the way
/// the eye weighs them (green most, blue least).
fn distance(a: u32, b: u32) -> u32 {
    let ([ar, ag, ab], [br, bg, bb]) = (unpack(a), unpack(b));
    let d = |x: u8, y: u8| u32::from(x.abs_diff(y)).pow(2);
    2 * d(ar, br) + 4 * d(ag, bg) + 3 * d(ab, bb)
}

/// The index of the colour in `palette` nearest to `c`.
fn nearest(palette: &[u32], c: u32) -> u8 {
    palette
        .iter()
        .enumerate()
        .min_by_key(|&(_, &p)| distance(p, c))
        .map_or(0, |(i, _)| i as u8)
}

/// `rgba` (four bytes a pixel; alpha 0 means see-through, any other alpha
/// is drawn opaque) as at most 256 indexed colours, one of them
/// see-through when any pixel is.
pub fn quantise(rgba: &[u8]) -> Indexed {
    let mut colours: Vec<u32> = rgba
        .chunks_exact(4)
        .filter(|p| p[3] != 0)
        .map(pack)
        .collect();
    let clear = colours.len() < rgba.len() / 4;
    colours.sort_unstable();
    // Each distinct colour and how many pixels have it, in colour order.
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for c in colours {
        match runs.last_mut() {
            Some((last, n)) if *last == c => *n += 1,
            _ => runs.push((c, 1)),
        }
    }
    let room = if clear { 255 } else { 256 };
    let mut popular = runs.clone();
    popular.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let kept: Vec<u32> = popular.iter().take(room).map(|&(c, _)| c).collect();
    let index_of: Vec<u8> = runs.iter().map(|&(c, _)| nearest(&kept, c)).collect();
    let transparent = clear.then_some(kept.len() as u8);
    let pixels = rgba
        .chunks_exact(4)
        .map(|p| {
            if p[3] == 0 {
                return transparent.unwrap_or(0);
            }
            let c = pack(p);
            runs.binary_search_by_key(&c, |&(r, _)| r)
                .ok()
                .and_then(|i| index_of.get(i).copied())
                .unwrap_or(0)
        })
        .collect();
    let mut palette: Vec<u8> = kept.iter().flat_map(|&c| unpack(c)).collect();
    if clear {
        palette.extend_from_slice(&CLEAR_RGB);
    }
    if palette.is_empty() {
        palette.extend_from_slice(&[0, 0, 0]);
    }
    Indexed {
        pixels,
        palette,
        transparent,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The colour pixel `i` is drawn in.
    fn shown(q: &Indexed, i: usize) -> [u8; 3] {
        let k = usize::from(q.pixels[i]) * 3;
        [q.palette[k], q.palette[k + 1], q.palette[k + 2]]
    }

    #[test]
    fn a_small_flat_shape_keeps_its_exact_colour() {
        // A white page with a few pixels of a blue dot and 400 distinct
        // greys (anti-aliased edges): more colours than a GIF holds.
        let mut rgba = Vec::new();
        for _ in 0..10_000 {
            rgba.extend_from_slice(&[255, 255, 255, 255]);
        }
        for _ in 0..12 {
            rgba.extend_from_slice(&[0x45, 0x9b, 0xd8, 255]);
        }
        for i in 0..400u32 {
            let v = (i * 255 / 400) as u8;
            rgba.extend_from_slice(&[v, v, v.wrapping_add(1), 255]);
        }
        let q = quantise(&rgba);
        assert!(q.palette.len() <= 256 * 3);
        assert_eq!(q.transparent, None);
        assert_eq!(shown(&q, 0), [255, 255, 255]);
        assert_eq!(shown(&q, 10_000), [0x45, 0x9b, 0xd8], "the dot stays blue");
        // A grey left out is drawn as a grey near it, not as the blue.
        let last = q.pixels.len() - 1;
        let [r, g, b] = shown(&q, last);
        assert!(r > 200 && g > 200 && b > 200, "{r} {g} {b}");
    }

    #[test]
    fn see_through_pixels_get_their_own_index() {
        let rgba = [0, 0, 0, 255, 9, 9, 9, 0, 255, 255, 255, 255];
        let q = quantise(&rgba);
        let t = q.transparent.expect("a see-through index");
        assert_eq!(q.pixels[1], t);
        assert_ne!(q.pixels[0], t);
        assert_eq!(shown(&q, 0), [0, 0, 0]);
        assert_eq!(shown(&q, 2), [255, 255, 255]);
    }
}
