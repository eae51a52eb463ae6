//! Enrollment end to end: the window, once per teacher, idempotent retries, the waiting list
//! and its promotion, the organiser's review, withdrawal, cancellation notices, the lottery,
//! on both databases.

use inservice_e2e::courses::{course_form, day};
use inservice_e2e::{TestApp, both_databases};
use reqwest::Method;
use serde_json::{Value, json};

/// A published course of demo-jh-taipei with `places`, `form` changed by `tweak`.
async fn course_with(app: &TestApp, places: u32, tweak: impl FnOnce(&mut Value)) -> i64 {
    let operator = app.as_user("school.operator").await;
    let reviewer = app.as_user("taipei.reviewer").await;
    let mut form = course_form("報名測試研習");
    form["places_per_class"] = json!(places);
    tweak(&mut form);
    operator
        .publish_course("demo-jh-taipei", &reviewer, &form)
        .await
}

async fn course(app: &TestApp, code: i64) -> Value {
    app.get_json(&format!("/api/v1/courses/{code}"), 200).await
}

both_databases!(
    a_teacher_enrolls_once_retries_safely_and_withdraws_before_the_start,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let code = course_with(&app, 40, |_| {}).await;
        let teacher = app.as_user("teacher.lin").await;
        let (status, first) = teacher.enroll(code, false).await;
        assert_eq!(status, 201, "{first}");
        assert_eq!(first["status"], "enrolled");
        assert!(
            first["google_calendar_url"]
                .as_str()
                .unwrap()
                .starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE&text=")
        );
        assert_eq!(course(&app, code).await["places_left"], 39);

        let (status, again) = teacher.enroll(code, false).await;
        assert_eq!(
            (status, again["code"].as_str()),
            (409, Some("already_enrolled"))
        );
        assert_eq!(again["existing"]["id"], first["id"]);

        // Retried with its Idempotency-Key, a request answers the same enrollment.
        let retry = |key: &str| {
            teacher
                .request(Method::POST, format!("/api/v1/courses/{code}/enrollments"))
                .header("Idempotency-Key", key)
                .json(&json!({}))
                .send()
        };
        let wang = app.as_user("teacher.wang").await;
        let keyed = wang
            .request(Method::POST, format!("/api/v1/courses/{code}/enrollments"))
            .header("Idempotency-Key", "7c1b2f0e-retry")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(keyed.status(), 201);
        let keyed: Value = keyed.json().await.unwrap();
        let replay = wang
            .request(Method::POST, format!("/api/v1/courses/{code}/enrollments"))
            .header("Idempotency-Key", "7c1b2f0e-retry")
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        assert_eq!(replay.status(), 200, "a replay, not a second enrollment");
        let replay: Value = replay.json().await.unwrap();
        assert_eq!(replay["id"], keyed["id"]);
        assert_eq!(retry("   ").await.unwrap().status(), 400);
        assert_eq!(course(&app, code).await["places_left"], 38);

        let nounit = app.as_user("teacher.nounit").await;
        let (status, problem) = nounit.enroll(code, false).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("no_serving_unit"))
        );
        let operator = app.as_user("school.operator").await;
        let (status, problem) = operator.enroll(code, false).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("teacher_account_required"))
        );

        let (_, mine) = teacher.get("/api/v1/me/enrollments?group=upcoming").await;
        assert_eq!(mine["total"], 1);
        assert_eq!(mine["items"][0]["course"]["code"], code);
        let id = first["id"].as_i64().unwrap();
        let (status, withdrawn) = teacher
            .post(format!("/api/v1/enrollments/{id}/withdraw"), &json!({}))
            .await;
        assert_eq!(
            (status, withdrawn["status"].as_str()),
            (200, Some("withdrawn"))
        );
        assert_eq!(course(&app, code).await["places_left"], 39);
        let (_, cancelled) = teacher.get("/api/v1/me/enrollments?group=cancelled").await;
        assert_eq!(cancelled["total"], 1);
        let (status, again) = teacher.enroll(code, false).await;
        assert_eq!(
            (status, again["id"].clone()),
            (201, first["id"].clone()),
            "enrolls again"
        );
        let (status, _) = wang
            .post(format!("/api/v1/enrollments/{id}/withdraw"), &json!({}))
            .await;
        assert_eq!(status, 404, "nobody withdraws someone else");
    }
);

