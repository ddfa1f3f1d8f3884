//! The core's integration tests, in one test binary with a module per topic (the way ripgrep
//! lays out its `tests/`), all on real SQLite files in temporary data directories.

#![allow(clippy::unwrap_used)] // a panic is how a test reports an unexpected failure

mod support;

mod bundles;
mod compat;
mod crash;
mod drafts;
mod follow_up;
mod lifecycle;
mod meeting;
mod playbook_errors;
mod properties;
mod screenshots;
mod secrets;
mod service_desk;
mod settings;
mod sso;
mod submit;
mod ticket;
mod wizard;
