//! The Linux packages, built by Tauri's bundler from an app binary cargo already built. The .deb
//! is checked the way a user meets it — installed with apt, opened from the installed binary,
//! removed again; the .rpm, which this Debian machine cannot install, by what it holds and needs.

use std::path::{Path, PathBuf};

use crate::e2e::{self, Programs};
use crate::process::Cmd;
use crate::{Result, binary, root, setup, target_dir};

/// The package name Tauri's bundler gives the .deb (from `productName`).
const PACKAGE: &str = "onramp";
/// The installed app.
const APP: &str = "/usr/bin/onramp-app";
/// What the package puts on the machine.
const INSTALLED: [&str; 3] = [
    APP,
    "/usr/share/applications/Onramp.desktop",
    "/usr/share/icons/hicolor/128x128/apps/onramp-app.png",
];

/// Packages the app binary of the release (or debug) build; returns the .deb's path.
pub fn bundle(release: bool) -> Result<PathBuf> {
    package("deb", release)
}

/// The same, as an .rpm.
pub fn rpm(release: bool) -> Result<PathBuf> {
    package("rpm", release)
}

fn package(kind: &str, release: bool) -> Result<PathBuf> {
    let profile = if release { "release" } else { "debug" };
    let out = target_dir().join(profile).join("bundle").join(kind);
    // A package left from another version must not be mistaken for this one.
    let _ = std::fs::remove_dir_all(&out);
    let mut cmd = Cmd::new(root().join("ui/node_modules/.bin/tauri"))
        .args(["bundle", "--bundles", kind, "--ci"])
        .dir(&root().join("src-tauri"));
    if !release {
        cmd = cmd.arg("--debug");
    }
    cmd.run()?;
    let found: Vec<PathBuf> = std::fs::read_dir(&out)
        .map_err(|e| format!("the bundler left no folder {}: {e}", out.display()))?
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == kind))
        .collect();
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(format!(
            "expected one .{kind} in {}, found {}",
            out.display(),
            found.len()
        )),
    }
}

/// What the .rpm holds (`rpm -qlp`) and needs (`rpm -qpR`): the files the .deb installs, and
/// the WebKitGTK and GTK libraries the app links.
pub fn check_rpm(rpm: &Path) -> Result {
    setup::debian_packages(&["rpm"])?;
    let files = Cmd::new("rpm").arg("-qlp").arg(rpm).stdout()?;
    if let Some(missing) = INSTALLED.iter().find(|f| !files.lines().any(|l| l == **f)) {
        return Err(format!(
            "{} does not hold {missing}:\n{files}",
            rpm.display()
        ));
    }
    let needs = Cmd::new("rpm").arg("-qpR").arg(rpm).stdout()?;
    for library in ["libwebkit2gtk-4.1.so.0", "libgtk-3.so.0"] {
        if !needs.contains(library) {
            return Err(format!(
                "{} does not ask for {library}:\n{needs}",
                rpm.display()
            ));
        }
    }
    println!(
        "The .rpm holds {} and asks for WebKitGTK 4.1 and GTK 3.",
        INSTALLED.join(", ")
    );
    Ok(())
}

/// Installs `deb`, opens the installed app under Xvfb and checks it shows the drafts home,
/// then removes the package — also when the check failed.
pub fn check(deb: &Path) -> Result {
    if setup::installed(PACKAGE) {
        return Err(format!(
            "the `{PACKAGE}` package is already installed on this machine, and this check would \
             replace it and then remove it; remove it first:\n    sudo apt-get remove {PACKAGE}"
        ));
    }
    let deb = deb
        .canonicalize()
        .map_err(|e| format!("{}: {e}", deb.display()))?;
    // apt (not dpkg) so the dependencies the package declares are installed too.
    setup::apt_get(&["install", "-y", "-qq", &deb.display().to_string()])?;
    let opened = installed_files().and_then(|()| {
        e2e::run(
            &Programs {
                app: APP.into(),
                cli: binary("onramp", false),
                fake_jira: binary("fake-jira", false),
            },
            &root().join("tests/e2e/installed"),
            None,
        )
    });
    let removed = setup::apt_get(&["remove", "--purge", "-y", "-qq", PACKAGE]);
    opened?;
    removed?;
    if let Some(left) = INSTALLED.iter().find(|f| Path::new(f).exists()) {
        return Err(format!("{left} is still there after removing the package"));
    }
    println!("The .deb installed, opened its window on the drafts home, and was removed.");
    Ok(())
}

fn installed_files() -> Result {
    match INSTALLED.iter().find(|f| !Path::new(f).exists()) {
        Some(missing) => Err(format!("the installed package has no {missing}")),
        None => Ok(()),
    }
}
