//! The partner exchange (資訊傳報) in the real SPA: the national centre registers Taipei's
//! county system as a back-end county and issues it a key (shown once); the bureau's operator
//! uploads an Excel batch for it, checks it without writing, writes it; the teacher sees the
//! record waiting for the county; the bureau confirms the month and the record counts.
//!
//! Set `INSERVICE_SCREENSHOTS=<folder>` to also save phone-sized screenshots of the pages.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use inservice_domain::exchange::RECORD_COLUMNS;
use inservice_e2e::browser::{DEMO_PASSWORD, start_with_app};

/// The last day of the month before today's, in Taipei (UTC+8), as the server counts months.
fn last_day_of_previous_month() -> NaiveDate {
    let today = (Utc::now() + Duration::hours(8)).date_naive();
    today
        .with_day(1)
        .and_then(|first| first.pred_opt())
        .expect("a previous month")
}

/// A workbook in the exchange format: the template's Chinese headers, then one record per demo
/// teacher of one course held on the 10th of the previous month.
fn batch_workbook(course_id: &str, held_on: NaiveDate) -> Vec<u8> {
    let teachers = [
        ("O109000108", "林老師"),
        ("A209000116", "王老師"),
        ("E209000129", "陳老師"),
    ];
    let date = held_on.format("%Y-%m-%d").to_string();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, c) in RECORD_COLUMNS.iter().enumerate() {
        sheet
            .write_string(0, column as u16, c.label)
            .expect("a header cell");
    }
    for (n, &(identity, name)) in teachers.iter().enumerate() {
        let record_id = format!("{course_id}-{:03}", n + 1);
        let row = n as u32 + 1;
        for (column, c) in RECORD_COLUMNS.iter().enumerate() {
            let value: &str = match c.key {
                "partner_course_id" => course_id,
                "course_name" => "臺北市數位教學增能研習",
                "organiser_name" => "臺北市立示範國民中學",
                "start_date" | "end_date" => date.as_str(),
                "category" => "1",
                "stage" => "junior_high",
                "class_type" => "1-1",
                "partner_record_id" => record_id.as_str(),
                "identity_number" => identity,
                "teacher_name" => name,
                "hours" => "3",
                // organiser_code, tags, attended_on: optional, left blank.
                _ => continue,
            };
            sheet
                .write_string(row, column as u16, value)
                .expect("a record cell");
        }
    }
    book.save_to_buffer().expect("the workbook")
}

