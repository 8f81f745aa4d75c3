//! The thin wasm layer: binds the `ports` traits to the WIT imports (wasi:http, wasi:keyvalue,
//! the platform) and the WIT exports to `plugin`. No sync logic lives here.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use crate::exec::{Reactor, Stalled};
use crate::plugin::{self, PluginError};
use crate::ports::{self, HttpError, HttpRequest, HttpResponse, KvError};

wit_bindgen::generate!({
    path: "wit",
    world: "ines:crm/ines-plugin",
    generate_all,
});

use exports::ines::crm::plugin as wit_plugin;
use ines::crm::platform as wit_platform;
use ines::crm::types as wit;
use wasi::http::outgoing_handler;
use wasi::http::types::{
    ErrorCode, FutureIncomingResponse, Headers, IncomingBody, Method, OutgoingBody,
    OutgoingRequest, Scheme,
};
use wasi::io::poll::Pollable;
use wasi::io::streams::{InputStream, StreamError};
use wasi::keyvalue::{atomics, batch, store};

/// The largest INES response the plugin reads; a bigger one is an error, not an OOM.
const MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;
/// Bytes written to an output stream per call (the wasi-io blocking-write limit).
const WRITE_CHUNK: usize = 4096;

thread_local! {
    /// What the tasks of the current executor round wait on.
    static WAITING: RefCell<Vec<Pollable>> = const { RefCell::new(Vec::new()) };
}

fn wait_on(p: Pollable) {
    WAITING.with(|w| w.borrow_mut().push(p));
}

/// Blocks on every pollable registered this round with `wasi:io/poll`.
struct WasiReactor;

impl Reactor for WasiReactor {
    fn new_round(&self) {
        WAITING.with(|w| w.borrow_mut().clear());
    }

    fn wait(&self) -> Result<(), Stalled> {
        let waiting = WAITING.with(|w| std::mem::take(&mut *w.borrow_mut()));
        if waiting.is_empty() {
            return Err(Stalled);
        }
        let refs: Vec<&Pollable> = waiting.iter().collect();
        wasi::io::poll::poll(&refs);
        Ok(())
    }
}

/// `wasi:http` as the plugin's `Http` port.
struct WasiHttp;

fn describe(code: &ErrorCode) -> String {
    match code {
        ErrorCode::ConnectionRefused => "connection refused".into(),
        ErrorCode::ConnectionTimeout => "connection timed out".into(),
        ErrorCode::ConnectionReadTimeout | ErrorCode::HttpResponseTimeout => {
            "no response in time".into()
        }
        ErrorCode::DnsError(_) | ErrorCode::DnsTimeout => "the host name does not resolve".into(),
        ErrorCode::TlsCertificateError => "TLS certificate refused".into(),
        ErrorCode::TlsProtocolError | ErrorCode::TlsAlertReceived(_) => {
            "TLS handshake failed".into()
        }
        ErrorCode::ConnectionTerminated => "the connection was closed".into(),
        other => format!("{other:?}"),
    }
}

fn http_error(code: ErrorCode, url: &str) -> HttpError {
    match code {
        ErrorCode::HttpRequestDenied => HttpError::Denied(url.to_string()),
        ErrorCode::HttpResponseBodySize(_) => HttpError::TooLarge {
            limit: MAX_RESPONSE_BYTES,
        },
        other => HttpError::Unreachable(describe(&other)),
    }
}

/// Splits an absolute URL into scheme, authority and path.
fn split_url(url: &str) -> Option<(Scheme, &str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = match scheme.to_ascii_lowercase().as_str() {
        "http" => Scheme::Http,
        "https" => Scheme::Https,
        _ => return None,
    };
    let slash = rest.find('/').unwrap_or(rest.len());
    let (authority, path) = rest.split_at(slash);
    Some((scheme, authority, if path.is_empty() { "/" } else { path }))
}

