//! Login sessions (ines-wire §4): unguessable ids, idle expiry, several sessions per user.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::fault::Fault;

#[derive(Debug)]
struct Session {
    last_check: Instant,
}

#[derive(Debug, Default)]
pub(crate) struct SessionStore {
    sessions: HashMap<String, Session>,
    /// How far tests moved the sessions' clock ahead of the real one.
    skew: Duration,
}

impl SessionStore {
    fn now(&self) -> Instant {
        Instant::now() + self.skew
    }

    /// Moves the sessions' clock ahead, so tests see idle expiry without waiting.
    pub(crate) fn advance(&mut self, by: Duration) {
        self.skew += by;
    }

    /// Opens a session and returns its id (32 hex digits from the OS random source).
    pub(crate) fn open(&mut self, idle: Duration) -> Result<String, Fault> {
        let now = self.now();
        self.sessions
            .retain(|_, session| now.duration_since(session.last_check) < idle);
        let mut bytes = [0u8; 16];
        getrandom::fill(&mut bytes)
            .map_err(|e| Fault::Internal(format!("no random source for session ids: {e}")))?;
        let id: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        self.sessions
            .insert(id.clone(), Session { last_check: now });
        Ok(id)
    }

    /// The session check of §9 check 5; a passing check resets the idle clock.
    pub(crate) fn check(&mut self, id: Option<&str>, idle: Duration) -> Result<(), Fault> {
        let id = id.filter(|id| !id.is_empty()).ok_or(Fault::Session)?;
        let now = self.now();
        let session = self.sessions.get_mut(id).ok_or(Fault::Session)?;
        if now.duration_since(session.last_check) >= idle {
            self.sessions.remove(id);
            return Err(Fault::Session);
        }
        session.last_check = now;
        Ok(())
    }

    pub(crate) fn expire(&mut self, id: &str) {
        self.sessions.remove(id);
    }

    pub(crate) fn expire_all(&mut self) {
        self.sessions.clear();
    }
}
