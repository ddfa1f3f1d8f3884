//! The child process of the `kill -9` test (`tests/crash.rs`), not an example to follow: it
//! autosaves one answer as fast as it can and prints each save the core acknowledged, until the
//! test kills it.
//!
//! `autosave_child DATA_DIR DRAFT_ID`

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use onramp_core::Onramp;
use onramp_core::answers::AnswerValue;
use onramp_core::clock::SystemClock;
use onramp_core::drafts::AnswerUpdate;
use onramp_core::model::DraftId;
use onramp_core::playbook::Playbook;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("autosave_child: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(draft)) = (args.next(), args.next()) else {
        return Err("usage: autosave_child DATA_DIR DRAFT_ID".into());
    };
    let draft_id: DraftId = draft.parse()?;
    let mut onramp = Onramp::open(Path::new(&dir), Playbook::bundled()?, Box::new(SystemClock))?;
    let mut out = std::io::stdout().lock();
    for n in 1_u64.. {
        onramp.set_answer(&AnswerUpdate {
            draft_id,
            field_id: "company".into(),
            value: Some(AnswerValue::Text(format!("save {n}"))),
        })?;
        writeln!(out, "ack {n}")?;
        out.flush()?;
    }
    Ok(())
}
