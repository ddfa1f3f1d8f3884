//! Screenshots on a real data directory: every accepted format, every refusal, and the stored
//! copy's hygiene (content-addressed, metadata stripped, stored once).

use crate::support::{ManualClock, create, open, picture, slot};
use image::ImageFormat;
use onramp_core::drafts::DraftView;
use onramp_core::model::Event;
use onramp_core::{ErrorCode, Onramp, Shared};

fn blobs(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<_> = std::fs::read_dir(dir.join("blobs"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn refusal(onramp: &mut Onramp, view: &DraftView, name: &str, bytes: &[u8]) -> String {
    let err = onramp
        .attach_screenshot(&slot(view, "connector"), name, bytes)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidInput);
    err.to_string()
}

#[test]
fn png_jpeg_webp_and_gif_are_accepted_and_fill_their_slot() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "ukg-pro");
    for (format, name) in [
        (ImageFormat::Png, "web-services.png"),
        (ImageFormat::Jpeg, "web-services.jpg"),
        (ImageFormat::WebP, "web-services.webp"),
        (ImageFormat::Gif, "web-services.gif"),
    ] {
        let view = onramp
            .attach_screenshot(&slot(&view, "connector"), name, &picture(format))
            .unwrap();
        let shot = &view.screenshots[0];
        assert_eq!(
            (shot.slot_id.as_str(), shot.file_name.as_str()),
            ("connector", name)
        );
        assert_eq!((shot.width, shot.height), (640, 400));
        assert!(shot.thumbnail.starts_with("data:image/png;base64,"));
        let missing: Vec<_> = view
            .readiness
            .steps
            .iter()
            .flat_map(|s| &s.issues)
            .map(|i| i.field_id.as_str())
            .collect();
        assert!(!missing.contains(&"connector") && missing.contains(&"consent_agreement"));
    }
    // Replacing leaves only the newest image (and its thumbnail) on disk.
    assert_eq!(blobs(dir.path()).len(), 2);
}

#[test]
fn each_wrong_file_is_refused_with_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "ukg-pro");
    let png = picture(ImageFormat::Png);

    assert_eq!(
        refusal(&mut onramp, &view, "notes.txt", b"service account: sa-lms"),
        "“notes.txt” was not attached: it is a text file; attach a PNG, JPEG, WebP or GIF image"
    );
    assert_eq!(
        refusal(
            &mut onramp,
            &view,
            "consent.pdf",
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"
        ),
        "“consent.pdf” was not attached: it is a PDF document; attach a PNG, JPEG, WebP or GIF image"
    );
    assert_eq!(
        refusal(
            &mut onramp,
            &view,
            "screen.bmp",
            b"BM\x8a\x00\x00\x00\x00\x00\x00\x00\x8a\x00\x00\x00"
        ),
        "“screen.bmp” was not attached: it is a BMP image, which Onramp does not accept; attach a PNG, JPEG, WebP or GIF image"
    );
    let truncated = refusal(&mut onramp, &view, "cut.png", &png[..png.len() / 2]);
    assert!(
        truncated.starts_with("“cut.png” was not attached: it is damaged or truncated"),
        "{truncated}"
    );

    let mut huge = png.clone();
    huge.resize(25 * 1024 * 1024 + 1, 0);
    assert_eq!(
        refusal(&mut onramp, &view, "huge.png", &huge),
        "“huge.png” was not attached: it is 25.0 MB, and screenshots may be at most 25 MB"
    );
    // A 20000 × 20000 GIF header: refused from the header, before any decoding.
    let mut bomb = b"GIF89a".to_vec();
    bomb.extend_from_slice(&20000u16.to_le_bytes());
    bomb.extend_from_slice(&20000u16.to_le_bytes());
    bomb.extend_from_slice(&[
        0, 0, 0, 0x2c, 0, 0, 0, 0, 0x20, 0x4e, 0x20, 0x4e, 0, 2, 2, 0x44, 0x01, 0, 0x3b,
    ]);
    assert_eq!(
        refusal(&mut onramp, &view, "bomb.gif", &bomb),
        "“bomb.gif” was not attached: it is 20000 × 20000 pixels (400 megapixels), and screenshots may be at most 50 megapixels"
    );
    assert!(blobs(dir.path()).is_empty());
    assert!(
        onramp
            .open_draft(view.draft.id)
            .unwrap()
            .screenshots
            .is_empty()
    );
}

