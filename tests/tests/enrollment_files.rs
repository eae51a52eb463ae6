//! The files enrollment produces: the four roster workbooks (read back with calamine), the
//! course's iCalendar file and QR code, and a teacher's private calendar feed (RFC 5545).

use inservice_e2e::courses::course_form;
use inservice_e2e::{TestApp, both_databases};
use serde_json::json;

async fn bytes(app: &TestApp, path: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

/// Every row of the first sheet as text.
fn rows(workbook: Vec<u8>) -> Vec<Vec<String>> {
    inservice_e2e::workbook_cells(&workbook)
}

/// The lines of a calendar, checking RFC 5545's CRLF endings and 75-octet folding.
fn calendar_lines(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "lines end in CRLF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line:?}");
        assert!(!line.contains('\n'), "no bare LF");
    }
    // Unfold: a line starting with a space continues the previous one.
    text.replace("\r\n ", "")
        .split("\r\n")
        .map(str::to_owned)
        .collect()
}

both_databases!(
    the_four_roster_workbooks_list_the_right_people,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.as_user("school.operator").await;
        let reviewer = app.as_user("taipei.reviewer").await;
        let mut form = course_form("簽到表測試研習");
        form["places_per_class"] = json!(2);
        let code = operator
            .publish_course("demo-jh-taipei", &reviewer, &form)
            .await;
        let teachers = app.teachers(3, "demo-jh-taipei", "15-4").await;
        for (_, token) in &teachers {
            app.post_json(
                &format!("/api/v1/courses/{code}/enrollments"),
                &json!({"join_waiting_list": true}),
                Some(token),
            )
            .await;
        }
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let path = |kind: &str| format!("/api/v1/courses/{code}/enrollments.xlsx?kind={kind}");

        let (status, kind, sign_in) = bytes(&app, &path("sign_in"), Some(operator.token())).await;
        assert_eq!((status, kind.as_str()), (200, xlsx));
        let sheet = rows(sign_in);
        assert_eq!(sheet[0][0], "研習簽到表");
        assert!(sheet[1][0].contains("簽到表測試研習"));
        assert_eq!(
            &sheet[4][..5],
            ["報名編號", "序號", "姓名", "服務單位", "職稱"]
        );
        assert!(sheet[4][5].ends_with("簽名"), "a column per session");
        assert_eq!(sheet[4].len(), 5 + 2 + 1, "two sessions and remarks");
        let names: Vec<&str> = sheet[5..].iter().map(|r| r[2].as_str()).collect();
        assert_eq!(names, ["教師1", "教師2"], "the enrolled, not the waiting");
        assert_eq!(sheet[5][3], "臺北市立示範國民中學");
        assert_eq!(sheet[5][4], "合格專任教師");

        let (_, _, blank) = bytes(&app, &path("blank_sign_in"), Some(operator.token())).await;
        let sheet = rows(blank);
        assert_eq!(sheet[0][0], "研習簽到表（空白）");
        assert_eq!(sheet.len(), 5 + 20, "twenty empty lines at least");
        assert!(sheet[5][1].is_empty());

        let (_, _, registrations) =
            bytes(&app, &path("registrations"), Some(operator.token())).await;
        let sheet = rows(registrations);
        assert_eq!(sheet[4][2], "狀態");
        let statuses: Vec<&str> = sheet[5..].iter().map(|r| r[2].as_str()).collect();
        assert_eq!(statuses, ["報名成功", "報名成功", "候補中"]);
        assert_eq!(sheet[7][3], "1", "the waiting list position");
        assert!(sheet[5][6].contains('*'), "identity numbers stay masked");

        let (_, _, participants) = bytes(&app, &path("participants"), Some(operator.token())).await;
        let sheet = rows(participants);
        assert_eq!(sheet[0][0], "參加人員名單");
        assert_eq!(sheet.len(), 5 + 2);
        assert_eq!(sheet[6][4], "bulk2@school.example.tw");

        let (status, _, _) = bytes(&app, &path("everything"), Some(operator.token())).await;
        assert_eq!(status, 400);
        let (status, _, _) = bytes(&app, &path("sign_in"), Some(&teachers[0].1)).await;
        assert_eq!(status, 403);
    }
);

both_databases!(
    calendars_and_qr_codes_follow_the_standards,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.as_user("school.operator").await;
        let reviewer = app.as_user("taipei.reviewer").await;
        let long_name =
            "素養導向理化實驗設計與差異化教學策略工作坊：從課程設計到學習評量的完整實作（第一場）";
        let code = operator
            .publish_course("demo-jh-taipei", &reviewer, &course_form(long_name))
            .await;
        let (status, kind, ics) =
            bytes(&app, &format!("/api/v1/courses/{code}/calendar.ics"), None).await;
        assert_eq!(
            (status, kind.as_str()),
            (200, "text/calendar; charset=utf-8")
        );
        let lines = calendar_lines(&String::from_utf8(ics).unwrap());
        assert_eq!(lines[0], "BEGIN:VCALENDAR");
        assert!(lines.contains(&"VERSION:2.0".to_owned()));
        assert_eq!(
            lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(),
            2,
            "a session each"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("UID:course-{code}-session-1@")))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("DTSTAMP:") && l.ends_with('Z'))
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("DTSTART:") && l.ends_with("T010000Z")),
            "09:00 in Taiwan is 01:00 UTC"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("SUMMARY:") && l.contains("第一場"))
        );
        assert!(lines.iter().any(|l| l == "STATUS:CONFIRMED"));

        let (status, kind, svg) =
            bytes(&app, &format!("/api/v1/courses/{code}/qr.svg"), None).await;
        assert_eq!((status, kind.as_str()), (200, "image/svg+xml"));
        let svg = String::from_utf8(svg).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));

        // The private feed: made, read without a login, and cancelled courses struck through.
        let teacher = app.as_user("teacher.lin").await;
        teacher
            .post(format!("/api/v1/courses/{code}/enrollments"), &json!({}))
            .await;
        let (_, none) = teacher.get("/api/v1/me/calendar-feed").await;
        assert_eq!(none["active"], false);
        let feed = teacher
            .post_ok("/api/v1/me/calendar-feed", &json!({}), 201)
            .await;
        let url = feed["url"].as_str().unwrap();
        let path = &url[url.find("/api/").unwrap()..];
        let (status, _, body) = bytes(&app, path, None).await;
        assert_eq!(status, 200);
        let text = String::from_utf8(body).unwrap();
        assert!(
            calendar_lines(&text)
                .iter()
                .any(|l| l == "STATUS:CONFIRMED")
        );
        operator
            .post(
                format!("/api/v1/courses/{code}/cancel"),
                &json!({"reason": "場地維修"}),
            )
            .await;
        let (_, _, body) = bytes(&app, path, None).await;
        let lines = calendar_lines(&String::from_utf8(body).unwrap());
        assert_eq!(lines.iter().filter(|l| *l == "STATUS:CANCELLED").count(), 2);
        assert!(lines.iter().any(|l| l.contains("場地維修")));
        let (_, state) = teacher.get("/api/v1/me/calendar-feed").await;
        assert_eq!(state["active"], true);
        assert!(state["url"].is_null(), "the secret is shown only once");

        // A new address revokes the old one; deleting revokes it too.
        teacher.post("/api/v1/me/calendar-feed", &json!({})).await;
        let (status, _, _) = bytes(&app, path, None).await;
        assert_eq!(status, 404);
        teacher.delete_ok("/api/v1/me/calendar-feed", 204).await;
        let (_, gone) = teacher.get("/api/v1/me/calendar-feed").await;
        assert_eq!(gone["active"], false);
    }
);
