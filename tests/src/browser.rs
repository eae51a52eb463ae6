//! Headless Chromium driven through chromedriver (WebDriver), for tests of the real SPA.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(20);

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "inservice-demo-2026";

/// Starts the server over SQLite with the demo accounts, and the browser; `None` (with the
/// reason printed) when the SPA is not built or the browser is missing and not required.
pub async fn start_with_app() -> Option<(crate::TestApp, Browser)> {
    if crate::spa_dir().is_none() {
        let reason = "the SPA is not built (run `make frontend`)";
        if required() {
            panic!("the browser test is required but {reason}");
        }
        eprintln!("SKIPPED: browser test: {reason}");
        return None;
    }
    let app = crate::TestApp::spawn(crate::Backend::Sqlite).await?;
    app.seed_demo_accounts().await;
    let browser = Browser::start().await?;
    Some((app, browser))
}

/// A browser session; the driver process and its profile folder go away on drop.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: PathBuf,
}

fn required() -> bool {
    std::env::var("INSERVICE_REQUIRE_BROWSER").is_ok_and(|v| v == "1" || v == "true")
}

/// Skips (or, when the browser is required, fails) with a clear reason.
fn unavailable(reason: &str) -> Option<Browser> {
    if required() {
        panic!("the browser test is required (INSERVICE_REQUIRE_BROWSER=1) but {reason}");
    }
    eprintln!("SKIPPED: browser test: {reason}");
    None
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium with a phone-sized window.
    pub async fn start() -> Option<Browser> {
        if !std::path::Path::new(CHROMEDRIVER).exists() || !std::path::Path::new(CHROMIUM).exists()
        {
            return unavailable(
                "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
            );
        }
        // Two TLS backends end up in the dependency tree; pick one so rustls need not guess.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = std::env::temp_dir().join(format!(
            "inservice-chromium-{}",
            uuid::Uuid::new_v4().simple()
        ));
        let downloads = profile.join("downloads");
        std::fs::create_dir_all(&downloads).expect("a download folder");
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "prefs": {
                    "download.default_directory": downloads.display().to_string(),
                    "download.prompt_for_download": false,
                    "download.directory_upgrade": true
                },
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--window-size=390,844",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let capabilities = capabilities.as_object().expect("an object").clone();
        let url = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let client = loop {
            match ClientBuilder::rustls()
                .expect("TLS roots")
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => break client,
                Err(error) if started.elapsed() > WAIT => {
                    panic!("chromedriver did not start a session: {error}")
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        };
        // --window-size alone leaves headless Chromium's viewport wider than a phone.
        client
            .set_window_size(390, 844)
            .await
            .expect("resize the window");
        Some(Browser {
            client,
            driver,
            profile,
        })
    }

    /// Waits for an element matching `css`.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Polls until the text of `css` satisfies `check`, and returns that text.
    pub async fn wait_for_text(&self, css: &str, check: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < WAIT {
            if let Ok(element) = self.client.find(Locator::Css(css)).await
                && let Ok(text) = element.text().await
            {
                if check(&text) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never showed the expected text; last seen: {last:?}");
    }

    /// Polls until the image `css` has loaded and decoded (a broken or blocked image never does).
    pub async fn wait_for_image(&self, css: &str) {
        let script = "const i = document.querySelector(arguments[0]); \
                      return !!i && i.complete && i.naturalWidth > 0;";
        let started = Instant::now();
        while started.elapsed() < WAIT {
            let loaded = self.client.execute(script, vec![css.into()]).await;
            if matches!(loaded, Ok(serde_json::Value::Bool(true))) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the image {css} never loaded");
    }

    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    /// Types `text` into the (cleared) input `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let input = self.find(css).await;
        input.clear().await.unwrap();
        input.send_keys(text).await.unwrap();
    }

    /// Sets an input's value as the page would see typing it (date and time inputs take no
    /// keystrokes portably): assigns it and fires `input` and `change`.
    pub async fn set_value(&self, css: &str, value: &str) {
        self.find(css).await;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]); el.value = arguments[1];
                 el.dispatchEvent(new Event('input', {bubbles: true}));
                 el.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![css.into(), value.into()],
            )
            .await
            .unwrap_or_else(|e| panic!("cannot set {css}: {e}"));
    }

    pub async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
    }

    /// Picks `value` once the select has that option (many lists come from the server).
    pub async fn choose(&self, css: &str, value: &str) {
        self.find(&format!("{css} option[value='{value}']")).await;
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("{css} has no option {value}: {e}"));
    }

    /// Chooses a file for the `<input type=file>` `css` as a person picking it would: `bytes`
    /// are written as `file_name` into the profile folder (gone with the browser) and the
    /// driver is given its path, which fires the input's `change`.
    pub async fn choose_file(&self, css: &str, file_name: &str, bytes: &[u8]) {
        let folder = self.profile.join("uploads");
        std::fs::create_dir_all(&folder).expect("an upload folder");
        let path = folder.join(file_name);
        std::fs::write(&path, bytes).expect("write the file to upload");
        self.find(css)
            .await
            .send_keys(&path.display().to_string())
            .await
            .unwrap_or_else(|e| panic!("cannot choose {} in {css}: {e}", path.display()));
    }

    /// Makes `window.confirm` answer yes without a dialog, keeping each question in
    /// `window.__confirmed` (see [`Browser::confirmed`]). A page load undoes it.
    pub async fn accept_confirms(&self) {
        self.client
            .execute(
                "window.__confirmed = [];
                 window.confirm = (message) => { window.__confirmed.push(String(message)); return true; };",
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("cannot stub window.confirm: {e}"));
    }

    /// The questions `window.confirm` was asked since [`Browser::accept_confirms`].
    pub async fn confirmed(&self) -> Vec<String> {
        let asked = self
            .client
            .execute("return window.__confirmed || [];", vec![])
            .await
            .unwrap_or_else(|e| panic!("cannot read the confirm questions: {e}"));
        asked
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Polls until the page's path is `path`.
    pub async fn wait_for_path(&self, path: &str) {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < WAIT {
            if let Ok(url) = self.client.current_url().await {
                if url.path() == path {
                    return;
                }
                last = url.to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("never reached {path}; last URL: {last}");
    }

    /// Polls until the path matches `check`, and returns it.
    pub async fn wait_for_path_where(&self, check: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        let mut last = String::new();
        while started.elapsed() < WAIT {
            if let Ok(url) = self.client.current_url().await {
                if check(url.path()) {
                    return url.path().to_owned();
                }
                last = url.to_string();
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the path never matched; last URL: {last}");
    }

    /// Polls until exactly `n` elements match `css`.
    pub async fn wait_for_count(&self, css: &str, n: usize) {
        let started = Instant::now();
        while started.elapsed() < WAIT {
            if self.count(css).await == n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("{css} never matched {n} elements");
    }

    /// Logs in through the login page of the app at `base` and waits for the profile page.
    pub async fn log_in(&self, base: &str, login: &str, password: &str) {
        self.client.goto(&format!("{base}/login")).await.unwrap();
        self.type_into("#login-name", login).await;
        self.type_into("#login-password", password).await;
        self.click("#login-submit").await;
        self.wait_for_path("/profile").await;
    }

    pub async fn log_out(&self) {
        self.click("#nav-logout").await;
        self.wait_for_text("#nav-login", |t| t == "登入").await;
    }

    /// With `INSERVICE_SCREENSHOTS` set, saves the whole page (390 px wide) as `<name>.png` there.
    pub async fn screenshot(&self, name: &str) {
        let Some(folder) = std::env::var_os("INSERVICE_SCREENSHOTS").map(PathBuf::from) else {
            return;
        };
        std::fs::create_dir_all(&folder).expect("screenshot folder");
        let height = self
            .client
            .execute("return document.documentElement.scrollHeight;", vec![])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(844)
            .clamp(844, 8000) as u32;
        self.client.set_window_size(390, height).await.unwrap();
        self.client
            .execute("window.scrollTo(0, 0);", vec![])
            .await
            .unwrap();
        let png = self.client.screenshot().await.expect("a screenshot");
        self.client.set_window_size(390, 844).await.unwrap();
        let path = folder.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write the screenshot");
        eprintln!("screenshot: {}", path.display());
    }

    /// Where the browser saves downloads.
    pub fn downloads(&self) -> PathBuf {
        self.profile.join("downloads")
    }

    /// Waits until the browser has finished downloading `file_name`, and returns its bytes.
    pub async fn downloaded(&self, file_name: &str) -> Vec<u8> {
        let path = self.downloads().join(file_name);
        let partial = self.downloads().join(format!("{file_name}.crdownload"));
        let started = Instant::now();
        while started.elapsed() < WAIT {
            if path.is_file() && !partial.exists() {
                let bytes = std::fs::read(&path).expect("read the download");
                if !bytes.is_empty() {
                    return bytes;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let present: Vec<_> = std::fs::read_dir(self.downloads())
            .map(|d| d.filter_map(|e| e.ok()).map(|e| e.file_name()).collect())
            .unwrap_or_default();
        panic!("{file_name} was never downloaded; the folder holds {present:?}");
    }

    /// Ends the WebDriver session; the driver process itself stops on drop.
    pub async fn close(&self) {
        let _ = self.client.clone().close().await;
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
