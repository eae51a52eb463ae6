//! After the course, end to end on both databases: attendance with the hours of Art. 10,
//! walk-ins, submitting (late after a week), returning and confirming the roster, the records
//! it writes exactly once, teachers' record pages, workbooks and verifiable transcripts,
//! amendments of closed courses (dashboards, the questionnaire and the sign-in sheet:
//! `records_dashboards.rs`).

use futures_util::future::join_all;
use inservice_e2e::courses::day;
use inservice_e2e::{TestApp, UserClient, both_databases};
use serde_json::{Value, json};

const UNIT: &str = "demo-jh-taipei";

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
        let operator = app.as_user("school.operator").await;
        let reviewer = app.as_user("taipei.reviewer").await;
        let lin = app.as_user("teacher.lin").await;
        let code = app.demo_course("結案測試研習").await;
        let others = app.teacher_clients(5, UNIT, "15-4").await;
        let mut clients: Vec<&UserClient> = others.iter().map(|(_, c)| c).collect();
        clients.push(&lin);
        app.enroll_each(code, &clients).await;
        let [absent, leave, late, too_late, half_day] = [0, 1, 2, 3, 4].map(|i| others[i].0);

        // Before the course nothing can be recorded.
        let before = operator.attendance(code).await;
        assert_eq!(before["editable"], false);
        let (status, problem) = operator
            .save_attendance(code, json!([{"account_id": absent, "mark": "absent"}]))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("course_not_started"))
        );

        app.end_course(code, 10).await;
        let fresh = operator.attendance(code).await;
        assert_eq!(fresh["editable"], true);
        assert_eq!(fresh["lines"].as_array().unwrap().len(), 6);
        assert_eq!(
            fresh["total_hours"], 36.0,
            "everyone present in full by default"
        );
        assert_eq!(fresh["roster"]["due_date"], day(-3));

        // Bad lines are named where they stand; nothing is saved.
        let (status, problem) = operator.save_attendance(code, json!([
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
        let (status, problem) = operator
            .save_attendance(code, json!([{"account_id": 999_999, "mark": "absent"}]))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("not_a_participant"))
        );

        let (status, saved) = operator.save_attendance(code, json!([
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
        let (walk_in_id, walk_in) = app.teacher_clients(1, UNIT, "15-5").await.remove(0);
        let (_, me) = walk_in.get("/api/v1/me").await;
        let walk_ins = format!("/api/v1/courses/{code}/attendance/walk-ins");
        let with_walk_in = operator
            .post_ok(&walk_ins, &json!({"login": me["account_name"]}), 200)
            .await;
        let line = &with_walk_in["lines"][6];
        assert_eq!(
            (line["account_id"].as_i64(), line["walk_in"].as_bool()),
            (Some(walk_in_id as i64), Some(true))
        );
        let (status, problem) = operator
            .post(&walk_ins, &json!({"login": me["account_name"]}))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("already_on_roster"))
        );
        let (status, problem) = operator
            .post(&walk_ins, &json!({"login": "nobody.here"}))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (404, Some("teacher_not_found"))
        );
        // A look-up by identity number is audited, without the number.
        let unknown = inservice_e2e::national_id('Z', 4242);
        operator
            .post_ok(&walk_ins, &json!({"login": unknown}), 404)
            .await;
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
        lin.get_ok(format!("/api/v1/courses/{code}/attendance"), 403)
            .await;

        // Submitted ten days after the end: late (Art. 12-2), but accepted.
        let submit = format!("/api/v1/courses/{code}/roster/submit");
        let result = operator.post_ok(&submit, &json!({}), 200).await;
        assert_eq!(
            (result["state"].as_str(), result["confirmed"].as_bool()),
            (Some("roster_submitted"), Some(false))
        );
        let (status, problem) = operator.post(&submit, &json!({})).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("invalid_course_state"))
        );
        let (status, problem) = operator
            .save_attendance(code, json!([{"account_id": absent, "mark": "leave"}]))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("roster_closed"))
        );
        let submitted = reviewer.attendance(code).await;
        assert_eq!(submitted["roster"]["late"], true);
        assert_eq!(submitted["editable"], false);

        // The reviewer's queue has it; the reviewer returns it with a reason.
        let queue = reviewer.get_ok("/api/v1/review/rosters", 200).await;
        assert!(
            queue["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["code"] == code)
        );
        let send_back = format!("/api/v1/courses/{code}/roster/return");
        let (status, problem) = reviewer.post(&send_back, &json!({"reason": " "})).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("reason"))
        );
        let returned = reviewer
            .post_ok(&send_back, &json!({"reason": "請補登請假證明"}), 200)
            .await;
        assert_eq!(returned["reason"], "請補登請假證明");
        let again = operator.attendance(code).await;
        assert_eq!(again["editable"], true);
        operator.post_ok(&submit, &json!({}), 200).await;

        // Only the course's reviewer confirms; once.
        let confirm = format!("/api/v1/courses/{code}/roster/confirm");
        operator.post_ok(&confirm, &json!({}), 403).await;
        let confirmed = reviewer.post_ok(&confirm, &json!({}), 200).await;
        assert_eq!(
            confirmed["records"], 4,
            "late, half day, 林老師 and the walk-in"
        );
        let (status, problem) = reviewer.post(&confirm, &json!({})).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("roster_not_submitted"))
        );
        let course = app.get_json(&format!("/api/v1/courses/{code}"), 200).await;
        assert_eq!(course["state"], "closed");

        // Each teacher's record page shows the hours, and nothing personal.
        let mine = lin.records().await;
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
        assert_eq!(record_hours(&others[2].1.records().await, code), Some(5.0));
        assert_eq!(record_hours(&others[4].1.records().await, code), Some(4.0));
        assert_eq!(record_hours(&walk_in.records().await, code), Some(6.0));
        for teacher in [&others[0].1, &others[1].1, &others[3].1] {
            assert_eq!(record_hours(&teacher.records().await, code), None);
        }

        // A transcript: anyone can verify its code (typed loosely) and sees what it says.
        let (status, transcript) = lin.post("/api/v1/me/transcripts", &json!({})).await;
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
        let (status, problem) = operator
            .save_attendance(code, json!([{"account_id": too_late, "mark": "attended"}]))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("roster_closed"))
        );
        let amendments = format!("/api/v1/courses/{code}/amendments");
        let (status, problem) = operator
            .post(
                &amendments,
                &json!({"reason": "", "entries": [{"account_id": too_late, "mark": "attended"}]}),
            )
            .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("reason"))
        );
        let request = operator.post_ok(&amendments, &json!({"reason": "簽到表誤植，實際全程出席", "entries": [{"account_id": too_late, "mark": "attended"}]}), 201).await;
        assert_eq!(
            (
                request["before"][0]["hours"].as_f64(),
                request["after"][0]["hours"].as_f64()
            ),
            (Some(0.0), Some(6.0))
        );
        assert_eq!(
            record_hours(&others[3].1.records().await, code),
            None,
            "not before approval"
        );
        let pending = reviewer.get_ok("/api/v1/review/amendments", 200).await;
        assert!(
            pending["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a["id"] == request["id"])
        );
        let decision = format!("/api/v1/amendments/{}/decision", request["id"]);
        let (status, _) = operator.post(&decision, &json!({"approve": true})).await;
        assert_eq!(status, 403, "the school cannot approve its own request");
        let (status, decided) = reviewer.post(&decision, &json!({"approve": true})).await;
        assert_eq!(status, 200, "{decided}");
        assert_eq!(decided["status"], "approved");
        assert_eq!(record_hours(&others[3].1.records().await, code), Some(6.0));
        let (status, problem) = reviewer
            .post(&decision, &json!({"approve": false, "reason": "x"}))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("already_decided"))
        );
        let (status, history) = operator.get(&amendments).await;
        assert_eq!((status, history["total"].as_u64()), (200, Some(1)));
    }
);

