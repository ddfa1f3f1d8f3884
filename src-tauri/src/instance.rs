//! One Onramp window per data directory: a second launch brings the first window forward and
//! exits (tauri-plugin-single-instance). Two windows on one data directory would be two senders
//! of one outbox.

use tauri::{AppHandle, Manager, Runtime};

/// This data directory's name for the single-instance lock: a D-Bus well-known name on Linux
/// (elsewhere the plugin keys the lock by the app's identifier, one per user).
pub fn id() -> String {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    onramp_core::paths::data_dir().ok().hash(&mut hasher);
    format!("com.onramp.desktop.d{:016x}", hasher.finish())
}

/// A second launch: the first window, restored and focused.
pub fn bring_forward<R: Runtime>(app: &AppHandle<R>) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Waits, for a few seconds at most, while an Onramp that is closing still holds the lock.
///
/// Reopening Onramp right after quitting it finds the quitting one's D-Bus name still taken;
/// the plugin then hands over to an instance that no longer answers and fails to start
/// ("Message recipient disconnected from message bus without replying"). A live instance
/// answers a ping at once, and then the plugin hands over to it as it should.
#[cfg(target_os = "linux")]
pub fn wait_while_one_closes(id: &str) {
    use std::time::{Duration, Instant};

    let name = format!("{id}.SingleInstance");
    let path = format!("/{}", name.replace('.', "/"));
    let Ok(connection) = zbus::blocking::connection::Builder::session()
        .and_then(|b| b.method_timeout(Duration::from_millis(500)).build())
    else {
        return; // no session bus: the plugin launches normally too
    };
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answered = connection.call_method(
            Some(name.as_str()),
            path.as_str(),
            Some("org.freedesktop.DBus.Peer"),
            "Ping",
            &(),
        );
        let closing = match answered {
            // A live instance, which the plugin hands over to.
            Ok(_) => false,
            // The bus knows no one by that name: the plugin takes it.
            Err(zbus::Error::MethodError(error, _, _)) => !matches!(
                error.as_str(),
                "org.freedesktop.DBus.Error.ServiceUnknown"
                    | "org.freedesktop.DBus.Error.NameHasNoOwner"
            ),
            // No reply in time, or the holder left the bus mid-call: it is going away.
            Err(_) => true,
        };
        if !closing || Instant::now() >= deadline {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Elsewhere the lock is a named mutex (Windows) or a socket (macOS) that the OS frees as the
/// process ends, and the plugin does not hand over to a closing instance.
#[cfg(not(target_os = "linux"))]
pub fn wait_while_one_closes(_id: &str) {}
