//! The plugin's view of the outside world: HTTP, key-value storage, the platform and the
//! clock, as small traits. The wasm glue implements them over WIT imports; tests implement
//! them in memory.

use std::future::Future;

/// One SOAP POST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub url: String,
    /// The `SOAPAction` header value, quotes included.
    pub soap_action: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub body: Vec<u8>,
}

/// Why a request got no HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// The host refused the destination.
    #[error("the host refused a request to {0}")]
    Denied(String),
    /// Connection refused, DNS failure, TLS failure, time-out.
    #[error("{0}")]
    Unreachable(String),
    /// The response body exceeded the plugin's limit.
    #[error("the response is larger than {limit} bytes")]
    TooLarge { limit: usize },
    #[error("{0}")]
    Other(String),
}

/// Sends requests; several may be in flight at once, each awaited as its own future.
pub trait Http {
    type Pending: Future<Output = Result<HttpResponse, HttpError>>;
    fn send(&self, request: HttpRequest) -> Self::Pending;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("key-value storage failed: {0}")]
pub struct KvError(pub String);

/// The plugin's durable key-value bucket.
pub trait Kv {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError>;
    /// Several keys in one call, values in the order of `keys`.
    fn get_many(&self, keys: &[&str]) -> Result<Vec<Option<Vec<u8>>>, KvError>;
    fn set(&self, key: &str, value: &[u8]) -> Result<(), KvError>;
    fn delete(&self, key: &str) -> Result<(), KvError>;
    /// Writes every entry (None = delete) at once: all or nothing.
    fn apply(&self, writes: &[(&str, Option<&[u8]>)]) -> Result<(), KvError>;
    /// Writes `value` only if the key still holds `expected`; returns whether it did.
    fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<bool, KvError>;
}

/// Current time.
pub trait Clock {
    /// Seconds since the Unix epoch.
    fn now_unix(&self) -> u64;
    /// Milliseconds of a monotonic clock, for durations.
    fn monotonic_ms(&self) -> u64;
    /// A future ready after `ms` milliseconds, which lets the other tasks run meanwhile.
    fn sleep(&self, ms: u64) -> std::pin::Pin<Box<dyn Future<Output = ()> + '_>>;
}

/// `YYYY-MM-DDThh:mm:ss` (UTC wall-clock) for a Unix time, the INES dateTime form.
pub fn ines_datetime(unix: u64) -> String {
    let days = unix / 86_400;
    let secs = unix % 86_400;
    // Civil-from-days (proleptic Gregorian), valid for every u64 day count we can meet.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_times_format_as_ines_datetimes() {
        assert_eq!(ines_datetime(0), "1970-01-01T00:00:00");
        assert_eq!(ines_datetime(1_715_679_000), "2024-05-14T09:30:00");
        assert_eq!(ines_datetime(951_782_400), "2000-02-29T00:00:00");
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogLevel {
    Debug,
    Info,
    Warn,
    Error,
}

/// The platform: settings, leads and the log. Never give `log` a secret.
pub trait Platform {
    fn settings(&self) -> crate::settings::Settings;
    /// A lead with its company, or none if it does not exist.
    fn get_lead(&self, id: u64) -> Option<crate::lead::Lead>;
    /// Writes fields onto a lead without firing a lead-saved event.
    fn write_lead_fields(&self, id: u64, fields: &[(String, String)]) -> Result<(), String>;
    /// Ids above `after`, ascending, of leads whose `ref_field` is empty.
    fn list_unsynced_leads(&self, ref_field: &str, after: u64, limit: u32) -> Vec<u64>;
    fn log(&self, level: LogLevel, message: &str);
}