#[test]
fn the_stored_copy_has_no_metadata_and_is_named_by_its_hash_not_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "ukg-pro");
    // A JPEG with an EXIF segment carrying a GPS position, right after the start marker.
    let jpeg = picture(ImageFormat::Jpeg);
    let exif = b"Exif\0\0MM\0*\0\0\0\x08GPSLatitude 40.7128 N GPSLongitude 74.0060 W";
    let mut tagged = jpeg[..2].to_vec();
    tagged.extend_from_slice(&[0xff, 0xe1]);
    tagged.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    tagged.extend_from_slice(exif);
    tagged.extend_from_slice(&jpeg[2..]);

    let view = onramp
        .attach_screenshot(&slot(&view, "connector"), "../../etc/passwd.jpg", &tagged)
        .unwrap();
    let shot = &view.screenshots[0];
    assert_eq!(shot.file_name, "../../etc/passwd.jpg");
    assert_eq!(
        blobs(dir.path()),
        [
            format!("{}.png", shot.sha256),
            format!("{}.thumb.png", shot.sha256)
        ]
    );
    let stored = std::fs::read(
        dir.path()
            .join("blobs")
            .join(format!("{}.png", shot.sha256)),
    )
    .unwrap();
    assert!(stored.starts_with(b"\x89PNG"));
    let contains = |needle: &[u8]| stored.windows(needle.len()).any(|w| w == needle);
    assert!(!contains(b"Exif") && !contains(b"GPSLatitude"));
    assert_eq!(
        onramp.screenshot_png(&slot(&view, "connector")).unwrap(),
        stored
    );
}

#[test]
fn the_same_image_twice_is_stored_once_and_removing_one_keeps_the_other() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "ukg-pro");
    let png = picture(ImageFormat::Png);
    onramp
        .attach_screenshot(&slot(&view, "connector"), "a.png", &png)
        .unwrap();
    let both = onramp
        .attach_screenshot(&slot(&view, "consent_agreement"), "b.png", &png)
        .unwrap();
    assert_eq!(both.screenshots[0].sha256, both.screenshots[1].sha256);
    assert_eq!(blobs(dir.path()).len(), 2);

    let one = onramp.remove_screenshot(&slot(&view, "connector")).unwrap();
    assert_eq!(one.screenshots.len(), 1);
    assert_eq!(blobs(dir.path()).len(), 2);
    onramp
        .remove_screenshot(&slot(&view, "consent_agreement"))
        .unwrap();
    assert!(blobs(dir.path()).is_empty());

    let events: Vec<_> = onramp
        .history(view.draft.id)
        .unwrap()
        .iter()
        .map(|h| h.event)
        .collect();
    assert_eq!(
        events.iter().filter(|e| **e == Event::Screenshot).count(),
        4
    );
}

#[test]
fn a_slot_the_provider_does_not_ask_for_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "ukg-pro");
    let err = onramp
        .attach_screenshot(&slot(&view, "selfie"), "me.png", &picture(ImageFormat::Png))
        .unwrap_err();
    assert_eq!(err.to_string(), "UKG Pro asks for no screenshot `selfie`");
}

