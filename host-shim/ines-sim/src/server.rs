//! The HTTP/1.1 side: accepts connections, applies the transport checks of ines-wire §2.2 and
//! §9 check 1, serves WSDLs, and hands SOAP posts to the dispatcher.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::header::{ALLOW, CONTENT_TYPE, HOST};
use http::{HeaderValue, Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, LengthLimitError, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::dispatch::{self, Reply};
use crate::knobs::CallRecord;
use crate::schema::Service;
use crate::simulator::Shared;
use crate::wsdl;

/// Largest request body accepted.
const MAX_BODY: usize = 8 * 1024 * 1024;

/// Accepts connections until `stop` fires.
pub(crate) async fn serve(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut stop: oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    let shared = Arc::clone(&shared);
                    tokio::spawn(async move {
                        let service = service_fn(move |request| handle(request, Arc::clone(&shared)));
                        // A broken connection concerns only that client.
                        let _ = http1::Builder::new()
                            .timer(TokioTimer::new())
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
                // Out of file descriptors and the like: wait rather than spin.
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            },
        }
    }
}

async fn handle(
    request: Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let reply = route(request, &shared).await;
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    Ok(into_response(reply))
}

async fn route(request: Request<Incoming>, shared: &Shared) -> Reply {
    let path = request.uri().path().to_owned();
    let Some(service) = Service::from_path(&path) else {
        return refuse(
            shared,
            &path,
            404,
            "Not Found: no INES service at this path",
        );
    };
    if request.method() == Method::GET {
        if !asks_for_wsdl(request.uri().query()) {
            return refuse(shared, &path, 404, "Not Found: GET serves only <path>?wsdl");
        }
        let base = match &shared.config.public_base_url {
            Some(base) => base.trim_end_matches('/').to_owned(),
            None => match request.headers().get(HOST).and_then(|h| h.to_str().ok()) {
                Some(host) => format!("http://{host}"),
                None => format!("http://{}", shared.local_addr),
            },
        };
        record(shared, &path, "ok".to_owned());
        return Reply::xml(200, wsdl::document(service, &base));
    }
    if request.method() != Method::POST {
        let mut reply = refuse(
            shared,
            &path,
            405,
            "Method Not Allowed: use POST (or GET ?wsdl)",
        );
        reply.allow = Some("GET, POST");
        return reply;
    }
    if !is_xml_utf8(request.headers().get(CONTENT_TYPE)) {
        return refuse(
            shared,
            &path,
            415,
            "Unsupported Media Type: send Content-Type: text/xml; charset=utf-8",
        );
    }
    let soap_action = request
        .headers()
        .get("soapaction")
        .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned());
    let body = match Limited::new(request.into_body(), MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => {
            return refuse(shared, &path, 413, "Content Too Large");
        }
        Err(_) => {
            return refuse(
                shared,
                &path,
                400,
                "Bad Request: the body could not be read",
            );
        }
    };
    dispatch::soap_post(shared, service, &path, soap_action.as_deref(), &body)
}

/// A plain-text HTTP error, recorded as `HTTP <status>`.
fn refuse(shared: &Shared, path: &str, status: u16, text: &str) -> Reply {
    record(shared, path, format!("HTTP {status}"));
    Reply::plain(status, text)
}

fn record(shared: &Shared, path: &str, outcome: String) {
    shared.lock().record_call(CallRecord {
        operation: String::new(),
        path: path.to_owned(),
        outcome,
    });
}

/// Whether the query names `wsdl`, in any case (`?wsdl`, `?WSDL`, `?wsdl=`).
fn asks_for_wsdl(query: Option<&str>) -> bool {
    query.is_some_and(|query| {
        query.split('&').any(|pair| {
            pair.split('=')
                .next()
                .is_some_and(|name| name.eq_ignore_ascii_case("wsdl"))
        })
    })
}

/// `text/xml`, with `charset=utf-8` if a charset is given (media types compare ignoring case).
fn is_xml_utf8(content_type: Option<&HeaderValue>) -> bool {
    let Some(value) = content_type.and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let mut parts = value.split(';');
    let media_type = parts.next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case("text/xml") {
        return false;
    }
    parts.all(|parameter| match parameter.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            let value = value.trim();
            let value = value
                .strip_prefix('"')
                .and_then(|rest| rest.strip_suffix('"'))
                .unwrap_or(value);
            value.eq_ignore_ascii_case("utf-8")
        }
        _ => true,
    })
}

fn into_response(reply: Reply) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    // A knob may ask for any code; informational ones cannot end an exchange.
    *response.status_mut() = StatusCode::from_u16(reply.status)
        .ok()
        .filter(|status| !status.is_informational())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    if let Some(allow) = reply.allow {
        headers.insert(ALLOW, HeaderValue::from_static(allow));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_type_check_follows_the_contract() {
        let check = |value: &str| is_xml_utf8(Some(&HeaderValue::from_str(value).expect("ascii")));
        assert!(check("text/xml; charset=utf-8"));
        assert!(check("text/xml"));
        assert!(check("TEXT/XML;CHARSET=\"UTF-8\""));
        assert!(check("text/xml; boundary=x; charset=utf-8"));
        assert!(!check("text/xml; charset=iso-8859-1"));
        assert!(!check("application/soap+xml; charset=utf-8"));
        assert!(!check("text/plain"));
        assert!(!is_xml_utf8(None));
    }

    #[test]
    fn wsdl_query_name_is_case_insensitive() {
        assert!(asks_for_wsdl(Some("wsdl")));
        assert!(asks_for_wsdl(Some("WSDL")));
        assert!(asks_for_wsdl(Some("a=1&Wsdl=")));
        assert!(!asks_for_wsdl(Some("wsdlx")));
        assert!(!asks_for_wsdl(None));
    }
}
