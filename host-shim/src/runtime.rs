//! Runs the plugin component on wasmtime: one shared engine, a pre-instantiated component, and a
//! fresh sandboxed instance per call with a time deadline, a memory cap and an HTTP allow-list
//! limited to the configured INES origin.

use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use wasmtime::component::{Component, HasSelf, Linker, ResourceTable};
use wasmtime::{Config, Engine, Store, StoreLimits, StoreLimitsBuilder};
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};
use wasmtime_wasi_http::{
    RequestOptions, WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView,
};

use crate::bindings::ines::crm::platform::LogLevel;
use crate::bindings::{InesPlugin, InesPluginPre};
use crate::platform::Platform;
use crate::store::Store as DataStore;

/// The contract major version this host speaks (the `ines:crm` WIT package).
pub const SUPPORTED_MAJOR: u64 = 1;
/// Epoch ticks per second: the deadline's resolution.
const TICKS_PER_SECOND: u64 = 100;
/// Linear-memory cap of one plugin instance.
pub const MEMORY_LIMIT_BYTES: usize = 128 * 1024 * 1024;
/// Caps on every outgoing request; wasi-http's own defaults are 600 s.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const FIRST_BYTE_TIMEOUT: Duration = Duration::from_secs(60);
const BETWEEN_BYTES_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum RuntimeError {
    #[error("the component at {path} cannot be loaded: {detail}")]
    Load { path: String, detail: String },
    #[error(
        "the component implements ines:crm@{found}, but this host supports only major version {SUPPORTED_MAJOR}"
    )]
    UnsupportedVersion { found: String },
    #[error("the component does not export the ines:crm/plugin interface")]
    NotAPlugin,
    #[error("the plugin crashed (its instance was discarded): {0}")]
    Trap(String),
}

/// The one engine of the process: compiled components are tied to it, and one ticker thread
/// drives the epoch deadlines of every store.
pub fn engine() -> Result<&'static Engine, RuntimeError> {
    static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| {
        let mut config = Config::new();
        config.epoch_interruption(true);
        let engine = Engine::new(&config).map_err(|e| e.to_string())?;
        let ticker = engine.clone();
        std::thread::Builder::new()
            .name("epoch-ticker".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_millis(1000 / TICKS_PER_SECOND));
                    ticker.increment_epoch();
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(engine)
    });
    engine.as_ref().map_err(|e| RuntimeError::Load {
        path: "<engine>".into(),
        detail: e.clone(),
    })
}

/// The `ines:crm` package version a component was built against, read from its exports.
pub fn contract_version(component: &Component) -> Result<String, RuntimeError> {
    let engine = engine()?;
    for (name, _) in component.component_type().exports(engine) {
        if let Some(version) = name.strip_prefix("ines:crm/plugin@") {
            return Ok(version.to_string());
        }
    }
    Err(RuntimeError::NotAPlugin)
}

/// Refuses a component whose contract major version differs from the host's.
pub fn check_version(version: &str) -> Result<(), RuntimeError> {
    let major = version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u64>().ok());
    if major == Some(SUPPORTED_MAJOR) {
        Ok(())
    } else {
        Err(RuntimeError::UnsupportedVersion {
            found: version.to_string(),
        })
    }
}

/// Only lets requests reach the configured INES origin, with bounded time-outs.
pub struct InesOnlyHooks {
    /// `scheme://host:port` of the configured INES base URL, or none when it is unusable.
    allowed_origin: Option<String>,
}

/// `scheme://host:port` with the scheme's default port made explicit.
pub fn origin_of(scheme: &str, authority: &str) -> String {
    let scheme = scheme.to_ascii_lowercase();
    let authority = authority.to_ascii_lowercase();
    let has_port = authority
        .rsplit_once(':')
        .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()));
    if has_port {
        format!("{scheme}://{authority}")
    } else {
        let port = if scheme == "https" { 443 } else { 80 };
        format!("{scheme}://{authority}:{port}")
    }
}

fn origin_of_url(url: &str) -> Option<String> {
    let uri: http::Uri = url.trim().parse().ok()?;
    Some(origin_of(uri.scheme_str()?, uri.authority()?.as_str()))
}

