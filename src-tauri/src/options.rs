//! The desktop app's command line: `onramp-app [--playbook FOLDER]`.

use std::ffi::OsString;
use std::path::PathBuf;

/// Settings given when the app is started.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// A playbook folder that replaces the bundled one (and `ONRAMP_PLAYBOOK`).
    pub playbook: Option<PathBuf>,
}

impl Options {
    /// Reads `args` (without the program name). A mistake is reported on the window's error
    /// screen rather than on a console the CSM may never see.
    pub fn parse(args: impl IntoIterator<Item = OsString>) -> Result<Self, String> {
        let mut options = Self::default();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            match arg.to_str() {
                Some("--playbook") => {
                    let folder = args
                        .next()
                        .ok_or("`--playbook` needs a folder, e.g. `--playbook ~/playbook`")?;
                    options.playbook = Some(folder.into());
                }
                _ => {
                    return Err(format!(
                        "unknown option `{}`; the only option is `--playbook FOLDER`",
                        arg.to_string_lossy()
                    ));
                }
            }
        }
        Ok(options)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Options, String> {
        Options::parse(args.iter().map(OsString::from))
    }

    #[test]
    fn no_arguments_use_the_default_playbook() {
        assert_eq!(parse(&[]), Ok(Options::default()));
    }

    #[test]
    fn playbook_names_a_folder() {
        assert_eq!(
            parse(&["--playbook", "/srv/playbook"]).unwrap().playbook,
            Some(PathBuf::from("/srv/playbook"))
        );
    }

    #[test]
    fn mistakes_say_what_was_expected() {
        assert_eq!(
            parse(&["--playbook"]),
            Err("`--playbook` needs a folder, e.g. `--playbook ~/playbook`".to_owned())
        );
        assert_eq!(
            parse(&["--verbose"]),
            Err("unknown option `--verbose`; the only option is `--playbook FOLDER`".to_owned())
        );
    }
}