fn start_request(request: &HttpRequest) -> Result<FutureIncomingResponse, HttpError> {
    let bad = |what: &str| {
        HttpError::Other(format!(
            "cannot build the request to {}: {what}",
            request.url
        ))
    };
    let (scheme, authority, path) = split_url(&request.url).ok_or_else(|| bad("bad URL"))?;
    let headers = Headers::from_list(&[
        (
            "content-type".to_string(),
            b"text/xml; charset=utf-8".to_vec(),
        ),
        (
            "soapaction".to_string(),
            request.soap_action.clone().into_bytes(),
        ),
    ])
    .map_err(|_| bad("header refused"))?;
    let outgoing = OutgoingRequest::new(headers);
    outgoing
        .set_method(&Method::Post)
        .map_err(|_| bad("method"))?;
    outgoing
        .set_scheme(Some(&scheme))
        .map_err(|_| bad("scheme"))?;
    outgoing
        .set_authority(Some(authority))
        .map_err(|_| bad("authority"))?;
    outgoing
        .set_path_with_query(Some(path))
        .map_err(|_| bad("path"))?;
    let body = outgoing.body().map_err(|_| bad("body"))?;
    let pending =
        outgoing_handler::handle(outgoing, None).map_err(|e| http_error(e, &request.url))?;
    let sent = {
        let stream = body.write().map_err(|_| bad("body stream"))?;
        request
            .body
            .as_bytes()
            .chunks(WRITE_CHUNK)
            .try_for_each(|chunk| stream.blocking_write_and_flush(chunk))
    };
    if sent.is_err() {
        // The host closed the body because the request failed (refused, unreachable): its
        // reason is in the response future, and says more than the closed stream.
        pending.subscribe().block();
        return Err(match pending.get() {
            Some(Ok(Err(code))) => http_error(code, &request.url),
            _ => HttpError::Unreachable("the connection closed while sending".into()),
        });
    }
    OutgoingBody::finish(body, None).map_err(|e| http_error(e, &request.url))?;
    Ok(pending)
}

/// A response being received: first its head, then its body, without blocking other tasks.
enum Receiving {
    Head(FutureIncomingResponse),
    // Field order matters: the stream must be dropped before the body it belongs to.
    Body {
        stream: InputStream,
        _body: IncomingBody,
        status: u16,
        bytes: Vec<u8>,
    },
    Finished,
}

struct PendingResponse {
    url: String,
    state: Result<Receiving, Option<HttpError>>,
}

impl PendingResponse {
    fn step(&mut self) -> Poll<Result<HttpResponse, HttpError>> {
        loop {
            let state = match &mut self.state {
                Err(e) => {
                    return Poll::Ready(Err(e
                        .take()
                        .unwrap_or(HttpError::Other("polled twice".into()))));
                }
                Ok(s) => s,
            };
            match state {
                Receiving::Head(future) => {
                    let Some(result) = future.get() else {
                        wait_on(future.subscribe());
                        return Poll::Pending;
                    };
                    let response = match result {
                        Ok(Ok(r)) => r,
                        Ok(Err(code)) => return Poll::Ready(Err(http_error(code, &self.url))),
                        Err(()) => {
                            return Poll::Ready(Err(HttpError::Other(
                                "response taken twice".into(),
                            )));
                        }
                    };
                    let status = response.status();
                    let body = response
                        .consume()
                        .map_err(|_| HttpError::Other("response body unavailable".into()));
                    let body = match body {
                        Ok(b) => b,
                        Err(e) => return Poll::Ready(Err(e)),
                    };
                    let stream = match body.stream() {
                        Ok(s) => s,
                        Err(()) => {
                            return Poll::Ready(Err(HttpError::Other(
                                "response stream unavailable".into(),
                            )));
                        }
                    };
                    *state = Receiving::Body {
                        stream,
                        _body: body,
                        status,
                        bytes: Vec::new(),
                    };
                }
                Receiving::Body {
                    stream,
                    status,
                    bytes,
                    ..
                } => match stream.read(64 * 1024) {
                    Ok(chunk) if chunk.is_empty() => {
                        wait_on(stream.subscribe());
                        return Poll::Pending;
                    }
                    Ok(chunk) => {
                        bytes.extend_from_slice(&chunk);
                        if bytes.len() > MAX_RESPONSE_BYTES {
                            return Poll::Ready(Err(HttpError::TooLarge {
                                limit: MAX_RESPONSE_BYTES,
                            }));
                        }
                    }
                    Err(StreamError::Closed) => {
                        let response = HttpResponse {
                            status: *status,
                            body: std::mem::take(bytes),
                        };
                        *state = Receiving::Finished;
                        return Poll::Ready(Ok(response));
                    }
                    Err(StreamError::LastOperationFailed(e)) => {
                        return Poll::Ready(Err(HttpError::Unreachable(format!(
                            "the response was cut short: {}",
                            e.to_debug_string()
                        ))));
                    }
                },
                Receiving::Finished => {
                    return Poll::Ready(Err(HttpError::Other("response read twice".into())));
                }
            }
        }
    }
}

