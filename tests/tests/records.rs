//! After the course, end to end on both databases: attendance with the hours of Art. 10,
//! walk-ins, submitting (late after a week), returning and confirming the roster, the records
//! it writes exactly once, teachers' record pages, workbooks and verifiable transcripts,
//! amendments of closed courses, the dashboards' lights.

use futures_util::future::join_all;
use inservice_e2e::courses::{course_form, day};
use inservice_e2e::{TestApp, both_databases, workbook_cells};
use reqwest::Method;
use serde_json::{Value, json};

const UNIT: &str = "demo-jh-taipei";

async fn published(app: &TestApp, name: &str) -> i64 {
    let operator = app.demo_token("school.operator").await;
    let reviewer = app.demo_token("taipei.reviewer").await;
    app.published_course(&operator, UNIT, &reviewer, &course_form(name))
        .await
}

async fn sheet(app: &TestApp, token: &str, code: i64) -> Value {
    let (status, sheet) = app
        .get_authed(&format!("/api/v1/courses/{code}/attendance"), token)
        .await;
    assert_eq!(status, 200, "{sheet}");
    sheet
}

async fn save(app: &TestApp, token: &str, code: i64, entries: Value) -> (u16, Value) {
    app.send(
        Method::PUT,
        &format!("/api/v1/courses/{code}/attendance"),
        Some(&json!({ "entries": entries })),
        Some(token),
    )
    .await
}

