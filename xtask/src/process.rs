//! Running child processes loudly: every command is echoed, and a failure says which one.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use crate::Result;

#[derive(Debug)]
pub struct Cmd(Command);

impl Cmd {
    pub fn new(program: impl AsRef<OsStr>) -> Self {
        let mut cmd = Command::new(program);
        cmd.current_dir(crate::root());
        Self(cmd)
    }

    /// `npm run <script>` in `dir`.
    pub fn npm(dir: &Path, script: &str) -> Self {
        Self::new("npm").args(["run", "--silent", script]).dir(dir)
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Self {
        self.0.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.0.args(args);
        self
    }

    pub fn env(mut self, key: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Self {
        self.0.env(key, value);
        self
    }

    pub fn envs<K: AsRef<OsStr>, V: AsRef<OsStr>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        self.0.envs(vars);
        self
    }

    pub fn dir(mut self, dir: &Path) -> Self {
        self.0.current_dir(dir);
        self
    }

    fn describe(&self) -> String {
        std::iter::once(self.0.get_program())
            .chain(self.0.get_args())
            .map(OsStr::to_string_lossy)
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Runs to completion with inherited stdio; a non-zero exit is an error naming the command.
    pub fn run(mut self) -> Result {
        let line = self.describe();
        println!("$ {line}");
        let status = self
            .0
            .status()
            .map_err(|e| format!("could not start `{line}`: {e}"))?;
        if status.success() {
            Ok(())
        } else {
            Err(format!("`{line}` failed ({status})"))
        }
    }

    /// Sends what the program prints (stdout and stderr) to the file `log`.
    pub fn log_to(mut self, log: &Path) -> Result<Self> {
        let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let copy = file.try_clone().map_err(|e| e.to_string())?;
        self.0.stdout(copy).stderr(file);
        Ok(self)
    }

    /// Runs to completion with stderr shown and returns stdout; a non-zero exit is an error.
    pub fn stdout(mut self) -> Result<String> {
        let line = self.describe();
        println!("$ {line}");
        let out = self
            .0
            .stderr(std::process::Stdio::inherit())
            .output()
            .map_err(|e| format!("could not start `{line}`: {e}"))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).into_owned())
        } else {
            Err(format!("`{line}` failed ({})", out.status))
        }
    }

    /// Runs quietly and returns stdout, or `None` when it cannot start or fails.
    pub fn output(mut self) -> Option<String> {
        let out = self.0.output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    pub fn into_inner(self) -> Command {
        self.0
    }
}
