//! Accounts in the real SPA: sign-up, profile, session restore, logout and business approval.

use std::time::{Duration, Instant};

use inservice_e2e::browser::Browser;
use inservice_e2e::{Backend, TestApp, national_id, spa_dir};

const DEMO_PASSWORD: &str = "inservice-demo-2026";

/// Starts the server (with the demo accounts) and the browser, or explains why the test cannot run.
async fn start() -> Option<(TestApp, Browser)> {
    if spa_dir().is_none() {
        let reason = "the SPA is not built (run `make frontend`)";
        if std::env::var("INSERVICE_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
            panic!("the browser test is required but {reason}");
        }
        eprintln!("SKIPPED: browser test: {reason}");
        return None;
    }
    let app = TestApp::spawn(Backend::Sqlite).await?;
    app.seed_demo_accounts().await;
    let browser = Browser::start().await?;
    Some((app, browser))
}

async fn type_into(browser: &Browser, css: &str, text: &str) {
    let input = browser.find(css).await;
    input.clear().await.unwrap();
    input.send_keys(text).await.unwrap();
}

async fn choose(browser: &Browser, css: &str, value: &str) {
    browser
        .find(css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{css} has no option {value}: {e}"));
}

async fn click(browser: &Browser, css: &str) {
    browser
        .find(css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Polls until the page's path is `path`.
async fn wait_for_path(browser: &Browser, path: &str) {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < Duration::from_secs(20) {
        if let Ok(url) = browser.client.current_url().await {
            if url.path() == path {
                return;
            }
            last = url.to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("never reached {path}; last URL: {last}");
}

/// Polls until exactly `n` elements match `css`.
async fn wait_for_count(browser: &Browser, css: &str, n: usize) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(20) {
        if browser.count(css).await == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never matched {n} elements");
}

async fn log_in(browser: &Browser, app: &TestApp, login: &str, password: &str) {
    browser.client.goto(&app.url("/login")).await.unwrap();
    type_into(browser, "#login-name", login).await;
    type_into(browser, "#login-password", password).await;
    click(browser, "#login-submit").await;
    wait_for_path(browser, "/profile").await;
}

async fn log_out(browser: &Browser) {
    click(browser, "#nav-logout").await;
    browser.wait_for_text("#nav-login", |t| t == "登入").await;
}

#[tokio::test]
async fn a_teacher_signs_up_logs_in_edits_the_profile_and_logs_out() {
    let Some((app, browser)) = start().await else {
        return;
    };
    browser.client.goto(&app.url("/signup")).await.unwrap();
    type_into(&browser, "#signup-account-name", "wang.teacher").await;
    type_into(&browser, "#signup-password", "a good password 2026").await;
    type_into(&browser, "#signup-real-name", "王老師").await;
    type_into(&browser, "#signup-national-id", &national_id('A', 8001)).await;
    // A date input's typing order depends on the browser's locale; set the value directly.
    browser
        .client
        .execute(
            "document.querySelector('#signup-birth-date').value = '1985-03-02';",
            vec![],
        )
        .await
        .unwrap();
    choose(&browser, "#signup-gender", "female").await;
    type_into(&browser, "#signup-email", "wang@school.edu.tw").await;
    type_into(&browser, "#signup-phone", "02-2345-0001").await;
    type_into(&browser, "#signup-unit", "demo-jh-taipei").await;
    choose(&browser, "#signup-job-title", "15-4").await;
    type_into(&browser, "#signup-subjects", "國語文、數學").await;
    click(&browser, "#signup-accept-agreement").await;
    click(&browser, "#signup-accept-privacy").await;
    click(&browser, "#signup-submit").await;

    // Signed up and logged in: the profile shows the new personal number and the school.
    let number = browser
        .wait_for_text("#profile-personal-number", |t| t.starts_with('T'))
        .await;
    assert_eq!(number.len(), 11, "{number}");
    let unit = browser
        .find("#profile-unit-value")
        .await
        .text()
        .await
        .unwrap();
    assert!(unit.contains("臺北市立示範國民中學"), "{unit}");
    let name = browser.find("#nav-profile").await.text().await.unwrap();
    assert!(name.contains("王老師"), "{name}");
    assert_eq!(browser.count("#nav-login").await, 0);

    // Log out and in again through the login page, by e-mail this time.
    log_out(&browser).await;
    log_in(&browser, &app, "wang@school.edu.tw", "a good password 2026").await;
    browser
        .wait_for_text("#profile-personal-number", |t| t == number)
        .await;
    // The personal number is on the teacher's home page too.
    browser.client.goto(&app.url("/")).await.unwrap();
    browser
        .wait_for_text("#home-personal-number", |t| t == number)
        .await;
    click(&browser, "#nav-profile").await;
    wait_for_path(&browser, "/profile").await;

    type_into(&browser, "#profile-phone", "02-8765-4321").await;
    type_into(&browser, "#profile-subjects", "數學, 自然科學").await;
    click(&browser, "#profile-save").await;
    browser
        .wait_for_text("#profile-saved", |t| t.contains("已儲存"))
        .await;

    // A reload loses the in-memory token; the refresh cookie restores the session.
    browser.client.refresh().await.unwrap();
    browser
        .wait_for_text("#profile-phone-value", |t| t == "02-8765-4321")
        .await;
    let subjects = browser
        .find("#profile-subjects-value")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(subjects, "數學、自然科學");
    assert_eq!(
        browser
            .find("#profile-personal-number")
            .await
            .text()
            .await
            .unwrap(),
        number
    );

    log_out(&browser).await;
    assert_eq!(browser.count("#nav-profile").await, 0);
    // Logged out for good: a fresh load finds no session and /profile sends to /login.
    browser.client.goto(&app.url("/profile")).await.unwrap();
    wait_for_path(&browser, "/login").await;
    browser.find("#login-name").await;
    browser.wait_for_text("#nav-login", |t| t == "登入").await;
    browser.close().await;
}

#[tokio::test]
async fn a_school_chief_approves_a_new_operator_who_can_then_log_in() {
    let Some((app, browser)) = start().await else {
        return;
    };
    browser.client.goto(&app.url("/apply")).await.unwrap();
    type_into(&browser, "#apply-account-name", "chang.operator").await;
    type_into(&browser, "#apply-password", "operator pass 2026").await;
    type_into(&browser, "#apply-real-name", "張作業").await;
    type_into(&browser, "#apply-national-id", &national_id('A', 8002)).await;
    type_into(&browser, "#apply-email", "chang@school.edu.tw").await;
    type_into(&browser, "#apply-phone", "02-2345-0002").await;
    type_into(&browser, "#apply-unit", "demo-jh-taipei").await;
    choose(&browser, "#apply-type", "operator").await;
    click(&browser, "#apply-accept-agreement").await;
    click(&browser, "#apply-accept-privacy").await;
    click(&browser, "#apply-submit").await;
    browser
        .wait_for_text("#apply-done", |t| {
            t.contains("申請已送出，待審核通過後即可登入")
        })
        .await;

    // Not approved yet: the login says so.
    browser.client.goto(&app.url("/login")).await.unwrap();
    type_into(&browser, "#login-name", "chang.operator").await;
    type_into(&browser, "#login-password", "operator pass 2026").await;
    click(&browser, "#login-submit").await;
    browser
        .wait_for_text(".error[role='alert']", |t| t.contains("尚待審核"))
        .await;

    log_in(&browser, &app, "school.chief", DEMO_PASSWORD).await;
    click(&browser, "#nav-approvals").await;
    let row = ".approval-row[data-account='chang.operator']";
    let text = browser.wait_for_text(row, |t| t.contains("張作業")).await;
    assert!(text.contains("作業人員"), "{text}");
    assert!(text.contains("臺北市立示範國民中學"), "{text}");
    click(&browser, &format!("{row} .approve")).await;
    browser
        .wait_for_text("#approvals-message", |t| t.contains("已核准"))
        .await;
    browser
        .wait_for_text("#approvals-total", |t| t.contains("共"))
        .await;
    wait_for_count(&browser, row, 0).await;

    // Now listed among the active accounts.
    click(&browser, ".status-tabs button[data-status='active']").await;
    browser.wait_for_text(row, |t| t.contains("張作業")).await;

    log_out(&browser).await;
    log_in(&browser, &app, "chang.operator", "operator pass 2026").await;
    browser
        .wait_for_text("#profile-account-type-value", |t| t == "作業人員")
        .await;
    let name = browser.find("#nav-profile").await.text().await.unwrap();
    assert!(name.contains("張作業"), "{name}");
    browser.close().await;
}