fn hours_of(sheet: &Value, account_id: i32) -> f64 {
    sheet["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["account_id"] == account_id)
        .unwrap_or_else(|| panic!("{account_id} on the sheet"))["hours"]
        .as_f64()
        .unwrap()
}

async fn records(app: &TestApp, token: &str) -> Value {
    let (status, records) = app.get_authed("/api/v1/me/records", token).await;
    assert_eq!(status, 200, "{records}");
    records
}

fn record_hours(records: &Value, code: i64) -> Option<f64> {
    records["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["course_code"] == code)
        .map(|r| r["hours"].as_f64().unwrap())
}

both_databases!(
    attendance_becomes_confirmed_records_by_the_rules_of_article_10,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let reviewer = app.demo_token("taipei.reviewer").await;
        let lin = app.demo_token("teacher.lin").await;
        let code = published(&app, "結案測試研習").await;
        let others = app.teachers(5, UNIT, "15-4").await;
        let mut tokens: Vec<&str> = others.iter().map(|(_, t)| t.as_str()).collect();
        tokens.push(&lin);
        app.enroll_all(code, &tokens).await;
        let [absent, leave, late, too_late, half_day] = [0, 1, 2, 3, 4].map(|i| others[i].0);

        // Before the course nothing can be recorded.
        let before = sheet(&app, &operator, code).await;
        assert_eq!(before["editable"], false);
        let (status, problem) = save(
            &app,
            &operator,
            code,
            json!([{"account_id": absent, "mark": "absent"}]),
        )
        .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("course_not_started"))
        );

        app.end_course(code, 10).await;
        let fresh = sheet(&app, &operator, code).await;
        assert_eq!(fresh["editable"], true);
        assert_eq!(fresh["lines"].as_array().unwrap().len(), 6);
        assert_eq!(
            fresh["total_hours"], 36.0,
            "everyone present in full by default"
        );
        assert_eq!(fresh["roster"]["due_date"], day(-3));

        // Bad lines are named where they stand; nothing is saved.
        let (status, problem) = save(
            &app,
            &operator,
            code,
            json!([
                {"account_id": absent, "mark": "present"},
                {"account_id": late, "mark": "attended", "sessions": [{"unexcused_minutes": 200}, {}]}
            ]),
        )
        .await;
        assert_eq!(status, 400, "{problem}");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["entries[0].mark", "entries[1].sessions[0]"]);
        let (status, problem) = save(
            &app,
            &operator,
            code,
            json!([{"account_id": 999_999, "mark": "absent"}]),
        )
        .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("not_a_participant"))
        );

        let (status, saved) = save(
            &app,
            &operator,
            code,
            json!([
                {"account_id": absent, "mark": "absent"},
                {"account_id": leave, "mark": "leave"},
                // 61 minutes late: 119 minutes count two hours (Art. 10-1), plus three.
                {"account_id": late, "mark": "attended", "sessions": [{"unexcused_minutes": 61}, {}]},
                // 121 of 360 minutes missed: more than a third, nothing counts (Art. 10-5).
                {"account_id": too_late, "mark": "attended",
                 "sessions": [{"unexcused_minutes": 61}, {"unexcused_minutes": 60}]},
                // Approved leave for 100 minutes: the 80 attended count one hour, plus three.
                {"account_id": half_day, "mark": "attended", "sessions": [{}, {"leave_minutes": 100}]}
            ]),
        )
        .await;
        assert_eq!(status, 200, "{saved}");
        assert_eq!(hours_of(&saved, absent), 0.0);
        assert_eq!(hours_of(&saved, leave), 0.0);
        assert_eq!(hours_of(&saved, late), 5.0);
        assert_eq!(hours_of(&saved, too_late), 0.0);
        assert_eq!(hours_of(&saved, half_day), 4.0);

        // A walk-in, found by account name; once only; an unknown one is not found.
        let (walk_in_id, walk_in_token) = app.teachers(1, UNIT, "15-5").await.remove(0);
        let (_, me) = app.get_authed("/api/v1/me", &walk_in_token).await;
        let walk_ins = format!("/api/v1/courses/{code}/attendance/walk-ins");
        let (status, with_walk_in) = app
            .post_json(
                &walk_ins,
                &json!({"login": me["account_name"]}),
                Some(&operator),
            )
            .await;
        assert_eq!(status, 200, "{with_walk_in}");
        let line = &with_walk_in["lines"][6];
        assert_eq!(
            (line["account_id"].as_i64(), line["walk_in"].as_bool()),
            (Some(walk_in_id as i64), Some(true))
        );
        let (status, problem) = app
            .post_json(
                &walk_ins,
                &json!({"login": me["account_name"]}),
                Some(&operator),
            )
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("already_on_roster"))
        );
        let (status, problem) = app
            .post_json(&walk_ins, &json!({"login": "nobody.here"}), Some(&operator))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (404, Some("teacher_not_found"))
        );
        // A look-up by identity number is audited, without the number.
        let unknown = inservice_e2e::national_id('Z', 4242);
        let (status, _) = app
            .post_json(&walk_ins, &json!({"login": unknown}), Some(&operator))
            .await;
        assert_eq!(status, 404);
        let filter = inservice_persistence::audit::AuditFilter {
            actor_account_id: None,
            action: Some("attendance.identity_lookup".into()),
            target_id: None,
        };
        let page = inservice_domain::PageRequest::new(Some(1), Some(50)).unwrap();
        let audit = app.db.search_audit(&filter, page).await.unwrap();
        let text = format!("{:?}", audit.items);
        assert!(text.contains("attendance.identity_lookup"), "audited");
        assert!(!text.contains(&unknown), "never the number itself");

        // Teachers and other units see nothing of it.
        let (status, _) = app
            .get_authed(&format!("/api/v1/courses/{code}/attendance"), &lin)
            .await;
        assert_eq!(status, 403);

        // Submitted ten days after the end: late (Art. 12-2), but accepted.
        let submit = format!("/api/v1/courses/{code}/roster/submit");
        let (status, result) = app.post_json(&submit, &json!({}), Some(&operator)).await;
        assert_eq!(status, 200, "{result}");
        assert_eq!(
            (result["state"].as_str(), result["confirmed"].as_bool()),
            (Some("roster_submitted"), Some(false))
        );
        let (status, problem) = app.post_json(&submit, &json!({}), Some(&operator)).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("invalid_course_state"))
        );
        let (status, problem) = save(
            &app,
            &operator,
            code,
            json!([{"account_id": absent, "mark": "leave"}]),
        )
        .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("roster_closed"))
        );
        let submitted = sheet(&app, &reviewer, code).await;
        assert_eq!(submitted["roster"]["late"], true);
        assert_eq!(submitted["editable"], false);

        // The reviewer's queue has it; the reviewer returns it with a reason.
        let (status, queue) = app.get_authed("/api/v1/review/rosters", &reviewer).await;
        assert_eq!(status, 200, "{queue}");
        assert!(
            queue["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["code"] == code)
        );
        let send_back = format!("/api/v1/courses/{code}/roster/return");
        let (status, problem) = app
            .post_json(&send_back, &json!({"reason": " "}), Some(&reviewer))
            .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("reason"))
        );
        let (status, returned) = app
            .post_json(
                &send_back,
                &json!({"reason": "請補登請假證明"}),
                Some(&reviewer),
            )
            .await;
        assert_eq!(status, 200, "{returned}");
        assert_eq!(returned["reason"], "請補登請假證明");
        let again = sheet(&app, &operator, code).await;
        assert_eq!(again["editable"], true);
        let (status, result) = app.post_json(&submit, &json!({}), Some(&operator)).await;
        assert_eq!(status, 200, "{result}");

        // Only the course's reviewer confirms; once.
        let confirm = format!("/api/v1/courses/{code}/roster/confirm");
        let (status, _) = app.post_json(&confirm, &json!({}), Some(&operator)).await;
        assert_eq!(status, 403);
        let (status, confirmed) = app.post_json(&confirm, &json!({}), Some(&reviewer)).await;
        assert_eq!(status, 200, "{confirmed}");
        assert_eq!(
            confirmed["records"], 4,
            "late, half day, 林老師 and the walk-in"
        );
        let (status, problem) = app.post_json(&confirm, &json!({}), Some(&reviewer)).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("roster_not_submitted"))
        );
        let course = app.get_json(&format!("/api/v1/courses/{code}"), 200).await;
        assert_eq!(course["state"], "closed");

        // Each teacher's record page shows the hours, and nothing personal.
        let mine = records(&app, &lin).await;
        assert_eq!(record_hours(&mine, code), Some(6.0));
        let year = &day(-10)[..4];
        let by_year = mine["by_year"].as_array().unwrap();
        assert!(
            by_year
                .iter()
                .any(|y| y["key"] == year && y["hours"].as_f64().unwrap() >= 6.0)
        );
        assert_eq!(mine["by_category"][0]["label"], "課程、教學及評量");
        let page = mine.to_string();
        assert!(
            !page.contains("林老師") && !page.contains("O109000108"),
            "{page}"
        );
        assert_eq!(
            record_hours(&records(&app, &others[2].1).await, code),
            Some(5.0)
        );
        assert_eq!(
            record_hours(&records(&app, &others[4].1).await, code),
            Some(4.0)
        );
        assert_eq!(
            record_hours(&records(&app, &walk_in_token).await, code),
            Some(6.0)
        );
        for token in [&others[0].1, &others[1].1, &others[3].1] {
            assert_eq!(record_hours(&records(&app, token).await, code), None);
        }

        // A transcript: anyone can verify its code (typed loosely) and sees what it says.
        let (status, transcript) = app
            .post_json("/api/v1/me/transcripts", &json!({}), Some(&lin))
            .await;
        assert_eq!(status, 201, "{transcript}");
        let code_text = transcript["code"].as_str().unwrap();
        assert!(
            transcript["verify_url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/verify/{code_text}"))
        );
        let typed = code_text.replace('-', "").to_lowercase();
        let verified = app
            .get_json(&format!("/api/v1/transcripts/{typed}"), 200)
            .await;
        assert_eq!(verified["holder_name"], "林○師");
        assert_eq!(verified["intact"], true);
        assert_eq!(verified["sha256"], transcript["sha256"]);
        assert_eq!(record_hours(&verified["records"], code), Some(6.0));
        // The QR code printed on the transcript encodes the verification URL.
        let qr = app
            .get(&format!("/api/v1/transcripts/{typed}/qr.svg"))
            .await;
        assert_eq!(qr.status().as_u16(), 200);
        assert_eq!(qr.headers()["content-type"], "image/svg+xml");
        let expected = qrcode::QrCode::new(transcript["verify_url"].as_str().unwrap().as_bytes())
            .unwrap()
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(240, 240)
            .quiet_zone(true)
            .build();
        assert_eq!(qr.text().await.unwrap(), expected);
        let missing_qr = app
            .get("/api/v1/transcripts/AAAA-AAAA-AAAA-AAAA/qr.svg")
            .await;
        assert_eq!(missing_qr.status().as_u16(), 404);
        let missing = app
            .get_json("/api/v1/transcripts/AAAA-AAAA-AAAA-AAAA", 404)
            .await;
        assert_eq!(missing["code"], "transcript_not_found");

        // A closed course changes only through an amendment the regional centre approves.
        let (status, problem) = save(
            &app,
            &operator,
            code,
            json!([{"account_id": too_late, "mark": "attended"}]),
        )
        .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("roster_closed"))
        );
        let amendments = format!("/api/v1/courses/{code}/amendments");
        let (status, problem) = app
            .post_json(
                &amendments,
                &json!({"reason": "", "entries": [{"account_id": too_late, "mark": "attended"}]}),
                Some(&operator),
            )
            .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("reason"))
        );
        let (status, request) = app
            .post_json(
                &amendments,
                &json!({"reason": "簽到表誤植，實際全程出席", "entries": [{"account_id": too_late, "mark": "attended"}]}),
                Some(&operator),
            )
            .await;
        assert_eq!(status, 201, "{request}");
        assert_eq!(
            (
                request["before"][0]["hours"].as_f64(),
                request["after"][0]["hours"].as_f64()
            ),
            (Some(0.0), Some(6.0))
        );
        assert_eq!(
            record_hours(&records(&app, &others[3].1).await, code),
            None,
            "not before approval"
        );
        let (status, pending) = app.get_authed("/api/v1/review/amendments", &reviewer).await;
        assert_eq!(status, 200);
        assert!(
            pending["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == request["id"])
        );
        let decision = format!("/api/v1/amendments/{}/decision", request["id"]);
        let (status, _) = app
            .post_json(&decision, &json!({"approve": true}), Some(&operator))
            .await;
        assert_eq!(status, 403, "the school cannot approve its own request");
        let (status, decided) = app
            .post_json(&decision, &json!({"approve": true}), Some(&reviewer))
            .await;
        assert_eq!(status, 200, "{decided}");
        assert_eq!(decided["status"], "approved");
        assert_eq!(
            record_hours(&records(&app, &others[3].1).await, code),
            Some(6.0)
        );
        let (status, problem) = app
            .post_json(
                &decision,
                &json!({"approve": false, "reason": "x"}),
                Some(&reviewer),
            )
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("already_decided"))
        );
        let (status, history) = app.get_authed(&amendments, &operator).await;
        assert_eq!((status, history["total"].as_u64()), (200, Some(1)));
    }
);

