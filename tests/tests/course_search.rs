//! Finding courses: public search filters over the demo courses, the organiser's and the
//! reviewer's lists, teachers' favourites, and the attribute tags' administration.

use inservice_e2e::courses::{course_form, day};
use inservice_e2e::{TestApp, both_databases};
use reqwest::Method;
use serde_json::{Value, json};

fn items(page: &Value) -> &Vec<Value> {
    page["items"].as_array().expect("items")
}

both_databases!(
    every_filter_keeps_only_matching_published_courses,
    |app: TestApp| async move {
        assert!(app.seed_demo_courses().await >= 300);
        let all = app.get_json("/api/v1/courses?per_page=100", 200).await;
        let total = all["total"].as_u64().unwrap();
        assert!(total > 100, "most demo courses are published: {total}");
        for course in items(&all) {
            assert!(
                ["approved", "running", "ended", "cancelled", "closed"]
                    .contains(&course["state"].as_str().unwrap()),
                "{course}"
            );
        }
        // Newest start first by default, and pages do not overlap.
        let dates: Vec<&str> = items(&all)
            .iter()
            .map(|c| c["start_date"].as_str().unwrap())
            .collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]));
        let second = app
            .get_json("/api/v1/courses?per_page=100&page=2", 200)
            .await;
        let first_codes: Vec<&Value> = items(&all).iter().map(|c| &c["code"]).collect();
        assert!(
            items(&second)
                .iter()
                .all(|c| !first_codes.contains(&&c["code"]))
        );

        let taipei = app
            .get_json("/api/v1/courses?county=63000&per_page=100", 200)
            .await;
        assert!(taipei["total"].as_u64().unwrap() > 0);
        assert!(
            items(&taipei)
                .iter()
                .all(|c| c["unit"]["county_code"] == "63000")
        );

        let open = app
            .get_json("/api/v1/courses?open=true&has_places=true&sort=registration_closes_at&per_page=100", 200)
            .await;
        assert!(open["total"].as_u64().unwrap() > 0);
        let closing: Vec<&str> = items(&open)
            .iter()
            .map(|c| c["registration_closes_at"].as_str().unwrap())
            .collect();
        assert!(closing.windows(2).all(|w| w[0] <= w[1]));
        assert!(
            items(&open)
                .iter()
                .all(|c| c["registration_status"] == "open"
                    && c["places_left"].as_u64().unwrap() > 0)
        );

        let digital = app
            .get_json("/api/v1/courses?mode=digital&per_page=100", 200)
            .await;
        assert!(items(&digital).iter().all(|c| c["is_digital"] == true));
        let stage = app
            .get_json(
                "/api/v1/courses?stage=kindergarten&category=2&level=1&per_page=100",
                200,
            )
            .await;
        assert!(
            items(&stage)
                .iter()
                .all(|c| c["stage"]["code"] == "kindergarten"
                    && c["category"]["code"] == "2"
                    && c["level"] == 1)
        );
        let window = format!(
            "/api/v1/courses?from={}&to={}&per_page=100",
            day(0),
            day(30)
        );
        let upcoming = app.get_json(&window, 200).await;
        assert!(
            items(&upcoming)
                .iter()
                .all(|c| c["end_date"].as_str().unwrap() >= day(0).as_str()
                    && c["start_date"].as_str().unwrap() <= day(30).as_str())
        );
        let keyword = app
            .get_json("/api/v1/courses?q=%E9%96%B1%E8%AE%80&per_page=100", 200)
            .await;
        assert!(keyword["total"].as_u64().unwrap() > 0);
        assert!(
            items(&keyword)
                .iter()
                .all(|c| c["name"].as_str().unwrap().contains("閱讀")
                    || c["unit"]["name"].as_str().unwrap().contains("閱讀"))
        );
        let none = app
            .get_json(
                "/api/v1/courses?q=%E4%B8%8D%E5%AD%98%E5%9C%A8%E7%9A%84%E8%AA%B2",
                200,
            )
            .await;
        assert_eq!(none["total"], 0);
        // Quotes, backslashes and wildcards in a keyword are text, never syntax.
        for odd in ["%22%E9%96%B1%22", "%5C%E8%AE%80%7B%7D", "100%25_%2C%27"] {
            let odd = app
                .get_json(&format!("/api/v1/courses?q={odd}&per_page=5"), 200)
                .await;
            assert_eq!(odd["total"], 0, "{odd}");
        }
    }
);

