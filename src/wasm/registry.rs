//! Objects that live on the Rust side, reached from JavaScript by handle.
//!
//! JavaScript holds only a number. Handles count up from 1 and are never
//! reused, so a stale handle can never reach another object; a freed handle
//! (`null` from the JS layer) or a value that is not a handle at all is
//! `INVALID_ARGUMENT`. Each kind of object (today fingerprint captures) has its
//! own thread-local [`Entries`] and a [`Registry`] describing it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::thread::LocalKey;

use wasm_bindgen::JsValue;

use super::args::MAX_SAFE_INTEGER;
use super::errors::fail;
use crate::error::{ErrorCode, Result};

/// The live objects of one kind, by handle.
pub(super) struct Entries<T> {
    next: u64,
    items: BTreeMap<u64, T>,
}

impl<T> Entries<T> {
    /// No objects; the first handle is 1.
    pub(super) const fn new() -> Self {
        Entries {
            next: 1,
            items: BTreeMap::new(),
        }
    }
}

/// A kind of object held by handle: its thread-local entries and the words
/// its error messages use.
pub(super) struct Registry<T: 'static> {
    /// The thread-local entries.
    pub entries: &'static LocalKey<RefCell<Entries<T>>>,
    /// The objects, for "too many ...": e.g. `captures`.
    pub plural: &'static str,
    /// How a valid handle is made, for the message on a foreign value.
    pub made_by: &'static str,
}

fn busy<T>() -> Result<T> {
    fail(
        ErrorCode::InvalidArgument,
        "sealmatch was called re-entrantly",
    )
}

/// The key of a handle that could be live: a whole number in `1..2^53-1`.
fn live_key(v: &JsValue) -> Option<u64> {
    match v.as_f64() {
        Some(x) if x.is_finite() && x.fract() == 0.0 && (1.0..MAX_SAFE_INTEGER).contains(&x) => {
            Some(x as u64)
        }
        _ => None,
    }
}

impl<T: 'static> Registry<T> {
    /// Adds `item`; returns its new handle.
    pub fn register(&self, item: T) -> Result<f64> {
        self.entries.with(|r| {
            let Ok(mut r) = r.try_borrow_mut() else {
                return busy();
            };
            let handle = r.next;
            if handle as f64 >= MAX_SAFE_INTEGER {
                return fail(
                    ErrorCode::InvalidArgument,
                    format!("too many {}", self.plural),
                );
            }
            r.next += 1;
            r.items.insert(handle, item);
            Ok(handle as f64)
        })
    }

    /// The key of a handle the JS layer passed: a number for a live object,
    /// `null` for a freed one, anything else for a value that is not one of
    /// these objects at all.
    fn key(&self, v: &JsValue, what: &str) -> Result<u64> {
        if v.is_null() {
            return fail(ErrorCode::InvalidArgument, format!("{what} has been freed"));
        }
        live_key(v).map_or_else(
            || {
                fail(
                    ErrorCode::InvalidArgument,
                    format!("{what} must be {}", self.made_by),
                )
            },
            Ok,
        )
    }

    /// Runs `f` on the live objects behind `handles` (all checked first).
    pub fn with_all<R>(
        &self,
        handles: &[JsValue],
        what: &str,
        f: impl FnOnce(&[&T]) -> Result<R>,
    ) -> Result<R> {
        let mut keys = Vec::with_capacity(handles.len());
        for h in handles {
            keys.push(self.key(h, what)?);
        }
        self.entries.with(|r| {
            let Ok(r) = r.try_borrow() else {
                return busy();
            };
            let mut items = Vec::with_capacity(keys.len());
            for key in &keys {
                match r.items.get(key) {
                    Some(item) => items.push(item),
                    None => {
                        return fail(ErrorCode::InvalidArgument, format!("{what} has been freed"))
                    }
                }
            }
            f(&items)
        })
    }

    /// Runs `f` on the live object behind `handle`.
    pub fn with_one<R>(
        &self,
        handle: &JsValue,
        what: &str,
        f: impl FnOnce(&T) -> Result<R>,
    ) -> Result<R> {
        self.with_all(std::slice::from_ref(handle), what, |items| match items {
            [one] => f(one),
            _ => fail(
                ErrorCode::InvalidArgument,
                format!("{what} must be one object"),
            ),
        })
    }

    /// Drops the object behind `handle` (which wipes what it holds); a handle
    /// that is not live, or a call while the registry is borrowed, does nothing.
    pub fn free(&self, handle: &JsValue) {
        let Some(key) = live_key(handle) else { return };
        self.entries.with(|r| {
            if let Ok(mut r) = r.try_borrow_mut() {
                r.items.remove(&key);
            }
        });
    }

    /// How many objects are live (for leak tests).
    pub fn live(&self) -> u32 {
        self.entries.with(|r| {
            r.try_borrow()
                .map(|r| u32::try_from(r.items.len()).unwrap_or(u32::MAX))
                .unwrap_or(0)
        })
    }
}