both_databases!(
    a_roster_submitted_twice_or_confirmed_concurrently_writes_one_set_of_records,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let reviewer = app.demo_token("taipei.reviewer").await;
        let code = published(&app, "並行確認研習").await;
        let teachers = app.teachers(20, UNIT, "15-4").await;
        let tokens: Vec<&str> = teachers.iter().map(|(_, t)| t.as_str()).collect();
        app.enroll_all(code, &tokens).await;
        app.end_course(code, 2).await;

        let submit = format!("/api/v1/courses/{code}/roster/submit");
        let empty = json!({});
        let statuses: Vec<u16> =
            join_all((0..8).map(|_| app.post_json(&submit, &empty, Some(&operator))))
                .await
                .into_iter()
                .map(|(s, _)| s)
                .collect();
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            1,
            "{statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| [200, 409].contains(s)),
            "{statuses:?}"
        );

        let confirm = format!("/api/v1/courses/{code}/roster/confirm");
        let results =
            join_all((0..8).map(|_| app.post_json(&confirm, &empty, Some(&reviewer)))).await;
        let ok: Vec<&Value> = results
            .iter()
            .filter(|(s, _)| *s == 200)
            .map(|(_, b)| b)
            .collect();
        assert_eq!(ok.len(), 1, "{results:?}");
        assert_eq!(ok[0]["records"], 20);
        assert!(
            results.iter().all(|(s, _)| [200, 409].contains(s)),
            "{results:?}"
        );
        for (_, token) in &teachers {
            let mine = records(&app, token).await;
            assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
            assert_eq!(mine["total_hours"], 6.0);
        }
    }
);

