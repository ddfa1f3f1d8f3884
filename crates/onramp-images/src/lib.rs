//! Screenshots checked by content and re-encoded as PNG, which is what strips EXIF/GPS and any
//! other metadata (screenshots of customers' admin consoles must not carry location data) and
//! makes the stored bytes — and so their SHA-256 — depend on the pixels alone.
//!
//! A PNG — what screenshot tools write — is re-encoded row by row as it is decoded, on the
//! second core. Nothing here needs the database, so the core runs it before it takes its lock.

mod fit;

pub use fit::{Fitted, SMALLEST_SIDE, fit};

use std::io::{Cursor, Write as _};
use std::sync::mpsc;

use image::{
    DynamicImage, GrayAlphaImage, GrayImage, ImageDecoder, ImageFormat, ImageReader, Limits,
    RgbImage, RgbaImage,
};
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

impl Bounds {
    /// The most a decoder may allocate: the header passed the pixel check, and this keeps a
    /// lying header from allocating more.
    fn max_alloc(self) -> u64 {
        self.max_pixels * 4 * 2
    }
}

/// An image that passed every check, cleaned.
#[derive(Debug, PartialEq, Eq)]
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
    /// Not even a JPEG scaled down as far as it stays readable is at most `limit` bytes.
    CannotFit {
        limit: u64,
    },
}

/// Checks `bytes` and re-encodes them.
pub fn clean(bytes: &[u8], bounds: Bounds) -> Result<Cleaned, Refused> {
    let format = check(bytes, bounds)?;
    if format == ImageFormat::Png
        && let Some(cleaned) = png_row_by_row(bytes, bounds)
    {
        return cleaned;
    }
    whole(bytes, bounds)
}

/// The checks made before any pixel is decoded: size, format, pixel count.
fn check(bytes: &[u8], bounds: Bounds) -> Result<ImageFormat, Refused> {
    if bytes.len() > bounds.max_bytes {
        return Err(Refused::TooLarge { bytes: bytes.len() });
    }
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Refused::Damaged(e.to_string()))?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Png | ImageFormat::Jpeg | ImageFormat::WebP | ImageFormat::Gif)) => {
            f
        }
        other => return Err(Refused::NotAccepted(describe(other, bytes))),
    };
    let (width, height) = reader
        .into_dimensions()
        .map_err(|e| Refused::Damaged(e.to_string()))?;
    if u64::from(width) * u64::from(height) > bounds.max_pixels {
        return Err(Refused::TooManyPixels { width, height });
    }
    Ok(format)
}

/// Any accepted image: decoded whole, then re-encoded while the thumbnail is made.
fn whole(bytes: &[u8], bounds: Bounds) -> Result<Cleaned, Refused> {
    let damaged = |e: image::ImageError| Refused::Damaged(e.to_string());
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| Refused::Damaged(e.to_string()))?
        .into_decoder()
        .map_err(damaged)?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(bounds.max_alloc());
    decoder.set_limits(limits).map_err(damaged)?;
    let orientation = decoder.orientation().map_err(damaged)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(damaged)?;
    // Metadata is dropped, so apply the one piece that changes how the picture looks.
    image.apply_orientation(orientation);
    let image = eight_bit(image);
    let (width, height) = (image.width(), image.height());
    let layout = Layout::of(&image);
    std::thread::scope(|s| {
        let thumbnail = s.spawn(|| thumbnail(&image, bounds));
        let png = encode(width, height, layout, [image.as_bytes()])?;
        let png = no_larger_than_stored(png, width, height, layout, image.as_bytes())?;
        let thumbnail = thumbnail
            .join()
            .map_err(|_| Refused::Encoding("the thumbnail could not be made".into()))??;
        Ok(finished(png, thumbnail, width, height))
    })
}

/// Rows handed from the decoder to the encoder at a time, so the hand-over costs little next to
/// the work.
const BAND: usize = 16;

