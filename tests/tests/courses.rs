//! Courses end to end: registration with the full form, routing to the right reviewer,
//! approval (by hand and automatic), changes after approval, series copies, attachments,
//! deletion of drafts, on both databases.

use inservice_e2e::courses::course_form;
use inservice_e2e::{TestApp, both_databases};
use reqwest::Method;
use serde_json::{Value, json};

fn codes_of(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|c| c["code"].as_i64().unwrap())
        .collect()
}

fn events(course: &Value) -> Vec<String> {
    course["review"]["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .collect()
}

both_databases!(
    a_school_course_is_registered_submitted_and_approved_by_its_county,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [operator, reviewer, k12] = app
            .as_users(["school.operator", "taipei.reviewer", "k12.reviewer"])
            .await;
        let mut form = course_form("理化探究實作工作坊");
        form["tag_ids"] = json!([1]);
        let course = operator.create_course("demo-jh-taipei", &form).await;
        let code = course["code"].as_i64().unwrap();
        assert_eq!(course["state"], "draft");
        assert_eq!(course["hours"], 6.0);
        assert_eq!(course["capacity"], 40);
        assert_eq!(course["subject_area"]["label"], "國民中學–自然科學–理化");
        assert_eq!(course["items"][0]["label"], "學生身心發展");
        assert_eq!(course["review"]["reviewer_code"], "bureau-63000");
        assert!(
            course["actions"]
                .as_array()
                .unwrap()
                .contains(&json!("submit"))
        );

        // A draft is the unit's business: nobody else sees it.
        assert_eq!(
            app.get(&format!("/api/v1/courses/{code}")).await.status(),
            404
        );
        let (status, _) = reviewer.get(format!("/api/v1/courses/{code}")).await;
        assert_eq!(status, 404, "the reviewer sees it once submitted");

        let (status, submitted) = operator.course_action(code, "submit", &json!({})).await;
        assert_eq!(status, 200, "{submitted}");
        assert_eq!(submitted["state"], "submitted");

        let (_, queue) = reviewer.get("/api/v1/review/courses").await;
        assert!(codes_of(&queue).contains(&code), "county queue: {queue}");
        let (_, other) = k12.get("/api/v1/review/courses").await;
        assert!(!codes_of(&other).contains(&code), "not in 國教署's queue");
        let (status, _) = k12.course_action(code, "approve", &json!({})).await;
        assert_eq!(
            status, 404,
            "another jurisdiction's pending course is invisible"
        );

        let (status, approved) = reviewer
            .course_action(code, "approve", &json!({"reason": "內容完整"}))
            .await;
        assert_eq!(status, 200, "{approved}");
        assert_eq!(approved["state"], "approved");
        assert_eq!(approved["registration_status"], "open");
        assert_eq!(
            events(&approved),
            ["created", "submitted", "approved"],
            "the history of decisions"
        );
        let (status, again) = reviewer.course_action(code, "approve", &json!({})).await;
        assert_eq!(status, 409, "{again}");
        assert_eq!(again["code"], "invalid_course_state");

        // Published: public search finds it by keyword, by tag and by unit, and the page has no
        // review section for the public.
        let found = app
            .get_json(
                "/api/v1/courses?q=%E7%90%86%E5%8C%96%20%E6%8E%A2%E7%A9%B6",
                200,
            )
            .await;
        assert_eq!(codes_of(&found), [code], "keyword search: {found}");
        let by_tag = app.get_json("/api/v1/courses?tag=1", 200).await;
        assert_eq!(codes_of(&by_tag), [code]);
        let by_unit_name = app
            .get_json(
                "/api/v1/courses?q=%E5%8F%B0%E5%8C%97%E5%B8%82%E7%AB%8B%E7%A4%BA%E7%AF%84",
                200,
            )
            .await;
        assert_eq!(
            codes_of(&by_unit_name),
            [code],
            "台北 finds 臺北市立示範國民中學"
        );
        let public = app.get_json(&format!("/api/v1/courses/{code}"), 200).await;
        assert!(public["review"].is_null());
        assert_eq!(public["tags"][0]["id"], 1);
        assert_eq!(public["contacts"][0]["name"], "王承辦");
    }
);

