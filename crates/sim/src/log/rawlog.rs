//! Dovecot's rawlog: what the server received (`.in`) and sent (`.out`), each line after a
//! time stamp (`1796403869.751879 a1 LOGIN …`). Pasted as the two files one after the other,
//! with the headers `tail -n +1 x.in x.out` prints (`==> x.in <==`), or merged by time
//! (`sort -s -n x.in x.out`), where the protocol tells who sent each line. The lines are put
//! back in the order of their time stamps; a command and its answer in the same instant keep
//! that order.

use super::record::{numbered, Parsed, Side};

/// `1796403869.751879` → (seconds, microseconds).
fn stamp(word: &str) -> Option<(u64, u32)> {
    let (secs, micros) = word.split_once('.')?;
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.chars().all(|c| c.is_ascii_digit())
    };
    if !digits(secs, 1..=12) || !digits(micros, 6..=6) {
        return None;
    }
    Some((secs.parse().ok()?, micros.parse().ok()?))
}

/// A line with its time stamp, or None.
fn stamped(line: &str) -> Option<((u64, u32), &str)> {
    let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
    Some((stamp(word)?, rest))
}

/// `==> 20261204-170429.21914.1.in <==` → the side the file holds.
fn header(line: &str) -> Option<Option<Side>> {
    let name = line.strip_prefix("==> ")?.strip_suffix(" <==")?;
    Some(if name.ends_with(".in") {
        Some(Side::Client)
    } else if name.ends_with(".out") {
        Some(Side::Server)
    } else {
        None
    })
}

/// True for a line only a server sends: the side of a file pasted without its header.
fn server_like(text: &str) -> bool {
    let mut words = text.split(' ');
    let first = words.next().unwrap_or_default();
    let second = words.next().unwrap_or_default();
    first == "*"
        || first == "+OK"
        || first == "-ERR"
        || (first.len() == 3 && first.chars().all(|c| c.is_ascii_digit()))
        || first.get(..4).is_some_and(|c| {
            c.get(..3)
                .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit()))
                && c.ends_with('-')
        })
        || matches!(second, "OK" | "NO" | "BAD")
}

struct Entry<'a> {
    time: (u64, u32),
    side: Option<Side>,
    text: &'a str,
    at: usize,
}

pub(crate) fn parse(text: &str) -> Parsed {
    let mut parsed = Parsed::new();
    let mut entries: Vec<Entry> = Vec::new();
    // Sections: one per file; a new one where a header says so or time goes back.
    let mut sections: Vec<(Option<Side>, Vec<usize>)> = Vec::new();
    let mut headed = false;
    let mut last = (0, 0);
    for (number, line) in numbered(text) {
        if let Some(side) = header(line) {
            headed = true;
            sections.push((side, Vec::new()));
            parsed.note(number, line);
            continue;
        }
        let Some((time, rest)) = stamped(line) else {
            if !line.trim().is_empty() {
                parsed.unread(number, line);
            }
            continue;
        };
        if sections.is_empty() || (!headed && time < last) {
            sections.push((None, Vec::new()));
        }
        last = time;
        if let Some((_, members)) = sections.last_mut() {
            members.push(entries.len());
        }
        entries.push(Entry {
            time,
            side: None,
            text: rest,
            at: number,
        });
    }
    // Files pasted without headers: the one with server lines is the .out.
    let split = !headed && sections.len() >= 2;
    for (side, members) in &sections {
        let side = match side {
            Some(side) => Some(*side),
            None if split => {
                let server = members
                    .iter()
                    .filter_map(|&i| entries.get(i))
                    .any(|e| server_like(e.text));
                Some(if server { Side::Server } else { Side::Client })
            }
            None => None,
        };
        for &i in members {
            if let Some(entry) = entries.get_mut(i) {
                entry.side = side;
            }
        }
    }
    // The order of time; in the same instant what came in is answered after it.
    let rank = |side: Option<Side>| usize::from(side == Some(Side::Server));
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by_key(|&i| entries.get(i).map(|e| (e.time, rank(e.side), i)));
    for i in order {
        if let Some(e) = entries.get(i) {
            parsed.line(e.side, e.text.as_bytes(), e.at);
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::log::record::Record;

    fn sides(p: &Parsed) -> Vec<Option<Side>> {
        p.records
            .iter()
            .filter_map(|r| match r {
                Record::Line { side, .. } => Some(*side),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn headers_name_the_side_and_time_orders_the_lines() {
        let p = parse(
            "==> a.in <==\n1.000002 a1 NOOP\n\n==> a.out <==\n1.000001 * OK hi\n1.000003 a1 OK done\n",
        );
        assert_eq!(
            sides(&p),
            [Some(Side::Server), Some(Side::Client), Some(Side::Server)]
        );
        assert!(p.unread.is_empty());
    }

    #[test]
    fn files_without_headers_are_told_apart_by_their_lines() {
        let p = parse("5.000002 USER bob\n5.000004 QUIT\n5.000001 +OK ready\n5.000003 +OK\n");
        assert_eq!(
            sides(&p),
            [
                Some(Side::Server),
                Some(Side::Client),
                Some(Side::Server),
                Some(Side::Client)
            ]
        );
    }

    #[test]
    fn merged_by_time_leaves_the_side_to_the_protocol() {
        let p = parse("5.000001 +OK ready\n5.000002 USER bob\n");
        assert_eq!(sides(&p), [None, None]);
    }
}