both_databases!(
    the_regional_centres_automatic_confirmation_closes_qualifying_courses_at_once,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let chief = app.demo_token("taipei.chief").await;
        let lin = app.demo_token("teacher.lin").await;
        let code = published(&app, "自動確認研習").await;
        app.enroll_all(code, &[&lin]).await;
        app.end_course(code, 1).await;
        let (status, set) = app
            .send(
                Method::PUT,
                "/api/v1/units/bureau-63000/auto-approval",
                Some(&json!({"courses": false, "rosters": true})),
                Some(&chief),
            )
            .await;
        assert_eq!(status, 200, "{set}");
        let (status, result) = app
            .post_json(
                &format!("/api/v1/courses/{code}/roster/submit"),
                &json!({}),
                Some(&operator),
            )
            .await;
        assert_eq!(status, 200, "{result}");
        assert_eq!(
            (result["state"].as_str(), result["confirmed"].as_bool()),
            (Some("closed"), Some(true))
        );
        assert_eq!(record_hours(&records(&app, &lin).await, code), Some(6.0));
    }
);

both_databases!(
    units_and_regional_centres_see_their_unclosed_courses_by_light,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let reviewer = app.demo_token("taipei.reviewer").await;
        let overdue = published(&app, "逾期未登錄研習").await;
        app.end_course(overdue, 20).await;
        let fresh = published(&app, "剛結束研習").await;
        app.end_course(fresh, 1).await;
        let waiting = published(&app, "待確認研習").await;
        app.end_course(waiting, 3).await;
        let (status, _) = app
            .post_json(
                &format!("/api/v1/courses/{waiting}/roster/submit"),
                &json!({}),
                Some(&operator),
            )
            .await;
        assert_eq!(status, 200);

        let (status, unit) = app
            .get_authed(&format!("/api/v1/units/{UNIT}/dashboard"), &operator)
            .await;
        assert_eq!(status, 200, "{unit}");
        let light = |board: &Value, code: i64| {
            board["courses"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["course_code"] == code)
                .map(|c| {
                    (
                        c["pending"].as_str().unwrap().to_owned(),
                        c["light"].as_str().unwrap().to_owned(),
                    )
                })
        };
        assert_eq!(
            light(&unit, overdue),
            Some(("roster_missing".into(), "red".into()))
        );
        assert_eq!(
            light(&unit, fresh),
            Some(("roster_missing".into(), "green".into()))
        );
        assert_eq!(
            light(&unit, waiting),
            Some(("awaiting_confirmation".into(), "green".into()))
        );
        assert_eq!(unit["courses"][0]["course_code"], overdue, "worst first");
        assert_eq!(
            (
                unit["counts"]["red"].as_u64(),
                unit["counts"]["green"].as_u64()
            ),
            (Some(1), Some(2))
        );

        let (status, region) = app.get_authed("/api/v1/review/dashboard", &reviewer).await;
        assert_eq!(status, 200, "{region}");
        let school = region["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_code"] == UNIT)
            .expect("the school on the centre's board");
        assert_eq!(school["counts"]["red"], 1);
        let (status, _) = app
            .get_authed(
                &format!("/api/v1/units/{UNIT}/dashboard"),
                &app.demo_token("teacher.lin").await,
            )
            .await;
        assert_eq!(status, 403);
    }
);

