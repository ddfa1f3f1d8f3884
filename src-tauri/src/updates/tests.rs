//! The updater as the app configures it (tauri.conf.json's `plugins.updater`, with only the key
//! swapped for one these tests sign with), against feeds served over loopback.

use std::net::SocketAddr;

use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use base64::Engine as _;
use tauri::test::{MockRuntime, mock_builder, mock_context, noop_assets};

use super::*;

/// A key pair, as `tauri signer generate` makes one.
struct Signer {
    public: minisign::PublicKey,
    secret: minisign::SecretKey,
}

impl Signer {
    fn new() -> Self {
        let pair = minisign::KeyPair::generate_unencrypted_keypair().unwrap();
        Self {
            public: pair.pk,
            secret: pair.sk,
        }
    }

    /// The public key as tauri.conf.json holds it: the key file, base64-encoded.
    fn pubkey(&self) -> String {
        base64(&self.public.to_box().unwrap().to_string())
    }

    /// `bytes`' signature as the `.sig` file `tauri build` writes for `version`, base64-encoded.
    fn sign(&self, bytes: &[u8], version: &str) -> String {
        self.sign_with_comment(
            bytes,
            &format!("timestamp:1767225600\tfile:Onramp_{version}.deb\tversion:{version}"),
        )
    }

    fn sign_with_comment(&self, bytes: &[u8], trusted: &str) -> String {
        let signature = minisign::sign(
            Some(&self.public),
            &self.secret,
            bytes,
            Some(trusted),
            Some("signature from tauri secret key"),
        )
        .unwrap();
        base64(&signature.to_string())
    }
}

fn base64(text: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(text)
}

/// The Onramp the tests update, trusting `signer`'s key and nothing else.
fn app(signer: &Signer) -> tauri::App<MockRuntime> {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    let mut updater = conf["plugins"]["updater"].clone();
    updater["pubkey"] = signer.pubkey().into();
    let mut context = mock_context(noop_assets());
    context
        .config_mut()
        .plugins
        .0
        .insert("updater".into(), updater);
    mock_builder()
        .plugin(tauri_plugin_updater::Builder::new().build())
        .build(context)
        .unwrap()
}

/// A release for every platform the updater may look up, as the release workflow's
/// `latest.json` lists them.
fn feed_json(version: &str, package: &str, signature: &str) -> serde_json::Value {
    let platform = serde_json::json!({"url": package, "signature": signature});
    let platforms: serde_json::Map<String, serde_json::Value> = [
        "linux-x86_64",
        "linux-aarch64",
        "darwin-x86_64",
        "darwin-aarch64",
        "windows-x86_64",
    ]
    .into_iter()
    .map(|p| (p.to_owned(), platform.clone()))
    .collect();
    serde_json::json!({
        "version": version,
        "notes": "What changed",
        "pub_date": "2026-12-01T12:00:00Z",
        "platforms": platforms,
    })
}

/// Serves `feed` at `/latest.json` (204 when `None`) and `package` at `/package`, on loopback.
async fn serve(feed: Option<serde_json::Value>, package: Vec<u8>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = Router::new()
        .route(
            "/latest.json",
            get(move || async move {
                match feed {
                    Some(json) => axum::Json(json).into_response(),
                    None => StatusCode::NO_CONTENT.into_response(),
                }
            }),
        )
        .route(
            "/package",
            get(move || async move { Response::new(axum::body::Body::from(package)) }),
        );
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    address
}

/// A version `minor` minor releases away from the app's own (negative: older).
fn version_from(current: &semver::Version, minor: i64) -> String {
    let minor = u64::try_from(i64::try_from(current.minor).unwrap() + minor).unwrap();
    format!("{}.{minor}.0", current.major)
}

struct Case {
    signer: Signer,
    app: tauri::App<MockRuntime>,
    package: Vec<u8>,
}

impl Case {
    fn new() -> Self {
        let signer = Signer::new();
        let app = app(&signer);
        Self {
            signer,
            app,
            package: b"!<arch>\nthe next Onramp".repeat(10_000),
        }
    }

    fn current(&self) -> semver::Version {
        self.app.package_info().version.clone()
    }

    /// Serves a feed announcing `announced`, pointing at `served` signed for `signed_as`.
    async fn feed(&self, announced: &str, signed_as: &str, served: Vec<u8>) -> String {
        serve_feed(
            announced,
            &self.signer.sign(&self.package, signed_as),
            served,
        )
        .await
    }

