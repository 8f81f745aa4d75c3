//! The admin's settings, and the checks made before anything is sent: where INES is and who
//! logs in.

/// The plugin's settings as the platform stores them.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub ines_url: String,
    pub account: String,
    pub user: String,
    pub password: String,
    pub published: bool,
    pub push_contacts: bool,
    pub full_sync: bool,
    /// (INES target key, lead field alias) pairs.
    pub mapping: Vec<(String, String)>,
    pub non_overwritable: Vec<String>,
    pub batch_concurrency: u32,
    pub lease_seconds: u32,
}

/// FNV-1a: a small hash that is the same in every build (`DefaultHasher` is not).
pub fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl Settings {
    /// Names this version of the settings (the password aside): caches made under other
    /// settings are refreshed.
    pub fn version_key(&self) -> String {
        let text = format!(
            "{}|{}|{}|{}|{}|{}|{:?}|{:?}|{}|{}",
            self.ines_url,
            self.account,
            self.user,
            self.published,
            self.push_contacts,
            self.full_sync,
            self.mapping,
            self.non_overwritable,
            self.batch_concurrency,
            self.lease_seconds
        );
        format!("{:016x}", fnv1a(&text))
    }

    /// Where and as whom to log in, once checked.
    pub fn connection(&self) -> Result<Connection, SettingsError> {
        Connection::new(&self.ines_url, &self.account, &self.user, &self.password)
    }
}

/// Where and as whom the plugin logs in to INES.
#[derive(Clone, PartialEq, Eq)]
pub struct Connection {
    /// Base URL without a trailing slash, e.g. `https://webservices.inescrm.com`.
    pub base_url: String,
    pub account: String,
    pub user: String,
    pub password: String,
}

/// Never prints the password.
impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("base_url", &self.base_url)
            .field("account", &self.account)
            .field("user", &self.user)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("the INES {0} is empty")]
    Missing(&'static str),
    #[error("the INES URL '{0}' is not an http(s) URL with a host")]
    BadUrl(String),
    #[error("the INES URL '{0}' must use https (plain http is allowed only on loopback)")]
    InsecureUrl(String),
}

/// Splits `scheme://host[:port][/prefix]` into (scheme, host) when it has that shape.
fn scheme_and_host(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if let Some(bracketed) = authority.strip_prefix('[') {
        bracketed.split(']').next()?
    } else {
        authority.split(':').next()?
    };
    if host.is_empty() {
        return None;
    }
    Some((scheme, host))
}

fn is_loopback(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost")
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

impl Connection {
    /// Who this connection logs in as (URL, account, user; never the password): what cached
    /// sessions and sync info belong to.
    pub fn owner(&self) -> String {
        format!("{} {} {}", self.base_url, self.account, self.user)
    }

    pub fn new(
        url: &str,
        account: &str,
        user: &str,
        password: &str,
    ) -> Result<Connection, SettingsError> {
        let url = url.trim().trim_end_matches('/');
        let (scheme, host) =
            scheme_and_host(url).ok_or_else(|| SettingsError::BadUrl(url.to_string()))?;
        match scheme.to_ascii_lowercase().as_str() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => return Err(SettingsError::InsecureUrl(url.to_string())),
            _ => return Err(SettingsError::BadUrl(url.to_string())),
        }
        for (name, value) in [("account", account), ("user", user), ("password", password)] {
            if value.is_empty() {
                return Err(SettingsError::Missing(name));
            }
        }
        Ok(Connection {
            base_url: url.to_string(),
            account: account.trim().to_string(),
            user: user.trim().to_string(),
            password: password.to_string(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_urls_and_loopback_http_are_accepted_and_trailing_slashes_dropped() {
        let c = Connection::new("https://webservices.inescrm.com/", "ACME", "u", "p");
        assert_eq!(
            c.map(|c| c.base_url),
            Ok("https://webservices.inescrm.com".into())
        );
        for url in [
            "http://127.0.0.1:8080",
            "http://localhost/x",
            "http://[::1]:9",
        ] {
            assert!(Connection::new(url, "a", "u", "p").is_ok(), "{url}");
        }
    }

    #[test]
    fn plain_http_elsewhere_bad_urls_and_empty_credentials_are_refused() {
        assert_eq!(
            Connection::new("http://ines.example", "a", "u", "p"),
            Err(SettingsError::InsecureUrl("http://ines.example".into()))
        );
        for url in [
            "",
            "ines.example",
            "ftp://ines.example",
            "https://",
            "https://user@h",
        ] {
            assert!(
                matches!(
                    Connection::new(url, "a", "u", "p"),
                    Err(SettingsError::BadUrl(_))
                ),
                "{url}"
            );
        }
        assert_eq!(
            Connection::new("https://h", "a", "u", ""),
            Err(SettingsError::Missing("password"))
        );
    }

    #[test]
    fn debug_output_never_shows_the_password() {
        let c = Connection::new("https://h", "a", "u", "hunter2");
        assert!(!format!("{c:?}").contains("hunter2"));
    }
}
