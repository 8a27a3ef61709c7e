//! Hosts: the machines on the sequence diagram.

/// Index of a host in its timeline's host list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostId(pub usize);

/// The story's hosts, in the order of their lanes.
pub const ALICE: HostId = HostId(0);
pub const SUBMISSION: HostId = HostId(1);
pub const DNS: HostId = HostId(2);
pub const MX: HostId = HostId(3);
pub const PHONE: HostId = HostId(4);
pub const LAPTOP: HostId = HostId(5);

use postroom_proto::i18n::Text;

/// A machine in the world, with the role students see on its lane.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Host {
    /// Who or what it is, e.g. "Alice's laptop".
    pub label: Text,
    /// Its DNS name, e.g. `mx.example.net`.
    pub name: String,
    /// What it does here, e.g. "MX :25 · store".
    pub role: Text,
}

impl Host {
    pub fn new(label: Text, name: &str, role: Text) -> Self {
        Host {
            label,
            name: name.to_string(),
            role,
        }
    }
}
