//! The fault plan: the scenario's faults, read once, and the one place that answers "does a
//! fault act here?" — which step's connection drops, which line loses a packet, which
//! connection is cut where, and which attempt finds a server down.

use crate::net::link::Unit;
use crate::scenario::{Device, Fault};

/// Where a connection is cut short by a fault that strikes a kind of connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    Never,
    /// As the client says goodbye ([`Fault::PhoneDropsBeforeQuit`]).
    BeforeQuit,
    /// In the middle of the message ([`Fault::DropMidData`]).
    MidData,
}

/// A fault acting on a unit about to arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Strike {
    /// The connection dropped right after an earlier step of it ([`Fault::DropAfter`]):
    /// this unit never arrives.
    Drop,
    /// The connection is cut as this unit crosses.
    Cut(Cut),
    /// A packet of this unit is lost ([`Fault::LossAt`]): it arrives a retransmission later.
    Loss,
}

#[derive(Debug, Clone)]
pub(crate) struct FaultPlan {
    faults: Vec<Fault>,
    /// The steps after which their connection drops.
    drop_after: Vec<usize>,
    /// The steps whose line loses a packet on the way.
    loss_at: Vec<usize>,
}

impl FaultPlan {
    pub fn new(faults: &[Fault]) -> Self {
        let steps = |pick: fn(Fault) -> Option<u32>| {
            faults
                .iter()
                .filter_map(|f| pick(*f).and_then(|step| usize::try_from(step).ok()))
                .collect()
        };
        FaultPlan {
            faults: faults.to_vec(),
            drop_after: steps(|f| match f {
                Fault::DropAfter(step) => Some(step),
                _ => None,
            }),
            loss_at: steps(|f| match f {
                Fault::LossAt(step) => Some(step),
                _ => None,
            }),
        }
    }

    pub fn has(&self, fault: Fault) -> bool {
        self.faults.contains(&fault)
    }

    /// Where Alice's submission is cut: the dropped DATA strikes the first email only.
    pub fn submission_cut(&self, first_email: bool) -> Cut {
        if first_email && self.has(Fault::DropMidData) {
            Cut::MidData
        } else {
            Cut::Never
        }
    }

    /// Where a device's POP3 session is cut: the phone may lose its connection before QUIT.
    pub fn pop3_cut(&self, device: Device) -> Cut {
        if device == Device::Phone && self.has(Fault::PhoneDropsBeforeQuit) {
            Cut::BeforeQuit
        } else {
            Cut::Never
        }
    }

    /// Whether Bob's server is down for this relay attempt: for the first email's first
    /// attempt only, then it is back.
    pub fn server_down(&self, first_email: bool, attempt: u32) -> bool {
        attempt == 1 && first_email && self.has(Fault::ServerDown)
    }

    /// What acts on `unit`, about to become step `step` on a connection whose first step was
    /// `since` and which `cut` strikes; `is_quit` says the unit is the client's goodbye.
    pub fn strike(
        &self,
        (since, step): (usize, usize),
        cut: Cut,
        unit: &Unit,
        is_quit: bool,
    ) -> Option<Strike> {
        // A step of this connection was chosen to be its last, and more was to come.
        if self.drop_after.iter().any(|n| (since..step).contains(n)) {
            return Some(Strike::Drop);
        }
        let cut_here = match cut {
            Cut::Never => false,
            Cut::BeforeQuit => unit.to_server && is_quit,
            // The message itself is the one unit longer than a command line.
            Cut::MidData => {
                unit.to_server && (unit.bytes.len() > 512 || unit.bytes.ends_with(b"\r\n.\r\n"))
            }
        };
        if cut_here {
            Some(Strike::Cut(cut))
        } else if self.loss_at.contains(&step) {
            Some(Strike::Loss)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use postroom_proto::Instant;

    use super::*;
    use crate::net::link::{Link, Outbox};

    struct Client(Option<Vec<u8>>);

    impl Outbox for Client {
        fn client_output(&mut self) -> Option<Vec<u8>> {
            self.0.take()
        }
        fn server_output(&mut self) -> Option<Vec<u8>> {
            None
        }
        fn encrypted(&self) -> bool {
            false
        }
    }

    /// A unit the client sends.
    fn sent(bytes: &[u8]) -> Unit {
        let mut client = Client(Some(bytes.to_vec()));
        Link::lockstep()
            .next(&mut client, Instant::ZERO)
            .unwrap_or_else(|| unreachable!())
    }

    #[test]
    fn a_connection_dropped_after_a_step_carries_nothing_after_it() {
        let plan = FaultPlan::new(&[Fault::DropAfter(5)]);
        let unit = sent(b"RETR 1\r\n");
        // The connection began at step 3: step 5 is on it, so what would be step 6 never comes.
        assert_eq!(
            plan.strike((3, 6), Cut::Never, &unit, false),
            Some(Strike::Drop)
        );
        assert_eq!(plan.strike((3, 5), Cut::Never, &unit, false), None);
        // A connection that began after step 5 is not touched.
        assert_eq!(plan.strike((6, 9), Cut::Never, &unit, false), None);
    }

    #[test]
    fn a_lost_packet_strikes_its_own_step_only() {
        let plan = FaultPlan::new(&[Fault::LossAt(4)]);
        let unit = sent(b"NOOP\r\n");
        assert_eq!(
            plan.strike((0, 4), Cut::Never, &unit, false),
            Some(Strike::Loss)
        );
        assert_eq!(plan.strike((0, 5), Cut::Never, &unit, false), None);
    }

    #[test]
    fn a_cut_mid_data_strikes_the_message_not_the_commands() {
        let plan = FaultPlan::new(&[Fault::DropMidData, Fault::LossAt(2)]);
        let cut = plan.submission_cut(true);
        assert_eq!(cut, Cut::MidData);
        assert_eq!(plan.submission_cut(false), Cut::Never);
        let command = sent(b"MAIL FROM:<alice@example.org>\r\n");
        let message = sent(b"Subject: Lunch\r\n\r\nHi\r\n.\r\n");
        assert_eq!(plan.strike((0, 1), cut, &command, false), None);
        // The cut acts before the lost packet would.
        assert_eq!(
            plan.strike((0, 2), cut, &message, false),
            Some(Strike::Cut(Cut::MidData))
        );
    }

    #[test]
    fn only_the_phone_drops_before_quit_and_only_at_quit() {
        let plan = FaultPlan::new(&[Fault::PhoneDropsBeforeQuit]);
        assert_eq!(plan.pop3_cut(Device::Laptop), Cut::Never);
        let cut = plan.pop3_cut(Device::Phone);
        assert_eq!(
            plan.strike((0, 7), cut, &sent(b"QUIT\r\n"), true),
            Some(Strike::Cut(Cut::BeforeQuit))
        );
        assert_eq!(plan.strike((0, 6), cut, &sent(b"DELE 1\r\n"), false), None);
    }

    #[test]
    fn the_server_is_down_for_the_first_emails_first_attempt() {
        let plan = FaultPlan::new(&[Fault::ServerDown]);
        assert!(plan.server_down(true, 1));
        assert!(!plan.server_down(true, 2));
        assert!(!plan.server_down(false, 1));
    }
}