both_databases!(
    a_roster_submitted_twice_or_confirmed_concurrently_writes_one_set_of_records,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.as_user("school.operator").await;
        let reviewer = app.as_user("taipei.reviewer").await;
        let code = app.demo_course("並行確認研習").await;
        let teachers = app.teacher_clients(20, UNIT, "15-4").await;
        let clients: Vec<&UserClient> = teachers.iter().map(|(_, c)| c).collect();
        app.enroll_each(code, &clients).await;
        app.end_course(code, 2).await;

        let submit = format!("/api/v1/courses/{code}/roster/submit");
        let empty = json!({});
        let statuses: Vec<u16> = join_all((0..8).map(|_| operator.post(&submit, &empty)))
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
        let results = join_all((0..8).map(|_| reviewer.post(&confirm, &empty))).await;
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
        for (_, teacher) in &teachers {
            let mine = teacher.records().await;
            assert_eq!(mine["items"].as_array().unwrap().len(), 1, "{mine}");
            assert_eq!(mine["total_hours"], 6.0);
        }
    }
);

both_databases!(
    the_regional_centres_automatic_confirmation_closes_qualifying_courses_at_once,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.as_user("school.operator").await;
        let chief = app.as_user("taipei.chief").await;
        let lin = app.as_user("teacher.lin").await;
        let code = app.demo_course("自動確認研習").await;
        app.enroll_each(code, &[&lin]).await;
        app.end_course(code, 1).await;
        chief
            .put_ok(
                "/api/v1/units/bureau-63000/auto-approval",
                &json!({"courses": false, "rosters": true}),
                200,
            )
            .await;
        let result = operator
            .post_ok(
                format!("/api/v1/courses/{code}/roster/submit"),
                &json!({}),
                200,
            )
            .await;
        assert_eq!(
            (result["state"].as_str(), result["confirmed"].as_bool()),
            (Some("closed"), Some(true))
        );
        assert_eq!(record_hours(&lin.records().await, code), Some(6.0));
    }
);
