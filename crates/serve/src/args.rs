//! The command line, a contract that tests and users rely on.

use std::net::IpAddr;

/// What `postroom-serve` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Args {
    pub port_offset: u16,
    pub domain: String,
    pub users: Vec<(String, String)>,
    pub bind: IpAddr,
    pub require_tls: bool,
    pub max_connections: usize,
    /// Connections one client address may hold at once.
    pub max_per_address: usize,
    /// Seconds a write may wait for a client that does not read.
    pub write_timeout: u64,
    /// No session transcripts on stdout, only the startup lines.
    pub quiet: bool,
    /// Live mode: the pages and the live stream on this address.
    pub web: Option<std::net::SocketAddr>,
    /// Where the built pages are (`dist`).
    pub web_root: std::path::PathBuf,
    /// The live stream shows passwords and AUTH payloads instead of hiding them.
    pub show_secrets: bool,
}

pub const USAGE: &str = "\
usage: postroom-serve [--port-offset N] [--domain D] [--user NAME:PASSWORD]... [--bind ADDR]
                      [--require-tls] [--max-connections N] [--max-per-address N]
                      [--write-timeout SECONDS] [--quiet] [--show-secrets]
                      [--web ADDR:PORT [--web-root DIR]]

Serves Postroom's SMTP engine on TCP for real mail clients. Listens on ADDR (default
127.0.0.1) at N+25 (SMTP, mail exchanger), N+587 (submission, AUTH required, STARTTLS),
N+465 (submission over implicit TLS), N+110 (POP3) and N+143 (IMAP). N defaults to 10000.
Mail for NAME@D is kept in memory while the process runs. Defaults: --domain example.net,
--user alice:secret --user bob:secret. --require-tls refuses AUTH and MAIL on 587 until
STARTTLS is done. One service takes at most four fifths of --max-connections (100), one
client address at most --max-per-address (20); a client that does not read what it is sent
for --write-timeout seconds (30) is disconnected. Prints `ready` once every port is bound, then every session's transcript
(left out with --quiet); a transcript nobody reads is dropped, never waited for.

Live mode: --web ADDR:PORT (e.g. 127.0.0.1:8080) also serves the built pages from
--web-root DIR (default dist) and streams every session to the live page, live.html, over a
WebSocket. Passwords and AUTH payloads are hidden, in the transcript and the stream, unless
--show-secrets.
An address other than loopback is reachable from the network: the bridge warns.";

impl Args {
    /// Parses the arguments after the program name; the error says what was wrong.
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
        let mut parsed = Args {
            port_offset: 10000,
            domain: "example.net".to_string(),
            users: Vec::new(),
            bind: IpAddr::from([127, 0, 0, 1]),
            require_tls: false,
            max_connections: 100,
            max_per_address: 20,
            write_timeout: 30,
            quiet: false,
            web: None,
            web_root: std::path::PathBuf::from("dist"),
            show_secrets: false,
        };
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            match arg.as_str() {
                "--port-offset" => {
                    let v = value("--port-offset")?;
                    parsed.port_offset = v
                        .parse()
                        .ok()
                        .filter(|n: &u16| n.checked_add(587).is_some())
                        .ok_or_else(|| format!("--port-offset {v}: a number from 0 to 64948"))?;
                }
                "--domain" => parsed.domain = value("--domain")?.to_ascii_lowercase(),
                "--user" => {
                    let v = value("--user")?;
                    let (name, password) = v
                        .split_once(':')
                        .filter(|(n, p)| !n.is_empty() && !p.is_empty())
                        .ok_or_else(|| format!("--user {v}: expected NAME:PASSWORD"))?;
                    parsed.users.push((name.to_string(), password.to_string()));
                }
                "--bind" => {
                    let v = value("--bind")?;
                    parsed.bind = v
                        .parse()
                        .map_err(|_| format!("--bind {v}: not an IP address"))?;
                }
                "--require-tls" => parsed.require_tls = true,
                "--quiet" => parsed.quiet = true,
                "--show-secrets" => parsed.show_secrets = true,
                "--web" => {
                    let v = value("--web")?;
                    parsed.web = Some(v.parse().map_err(|_| {
                        format!("--web {v}: an address and a port, e.g. 127.0.0.1:8080")
                    })?);
                }
                "--web-root" => parsed.web_root = value("--web-root")?.into(),
                "--max-per-address" => {
                    let v = value("--max-per-address")?;
                    parsed.max_per_address = v
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("--max-per-address {v}: a positive number"))?;
                }
                "--write-timeout" => {
                    let v = value("--write-timeout")?;
                    parsed.write_timeout = v
                        .parse()
                        .ok()
                        .filter(|n| (1..=3600).contains(n))
                        .ok_or_else(|| format!("--write-timeout {v}: seconds, 1 to 3600"))?;
                }
                "--max-connections" => {
                    let v = value("--max-connections")?;
                    parsed.max_connections = v
                        .parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| format!("--max-connections {v}: a positive number"))?;
                }
                "-h" | "--help" => return Err(USAGE.to_string()),
                other => return Err(format!("unknown argument {other}\n{USAGE}")),
            }
        }
        if parsed.users.is_empty() {
            parsed.users = vec![
                ("alice".to_string(), "secret".to_string()),
                ("bob".to_string(), "secret".to_string()),
            ];
        }
        Ok(parsed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        Args::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn defaults_are_loopback_and_two_users() {
        let a = parse(&[]).unwrap();
        assert_eq!(a.port_offset, 10000);
        assert_eq!(a.bind.to_string(), "127.0.0.1");
        assert_eq!(a.users.len(), 2);
        assert!(!a.require_tls);
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        assert!(parse(&["--port-offset", "65000"])
            .unwrap_err()
            .contains("0 to 64948"));
        assert!(parse(&["--user", "carol"])
            .unwrap_err()
            .contains("NAME:PASSWORD"));
        assert!(parse(&["--bind"]).unwrap_err().contains("needs a value"));
        assert!(parse(&["--frobnicate"])
            .unwrap_err()
            .contains("unknown argument"));
        let a = parse(&["--user", "carol:pw", "--domain", "School.Example"]).unwrap();
        assert_eq!(a.users, [("carol".to_string(), "pw".to_string())]);
        assert_eq!(a.domain, "school.example");
    }

    #[test]
    fn live_mode_takes_an_address_and_a_port() {
        let a = parse(&["--web", "127.0.0.1:8080", "--show-secrets"]).unwrap();
        assert_eq!(a.web.map(|w| w.port()), Some(8080));
        assert!(a.show_secrets);
        assert_eq!(a.web_root, std::path::PathBuf::from("dist"));
        assert!(parse(&["--web", "8080"])
            .unwrap_err()
            .contains("e.g. 127.0.0.1:8080"));
        assert_eq!(parse(&[]).unwrap().web, None);
    }
}