    /// The refusal a check then a download of `feed`'s offer ends in.
    async fn refused(&self, feed: &str) -> Refusal {
        let (_, update) = check(self.app.handle(), feed).await;
        download(feed, &update.expect("an offer"), |_| {})
            .await
            .unwrap_err()
    }
}

/// Serves a feed announcing `version`, pointing at `package` with `signature`; its URL.
async fn serve_feed(version: &str, signature: &str, package: Vec<u8>) -> String {
    let address = serve(None, package).await;
    let json = feed_json(version, &format!("http://{address}/package"), signature);
    format!("http://{}/latest.json", serve(Some(json), Vec::new()).await)
}

#[tokio::test]
async fn a_newer_signed_release_is_offered_then_downloaded_whole_and_verified() {
    let case = Case::new();
    let next = version_from(&case.current(), 1);
    let feed = case.feed(&next, &next, case.package.clone()).await;

    let (status, update) = check(case.app.handle(), &feed).await;
    assert_eq!(
        status,
        UpdateStatus::Available {
            current: case.current().to_string(),
            version: next.clone(),
            notes: Some("What changed".into()),
            feed: feed.clone(),
        }
    );
    let update = update.expect("the release to install");

    let mut ticks = Vec::new();
    let bytes = download(&feed, &update, |p| ticks.push(p)).await.unwrap();
    assert_eq!(bytes, case.package);
    let last = ticks.last().expect("progress was reported");
    assert_eq!(last.received, case.package.len() as u64);
    assert!(ticks.len() > 1, "one tick per 64 KiB: {ticks:?}");
}

/// What `install_update` does once the CSM agrees, on a Linux install the updater replaces in
/// place (an `AppImage`; a `.deb` or `.rpm` goes to the package tool, which asks for an
/// administrator): the verified release takes the executable's place, keeping its permissions,
/// and a package that fails the signature check leaves it as it was. The restart that follows
/// is Tauri's.
#[cfg(target_os = "linux")]
#[tokio::test]
async fn a_verified_release_is_installed_over_onramp_and_a_tampered_one_changes_nothing() {
    use std::os::unix::fs::PermissionsExt;

    let case = Case::new();
    // An ELF executable, as AppImages are.
    let release = [
        b"\x7fELF\x02\x01\x01".as_slice(),
        &b"the next Onramp".repeat(10_000),
    ]
    .concat();
    let next = version_from(&case.current(), 1);
    let feed = serve_feed(&next, &case.signer.sign(&release, &next), release.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let onramp = dir.path().join("Onramp.AppImage");
    let running = [
        b"\x7fELF\x02\x01\x01".as_slice(),
        &b"this Onramp".repeat(100),
    ]
    .concat();
    std::fs::write(&onramp, &running).unwrap();
    std::fs::set_permissions(&onramp, std::fs::Permissions::from_mode(0o750)).unwrap();
    let (status, update) =
        check_with(case.app.handle(), &feed, |u| u.executable_path(&onramp)).await;
    assert!(
        matches!(status, UpdateStatus::Available { .. }),
        "{status:?}"
    );
    let update = update.expect("the release to install");
    let bytes = download(&feed, &update, |_| {}).await.unwrap();

    let mut tampered = bytes.clone();
    tampered[200] ^= 1;
    let refused = install(&feed, &update, &tampered).unwrap_err();
    assert!(
        matches!(refused, Refusal::BadSignature { .. }),
        "{refused:?}"
    );
    assert_eq!(std::fs::read(&onramp).unwrap(), running);

    install(&feed, &update, &bytes).unwrap();
    assert_eq!(std::fs::read(&onramp).unwrap(), release);
    let mode = std::fs::metadata(&onramp).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o750);
}

