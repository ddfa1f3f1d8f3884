//! The desktop shell: opens the window and exposes the core to it through thin commands.

// The one list of commands, which `build.rs` declares too.
include!("command_list.rs");

/// The window's commands, as Tauri registers them.
macro_rules! handlers {
    ($($command:tt)*) => {
        tauri::generate_handler![$($command)*]
    };
}

#[cfg(test)]
mod bindings;
mod commands;
mod instance;
mod ipc_error;
mod meeting;
mod navigation;
mod notice;
mod options;
mod outbox;
mod sso;
mod state;
mod updates;
mod window_memory;

pub use ipc_error::IpcError;

use tauri::{Manager, WindowEvent};

use crate::window_memory::WindowMemory;

/// Starts the desktop app. A core that fails to open (broken playbook, database from a newer
/// version) does not stop the window: the UI asks `startup_status` and shows the reason.
pub fn run() {
    let instance = instance::id();
    instance::wait_while_one_closes(&instance);
    tauri::Builder::default()
        // First, so a second launch hands over before anything opens: it brings this window
        // forward and exits. One Onramp per data directory (the D-Bus name carries it, on
        // Linux), so tests and demos with their own data run side by side.
        .plugin(
            tauri_plugin_single_instance::Builder::new()
                .dbus_id(instance)
                .callback(|app, _args, _cwd| instance::bring_forward(app))
                .build(),
        )
        // Reopens the window where and at the size the CSM left it.
        .plugin(tauri_plugin_window_state::Builder::default().build())
        // Only the Rust side reads the clipboard: the window is granted none of its commands.
        .plugin(tauri_plugin_clipboard_manager::init())
        // Its own commands are granted to no window; `updates` drives it.
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(updates::Pending::default())
        .setup(|app| {
            // Made here rather than from the config alone, to refuse every page but the app's.
            let config = app
                .config()
                .app
                .windows
                .iter()
                .find(|w| w.label == "main")
                .cloned()
                .ok_or("tauri.conf.json has no main window")?;
            tauri::WebviewWindowBuilder::from_config(app.handle(), &config)?
                .on_navigation(navigation::is_own_page)
                .build()?;
            app.manage(WindowMemory::start(app.handle().clone()));
            let outbox = outbox::Outbox::default();
            outbox.start(app.handle().clone());
            app.manage(outbox);
            Ok(())
        })
        .on_window_event(|window, event| {
            // `try_state`: the window exists, and moves into place, before `setup` runs.
            if let (WindowEvent::Moved(_) | WindowEvent::Resized(_), Some(memory)) =
                (event, window.try_state::<WindowMemory>())
            {
                memory.changed();
            }
        })
        .manage(state::Core::open(options::Options::parse(
            std::env::args_os().skip(1),
        )))
        .invoke_handler(for_each_command!(handlers))
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("Onramp could not start its window: {e}");
            std::process::exit(1);
        });
}
