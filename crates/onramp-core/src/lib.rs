//! Onramp's domain: the playbook, drafts and their local storage.
//!
//! Nothing here knows about windows or terminals; `src-tauri` and `onramp-cli` are thin adapters.

pub mod answers;
pub mod bundle;
pub mod clock;
pub mod desktop;
pub mod drafts;
mod error;
pub mod files;
pub mod history;
pub mod jira;
pub mod meeting;
mod onramp;
pub mod paths;
pub mod playbook;
pub mod readiness;
pub mod recap;
pub mod screenshots;
mod search;
mod secrets;
pub mod settings;
pub mod slack;
pub mod sso;
mod store;
pub mod submissions;
pub mod ticket;
pub mod validate;
pub mod wizard;

pub use error::{Error, ErrorCode, Result};
pub use onramp::Onramp;
