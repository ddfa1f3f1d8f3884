//! `cargo xtask cross`: Onramp for Windows and macOS, checked from this Linux machine as far as
//! a Linux machine can. Both targets are type-checked with clippy (macOS with zig compiling the
//! C in SQLite and the TLS stack; nothing links for macOS, as that needs Apple's SDK), and the
//! core's, the images' and the CLI's tests are built for Windows and run under Wine.

use std::path::PathBuf;

use crate::process::Cmd;
use crate::{Result, cargo, root, setup, target_dir};

const WINDOWS: &str = "x86_64-pc-windows-gnu";
const MACOS: &str = "aarch64-apple-darwin";

/// This machine's own tools, which need Xvfb, WebKitGTK and /proc: not built for other OSes.
const LINUX_TOOLS: [&str; 2] = ["xtask", "bare-window"];

/// The crates whose tests run under Wine. The window's own tests need Microsoft's web view, which Wine lacks.
const TESTED_UNDER_WINE: [&str; 3] = ["onramp-core", "onramp-images", "onramp-cli"];

/// Mingw compiles the C in the Windows build; Wine runs its tests.
const PACKAGES: &[&str] = &["gcc-mingw-w64-x86-64", "wine", "wine64"];

/// The zig that compiles C for macOS, and cargo's wrapper for it, both from `PyPI`.
const ZIGLANG_VERSION: &str = "0.17.1";
const CARGO_ZIGBUILD_VERSION: &str = "0.24.1";

/// Everything `cargo xtask cross` does, in order.
pub fn run() -> Result {
    setup()?;
    check_windows()?;
    check_macos()?;
    test_windows()
}

/// Installs what is missing: the two Rust targets, mingw and Wine, and zig in a venv.
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
    Cmd::new("/usr/bin/python3")
        .args(["-m", "venv", "--clear"])
        .arg(&venv)
        .run()?;
    Cmd::new(venv.join("bin/python"))
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .arg(format!("ziglang=={ZIGLANG_VERSION}"))
        .arg(format!("cargo-zigbuild=={CARGO_ZIGBUILD_VERSION}"))
        .run()
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