both_databases!(
    every_invalid_field_is_named_and_nothing_is_stored,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [operator] = app.as_users(["school.operator"]).await;
        let problem = operator
            .post_ok("/api/v1/units/demo-jh-taipei/courses", &json!({}), 400)
            .await;
        assert_eq!(problem["code"], "validation_failed");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        for field in [
            "class_type",
            "name",
            "subject_area",
            "sessions",
            "contacts",
            "feedback",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
        let mut form = course_form("錯誤的課程");
        form["items"] = json!(["2-1-1"]);
        form["hours"] = json!(6.25);
        form["registration_closes_at"] = json!("2099-01-01T09:00");
        let problem = operator
            .post_ok("/api/v1/units/demo-jh-taipei/courses", &form, 400)
            .await;
        let pairs: Vec<(String, String)> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["field"].as_str().unwrap().into(),
                    e["code"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert!(
            pairs.contains(&("items".into(), "not_in_category".into())),
            "{pairs:?}"
        );
        assert!(pairs.contains(&("hours".into(), "not_half_hour_step".into())));
        assert!(pairs.contains(&("registration_closes_at".into(), "out_of_order".into())));
        let (_, mine) = operator.get("/api/v1/units/demo-jh-taipei/courses").await;
        assert_eq!(mine["total"], 0, "nothing half-written");
        let (status, _) = operator
            .post(
                "/api/v1/units/demo-es-newtaipei/courses",
                &course_form("他校"),
            )
            .await;
        assert_eq!(status, 403, "another unit's courses are out of reach");
    }
);

both_databases!(
    a_university_course_goes_to_the_national_centre_not_the_county,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [uni, centre, taipei] = app
            .as_users(["uni.operator", "centre.admin", "taipei.reviewer"])
            .await;
        let course = uni
            .create_course("demo-university", &course_form("大學端數位教學研習"))
            .await;
        let code = course["code"].as_i64().unwrap();
        assert_eq!(course["review"]["reviewer_code"], "national-centre");
        let (status, _) = uni.course_action(code, "submit", &json!({})).await;
        assert_eq!(status, 200);
        let (_, queue) = centre.get("/api/v1/review/courses").await;
        assert!(codes_of(&queue).contains(&code));
        let (_, county) = taipei.get("/api/v1/review/courses").await;
        assert!(!codes_of(&county).contains(&code));
        let (status, approved) = centre.course_action(code, "approve", &json!({})).await;
        assert_eq!(
            (status, approved["state"].as_str()),
            (200, Some("approved"))
        );
    }
);

both_databases!(
    automatic_approval_publishes_qualifying_courses_at_once,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [chief, reviewer, operator] = app
            .as_users(["taipei.chief", "taipei.reviewer", "school.operator"])
            .await;
        let switch = json!({"courses": true, "rosters": false});
        let (status, _) = reviewer
            .put("/api/v1/units/bureau-63000/auto-approval", &switch)
            .await;
        assert_eq!(status, 403, "only the chief switches it");
        chief
            .put_ok("/api/v1/units/bureau-63000/auto-approval", &switch, 200)
            .await;
        let (_, seen) = reviewer
            .get("/api/v1/units/bureau-63000/auto-approval")
            .await;
        assert_eq!(seen["courses"], true, "the reviewers can see it");

        let qualifying = operator
            .create_course("demo-jh-taipei", &course_form("校本自動核准研習"))
            .await;
        let code = qualifying["code"].as_i64().unwrap();
        let (_, published) = operator.course_action(code, "submit", &json!({})).await;
        assert_eq!(published["state"], "approved");
        assert_eq!(published["review"]["auto_approved"], true);
        assert_eq!(
            events(&published),
            ["created", "submitted", "auto_approved"]
        );

        let mut without_number = course_form("無文號研習");
        without_number["document_number"] = Value::Null;
        let course = operator
            .create_course("demo-jh-taipei", &without_number)
            .await;
        let (_, pending) = operator
            .course_action(course["code"].as_i64().unwrap(), "submit", &json!({}))
            .await;
        assert_eq!(
            pending["state"], "submitted",
            "no document number: reviewed by hand"
        );

        let mut seed = course_form("種子教師研習");
        seed["class_type"] = json!("1-3");
        let course = operator.create_course("demo-jh-taipei", &seed).await;
        let (_, pending) = operator
            .course_action(course["code"].as_i64().unwrap(), "submit", &json!({}))
            .await;
        assert_eq!(
            pending["state"], "submitted",
            "seed classes are reviewed by hand"
        );
    }
);

