//! After the course, around the records, end to end on both databases: the unit's and the
//! regional centre's dashboards and their lights, the questionnaire and its summary (with paper
//! sheets), the demo records, and the signed sign-in sheet uploaded as attendance.

use inservice_e2e::{TestApp, UserClient, both_databases, workbook_cells};
use serde_json::{Value, json};

const UNIT: &str = "demo-jh-taipei";

both_databases!(
    units_and_regional_centres_see_their_unclosed_courses_by_light,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.as_user("school.operator").await;
        let reviewer = app.as_user("taipei.reviewer").await;
        let overdue = app.demo_course("逾期未登錄研習").await;
        app.end_course(overdue, 20).await;
        let fresh = app.demo_course("剛結束研習").await;
        app.end_course(fresh, 1).await;
        let waiting = app.demo_course("待確認研習").await;
        app.end_course(waiting, 3).await;
        operator
            .post_ok(
                format!("/api/v1/courses/{waiting}/roster/submit"),
                &json!({}),
                200,
            )
            .await;

        let unit = operator
            .get_ok(format!("/api/v1/units/{UNIT}/dashboard"), 200)
            .await;
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

        let region = reviewer.get_ok("/api/v1/review/dashboard", 200).await;
        let school = region["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_code"] == UNIT)
            .expect("the school on the centre's board");
        assert_eq!(school["counts"]["red"], 1);
        app.as_user("teacher.lin")
            .await
            .get_ok(format!("/api/v1/units/{UNIT}/dashboard"), 403)
            .await;
    }
);

both_databases!(
    attendees_answer_the_questionnaire_once_and_organisers_read_the_summary,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.as_user("school.operator").await;
        let code = app.demo_course("問卷測試研習").await;
        let teachers = app.teacher_clients(3, UNIT, "15-4").await;
        let clients: Vec<&UserClient> = teachers.iter().map(|(_, c)| c).collect();
        app.enroll_each(code, &clients).await;
        let outsider = app.teacher_clients(1, UNIT, "15-4").await.remove(0).1;
        let feedback = format!("/api/v1/courses/{code}/feedback");

        let (status, problem) = clients[0]
            .post(&feedback, &json!({"answers": vec![5; 9]}))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("course_not_finished"))
        );
        app.end_course(code, 1).await;
        let form = clients[0].get_ok(&feedback, 200).await;
        assert_eq!(
            (
                form["can_answer"].as_bool(),
                form["questions"].as_array().unwrap().len()
            ),
            (Some(true), 9)
        );
        let course = clients[0].get(format!("/api/v1/courses/{code}")).await.1;
        assert!(
            course["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "feedback")
        );

        let (status, problem) = clients[0]
            .post(&feedback, &json!({"answers": [5, 5, 0, 5, 5, 5, 5, 5, 5]}))
            .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("answers[2]"))
        );
        let (status, problem) = outsider
            .post(&feedback, &json!({"answers": vec![5; 9]}))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("not_an_attendee"))
        );
        clients[0]
            .post_ok(&feedback, &json!({"answers": vec![5; 9]}), 201)
            .await;
        let (status, problem) = clients[0]
            .post(&feedback, &json!({"answers": vec![4; 9]}))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("already_answered"))
        );
        clients[1]
            .post_ok(&feedback, &json!({"answers": vec![4; 9]}), 201)
            .await;

        let summary = operator.get_ok(format!("{feedback}/summary"), 200).await;
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
        let (status, problem) = operator
            .put(format!("{feedback}/paper"), &json!({"counts": [[1, 2]]}))
            .await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("counts"))
        );
        let with_paper = operator
            .put_ok(format!("{feedback}/paper"), &json!({"counts": counts}), 200)
            .await;
        assert_eq!(
            (
                with_paper["respondents"].as_u64(),
                with_paper["total"].as_u64()
            ),
            (Some(3), Some(108))
        );
        assert_eq!(with_paper["questions"][8]["average"], 4.0);
        let (status, _) = clients[2].get(format!("{feedback}/summary")).await;
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
            let mine = app.as_user(login).await.records().await;
            assert!(
                mine["total_hours"].as_f64().unwrap() > 0.0,
                "{login}: {mine}"
            );
            assert!(!mine["by_year"].as_array().unwrap().is_empty());
        }
        let region = app
            .as_user("taipei.reviewer")
            .await
            .get_ok("/api/v1/review/dashboard", 200)
            .await;
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
        let operator = app.as_user("school.operator").await;
        let code = app.demo_course("簽到表測試研習").await;
        let teachers = app.teacher_clients(3, UNIT, "15-4").await;
        let clients: Vec<&UserClient> = teachers.iter().map(|(_, c)| c).collect();
        app.enroll_each(code, &clients).await;
        app.end_course(code, 1).await;

        // The organiser downloads the sign-in sheet; on paper the first teacher signs both
        // sessions, the second only the morning, the third nothing but a note of leave.
        let (status, _, bytes) = operator
            .get_bytes(format!(
                "/api/v1/courses/{code}/enrollments.xlsx?kind=sign_in"
            ))
            .await;
        assert_eq!(status, 200);
        let mut rows = workbook_cells(&bytes);
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

        let upload = format!("/api/v1/courses/{code}/attendance/sign-in-sheet");
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let (status, _) = operator
            .upload(&upload, b"not a workbook".to_vec(), "text/plain")
            .await;
        assert_eq!(status, 415);
        let (status, _) = operator
            .upload(&upload, b"PK\x03\x04 broken".to_vec(), xlsx)
            .await;
        assert_eq!(status, 400);
        let (status, saved) = operator.upload(&upload, filled, xlsx).await;
        assert_eq!(status, 200);
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
