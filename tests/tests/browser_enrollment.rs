//! Enrollment in the real SPA: a teacher finds a course, enrolls, sees the QR code and the
//! calendar link and downloads the .ics; the organiser downloads the four roster workbooks
//! (read back with calamine) and cancels the course; the teacher is told by e-mail and sees
//! the reason among the cancelled enrollments.
//!
//! Set `INSERVICE_SCREENSHOTS=<folder>` to also save phone-sized screenshots of the pages.

use inservice_e2e::browser::{DEMO_PASSWORD, start_with_app};
use inservice_e2e::courses::course_form;

fn sheet(bytes: Vec<u8>) -> Vec<Vec<String>> {
    inservice_e2e::workbook_cells(&bytes)
}

#[tokio::test]
async fn a_teacher_enrolls_the_organiser_exports_and_cancels_and_the_teacher_is_told() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    let base = app.address.clone();
    let operator = app.demo_token("school.operator").await;
    let reviewer = app.demo_token("taipei.reviewer").await;
    let code = app
        .published_course(
            &operator,
            "demo-jh-taipei",
            &reviewer,
            &course_form("海洋教育戶外實察研習"),
        )
        .await;

    // The teacher searches, enrolls and gets the QR code and the calendar links.
    browser.log_in(&base, "teacher.lin", DEMO_PASSWORD).await;
    browser.click("#nav-courses").await;
    browser.type_into("#search-q", "海洋教育").await;
    browser.click("#search-submit").await;
    browser
        .click(&format!(
            "#course-results li[data-code='{code}'] a.course-link"
        ))
        .await;
    browser.wait_for_path(&format!("/courses/{code}")).await;
    browser.click("#course-enroll").await;
    browser
        .wait_for_text("#my-enrollment-status", |t| t == "報名成功")
        .await;
    browser.find("#course-qr").await;
    let loaded = browser
        .client
        .execute(
            "const img = document.querySelector('#course-qr'); return img.complete && img.naturalWidth > 0;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(loaded, serde_json::json!(true), "the QR code image loads");
    let google = browser
        .find("#course-google-calendar")
        .await
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(
        google.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&text=")
    );
    assert!(google.contains("&dates=") && google.contains("Z/"));
    browser.screenshot("enrolled").await;
    browser.click("#course-ics").await;
    let ics = String::from_utf8(browser.downloaded(&format!("course-{code}.ics")).await).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(ics.contains("SUMMARY:海洋教育戶外實察研習"));
    browser.log_out().await;

    // The organiser downloads the four workbooks.
    browser
        .log_in(&base, "school.operator", DEMO_PASSWORD)
        .await;
    browser
        .client
        .goto(&app.url(&format!("/courses/{code}")))
        .await
        .unwrap();
    browser.click("#course-enrollments-link").await;
    browser
        .wait_for_path(&format!("/courses/{code}/enrollments"))
        .await;
    browser
        .wait_for_text("#enrollments-counts", |t| t.contains("報名成功 1"))
        .await;
    browser.screenshot("enrollment-list").await;
    let mut books = Vec::new();
    for kind in ["sign_in", "blank_sign_in", "registrations", "participants"] {
        browser.click(&format!("#export-{kind}")).await;
        books.push(sheet(
            browser
                .downloaded(&format!("course-{code}-{kind}.xlsx"))
                .await,
        ));
    }
    assert_eq!(books[0][0][0], "研習簽到表");
    assert_eq!(books[0][5][2], "林老師");
    assert_eq!(books[1][0][0], "研習簽到表（空白）");
    assert_eq!(books[2][5][2], "報名成功");
    assert_eq!(books[2][5][4], "林老師");
    assert_eq!(books[3][5][1], "林老師");
    assert_eq!(books[3][5][4], "teacher.lin@demo.inservice.tw");

    // The organiser cancels with a reason.
    browser
        .client
        .goto(&app.url(&format!("/courses/{code}")))
        .await
        .unwrap();
    browser.click("#course-cancel").await;
    browser
        .type_into("#cancel-reason", "講師臨時無法出席")
        .await;
    browser.click("#cancel-confirm").await;
    browser
        .wait_for_text("#course-state", |t| t == "已取消")
        .await;
    browser.screenshot("cancelled").await;
    browser.log_out().await;

    // The teacher's mailbox holds the notice, and the enrollment shows why.
    let mail = app.db.recent_mail(20).await.unwrap();
    assert!(
        mail.iter()
            .any(|m| m.to_address == "teacher.lin@demo.inservice.tw"
                && m.subject.contains("課程取消通知")
                && m.body.contains("講師臨時無法出席"))
    );
    browser.log_in(&base, "teacher.lin", DEMO_PASSWORD).await;
    browser.click("#nav-my-enrollments").await;
    browser.click("#my-tab-cancelled").await;
    browser
        .wait_for_text(&format!("#my-enrollments li[data-code='{code}']"), |t| {
            t.contains("課程已取消") && t.contains("講師臨時無法出席")
        })
        .await;
}