both_databases!(
    attendees_answer_the_questionnaire_once_and_organisers_read_the_summary,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let code = published(&app, "問卷測試研習").await;
        let teachers = app.teachers(3, UNIT, "15-4").await;
        let tokens: Vec<&str> = teachers.iter().map(|(_, t)| t.as_str()).collect();
        app.enroll_all(code, &tokens).await;
        let outsider = app.teachers(1, UNIT, "15-4").await.remove(0).1;
        let feedback = format!("/api/v1/courses/{code}/feedback");

        let (status, problem) = app
            .post_json(&feedback, &json!({"answers": vec![5; 9]}), Some(tokens[0]))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("course_not_finished"))
        );
        app.end_course(code, 1).await;
        let (status, form) = app.get_authed(&feedback, tokens[0]).await;
        assert_eq!(status, 200);
        assert_eq!(
            (
                form["can_answer"].as_bool(),
                form["questions"].as_array().unwrap().len()
            ),
            (Some(true), 9)
        );
        let course = app
            .get_authed(&format!("/api/v1/courses/{code}"), tokens[0])
            .await
            .1;
        assert!(
            course["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "feedback")
        );

        let (status, problem) = app
            .post_json(
                &feedback,
                &json!({"answers": [5, 5, 0, 5, 5, 5, 5, 5, 5]}),
                Some(tokens[0]),
            )
            .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("answers[2]"))
        );
        let (status, problem) = app
            .post_json(&feedback, &json!({"answers": vec![5; 9]}), Some(&outsider))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("not_an_attendee"))
        );
        let (status, _) = app
            .post_json(&feedback, &json!({"answers": vec![5; 9]}), Some(tokens[0]))
            .await;
        assert_eq!(status, 201);
        let (status, problem) = app
            .post_json(&feedback, &json!({"answers": vec![4; 9]}), Some(tokens[0]))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("already_answered"))
        );
        let (status, _) = app
            .post_json(&feedback, &json!({"answers": vec![4; 9]}), Some(tokens[1]))
            .await;
        assert_eq!(status, 201);

        let (status, summary) = app
            .get_authed(&format!("{feedback}/summary"), &operator)
            .await;
        assert_eq!(status, 200, "{summary}");
        assert_eq!(
            (summary["respondents"].as_u64(), summary["total"].as_u64()),
            (Some(2), Some(81))
        );
        assert_eq!(summary["questions"][0]["average"], 4.5);
        assert_eq!(summary["average"], 4.5);

        // Paper sheets: one sheet scoring 3 on every question.
        let mut counts = vec![vec![0u32; 5]; 9];
        for row in &mut counts {
            row[2] = 1;
        }
        let (status, problem) = app
            .send(
                Method::PUT,
                &format!("{feedback}/paper"),
                Some(&json!({"counts": [[1, 2]]})),
                Some(&operator),
            )
            .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("counts"))
        );
        let (status, with_paper) = app
            .send(
                Method::PUT,
                &format!("{feedback}/paper"),
                Some(&json!({"counts": counts})),
                Some(&operator),
            )
            .await;
        assert_eq!(status, 200, "{with_paper}");
        assert_eq!(
            (
                with_paper["respondents"].as_u64(),
                with_paper["total"].as_u64()
            ),
            (Some(3), Some(108))
        );
        assert_eq!(with_paper["questions"][8]["average"], 4.0);
        let (status, _) = app
            .get_authed(&format!("{feedback}/summary"), tokens[2])
            .await;
        assert_eq!(status, 403, "teachers do not read the summary");
    }
);