both_databases!(
    enrollment_opens_and_closes_with_the_registration_window,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let later = course_with(&app, 40, |f| {
            f["registration_opens_at"] = json!(format!("{}T09:00", day(3)));
        })
        .await;
        let teacher = app.as_user("teacher.lin").await;
        let (status, problem) = teacher.enroll(later, false).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("registration_not_open"))
        );
        let page = course(&app, later).await;
        assert_eq!(page["registration_status"], "not_yet_open");
        let closed = course_with(&app, 40, |_| {}).await;
        app.execute(&format!(
            "UPDATE courses SET registration_closes_at = registration_opens_at WHERE id = {closed}"
        ))
        .await;
        let (status, problem) = teacher.enroll(closed, false).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("registration_closed"))
        );
        let operator = app.as_user("school.operator").await;
        let draft = operator
            .create_course("demo-jh-taipei", &course_form("草稿"))
            .await;
        let (status, _) = teacher.enroll(draft["code"].as_i64().unwrap(), false).await;
        assert_eq!(status, 404, "a draft is not there for teachers");
    }
);

both_databases!(
    a_full_course_keeps_a_waiting_list_that_moves_up_in_order,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let code = course_with(&app, 2, |_| {}).await;
        let teachers = app.teacher_clients(4, "demo-jh-taipei", "15-4").await;
        for (_, teacher) in &teachers[..2] {
            let (status, e) = teacher.enroll(code, false).await;
            assert_eq!((status, e["status"].as_str()), (201, Some("enrolled")));
        }
        let (status, full) = teachers[2].1.enroll(code, false).await;
        assert_eq!((status, full["code"].as_str()), (409, Some("course_full")));
        let (_, third) = teachers[2].1.enroll(code, true).await;
        assert_eq!(
            (third["status"].as_str(), third["position"].as_u64()),
            (Some("waiting"), Some(1))
        );
        let (_, fourth) = teachers[3].1.enroll(code, true).await;
        assert_eq!(fourth["position"], 2);

        // The first enrolled teacher withdraws: the first waiting one moves up and is told.
        let (_, mine) = teachers[0].1.get("/api/v1/me/enrollments").await;
        let id = mine["items"][0]["id"].as_i64().unwrap();
        teachers[0]
            .1
            .post(format!("/api/v1/enrollments/{id}/withdraw"), &json!({}))
            .await;
        let (_, moved) = teachers[2].1.get("/api/v1/me/enrollments").await;
        assert_eq!(moved["items"][0]["status"], "enrolled");
        let (_, still) = teachers[3]
            .1
            .get("/api/v1/me/enrollments?group=waiting")
            .await;
        assert_eq!(still["items"][0]["position"], 1);
        let mail = app.db.recent_mail(50).await.unwrap();
        assert!(mail.iter().any(
            |m| m.to_address == "bulk3@school.example.tw" && m.subject.contains("候補遞補成功")
        ));

        // The organiser may still move someone up by hand, with a reason.
        let organiser = app.as_user("school.operator").await;
        let fourth_id = fourth["id"].as_i64().unwrap();
        let path = format!("/api/v1/courses/{code}/enrollments/{fourth_id}/promote");
        let (status, _) = organiser.post(&path, &json!({})).await;
        assert_eq!(status, 400, "a reason is required");
        organiser
            .post_ok(&path, &json!({"reason": "增開座位"}), 200)
            .await;
        let (_, list) = organiser
            .get(format!("/api/v1/courses/{code}/enrollments"))
            .await;
        assert_eq!(list["counts"]["enrolled"], 3);
        assert_eq!(list["counts"]["waiting"], 0);
        assert_eq!(list["counts"]["withdrawn"], 1);
        assert_eq!(
            list["taken"], 3,
            "beyond the places, by the organiser's decision"
        );
        let teacher = app.as_user("teacher.lin").await;
        teacher
            .get_ok(format!("/api/v1/courses/{code}/enrollments"), 403)
            .await;
    }
);