impl Future for PendingResponse {
    type Output = Result<HttpResponse, HttpError>;
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().step()
    }
}

impl ports::Http for WasiHttp {
    type Pending = PendingResponse;
    fn send(&self, request: HttpRequest) -> PendingResponse {
        PendingResponse {
            state: start_request(&request).map(Receiving::Head).map_err(Some),
            url: request.url,
        }
    }
}

/// The "ines" bucket of `wasi:keyvalue` as the plugin's `Kv` port.
struct WasiKv {
    bucket: store::Bucket,
}

fn kv_error(e: store::Error) -> KvError {
    KvError(match e {
        store::Error::NoSuchStore => "the host has no such store".into(),
        store::Error::AccessDenied => "access to the store was denied".into(),
        store::Error::Other(m) => m,
    })
}

impl WasiKv {
    fn open() -> Result<WasiKv, KvError> {
        Ok(WasiKv {
            bucket: store::open("ines").map_err(kv_error)?,
        })
    }
}

impl ports::Kv for WasiKv {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.bucket.get(key).map_err(kv_error)
    }
    fn get_many(&self, keys: &[&str]) -> Result<Vec<Option<Vec<u8>>>, KvError> {
        let owned: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        let found = batch::get_many(&self.bucket, &owned).map_err(kv_error)?;
        Ok(found.into_iter().map(|kv| kv.map(|(_, v)| v)).collect())
    }
    fn set(&self, key: &str, value: &[u8]) -> Result<(), KvError> {
        self.bucket.set(key, value).map_err(kv_error)
    }
    fn delete(&self, key: &str) -> Result<(), KvError> {
        self.bucket.delete(key).map_err(kv_error)
    }
    fn apply(&self, writes: &[(&str, Option<&[u8]>)]) -> Result<(), KvError> {
        let sets: Vec<(String, Vec<u8>)> = writes
            .iter()
            .filter_map(|(k, v)| v.map(|v| (k.to_string(), v.to_vec())))
            .collect();
        let deletes: Vec<String> = writes
            .iter()
            .filter(|(_, v)| v.is_none())
            .map(|(k, _)| k.to_string())
            .collect();
        if !sets.is_empty() {
            batch::set_many(&self.bucket, &sets).map_err(kv_error)?;
        }
        if !deletes.is_empty() {
            batch::delete_many(&self.bucket, &deletes).map_err(kv_error)?;
        }
        Ok(())
    }
    fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<bool, KvError> {
        let cas = atomics::Cas::new(&self.bucket, key).map_err(kv_error)?;
        if cas.current().map_err(kv_error)?.as_deref() != expected {
            return Ok(false);
        }
        match atomics::swap(cas, value) {
            Ok(()) => Ok(true),
            Err(atomics::CasError::CasFailed(_)) => Ok(false),
            Err(atomics::CasError::StoreError(e)) => Err(kv_error(e)),
        }
    }
}

