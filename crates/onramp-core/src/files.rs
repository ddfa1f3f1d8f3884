//! Reading files the CSM picks, without trusting their size.

use std::io::Read as _;
use std::path::Path;

use crate::{Error, Result};

/// Reads at most one byte past `limit`: enough for the caller to refuse a file that is too big
/// with its own message, without ever loading a huge one.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>> {
    let cannot =
        |e: std::io::Error| Error::InvalidInput(format!("cannot read {}: {e}", path.display()));
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(cannot)?
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    Ok(bytes)
}
