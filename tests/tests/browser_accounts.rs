//! Accounts in the real SPA: sign-up, profile, session restore, logout and business approval.

use inservice_e2e::browser::{DEMO_PASSWORD, start_with_app};
use inservice_e2e::national_id;

#[tokio::test]
async fn a_teacher_signs_up_logs_in_edits_the_profile_and_logs_out() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    browser.client.goto(&app.url("/signup")).await.unwrap();
    browser
        .type_into("#signup-account-name", "wang.teacher")
        .await;
    browser
        .type_into("#signup-password", "a good password 2026")
        .await;
    browser.type_into("#signup-real-name", "王老師").await;
    browser
        .type_into("#signup-national-id", &national_id('A', 8001))
        .await;
    // A date input's typing order depends on the browser's locale; set the value directly.
    browser
        .client
        .execute(
            "document.querySelector('#signup-birth-date').value = '1985-03-02';",
            vec![],
        )
        .await
        .unwrap();
    browser.choose("#signup-gender", "female").await;
    browser
        .type_into("#signup-email", "wang@school.edu.tw")
        .await;
    browser.type_into("#signup-phone", "02-2345-0001").await;
    browser.type_into("#signup-unit", "demo-jh-taipei").await;
    browser.choose("#signup-job-title", "15-4").await;
    browser.type_into("#signup-subjects", "國語文、數學").await;
    browser.click("#signup-accept-agreement").await;
    browser.click("#signup-accept-privacy").await;
    browser.click("#signup-submit").await;

    // Signed up and logged in: the profile shows the new personal number and the school.
    let number = browser
        .wait_for_text("#profile-personal-number", |t| t.starts_with('T'))
        .await;
    assert_eq!(number.len(), 11, "{number}");
    // The school named at sign-up is asked, not assumed: the profile shows the pending request.
    let pending = browser
        .wait_for_text("#request-pending", |t| t.contains("臺北市立示範國民中學"))
        .await;
    assert!(pending.contains("等待"), "{pending}");
    let name = browser.find("#nav-profile").await.text().await.unwrap();
    assert!(name.contains("王老師"), "{name}");
    assert_eq!(browser.count("#nav-login").await, 0);

    // Log out and in again through the login page, by e-mail this time.
    browser.log_out().await;
    browser
        .log_in(&app.address, "wang@school.edu.tw", "a good password 2026")
        .await;
    browser
        .wait_for_text("#profile-personal-number", |t| t == number)
        .await;
    // The personal number is on the teacher's home page too.
    browser.client.goto(&app.url("/")).await.unwrap();
    browser
        .wait_for_text("#home-personal-number", |t| t == number)
        .await;
    browser.click("#nav-profile").await;
    browser.wait_for_path("/profile").await;

    browser.type_into("#profile-phone", "02-8765-4321").await;
    browser
        .type_into("#profile-subjects", "數學, 自然科學")
        .await;
    browser.click("#profile-save").await;
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

    browser.log_out().await;
    assert_eq!(browser.count("#nav-profile").await, 0);
    // Logged out for good: a fresh load finds no session and /profile sends to /login.
    browser.client.goto(&app.url("/profile")).await.unwrap();
    browser.wait_for_path("/login").await;
    browser.find("#login-name").await;
    browser.wait_for_text("#nav-login", |t| t == "登入").await;
    browser.close().await;
}