both_databases!(
    the_demo_teachers_have_records_and_the_demo_schools_have_lights,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        app.seed_demo_courses().await;
        let now = chrono::Utc::now();
        let written = inservice_persistence::seed_demo_records(&app.db, now)
            .await
            .expect("seed the demo records");
        assert!(written > 10, "{written} records");
        assert_eq!(
            inservice_persistence::seed_demo_records(&app.db, now)
                .await
                .unwrap(),
            0,
            "a second run adds nothing"
        );
        for login in ["teacher.lin", "teacher.wang", "teacher.chen"] {
            let mine = records(&app, &app.demo_token(login).await).await;
            assert!(
                mine["total_hours"].as_f64().unwrap() > 0.0,
                "{login}: {mine}"
            );
            assert!(!mine["by_year"].as_array().unwrap().is_empty());
        }
        let (status, region) = app
            .get_authed(
                "/api/v1/review/dashboard",
                &app.demo_token("taipei.reviewer").await,
            )
            .await;
        assert_eq!(status, 200, "{region}");
        assert!(
            !region["courses"].as_array().unwrap().is_empty(),
            "{region}"
        );
    }
);

both_databases!(
    the_signed_sign_in_sheet_becomes_attendance,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let code = published(&app, "簽到表測試研習").await;
        let teachers = app.teachers(3, UNIT, "15-4").await;
        let tokens: Vec<&str> = teachers.iter().map(|(_, t)| t.as_str()).collect();
        app.enroll_all(code, &tokens).await;
        app.end_course(code, 1).await;

        // The organiser downloads the sign-in sheet; on paper the first teacher signs both
        // sessions, the second only the morning, the third nothing but a note of leave.
        let response = app
            .client
            .get(app.url(&format!(
                "/api/v1/courses/{code}/enrollments.xlsx?kind=sign_in"
            )))
            .bearer_auth(&operator)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let mut rows = workbook_cells(&response.bytes().await.unwrap());
        let header = rows
            .iter()
            .position(|r| r.first().is_some_and(|c| c == "報名編號"))
            .unwrap();
        let note = rows[header].iter().position(|c| c == "備註").unwrap();
        rows[header + 1][5] = "簽".into();
        rows[header + 1][6] = "簽".into();
        rows[header + 2][5] = "簽".into();
        rows[header + 3][note] = "事假（請假）".into();
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, value).unwrap();
            }
        }
        let filled = book.save_to_buffer().unwrap();

        let upload = |body: Vec<u8>, content_type: &'static str| {
            app.client
                .post(app.url(&format!("/api/v1/courses/{code}/attendance/sign-in-sheet")))
                .bearer_auth(&operator)
                .header("content-type", content_type)
                .body(body)
                .send()
        };
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let response = upload(b"not a workbook".to_vec(), "text/plain")
            .await
            .unwrap();
        assert_eq!(response.status(), 415);
        let response = upload(b"PK\x03\x04 broken".to_vec(), xlsx).await.unwrap();
        assert_eq!(response.status(), 400);
        let response = upload(filled, xlsx).await.unwrap();
        assert_eq!(response.status(), 200);
        let saved: Value = response.json().await.unwrap();
        let line = |id: i32| {
            saved["lines"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["account_id"] == id)
                .cloned()
                .unwrap()
        };
        assert_eq!(line(teachers[0].0)["hours"], 6.0);
        assert_eq!(
            line(teachers[1].0)["hours"],
            0.0,
            "the afternoon missed without leave is more than a third"
        );
        assert_eq!(line(teachers[1].0)["sessions"][1]["unexcused_minutes"], 180);
        assert_eq!(line(teachers[2].0)["mark"], "leave");
        assert_eq!(saved["total_hours"], 6.0);
    }
);