struct WasiClock;

impl ports::Clock for WasiClock {
    fn now_unix(&self) -> u64 {
        wasi::clocks::wall_clock::now().seconds
    }
    fn monotonic_ms(&self) -> u64 {
        wasi::clocks::monotonic_clock::now() / 1_000_000
    }
    fn sleep(&self, ms: u64) -> Pin<Box<dyn Future<Output = ()> + '_>> {
        use wasi::clocks::monotonic_clock;
        let deadline = monotonic_clock::now().saturating_add(ms.saturating_mul(1_000_000));
        Box::pin(std::future::poll_fn(move |_| {
            if monotonic_clock::now() >= deadline {
                Poll::Ready(())
            } else {
                wait_on(monotonic_clock::subscribe_instant(deadline));
                Poll::Pending
            }
        }))
    }
}

/// The platform import as the plugin's `Platform` port.
struct HostPlatform;

impl ports::Platform for HostPlatform {
    fn settings(&self) -> crate::settings::Settings {
        let s = wit_platform::get_settings();
        crate::settings::Settings {
            ines_url: s.ines_url,
            account: s.account,
            user: s.user,
            password: s.password,
            published: s.published,
            push_contacts: s.features.push_contacts,
            full_sync: s.features.full_sync,
            mapping: s
                .mapping
                .into_iter()
                .map(|m| (m.ines_key, m.lead_field))
                .collect(),
            non_overwritable: s.non_overwritable,
            batch_concurrency: s.batch_concurrency,
            lease_seconds: s.lease_seconds,
        }
    }

    fn get_lead(&self, id: u64) -> Option<crate::lead::Lead> {
        wit_platform::get_lead(id).map(lead_from_wit)
    }

    fn write_lead_fields(&self, id: u64, fields: &[(String, String)]) -> Result<(), String> {
        let fields: Vec<wit::FieldValue> = fields
            .iter()
            .map(|(alias, value)| wit::FieldValue {
                alias: alias.clone(),
                value: value.clone(),
            })
            .collect();
        wit_platform::write_lead_fields(id, &fields)
    }

    fn list_unsynced_leads(&self, ref_field: &str, after: u64, limit: u32) -> Vec<u64> {
        wit_platform::list_unsynced_leads(ref_field, after, limit)
    }

    fn log(&self, level: ports::LogLevel, message: &str) {
        let level = match level {
            ports::LogLevel::Debug => wit_platform::LogLevel::Debug,
            ports::LogLevel::Info => wit_platform::LogLevel::Info,
            ports::LogLevel::Warn => wit_platform::LogLevel::Warn,
            ports::LogLevel::Error => wit_platform::LogLevel::Error,
        };
        wit_platform::log(level, message);
    }
}

fn lead_from_wit(lead: wit::Lead) -> crate::lead::Lead {
    crate::lead::Lead {
        id: lead.id,
        fields: lead
            .fields
            .into_iter()
            .map(|f| (f.alias, f.value))
            .collect(),
        points: lead.points,
        do_not_contact: lead.do_not_contact,
        company: lead.company.map(|c| crate::lead::Company {
            id: c.id,
            name: c.name,
            fields: c.fields.into_iter().map(|f| (f.alias, f.value)).collect(),
        }),
    }
}

