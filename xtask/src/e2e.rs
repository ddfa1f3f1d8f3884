//! End-to-end tests: the real app binary in a virtual display, driven over WebDriver.
//!
//! Xvfb → tauri-driver → WebKitWebDriver → the app. Each spec file gets a fresh data directory
//! and its own driver, so specs cannot see each other's drafts. Every helper runs in its own
//! process group, and the group is killed on the way out, so nothing outlives a run.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::process::Cmd;
use crate::{Result, root, setup};

/// fake-jira's default account and project: the demo passes them as `ONRAMP_JIRA_*`, the specs
/// type them into Settings as a CSM would.
pub(crate) const FAKE_JIRA_ACCOUNT: [(&str, &str); 3] = [
    ("ONRAMP_JIRA_EMAIL", "csm@medtrainer.example"),
    ("ONRAMP_JIRA_TOKEN", "fake-jira-token"),
    ("ONRAMP_JIRA_PROJECT", "ONB"),
];

/// Plays the browser for `xdg-open`: records each link the app opens, one per line, in the
/// file `$ONRAMP_OPENED_LINKS`.
const BROWSER_SCRIPT: &str = "#!/bin/sh\nprintf '%s\\n' \"$1\" >> \"$ONRAMP_OPENED_LINKS\"\n";

/// Process groups to kill if the run is interrupted.
static LIVE_GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

/// A helper process in its own process group; dropping it ends the whole group.
#[derive(Debug)]
pub(crate) struct Group {
    name: &'static str,
    child: Child,
}

impl Group {
    pub(crate) fn spawn(name: &'static str, cmd: Cmd) -> Result<Self> {
        use std::os::unix::process::CommandExt;
        let mut cmd = cmd.into_inner();
        cmd.process_group(0);
        let child = cmd
            .spawn()
            .map_err(|e| format!("could not start {name}: {e}"))?;
        LIVE_GROUPS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(child.id());
        Ok(Self { name, child })
    }

    fn exited(&mut self) -> bool {
        !matches!(self.child.try_wait(), Ok(None))
    }
}

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = self.child.id();
        kill_group(pgid, "TERM");
        let deadline = Instant::now() + Duration::from_secs(3);
        while !self.exited() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        // Children of the leader (WebKitWebDriver, the app) may outlive it: end them too.
        kill_group(pgid, "KILL");
        let _ = self.child.wait();
        LIVE_GROUPS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|g| *g != pgid);
        println!("stopped {}", self.name);
    }
}

fn kill_group(pgid: u32, signal: &str) {
    let _ = Cmd::new("kill")
        .args([format!("-{signal}"), "--".to_owned(), format!("-{pgid}")])
        .output();
}

fn kill_live_groups_on_interrupt() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            let groups = LIVE_GROUPS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .clone();
            for pgid in groups {
                kill_group(pgid, "KILL");
            }
            std::process::exit(130);
        });
    });
}

pub(crate) fn free_port() -> Result<u16> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

