//! Each session's transcript on stdout, one line per protocol line, annotated.
//!
//! Writing it must never stop or kill the server: lines go through a bounded queue to one
//! writer thread. When stdout is not read (a full pipe) or closed, lines are dropped and
//! counted, and the sessions carry on.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, SyncSender, TrySendError};
use std::sync::OnceLock;

use postroom_proto::session::Narrator;
use postroom_proto::Explanation;

/// Lines waiting for the writer; past this they are dropped rather than waited for.
const QUEUE: usize = 10_000;

static QUIET: AtomicBool = AtomicBool::new(false);
static DROPPED: AtomicU64 = AtomicU64::new(0);
/// Lines queued and not yet written (or dropped by the writer).
static PENDING: AtomicU64 = AtomicU64::new(0);
static WRITER: OnceLock<Option<SyncSender<String>>> = OnceLock::new();

/// Leaves transcripts out (`--quiet`): only lines said with [`say`] are printed.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// Transcript lines dropped so far because stdout did not keep up or was closed.
pub fn dropped() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

fn writer() -> Option<&'static SyncSender<String>> {
    WRITER
        .get_or_init(|| {
            let (sender, receiver) = mpsc::sync_channel::<String>(QUEUE);
            let spawned = std::thread::Builder::new()
                .name("transcript".into())
                .spawn(move || {
                    let mut broken = false;
                    let mut told = 0;
                    for line in receiver {
                        PENDING.fetch_sub(1, Ordering::Relaxed);
                        if broken {
                            DROPPED.fetch_add(1, Ordering::Relaxed);
                            continue;
                        }
                        let mut out = std::io::stdout().lock();
                        let lost = DROPPED.load(Ordering::Relaxed);
                        if lost > told {
                            told = lost;
                            let lines = postroom_proto::explain::count(
                                usize::try_from(lost).unwrap_or(usize::MAX),
                                "transcript line",
                                "transcript lines",
                            );
                            let note = format!("-- {lines} dropped so far: stdout did not keep up");
                            broken |= writeln!(out, "{note}").is_err();
                        }
                        broken |= writeln!(out, "{line}").and_then(|()| out.flush()).is_err();
                    }
                })
                .ok();
            spawned.map(|_| sender)
        })
        .as_ref()
}

/// Queues one line for stdout, never waiting for it.
pub fn say(line: String) {
    PENDING.fetch_add(1, Ordering::Relaxed);
    match writer().map(|w| w.try_send(line)) {
        Some(Ok(())) => {}
        Some(Err(TrySendError::Full(_) | TrySendError::Disconnected(_))) | None => {
            PENDING.fetch_sub(1, Ordering::Relaxed);
            DROPPED.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Gives the writer up to `limit` to write what is queued, before the process exits.
pub fn drain(limit: std::time::Duration) {
    let deadline = std::time::Instant::now() + limit;
    while PENDING.load(Ordering::Relaxed) > 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// A transcript line: left out with `--quiet`.
fn emit(line: String) {
    if !QUIET.load(Ordering::Relaxed) {
        say(line);
    }
}

/// Message bodies can be long: a unit shows this many lines and says how many it left out.
const SHOWN: usize = 12;

/// Hears each explanation with what it explains; for a client line, returns the line as it
/// may be shown when that differs.
pub type Explained<'a> = dyn FnMut(&[u8], &Explanation) -> Option<Vec<u8>> + 'a;

/// Prints one unit of bytes as `C:`/`S:` lines, tagged with the session and noting TLS.
/// Every line goes through the narrator, so it keeps up with the dialogue; client lines are
/// annotated with their explanation's title where it says something new. `explained` gets
/// each explanation with what it explains (the server's unit, or each client line): the
/// live stream reads the dialogue through the same narrator. For a client line it returns
/// the line as it may be shown, when that differs (a secret hidden), and that is printed:
/// the terminal and the stream hide secrets by one rule.
pub fn print_unit(
    tag: &str,
    prefix: &str,
    tls: bool,
    bytes: &[u8],
    narrator: &mut dyn Narrator,
    from_client: bool,
    explained: &mut Explained<'_>,
) {
    let lock = if tls { " [TLS]" } else { "" };
    if !from_client {
        explained(bytes, &narrator.server_unit(bytes));
    }
    let mut last_title = String::new();
    let mut shown = 0;
    let mut total = 0;
    for raw in bytes.split_inclusive(|&b| b == b'\n') {
        total += 1;
        let mut shown_line = None;
        let note = if from_client {
            let explanation = narrator.client_line(raw);
            shown_line = explained(raw, &explanation);
            let new = explanation.title != last_title;
            last_title = explanation.title;
            if new {
                format!("    ; {last_title}")
            } else {
                String::new()
            }
        } else {
            String::new()
        };
        if shown < SHOWN {
            let text = String::from_utf8_lossy(shown_line.as_deref().unwrap_or(raw));
            let line = text.trim_end_matches(['\r', '\n']);
            emit(format!("{tag}{lock} {prefix} {line}{note}"));
            shown += 1;
        }
    }
    if total > shown {
        emit(format!(
            "{tag}{lock} {prefix} ... ({} more lines)",
            total - shown
        ));
    }
}

/// A line about the session rather than from it.
pub fn note(tag: &str, text: &str) {
    emit(format!("{tag} -- {text}"));
}
