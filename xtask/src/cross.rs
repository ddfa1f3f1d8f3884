//! `cargo xtask cross`: Onramp for Windows and macOS, checked from this Linux machine as far as
//! a Linux machine can. Both targets are type-checked with clippy (macOS with zig compiling the
//! C in SQLite and the TLS stack; nothing links for macOS, as that needs Apple's SDK), and the
//! core's, the images' and the CLI's tests are built for Windows and run under Wine. Then the
//! Windows app and CLI are packed into the per-user installer (src-tauri/windows/installer.nsi),
//! which is installed silently under Wine, checked and uninstalled.

use std::path::PathBuf;

use crate::process::Cmd;
use crate::{Result, cargo, root, setup, target_dir};

const WINDOWS: &str = "x86_64-pc-windows-gnu";
const MACOS: &str = "aarch64-apple-darwin";

/// This machine's own tools, which need Xvfb, WebKitGTK and /proc: not built for other OSes.
const LINUX_TOOLS: [&str; 2] = ["xtask", "bare-window"];

/// The crates whose tests run under Wine. The window's own tests need Microsoft's web view,
/// which Wine lacks.
const TESTED_UNDER_WINE: [&str; 3] = ["onramp-core", "onramp-images", "onramp-cli"];

/// Mingw compiles the C in the Windows build; Wine runs its tests; NSIS makes the installer;
/// zig comes from `PyPI` into a venv.
const PACKAGES: &[&str] = &[
    "gcc-mingw-w64-x86-64",
    "wine",
    "wine64",
    "nsis",
    "python3-venv",
];

/// The zig that compiles C for macOS, and cargo's wrapper for it, both from `PyPI`.
const ZIGLANG_VERSION: &str = "0.17.1";
const CARGO_ZIGBUILD_VERSION: &str = "0.24.1";

/// Everything `cargo xtask cross` does, in order.
/// With `release`, the installer holds the optimised build, packed as it ships (LZMA).
pub fn run(release: bool) -> Result {
    setup()?;
    check_windows()?;
    check_macos()?;
    test_windows()?;
    installer(release)
}

/// Installs what is missing: the two Rust targets, mingw, Wine and NSIS, zig in a venv, and the
/// built UI.
pub fn setup() -> Result {
    let installed = Cmd::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .unwrap_or_default();
    for target in [WINDOWS, MACOS] {
        if !installed.lines().any(|l| l.trim() == target) {
            Cmd::new("rustup").args(["target", "add", target]).run()?;
        }
    }
    setup::debian_packages(PACKAGES)?;
    // The app's build script embeds the built UI, on every target.
    setup::npm_packages(&root().join("ui"))?;
    setup::ui_dist()?;
    zig()
}

fn tools() -> PathBuf {
    target_dir().join("cross")
}

/// A venv under target/cross with zig and cargo-zigbuild, unless it has them already.
fn zig() -> Result {
    let venv = tools().join("venv");
    let wrapper = venv.join("bin/cargo-zigbuild");
    let version = Cmd::new(&wrapper).arg("--version").output();
    if version.is_some_and(|v| v.contains(CARGO_ZIGBUILD_VERSION)) {
        println!("cargo-zigbuild {CARGO_ZIGBUILD_VERSION} is installed");
        return Ok(());
    }
    setup::venv(
        &venv,
        &[
            format!("ziglang=={ZIGLANG_VERSION}"),
            format!("cargo-zigbuild=={CARGO_ZIGBUILD_VERSION}"),
        ],
    )
}

/// `clippy` over the product for `target`, warnings as errors, as CI does for Linux.
fn clippy(tool: Cmd, target: &str) -> Cmd {
    let mut cmd = tool.args(["clippy", "--workspace", "--all-targets", "--locked"]);
    for package in LINUX_TOOLS {
        cmd = cmd.args(["--exclude", package]);
    }
    cmd.args(["--target", target, "--", "-D", "warnings"])
}

pub fn check_windows() -> Result {
    clippy(cargo(), WINDOWS).run()
}