both_databases!(
    the_organiser_reviews_enrollments_when_the_course_asks_for_it,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let code = course_with(&app, 10, |f| f["review_enrollments"] = json!(true)).await;
        let teachers = app.teacher_clients(3, "demo-jh-taipei", "15-4").await;
        let mut ids = Vec::new();
        for (_, teacher) in &teachers {
            let (_, e) = teacher.enroll(code, false).await;
            assert_eq!(e["status"], "pending");
            ids.push(e["id"].as_i64().unwrap());
        }
        let organiser = app.as_user("school.chief").await;
        let base = format!("/api/v1/courses/{code}/enrollments");
        organiser
            .post_ok(format!("{base}/{}/accept", ids[0]), &json!({}), 200)
            .await;
        organiser
            .post_ok(
                format!("{base}/{}/decline", ids[1]),
                &json!({"reason": "非本縣教師"}),
                200,
            )
            .await;
        let (status, accepted) = organiser
            .post(format!("{base}/accept-all"), &json!({}))
            .await;
        assert_eq!((status, accepted["count"].as_u64()), (200, Some(1)));
        let (_, list) = organiser.get(&base).await;
        assert_eq!(list["counts"]["enrolled"], 2);
        assert_eq!(list["counts"]["declined"], 1);
        assert_eq!(list["taken"], 2, "the declined place was released");
        let (_, declined) = teachers[1]
            .1
            .get("/api/v1/me/enrollments?group=cancelled")
            .await;
        assert_eq!(declined["items"][0]["reason"], "非本縣教師");
        let (_, notices) = organiser
            .get(format!("/api/v1/courses/{code}/notifications"))
            .await;
        let kinds: Vec<&str> = notices["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds.iter().filter(|k| **k == "accepted").count(), 2);
        assert!(kinds.contains(&"declined"));
    }
);

both_databases!(
    cancelling_tells_every_teacher_in_the_same_transaction,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let code = course_with(&app, 2, |_| {}).await;
        let teachers = app.teacher_clients(3, "demo-jh-taipei", "15-4").await;
        for (_, teacher) in &teachers {
            teacher.enroll(code, true).await;
        }
        let organiser = app.as_user("school.operator").await;
        let cancel = format!("/api/v1/courses/{code}/cancel");
        let (status, problem) = organiser.post(&cancel, &json!({})).await;
        assert_eq!(
            (status, problem["errors"][0]["field"].as_str()),
            (400, Some("reason"))
        );
        let (status, cancelled) = organiser
            .post(&cancel, &json!({"reason": "講師臨時無法出席"}))
            .await;
        assert_eq!(status, 200, "{cancelled}");
        assert_eq!(cancelled["state"], "cancelled");
        assert_eq!(cancelled["cancel_reason"], "講師臨時無法出席");
        let (_, notices) = organiser
            .get(format!("/api/v1/courses/{code}/notifications"))
            .await;
        let told: Vec<&Value> = notices["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|n| n["kind"] == "cancelled")
            .collect();
        assert_eq!(told.len(), 3, "two enrolled and one waiting");
        let mail = app.db.recent_mail(50).await.unwrap();
        for n in 1..=3 {
            let to = format!("bulk{n}@school.example.tw");
            assert!(
                mail.iter().any(|m| m.to_address == to
                    && m.subject.contains("課程取消通知")
                    && m.body.contains("講師臨時無法出席")),
                "{to} was told"
            );
        }
        let (_, mine) = teachers[2]
            .1
            .get("/api/v1/me/enrollments?group=cancelled")
            .await;
        assert_eq!(mine["items"][0]["status"], "course_cancelled");
        assert_eq!(mine["items"][0]["reason"], "講師臨時無法出席");
        let (status, _) = organiser.post(&cancel, &json!({"reason": "再取消"})).await;
        assert_eq!(status, 409, "once is enough");
        let (status, problem) = app.as_user("teacher.lin").await.enroll(code, false).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("course_cancelled"))
        );
    }
);

