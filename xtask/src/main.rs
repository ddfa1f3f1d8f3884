//! `cargo xtask …`: the project's two set-up commands and the chores behind them.
//!
//! Everything here is orchestration: it installs what is missing, then calls cargo, npm and the
//! test tools in the right order. No product logic lives here.

mod bench;
mod cross;
mod deb;
mod e2e;
mod process;
mod report;
mod setup;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::process::Cmd;
use crate::report::Report;

#[derive(Debug, Parser)]
#[command(name = "cargo xtask", about = "Set up, build, test and run Onramp")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Install what is missing, build the UI and the app, and open the window.
    Run {
        /// Build with optimisations (slower to build, what users get).
        #[arg(long)]
        release: bool,
        /// Try the whole flow without a Jira account: start fake-jira on this machine, point
        /// the app at it, and keep the demo's drafts apart from your own.
        #[arg(long)]
        demo: bool,
        /// With --demo: requests go to Support's service desk on fake-jira (chosen with
        /// `onramp jira desk`), and the demo's drafts are kept apart again.
        #[arg(long, requires = "demo")]
        service_desk: bool,
    },
    /// Install what the tests need, then run every check CI runs, with a summary at the end.
    Test,
    /// Build the app and run only the end-to-end tests (a part of `test`).
    E2e {
        /// Run only the specs whose file name contains this, e.g. `window`.
        filter: Option<String>,
    },
    /// Measure every figure with a target (autosave, search, ingest, rendering, submitting, sizes)
    /// and write the table to docs/benchmarks.md.
    Bench {
        /// `startup`: only the start-up figures, printed and not written.
        only: Option<String>,
    },
    /// The long forms of the crash and fault tests: SIGKILLs mid-autosave and randomized
    /// submissions against fake-jira (to a project, then to a service desk), with the counts that
    /// must all be 0.
    Soak {
        #[arg(long, default_value_t = 1000)]
        kills: u32,
        #[arg(long, default_value_t = 1000)]
        submissions: u32,
    },
    /// Build the release .deb and .rpm with Tauri's bundler; install the .deb, open the installed
    /// app under Xvfb and remove it again; list what the .rpm holds and needs.
    Bundle,
    /// Onramp for Windows and macOS from this machine: type-check both (clippy; macOS's C through
    /// zig), run the core's, the images' and the CLI's tests built for Windows under Wine, and
    /// build the Windows installer, install it under Wine, check it and uninstall it.
    Cross {
        /// Put the optimised build in the installer, packed as it ships (slower to build).
        #[arg(long)]
        release: bool,
    },
    /// Regenerate the TypeScript IPC types in ui/src/lib/ipc/bindings from the Rust types.
    Bindings,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run {
            release,
            demo,
            service_desk,
        } => run(release, demo, service_desk),
        Command::Test => return test(),
        Command::E2e { filter } => e2e(filter.as_deref()),
        Command::Bench { only } => bench::run(only.as_deref()),
        Command::Soak { kills, submissions } => soak(kills, submissions),
        Command::Bundle => bundle(),
        Command::Cross { release } => cross::run(release),
        Command::Bindings => bindings(),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

pub type Result<T = ()> = std::result::Result<T, String>;

/// The repository root (this crate lives in `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits inside the repository")
        .to_path_buf()
}

