//! The host's durable store: one redb file in the data directory holding the plugin's key-value
//! buckets and the platform model (leads, companies, fields, settings), so both survive restarts.

use std::path::Path;
use std::sync::Arc;

use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// Plugin key-value entries, keyed by `bucket` + NUL + `key`.
const KV: TableDefinition<&str, &[u8]> = TableDefinition::new("kv");
/// Platform records as JSON, keyed by `kind/id` (e.g. `lead/00000000000000000042`).
const RECORDS: TableDefinition<&str, &[u8]> = TableDefinition::new("records");

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the data directory {path} is in use by another host-shim process")]
    InUse { path: String },
    #[error("cannot open the store at {path}: {detail}")]
    Open { path: String, detail: String },
    #[error("store failure: {0}")]
    Db(String),
    #[error("stored record {key} is unreadable: {detail}")]
    Corrupt { key: String, detail: String },
}

macro_rules! db_err {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self { StoreError::Db(e.to_string()) }
        }
    )*};
}
db_err!(
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// A handle on the data directory's database; cheap to clone, shared by every plugin instance.
#[derive(Clone)]
pub struct Store {
    db: Arc<Database>,
}

#[cfg(unix)]
fn restrict(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn restrict(_: &Path, _: u32) -> std::io::Result<()> {
    Ok(())
}

fn kv_key(bucket: &str, key: &str) -> String {
    format!("{bucket}\0{key}")
}

/// One write in a batch applied atomically by [`Store::kv_apply`].
pub enum KvWrite {
    Set(String, Vec<u8>),
    Delete(String),
}

impl Store {
    /// Opens (or creates) `dir/host.redb`. The store holds the INES password and session, so
    /// a directory it creates is private to the user (0700) and so is the file (0600).
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        let path = dir.join("host.redb");
        let shown = path.display().to_string();
        let open_error = |e: std::io::Error| StoreError::Open {
            path: shown.clone(),
            detail: e.to_string(),
        };
        if !dir.exists() {
            std::fs::create_dir_all(dir).map_err(open_error)?;
            restrict(dir, 0o700).map_err(open_error)?;
        }
        let db = match Database::create(&path) {
            Ok(db) => db,
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(StoreError::InUse { path: shown });
            }
            Err(e) => {
                return Err(StoreError::Open {
                    path: shown,
                    detail: e.to_string(),
                });
            }
        };
        restrict(&path, 0o600).map_err(open_error)?;
        let tx = db.begin_write()?;
        tx.open_table(KV)?;
        tx.open_table(RECORDS)?;
        tx.commit()?;
        Ok(Store { db: Arc::new(db) })
    }

    pub fn kv_get(&self, bucket: &str, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(KV)?;
        Ok(table
            .get(kv_key(bucket, key).as_str())?
            .map(|v| v.value().to_vec()))
    }

    /// Applies every write in one durable transaction: all of them or none.
    pub fn kv_apply(&self, bucket: &str, writes: Vec<KvWrite>) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(KV)?;
            for write in writes {
                match write {
                    KvWrite::Set(key, value) => {
                        table.insert(kv_key(bucket, &key).as_str(), value.as_slice())?;
                    }
                    KvWrite::Delete(key) => {
                        table.remove(kv_key(bucket, &key).as_str())?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Reads the value at `key`, lets `update` compute the new one, and writes it, all in one
    /// write transaction (redb serialises writers, so this is atomic across threads).
    /// Returns what `update` returned.
    pub fn kv_update<R>(
        &self,
        bucket: &str,
        key: &str,
        update: impl FnOnce(Option<&[u8]>) -> (Option<Vec<u8>>, R),
    ) -> Result<R, StoreError> {
        let tx = self.db.begin_write()?;
        let result;
        {
            let mut table = tx.open_table(KV)?;
            let full = kv_key(bucket, key);
            let current = table.get(full.as_str())?.map(|v| v.value().to_vec());
            let (new, r) = update(current.as_deref());
            result = r;
            if let Some(new) = new {
                table.insert(full.as_str(), new.as_slice())?;
            }
        }
        tx.commit()?;
        Ok(result)
    }

    /// Keys of a bucket in order, starting after `after`, at most `limit`.
    pub fn kv_keys(
        &self,
        bucket: &str,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<String>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(KV)?;
        let prefix = kv_key(bucket, "");
        let start = match after {
            Some(a) => kv_key(bucket, a),
            None => prefix.clone(),
        };
        let mut keys = Vec::new();
        for entry in table.range(start.as_str()..)? {
            let (k, _) = entry?;
            let k = k.value();
            let Some(rest) = k.strip_prefix(prefix.as_str()) else {
                break;
            };
            if after.is_some_and(|a| rest == a) {
                continue;
            }
            keys.push(rest.to_string());
            if keys.len() >= limit {
                break;
            }
        }
        Ok(keys)
    }

    /// Reads a platform record stored as JSON.
    pub fn get_record<T: DeserializeOwned>(&self, key: &str) -> Result<Option<T>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(RECORDS)?;
        match table.get(key)? {
            None => Ok(None),
            Some(v) => {
                serde_json::from_slice(v.value())
                    .map(Some)
                    .map_err(|e| StoreError::Corrupt {
                        key: key.to_string(),
                        detail: e.to_string(),
                    })
            }
        }
    }

    pub fn put_record<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StoreError> {
        let bytes = serde_json::to_vec(value).map_err(|e| StoreError::Db(e.to_string()))?;
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(RECORDS)?;
            table.insert(key, bytes.as_slice())?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn delete_record(&self, key: &str) -> Result<(), StoreError> {
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(RECORDS)?;
            table.remove(key)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every record whose key starts with `prefix`, in key order.
    pub fn records_with_prefix<T: DeserializeOwned>(
        &self,
        prefix: &str,
    ) -> Result<Vec<T>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(RECORDS)?;
        let mut out = Vec::new();
        for entry in table.range(prefix..)? {
            let (k, v) = entry?;
            if !k.value().starts_with(prefix) {
                break;
            }
            out.push(
                serde_json::from_slice(v.value()).map_err(|e| StoreError::Corrupt {
                    key: k.value().to_string(),
                    detail: e.to_string(),
                })?,
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kv_survives_reopen_and_lists_keys_in_order() -> Result<(), StoreError> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Db(e.to_string()))?;
        {
            let store = Store::open(dir.path())?;
            store.kv_apply(
                "b",
                vec![
                    KvWrite::Set("k2".into(), b"two".to_vec()),
                    KvWrite::Set("k1".into(), b"one".to_vec()),
                ],
            )?;
            store.kv_apply("other", vec![KvWrite::Set("k0".into(), b"x".to_vec())])?;
        }
        let store = Store::open(dir.path())?;
        assert_eq!(store.kv_get("b", "k1")?, Some(b"one".to_vec()));
        assert_eq!(store.kv_keys("b", None, 10)?, vec!["k1", "k2"]);
        assert_eq!(store.kv_keys("b", Some("k1"), 10)?, vec!["k2"]);
        store.kv_apply("b", vec![KvWrite::Delete("k1".into())])?;
        assert_eq!(store.kv_get("b", "k1")?, None);
        Ok(())
    }

    #[cfg(unix)]
    #[test]
    fn a_new_data_directory_and_its_store_are_private_to_the_user() -> Result<(), StoreError> {
        use std::os::unix::fs::PermissionsExt;
        let parent = tempfile::tempdir().map_err(|e| StoreError::Db(e.to_string()))?;
        let dir = parent.path().join("data");
        let _store = Store::open(&dir)?;
        let mode = |p: &Path| std::fs::metadata(p).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode(&dir).ok(), Some(0o700));
        assert_eq!(mode(&dir.join("host.redb")).ok(), Some(0o600));
        Ok(())
    }

    #[test]
    fn a_second_open_of_the_same_directory_says_it_is_in_use() -> Result<(), StoreError> {
        let dir = tempfile::tempdir().map_err(|e| StoreError::Db(e.to_string()))?;
        let _first = Store::open(dir.path())?;
        match Store::open(dir.path()) {
            Err(StoreError::InUse { .. }) => Ok(()),
            other => panic!("expected InUse, got {:?}", other.err()),
        }
    }
}
