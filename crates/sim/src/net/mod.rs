//! The network of the story: links that carry units with latency, the fault plan that says
//! where a connection drops or a packet is lost, DNS, and which service listens on which
//! host and port.

pub(crate) mod dns;
pub(crate) mod faults;
pub(crate) mod link;
pub(crate) mod services;
