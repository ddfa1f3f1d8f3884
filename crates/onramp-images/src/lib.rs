//! Screenshots checked by content and re-encoded as PNG, which is what strips EXIF/GPS and any
//! other metadata (screenshots of customers' admin consoles must not carry location data) and
//! makes the stored bytes — and so their SHA-256 — depend on the pixels alone.
//!
//! It is a crate of its own because of how Rust compiles generics: the encoder's filtering and
//! compression loops are instantiated in the crate that calls them, so they run at the caller's
//! optimisation level. Onramp's release build optimises for size; this crate, and with it the
//! image path, is optimised for speed (see the workspace's `[profile.release.package.*]`).

use std::io::Cursor;

use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

/// What the checks accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    /// Larger files are refused before anything else is looked at.
    pub max_bytes: usize,
    /// Larger images are refused from their header, before any pixel is decoded.
    pub max_pixels: u64,
    /// The thumbnail fits in this box.
    pub thumbnail: (u32, u32),
}

/// An image that passed every check, cleaned.
#[derive(Debug)]
pub struct Cleaned {
    pub png: Vec<u8>,
    pub thumbnail: Vec<u8>,
    /// Of `png`, in lower-case hex.
    pub sha256: String,
    pub width: u32,
    pub height: u32,
}

/// Why bytes were refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    TooLarge {
        bytes: usize,
    },
    TooManyPixels {
        width: u32,
        height: u32,
    },
    /// Not one of PNG, JPEG, WebP and GIF: what it is instead, in words.
    NotAccepted(String),
    /// It claims to be an image but cannot be read.
    Damaged(String),
    /// Re-encoding failed (out of memory, most likely).
    Encoding(String),
}

/// Checks `bytes` and re-encodes them.
pub fn clean(bytes: &[u8], bounds: Bounds) -> Result<Cleaned, Refused> {
    if bytes.len() > bounds.max_bytes {
        return Err(Refused::TooLarge { bytes: bytes.len() });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Refused::Damaged(e.to_string()))?;
    match reader.format() {
        Some(ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif) => {}
        other => return Err(Refused::NotAccepted(describe(other, bytes))),
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|e| Refused::Damaged(e.to_string()))?;
    let (width, height) = decoder.dimensions();
    let pixels = u64::from(width) * u64::from(height);
    if pixels > bounds.max_pixels {
        return Err(Refused::TooManyPixels { width, height });
    }
    let image = decode(&mut decoder, bounds.max_pixels)
        .and_then(|orientation| {
            let mut image = DynamicImage::from_decoder(decoder)?;
            // Metadata is dropped, so apply the one piece that changes how the picture looks.
            image.apply_orientation(orientation);
            Ok(image)
        })
        .map_err(|e| Refused::Damaged(e.to_string()))?;
    // Two cores: the thumbnail is made while the full image is encoded and hashed.
    let (full, thumbnail) = std::thread::scope(|s| {
        let thumbnail = s.spawn(|| {
            let (w, h) = bounds.thumbnail;
            // Never larger than the picture itself.
            let small = if image.width() <= w && image.height() <= h {
                image.clone()
            } else {
                image.thumbnail(w, h)
            };
            encode(&small)
        });
        let full = encode(&image).map(|png| {
            let sha256 = hex(&Sha256::digest(&png));
            (png, sha256)
        });
        let thumbnail = thumbnail
            .join()
            .unwrap_or_else(|_| Err(Refused::Encoding("the thumbnail could not be made".into())));
        (full, thumbnail)
    });
    let (png, sha256) = full?;
    Ok(Cleaned {
        png,
        thumbnail: thumbnail?,
        sha256,
        width: image.width(),
        height: image.height(),
    })
}

/// Sets the decoder's memory limit and reads its orientation.
fn decode(
    decoder: &mut impl ImageDecoder,
    max_pixels: u64,
) -> image::ImageResult<image::metadata::Orientation> {
    let mut limits = Limits::default();
    // The header passed the pixel check; this keeps a lying header from allocating more.
    limits.max_alloc = Some(max_pixels * 4 * 2);
    decoder.set_limits(limits)?;
    decoder.orientation()
}

/// Pixels from the clipboard (RGBA) as a PNG, so they take the same checks and path as a file;
/// `None` when the pixels do not match the size.
pub fn png_from_rgba(width: u32, height: u32, rgba: Vec<u8>) -> Option<Result<Vec<u8>, Refused>> {
    let image = image::RgbaImage::from_raw(width, height, rgba)?;
    Some(encode(&DynamicImage::ImageRgba8(image)))
}

/// PNG with the encoder's own defaults written out (fast deflate, adaptive filters): the settings
/// must not change under us, since the stored bytes name the file.
fn encode(image: &DynamicImage) -> Result<Vec<u8>, Refused> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(
            image.as_bytes(),
            image.width(),
            image.height(),
            image.color().into(),
        )
        .map_err(|e| Refused::Encoding(e.to_string()))?;
    Ok(out)
}

/// What a refused file looks like, so the message says more than "unsupported".
fn describe(format: Option<ImageFormat>, bytes: &[u8]) -> String {
    if let Some(format) = format {
        let name = format
            .extensions_str()
            .first()
            .map_or_else(|| format!("{format:?}"), |ext| ext.to_uppercase());
        return format!("it is a {name} image, which Onramp does not accept");
    }
    let kind = if bytes.starts_with(b"%PDF") {
        "a PDF document"
    } else if bytes.starts_with(b"PK\x03\x04") {
        "a ZIP archive or Office document"
    } else if bytes.is_empty() {
        "an empty file"
    } else if std::str::from_utf8(bytes).is_ok() {
        "a text file"
    } else {
        "not an image"
    };
    format!("it is {kind}")
}

/// `bytes` as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
