//! Installs what this machine is missing, and skips whatever is already there.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::process::Cmd;
use crate::{Result, root};

/// What a Tauri 2 app with WebKitGTK needs to compile and link on Debian 12.
pub const BUILD_PACKAGES: &[&str] = &[
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "librsvg2-dev",
    "libayatana-appindicator3-dev",
    "libssl-dev",
    "pkg-config",
];

/// What the tests need: a virtual display, `WebKitWebDriver`, tools that play the desktop's
/// part: its session bus (`dbus-daemon`, watched with `dbus-monitor`), its theme (`xsettingsd`),
/// its clipboard (`xclip`) and opening links (`xdg-open`); and Python, whose `email` module and
/// `icalendar` package read the exported files independently of Onramp's own code.
pub const TEST_PACKAGES: &[&str] = &[
    "python3",
    "python3-venv",
    "xvfb",
    "xauth",
    "webkit2gtk-driver",
    "dbus-daemon",
    "dbus-bin",
    "xsettingsd",
    "xclip",
    "xdg-utils",
    // Makes the certificates the e2e tests put in SAML metadata.
    "openssl",
];

/// The `icalendar` release the file checks (tests/parsers/inspect.py) are written against.
const ICALENDAR_VERSION: &str = "7.3.2";

/// The Python that runs tests/parsers/inspect.py: a venv under target/ with `icalendar`.
pub fn python() -> PathBuf {
    root().join("target/python/bin/python")
}

/// Creates the venv with `icalendar` unless it is already there.
pub fn python_parsers() -> Result {
    let python = python();
    let check =
        format!("import icalendar, sys; sys.exit(icalendar.__version__ != '{ICALENDAR_VERSION}')");
    if Cmd::new(&python).args(["-c", &check]).output().is_some() {
        println!("Python's icalendar {ICALENDAR_VERSION} is installed");
        return Ok(());
    }
    venv(
        &root().join("target/python"),
        &[format!("icalendar=={ICALENDAR_VERSION}")],
    )
}

/// A fresh virtual environment at `dir` with `packages` (pip requirements) installed.
pub fn venv(dir: &Path, packages: &[String]) -> Result {
    // Debian's own Python when there is one, whatever else PATH puts first.
    let system = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| Cmd::new(p).arg("--version").output().is_some())
        .ok_or("Python 3 is missing: install python3 and python3-venv")?;
    Cmd::new(system)
        .args(["-m", "venv", "--clear"])
        .arg(dir)
        .run()?;
    Cmd::new(dir.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(packages)
        .run()
}

/// The tauri-driver release the e2e harness is written against.
const TAURI_DRIVER_VERSION: &str = "2.1.0";

pub fn installed(package: &str) -> bool {
    Cmd::new("dpkg-query")
        .args(["--show", "--showformat=${db:Status-Abbrev}", package])
        .output()
        .is_some_and(|s| s.starts_with("ii"))
}

fn is_root() -> bool {
    Cmd::new("id")
        .arg("-u")
        .output()
        .is_some_and(|s| s.trim() == "0")
}

fn can_sudo() -> bool {
    Cmd::new("sudo").args(["-n", "true"]).output().is_some()
}

/// What building the app and driving its window under Xvfb need: the Debian and npm packages,
/// tauri-driver, and the built UI.
pub fn to_drive_the_window() -> Result {
    debian_packages(BUILD_PACKAGES)?;
    debian_packages(TEST_PACKAGES)?;
    npm_packages(&root().join("ui"))?;
    npm_packages(&root().join("tests/e2e"))?;
    tauri_driver()?;
    ui_dist()
}

/// Runs `apt-get` as root: directly when this is root, else through `sudo -n`.
pub fn apt_get(args: &[&str]) -> Result {
    let prefix: &[&str] = if is_root() {
        &[]
    } else if can_sudo() {
        &["sudo", "-n"]
    } else {
        return Err("apt-get needs root, and `sudo -n` is not allowed here".to_owned());
    };
    let (program, rest) = match prefix.split_first() {
        Some((sudo, sudo_args)) => (*sudo, [sudo_args, &["apt-get"], args].concat()),
        None => ("apt-get", args.to_vec()),
    };
    Cmd::new(program)
        .args(rest)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .run()
}

/// Installs the Debian packages from `packages` that are not installed yet.
pub fn debian_packages(packages: &[&str]) -> Result {
    if Cmd::new("dpkg-query").arg("--version").output().is_none() {
        println!(
            "Not a Debian-based system: make sure these are installed: {}",
            packages.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        println!("Debian packages already installed: {}", packages.join(" "));
        return Ok(());
    }
    let apt = |args: &[&str]| {
        apt_get(args).map_err(|e| {
            format!(
                "{e}\nthese Debian packages are missing:\n    sudo apt-get install -y {}",
                missing.join(" ")
            )
        })
    };
    apt(&["update", "-qq"])?;
    apt(&[
        &["install", "-y", "-qq", "--no-install-recommends"],
        missing.as_slice(),
    ]
    .concat())
}

fn modified(path: &Path) -> Option<SystemTime> {
    path.metadata().and_then(|m| m.modified()).ok()
}

/// `npm ci` in `dir` unless `node_modules` already matches `package-lock.json`.
pub fn npm_packages(dir: &Path) -> Result {
    let lock = dir.join("package-lock.json");
    // npm writes this copy of the lock file after every successful install.
    let installed_lock = dir.join("node_modules/.package-lock.json");
    let fresh =
        matches!((modified(&lock), modified(&installed_lock)), (Some(l), Some(i)) if i >= l);
    if fresh {
        println!("npm packages in {} are up to date", rel(dir));
        return Ok(());
    }
    Cmd::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .dir(dir)
        .run()
}

/// Installs tauri-driver with cargo unless it is already on PATH or in cargo's bin folder.
pub fn tauri_driver() -> Result {
    if tauri_driver_path().is_some() {
        println!("tauri-driver is installed");
        return Ok(());
    }
    Cmd::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "install",
            "tauri-driver",
            "--locked",
            "--version",
            TAURI_DRIVER_VERSION,
        ])
        .run()
}

pub fn tauri_driver_path() -> Option<PathBuf> {
    let cargo_bin = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .map(|c| c.join("bin"));
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .chain(cargo_bin)
        .map(|dir| dir.join("tauri-driver"))
        .find(|p| p.is_file())
}

/// Builds the UI into ui/dist unless it is newer than every UI source file.
pub fn ui_dist() -> Result {
    let ui = root().join("ui");
    let built = modified(&ui.join("dist/index.html"));
    let sources = [
        "src",
        "index.html",
        "package-lock.json",
        "vite.config.ts",
        "svelte.config.js",
    ]
    .iter()
    .filter_map(|p| newest(&ui.join(p)))
    .max();
    if let (Some(built), Some(sources)) = (built, sources)
        && built >= sources
    {
        println!("ui/dist is up to date");
        return Ok(());
    }
    Cmd::npm(&ui, "build").run()
}

/// The newest modification time of `path` or anything below it.
fn newest(path: &Path) -> Option<SystemTime> {
    let own = modified(path);
    let Ok(entries) = std::fs::read_dir(path) else {
        return own;
    };
    entries
        .filter_map(std::result::Result::ok)
        .filter_map(|e| newest(&e.path()))
        .chain(own)
        .max()
}

fn rel(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}