pub(crate) fn wait_until(
    what: &str,
    group: &mut Group,
    timeout: Duration,
    ready: impl Fn() -> bool,
) -> Result {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if ready() {
            return Ok(());
        }
        if group.exited() {
            return Err(format!("{} exited before {what}", group.name));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(format!(
        "{} was not ready within {timeout:?}: {what}",
        group.name
    ))
}

/// Starts Xvfb on the first free display number from :90.
fn start_xvfb() -> Result<(Group, String)> {
    for n in 90..190 {
        let socket = PathBuf::from(format!("/tmp/.X11-unix/X{n}"));
        if socket.exists() || Path::new(&format!("/tmp/.X{n}-lock")).exists() {
            continue;
        }
        let display = format!(":{n}");
        let mut xvfb = Group::spawn(
            "Xvfb",
            Cmd::new("Xvfb").args([
                display.as_str(),
                "-screen",
                "0",
                "1280x800x24",
                "-nolisten",
                "tcp",
            ]),
        )?;
        // Another process may have claimed the same number meanwhile; then try the next.
        if wait_until(
            "its socket appeared",
            &mut xvfb,
            Duration::from_secs(10),
            || socket.exists(),
        )
        .is_ok()
        {
            return Ok((xvfb, display));
        }
    }
    Err("no free X display between :90 and :189".to_owned())
}

/// A private D-Bus session bus, as a desktop session has: the app sends its notifications there
/// (where specs watch for them with `dbus-monitor`) and looks for a Secret Service on it.
fn start_session_bus(dir: &Path) -> Result<(Group, String)> {
    let socket = dir.join("session-bus");
    let address = format!("unix:path={}", socket.display());
    let mut bus = Group::spawn(
        "dbus-daemon",
        Cmd::new("dbus-daemon").args(["--session", "--nofork", "--address", &address]),
    )?;
    wait_until(
        "its socket appeared",
        &mut bus,
        Duration::from_secs(10),
        || socket.exists(),
    )?;
    Ok((bus, address))
}

fn spec_files(dir: &Path, filter: Option<&str>) -> Result<Vec<PathBuf>> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.ends_with(".e2e.js") && filter.is_none_or(|f| name.contains(f))
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!(
            "no *.e2e.js specs{} in {}",
            filter
                .map(|f| format!(" matching `{f}`"))
                .unwrap_or_default(),
            dir.display()
        ));
    }
    Ok(specs)
}

/// The built programs the specs use.
#[derive(Debug)]
pub struct Programs {
    pub app: PathBuf,
    /// Called by specs on the same data directory.
    pub cli: PathBuf,
    /// Started and stopped by specs, on the port the app is told Jira lives at.
    pub fake_jira: PathBuf,
}

/// The folder of the specs that test the built app.
pub fn specs() -> PathBuf {
    root().join("tests/e2e/specs")
}