both_databases!(
    reviewers_filter_their_queue_and_see_what_they_decided,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        app.seed_demo_courses().await;
        let reviewer = app.as_user("taipei.reviewer").await;
        let (status, queue) = reviewer.get("/api/v1/review/courses?per_page=100").await;
        assert_eq!(status, 200);
        assert!(
            queue["total"].as_u64().unwrap() > 0,
            "the demo has pending courses"
        );
        let submitted: Vec<&str> = items(&queue)
            .iter()
            .map(|c| c["submitted_at"].as_str().unwrap())
            .collect();
        assert!(submitted.windows(2).all(|w| w[0] <= w[1]), "oldest first");
        for course in items(&queue) {
            assert_eq!(course["state"], "submitted");
            assert_eq!(course["unit"]["county_code"], "63000");
            assert!(course["flags"].is_array());
        }
        let (_, flagged) = reviewer
            .get("/api/v1/review/courses?flagged=true&per_page=100")
            .await;
        assert!(
            items(&flagged)
                .iter()
                .all(|c| !c["flags"].as_array().unwrap().is_empty())
        );
        let (_, decided) = reviewer
            .get("/api/v1/review/courses?status=decided&per_page=100")
            .await;
        assert!(decided["total"].as_u64().unwrap() > 0);
        assert!(items(&decided).iter().all(|c| c["state"] != "submitted"));
        let problem = reviewer
            .get_ok("/api/v1/review/courses?status=all&stage=x", 400)
            .await;
        assert_eq!(problem["errors"].as_array().unwrap().len(), 2);

        let school = app.as_user("school.chief").await;
        let (status, _) = school.get("/api/v1/review/courses").await;
        assert_eq!(status, 403, "schools review no courses");
        let mine = school
            .get_ok("/api/v1/units/demo-jh-taipei/courses?per_page=100", 200)
            .await;
        let states: Vec<&str> = items(&mine)
            .iter()
            .map(|c| c["state"].as_str().unwrap())
            .collect();
        assert!(states.contains(&"draft") || states.contains(&"submitted") || !states.is_empty());
        assert!(
            items(&mine)
                .iter()
                .all(|c| c["unit"]["code"] == "demo-jh-taipei")
        );
    }
);

both_databases!(
    teachers_keep_favourites_while_a_teacher_without_a_unit_cannot,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [operator, reviewer, teacher, nounit] = [
            app.as_user("school.operator").await,
            app.as_user("taipei.reviewer").await,
            app.as_user("teacher.lin").await,
            app.as_user("teacher.nounit").await,
        ];
        let code = operator
            .publish_course("demo-jh-taipei", &reviewer, &course_form("收藏測試研習"))
            .await;
        let path = format!("/api/v1/me/favourites/{code}");
        let (status, _) = teacher.send(Method::PUT, &path, None).await;
        assert_eq!(status, 204);
        let (status, _) = teacher.send(Method::PUT, &path, None).await;
        assert_eq!(status, 204, "twice is harmless");
        let (_, list) = teacher.get("/api/v1/me/favourites").await;
        assert_eq!(list["total"], 1);
        assert_eq!(items(&list)[0]["code"], code);
        let (_, page) = teacher.get(format!("/api/v1/courses/{code}")).await;
        assert_eq!(page["favourite"], true);
        assert!(
            page["actions"]
                .as_array()
                .unwrap()
                .contains(&json!("favourite"))
        );
        teacher.delete_ok(&path, 204).await;
        let (_, list) = teacher.get("/api/v1/me/favourites").await;
        assert_eq!(list["total"], 0);

        let (status, problem) = nounit.send(Method::PUT, &path, None).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("no_serving_unit"))
        );
        let (status, problem) = operator.send(Method::PUT, &path, None).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("teacher_account_required"))
        );
        let draft = operator
            .create_course("demo-jh-taipei", &course_form("未公開"))
            .await;
        let (status, _) = teacher
            .send(
                Method::PUT,
                &format!("/api/v1/me/favourites/{}", draft["code"]),
                None,
            )
            .await;
        assert_eq!(status, 404, "only published courses");
    }
);

both_databases!(
    the_national_centre_adds_defines_and_retires_tags_that_old_courses_keep,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let [admin, chief, operator] = [
            app.as_user("centre.admin").await,
            app.as_user("school.chief").await,
            app.as_user("school.operator").await,
        ];
        let tag = json!({"name": "閱讀素養", "definition": "提升學生閱讀理解與後設認知的研習"});
        chief.post_ok("/api/v1/tags", &tag, 403).await;
        let (status, created) = admin.post("/api/v1/tags", &tag).await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["status"], "active");
        let id = created["id"].as_i64().unwrap();
        let (status, duplicate) = admin.post("/api/v1/tags", &tag).await;
        assert_eq!(
            (status, duplicate["code"].as_str()),
            (409, Some("tag_exists"))
        );
        let problem = admin
            .post_ok("/api/v1/tags", &json!({"name": "", "definition": ""}), 400)
            .await;
        assert_eq!(problem["errors"].as_array().unwrap().len(), 2);

        let defined = admin
            .patch_ok(
                format!("/api/v1/tags/{id}"),
                &json!({"definition": "新的定義"}),
                200,
            )
            .await;
        assert_eq!(defined["definition"], "新的定義");
        assert_eq!(
            defined["definition_updated_on"].as_array().unwrap().len(),
            1
        );

        let mut form = course_form("閱讀素養工作坊");
        form["tag_ids"] = json!([id]);
        let course = operator.create_course("demo-jh-taipei", &form).await;
        let (status, retired) = admin
            .post(format!("/api/v1/tags/{id}/retire"), &json!({}))
            .await;
        assert_eq!((status, retired["status"].as_str()), (200, Some("retired")));
        admin
            .post_ok(format!("/api/v1/tags/{id}/retire"), &json!({}), 409)
            .await;
        let active = app.get_json("/api/v1/tags", 200).await;
        assert!(items(&active).iter().all(|t| t["id"] != id));

        // New courses cannot take it; the course that had it keeps it through an edit.
        let problem = operator
            .post_ok("/api/v1/units/demo-jh-taipei/courses", &form, 400)
            .await;
        assert_eq!(problem["errors"][0]["code"], "retired_tag");
        let code = course["code"].as_i64().unwrap();
        let kept = operator
            .put_ok(format!("/api/v1/courses/{code}"), &form, 200)
            .await;
        assert_eq!(kept["tags"][0]["id"], id);
    }
);