impl WasiHttpHooks for InesOnlyHooks {
    fn send_request(
        &mut self,
        request: http::Request<wasmtime_wasi_http::WasiBody>,
        options: Option<RequestOptions>,
        fut: Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
    ) -> Box<
        dyn Future<
                Output = Result<
                    (
                        http::Response<wasmtime_wasi_http::WasiBody>,
                        Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
                    ),
                    wasmtime_wasi_http::Error,
                >,
            > + Send,
    > {
        let uri = request.uri();
        let origin = match (uri.scheme_str(), uri.authority()) {
            (Some(scheme), Some(authority)) => Some(origin_of(scheme, authority.as_str())),
            _ => None,
        };
        if origin.is_none() || origin != self.allowed_origin {
            return Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) });
        }
        let cap =
            |asked: Option<Duration>, limit: Duration| Some(asked.map_or(limit, |a| a.min(limit)));
        let options = options.unwrap_or_default();
        let options = RequestOptions {
            connect_timeout: cap(options.connect_timeout, CONNECT_TIMEOUT),
            first_byte_timeout: cap(options.first_byte_timeout, FIRST_BYTE_TIMEOUT),
            between_bytes_timeout: cap(options.between_bytes_timeout, BETWEEN_BYTES_TIMEOUT),
        };
        drop(fut);
        Box::new(async move {
            use http_body_util::BodyExt;
            let (response, io) =
                wasmtime_wasi_http::default_send_request(request, Some(options)).await?;
            Ok((
                response.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = _> + Send>,
            ))
        })
    }
}

/// Lines the plugin logged, kept for the caller (the CLI prints them, tests read them).
pub type LogBook = Arc<Mutex<Vec<(LogLevel, String)>>>;

/// What one plugin instance can reach.
pub struct HostState {
    wasi: WasiCtx,
    http: WasiHttpCtx,
    pub(crate) table: ResourceTable,
    hooks: InesOnlyHooks,
    limits: StoreLimits,
    pub(crate) store: DataStore,
    pub(crate) platform: Platform,
    logs: LogBook,
}

impl HostState {
    pub(crate) fn log_line(&mut self, level: LogLevel, message: &str) {
        if let Ok(mut logs) = self.logs.lock() {
            logs.push((level, message.to_string()));
        }
    }
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: &mut self.table,
            hooks: &mut self.hooks,
        }
    }
}

/// A loaded plugin, ready to be called many times.
#[derive(Clone)]
pub struct PluginRuntime {
    pre: InesPluginPre<HostState>,
    platform: Platform,
    logs: LogBook,
    version: String,
    /// An origin the operator pinned: the only one reachable, whatever the settings say.
    pinned_origin: Option<String>,
}

