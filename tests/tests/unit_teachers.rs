//! A unit's teacher accounts: list, search, export, enter by ID, transfer out.

use calamine::{Reader, Xlsx};
use inservice_e2e::{TestApp, both_databases, national_id};
use reqwest::Method;
use serde_json::{Value, json};

const UNIT: &str = "demo-jh-taipei";

fn names(page: &Value) -> Vec<&str> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["account_name"].as_str().unwrap())
        .collect()
}

both_databases!(
    a_units_managers_list_and_search_its_teachers,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let path = format!("/api/v1/units/{UNIT}/teachers");
        for manager in ["school.chief", "school.contact", "centre.admin"] {
            let (status, page) = app.as_user(manager).await.get(&path).await;
            assert_eq!(status, 200, "{manager}: {page}");
            assert_eq!(names(&page), ["teacher.lin"]);
            assert_eq!(page["items"][0]["identity_masked"], "O********8");
        }
        let chief = app.as_user("school.chief").await;
        let (_, found) = chief.get(format!("{path}?q=林")).await;
        assert_eq!(found["total"], 1);
        let (_, none) = chief.get(format!("{path}?q=王")).await;
        assert_eq!(none["total"], 0);
        for outsider in ["school.operator", "taipei.chief", "teacher.lin"] {
            let (status, _) = app.as_user(outsider).await.get(&path).await;
            assert_eq!(status, 403, "{outsider}");
        }
        chief
            .get_ok("/api/v1/units/no-such-unit/teachers", 404)
            .await;
    }
);

both_databases!(
    the_teacher_list_exports_to_a_real_xlsx_file,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let chief = app.as_user("school.chief").await;
        let response = chief
            .request(Method::GET, format!("/api/v1/units/{UNIT}/teachers.xlsx"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(
            response.headers()["content-type"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        let bytes = response.bytes().await.unwrap();
        let mut workbook: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
        let sheet = workbook.worksheet_range("本單位教師").unwrap();
        let rows: Vec<Vec<String>> = sheet
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        assert_eq!(
            rows[0][..4],
            ["帳號", "姓名", "身分證號", "教師個人專用識別號碼"]
        );
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][0], "teacher.lin");
        assert_eq!(rows[1][1], "林老師");
        assert_eq!(rows[1][2], "O********8", "masked in the export too");
        assert_eq!(rows[1][4], "合格專任教師");
    }
);

both_databases!(
    a_unit_enters_teachers_by_identity_number,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let chief = app.as_user("school.contact").await;
        let path = format!("/api/v1/units/{UNIT}/teachers");
        let entry = |id: &str| json!({"national_id": id, "real_name": "新老師", "email": "new.teacher@school.edu.tw", "job_title": "15-5"});

        let created = chief
            .post_ok(&path, &entry(&national_id('A', 8001)), 201)
            .await;
        assert_eq!(created["unit_code"], UNIT);
        let mail = app.db.recent_mail(1).await.unwrap();
        assert_eq!(mail[0].to_address, "new.teacher@school.edu.tw");
        assert!(
            mail[0].body.contains("/reset-password?token="),
            "a link to set the password"
        );

        // The number alone does not reveal whose it is, nor let a unit claim its holder.
        let mismatch = chief.post_ok(&path, &entry("B109000133"), 409).await;
        assert_eq!(mismatch["code"], "identity_name_mismatch");
        assert!(!mismatch.to_string().contains("黃老師"), "{mismatch}");
        let named = json!({"national_id": "B109000133", "real_name": "黃老師", "email": "new.teacher@school.edu.tw", "job_title": "15-5"});
        let (status, joined) = chief.post(&path, &named).await;
        assert_eq!(status, 200, "the teacher without a unit joins: {joined}");
        assert_eq!(joined["account_name"], "teacher.nounit");
        assert_eq!(joined["job_title"]["code"], "15-5");

        let (status, body) = chief.post(&path, &entry("A209000116")).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("teacher_in_other_unit"))
        );
        let (status, body) = chief.post(&path, &entry("A123456788")).await;
        assert_eq!(
            (status, body["errors"][0]["field"].as_str()),
            (400, Some("national_id"))
        );
        let operator = app.as_user("school.operator").await;
        assert_eq!(
            operator
                .post(&path, &entry(&national_id('A', 8002)))
                .await
                .0,
            403
        );
    }
);

both_databases!(
    a_teacher_transferred_out_has_no_serving_unit,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let chief = app.as_user("school.chief").await;
        let (_, page) = chief.get(format!("/api/v1/units/{UNIT}/teachers")).await;
        let id = page["items"][0]["id"].as_i64().unwrap();
        let path = format!("/api/v1/units/{UNIT}/teachers/{id}/transfer-out");
        let moved = chief.post_ok(&path, &json!({}), 200).await;
        assert!(moved["unit_code"].is_null());
        let (_, me) = app.as_user("teacher.lin").await.get("/api/v1/me").await;
        assert_eq!(me["has_serving_unit"], false);
        let (status, body) = chief.post(&path, &json!({})).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("teacher_not_in_unit"))
        );
    }
);

both_databases!(
    a_teacher_asks_to_join_a_unit_which_accepts,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let teacher = app.as_user("teacher.nounit").await;
        let ask = |code: &str| {
            teacher
                .request(Method::PATCH, "/api/v1/me")
                .json(&json!({"requested_unit_code": code}))
                .send()
        };
        let response = ask("no-such-unit").await.unwrap();
        assert_eq!(response.status(), 400);
        let me: Value = ask(UNIT).await.unwrap().json().await.unwrap();
        assert_eq!(me["requested_unit_code"], UNIT);
        assert_eq!(me["has_serving_unit"], false, "not until the unit accepts");

        let chief = app.as_user("school.chief").await;
        let requests = chief
            .get_ok(format!("/api/v1/units/{UNIT}/teacher-requests"), 200)
            .await;
        assert_eq!(names(&requests), ["teacher.nounit"]);
        let id = requests["items"][0]["id"].as_i64().unwrap();
        let (status, _) = app
            .as_user("school.operator")
            .await
            .post(
                format!("/api/v1/units/{UNIT}/teacher-requests/{id}/accept"),
                &json!({}),
            )
            .await;
        assert_eq!(status, 403);
        let accepted = chief
            .post_ok(
                format!("/api/v1/units/{UNIT}/teacher-requests/{id}/accept"),
                &json!({}),
                200,
            )
            .await;
        assert_eq!(accepted["unit_code"], UNIT);
        // The token that said "no unit" is over at once; a new session carries the unit.
        assert_eq!(teacher.get("/api/v1/me").await.0, 401);
        let teacher = app.as_user("teacher.nounit").await;
        let (_, me) = teacher.get("/api/v1/me").await;
        assert_eq!(
            (
                me["has_serving_unit"].as_bool(),
                me["requested_unit_code"].is_null()
            ),
            (Some(true), true)
        );
        let (status, _) = chief
            .post(
                format!("/api/v1/units/{UNIT}/teacher-requests/{id}/decline"),
                &json!({}),
            )
            .await;
        assert_eq!(status, 404, "the request is gone once decided");
    }
);
