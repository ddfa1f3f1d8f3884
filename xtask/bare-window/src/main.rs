//! A bare Tauri 2 window and a page with one button: what any Tauri app costs to start and to
//! keep in memory, so `cargo xtask bench` can report Onramp's own share as a ratio.

fn main() {
    if let Err(e) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("the bare window could not start: {e}");
        std::process::exit(1);
    }
}