#[tokio::test]
async fn a_school_chief_approves_a_new_operator_who_can_then_log_in() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    browser.client.goto(&app.url("/apply")).await.unwrap();
    browser
        .type_into("#apply-account-name", "chang.operator")
        .await;
    browser
        .type_into("#apply-password", "operator pass 2026")
        .await;
    browser.type_into("#apply-real-name", "張作業").await;
    browser
        .type_into("#apply-national-id", &national_id('A', 8002))
        .await;
    browser
        .type_into("#apply-email", "chang@school.edu.tw")
        .await;
    browser.type_into("#apply-phone", "02-2345-0002").await;
    browser.type_into("#apply-unit", "demo-jh-taipei").await;
    browser.choose("#apply-type", "operator").await;
    browser.click("#apply-accept-agreement").await;
    browser.click("#apply-accept-privacy").await;
    browser.click("#apply-submit").await;
    browser
        .wait_for_text("#apply-done", |t| {
            t.contains("申請已送出，待審核通過後即可登入")
        })
        .await;

    // Not approved yet: the login says so.
    browser.client.goto(&app.url("/login")).await.unwrap();
    browser.type_into("#login-name", "chang.operator").await;
    browser
        .type_into("#login-password", "operator pass 2026")
        .await;
    browser.click("#login-submit").await;
    browser
        .wait_for_text(".error[role='alert']", |t| t.contains("尚待審核"))
        .await;

    browser
        .log_in(&app.address, "school.chief", DEMO_PASSWORD)
        .await;
    browser.click("#nav-approvals").await;
    let row = ".approval-row[data-account='chang.operator']";
    let text = browser.wait_for_text(row, |t| t.contains("張作業")).await;
    assert!(text.contains("作業人員"), "{text}");
    assert!(text.contains("臺北市立示範國民中學"), "{text}");
    browser.click(&format!("{row} .approve")).await;
    browser
        .wait_for_text("#approvals-message", |t| t.contains("已核准"))
        .await;
    browser
        .wait_for_text("#approvals-total", |t| t.contains("共"))
        .await;
    browser.wait_for_count(row, 0).await;

    // Now listed among the active accounts.
    browser
        .click(".status-tabs button[data-status='active']")
        .await;
    browser.wait_for_text(row, |t| t.contains("張作業")).await;

    browser.log_out().await;
    browser
        .log_in(&app.address, "chang.operator", "operator pass 2026")
        .await;
    browser
        .wait_for_text("#profile-account-type-value", |t| t == "作業人員")
        .await;
    let name = browser.find("#nav-profile").await.text().await.unwrap();
    assert!(name.contains("張作業"), "{name}");
    browser.close().await;
}

#[tokio::test]
async fn a_teacher_changes_the_email_with_the_password_and_confirms_it_from_the_new_mailbox() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    browser
        .log_in(
            &app.address,
            "teacher.lin",
            inservice_e2e::browser::DEMO_PASSWORD,
        )
        .await;
    browser.client.goto(&app.url("/profile")).await.unwrap();
    browser.find("#profile-email").await;
    browser
        .set_value("#profile-email", "lin.new@school.edu.tw")
        .await;
    // Without the password the form says what is missing, next to the field.
    browser.click("#profile-save").await;
    browser
        .wait_for_text("#profile-current-password-error", |t| t.contains("密碼"))
        .await;
    browser
        .type_into(
            "#profile-current-password",
            inservice_e2e::browser::DEMO_PASSWORD,
        )
        .await;
    browser.click("#profile-save").await;
    browser
        .wait_for_text("#profile-pending-email", |t| {
            t.contains("lin.new@school.edu.tw")
        })
        .await;

    // The link in the new mailbox makes it the account's.
    let mail = app.db.recent_mail(10).await.unwrap();
    let confirmation = mail
        .iter()
        .find(|m| m.to_address == "lin.new@school.edu.tw")
        .expect("a confirmation to the new address");
    let link = confirmation
        .body
        .split_whitespace()
        .find(|w| w.contains("/confirm-email?token="))
        .expect("a link")
        .to_owned();
    let path = &link[link.find("/confirm-email").unwrap()..];
    browser.client.goto(&app.url(path)).await.unwrap();
    browser
        .wait_for_text("#confirm-email-done", |t| t.contains("已生效"))
        .await;
    browser.click("#confirm-email-profile").await;
    browser
        .wait_for_text("#profile-email-value", |t| t == "lin.new@school.edu.tw")
        .await;

    // The personal-data copy asks for the password too.
    browser
        .type_into("#export-password", inservice_e2e::browser::DEMO_PASSWORD)
        .await;
    browser.click("#export-me").await;
    let copy = browser.downloaded("inservice-personal-data.json").await;
    let copy: serde_json::Value = serde_json::from_slice(&copy).unwrap();
    assert_eq!(copy["account"]["email"], "lin.new@school.edu.tw");
    browser.close().await;
}
