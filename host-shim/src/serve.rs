//! The platform's JSON API for developers: `GET /api/ines/getMapping` behind HTTP Basic auth
//! with the platform's API credentials (behaviour.md §6). Errors are JSON with a message; a
//! plugin error or trap fails that request only.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::{Deserialize, Serialize};

use crate::bindings::exports::ines::crm::plugin as wit_plugin;
use crate::host::{Host, HostError};

/// The API user and password the platform's API accepts.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiCredentials {
    pub user: String,
    pub password: String,
}

impl std::fmt::Debug for ApiCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiCredentials")
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

/// One entry of the API's `mapping`, in the seed's field order, with 0/1 integers.
#[derive(Serialize)]
struct MappingEntry<'a> {
    concept: &'a str,
    #[serde(rename = "inesFieldKey")]
    ines_field_key: &'a str,
    #[serde(rename = "isCustomField")]
    is_custom_field: u8,
    #[serde(rename = "atmtFieldKey")]
    atmt_field_key: &'a str,
    #[serde(rename = "isEcrasable")]
    is_ecrasable: u8,
}

#[derive(Serialize)]
struct MappingDocument<'a> {
    mapping: Vec<MappingEntry<'a>>,
    #[serde(rename = "dontSyncFieldKey")]
    dont_sync_field_key: &'a str,
}

/// The getMapping document, exactly as behaviour.md §6 shapes it.
pub fn mapping_json(api: &wit_plugin::MappingApi) -> String {
    let doc = MappingDocument {
        mapping: api
            .mapping
            .iter()
            .map(|e| MappingEntry {
                concept: match e.concept {
                    wit_plugin::Concept::Contact => "contact",
                    wit_plugin::Concept::Client => "client",
                },
                ines_field_key: &e.ines_field_key,
                is_custom_field: u8::from(e.is_custom_field),
                atmt_field_key: &e.atmt_field_key,
                is_ecrasable: u8::from(e.is_ecrasable),
            })
            .collect(),
        dont_sync_field_key: &api.dont_sync_field_key,
    };
    serde_json::to_string(&doc).unwrap_or_else(|_| "{}".to_string())
}

type Reply = Response<Full<Bytes>>;

fn json(status: StatusCode, body: String) -> Reply {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

fn error(status: StatusCode, message: &str) -> Reply {
    json(status, serde_json::json!({ "error": message }).to_string())
}

/// Decodes standard base64 (padding optional); none on anything else.
fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let text = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes() {
        acc = (acc << 6) | value(c)?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    Some(out)
}

/// Compares without an early exit, so timing does not tell how much of a secret matched.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// Whether the request carries the API credentials in a Basic `Authorization` header.
pub fn authorised(header: Option<&HeaderValue>, expected: Option<&ApiCredentials>) -> bool {
    let (Some(header), Some(expected)) = (header, expected) else {
        return false;
    };
    let Some(encoded) = header.to_str().ok().and_then(|h| {
        h.strip_prefix("Basic ")
            .or_else(|| h.strip_prefix("basic "))
    }) else {
        return false;
    };
    let Some(decoded) = base64_decode(encoded) else {
        return false;
    };
    let Some(colon) = decoded.iter().position(|b| *b == b':') else {
        return false;
    };
    let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
    same(user, expected.user.as_bytes()) & same(password, expected.password.as_bytes())
}

fn route(host: &Host, request: &Request<Incoming>) -> Reply {
    if request.uri().path() != "/api/ines/getMapping" {
        return error(StatusCode::NOT_FOUND, "no such API endpoint");
    }
    if request.method() != Method::GET {
        return error(StatusCode::METHOD_NOT_ALLOWED, "use GET");
    }
    let expected = match host.api_credentials() {
        Ok(c) => c,
        Err(e) => return error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    };
    if !authorised(
        request.headers().get(http::header::AUTHORIZATION),
        expected.as_ref(),
    ) {
        let mut reply = error(StatusCode::UNAUTHORIZED, "API credentials required");
        reply.headers_mut().insert(
            WWW_AUTHENTICATE,
            HeaderValue::from_static("Basic realm=\"Automation API\", charset=\"UTF-8\""),
        );
        return reply;
    }
    match host.get_mapping() {
        Ok(api) => json(StatusCode::OK, mapping_json(&api)),
        Err(e @ HostError::Plugin(_)) => error(StatusCode::UNPROCESSABLE_ENTITY, &e.to_string()),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// A running API server.
pub struct ApiServer {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ApiServer {
    /// Binds `addr` (port 0 for any free port) and serves on a thread of its own.
    pub fn start(host: Arc<Host>, addr: SocketAddr) -> std::io::Result<ApiServer> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        let (stop, mut stopped) = tokio::sync::oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("api-server".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    loop {
                        tokio::select! {
                            _ = &mut stopped => break,
                            accepted = listener.accept() => match accepted {
                                Ok((stream, _)) => {
                                    let host = Arc::clone(&host);
                                    tokio::spawn(async move {
                                        let service = service_fn(move |request| {
                                            let host = Arc::clone(&host);
                                            async move {
                                                // Plugin calls are synchronous: off the reactor.
                                                let reply = tokio::task::spawn_blocking(move || route(&host, &request))
                                                    .await
                                                    .unwrap_or_else(|_| error(StatusCode::INTERNAL_SERVER_ERROR, "the request failed"));
                                                Ok::<_, Infallible>(reply)
                                            }
                                        });
                                        let _ = http1::Builder::new()
                                            .timer(TokioTimer::new())
                                            .serve_connection(TokioIo::new(stream), service)
                                            .await;
                                    });
                                }
                                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
                            },
                        }
                    }
                });
            })?;
        Ok(ApiServer {
            addr,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until the process ends (the CLI's `serve`).
    pub fn wait(mut self) {
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_credentials_are_checked_exactly() {
        let creds = ApiCredentials {
            user: "api".into(),
            password: "p:ss".into(),
        };
        // "api:p:ss"
        let good = HeaderValue::from_static("Basic YXBpOnA6c3M=");
        assert!(authorised(Some(&good), Some(&creds)));
        let wrong = HeaderValue::from_static("Basic YXBpOnd4");
        assert!(!authorised(Some(&wrong), Some(&creds)));
        assert!(!authorised(None, Some(&creds)));
        assert!(
            !authorised(Some(&good), None),
            "no credentials set: nobody gets in"
        );
        let garbage = HeaderValue::from_static("Basic !!!");
        assert!(!authorised(Some(&garbage), Some(&creds)));
        let bearer = HeaderValue::from_static("Bearer YXBpOnA6c3M=");
        assert!(!authorised(Some(&bearer), Some(&creds)));
    }

    #[test]
    fn base64_decodes_with_and_without_padding() {
        assert_eq!(base64_decode("YQ==").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64_decode("YWI").as_deref(), Some(&b"ab"[..]));
        assert_eq!(base64_decode("YWJj").as_deref(), Some(&b"abc"[..]));
    }
}