/// A PNG re-encoded row by row as it is decoded: the encoder runs on the second core while the
/// first decodes, so the two take about as long as the slower of them. `None` for the PNGs the
/// whole-image path handles instead: interlaced, 16 bits per channel, or with EXIF metadata
/// (whose orientation must be applied).
fn png_row_by_row(bytes: &[u8], bounds: Bounds) -> Option<Result<Cleaned, Refused>> {
    let limits = png::Limits {
        bytes: usize::try_from(bounds.max_alloc()).unwrap_or(usize::MAX),
    };
    let mut decoder = png::Decoder::new_with_limits(Cursor::new(bytes), limits);
    // As `image` reads PNGs: palettes and low bit depths become 8-bit pixels, `tRNS` alpha.
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = match decoder.read_info() {
        Ok(reader) => reader,
        Err(e) => return Some(Err(Refused::Damaged(e.to_string()))),
    };
    let info = reader.info();
    let (width, height) = (info.width, info.height);
    if info.interlaced || info.exif_metadata.is_some() {
        return None;
    }
    let layout = match reader.output_color_type() {
        (png::ColorType::Grayscale, png::BitDepth::Eight) => Layout::L8,
        (png::ColorType::GrayscaleAlpha, png::BitDepth::Eight) => Layout::La8,
        (png::ColorType::Rgb, png::BitDepth::Eight) => Layout::Rgb8,
        (png::ColorType::Rgba, png::BitDepth::Eight) => Layout::Rgba8,
        _ => return None,
    };
    let line = layout.line(width);
    Some(std::thread::scope(|s| {
        let (rows, received) = mpsc::sync_channel::<Vec<u8>>(8);
        let encoder = s.spawn(move || encode(width, height, layout, received));
        let mut pixels = Vec::with_capacity(line * height as usize);
        let mut band = Vec::with_capacity(line * BAND);
        let read = (|| {
            while let Some(row) = reader.next_row()? {
                band.extend_from_slice(row.data());
                if band.len() == line * BAND {
                    pixels.extend_from_slice(&band);
                    // The encoder stops only on an error, which it reports itself.
                    let _ = rows.send(std::mem::replace(
                        &mut band,
                        Vec::with_capacity(line * BAND),
                    ));
                }
            }
            pixels.extend_from_slice(&band);
            let _ = rows.send(band);
            Ok::<(), png::DecodingError>(())
        })();
        drop(rows);
        let png = encoder
            .join()
            .map_err(|_| Refused::Encoding("the encoder stopped".into()));
        read.map_err(|e| Refused::Damaged(e.to_string()))?;
        let image = layout
            .image(width, height, pixels)
            .ok_or_else(|| Refused::Damaged("it holds fewer pixels than its size says".into()))?;
        let thumbnail = thumbnail(&image, bounds)?;
        let png = no_larger_than_stored(png??, width, height, layout, image.as_bytes())?;
        Ok(finished(png, thumbnail, width, height))
    }))
}

fn finished(png: Vec<u8>, thumbnail: Vec<u8>, width: u32, height: u32) -> Cleaned {
    Cleaned {
        sha256: hex(&Sha256::digest(&png)),
        png,
        thumbnail,
        width,
        height,
    }
}

/// How the pixels are laid out: the four kinds Onramp stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    L8,
    La8,
    Rgb8,
    Rgba8,
}

impl Layout {
    fn of(image: &DynamicImage) -> Self {
        match image {
            DynamicImage::ImageLuma8(_) => Self::L8,
            DynamicImage::ImageLumaA8(_) => Self::La8,
            DynamicImage::ImageRgb8(_) => Self::Rgb8,
            _ => Self::Rgba8,
        }
    }

    fn channels(self) -> usize {
        match self {
            Self::L8 => 1,
            Self::La8 => 2,
            Self::Rgb8 => 3,
            Self::Rgba8 => 4,
        }
    }

    fn line(self, width: u32) -> usize {
        width as usize * self.channels()
    }

