//! Who may connect: a cap on all connections, a share of it for each service so that a flood
//! on one port leaves room on the others, and a cap per client address so that one machine
//! cannot hold them all (slow clients holding connections open, "slowloris").

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Mutex, PoisonError};

use crate::bridge::Service;

/// The caps, from the command line.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub total: usize,
    pub per_address: usize,
}

impl Limits {
    /// One service may take four fifths of all connections.
    fn per_service(self) -> usize {
        (self.total * 4).div_ceil(5).max(1)
    }
}

/// Why a connection was turned away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Busy,
    TooManyFromAddress,
}

#[derive(Debug, Default)]
struct Counts {
    total: usize,
    by_service: HashMap<Service, usize>,
    by_address: HashMap<IpAddr, usize>,
}

/// The connections open now.
#[derive(Debug)]
pub struct Admission {
    limits: Limits,
    counts: Mutex<Counts>,
}

/// A connection let in: it counts until dropped.
#[derive(Debug)]
pub struct Ticket<'a> {
    admission: &'a Admission,
    service: Service,
    address: Option<IpAddr>,
}

impl Admission {
    pub fn new(limits: Limits) -> Self {
        Admission {
            limits,
            counts: Mutex::new(Counts::default()),
        }
    }

    /// Lets a connection from `address` to `service` in, or says why not.
    pub fn admit(&self, service: Service, address: Option<IpAddr>) -> Result<Ticket<'_>, Refusal> {
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let from_address = address.map_or(0, |a| counts.by_address.get(&a).copied().unwrap_or(0));
        if from_address >= self.limits.per_address {
            return Err(Refusal::TooManyFromAddress);
        }
        let on_service = counts.by_service.get(&service).copied().unwrap_or(0);
        if counts.total >= self.limits.total || on_service >= self.limits.per_service() {
            return Err(Refusal::Busy);
        }
        counts.total += 1;
        *counts.by_service.entry(service).or_default() += 1;
        if let Some(a) = address {
            *counts.by_address.entry(a).or_default() += 1;
        }
        Ok(Ticket {
            admission: self,
            service,
            address,
        })
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        let mut counts = self
            .admission
            .counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        counts.total = counts.total.saturating_sub(1);
        if let Some(n) = counts.by_service.get_mut(&self.service) {
            *n = n.saturating_sub(1);
        }
        if let Some(a) = self.address {
            if let Some(n) = counts.by_address.get_mut(&a) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    counts.by_address.remove(&a);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_flood_from_one_address_or_on_one_port_leaves_room_for_the_others() {
        let admission = Admission::new(Limits {
            total: 10,
            per_address: 3,
        });
        let a: IpAddr = [127, 0, 0, 1].into();
        let b: IpAddr = [127, 0, 0, 2].into();
        let held: Vec<_> = (0..3)
            .map(|_| admission.admit(Service::SmtpExchanger, Some(a)).unwrap())
            .collect();
        assert_eq!(
            admission.admit(Service::Imap, Some(a)).unwrap_err(),
            Refusal::TooManyFromAddress
        );
        // Port 25 takes at most 8 of the 10.
        let more: Vec<_> = (0..5)
            .map(|i| {
                let addr: IpAddr = [10, 0, 0, i].into();
                admission.admit(Service::SmtpExchanger, Some(addr)).unwrap()
            })
            .collect();
        assert_eq!(
            admission
                .admit(Service::SmtpExchanger, Some(b))
                .unwrap_err(),
            Refusal::Busy
        );
        assert!(admission.admit(Service::Pop3, Some(b)).is_ok());
        drop(held);
        drop(more);
        assert!(admission.admit(Service::SmtpExchanger, Some(a)).is_ok());
    }
}
