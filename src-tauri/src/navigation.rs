//! The window shows Onramp's own pages and nothing else: a link, a script or a redirect that
//! would load another page in it is refused. Jira tickets open in the browser, never here.

use tauri::Url;

/// Whether `url` is one of the app's own pages (Tauri serves them as `tauri://localhost` on
/// Linux and macOS, `http(s)://tauri.localhost` on Windows).
pub fn is_own_page(url: &Url) -> bool {
    matches!(
        (url.scheme(), url.host_str()),
        ("tauri", Some("localhost")) | ("http" | "https", Some("tauri.localhost"))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_apps_own_pages_load() {
        let own = [
            "tauri://localhost/",
            "tauri://localhost/index.html#x",
            "https://tauri.localhost/",
        ];
        let other = [
            "https://example.com/",
            "http://127.0.0.1:8080/",
            "https://tauri.localhost.example.com/",
            "file:///etc/passwd",
            "data:text/html,<script>alert(1)</script>",
            "javascript:alert(1)",
        ];
        for url in own {
            assert!(is_own_page(&url.parse().unwrap()), "{url}");
        }
        for url in other {
            assert!(!is_own_page(&url.parse().unwrap()), "{url}");
        }
    }
}
