//! What a CSM can enter: text, yes/no, or a set of choices.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(untagged)]
pub enum AnswerValue {
    /// Yes/no questions.
    Bool(bool),
    /// Every text-like field, and single choices.
    Text(String),
    /// Multi-select and checklist fields.
    List(Vec<String>),
}

impl AnswerValue {
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Self::Text(t) => Some(t),
            _ => None,
        }
    }

    /// Nothing entered yet: empty or blank text, or no choice ticked.
    pub fn is_blank(&self) -> bool {
        match self {
            Self::Bool(_) => false,
            Self::Text(t) => t.trim().is_empty(),
            Self::List(l) => l.is_empty(),
        }
    }
}

/// How an answer reads to a person: "Yes", the text, or the choices joined by commas.
impl std::fmt::Display for AnswerValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Bool(true) => f.write_str("Yes"),
            Self::Bool(false) => f.write_str("No"),
            Self::Text(t) => f.write_str(t),
            Self::List(l) => f.write_str(&l.join(", ")),
        }
    }
}