/// Runs the specs in `specs` (all, or those whose name contains `filter`).
pub fn run(programs: &Programs, specs: &Path, filter: Option<&str>) -> Result {
    kill_live_groups_on_interrupt();
    let driver = setup::tauri_driver_path().ok_or("tauri-driver is not installed")?;
    let e2e = root().join("tests/e2e");
    let screenshots = root().join("docs/screenshots");
    std::fs::create_dir_all(&screenshots).map_err(|e| e.to_string())?;
    let (_xvfb, display) = start_xvfb()?;

    let mut failures = Vec::new();
    for spec in spec_files(specs, filter)? {
        let name = spec
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        println!("\n--- {name}");
        let bins = Binaries {
            programs,
            driver: &driver,
        };
        if let Err(e) = run_spec(&bins, &display, &e2e, &spec, &screenshots) {
            failures.push(format!("{name}: {e}"));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// The programs a spec run needs, and the driver.
#[derive(Debug)]
struct Binaries<'a> {
    programs: &'a Programs,
    driver: &'a Path,
}

/// A tauri-driver on free ports with a private session bus, as every run of the app gets.
struct Driver {
    port: u16,
    /// What the driver and the apps it starts print: the app's log.
    log: PathBuf,
    bus_address: String,
    /// The file the app's opened links land in (see [`BROWSER_SCRIPT`]).
    opened: PathBuf,
    // Dropped in this order: the driver and the apps it started, then their bus.
    _process: Group,
    _bus: Group,
}

/// Starts tauri-driver for apps that keep their data in `data_dir`.
fn start_driver(driver: &Path, display: &str, data_dir: &Path) -> Result<Driver> {
    let (port, native_port) = (free_port()?, free_port()?);
    let browser = data_dir.join("browser.sh");
    let opened = data_dir.join("opened-links.txt");
    std::fs::write(&browser, BROWSER_SCRIPT).map_err(|e| e.to_string())?;
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .map_err(|e| e.to_string())?;
    let (bus, bus_address) = start_session_bus(data_dir)?;
    let log = data_dir.join("app.log");
    let mut tauri_driver = Group::spawn(
        "tauri-driver",
        Cmd::new(driver)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("DISPLAY", display)
            // Not WEBKIT_DISABLE_COMPOSITING_MODE: under Xvfb it makes WebDriver screenshots hang.
            .env("ONRAMP_DATA_DIR", data_dir)
            // The window-state plugin keeps size and position in the config directory: keep
            // each run's apart from the developer's own and from other runs.
            .env("XDG_CONFIG_HOME", data_dir.join("config"))
            .env("DBUS_SESSION_BUS_ADDRESS", &bus_address)
            // Links the app opens land in a file the spec reads, not in a browser.
            .env("BROWSER", &browser)
            .env("ONRAMP_OPENED_LINKS", &opened)
            // Meeting times are shown beside the CSM's own: make that zone the same everywhere.
            .env("TZ", "Etc/UTC")
            .log_to(&log)?,
    )?;
    wait_until(
        "it accepted connections",
        &mut tauri_driver,
        Duration::from_secs(20),
        || TcpStream::connect(("127.0.0.1", port)).is_ok(),
    )?;
    Ok(Driver {
        port,
        log,
        bus_address,
        opened,
        _process: tauri_driver,
        _bus: bus,
    })
}

fn run_spec(
    bins: &Binaries<'_>,
    display: &str,
    e2e: &Path,
    spec: &Path,
    screenshots: &Path,
) -> Result {
    let data_dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let driver = start_driver(bins.driver, display, data_dir.path())?;
    let outcome = Cmd::new("npx")
        .args(["--no-install", "wdio", "run", "wdio.conf.js", "--spec"])
        .arg(spec)
        .dir(e2e)
        .env("TAURI_DRIVER_PORT", driver.port.to_string())
        // For specs that change the desktop's own settings, such as its theme.
        .env("DISPLAY", display)
        .env("ONRAMP_APP", &bins.programs.app)
        .env("ONRAMP_CLI", &bins.programs.cli)
        // Jira is fake-jira on a port of its own, down until a spec starts it.
        .env("FAKE_JIRA", &bins.programs.fake_jira)
        .env("FAKE_JIRA_PORT", free_port()?.to_string())
        .envs(FAKE_JIRA_ACCOUNT.map(|(name, value)| (name.replace("ONRAMP_", "FAKE_"), value)))
        .env("ONRAMP_OPENED_LINKS", &driver.opened)
        .env("DBUS_SESSION_BUS_ADDRESS", &driver.bus_address)
        .env("ONRAMP_PYTHON", setup::python())
        .env("ONRAMP_DATA_DIR", data_dir.path())
        .env("ONRAMP_SCREENSHOTS", screenshots)
        // Specs check what the app wrote there (a secret must not be in it).
        .env("ONRAMP_APP_LOG", &driver.log)
        .run();
    if outcome.is_err() {
        show_log(&driver.log);
    }
    outcome
}

/// Prints the app's log after a failure: the data directory holding it is about to go.
fn show_log(log: &Path) {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    println!("--- what the app printed ({}):\n{text}---", log.display());
}

/// Runs the Node script `script` (in tests/e2e, where the WebDriver client is installed) against a
/// tauri-driver under Xvfb, with `envs` naming the apps it starts and `data_dir` as their data
/// directory; returns what it printed.
pub fn node_script(script: &Path, envs: &[(&str, &Path)], data_dir: &Path) -> Result<String> {
    kill_live_groups_on_interrupt();
    let driver = setup::tauri_driver_path().ok_or("tauri-driver is not installed")?;
    let (_xvfb, display) = start_xvfb()?;
    let driver = start_driver(&driver, &display, data_dir)?;
    let out = Cmd::new("node")
        .arg(script)
        .dir(&root().join("tests/e2e"))
        .env("TAURI_DRIVER_PORT", driver.port.to_string())
        .envs(envs.iter().copied())
        .stdout();
    if out.is_err() {
        show_log(&driver.log);
    }
    out
}
