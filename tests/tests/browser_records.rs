//! After the course in the real SPA: the organiser records attendance for 30 teachers and
//! submits; the county reviewer confirms; a teacher's record page shows the hours, the
//! workbook (read back with calamine) matches, the transcript's verification URL shows the
//! record to anyone; the teacher answers the questionnaire and the organiser's summary
//! counts it.
//!
//! Set `INSERVICE_SCREENSHOTS=<folder>` to also save phone-sized screenshots of the pages.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use inservice_e2e::browser::{DEMO_PASSWORD, start_with_app};
use inservice_e2e::courses::course_form;

#[tokio::test]
async fn thirty_teachers_attendance_becomes_records_transcripts_and_feedback() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    let base = app.address.clone();
    let operator = app.demo_token("school.operator").await;
    let reviewer = app.demo_token("taipei.reviewer").await;
    let lin = app.demo_token("teacher.lin").await;
    let code = app
        .published_course(
            &operator,
            "demo-jh-taipei",
            &reviewer,
            &course_form("差異化教學工作坊"),
        )
        .await;
    let others = app.teachers(29, "demo-jh-taipei", "15-4").await;
    let mut tokens: Vec<&str> = vec![&lin];
    tokens.extend(others.iter().map(|(_, t)| t.as_str()));
    app.enroll_all(code, &tokens).await;
    app.end_course(code, 2).await;
    let (absent, late) = (others[0].0, others[1].0);

    // The organiser marks one teacher absent and one an hour late, saves, and submits.
    browser
        .log_in(&base, "school.operator", DEMO_PASSWORD)
        .await;
    browser
        .client
        .goto(&app.url(&format!("/courses/{code}")))
        .await
        .unwrap();
    browser.click("#after-attendance").await;
    browser
        .wait_for_path(&format!("/courses/{code}/attendance"))
        .await;
    browser.wait_for_count(".attendance-row", 30).await;
    browser.choose(&format!("#mark-{absent}"), "absent").await;
    browser
        .set_value(&format!("#unexcused-{late}-0"), "61")
        .await;
    browser.screenshot("attendance").await;
    browser.click("#attendance-save").await;
    browser
        .wait_for_text("#attendance-notice", |t| t.contains("合計 173 小時"))
        .await;
    browser
        .wait_for_text(
            &format!(".attendance-row[data-account='{late}'] .badge-hours"),
            |t| t == "5 小時",
        )
        .await;
    browser.click("#roster-submit").await;
    browser
        .wait_for_text("#attendance-notice", |t| t.contains("名單已送出"))
        .await;
    browser.log_out().await;

    // The county reviewer finds it among the rosters and confirms.
    browser
        .log_in(&base, "taipei.reviewer", DEMO_PASSWORD)
        .await;
    browser.click("#nav-rosters").await;
    browser.click(&format!("#roster-open-{code}")).await;
    browser
        .wait_for_path(&format!("/courses/{code}/attendance"))
        .await;
    browser
        .wait_for_count("#attendance-table tbody tr", 30)
        .await;
    browser.screenshot("roster-review").await;
    browser.click("#roster-confirm").await;
    browser
        .wait_for_text("#attendance-notice", |t| t.contains("寫入 29 筆研習紀錄"))
        .await;
    browser.log_out().await;

    // The teacher's record page, workbook and transcript.
    browser.log_in(&base, "teacher.lin", DEMO_PASSWORD).await;
    browser.click("#nav-my-records").await;
    browser
        .wait_for_text(
            &format!("#records-table tr[data-code='{code}'] .record-hours"),
            |t| t == "6",
        )
        .await;
    let page = browser.find("main").await.text().await.unwrap();
    assert!(
        !page.contains("O109000108"),
        "no identity number on the page"
    );
    browser.screenshot("records").await;
    browser.click("#records-download").await;
    let bytes = browser.downloaded("training-records.xlsx").await;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).expect("xlsx");
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let row = range
        .rows()
        .find(|r| r.first().map(|c| c.to_string()) == Some(code.to_string()))
        .expect("the course's row in the workbook");
    assert_eq!(row[1].to_string(), "差異化教學工作坊");
    assert_eq!(row[5], Data::Float(6.0));
    assert!(
        range.rows().nth(1).unwrap()[0]
            .to_string()
            .contains("林老師")
    );

    browser.click("#records-transcript").await;
    browser
        .wait_for_path_where(|p| p.starts_with("/my/transcripts/"))
        .await;
    let verification = browser
        .wait_for_text("#transcript-code", |t| t.len() == 19)
        .await;
    browser.wait_for_image("#transcript-qr").await;
    browser.screenshot("transcript").await;

    // The teacher answers the questionnaire from the course page.
    browser
        .client
        .goto(&app.url(&format!("/courses/{code}")))
        .await
        .unwrap();
    browser.click("#after-feedback").await;
    browser.find("#feedback-form").await;
    for question in 1..=9 {
        let score = if question == 9 { 4 } else { 5 };
        browser.click(&format!("#q{question}-{score}")).await;
    }
    browser.screenshot("feedback").await;
    browser.click("#feedback-submit").await;
    browser
        .wait_for_text("#feedback-answered", |t| t.contains("已填答"))
        .await;
    browser.log_out().await;

    // Anyone can verify the transcript.
    browser.client.goto(&app.url("/verify")).await.unwrap();
    browser
        .type_into(
            "#verify-code",
            &verification.to_lowercase().replace('-', ""),
        )
        .await;
    browser.click("#verify-submit").await;
    browser
        .wait_for_text("#verify-result", |t| t.contains("有效"))
        .await;
    browser
        .wait_for_text(
            &format!("#records-table tr[data-code='{code}'] .record-hours"),
            |t| t == "6",
        )
        .await;
    browser
        .wait_for_text("#transcript-holder", |t| t == "林○師")
        .await;
    browser.screenshot("verify").await;

    // The organiser's summary counts the answer.
    browser
        .log_in(&base, "school.operator", DEMO_PASSWORD)
        .await;
    browser
        .client
        .goto(&app.url(&format!("/courses/{code}")))
        .await
        .unwrap();
    browser.click("#after-feedback-summary").await;
    browser
        .wait_for_text("#summary-respondents", |t| t == "1")
        .await;
    browser
        .wait_for_text("#feedback-summary tr[data-question='9'] .average", |t| {
            t == "4.00"
        })
        .await;
    browser.wait_for_text("#summary-total", |t| t == "44").await;
    browser.screenshot("feedback-summary").await;
}