impl PluginRuntime {
    /// Links a compiled component against the host's imports.
    pub fn new(component: &Component, platform: Platform) -> Result<PluginRuntime, RuntimeError> {
        let version = contract_version(component)?;
        check_version(&version)?;
        let engine = engine()?;
        let load = |e: wasmtime::Error| RuntimeError::Load {
            path: "<component>".into(),
            detail: format!("{e:#}"),
        };
        let mut linker: Linker<HostState> = Linker::new(engine);
        wasmtime_wasi::p2::add_to_linker_sync(&mut linker).map_err(load)?;
        wasmtime_wasi_http::p2::add_only_http_to_linker_sync(&mut linker).map_err(load)?;
        crate::bindings::ines::crm::types::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s)
            .map_err(load)?;
        crate::bindings::ines::crm::platform::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s)
            .map_err(load)?;
        crate::bindings::wasi::keyvalue::store::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s)
            .map_err(load)?;
        crate::bindings::wasi::keyvalue::atomics::add_to_linker::<_, HasSelf<_>>(
            &mut linker,
            |s| s,
        )
        .map_err(load)?;
        crate::bindings::wasi::keyvalue::batch::add_to_linker::<_, HasSelf<_>>(&mut linker, |s| s)
            .map_err(load)?;
        let pre = linker.instantiate_pre(component).map_err(load)?;
        let pre = InesPluginPre::new(pre).map_err(load)?;
        Ok(PluginRuntime {
            pre,
            platform,
            logs: Arc::new(Mutex::new(Vec::new())),
            version,
            pinned_origin: None,
        })
    }

    /// Pins the only origin the plugin may reach (`scheme://host[:port]`), instead of the one
    /// of the INES URL in the settings.
    pub fn pin_origin(&mut self, url: Option<&str>) {
        self.pinned_origin = url.and_then(origin_of_url);
    }

    /// The `ines:crm` contract version of the loaded component.
    pub fn contract_version(&self) -> &str {
        &self.version
    }

    pub fn logs(&self) -> LogBook {
        self.logs.clone()
    }

    /// Runs `f` on a fresh instance with `deadline` of guest time. A trap discards the
    /// instance and comes back as [`RuntimeError::Trap`]; the host keeps running.
    pub fn call<R>(
        &self,
        deadline: Duration,
        f: impl FnOnce(&InesPlugin, &mut Store<HostState>) -> wasmtime::Result<R>,
    ) -> Result<R, RuntimeError> {
        let engine = self.pre.engine();
        let settings = self.platform.settings().unwrap_or_default();
        let state = HostState {
            wasi: WasiCtx::builder().inherit_stderr().build(),
            http: WasiHttpCtx::new(),
            table: ResourceTable::new(),
            hooks: InesOnlyHooks {
                allowed_origin: self.pinned_origin.clone().or_else(|| {
                    origin_of_url(if settings.ines_url.is_empty() {
                        crate::platform::DEFAULT_INES_URL
                    } else {
                        &settings.ines_url
                    })
                }),
            },
            limits: StoreLimitsBuilder::new()
                .memory_size(MEMORY_LIMIT_BYTES)
                .instances(4)
                .build(),
            store: self.platform.store().clone(),
            platform: self.platform.clone(),
            logs: self.logs.clone(),
        };
        let mut store = Store::new(engine, state);
        store.limiter(|s| &mut s.limits);
        let ticks = deadline.as_secs().saturating_mul(TICKS_PER_SECOND).max(1);
        store.set_epoch_deadline(ticks);
        store.epoch_deadline_trap();
        let trap = |e: wasmtime::Error| RuntimeError::Trap(format!("{e:#}"));
        let plugin = self.pre.instantiate(&mut store).map_err(trap)?;
        f(&plugin, &mut store).map_err(trap)
    }
}

/// Compiles a component from its bytes. Compilations are remembered for the life of the
/// process, so installing the same build twice (tests, the demo) compiles it once.
pub fn compile(bytes: &[u8], shown_path: &str) -> Result<Component, RuntimeError> {
    use std::collections::HashMap;
    use std::hash::{Hash, Hasher};
    static COMPILED: OnceLock<Mutex<HashMap<(usize, u64), Component>>> = OnceLock::new();
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    let key = (bytes.len(), hasher.finish());
    let cache = COMPILED.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(c) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return Ok(c);
    }
    let component = Component::new(engine()?, bytes).map_err(|e| RuntimeError::Load {
        path: shown_path.to_string(),
        detail: format!("{e:#}"),
    })?;
    if let Ok(mut c) = cache.lock() {
        c.insert(key, component.clone());
    }
    Ok(component)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_make_default_ports_explicit_and_ignore_case() {
        assert_eq!(
            origin_of("HTTPS", "Ines.Example"),
            "https://ines.example:443"
        );
        assert_eq!(origin_of("http", "127.0.0.1:8080"), "http://127.0.0.1:8080");
        assert_eq!(
            origin_of_url("http://127.0.0.1:9/prefix/"),
            Some("http://127.0.0.1:9".to_string())
        );
        assert_eq!(origin_of_url("not a url"), None);
    }

    #[test]
    fn only_major_version_one_is_supported() {
        assert!(check_version("1.0.0").is_ok());
        assert!(check_version("1.7.2").is_ok());
        assert!(matches!(
            check_version("2.0.0"),
            Err(RuntimeError::UnsupportedVersion { .. })
        ));
        assert!(check_version("garbage").is_err());
    }
}
