//! `fake-jira [--port P] [--data-center] [--configured] [--service-desk]`: a loopback Jira (Cloud
//! unless told) for the end-to-end tests and the demo; `--configured` gives its project required
//! custom fields, as support teams have; `--service-desk` adds Support's service desk. It runs until stopped and prints the site URL to give Onramp.

use std::net::SocketAddr;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut port = 0_u16;
    let mut config = fake_jira::Config::default();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--data-center" => {
                config.flavor = fake_jira::Flavor::DataCenter;
                config.upload_limit = fake_jira::Config::data_center().upload_limit;
            }
            "--configured" => {
                config = fake_jira::Config {
                    flavor: config.flavor,
                    upload_limit: config.upload_limit,
                    ..fake_jira::Config::configured()
                }
            }
            "--service-desk" => {
                config.service_desk = Some(fake_jira::ServiceDesk::support());
            }
            "--port" => match args.next().map(|v| v.parse::<u16>()) {
                Some(Ok(p)) => port = p,
                _ => usage(),
            },
            _ => usage(),
        }
    }
    let fake = match fake_jira::FakeJira::start_on(config, SocketAddr::from(([127, 0, 0, 1], port)))
    {
        Ok(fake) => fake,
        Err(e) => {
            eprintln!("fake-jira could not start: {e}");
            std::process::exit(1);
        }
    };
    println!("fake-jira listening on {}", fake.url());
    println!("Slack webhook: {}", fake.slack_webhook_url());
    loop {
        std::thread::park();
    }
}

fn usage() -> ! {
    eprintln!("usage: fake-jira [--port PORT] [--data-center] [--configured] [--service-desk]");
    std::process::exit(2);
}
