//! In-memory stand-ins for the ports, for the plugin's native unit tests.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::ports::{Kv, KvError};

/// A KV bucket in memory, with the same atomicity as the host's.
#[derive(Default)]
pub struct MemKv {
    map: RefCell<BTreeMap<String, Vec<u8>>>,
}

impl MemKv {
    pub fn keys_with_prefix(&self, prefix: &str) -> usize {
        self.map
            .borrow()
            .keys()
            .filter(|k| k.starts_with(prefix))
            .count()
    }
}

impl Kv for MemKv {
    fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        Ok(self.map.borrow().get(key).cloned())
    }
    fn get_many(&self, keys: &[&str]) -> Result<Vec<Option<Vec<u8>>>, KvError> {
        let map = self.map.borrow();
        Ok(keys.iter().map(|k| map.get(*k).cloned()).collect())
    }
    fn set(&self, key: &str, value: &[u8]) -> Result<(), KvError> {
        self.map
            .borrow_mut()
            .insert(key.to_string(), value.to_vec());
        Ok(())
    }
    fn delete(&self, key: &str) -> Result<(), KvError> {
        self.map.borrow_mut().remove(key);
        Ok(())
    }
    fn apply(&self, writes: &[(&str, Option<&[u8]>)]) -> Result<(), KvError> {
        let mut map = self.map.borrow_mut();
        for (k, v) in writes {
            match v {
                Some(v) => map.insert(k.to_string(), v.to_vec()),
                None => map.remove(*k),
            };
        }
        Ok(())
    }
    fn compare_and_swap(
        &self,
        key: &str,
        expected: Option<&[u8]>,
        value: &[u8],
    ) -> Result<bool, KvError> {
        let mut map = self.map.borrow_mut();
        if map.get(key).map(Vec::as_slice) != expected {
            return Ok(false);
        }
        map.insert(key.to_string(), value.to_vec());
        Ok(true)
    }
}