fn cargo() -> Cmd {
    Cmd::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Where cargo builds.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

/// Path of a workspace binary cargo builds for the debug or release profile.
fn binary(name: &str, release: bool) -> PathBuf {
    target_dir()
        .join(if release { "release" } else { "debug" })
        .join(name)
}

/// Builds `packages` with the lock file as committed.
fn build(packages: &[&str], release: bool) -> Result {
    let mut cmd = cargo().args(["build", "--locked"]);
    for package in packages {
        cmd = cmd.args(["--package", package]);
    }
    if release {
        cmd = cmd.arg("--release");
    }
    cmd.run()
}

fn run(release: bool, demo: bool, service_desk: bool) -> Result {
    setup::debian_packages(setup::BUILD_PACKAGES)?;
    setup::npm_packages(&root().join("ui"))?;
    setup::ui_dist()?;
    let packages: &[&str] = match (demo, service_desk) {
        // The command line chooses the demo's desk before the window opens.
        (true, true) => &["onramp-app", "fake-jira", "onramp-cli"],
        (true, false) => &["onramp-app", "fake-jira"],
        (false, _) => &["onramp-app"],
    };
    build(packages, release)?;
    if std::env::var_os("DISPLAY").is_none() && std::env::var_os("WAYLAND_DISPLAY").is_none() {
        return Err(
            "there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set).\n\
             On a headless machine run it under a virtual display instead:\n\n    \
             xvfb-run cargo xtask run\n"
                .to_owned(),
        );
    }
    let app = Cmd::new(binary("onramp-app", release));
    if !demo {
        return app.run();
    }
    let port = e2e::free_port()?;
    let port_arg = port.to_string();
    let mut jira_args = vec!["--port", port_arg.as_str(), "--configured"];
    if service_desk {
        jira_args.push("--service-desk");
    }
    let mut jira = e2e::Group::spawn(
        "fake-jira",
        Cmd::new(binary("fake-jira", release)).args(jira_args),
    )?;
    e2e::wait_until(
        "fake-jira listened",
        &mut jira,
        std::time::Duration::from_secs(20),
        || std::net::TcpStream::connect(("127.0.0.1", port)).is_ok(),
    )?;
    let site = format!("http://127.0.0.1:{port}");
    let data = root().join(if service_desk {
        "target/demo-data-service-desk"
    } else {
        "target/demo-data"
    });
    let playbook = demo_playbook()?;
    println!(
        "Demo: fake-jira at http://127.0.0.1:{port} (project ONB, which requires a Customer: Acme Health, Globex Clinics or Initech Care); drafts in {}; playbook in {}",
        data.display(),
        playbook.display()
    );
    if service_desk {
        // What a CSM does in Settings (Test connection, then the desk and request type by
        // name), done once by the command line on the demo's data.
        Cmd::new(binary("onramp", release))
            .args(["jira", "desk", "Customer Support", "Integration request"])
            .env("ONRAMP_DATA_DIR", &data)
            .env("ONRAMP_PLAYBOOK", &playbook)
            .env("ONRAMP_JIRA_URL", &site)
            .envs(e2e::FAKE_JIRA_ACCOUNT)
            .run()?;
    }
    app.env("ONRAMP_DATA_DIR", &data)
        .env("ONRAMP_PLAYBOOK", &playbook)
        .env("ONRAMP_JIRA_URL", &site)
        .envs(e2e::FAKE_JIRA_ACCOUNT)
        .run()
}

/// The bundled playbook with the demo project's `[[jira.fields]]` (assets/demo), in
/// target/demo-playbook: a copy, so the demo never edits the real one.
fn demo_playbook() -> Result<PathBuf> {
    fn copy(from: &Path, to: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(to)?;
        for entry in std::fs::read_dir(from)? {
            let path = entry?.path();
            let target = to.join(path.file_name().unwrap_or_default());
            if path.is_dir() {
                copy(&path, &target)?;
            } else {
                std::fs::copy(&path, &target)?;
            }
        }
        Ok(())
    }
    let folder = root().join("target/demo-playbook");
    let fail = |e: std::io::Error| {
        format!(
            "the demo playbook could not be made in {}: {e}",
            folder.display()
        )
    };
    let _ = std::fs::remove_dir_all(&folder);
    copy(&root().join("assets/playbook"), &folder).map_err(fail)?;
    let mut toml = std::fs::read_to_string(folder.join("playbook.toml")).map_err(fail)?;
    toml.push('\n');
    toml.push_str(
        &std::fs::read_to_string(root().join("assets/demo/jira-fields.toml")).map_err(fail)?,
    );
    std::fs::write(folder.join("playbook.toml"), toml).map_err(fail)?;
    Ok(folder)
}

/// The window and the CLI, built for the end-to-end tests.
const E2E_PACKAGES: &[&str] = &["onramp-app", "onramp-cli", "fake-jira"];

/// Builds what the end-to-end tests run. Their window trusts, instead of the release key, the
/// test key in tests/e2e/fixtures/update (merged into tauri.conf.json at build time through
/// `TAURI_CONFIG`), so a spec can sign an update that really installs; release builds, the
/// demo and `cargo xtask run` keep the key in tauri.conf.json.
fn build_for_e2e() -> Result {
    let key = root().join("tests/e2e/fixtures/update/trusted-by-e2e-builds.key.pub");
    let pubkey = std::fs::read_to_string(&key).map_err(|e| {
        format!(
            "the e2e update key {} could not be read: {e}",
            key.display()
        )
    })?;
    let config = serde_json::json!({ "plugins": { "updater": { "pubkey": pubkey.trim() } } });
    let mut cmd = cargo()
        .args(["build", "--locked"])
        .env("TAURI_CONFIG", config.to_string());
    for package in E2E_PACKAGES {
        cmd = cmd.args(["--package", package]);
    }
    cmd.run()
}

/// The window, the CLI the specs call, and the Jira the specs start and stop.
fn e2e_binaries() -> e2e::Programs {
    e2e::Programs {
        app: binary("onramp-app", false),
        cli: binary("onramp", false),
        fake_jira: binary("fake-jira", false),
    }
}

fn e2e(filter: Option<&str>) -> Result {
    setup::to_drive_the_window()?;
    setup::python_parsers()?;
    build_for_e2e()?;
    e2e::run(&e2e_binaries(), &e2e::specs(), filter)
}

fn bundle() -> Result {
    setup::to_drive_the_window()?;
    build(&["onramp-app"], true)?;
    let deb = deb::bundle(true)?;
    println!(
        "Built {} ({:.1} MB)",
        deb.display(),
        bench::megabytes(&deb)?
    );
    deb::check(&deb)?;
    let rpm = deb::rpm(true)?;
    println!(
        "Built {} ({:.1} MB)",
        rpm.display(),
        bench::megabytes(&rpm)?
    );
    deb::check_rpm(&rpm)
}

fn soak(kills: u32, submissions: u32) -> Result {
    // The core's integration tests are one binary (`tests/tests.rs`); each soak is one test in
    // it. The kill test starts the child it kills, an example a lone `--test` does not build.
    cargo()
        .args([
            "build",
            "--locked",
            "--release",
            "--package",
            "onramp-core",
            "--example",
            "autosave_child",
        ])
        .run()?;
    let test = |what: &str, name: &str, var: &str, n: u32| {
        println!("\n==> {what}");
        cargo()
            .args([
                "test",
                "--locked",
                "--release",
                "--package",
                "onramp-core",
                "--test",
                "integration",
                name,
            ])
            .args(["--", "--exact", "--nocapture"])
            .env(var, n.to_string())
            .run()
    };
    test(
        "kills mid-autosave",
        "crash::every_acknowledged_autosave_survives_kill_9",
        "ONRAMP_CRASH_ITERATIONS",
        kills,
    )?;
    test(
        "submissions to a project under random faults",
        "submit::a_hundred_submissions_under_random_faults_make_no_duplicate_and_lose_no_screenshot",
        "ONRAMP_RANDOM_SUBMISSIONS",
        submissions,
    )?;
    test(
        "requests to a service desk under random faults",
        "service_desk::a_hundred_requests_under_random_faults_make_no_duplicate_and_lose_no_screenshot",
        "ONRAMP_RANDOM_SUBMISSIONS",
        submissions,
    )?;
    println!(
        "\nSoak passed: the counts above are all 0 (any lost save, corrupt database, duplicate ticket or missing attachment fails the run)."
    );
    Ok(())
}

fn bindings() -> Result {
    setup::ui_dist()?;
    cargo()
        .args(["test", "--package", "onramp-app", "--lib", "bindings"])
        .env("ONRAMP_UPDATE_BINDINGS", "1")
        .run()?;
    println!("Updated ui/src/lib/ipc/bindings from the Rust types.");
    Ok(())
}

fn test() -> ExitCode {
    let mut report = Report::default();
    let ui = root().join("ui");
    let e2e = root().join("tests/e2e");

    let ready = report.step("setup: Debian packages", || {
        setup::debian_packages(setup::BUILD_PACKAGES)?;
        setup::debian_packages(setup::TEST_PACKAGES)
    }) && report.step("setup: npm packages", || {
        setup::npm_packages(&ui)?;
        setup::npm_packages(&e2e)
    }) && report.step("setup: tauri-driver", setup::tauri_driver)
        && report.step("setup: Python parsers", setup::python_parsers)
        // The app's build script needs the built UI, so it comes before any cargo check.
        && report.step("ui: build", setup::ui_dist);
    if !ready {
        return report.finish();
    }

    report.step("rust: format", || {
        cargo().args(["fmt", "--all", "--check"]).run()
    });
    report.step("rust: clippy", || {
        cargo()
            .args([
                "clippy",
                "--workspace",
                "--all-targets",
                "--locked",
                "--",
                "-D",
                "warnings",
            ])
            .run()
    });
    report.step("rust: tests (incl. IPC bindings check)", || {
        cargo()
            .args(["test", "--workspace", "--locked"])
            .env("ONRAMP_PYTHON", setup::python())
            .run()
    });
    // Windows and macOS, as far as this machine can go (see `cargo xtask cross`).
    if report.step("cross: Rust targets, mingw, Wine and zig", cross::setup) {
        report.step("cross: Windows type-check", cross::check_windows);
        report.step("cross: macOS type-check", cross::check_macos);
        report.step("cross: Windows tests under Wine", cross::test_windows);
        report.step(
            "cross: Windows installer, installed and removed under Wine",
            || cross::installer(false),
        );
    } else {
        for step in [
            "cross: Windows type-check",
            "cross: macOS type-check",
            "cross: Windows tests under Wine",
            "cross: Windows installer, installed and removed under Wine",
        ] {
            report.skip(step, "the cross tools could not be installed");
        }
    }
    report.step("ui: type check", || Cmd::npm(&ui, "check").run());
    report.step("ui: lint", || Cmd::npm(&ui, "lint").run());
    report.step("ui: unit tests", || Cmd::npm(&ui, "test").run());
    let built = report.step("app: build", build_for_e2e);
    if built {
        report.step("e2e: real app under Xvfb", || {
            e2e::run(&e2e_binaries(), &e2e::specs(), None)
        });
        // The debug build, packaged: the same package layout as `cargo xtask bundle` without a
        // second, optimised build of everything.
        report.step("deb: package, install, open, remove", || {
            deb::check(&deb::bundle(false)?)
        });
        report.step("rpm: package, list what it holds and needs", || {
            deb::check_rpm(&deb::rpm(false)?)
        });
    } else {
        report.skip("e2e: real app under Xvfb", "the app did not build");
        report.skip(
            "deb: package, install, open, remove",
            "the app did not build",
        );
        report.skip(
            "rpm: package, list what it holds and needs",
            "the app did not build",
        );
    }
    report.finish()
}
