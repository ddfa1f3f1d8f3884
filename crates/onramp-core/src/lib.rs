//! Onramp's domain: the playbook, drafts and their local storage.
//!
//! Nothing here knows about windows or terminals; `src-tauri` and `onramp-cli` are thin adapters.
//! The layers, from the bottom: the playbook and plain values (`playbook`, `answers`, `formats`,
//! `model`), the rules over them (`validate`, `wizard`, `readiness`, `lifecycle`), the storage
//! layer (`store`), the unit of work (`work`), the features (drafts, screenshots, bundles, the
//! ticket, the outbox, the meeting, the recap, SSO checks, settings), and at the top the core
//! both adapters drive (`Onramp`, shared as `Shared`) with what reaches the network (`jira`).

pub mod answers;
pub mod bundle;
pub mod clock;
pub mod desktop;
pub mod drafts;
mod error;
pub mod files;
pub mod follow_up;
pub mod formats;
pub mod jira;
pub mod jira_choices;
mod lifecycle;
pub mod meeting;
pub mod model;
pub mod net;
mod onramp;
pub mod outbox;
pub mod paths;
pub mod playbook;
pub mod readiness;
pub mod recap;
pub mod screenshots;
mod secrets;
pub mod settings;
mod shared;
pub mod slack;
pub mod sso;
mod store;
pub mod ticket;
pub mod updates;
pub mod uploads;
pub mod validate;
pub mod wizard;
mod work;

pub use error::{Error, ErrorCode, Result};
pub use onramp::Onramp;
pub use shared::Shared;
pub use store::Verify;