both_databases!(
    changing_an_approved_course_sends_it_back_to_review,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [operator, reviewer] = app.as_users(["school.operator", "taipei.reviewer"]).await;
        let code = operator
            .publish_course("demo-jh-taipei", &reviewer, &course_form("班級經營研習"))
            .await;
        let (_, course) = operator.get(format!("/api/v1/courses/{code}")).await;
        let mut form = course_form("班級經營研習（修正地點）");
        form["version"] = course["review"]["version"].clone();
        let (status, edited) = operator.put(format!("/api/v1/courses/{code}"), &form).await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(
            edited["state"], "submitted",
            "Art. 11-8: a change is a new submission"
        );
        assert_eq!(
            app.get(&format!("/api/v1/courses/{code}")).await.status(),
            404
        );

        // The same old version again: someone changed it meanwhile.
        let (status, stale) = operator.put(format!("/api/v1/courses/{code}"), &form).await;
        assert_eq!(
            (status, stale["code"].as_str()),
            (409, Some("course_changed"))
        );

        let (status, problem) = reviewer.course_action(code, "return", &json!({})).await;
        assert_eq!(status, 400, "a return needs a reason");
        assert_eq!(problem["errors"][0]["field"], "reason");
        let (status, returned) = reviewer
            .course_action(code, "return", &json!({"reason": "請補上講師資歷"}))
            .await;
        assert_eq!(status, 200);
        assert_eq!(returned["state"], "returned");
        let (_, seen) = operator.get(format!("/api/v1/courses/{code}")).await;
        assert_eq!(seen["review"]["decision_reason"], "請補上講師資歷");
        let (status, _) = operator.course_action(code, "submit", &json!({})).await;
        assert_eq!(status, 200);
        let (status, rejected) = reviewer
            .course_action(code, "reject", &json!({"reason": "與教學無關"}))
            .await;
        assert_eq!(
            (status, rejected["state"].as_str()),
            (200, Some("rejected"))
        );
        let (status, _) = operator
            .put(format!("/api/v1/courses/{code}"), &course_form("再改"))
            .await;
        assert_eq!(status, 409, "a rejected course is final");
    }
);

both_databases!(
    series_sessions_are_copied_and_must_be_named_apart,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [operator, reviewer] = app.as_users(["school.operator", "taipei.reviewer"]).await;
        let first = operator
            .publish_course("demo-jh-taipei", &reviewer, &course_form("閱讀教學系列"))
            .await;
        let (status, copy) = operator.course_action(first, "copy", &json!({})).await;
        assert_eq!(status, 201, "{copy}");
        let second = copy["code"].as_i64().unwrap();
        assert_eq!(copy["state"], "draft");
        assert_eq!(copy["series_id"], first);
        assert_eq!(copy["name"], "閱讀教學系列");
        let (status, problem) = operator.course_action(second, "submit", &json!({})).await;
        assert_eq!(status, 400);
        assert_eq!(problem["errors"][0]["code"], "duplicate_in_series");
        operator
            .put_ok(
                format!("/api/v1/courses/{second}"),
                &course_form("閱讀教學系列（第二場）"),
                200,
            )
            .await;
        let (status, submitted) = operator.course_action(second, "submit", &json!({})).await;
        assert_eq!(
            (status, submitted["state"].as_str()),
            (200, Some("submitted"))
        );
    }
);

