//! The one error the window sees: `{code, message}`, whatever went wrong below.

use onramp_core::ErrorCode;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    /// A sentence for the CSM: what is wrong and what to do about it.
    pub message: String,
    /// The form field the message is about, to show it next to that field.
    pub field: Option<String>,
}

impl From<onramp_core::Error> for IpcError {
    fn from(e: onramp_core::Error) -> Self {
        let field = match &e {
            onramp_core::Error::InvalidField { field, .. } => Some(field.clone()),
            _ => None,
        };
        Self {
            code: e.code(),
            message: e.to_string(),
            field,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn core_errors_reach_the_window_as_code_and_message() {
        let err = IpcError::from(onramp_core::Error::NotFound {
            what: "provider",
            id: "nope".into(),
        });
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "not_found", "message": "provider `nope` does not exist", "field": null})
        );
    }
}