fn to_wit_error(e: PluginError) -> wit::PluginError {
    use crate::client::ClientError as C;
    let text = e.to_string();
    match e {
        PluginError::Settings(_) | PluginError::Mapping(_) => wit::PluginError::Configuration(text),
        PluginError::Kv(_) => wit::PluginError::Storage(text),
        PluginError::NotRequeueable(_) => wit::PluginError::InvalidInput(text),
        PluginError::Stalled(_) => wit::PluginError::BadResponse(text),
        PluginError::Client(c) => match c {
            C::CredentialsRefused { .. } | C::LoginFailed { .. } => {
                wit::PluginError::CredentialsRefused(text)
            }
            C::Unreachable { .. } => wit::PluginError::Unreachable(text),
            C::Denied { .. } => wit::PluginError::RequestDenied(text),
            C::Fault { .. } => wit::PluginError::InesFault(text),
            C::Http { .. } | C::BadResponse { .. } => wit::PluginError::BadResponse(text),
            C::Xml(_) => wit::PluginError::InvalidInput(text),
            C::Kv(_) => wit::PluginError::Storage(text),
            C::Stalled(_) => wit::PluginError::BadResponse(text),
        },
    }
}

fn with_ports<T>(
    f: impl FnOnce(
        &plugin::Ports<'_, WasiHttp, WasiKv, HostPlatform, WasiClock, WasiReactor>,
    ) -> Result<T, PluginError>,
) -> Result<T, wit::PluginError> {
    let kv = WasiKv::open().map_err(|e| to_wit_error(e.into()))?;
    let ports = plugin::Ports {
        http: &WasiHttp,
        kv: &kv,
        platform: &HostPlatform,
        clock: &WasiClock,
        reactor: &WasiReactor,
    };
    f(&ports).map_err(to_wit_error)
}

struct Component;

impl wit_plugin::Guest for Component {
    fn install(
        previous_version: Option<String>,
    ) -> Result<wit_plugin::InstallReport, wit::PluginError> {
        with_ports(|p| plugin::install(p, previous_version.as_deref()))?;
        Ok(wit_plugin::InstallReport {
            version: plugin::VERSION.to_string(),
            lead_fields: lead_field_specs(),
        })
    }

    fn describe() -> Result<wit_plugin::Description, wit::PluginError> {
        use crate::mapping::{Concept, TargetKind};
        let fields = with_ports(plugin::describe)?;
        Ok(wit_plugin::Description {
            version: plugin::VERSION.to_string(),
            fields: fields
                .into_iter()
                .map(|f| wit_plugin::MappableField {
                    key: f.key,
                    concept: match f.concept {
                        Concept::Contact => wit_plugin::Concept::Contact,
                        Concept::Client => wit_plugin::Concept::Client,
                    },
                    kind: match f.kind {
                        TargetKind::Standard => wit_plugin::TargetKind::Standard,
                        TargetKind::Custom => wit_plugin::TargetKind::Custom,
                        TargetKind::Special => wit_plugin::TargetKind::Special,
                    },
                    ines_name: f.ines_name,
                    label: f.label,
                    required: f.required,
                    choices: f.choices,
                })
                .collect(),
            lead_fields: lead_field_specs(),
            features: vec!["push-contacts".to_string(), "full-sync".to_string()],
        })
    }

    fn test_connection() -> Result<(), wit::PluginError> {
        with_ports(plugin::test_connection)
    }

    fn on_lead_saved(
        event: wit_plugin::LeadEvent,
    ) -> Result<wit_plugin::EnqueueOutcome, wit::PluginError> {
        let event = match event {
            wit_plugin::LeadEvent::Saved(l) => plugin::LeadEvent::Saved(lead_from_wit(l)),
            wit_plugin::LeadEvent::Deleted(l) => plugin::LeadEvent::Deleted(lead_from_wit(l)),
            wit_plugin::LeadEvent::CompanyChanged(c) => {
                plugin::LeadEvent::CompanyChanged(lead_from_wit(c.lead))
            }
        };
        Ok(if with_ports(|p| plugin::on_lead_saved(p, &event))? {
            wit_plugin::EnqueueOutcome::Enqueued
        } else {
            wit_plugin::EnqueueOutcome::Ignored
        })
    }

