//! Unit management in the real SPA: a school enters and transfers teachers, accepts a teacher's
//! request to join, and the national centre imports the school directory and reads the
//! development mailbox.
//!
//! Set `INSERVICE_SCREENSHOTS=<folder>` to also save phone-sized screenshots of the pages.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use inservice_e2e::browser::Browser;
use inservice_e2e::{Backend, TestApp, national_id, spa_dir};

const DEMO_PASSWORD: &str = "inservice-demo-2026";
const WAIT: Duration = Duration::from_secs(20);

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

async fn click(browser: &Browser, css: &str) {
    browser
        .find(css)
        .await
        .click()
        .await
        .unwrap_or_else(|e| panic!("cannot click {css}: {e}"));
}

/// Picks `value` once the select has that option (job titles come from the server).
async fn choose(browser: &Browser, css: &str, value: &str) {
    browser
        .find(&format!("{css} option[value='{value}']"))
        .await;
    browser
        .find(css)
        .await
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{css} has no option {value}: {e}"));
}

async fn wait_for_path(browser: &Browser, path: &str) {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < WAIT {
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

async fn wait_for_count(browser: &Browser, css: &str, n: usize) {
    let started = Instant::now();
    while started.elapsed() < WAIT {
        if browser.count(css).await == n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never matched {n} elements");
}

async fn log_in(browser: &Browser, app: &TestApp, login: &str) {
    browser.client.goto(&app.url("/login")).await.unwrap();
    type_into(browser, "#login-name", login).await;
    type_into(browser, "#login-password", DEMO_PASSWORD).await;
    click(browser, "#login-submit").await;
    wait_for_path(browser, "/profile").await;
}

async fn log_out(browser: &Browser) {
    click(browser, "#nav-logout").await;
    browser.wait_for_text("#nav-login", |t| t == "登入").await;
}

/// With `INSERVICE_SCREENSHOTS` set, saves the whole page (390 px wide) as `<name>.png` there.
async fn screenshot(browser: &Browser, name: &str) {
    let Some(folder) = std::env::var_os("INSERVICE_SCREENSHOTS").map(PathBuf::from) else {
        return;
    };
    std::fs::create_dir_all(&folder).expect("screenshot folder");
    let height = browser
        .client
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(844)
        .clamp(844, 8000) as u32;
    browser.client.set_window_size(390, height).await.unwrap();
    browser
        .client
        .execute("window.scrollTo(0, 0);", vec![])
        .await
        .unwrap();
    let png = browser.client.screenshot().await.expect("a screenshot");
    browser.client.set_window_size(390, 844).await.unwrap();
    let path = folder.join(format!("{name}.png"));
    std::fs::write(&path, png).expect("write the screenshot");
    eprintln!("screenshot: {}", path.display());
}

#[tokio::test]
async fn a_school_chief_enters_a_teacher_and_transfers_one_out() {
    let Some((app, browser)) = start().await else {
        return;
    };
    log_in(&browser, &app, "school.chief").await;
    click(&browser, "#nav-unit-teachers").await;
    wait_for_path(&browser, "/unit/teachers").await;
    let lin = ".teacher-row[data-account='teacher.lin']";
    let text = browser.wait_for_text(lin, |t| t.contains("林老師")).await;
    assert!(text.contains("合格專任教師"), "{text}");
    browser
        .wait_for_text("#requests-empty", |t| t.contains("沒有"))
        .await;
    screenshot(&browser, "unit-teachers-390").await;

    // 教師資料登錄: a person without an account gets one.
    type_into(&browser, "#entry-national-id", &national_id('A', 8101)).await;
    type_into(&browser, "#entry-real-name", "蔡新進").await;
    type_into(&browser, "#entry-email", "tsai@school.edu.tw").await;
    choose(&browser, "#entry-job-title", "15-5").await;
    click(&browser, "#entry-submit").await;
    browser
        .wait_for_text("#entry-message", |t| {
            t.contains("已建立教師帳號，設定密碼的連結已寄給教師")
        })
        .await;
    let list = browser
        .wait_for_text(".teacher-list", |t| t.contains("蔡新進"))
        .await;
    assert!(list.contains("代理代課教師"), "{list}");
    assert_eq!(browser.count(".teacher-row").await, 2);

    // The same person again: already in this unit, so simply (re)joined.
    type_into(&browser, "#entry-national-id", &national_id('A', 8101)).await;
    type_into(&browser, "#entry-real-name", "蔡新進").await;
    type_into(&browser, "#entry-email", "tsai@school.edu.tw").await;
    choose(&browser, "#entry-job-title", "15-4").await;
    click(&browser, "#entry-submit").await;
    browser
        .wait_for_text("#entry-message", |t| t.contains("教師已加入本單位"))
        .await;

    // 調出 asks first; cancelling keeps the teacher.
    click(&browser, &format!("{lin} .transfer-out")).await;
    click(&browser, &format!("{lin} .cancel")).await;
    browser.find(&format!("{lin} .transfer-out")).await;
    click(&browser, &format!("{lin} .transfer-out")).await;
    click(&browser, &format!("{lin} .transfer-confirm")).await;
    browser
        .wait_for_text("#teachers-message", |t| t.contains("已將 林老師"))
        .await;
    wait_for_count(&browser, lin, 0).await;
    browser
        .wait_for_text("#teachers-total", |t| t.contains("共 1 位"))
        .await;
    browser.close().await;
}

#[tokio::test]
async fn a_teachers_unit_request_is_accepted_by_the_unit() {
    let Some((app, browser)) = start().await else {
        return;
    };
    log_in(&browser, &app, "teacher.nounit").await;
    type_into(&browser, "#request-unit", "demo-jh-taipei").await;
    click(&browser, "#request-submit").await;
    browser
        .wait_for_text("#request-pending", |t| t.contains("臺北市立示範國民中學"))
        .await;
    browser.find("#request-withdraw").await;
    log_out(&browser).await;

    log_in(&browser, &app, "school.contact").await;
    click(&browser, "#nav-unit-teachers").await;
    let request = ".request-row[data-account='teacher.nounit']";
    browser
        .wait_for_text(request, |t| t.contains("黃老師"))
        .await;
    click(&browser, &format!("{request} .request-accept")).await;
    browser
        .wait_for_text("#requests-message", |t| t.contains("已接受 黃老師"))
        .await;
    browser
        .wait_for_text(".teacher-row[data-account='teacher.nounit']", |t| {
            t.contains("黃老師")
        })
        .await;
    wait_for_count(&browser, request, 0).await;
    browser.close().await;
}

#[tokio::test]
async fn the_national_centre_imports_the_school_directory() {
    let Some((app, browser)) = start().await else {
        return;
    };
    let folder = std::env::temp_dir().join(format!(
        "inservice-import-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&folder).unwrap();
    let csv = folder.join("directory.csv");
    std::fs::write(
        &csv,
        "code,name,county,kind\n\
         413601,臺北市立甲國民小學,臺北市,elementary\n\
         023602,宜蘭縣立乙國民中學,宜蘭縣,junior_high\n",
    )
    .unwrap();

    log_in(&browser, &app, "centre.admin").await;
    click(&browser, "#nav-admin-units").await;
    wait_for_path(&browser, "/admin/units").await;
    browser
        .wait_for_text("#admin-units-total", |t| t.starts_with("共"))
        .await;
    browser
        .find("#import-file")
        .await
        .send_keys(&csv.display().to_string())
        .await
        .unwrap();
    click(&browser, "#import-submit").await;
    let report = browser
        .wait_for_text("#import-report", |t| t.contains("匯入完成"))
        .await;
    assert!(report.contains("新增 2"), "{report}");
    assert!(report.contains("413601"), "{report}");

    // The new school is listed, and its history records the import.
    type_into(&browser, "#admin-units-name", "臺北市立甲國民小學").await;
    click(&browser, "#admin-units-search").await;
    let row = ".admin-unit-row[data-code='413601']";
    browser.wait_for_text(row, |t| t.contains("國民小學")).await;
    click(&browser, &format!("{row} .unit-history")).await;
    browser
        .wait_for_text(&format!("{row} .history-row"), |t| t.contains("名錄匯入"))
        .await;
    screenshot(&browser, "admin-units-390").await;
    let _ = std::fs::remove_dir_all(&folder);

    // A password reset, then its e-mail in the development mailbox.
    browser
        .client
        .goto(&app.url("/forgot-password"))
        .await
        .unwrap();
    type_into(&browser, "#forgot-login", "teacher.lin").await;
    click(&browser, "#forgot-submit").await;
    browser
        .wait_for_text("#forgot-sent", |t| t.contains("重設連結已寄出"))
        .await;
    click(&browser, "#nav-mailbox").await;
    let mail = ".mail-row[data-to='teacher.lin@demo.inservice.tw']";
    let text = browser
        .wait_for_text(mail, |t| t.contains("重設密碼"))
        .await;
    assert!(text.contains("teacher.lin@demo.inservice.tw"), "{text}");
    let link = browser
        .find(&format!("{mail} .mail-body a"))
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default();
    assert!(link.contains("/reset-password?token="), "{link}");
    browser.close().await;
}