    fn png(self) -> png::ColorType {
        match self {
            Self::L8 => png::ColorType::Grayscale,
            Self::La8 => png::ColorType::GrayscaleAlpha,
            Self::Rgb8 => png::ColorType::Rgb,
            Self::Rgba8 => png::ColorType::Rgba,
        }
    }

    fn image(self, width: u32, height: u32, pixels: Vec<u8>) -> Option<DynamicImage> {
        Some(match self {
            Self::L8 => DynamicImage::ImageLuma8(GrayImage::from_raw(width, height, pixels)?),
            Self::La8 => {
                DynamicImage::ImageLumaA8(GrayAlphaImage::from_raw(width, height, pixels)?)
            }
            Self::Rgb8 => DynamicImage::ImageRgb8(RgbImage::from_raw(width, height, pixels)?),
            Self::Rgba8 => DynamicImage::ImageRgba8(RgbaImage::from_raw(width, height, pixels)?),
        })
    }
}

/// Every image stored with 8 bits per channel: a screenshot gains nothing from more.
fn eight_bit(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_)
        | DynamicImage::ImageLumaA8(_)
        | DynamicImage::ImageRgb8(_)
        | DynamicImage::ImageRgba8(_) => image,
        DynamicImage::ImageLuma16(_) => DynamicImage::ImageLuma8(image.to_luma8()),
        DynamicImage::ImageLumaA16(_) => DynamicImage::ImageLumaA8(image.to_luma_alpha8()),
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// The thumbnail, never larger than the picture itself.
fn thumbnail(image: &DynamicImage, bounds: Bounds) -> Result<Vec<u8>, Refused> {
    let (w, h) = bounds.thumbnail;
    let small = if image.width() <= w && image.height() <= h {
        image.clone()
    } else {
        eight_bit(image.thumbnail(w, h))
    };
    encode(
        small.width(),
        small.height(),
        Layout::of(&small),
        [small.as_bytes()],
    )
}

/// `png`, or the pixels stored without compression when `png` is larger: fast deflate, fed
/// row by row, cannot fall back to that by itself the way it does on a whole image, and a
/// screenshot of noise (a photo, a video frame) would otherwise grow by a third.
fn no_larger_than_stored(
    png: Vec<u8>,
    width: u32,
    height: u32,
    layout: Layout,
    pixels: &[u8],
) -> Result<Vec<u8>, Refused> {
    // Each row with its filter byte; stored deflate adds 5 bytes per 64 KiB block.
    let stored = (layout.line(width) + 1) * height as usize;
    if png.len() <= stored + stored / 0xffff * 5 + 64 {
        return Ok(png);
    }
    write_png(
        (width, height, layout),
        png::Compression::NoCompression,
        png::Filter::NoFilter,
        [pixels],
    )
}

