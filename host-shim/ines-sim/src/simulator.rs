//! The `Simulator` handle: a server on its own thread and tokio runtime, and the control surface
//! tests use to inspect and alter its state, sessions, knobs and call log.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use tokio::sync::oneshot;

use crate::SimError;
use crate::config::SimConfig;
use crate::knobs::{CallRecord, Knob, KnobTable};
use crate::server;
use crate::session::SessionStore;
use crate::state::SimState;

/// Everything the server threads and the handle share.
pub(crate) struct Shared {
    pub config: SimConfig,
    pub local_addr: SocketAddr,
    inner: Mutex<Inner>,
}

/// The mutable part, behind one lock so that each request sees and changes it atomically.
#[derive(Debug, Default)]
pub(crate) struct Inner {
    pub state: SimState,
    pub sessions: SessionStore,
    pub knobs: KnobTable,
    pub calls: Vec<CallRecord>,
}

/// Calls kept in the log; the oldest are dropped beyond this, so that a long-running binary
/// stays bounded.
const MAX_CALLS: usize = 100_000;

impl Inner {
    pub(crate) fn record_call(&mut self, call: CallRecord) {
        if self.calls.len() >= MAX_CALLS {
            self.calls.drain(..MAX_CALLS / 10);
        }
        self.calls.push(call);
    }
}

impl Shared {
    /// Locks the mutable part, recovering it if a panic poisoned the lock.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A running simulator on its own thread with its own tokio runtime; usable from sync code.
/// Dropping it (or `shutdown`) stops the server and waits for its thread.
pub struct Simulator {
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Simulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Simulator")
            .field("addr", &self.shared.local_addr)
            .finish_non_exhaustive()
    }
}

impl Simulator {
    /// Binds `addr` (port 0 picks a free port) and starts serving before returning.
    pub fn start(config: SimConfig, addr: SocketAddr) -> Result<Simulator, SimError> {
        let listener =
            std::net::TcpListener::bind(addr).map_err(|source| SimError::Bind { addr, source })?;
        listener.set_nonblocking(true)?;
        let local_addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let listener = {
            let _context = runtime.enter();
            tokio::net::TcpListener::from_std(listener)?
        };
        let shared = Arc::new(Shared {
            config,
            local_addr,
            inner: Mutex::new(Inner::default()),
        });
        let (stop, stopped) = oneshot::channel();
        let server_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name(format!("ines-sim {local_addr}"))
            .spawn(move || runtime.block_on(server::serve(listener, server_shared, stopped)))?;
        Ok(Simulator {
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.shared.local_addr
    }

    /// `http://IP:PORT`, the base URL to configure a client with.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.shared.local_addr)
    }

    pub fn config(&self) -> &SimConfig {
        &self.shared.config
    }

    /// A snapshot of the CRM data.
    pub fn state(&self) -> SimState {
        self.shared.lock().state.clone()
    }

    /// Seeds or alters the CRM data (for example, deletes a contact behind the client's back).
    pub fn edit<R>(&self, f: impl FnOnce(&mut SimState) -> R) -> R {
        f(&mut self.shared.lock().state)
    }

    /// Every request received, in order (the latest 100 000 at most).
    pub fn calls(&self) -> Vec<CallRecord> {
        self.shared.lock().calls.clone()
    }

    pub fn clear_calls(&self) {
        self.shared.lock().calls.clear();
    }

    /// Arms `knob` for `operation` (`None`: every operation) for `times` requests (`None`: until
    /// `clear_knobs`).
    pub fn set_knob(&self, operation: Option<&str>, knob: Knob, times: Option<u32>) {
        self.shared.lock().knobs.arm(operation, None, knob, times);
    }

    /// Like [`Simulator::set_knob`], for requests whose raw body contains `text` only (to
    /// make INES refuse one lead, say).
    pub fn set_knob_matching(
        &self,
        operation: Option<&str>,
        text: &str,
        knob: Knob,
        times: Option<u32>,
    ) {
        self.shared
            .lock()
            .knobs
            .arm(operation, Some(text), knob, times);
    }

    /// Moves the simulator's session clock ahead by `by`: idle expiry without waiting.
    pub fn advance_clock(&self, by: std::time::Duration) {
        self.shared.lock().sessions.advance(by);
    }

    pub fn clear_knobs(&self) {
        self.shared.lock().knobs.clear();
    }

    /// Ends every session, as if all had been idle too long.
    pub fn expire_all_sessions(&self) {
        self.shared.lock().sessions.expire_all();
    }

    /// Stops the server and waits for its thread (dropping does the same).
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
