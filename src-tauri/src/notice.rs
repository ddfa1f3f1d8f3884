//! Desktop notifications ("a queued ticket was created"), one way per OS: the notification
//! service through notify-rust on Linux (D-Bus) and Windows (toasts); on macOS the system's own
//! `osascript`, as notify-rust's macOS backend is Objective-C, which only a Mac can build and
//! which would keep the product from being checked for macOS anywhere else.

/// Shows `title` and `body`; without a notification service (a bare session, a CI machine)
/// nothing is shown and nothing fails.
#[cfg(not(target_os = "macos"))]
pub fn show(title: &str, body: &str) {
    let _ = notify_rust::Notification::new()
        .appname("Onramp")
        .summary(title)
        .body(body)
        .show();
}

/// Shows `title` and `body`. They reach the script as arguments, never as script text, so a
/// company name cannot change what runs.
#[cfg(target_os = "macos")]
pub fn show(title: &str, body: &str) {
    let child = std::process::Command::new("/usr/bin/osascript")
        .args([
            "-e",
            "on run argv",
            "-e",
            "display notification (item 2 of argv) with title (item 1 of argv)",
            "-e",
            "end run",
            title,
            body,
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Ok(mut child) = child {
        // Reaped off the caller's thread: showing a notice must not hold up the outbox.
        let _ = std::thread::Builder::new()
            .name("notice".into())
            .spawn(move || child.wait());
    }
}
