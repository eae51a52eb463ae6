//! Courses in the real SPA: a school operator fills the whole registration form and submits it,
//! the county reviewer approves it, the public finds it by keyword and by tag; a university's
//! course lands in the national centre's queue and not in the county's; the national centre
//! adds and retires an attribute tag.
//!
//! Set `INSERVICE_SCREENSHOTS=<folder>` to also save phone-sized screenshots of the pages.

use inservice_e2e::browser::{Browser, DEMO_PASSWORD, start_with_app};
use inservice_e2e::courses::{course_form, day};

/// The code in a course page's path, `/courses/123`.
fn code_in(path: &str) -> i64 {
    path.trim_start_matches("/courses/")
        .parse()
        .unwrap_or_else(|_| panic!("no course code in {path}"))
}

/// Clicks through the form's four steps, filling every required field.
async fn fill_course_form(browser: &Browser, name: &str) {
    // Step 1: 課程訊息.
    browser
        .type_into("#form-document-number", "北市教師字第1150000123號")
        .await;
    browser.type_into("#form-name", name).await;
    browser.click("#form-tags-3").await;
    browser.choose("#form-stage", "junior_high").await;
    browser.choose("#form-subject-area", "J0402").await;
    browser.choose("#form-category", "1").await;
    browser.click("#form-items-1-1-1").await;
    browser.choose("#form-level", "2").await;
    browser.type_into("#form-instructor", "陳講師").await;
    browser.choose("#form-instructor-kind", "8-2").await;
    browser
        .type_into("#form-outline", "以探究與實作引導教師設計理化實驗課程。")
        .await;
    browser.click("#form-next").await;
    // Step 2: 實施方式與時數.
    browser.click("#form-modes-11-1").await;
    browser.click("#form-modes-11-3").await;
    browser.click("#form-slots-12-3").await;
    browser.type_into("#form-hours", "6").await;
    browser.click("#form-next").await;
    // Step 3: 時間地點與對象.
    browser
        .set_value("#form-opens", &format!("{}T09:00", day(-1)))
        .await;
    browser
        .set_value("#form-closes", &format!("{}T17:00", day(14)))
        .await;
    browser.set_value("#form-session-0-date", &day(21)).await;
    browser.click("#form-add-session").await;
    browser.find("#form-session-1-date").await;
    browser.type_into("#form-venue", "示範國中 自然教室").await;
    browser.click("#form-target-stages-14-3").await;
    browser.click("#form-target-titles-15-4").await;
    browser.click("#form-next").await;
    // Step 4: 經費與聯絡 — the defaults and the account's own contact data stand.
    browser.type_into("#form-places", "40").await;
    browser.screenshot("course-form-step4").await;
}

#[tokio::test]
async fn an_operator_registers_and_submits_the_reviewer_approves_and_the_public_finds_it() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    let base = app.address.clone();
    browser
        .log_in(&base, "school.operator", DEMO_PASSWORD)
        .await;
    browser.click("#nav-unit-courses").await;
    browser.wait_for_path("/unit/courses").await;
    browser.click("#new-course").await;
    browser.wait_for_path("/unit/courses/new").await;
    let name = "探究實作理化工作坊（瀏覽器測試）";
    fill_course_form(&browser, name).await;
    browser.click("#form-save").await;
    let path = browser
        .wait_for_path_where(|p| p.starts_with("/courses/") && !p.ends_with("/new"))
        .await;
    let code = code_in(&path);
    browser
        .wait_for_text("#course-state", |t| t == "草稿")
        .await;
    browser.click("#course-submit").await;
    browser
        .wait_for_text("#course-state", |t| t == "審核中")
        .await;
    browser.screenshot("course-submitted").await;
    browser.log_out().await;

    // The county bureau reviews it.
    browser
        .log_in(&base, "taipei.reviewer", DEMO_PASSWORD)
        .await;
    browser.click("#nav-review").await;
    browser.wait_for_path("/review/courses").await;
    let row = format!("#queue-list li[data-code='{code}'] a.course-link");
    browser.click(&row).await;
    browser.wait_for_path(&format!("/courses/{code}")).await;
    browser.click("#review-approve").await;
    browser
        .wait_for_text("#course-state", |t| t == "已核准")
        .await;
    browser.screenshot("course-approved").await;
    browser.log_out().await;

    // Anyone finds it by keyword, and by its tag from the course page.
    browser.client.goto(&app.url("/courses")).await.unwrap();
    browser.type_into("#search-q", "探究實作 理化").await;
    browser.click("#search-submit").await;
    browser
        .wait_for_text("#courses-total", |t| t == "共 1 門課程")
        .await;
    browser
        .find(&format!("#course-results li[data-code='{code}']"))
        .await;
    browser.screenshot("course-search").await;
    browser
        .client
        .goto(&app.url(&format!("/courses/{code}")))
        .await
        .unwrap();
    browser.click(".tag-links a").await;
    browser.wait_for_path("/courses").await;
    browser
        .find(&format!("#course-results li[data-code='{code}']"))
        .await;
}

#[tokio::test]
async fn a_university_course_goes_to_the_national_centre_not_to_the_county() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    let uni = app.demo_token("uni.operator").await;
    let course = app
        .create_course(
            &uni,
            "demo-university",
            &course_form("大學端教師專業發展研習"),
        )
        .await;
    let code = course["code"].as_i64().unwrap();
    let base = app.address.clone();

    browser.log_in(&base, "uni.operator", DEMO_PASSWORD).await;
    browser
        .client
        .goto(&app.url(&format!("/courses/{code}")))
        .await
        .unwrap();
    browser.click("#course-submit").await;
    browser
        .wait_for_text("#course-state", |t| t == "審核中")
        .await;
    browser.log_out().await;

    browser.log_in(&base, "centre.admin", DEMO_PASSWORD).await;
    browser.click("#nav-review").await;
    browser
        .find(&format!("#queue-list li[data-code='{code}']"))
        .await;
    browser.log_out().await;

    browser
        .log_in(&base, "taipei.reviewer", DEMO_PASSWORD)
        .await;
    browser.click("#nav-review").await;
    browser.find("#queue-empty").await;
    assert_eq!(
        browser
            .count(&format!("#queue-list li[data-code='{code}']"))
            .await,
        0,
        "not in the county's queue"
    );
}

#[tokio::test]
async fn the_national_centre_adds_and_retires_an_attribute_tag() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    let base = app.address.clone();
    browser.log_in(&base, "centre.admin", DEMO_PASSWORD).await;
    browser.click("#nav-tags").await;
    browser.find("#tag-list").await;
    browser.type_into("#tag-name", "行動學習").await;
    browser
        .type_into("#tag-definition", "以行動載具支援學生學習的教學設計。")
        .await;
    browser.click("#tag-add").await;
    browser
        .wait_for_text("#tag-notice", |t| t.contains("已新增屬性標籤〔行動學習〕"))
        .await;
    // The list reloads after the success and shows the new tag with its definition.
    browser
        .wait_for_text("#tag-list", |t| {
            t.contains("〔行動學習〕") && t.contains("以行動載具支援學生學習")
        })
        .await;

    let retire = "//li[contains(@class,'tag-row')][p[contains(., '〔行動學習〕')]]\
                  //button[contains(@class,'danger')]";
    browser
        .client
        .find(fantoccini::Locator::XPath(retire))
        .await
        .expect("the new tag's retire button")
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text("#tag-notice", |t| t.contains("〔行動學習〕已停用"))
        .await;
    let retired = app.get_json("/api/v1/tags?status=retired", 200).await;
    assert!(
        retired["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "行動學習"),
        "{retired}"
    );
}