#[test]
fn pixels_pasted_from_the_clipboard_become_a_png_screenshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut onramp = open(dir.path(), &ManualClock::new());
    let view = create(&mut onramp, "ukg-pro");
    let (width, height) = (200, 120);
    let rgba: Vec<u8> = (0..width * height)
        .flat_map(|i| [u8::try_from(i % 251).unwrap(), 40, 200, 255])
        .collect();
    let pasted = onramp
        .attach_screenshot_rgba(&slot(&view, "connector"), width, height, rgba.clone())
        .unwrap();
    let shot = &pasted.screenshots[0];
    assert_eq!(shot.file_name, "Pasted screenshot.png");
    assert_eq!((shot.width, shot.height), (width, height));
    let stored =
        image::load_from_memory(&onramp.screenshot_png(&slot(&view, "connector")).unwrap())
            .unwrap();
    assert_eq!(stored.to_rgba8().into_raw(), rgba);

    let err = onramp
        .attach_screenshot_rgba(&slot(&view, "consent_agreement"), width, height + 1, rgba)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the pasted image was not attached: the clipboard's pixels do not match its size"
    );
}

/// A 3840 × 2160 picture of noise: slow to decode and re-encode, as a large real screenshot is.
fn large_picture() -> Vec<u8> {
    let img = image::RgbImage::from_fn(3840, 2160, |x, y| {
        let h = x.wrapping_mul(0x9E37_79B9) ^ y.wrapping_mul(0x85EB_CA6B);
        let [a, b, c, _] = h.to_le_bytes();
        image::Rgb([a, b, c])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

#[test]
fn other_commands_answer_while_a_large_screenshot_is_cleaned() {
    use std::sync::atomic::{AtomicBool, Ordering};

    let dir = tempfile::tempdir().unwrap();
    let shared = Shared::new(open(dir.path(), &ManualClock::new()));
    let view = create(&mut shared.lock(), "gusto");
    let big = large_picture();
    let attached = AtomicBool::new(false);
    let answered = std::thread::scope(|s| {
        s.spawn(|| {
            shared
                .attach_screenshot(&slot(&view, "connector"), "big.png", &big)
                .unwrap();
            attached.store(true, Ordering::SeqCst);
        });
        // The window's other commands meanwhile: opening the draft, listing the home.
        let mut answered = 0_u32;
        while !attached.load(Ordering::SeqCst) {
            shared.lock().open_draft(view.draft.id).unwrap();
            answered += 1;
        }
        answered
    });
    // Holding the lock while decoding and re-encoding would let one or two through at most.
    assert!(
        answered >= 10,
        "only {answered} other commands were answered during the ingest"
    );
    let stored = shared.lock().open_draft(view.draft.id).unwrap();
    assert_eq!(stored.screenshots.len(), 1);
    assert_eq!(
        (stored.screenshots[0].width, stored.screenshots[0].height),
        (3840, 2160)
    );
}

/// Files picked from disk that are too big are refused unread, with their real size (a 60 MB
/// file used to be "25.0 MB", or "1024 KB" as metadata: the size of what had been read).
#[test]
fn a_file_too_big_to_read_is_refused_with_its_real_size() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new();
    let mut onramp = open(dir.path(), &clock);
    let files = tempfile::tempdir().unwrap();
    let sixty = files.path().join("sixty.png");
    // Sparse: the file system says 60 MB without 60 MB being written.
    std::fs::File::create(&sixty)
        .unwrap()
        .set_len(60 * 1024 * 1024)
        .unwrap();

    let hris = create(&mut onramp, "ukg-pro");
    let err = onramp
        .attach_screenshot_file(&slot(&hris, "connector"), &sixty)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "“sixty.png” was not attached: it is 60.0 MB, and screenshots may be at most 25 MB"
    );

    let sso = create(&mut onramp, "okta");
    let err = onramp
        .metadata_from_file(sso.draft.id, &sixty)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("This file is 60.0 MB; SAML metadata is a few KB."),
        "{err}"
    );

    let huge = files.path().join("huge.zip");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(500 * 1024 * 1024)
        .unwrap();
    let err = onramp.import_bundle_file(&huge).unwrap_err().to_string();
    assert!(
        err.contains("it is 500.0 MB, more than a draft bundle ever is (at most"),
        "{err}"
    );
}
