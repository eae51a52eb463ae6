//! The real SPA in headless Chromium, served by the real server over a fresh database.

use inservice_e2e::browser::start_with_app;

#[tokio::test]
async fn the_taxonomy_page_shows_the_junior_high_items_from_the_api() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    browser.client.goto(&app.url("/")).await.unwrap();
    browser.find("#nav-taxonomy").await.click().await.unwrap();
    browser
        .find("button[data-stage='junior_high']")
        .await
        .click()
        .await
        .unwrap();
    browser
        .wait_for_text("#taxonomy-count", |t| t.contains("118"))
        .await;
    assert_eq!(browser.count("li.taxonomy-item").await, 118);
    let page = browser.find("main").await.text().await.unwrap();
    assert!(page.contains("1-5-7"), "an item code is shown");
    assert!(
        page.contains("尊嚴勞動"),
        "junior-high item 1-7-17 is shown"
    );
    let url = browser.client.current_url().await.unwrap();
    assert!(
        url.as_str().ends_with("/taxonomy?stage=junior_high"),
        "{url}"
    );

    // The URL is a deep link: loading it afresh shows the same stage.
    browser.client.goto(url.as_str()).await.unwrap();
    browser
        .wait_for_text("#taxonomy-count", |t| t.contains("118"))
        .await;
    let pressed = browser
        .find("button[data-stage='junior_high']")
        .await
        .attr("aria-pressed")
        .await
        .unwrap();
    assert_eq!(pressed.as_deref(), Some("true"));
    browser.close().await;
}

#[tokio::test]
async fn the_unit_page_searches_by_county_and_name() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    browser.client.goto(&app.url("/units")).await.unwrap();
    browser
        .find("#units-county option[value='63000']")
        .await
        .click()
        .await
        .unwrap();
    browser
        .find("#units-name")
        .await
        .send_keys("教育")
        .await
        .unwrap();
    browser.find("#units-submit").await.click().await.unwrap();
    browser
        .wait_for_text("#units-total", |t| t.contains("共 1 筆"))
        .await;
    let row = browser.find(".unit-row").await.text().await.unwrap();
    assert!(row.contains("臺北市政府教育局"), "{row}");
    assert_eq!(browser.count(".unit-row").await, 1);
    browser.close().await;
}

#[tokio::test]
async fn an_unknown_client_route_shows_the_not_found_page() {
    let Some((app, browser)) = start_with_app().await else {
        return;
    };
    browser
        .client
        .goto(&app.url("/no/such/page"))
        .await
        .unwrap();
    browser
        .wait_for_text("main", |t| t.contains("找不到頁面"))
        .await;
    browser.close().await;
}
