//! Handing a file to the browser: the page computes its bytes (with `postroom_sim::export`)
//! and `static/export.js` saves them as a download, drawing a PNG on a canvas first. The
//! Blob, the link and the canvas live in that small script, where the browser's own APIs
//! are: cheaper for the page than their bindings in every module.

/// Saves `bytes` as a file `name` of MIME type `kind`; for `image/png`, `bytes` is an SVG
/// drawn at its own size.
pub fn save(name: &str, kind: &str, bytes: &[u8]) {
    #[cfg(target_arch = "wasm32")]
    {
        // No script on the page (an old cached page): nothing happens, the page goes on.
        let _ = js::save(name, kind, bytes);
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (name, kind, bytes);
}

/// Opens the browser's print dialogue.
pub fn print() {
    #[cfg(target_arch = "wasm32")]
    {
        let _ = gloo::utils::window().print();
    }
}

#[cfg(target_arch = "wasm32")]
mod js {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = window, js_name = postroomSave)]
        pub fn save(name: &str, kind: &str, bytes: &[u8]) -> Result<(), JsValue>;
    }
}