both_databases!(
    drafts_can_be_deleted_but_submitted_courses_stay_on_record,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [operator] = app.as_users(["school.operator"]).await;
        let draft = operator
            .create_course("demo-jh-taipei", &course_form("草稿"))
            .await;
        let code = draft["code"].as_i64().unwrap();
        operator
            .delete_ok(format!("/api/v1/courses/{code}"), 204)
            .await;
        operator
            .get_ok(format!("/api/v1/courses/{code}"), 404)
            .await;
        let kept = operator
            .create_course("demo-jh-taipei", &course_form("已送審"))
            .await;
        let code = kept["code"].as_i64().unwrap();
        operator.course_action(code, "submit", &json!({})).await;
        let (status, problem) = operator.delete(format!("/api/v1/courses/{code}")).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("course_not_deletable"))
        );
    }
);

both_databases!(
    attachments_are_checked_stored_and_downloaded,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [operator] = app.as_users(["school.operator"]).await;
        let course = operator
            .create_course("demo-jh-taipei", &course_form("附件測試"))
            .await;
        let code = course["code"].as_i64().unwrap();
        let pdf = b"%PDF-1.4\n% inservice test\n".to_vec();
        let upload = |name: &str, body: Vec<u8>| {
            app.client
                .post(app.url(&format!("/api/v1/courses/{code}/attachments")))
                .query(&[("file_name", name)])
                .bearer_auth(operator.token())
                .body(body)
                .send()
        };
        let response = upload("研習計畫.pdf", pdf.clone()).await.unwrap();
        assert_eq!(response.status(), 201);
        let stored: Value = response.json().await.unwrap();
        assert_eq!(stored["content_type"], "application/pdf");
        let url = stored["url"].as_str().unwrap().to_owned();
        let response = operator.request(Method::GET, &url).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let disposition = response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(disposition.contains("UTF-8''%E7%A0%94"), "{disposition}");
        assert_eq!(response.bytes().await.unwrap().to_vec(), pdf);

        let response = upload("tool.exe", b"MZ\x90\x00".to_vec()).await.unwrap();
        assert_eq!(response.status(), 415);
        let response = upload("fake.pdf", b"not a pdf".to_vec()).await.unwrap();
        assert_eq!(
            response.status(),
            415,
            "the content must match the extension"
        );
        let response = upload(
            "big.pdf",
            [b"%PDF-".as_slice(), &vec![0; 10 << 20]].concat(),
        )
        .await
        .unwrap();
        assert_eq!(response.status(), 413);
        for n in 2..=5 {
            let response = upload(&format!("附件{n}.pdf"), pdf.clone()).await.unwrap();
            assert_eq!(response.status(), 201);
        }
        let response = upload("第六個.pdf", pdf.clone()).await.unwrap();
        assert_eq!(response.status(), 409, "five at most");
        operator.delete_ok(&url, 204).await;
        let (_, seen) = operator.get(format!("/api/v1/courses/{code}")).await;
        assert_eq!(seen["attachments"].as_array().unwrap().len(), 4);
    }
);

both_databases!(
    two_reviewers_deciding_at_once_leave_one_decision,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [operator, reviewer, chief] = app
            .as_users(["school.operator", "taipei.reviewer", "taipei.chief"])
            .await;
        let course = operator
            .create_course("demo-jh-taipei", &course_form("同時審核"))
            .await;
        let code = course["code"].as_i64().unwrap();
        operator.course_action(code, "submit", &json!({})).await;
        let (empty, reason) = (json!({}), json!({"reason": "不符"}));
        let approve = reviewer.course_action(code, "approve", &empty);
        let reject = chief.course_action(code, "reject", &reason);
        let ((a, _), (b, _)) = tokio::join!(approve, reject);
        let mut statuses = [a, b];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 409], "exactly one decision wins");
        let (_, seen) = operator.get(format!("/api/v1/courses/{code}")).await;
        let decisions = events(&seen)
            .into_iter()
            .filter(|e| e == "approved" || e == "rejected")
            .count();
        assert_eq!(decisions, 1);
    }
);
