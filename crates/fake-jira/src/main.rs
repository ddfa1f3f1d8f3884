//! `fake-jira [--port P]`: a loopback Jira Cloud for the end-to-end tests and the demo. It runs
//! until stopped and prints the site URL to give Onramp.

use std::net::SocketAddr;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut port = 0_u16;
    while let Some(arg) = args.next() {
        if let ("--port", Some(Ok(p))) = (arg.as_str(), args.next().map(|v| v.parse::<u16>())) {
            port = p;
        } else {
            eprintln!("usage: fake-jira [--port PORT]");
            std::process::exit(2);
        }
    }
    let fake = match fake_jira::FakeJira::start_on(
        fake_jira::Config::default(),
        SocketAddr::from(([127, 0, 0, 1], port)),
    ) {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("fake-jira could not start: {e}");
            std::process::exit(1);
        }
    };
    println!("fake-jira listening on {}", fake.url());
    loop {
        std::thread::park();
    }
}