    fn on_form_submit(
        lead: wit::Lead,
        form: wit_plugin::Form,
    ) -> Result<wit_plugin::PushOutcome, wit::PluginError> {
        use crate::plugin::FormOutcome;
        use crate::push::PushOutcome;
        let lead = lead_from_wit(lead);
        Ok(
            match with_ports(|p| plugin::on_form_submit(p, &lead, &form.name))? {
                FormOutcome::Pushed(PushOutcome::Created) => wit_plugin::PushOutcome::Created,
                FormOutcome::Pushed(PushOutcome::Updated) => wit_plugin::PushOutcome::Updated,
                FormOutcome::Pushed(PushOutcome::Unchanged) => wit_plugin::PushOutcome::Unchanged,
                FormOutcome::Pushed(PushOutcome::Refused(why)) => {
                    wit_plugin::PushOutcome::Refused(why)
                }
                FormOutcome::Failed(why) => wit_plugin::PushOutcome::Failed(why),
            },
        )
    }

    fn get_mapping() -> Result<wit_plugin::MappingApi, wit::PluginError> {
        use crate::mapping::Concept;
        let api = with_ports(plugin::get_mapping)?;
        Ok(wit_plugin::MappingApi {
            mapping: api
                .mapping
                .into_iter()
                .map(|e| wit_plugin::MappingApiEntry {
                    concept: match e.concept {
                        Concept::Contact => wit_plugin::Concept::Contact,
                        Concept::Client => wit_plugin::Concept::Client,
                    },
                    ines_field_key: e.ines_field_key,
                    is_custom_field: e.is_custom_field,
                    atmt_field_key: e.atmt_field_key,
                    is_ecrasable: e.is_ecrasable,
                })
                .collect(),
            dont_sync_field_key: api.dont_sync_field_key,
        })
    }

    fn run_batch(max: u32) -> Result<wit_plugin::BatchReport, wit::PluginError> {
        let r = with_ports(|p| plugin::run_batch(p, max))?;
        Ok(wit_plugin::BatchReport {
            processed: r.processed,
            done: r.done,
            retried: r.retried,
            failed: r.failed,
            skipped: r.skipped,
            enqueued_by_backfill: r.enqueued_by_backfill,
            ines_calls: r.ines_calls,
            elapsed_ms: r.elapsed_ms,
        })
    }

    fn sync_log(limit: u32) -> Result<Vec<wit_plugin::SyncLogRow>, wit::PluginError> {
        use crate::queue::{Action, Status};
        let rows = with_ports(|p| plugin::sync_log(p, limit))?;
        Ok(rows
            .into_iter()
            .map(|e| wit_plugin::SyncLogRow {
                queued_at: e.queued_at,
                action: match e.action {
                    Action::Update => wit_plugin::SyncAction::Update,
                    Action::Delete => wit_plugin::SyncAction::Delete,
                },
                lead_id: e.lead,
                email: e.email,
                company: e.company,
                status: match e.status {
                    Status::Pending => wit_plugin::SyncStatus::Pending,
                    Status::Done => wit_plugin::SyncStatus::Done,
                    Status::Failed => wit_plugin::SyncStatus::Failed,
                    Status::Skipped => wit_plugin::SyncStatus::Skipped,
                },
                attempts: e.attempts,
                updated_at: e.updated_at,
                last_error: e.last_error,
            })
            .collect())
    }

    fn requeue(lead_id: u64) -> Result<(), wit::PluginError> {
        with_ports(|p| plugin::requeue(p, lead_id))
    }
}

fn lead_field_specs() -> Vec<wit_plugin::LeadFieldSpec> {
    plugin::LEAD_FIELDS
        .iter()
        .map(|f| wit_plugin::LeadFieldSpec {
            alias: f.alias.to_string(),
            label: f.label.to_string(),
            kind: match f.kind {
                plugin::LeadFieldKind::Number => wit_plugin::FieldKind::Number,
                plugin::LeadFieldKind::Boolean => wit_plugin::FieldKind::Boolean,
            },
        })
        .collect()
}

export!(Component);
