//! Throwaway Postfix and Dovecot instances (`scripts/peers`), each in its own temporary
//! directory and stopped when dropped, for tests that hold our code against real servers.

use std::fs;
use std::path::PathBuf;
use std::process::Command;

use super::{free_offset, unique};

/// Where the instance scripts are.
pub const PEERS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/peers");

/// A throwaway server instance, stopped when dropped.
pub struct Instance {
    script: &'static str,
    pub dir: PathBuf,
}

impl Instance {
    /// Runs `script start DIR args...` in a fresh directory.
    pub fn start(script: &'static str, args: &[&str]) -> Instance {
        let dir = std::env::temp_dir().join(format!(
            "postroom-{script}-{}-{}",
            std::process::id(),
            unique()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let out = Command::new(format!("{PEERS}/{script}"))
            .arg("start")
            .arg(&dir)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{script} start: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        Instance { script, dir }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = Command::new(format!("{PEERS}/{}", self.script))
            .arg("stop")
            .arg(&self.dir)
            .output();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// A Dovecot with the account alice:secret and no mail; its POP3 and IMAP ports.
pub fn dovecot() -> (Instance, u16, u16) {
    let base = free_offset();
    let (pop, imap) = (base + 110, base + 143);
    let dovecot = Instance::start(
        "dovecot-instance",
        &[&pop.to_string(), &imap.to_string(), "alice:secret"],
    );
    (dovecot, pop, imap)
}

/// Delivers `bytes` into alice's Maildir through the instance's own delivery (as its LDA
/// would), from a file named after `name`.
pub fn deliver_to_dovecot(dovecot: &Instance, name: &str, bytes: &[u8]) {
    let file = dovecot.dir.join(format!("{name}.eml"));
    fs::write(&file, bytes).unwrap();
    let out = Command::new(format!("{PEERS}/dovecot-instance"))
        .arg("deliver")
        .arg(&dovecot.dir)
        .arg("alice")
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