both_databases!(
    postponing_moves_the_dates_and_tells_everyone_why,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let code = course_with(&app, 10, |_| {}).await;
        let teachers = app.teacher_clients(2, "demo-jh-taipei", "15-4").await;
        for (_, teacher) in &teachers {
            teacher.enroll(code, false).await;
        }
        let organiser = app.as_user("school.operator").await;
        let body = json!({
            "reason": "颱風停課",
            "sessions": [{"date": day(28), "starts_at": "09:00", "ends_at": "12:00"}]
        });
        let moved = organiser
            .post_ok(format!("/api/v1/courses/{code}/postpone"), &body, 200)
            .await;
        assert_eq!(moved["start_date"], day(28));
        assert_eq!(moved["state"], "approved");
        let mail = app.db.recent_mail(20).await.unwrap();
        assert_eq!(
            mail.iter()
                .filter(|m| m.subject.contains("課程延期通知") && m.body.contains(&day(28)))
                .count(),
            2
        );
        let past = json!({"reason": "x", "sessions": [{"date": day(-2), "starts_at": "09:00", "ends_at": "12:00"}]});
        organiser
            .post_ok(format!("/api/v1/courses/{code}/postpone"), &past, 400)
            .await;
    }
);

both_databases!(
    a_lottery_draws_reproducibly_with_targeted_teachers_first,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let code = course_with(&app, 3, |f| {
            f["allocation"] = json!("lottery");
            f["target_stages"] = json!(["14-3"]);
            f["target_titles"] = json!(["15-4"]);
        })
        .await;
        let targeted = app.teacher_clients(3, "demo-jh-taipei", "15-4").await;
        let others = app.teacher_clients(3, "demo-es-newtaipei", "15-5").await;
        for (_, teacher) in targeted.iter().chain(&others) {
            let (status, e) = teacher.enroll(code, false).await;
            assert_eq!((status, e["status"].as_str()), (201, Some("applied")));
        }
        let organiser = app.as_user("school.operator").await;
        let draw = format!("/api/v1/courses/{code}/draw");
        let (status, problem) = organiser.post(&draw, &json!({})).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("registration_open"))
        );
        app.execute(&format!(
            "UPDATE courses SET registration_closes_at = registration_opens_at WHERE id = {code}"
        ))
        .await;
        let result = organiser.post_ok(&draw, &json!({}), 200).await;
        assert_eq!(
            (result["placed"].as_u64(), result["waiting"].as_u64()),
            (Some(3), Some(3))
        );
        let (status, _) = organiser.post(&draw, &json!({})).await;
        assert_eq!(status, 409, "drawn once");
        for (_, teacher) in &targeted {
            let (_, mine) = teacher.get("/api/v1/me/enrollments").await;
            assert_eq!(
                mine["items"][0]["status"], "enrolled",
                "the targeted teachers come first"
            );
        }
        let mut positions = Vec::new();
        for (_, teacher) in &others {
            let (_, mine) = teacher.get("/api/v1/me/enrollments?group=waiting").await;
            positions.push(mine["items"][0]["position"].as_u64().unwrap());
        }
        positions.sort_unstable();
        assert_eq!(positions, [1, 2, 3], "the rest wait in draw order");
        // The seed is public in the course's history, so the draw can be re-run.
        let (_, page) = organiser.get(format!("/api/v1/courses/{code}")).await;
        assert_eq!(page["lottery_seed"], result["seed"]);
        let history = page["review"]["history"].as_array().unwrap();
        assert!(history.iter().any(|e| {
            e["event"] == "lottery_drawn"
                && e["reason"]
                    .as_str()
                    .unwrap()
                    .contains(result["seed"].as_str().unwrap())
        }));
    }
);

both_databases!(
    the_outbox_worker_delivers_every_notice,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let code = course_with(&app, 10, |_| {}).await;
        let teacher = app.as_user("teacher.lin").await;
        teacher.enroll(code, false).await;
        // In development delivery means the mailbox; the worker marks it within seconds.
        let started = std::time::Instant::now();
        loop {
            let mail = app.db.recent_mail(10).await.unwrap();
            let notice = mail
                .iter()
                .find(|m| {
                    m.to_address == "teacher.lin@demo.inservice.tw"
                        && m.subject.contains("報名成功")
                })
                .expect("the enrollment notice is queued");
            if notice.status == "sent" {
                break;
            }
            assert!(started.elapsed().as_secs() < 20, "still {}", notice.status);
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        let organiser = app.as_user("school.operator").await;
        let (_, notices) = organiser
            .get(format!("/api/v1/courses/{code}/notifications"))
            .await;
        let item = &notices["items"][0];
        assert_eq!(
            (item["kind"].as_str(), item["status"].as_str()),
            (Some("enrolled"), Some("sent"))
        );
        assert!(item["sent_at"].is_string());
    }
);