/// The one PNG encoder every stored image goes through, fed its pixels row after row (`data`
/// may cut them anywhere): fast deflate, and the
/// Paeth filter on every row. Onramp's release build optimises the whole program for size at
/// link time, where trying all five filters per row (the encoder's default) takes a 4K
/// screenshot 160 ms and Paeth alone 100 ms, for files about 8 % larger on admin-console
/// screenshots (measured on the README's pictures). The settings must not change lightly: the
/// stored bytes name the file.
fn encode(
    width: u32,
    height: u32,
    layout: Layout,
    data: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> Result<Vec<u8>, Refused> {
    write_png(
        (width, height, layout),
        png::Compression::Fast,
        png::Filter::Paeth,
        data,
    )
}

fn write_png(
    (width, height, layout): (u32, u32, Layout),
    compression: png::Compression,
    filter: png::Filter,
    data: impl IntoIterator<Item = impl AsRef<[u8]>>,
) -> Result<Vec<u8>, Refused> {
    let failed = |e: png::EncodingError| Refused::Encoding(e.to_string());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(layout.png());
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(compression);
    encoder.set_filter(filter);
    let mut writer = encoder.write_header().map_err(failed)?;
    let mut stream = writer.stream_writer_with_size(1 << 20).map_err(failed)?;
    stream.set_filter(filter);
    for part in data {
        stream
            .write_all(part.as_ref())
            .map_err(|e| Refused::Encoding(e.to_string()))?;
    }
    stream.finish().map_err(failed)?;
    drop(writer);
    Ok(out)
}

/// Pixels from the clipboard (RGBA) as a PNG, so they take the same checks and path as a file;
/// `None` when the pixels do not match the size.
pub fn png_from_rgba(width: u32, height: u32, rgba: Vec<u8>) -> Option<Result<Vec<u8>, Refused>> {
    let image = RgbaImage::from_raw(width, height, rgba)?;
    Some(encode(width, height, Layout::Rgba8, [image.as_raw()]))
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

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure
mod tests {
    use super::*;

    const BOUNDS: Bounds = Bounds {
        max_bytes: 25 * 1024 * 1024,
        max_pixels: 50_000_000,
        thumbnail: (32, 20),
    };

    /// A PNG written by the `png` crate itself, as other tools write them: `color` at `depth`,
    /// with an optional palette and transparency, and extra chunks before the pixels.
    fn png_file(
        (width, height): (u32, u32),
        (color, depth): (png::ColorType, png::BitDepth),
        palette: Option<(&[u8], &[u8])>,
        chunks: &[(png::chunk::ChunkType, &[u8])],
        pixels: &[u8],
    ) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(color);
        encoder.set_depth(depth);
        if let Some((plte, trns)) = palette {
            encoder.set_palette(plte.to_vec());
            encoder.set_trns(trns.to_vec());
        }
        let mut writer = encoder.write_header().unwrap();
        for (kind, data) in chunks {
            writer.write_chunk(*kind, data).unwrap();
        }
        writer.write_image_data(pixels).unwrap();
        writer.finish().unwrap();
        out
    }

    fn pattern(len: usize) -> Vec<u8> {
        (0..len)
            .map(|i| u8::try_from((i * 7 + i / 97) % 251).unwrap())
            .collect()
    }

    #[test]
    fn a_png_row_by_row_is_stored_exactly_as_the_whole_image_path_stores_it() {
        use png::{BitDepth, ColorType};
        let (w, h) = (61, 45);
        let cases = [
            (ColorType::Grayscale, 1),
            (ColorType::GrayscaleAlpha, 2),
            (ColorType::Rgb, 3),
            (ColorType::Rgba, 4),
        ];
        for (color, channels) in cases {
            let file = png_file(
                (w, h),
                (color, BitDepth::Eight),
                None,
                &[],
                &pattern(w as usize * h as usize * channels),
            );
            let streamed = png_row_by_row(&file, BOUNDS).expect("eligible").unwrap();
            assert_eq!(streamed, whole(&file, BOUNDS).unwrap(), "{color:?}");
            assert_eq!(clean(&file, BOUNDS).unwrap(), streamed);
            // What is stored reads back as the same pixels.
            let back = image::load_from_memory(&streamed.png).unwrap();
            let sent = image::load_from_memory(&file).unwrap();
            assert_eq!(back.as_bytes(), sent.as_bytes(), "{color:?}");
        }
    }

    #[test]
    fn palettes_and_transparency_become_plain_pixels_on_both_paths() {
        let palette: &[u8] = &[255, 0, 0, 0, 255, 0, 0, 0, 255];
        let transparent: &[u8] = &[255, 128, 0];
        let indices: Vec<u8> = (0..40 * 30).map(|i| u8::try_from(i % 3).unwrap()).collect();
        let file = png_file(
            (40, 30),
            (png::ColorType::Indexed, png::BitDepth::Eight),
            Some((palette, transparent)),
            &[],
            &indices,
        );
        let streamed = png_row_by_row(&file, BOUNDS).unwrap().unwrap();
        assert_eq!(streamed, whole(&file, BOUNDS).unwrap());
        let back = image::load_from_memory(&streamed.png).unwrap().to_rgba8();
        assert_eq!(back.get_pixel(0, 0).0, [255, 0, 0, 255]);
        assert_eq!(back.get_pixel(2, 0).0, [0, 0, 255, 0]);
    }

    #[test]
    fn sixteen_bits_and_exif_take_the_whole_image_path() {
        let deep = png_file(
            (8, 4),
            (png::ColorType::Rgb, png::BitDepth::Sixteen),
            None,
            &[],
            &pattern(8 * 4 * 6),
        );
        assert!(png_row_by_row(&deep, BOUNDS).is_none());
        let stored = clean(&deep, BOUNDS).unwrap();
        let back = image::load_from_memory(&stored.png).unwrap();
        assert_eq!(back.color(), image::ColorType::Rgb8, "stored with 8 bits");

        // EXIF orientation 6: the picture is meant to be seen turned a quarter clockwise.
        let exif: &[u8] = b"MM\x00\x2a\x00\x00\x00\x08\x00\x01\x01\x12\x00\x03\x00\x00\x00\x01\x00\x06\x00\x00\x00\x00\x00\x00";
        let turned = png_file(
            (8, 4),
            (png::ColorType::Rgb, png::BitDepth::Eight),
            None,
            &[(png::chunk::eXIf, exif)],
            &pattern(8 * 4 * 3),
        );
        assert!(png_row_by_row(&turned, BOUNDS).is_none());
        let stored = clean(&turned, BOUNDS).unwrap();
        assert_eq!((stored.width, stored.height), (4, 8));
        assert!(
            !stored.png.windows(4).any(|w| w == b"eXIf"),
            "the metadata is gone"
        );
    }

    #[test]
    fn a_truncated_png_is_refused_as_damaged() {
        let file = png_file(
            (64, 64),
            (png::ColorType::Rgb, png::BitDepth::Eight),
            None,
            &[],
            &pattern(64 * 64 * 3),
        );
        let cut = &file[..file.len() * 2 / 3];
        assert!(matches!(clean(cut, BOUNDS), Err(Refused::Damaged(_))));
    }

    #[test]
    fn the_thumbnail_fits_the_box_and_is_never_larger_than_the_picture() {
        let big = png_file(
            (320, 100),
            (png::ColorType::Rgb, png::BitDepth::Eight),
            None,
            &[],
            &pattern(320 * 100 * 3),
        );
        let thumb = image::load_from_memory(&clean(&big, BOUNDS).unwrap().thumbnail).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (32, 10));
        let small = png_file(
            (10, 6),
            (png::ColorType::Rgb, png::BitDepth::Eight),
            None,
            &[],
            &pattern(10 * 6 * 3),
        );
        let thumb = image::load_from_memory(&clean(&small, BOUNDS).unwrap().thumbnail).unwrap();
        assert_eq!((thumb.width(), thumb.height()), (10, 6));
    }

    #[test]
    fn noise_is_stored_no_larger_than_its_pixels() {
        let (w, h) = (300, 200);
        let noise: Vec<u8> = (0..w * h * 3)
            .map(|i: u32| {
                let x = i.wrapping_mul(0x9E37_79B9);
                u8::try_from((x ^ (x >> 15)) & 0xff).unwrap()
            })
            .collect();
        let file = png_file(
            (w, h),
            (png::ColorType::Rgb, png::BitDepth::Eight),
            None,
            &[],
            &noise,
        );
        let stored = clean(&file, BOUNDS).unwrap();
        let raw = (w * 3 + 1) * h;
        assert!(
            stored.png.len() < usize::try_from(raw).unwrap() + 200,
            "{} bytes for {raw} bytes of pixels",
            stored.png.len()
        );
        assert_eq!(stored, whole(&file, BOUNDS).unwrap());
        let back = image::load_from_memory(&stored.png).unwrap();
        assert_eq!(back.as_bytes(), noise.as_slice());
    }
}
