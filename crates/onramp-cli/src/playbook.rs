//! `onramp playbook …`

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use clap::Subcommand;
use onramp_core::playbook::{Kind, Playbook};
use onramp_core::wizard::{self, StepId};
use onramp_core::{Error, Result};

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a playbook folder (default: the one Onramp uses) and list every problem.
    Check {
        /// A playbook folder; without it, `ONRAMP_PLAYBOOK` or the bundled playbook.
        dir: Option<PathBuf>,
    },
}

pub fn run(cmd: &Command) -> Result<()> {
    match cmd {
        Command::Check { dir } => {
            let playbook = Playbook::load(dir.as_deref())?;
            writeln!(std::io::stdout(), "{}", summary(&playbook)).map_err(Error::from)
        }
    }
}

/// "The playbook is valid…" and, per provider, how much its wizard asks.
fn summary(playbook: &Playbook) -> String {
    let count = |kind| {
        playbook
            .providers()
            .iter()
            .filter(|p| p.kind == kind)
            .count()
    };
    let mut out = format!(
        "The playbook is valid: {} SSO and {} HRIS providers.\n",
        count(Kind::Sso),
        count(Kind::Hris)
    );
    for provider in playbook.providers() {
        let steps = wizard::steps(playbook, provider);
        let n = |id| {
            steps
                .iter()
                .find(|s| s.id == id)
                .map_or(0, |s| s.fields.len())
        };
        let _ = write!(
            out,
            "\n  {:<4}  {:<30}  {:>2} details, {:>2} CSM questions, {:>2} yes/no questions, {} screenshot{}",
            provider.kind.label(),
            provider.name,
            n(StepId::Details),
            n(StepId::Csm),
            n(StepId::Client),
            n(StepId::Screenshots),
            if n(StepId::Screenshots) == 1 { "" } else { "s" },
        );
    }
    out
}