#[tokio::test]
async fn a_package_changed_after_it_was_signed_is_refused() {
    let case = Case::new();
    let next = version_from(&case.current(), 1);
    let mut tampered = case.package.clone();
    tampered[100] ^= 1;
    let feed = case.feed(&next, &next, tampered).await;

    let refused = case.refused(&feed).await;
    assert!(
        matches!(refused, Refusal::BadSignature { .. }),
        "{refused:?}"
    );
    assert!(
        refused
            .to_string()
            .contains("is not signed with the key built into this Onramp, so it was not installed"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_package_signed_with_another_key_is_refused() {
    let case = Case::new();
    let next = version_from(&case.current(), 1);
    let other = Signer::new();
    let feed = serve_feed(
        &next,
        &other.sign(&case.package, &next),
        case.package.clone(),
    )
    .await;

    let refused = case.refused(&feed).await;
    assert!(
        matches!(refused, Refusal::BadSignature { .. }),
        "{refused:?}"
    );
}

#[tokio::test]
async fn an_older_release_is_refused_with_a_message_and_nothing_to_install() {
    let case = Case::new();
    let older = version_from(&case.current(), -1);
    let feed = case.feed(&older, &older, case.package.clone()).await;

    let (status, update) = check(case.app.handle(), &feed).await;
    assert!(update.is_none());
    let UpdateStatus::Refused { message, .. } = status else {
        panic!("expected a refusal, got {status:?}");
    };
    assert!(
        message.contains(&format!("offers Onramp {older}, older than this Onramp")),
        "{message}"
    );
}

#[tokio::test]
async fn an_old_genuine_package_passed_off_as_a_new_version_is_refused() {
    let case = Case::new();
    let next = version_from(&case.current(), 1);
    let older = version_from(&case.current(), -1);
    let feed = case.feed(&next, &older, case.package.clone()).await;

    let refused = case.refused(&feed).await;
    assert_eq!(
        refused,
        Refusal::SignedForAnotherVersion {
            feed,
            announced: next,
            signed: older,
        }
    );
}

#[tokio::test]
async fn a_package_signed_without_naming_its_version_is_refused() {
    // What `tauri signer sign` without `--app-version` makes, as older Tauri CLIs did: any old
    // release's signature would pass, so requireSignedVersion refuses it.
    let case = Case::new();
    let next = version_from(&case.current(), 1);
    let unversioned = case
        .signer
        .sign_with_comment(&case.package, "timestamp:1767225600\tfile:Onramp.deb");
    let feed = serve_feed(&next, &unversioned, case.package.clone()).await;

    let refused = case.refused(&feed).await;
    assert!(
        matches!(refused, Refusal::BadSignature { .. }),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_feed_with_nothing_new_leaves_onramp_up_to_date() {
    let case = Case::new();
    let current = case.current().to_string();
    let same = case.feed(&current, &current, case.package.clone()).await;
    let empty = format!("http://{}/latest.json", serve(None, Vec::new()).await);

    for feed in [same, empty] {
        let (status, update) = check(case.app.handle(), &feed).await;
        assert!(
            matches!(status, UpdateStatus::UpToDate { .. }),
            "{feed}: {status:?}"
        );
        assert!(update.is_none());
    }
}

#[tokio::test]
async fn a_feed_out_of_reach_or_missing_or_not_json_says_which() {
    let case = Case::new();
    // Bound then closed: nothing listens there.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let (status, _) = check(case.app.handle(), &format!("http://{closed}/latest.json")).await;
    let UpdateStatus::Unreachable { message, .. } = status else {
        panic!("expected unreachable, got {status:?}");
    };
    assert!(message.contains("could not be reached"), "{message}");

    let address = serve(None, b"not json".to_vec()).await;
    let (status, _) = check(case.app.handle(), &format!("http://{address}/missing.json")).await;
    let UpdateStatus::Refused { message, .. } = status else {
        panic!("expected a refusal, got {status:?}");
    };
    assert!(
        message.contains("there is no update file at that address"),
        "{message}"
    );

    let (status, _) = check(case.app.handle(), &format!("http://{address}/package")).await;
    let UpdateStatus::Refused { message, .. } = status else {
        panic!("expected a refusal, got {status:?}");
    };
    assert!(message.contains("it is not JSON"), "{message}");
}

#[test]
fn the_key_built_into_onramp_is_a_minisign_public_key() {
    let conf: serde_json::Value =
        serde_json::from_str(include_str!("../../tauri.conf.json")).unwrap();
    let updater = &conf["plugins"]["updater"];
    assert_eq!(updater["requireSignedVersion"], true);
    let encoded = updater["pubkey"].as_str().unwrap();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .unwrap();
    minisign::PublicKeyBox::from_string(std::str::from_utf8(&decoded).unwrap())
        .unwrap()
        .into_public_key()
        .unwrap();
}