#[tokio::test]
async fn a_county_system_is_registered_its_batch_uploaded_checked_written_and_its_month_confirmed()
{
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    let base = app.address.clone();
    let held_on = last_day_of_previous_month()
        .with_day(10)
        .expect("the 10th of the previous month");
    let month = held_on.format("%Y-%m").to_string();
    let course_id = format!("TP-{}", held_on.format("%Y%m"));

    // The national centre registers Taipei's county system, a back-end county.
    browser.log_in(&base, "centre.admin", DEMO_PASSWORD).await;
    browser
        .client
        .goto(&app.url("/admin/partners"))
        .await
        .unwrap();
    browser.find("#partner-form").await;
    browser.type_into("#partner-code", "taipei-sys").await;
    browser
        .type_into("#partner-name", "臺北市教師研習系統")
        .await;
    browser.choose("#partner-kind", "county_system").await;
    browser.choose("#partner-county", "63000").await;
    browser.click("#partner-item-sends_records").await;
    browser.click("#partner-needs-confirmation").await;
    browser
        .type_into("#partner-allow-list", "127.0.0.1/32")
        .await;
    browser.type_into("#partner-contact-name", "王資訊").await;
    browser
        .type_into("#partner-contact-email", "it@tp.edu.tw")
        .await;
    browser
        .type_into("#partner-contact-phone", "02-2725-6000")
        .await;
    browser.click("#partner-save").await;
    browser
        .wait_for_text("#partner-notice", |t| t.contains("taipei-sys"))
        .await;
    let row = ".partner-row[data-code='taipei-sys']";
    browser
        .wait_for_text(&format!("{row} td[data-label='合作項目']"), |t| {
            t.contains("傳送研習紀錄")
        })
        .await;
    browser
        .wait_for_text(&format!("{row} td[data-label='縣市']"), |t| {
            t.contains("63000")
        })
        .await;

    // A key: its secret is shown once.
    browser
        .type_into("#key-label-taipei-sys", "正式機 2026")
        .await;
    browser.click("#issue-key-taipei-sys").await;
    browser
        .wait_for_text("#issued-key-secret", |t| {
            t.contains("此金鑰只顯示這一次，請立即複製保存")
        })
        .await;
    let secret = browser
        .wait_for_text("#issued-key-value", |t| t.starts_with("isk_"))
        .await;
    assert!(secret.len() > 20, "a whole key, not its prefix: {secret}");
    browser.wait_for_count(&format!("{row} .key-row"), 1).await;
    let keys = browser
        .find(&format!("{row} .key-list"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!keys.contains(&secret), "the list shows the prefix only");
    browser.screenshot("exchange-partners").await;
    browser.log_out().await;

    // The bureau's operator uploads a workbook for it: checked first, then written.
    browser
        .log_in(&base, "taipei.reviewer", DEMO_PASSWORD)
        .await;
    browser.click("#nav-exchange").await;
    browser.wait_for_path("/exchange/upload").await;
    browser.find("#template-link").await;
    browser.choose("#batch-partner", "taipei-sys").await;
    browser
        .choose_file(
            "#batch-file",
            &format!("taipei-{month}.xlsx"),
            &batch_workbook(&course_id, held_on),
        )
        .await;
    browser.click("#batch-check").await;
    browser
        .wait_for_text("#batch-status", |t| t.contains("試算"))
        .await;
    browser
        .wait_for_text("#batch-count-rows", |t| t == "列數 3")
        .await;
    browser
        .wait_for_text("#batch-count-created", |t| t == "新增 3")
        .await;
    browser
        .wait_for_text("#batch-count-refused", |t| t == "拒收 0")
        .await;
    browser.screenshot("exchange-dry-run").await;
    browser.click("#batch-commit").await;
    browser
        .wait_for_text("#batch-status", |t| t == "已寫入")
        .await;
    browser
        .wait_for_text("#batch-count-created", |t| t == "新增 3")
        .await;
    browser.find("#batch-awaiting").await;
    browser.click("#exchange-nav-log").await;
    browser.wait_for_path("/exchange/log").await;
    browser
        .wait_for_count("#batch-table .batch-row[data-status='committed']", 1)
        .await;
    browser.log_out().await;

    // The teacher sees the record, not counted until the county confirms its month.
    browser.log_in(&base, "teacher.lin", DEMO_PASSWORD).await;
    browser.click("#nav-my-records").await;
    let record = format!("#records-table tr[data-code='{course_id}']");
    browser
        .wait_for_text(&format!("{record} .record-standing"), |t| t == "待縣市確認")
        .await;
    browser.log_out().await;

    // The bureau confirms the month.
    browser
        .log_in(&base, "taipei.reviewer", DEMO_PASSWORD)
        .await;
    browser
        .client
        .goto(&app.url("/exchange/confirmations"))
        .await
        .unwrap();
    browser
        .wait_for_text(
            &format!(".month-row[data-month='{month}'] .month-pending"),
            |t| t == "3 筆",
        )
        .await;
    browser.screenshot("exchange-confirmations").await;
    browser.accept_confirms().await;
    browser.click(&format!("#confirm-{month}")).await;
    browser
        .wait_for_text("#confirm-notice", |t| {
            t.contains(&format!("已確認 {month}")) && t.contains("3 筆")
        })
        .await;
    let asked = browser.confirmed().await;
    assert!(
        asked
            .iter()
            .any(|q| q.contains("確認後，本月 3 筆紀錄即列入時數")),
        "the confirmation said what it does: {asked:?}"
    );
    browser
        .wait_for_text(
            &format!(".month-row[data-month='{month}'] td[data-label='燈號']"),
            |t| t == "綠燈",
        )
        .await;
    assert_eq!(browser.count(&format!("#confirm-{month}")).await, 0);
    browser.log_out().await;

    // Now it counts.
    browser.log_in(&base, "teacher.lin", DEMO_PASSWORD).await;
    browser.click("#nav-my-records").await;
    browser
        .wait_for_text(&format!("{record} .record-hours"), |t| t == "3")
        .await;
    browser
        .wait_for_count(&format!("{record}[data-standing='counted']"), 1)
        .await;
    assert_eq!(
        browser.count(&format!("{record} .record-standing")).await,
        0
    );
}
