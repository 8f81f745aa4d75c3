//! The host side of `wasi:keyvalue` (store, atomics, batch) over the durable store, so the
//! plugin's queue and state survive restarts and are shared by every instance.

use wasmtime::component::Resource;

use crate::bindings::wasi::keyvalue::{atomics, batch, store};
use crate::runtime::HostState;
use crate::store::KvWrite;

/// An open bucket: a namespace of keys in the store.
pub struct Bucket {
    name: String,
}

/// A compare-and-swap handle: the value of `key` when it was created.
pub struct Cas {
    bucket: String,
    key: String,
    seen: Option<Vec<u8>>,
}

/// Bucket names the plugin may open; anything else is refused.
const BUCKETS: &[&str] = &["ines"];
/// Keys per `list-keys` page.
const PAGE: usize = 500;

fn other(e: impl std::fmt::Display) -> store::Error {
    store::Error::Other(e.to_string())
}

impl HostState {
    fn bucket_name(&self, bucket: &Resource<Bucket>) -> Result<String, store::Error> {
        self.table
            .get(bucket)
            .map(|b| b.name.clone())
            .map_err(other)
    }
}

impl store::Host for HostState {
    fn open(&mut self, identifier: String) -> Result<Resource<Bucket>, store::Error> {
        if !BUCKETS.contains(&identifier.as_str()) {
            return Err(store::Error::NoSuchStore);
        }
        self.table.push(Bucket { name: identifier }).map_err(other)
    }
}

impl store::HostBucket for HostState {
    fn get(
        &mut self,
        bucket: Resource<Bucket>,
        key: String,
    ) -> Result<Option<Vec<u8>>, store::Error> {
        let name = self.bucket_name(&bucket)?;
        self.store.kv_get(&name, &key).map_err(other)
    }

    fn set(
        &mut self,
        bucket: Resource<Bucket>,
        key: String,
        value: Vec<u8>,
    ) -> Result<(), store::Error> {
        let name = self.bucket_name(&bucket)?;
        self.store
            .kv_apply(&name, vec![KvWrite::Set(key, value)])
            .map_err(other)
    }

    fn delete(&mut self, bucket: Resource<Bucket>, key: String) -> Result<(), store::Error> {
        let name = self.bucket_name(&bucket)?;
        self.store
            .kv_apply(&name, vec![KvWrite::Delete(key)])
            .map_err(other)
    }

    fn exists(&mut self, bucket: Resource<Bucket>, key: String) -> Result<bool, store::Error> {
        let name = self.bucket_name(&bucket)?;
        Ok(self.store.kv_get(&name, &key).map_err(other)?.is_some())
    }

    fn list_keys(
        &mut self,
        bucket: Resource<Bucket>,
        cursor: Option<String>,
    ) -> Result<store::KeyResponse, store::Error> {
        let name = self.bucket_name(&bucket)?;
        let keys = self
            .store
            .kv_keys(&name, cursor.as_deref(), PAGE)
            .map_err(other)?;
        let cursor = if keys.len() == PAGE {
            keys.last().cloned()
        } else {
            None
        };
        Ok(store::KeyResponse { keys, cursor })
    }

    fn drop(&mut self, bucket: Resource<Bucket>) -> wasmtime::Result<()> {
        self.table.delete(bucket)?;
        Ok(())
    }
}

impl atomics::Host for HostState {
    fn increment(
        &mut self,
        bucket: Resource<Bucket>,
        key: String,
        delta: i64,
    ) -> Result<i64, store::Error> {
        let name = self.bucket_name(&bucket)?;
        self.store
            .kv_update(&name, &key, |current| {
                let now = current
                    .and_then(|v| std::str::from_utf8(v).ok())
                    .and_then(|s| s.trim().parse::<i64>().ok())
                    .unwrap_or(0)
                    .saturating_add(delta);
                (Some(now.to_string().into_bytes()), now)
            })
            .map_err(other)
    }

    fn swap(&mut self, cas: Resource<Cas>, value: Vec<u8>) -> Result<(), atomics::CasError> {
        let handle = self
            .table
            .delete(cas)
            .map_err(|e| atomics::CasError::StoreError(other(e)))?;
        let swapped = self
            .store
            .kv_update(&handle.bucket, &handle.key, |current| {
                if current == handle.seen.as_deref() {
                    (Some(value), true)
                } else {
                    (None, false)
                }
            })
            .map_err(|e| atomics::CasError::StoreError(other(e)))?;
        if swapped {
            return Ok(());
        }
        // Hand back a fresh handle on the current value so the caller can retry.
        let seen = self
            .store
            .kv_get(&handle.bucket, &handle.key)
            .map_err(|e| atomics::CasError::StoreError(other(e)))?;
        let fresh = self
            .table
            .push(Cas { seen, ..handle })
            .map_err(|e| atomics::CasError::StoreError(other(e)))?;
        Err(atomics::CasError::CasFailed(fresh))
    }
}

impl atomics::HostCas for HostState {
    fn new(
        &mut self,
        bucket: Resource<Bucket>,
        key: String,
    ) -> Result<Resource<Cas>, store::Error> {
        let name = self.bucket_name(&bucket)?;
        let seen = self.store.kv_get(&name, &key).map_err(other)?;
        self.table
            .push(Cas {
                bucket: name,
                key,
                seen,
            })
            .map_err(other)
    }

    fn current(&mut self, cas: Resource<Cas>) -> Result<Option<Vec<u8>>, store::Error> {
        Ok(self.table.get(&cas).map_err(other)?.seen.clone())
    }

    fn drop(&mut self, cas: Resource<Cas>) -> wasmtime::Result<()> {
        self.table.delete(cas)?;
        Ok(())
    }
}

/// This host applies `set-many` and `delete-many` atomically (one durable transaction); the
/// plugin relies on that for multi-key updates of a queue row.
impl batch::Host for HostState {
    fn get_many(
        &mut self,
        bucket: Resource<Bucket>,
        keys: Vec<String>,
    ) -> Result<Vec<Option<(String, Vec<u8>)>>, store::Error> {
        let name = self.bucket_name(&bucket)?;
        keys.into_iter()
            .map(|k| {
                let value = self.store.kv_get(&name, &k).map_err(other)?;
                Ok(value.map(|v| (k, v)))
            })
            .collect()
    }

    fn set_many(
        &mut self,
        bucket: Resource<Bucket>,
        key_values: Vec<(String, Vec<u8>)>,
    ) -> Result<(), store::Error> {
        let name = self.bucket_name(&bucket)?;
        let writes = key_values
            .into_iter()
            .map(|(k, v)| KvWrite::Set(k, v))
            .collect();
        self.store.kv_apply(&name, writes).map_err(other)
    }

    fn delete_many(
        &mut self,
        bucket: Resource<Bucket>,
        keys: Vec<String>,
    ) -> Result<(), store::Error> {
        let name = self.bucket_name(&bucket)?;
        let writes = keys.into_iter().map(KvWrite::Delete).collect();
        self.store.kv_apply(&name, writes).map_err(other)
    }
}