/// Through cargo-zigbuild, which makes zig the C compiler for build scripts. The venv's bin comes
/// first on PATH, so the wrapper finds its zig (`python3 -m ziglang`) there.
pub fn check_macos() -> Result {
    let bin = tools().join("venv/bin");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let path =
        std::env::join_paths(std::iter::once(bin.clone()).chain(std::env::split_paths(&path)))
            .map_err(|e| e.to_string())?;
    clippy(Cmd::new(bin.join("cargo-zigbuild")), MACOS)
        .env("PATH", path)
        .run()
}

/// The Windows tests, each binary run by Wine in a prefix of its own under target/cross.
pub fn test_windows() -> Result {
    let prefix = wine_prefix()?;
    let mut cmd = cargo().args(["test", "--locked", "--target", WINDOWS]);
    for package in TESTED_UNDER_WINE {
        cmd = cmd.args(["--package", package]);
    }
    cmd.env("CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER", "wine")
        .envs(wine_env(&prefix))
        .run()
}

fn wine_env(prefix: &std::path::Path) -> [(&'static str, std::ffi::OsString); 3] {
    [
        ("WINEPREFIX", prefix.as_os_str().to_owned()),
        ("WINEDEBUG", "-all".into()),
        // No Mono or Gecko: nothing here needs .NET or a browser, and Wine would ask for them.
        ("WINEDLLOVERRIDES", "mscoree,mshtml=".into()),
    ]
}

/// A Wine prefix under target/cross, made once, with `bcryptprimitives.dll` where this Wine
/// lacks it (see xtask/wine/bcryptprimitives.c).
fn wine_prefix() -> Result<PathBuf> {
    let prefix = tools().join("wine");
    if !prefix.join("system.reg").is_file() {
        std::fs::create_dir_all(&prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
        Cmd::new("wineboot")
            .arg("--init")
            .envs(wine_env(&prefix))
            .run()?;
        // wineboot returns before the prefix is written out; the server's exit waits for it.
        Cmd::new("wineserver")
            .arg("--wait")
            .envs(wine_env(&prefix))
            .run()?;
    }
    let dll = prefix.join("drive_c/windows/system32/bcryptprimitives.dll");
    if !dll.is_file() {
        Cmd::new("x86_64-w64-mingw32-gcc")
            .args(["-O2", "-shared", "-o"])
            .arg(&dll)
            .arg(root().join("xtask/wine/bcryptprimitives.c"))
            .arg("-lbcrypt")
            .run()?;
    }
    Ok(prefix)
}

/// Where the installer puts Onramp for the user Wine runs as, and what it must leave there.
const INSTALLED: [&str; 4] = [
    "Onramp.exe",
    "WebView2Loader.dll",
    "bin/onramp.exe",
    "uninstall.exe",
];

/// Builds the Windows app and CLI — by default the debug build, as the .deb check packages,
/// stripped of its debug information and packed quickly; with `release`, the optimised build,
/// packed as it ships — makes the installer, installs it silently under Wine, checks what it put
/// where (the files, the Start menu shortcut, the entry Settings › Apps lists, a CLI that runs)
/// and uninstalls it, which must leave the CSM's data.
pub fn installer(release: bool) -> Result {
    let mut compile = cargo()
        .args(["build", "--locked", "--target", WINDOWS])
        .args(["--package", "onramp-app", "--package", "onramp-cli"]);
    if release {
        compile = compile.arg("--release");
    }
    compile.run()?;
    let built = target_dir()
        .join(WINDOWS)
        .join(if release { "release" } else { "debug" });
    let staged = tools().join("installer");
    std::fs::create_dir_all(&staged).map_err(|e| format!("{}: {e}", staged.display()))?;
    for exe in ["onramp-app.exe", "onramp.exe"] {
        Cmd::new("x86_64-w64-mingw32-strip")
            .arg("-o")
            .arg(staged.join(exe))
            .arg(built.join(exe))
            .run()?;
    }
    let version = env!("CARGO_PKG_VERSION");
    let installer = staged.join(format!("Onramp_{version}_x64-setup.exe"));
    let define = |name: &str, value: &std::path::Path| format!("-D{name}={}", value.display());
    let mut pack = Cmd::new("makensis").args(["-V2", &format!("-DVERSION={version}")]);
    if !release {
        pack = pack.arg("-DFAST");
    }
    pack.arg(define("OUT", &installer))
        .arg(define("APP", &staged.join("onramp-app.exe")))
        .arg(define("CLI", &staged.join("onramp.exe")))
        .arg(define("LOADER", &built.join("WebView2Loader.dll")))
        .arg(define("ICON", &root().join("assets/icons/icon.ico")))
        .arg(root().join("src-tauri/windows/installer.nsi"))
        .run()?;
    let size = std::fs::metadata(&installer)
        .map_err(|e| e.to_string())?
        .len();
    #[expect(clippy::cast_precision_loss, reason = "a size in MB, for people")]
    let megabytes = size as f64 / 1_000_000.0;
    println!("{}: {megabytes:.1} MB", installer.display());
    check_installer(&installer, version)
}

fn check_installer(installer: &std::path::Path, version: &str) -> Result {
    let prefix = wine_prefix()?;
    let wine = |program: &std::path::Path| Cmd::new("wine").arg(program).envs(wine_env(&prefix));
    // The uninstaller runs from a copy of itself in Temp: the server's exit waits for it too.
    let settle = || {
        Cmd::new("wineserver")
            .arg("--wait")
            .envs(wine_env(&prefix))
            .run()
    };
    let user = prefix.join("drive_c/users").join(wine_user(&prefix)?);
    let home = user.join("AppData/Local/Programs/Onramp");
    let shortcut = user.join("AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Onramp.lnk");
    let key = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Onramp";
    let listed = || {
        Cmd::new("wine")
            .args(["reg", "query", key, "/v", "DisplayVersion"])
            .envs(wine_env(&prefix))
            .output()
    };

    // A run that failed halfway leaves its install behind: it must not pass for this one.
    let _ = std::fs::remove_dir_all(&home);
    let _ = std::fs::remove_file(&shortcut);
    let _ = Cmd::new("wine")
        .args(["reg", "delete", key, "/f"])
        .envs(wine_env(&prefix))
        .output();

    wine(installer).arg("/S").run()?;
    settle()?;
    let missing: Vec<&str> = INSTALLED
        .into_iter()
        .filter(|f| !home.join(f).is_file())
        .collect();
    if !missing.is_empty() {
        return Err(format!("the installer left out {}", missing.join(", ")));
    }
    if !shortcut.is_file() {
        return Err(format!(
            "the installer made no shortcut {}",
            shortcut.display()
        ));
    }
    if !listed().is_some_and(|out| out.contains(version)) {
        return Err(format!("Settings › Apps does not list Onramp {version}"));
    }
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let cli = wine(&home.join("bin/onramp.exe"))
        .args(["drafts", "list"])
        .env("ONRAMP_DATA_DIR", data.path())
        .stdout()?;
    if !cli.contains("No drafts yet") || !data.path().join("onramp.db").is_file() {
        return Err(format!(
            "the installed onramp.exe did not list drafts: {cli}"
        ));
    }
    println!(
        "installed: {} ({} files), the shortcut, the Apps entry; the CLI runs",
        home.display(),
        INSTALLED.len()
    );

    wine(&home.join("uninstall.exe")).arg("/S").run()?;
    settle()?;
    if home.exists() || shortcut.exists() || listed().is_some() {
        return Err(format!(
            "uninstalling left {}, its shortcut or its Apps entry",
            home.display()
        ));
    }
    if !data.path().join("onramp.db").is_file() {
        return Err("uninstalling removed the CSM's data".to_owned());
    }
    println!("uninstalled: the files, the shortcut and the Apps entry are gone; the data stays");
    Ok(())
}

/// The Windows user name Wine gives this Linux user: the one folder under `drive_c/users` besides
/// Public.
fn wine_user(prefix: &std::path::Path) -> Result<String> {
    let users = prefix.join("drive_c/users");
    std::fs::read_dir(&users)
        .map_err(|e| format!("{}: {e}", users.display()))?
        .filter_map(std::result::Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|name| name != "Public")
        .ok_or_else(|| format!("{} has no user folder", users.display()))
}
