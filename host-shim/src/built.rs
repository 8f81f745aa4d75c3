//! Where the plugin components built by `make` are, for the tests and the benchmark: the
//! path in an environment variable (what `make test` sets), else the workspace's default
//! build output. Never a guess at another build.

use std::path::{Path, PathBuf};

/// The plugin under test.
pub const PLUGIN: (&str, &str) = (
    "INES_PLUGIN_WASM",
    "target/wasm32-wasip2/release/ines_crm_plugin.wasm",
);
/// The same plugin with a bumped version, for the upgrade test (`make plugin-next`).
pub const NEXT_PLUGIN: (&str, &str) = (
    "INES_PLUGIN_NEXT_WASM",
    "target/next/wasm32-wasip2/release/ines_crm_plugin.wasm",
);

/// The component `(variable, default path under the workspace)` names, or why it is missing.
pub fn component((variable, default): (&str, &str)) -> Result<PathBuf, String> {
    let path = std::env::var_os(variable)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("..")
                .join(default)
        });
    if path.exists() {
        Ok(path)
    } else {
        Err(format!(
            "the plugin component {} is missing: run `make test` (it builds it and sets {variable})",
            path.display()
        ))
    }
}
