//! The INES SOAP client: sends operations over the `Http` port, keeps the session id (cached in
//! KV across calls), and on the session fault logs in once and resends once with the new id
//! (ines-wire.md §4). Several calls may be in flight at once; they share one session and one
//! re-login.

use std::cell::{Cell, RefCell};

use crate::exec::{Stalled, yield_now};
use crate::ines::ops;
use crate::ines::wire::{self, FaultCode, Operation, SoapError};
use crate::ports::{Http, HttpError, HttpRequest, Kv, KvError};
use crate::settings::Connection;
use crate::xml::{Element, XmlError};

/// KV key of the cached session: `<who>\n<id>`, where `who` names the INES URL, account and
/// user it belongs to, so a settings change never reuses another account's session.
const SESSION_KEY: &str = "ines/session";

/// Why an INES call failed. Texts never contain the password or a session id.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ClientError {
    #[error("INES refused the credentials for account '{account}', user '{user}'")]
    CredentialsRefused { account: String, user: String },
    #[error("the INES login failed: {detail}")]
    LoginFailed { detail: String },
    #[error("INES is unreachable at {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("the host refused the request to {url} (only the configured INES URL is allowed)")]
    Denied { url: String },
    #[error("INES answered {operation} with a fault ({code}): {text}")]
    Fault {
        operation: &'static str,
        code: FaultCode,
        text: String,
    },
    #[error("INES answered {operation} with HTTP {status}")]
    Http {
        operation: &'static str,
        status: u16,
    },
    #[error("INES sent an invalid response to {operation}: {detail}")]
    BadResponse {
        operation: &'static str,
        detail: String,
    },
    #[error("a value cannot be sent to INES: {0}")]
    Xml(#[from] XmlError),
    #[error(transparent)]
    Kv(#[from] KvError),
    #[error(transparent)]
    Stalled(#[from] Stalled),
}

impl ClientError {
    /// The fault text of an `Unknown reference <n>` fault, read as "the record is gone".
    pub fn unknown_reference(&self) -> Option<i64> {
        match self {
            ClientError::Fault { code, text, .. } => SoapError::Fault {
                code: code.clone(),
                text: text.clone(),
            }
            .unknown_reference(),
            _ => None,
        }
    }

    fn from_soap(operation: &'static str, e: SoapError) -> ClientError {
        match e {
            SoapError::Fault { code, text } => ClientError::Fault {
                operation,
                code,
                text,
            },
            SoapError::Http { status } => ClientError::Http { operation, status },
            SoapError::BadResponse(detail) => ClientError::BadResponse { operation, detail },
        }
    }

    fn is_session_fault(&self) -> bool {
        matches!(self, ClientError::Fault { text, .. } if text.to_lowercase().contains("session"))
    }
}

#[derive(Clone)]
enum Session {
    /// Not known in memory yet: look in KV, else log in.
    Unknown,
    Ready(String),
    /// One task is logging in; the others wait for it.
    LoggingIn,
    /// The login failed; every waiting task gets the same error.
    Failed(Box<ClientError>),
}

/// An INES client for one plugin call.
pub struct InesClient<'a, H: Http, K: Kv> {
    http: &'a H,
    kv: &'a K,
    conn: Connection,
    session: RefCell<Session>,
    requests: Cell<u32>,
}

impl<'a, H: Http, K: Kv> InesClient<'a, H, K> {
    pub fn new(http: &'a H, kv: &'a K, conn: Connection) -> Self {
        InesClient {
            http,
            kv,
            conn,
            session: RefCell::new(Session::Unknown),
            requests: Cell::new(0),
        }
    }

    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    /// HTTP requests sent so far, logins included.
    pub fn requests_sent(&self) -> u32 {
        self.requests.get()
    }

    /// Sends one request and decodes the result element of `op`.
    async fn send(
        &self,
        op: &Operation,
        session_id: Option<&str>,
        body: &str,
    ) -> Result<Element, ClientError> {
        let url = format!("{}{}", self.conn.base_url, op.service.path());
        let request = HttpRequest {
            url: url.clone(),
            soap_action: op.soap_action(),
            body: wire::envelope(op, session_id, body)?,
        };
        self.requests.set(self.requests.get() + 1);
        let response = self.http.send(request).await.map_err(|e| match e {
            HttpError::Denied(url) => ClientError::Denied { url },
            HttpError::Unreachable(detail) | HttpError::Other(detail) => {
                ClientError::Unreachable { url, detail }
            }
            e @ HttpError::TooLarge { .. } => ClientError::BadResponse {
                operation: op.name,
                detail: e.to_string(),
            },
        })?;
        wire::parse_response(op, response.status, &response.body)
            .map_err(|e| ClientError::from_soap(op.name, e))
    }

    /// Logs in with the configured credentials and returns the new session id.
    async fn login(&self) -> Result<String, ClientError> {
        let body = ops::login_request(&self.conn.account, &self.conn.user, &self.conn.password)?;
        let result = match self.send(&wire::AUTHENTICATION_WS, None, &body).await {
            Ok(result) => result,
            Err(e @ (ClientError::Unreachable { .. } | ClientError::Denied { .. })) => {
                return Err(e);
            }
            Err(e) => {
                return Err(ClientError::LoginFailed {
                    detail: e.to_string(),
                });
            }
        };
        ops::read_login(&result).map_err(|_| ClientError::CredentialsRefused {
            account: self.conn.account.clone(),
            user: self.conn.user.clone(),
        })
    }

    /// A fresh login, ignoring any cached session (the "test the connection" button); the new
    /// session is cached for the calls that follow.
    pub async fn test_login(&self) -> Result<(), ClientError> {
        let id = self.login().await?;
        self.remember(&id)?;
        Ok(())
    }

    fn remember(&self, id: &str) -> Result<(), ClientError> {
        let record = format!("{}\n{id}", self.conn.owner());
        self.kv.set(SESSION_KEY, record.as_bytes())?;
        *self.session.borrow_mut() = Session::Ready(id.to_string());
        Ok(())
    }

    fn cached_session(&self) -> Result<Option<String>, ClientError> {
        let Some(bytes) = self.kv.get(SESSION_KEY)? else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&bytes);
        Ok(text
            .split_once('\n')
            .filter(|(owner, id)| *owner == self.conn.owner() && !id.is_empty())
            .map(|(_, id)| id.to_string()))
    }

    /// The current session id: from memory, else KV, else a login shared by every task.
    async fn session_id(&self) -> Result<String, ClientError> {
        loop {
            let state = self.session.borrow().clone();
            match state {
                Session::Ready(id) => return Ok(id),
                Session::Failed(e) => return Err(*e),
                Session::LoggingIn => yield_now().await,
                Session::Unknown => {
                    if let Some(id) = self.cached_session()? {
                        *self.session.borrow_mut() = Session::Ready(id);
                        continue;
                    }
                    *self.session.borrow_mut() = Session::LoggingIn;
                    match self.login().await {
                        Ok(id) => self.remember(&id)?,
                        Err(e) => {
                            *self.session.borrow_mut() = Session::Failed(Box::new(e.clone()));
                            return Err(e);
                        }
                    }
                }
            }
        }
    }

    /// Forgets `stale` unless another task already replaced it.
    fn discard(&self, stale: &str) -> Result<(), ClientError> {
        let is_current = matches!(&*self.session.borrow(), Session::Ready(id) if id == stale);
        if is_current {
            *self.session.borrow_mut() = Session::Unknown;
            self.kv.delete(SESSION_KEY)?;
        }
        Ok(())
    }

    /// Calls an authenticated operation. On the session fault: one new login, one resend with
    /// the new id, never a third attempt (the session check precedes any effect, so the resend
    /// is always safe).
    pub async fn call(&self, op: &Operation, body: &str) -> Result<Element, ClientError> {
        let id = self.session_id().await?;
        match self.send(op, Some(&id), body).await {
            Err(e) if e.is_session_fault() => {
                self.discard(&id)?;
                let fresh = self.session_id().await?;
                self.send(op, Some(&fresh), body).await
            }
            other => other,
        }
    }
}
