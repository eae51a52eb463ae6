//! Unit management in the real SPA: a school enters and transfers teachers, accepts a teacher's
//! request to join, and the national centre imports the school directory and reads the
//! development mailbox.
//!
//! Set `INSERVICE_SCREENSHOTS=<folder>` to also save phone-sized screenshots of the pages.

use inservice_e2e::browser::{DEMO_PASSWORD, start_with_app};
use inservice_e2e::national_id;

#[tokio::test]
async fn a_school_chief_enters_a_teacher_and_transfers_one_out() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    browser
        .log_in(&app.address, "school.chief", DEMO_PASSWORD)
        .await;
    browser.click("#nav-unit-teachers").await;
    browser.wait_for_path("/unit/teachers").await;
    let lin = ".teacher-row[data-account='teacher.lin']";
    let text = browser.wait_for_text(lin, |t| t.contains("林老師")).await;
    assert!(text.contains("合格專任教師"), "{text}");
    browser
        .wait_for_text("#requests-empty", |t| t.contains("沒有"))
        .await;
    browser.screenshot("unit-teachers-390").await;

    // 教師資料登錄: a person without an account gets one.
    browser
        .type_into("#entry-national-id", &national_id('A', 8101))
        .await;
    browser.type_into("#entry-real-name", "蔡新進").await;
    browser
        .type_into("#entry-email", "tsai@school.edu.tw")
        .await;
    browser.choose("#entry-job-title", "15-5").await;
    browser.click("#entry-submit").await;
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
    browser
        .type_into("#entry-national-id", &national_id('A', 8101))
        .await;
    browser.type_into("#entry-real-name", "蔡新進").await;
    browser
        .type_into("#entry-email", "tsai@school.edu.tw")
        .await;
    browser.choose("#entry-job-title", "15-4").await;
    browser.click("#entry-submit").await;
    browser
        .wait_for_text("#entry-message", |t| t.contains("教師已加入本單位"))
        .await;

    // 調出 asks first; cancelling keeps the teacher.
    browser.click(&format!("{lin} .transfer-out")).await;
    browser.click(&format!("{lin} .cancel")).await;
    browser.find(&format!("{lin} .transfer-out")).await;
    browser.click(&format!("{lin} .transfer-out")).await;
    browser.click(&format!("{lin} .transfer-confirm")).await;
    browser
        .wait_for_text("#teachers-message", |t| t.contains("已將 林老師"))
        .await;
    browser.wait_for_count(lin, 0).await;
    browser
        .wait_for_text("#teachers-total", |t| t.contains("共 1 位"))
        .await;
    browser.close().await;
}

#[tokio::test]
async fn a_teachers_unit_request_is_accepted_by_the_unit() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    browser
        .log_in(&app.address, "teacher.nounit", DEMO_PASSWORD)
        .await;
    browser.type_into("#request-unit", "demo-jh-taipei").await;
    browser.click("#request-submit").await;
    browser
        .wait_for_text("#request-pending", |t| t.contains("臺北市立示範國民中學"))
        .await;
    browser.find("#request-withdraw").await;
    browser.log_out().await;

    browser
        .log_in(&app.address, "school.contact", DEMO_PASSWORD)
        .await;
    browser.click("#nav-unit-teachers").await;
    let request = ".request-row[data-account='teacher.nounit']";
    browser
        .wait_for_text(request, |t| t.contains("黃老師"))
        .await;
    browser.click(&format!("{request} .request-accept")).await;
    browser
        .wait_for_text("#requests-message", |t| t.contains("已接受 黃老師"))
        .await;
    browser
        .wait_for_text(".teacher-row[data-account='teacher.nounit']", |t| {
            t.contains("黃老師")
        })
        .await;
    browser.wait_for_count(request, 0).await;
    browser.close().await;
}

#[tokio::test]
async fn the_national_centre_imports_the_school_directory() {
    let Some((app, browser)) = start_with_app().await else {
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

    browser
        .log_in(&app.address, "centre.admin", DEMO_PASSWORD)
        .await;
    browser.click("#nav-admin-units").await;
    browser.wait_for_path("/admin/units").await;
    browser
        .wait_for_text("#admin-units-total", |t| t.starts_with("共"))
        .await;
    browser
        .find("#import-file")
        .await
        .send_keys(&csv.display().to_string())
        .await
        .unwrap();
    browser.click("#import-submit").await;
    let report = browser
        .wait_for_text("#import-report", |t| t.contains("匯入完成"))
        .await;
    assert!(report.contains("新增 2"), "{report}");
    assert!(report.contains("413601"), "{report}");

    // The new school is listed, and its history records the import.
    browser
        .type_into("#admin-units-name", "臺北市立甲國民小學")
        .await;
    browser.click("#admin-units-search").await;
    let row = ".admin-unit-row[data-code='413601']";
    browser.wait_for_text(row, |t| t.contains("國民小學")).await;
    browser.click(&format!("{row} .unit-history")).await;
    browser
        .wait_for_text(&format!("{row} .history-row"), |t| t.contains("名錄匯入"))
        .await;
    browser.screenshot("admin-units-390").await;
    let _ = std::fs::remove_dir_all(&folder);

    // A password reset, then its e-mail in the development mailbox.
    browser
        .client
        .goto(&app.url("/forgot-password"))
        .await
        .unwrap();
    browser.type_into("#forgot-login", "teacher.lin").await;
    browser.click("#forgot-submit").await;
    browser
        .wait_for_text("#forgot-sent", |t| t.contains("重設連結已寄出"))
        .await;
    browser.click("#nav-mailbox").await;
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
