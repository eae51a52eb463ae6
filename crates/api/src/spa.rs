//! Serving the single-page app: its files, and `index.html` for every client-side route.

use std::io;
use std::path::{Path, PathBuf};

use actix_files::{Files, NamedFile};
use actix_web::dev::{ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::header::{self, HeaderValue};
use actix_web::web;
use base64::Engine;
use sha2::{Digest, Sha256};

/// The built SPA (trunk's `dist/`) and what the CSP must allow for it.
#[derive(Debug, Clone)]
pub struct Spa {
    dir: PathBuf,
    script_hashes: Vec<String>,
}

impl Spa {
    /// Reads `dir/index.html` once, to know the hashes of its inline scripts.
    pub fn load(dir: impl Into<PathBuf>) -> io::Result<Self> {
        let dir = dir.into();
        let index = std::fs::read_to_string(dir.join("index.html"))?;
        Ok(Self {
            script_hashes: inline_script_hashes(&index),
            dir,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// CSP sources (`'sha256-…'`) for the inline scripts of `index.html` (trunk's wasm loader).
    pub fn script_hashes(&self) -> &[String] {
        &self.script_hashes
    }

    pub(crate) fn register(self, cfg: &mut web::ServiceConfig) {
        let index = self.dir.join("index.html");
        cfg.service(
            Files::new("/", &self.dir)
                .index_file("index.html")
                .default_handler(fn_service(move |req: ServiceRequest| {
                    let index = index.clone();
                    async move {
                        let (req, _) = req.into_parts();
                        // Client routes always get the current shell, never a stale cached one.
                        let mut response = NamedFile::open(&index)?.into_response(&req);
                        response
                            .headers_mut()
                            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
                        Ok(ServiceResponse::new(req, response))
                    }
                })),
        );
    }
}

/// Finds every `<script>` without `src` and hashes its text as CSP expects.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        rest = &rest[start..];
        let Some(tag_end) = rest.find('>') else { break };
        let tag = &rest[..tag_end];
        let body_start = tag_end + 1;
        let Some(body_len) = rest[body_start..].find("</script>") else {
            break;
        };
        let body = &rest[body_start..body_start + body_len];
        if !tag.contains("src=") && !body.trim().is_empty() {
            let digest = Sha256::digest(body.as_bytes());
            hashes.push(format!(
                "'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(digest)
            ));
        }
        rest = &rest[body_start + body_len..];
    }
    hashes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_inline_scripts_and_skips_external_ones() {
        let html = r#"<script src="/app.js"></script><script type="module">init();</script>"#;
        let hashes = inline_script_hashes(html);
        assert_eq!(hashes.len(), 1);
        // echo -n 'init();' | openssl dgst -sha256 -binary | base64
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init();"));
        assert_eq!(hashes[0], format!("'sha256-{expected}'"));
    }

    #[test]
    fn a_page_without_scripts_needs_no_hash() {
        assert!(inline_script_hashes("<html><body></body></html>").is_empty());
    }
}
