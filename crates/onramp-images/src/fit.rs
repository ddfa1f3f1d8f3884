//! A stored screenshot made to fit a Jira site's upload limit (Data Center's default is 10 MB
//! per file): first the same pixels as a JPEG, which is a fraction of a PNG's size for photos
//! and detailed screens; then, if that is still too large, smaller JPEGs until one fits. The
//! result depends on the pixels and the limit alone, so a resumed submission makes the same
//! file again and finds it already on the ticket.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

use crate::Refused;

/// JPEG quality: text in a screenshot stays sharp at this level.
const QUALITY: u8 = 90;
/// Scaled down no further than this many pixels on the long side: below it a screenshot of a
/// console is no longer readable.
pub const SMALLEST_SIDE: u32 = 800;
/// Each try aims this far under the limit, as JPEG sizes do not shrink exactly with the area.
const MARGIN: f64 = 0.9;
const TRIES: usize = 8;

/// A file for an upload that the original would not fit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fitted {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// Whether it has fewer pixels than the original.
    pub scaled: bool,
}

/// `png` as a file of at most `limit` bytes: `None` when it already is one; refused when even
/// the smallest readable size is too large.
pub fn fit(png: &[u8], limit: u64) -> Result<Option<Fitted>, Refused> {
    if png.len() as u64 <= limit {
        return Ok(None);
    }
    let decoded = image::load_from_memory_with_format(png, ImageFormat::Png)
        .map_err(|e| Refused::Damaged(e.to_string()))?;
    let original = on_white(&decoded);
    let (width, height) = original.dimensions();
    let mut image = original.clone();
    for _ in 0..TRIES {
        let jpeg = jpeg(&image)?;
        let size = jpeg.len() as u64;
        if size <= limit {
            return Ok(Some(Fitted {
                jpeg,
                width: image.width(),
                height: image.height(),
                scaled: image.width() != width,
            }));
        }
        #[allow(clippy::cast_precision_loss)] // sizes and a ratio of them
        let ratio = (limit as f64 / size as f64).sqrt() * MARGIN;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // a side in pixels
        let w = ((f64::from(image.width()) * ratio) as u32).max(1);
        // The height from the width, so the shape stays the original's.
        let h = u32::try_from(u64::from(w) * u64::from(height) / u64::from(width))
            .unwrap_or(u32::MAX)
            .max(1);
        if w.max(h) < SMALLEST_SIDE.min(width.max(height)) {
            break;
        }
        image = image::imageops::resize(&original, w, h, FilterType::Triangle);
    }
    Err(Refused::CannotFit { limit })
}

/// The pixels without transparency, over white as a viewer would show them.
fn on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u16::from(p[3]);
        let mix = |c: u8| u8::try_from((u16::from(c) * a + 255 * (255 - a)) / 255).unwrap_or(255);
        Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

fn jpeg(image: &RgbImage) -> Result<Vec<u8>, Refused> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut Cursor::new(&mut out), QUALITY)
        .encode_image(image)
        .map_err(|e| Refused::Encoding(e.to_string()))?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure
mod tests {
    use super::*;

    /// A photo-like picture: a gradient under noise of `bits` bits, which defeats PNG's
    /// compression far more than JPEG's.
    fn noisy_png(width: u32, height: u32, bits: u32) -> Vec<u8> {
        let mut seed = 7u32;
        let byte = |n: u32| u8::try_from(n % 256).unwrap();
        let image = RgbImage::from_fn(width, height, |x, y| {
            seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let n = byte(seed >> (32 - bits));
            Rgb([byte(x / 8) ^ n, byte(y / 5) ^ n, 0x5a ^ n])
        });
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    fn smooth_png(width: u32, height: u32) -> Vec<u8> {
        let byte = |n: u32| u8::try_from(n % 256).unwrap();
        let image = RgbImage::from_fn(width, height, |x, y| Rgb([byte(x), byte(y), byte(x ^ y)]));
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_file_within_the_limit_is_left_alone() {
        let png = smooth_png(64, 64);
        assert_eq!(fit(&png, png.len() as u64).unwrap(), None);
    }

    #[test]
    fn a_png_over_the_limit_becomes_a_jpeg_of_the_same_pixels_when_that_fits() {
        let png = smooth_png(1200, 900);
        let limit = png.len() as u64 / 2;
        let fitted = fit(&png, limit).unwrap().unwrap();
        assert!(
            fitted.jpeg.len() as u64 <= limit,
            "{} > {limit}",
            fitted.jpeg.len()
        );
        assert_eq!(
            (fitted.width, fitted.height, fitted.scaled),
            (1200, 900, false)
        );
        let back = image::load_from_memory(&fitted.jpeg).unwrap();
        assert_eq!((back.width(), back.height()), (1200, 900));
        // The same pixels and limit make the same file: a resumed upload is recognised.
        assert_eq!(fit(&png, limit).unwrap().unwrap(), fitted);
    }

    #[test]
    fn when_a_jpeg_is_still_too_large_it_is_scaled_down_until_it_fits() {
        let png = noisy_png(2000, 1500, 4);
        let limit = 400_000;
        let fitted = fit(&png, limit).unwrap().unwrap();
        assert!(fitted.scaled);
        assert!(fitted.jpeg.len() as u64 <= limit);
        assert!(fitted.width < 2000 && fitted.width >= SMALLEST_SIDE);
        // The shape is kept.
        assert_eq!(fitted.width * 3 / 4, fitted.height);
    }

    #[test]
    fn a_limit_nothing_readable_fits_in_is_refused_with_the_limit() {
        let png = noisy_png(1600, 1200, 8);
        assert_eq!(fit(&png, 20_000), Err(Refused::CannotFit { limit: 20_000 }));
    }

    #[test]
    fn transparency_is_shown_over_white() {
        let image = image::RgbaImage::from_pixel(4, 4, image::Rgba([0, 0, 0, 0]));
        let white = on_white(&DynamicImage::ImageRgba8(image));
        assert_eq!(white.get_pixel(3, 3).0, [255, 255, 255]);
    }
}
