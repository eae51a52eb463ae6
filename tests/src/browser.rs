//! Headless Chromium driven through chromedriver (WebDriver), for tests of the real SPA.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const WAIT: Duration = Duration::from_secs(20);

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
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": CHROMIUM,
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

    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
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
