//! Files in the browser: saving downloaded bytes, reading a chosen file.
//!
//! Downloads need the bearer token, which lives only in memory, so a plain link cannot fetch
//! them: the page fetches the bytes, wraps them in a Blob and clicks a temporary
//! `<a download>` pointing at the Blob's object URL.

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, BlobPropertyBag, File, HtmlAnchorElement, Url};

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const JSON: &str = "application/json";

/// How long the object URL outlives the click (the download starts from it asynchronously).
const REVOKE_AFTER_MS: i32 = 60_000;

fn failed(what: &str) -> impl Fn(JsValue) -> String + '_ {
    move |e| format!("{what}: {e:?}")
}

/// Offers `bytes` to the user as the file `file_name`.
pub fn save(bytes: &[u8], mime: &str, file_name: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no body")?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(failed("blob"))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(failed("object URL"))?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed("link"))?
        .unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.set_class_name("visually-hidden");
    body.append_child(&link).map_err(failed("link"))?;
    link.click();
    link.remove();
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    window
        .set_timeout_with_callback_and_timeout_and_arguments_0(
            revoke.unchecked_ref(),
            REVOKE_AFTER_MS,
        )
        .map_err(failed("timer"))?;
    Ok(())
}

/// The bytes of a file the user chose.
pub async fn read(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(failed("read"))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}
