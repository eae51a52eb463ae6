//! Unit administration by the national centre, and a unit's own contact data.

use inservice_e2e::{TestApp, UserClient, both_databases};
use serde_json::{Value, json};

fn new_unit(code: &str, name: &str) -> Value {
    json!({"code": code, "name": name, "kind": "elementary", "county_code": "63000", "ownership": "local", "address": "臺北市中正區", "phone": "02-2311-0000"})
}

both_databases!(
    the_national_centre_creates_and_edits_units_with_history,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let (status, created) = admin
            .post("/api/v1/units", &new_unit("353601", "臺北市立新設國民小學"))
            .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(
            created["reviewer_code"], "bureau-63000",
            "Art. 11: a local elementary school goes to its bureau"
        );
        assert_eq!(created["status"], "open");
        let (status, body) = admin
            .post("/api/v1/units", &new_unit("353601", "重複"))
            .await;
        assert_eq!((status, body["code"].as_str()), (409, Some("unit_exists")));
        let (status, _) = app
            .as_user("taipei.chief")
            .await
            .post("/api/v1/units", &new_unit("353602", "x"))
            .await;
        assert_eq!(status, 403);

        let mut edit = new_unit("353601", "臺北市立新設實驗國民小學");
        edit.as_object_mut().unwrap().remove("code");
        admin.patch_ok("/api/v1/units/353601", &edit, 200).await;
        let (_, history) = admin.get("/api/v1/units/353601/history").await;
        let changes: Vec<&str> = history["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["change"].as_str().unwrap())
            .collect();
        assert_eq!(changes, ["create", "update"]);
        assert!(
            history["items"][1]["before"]
                .as_str()
                .unwrap()
                .contains("臺北市立新設國民小學")
        );
        assert!(
            history["items"][1]["after"]
                .as_str()
                .unwrap()
                .contains("實驗")
        );
    }
);

both_databases!(
    a_unit_keeps_its_own_contact_data,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let path = "/api/v1/units/demo-jh-taipei/contact";
        let contact = json!({"address": "臺北市大安區示範路 1 號", "phone": "02-2700-1234", "email": "office@demo-jh.tp.edu.tw"});
        let unit = app
            .as_user("school.contact")
            .await
            .patch_ok(path, &contact, 200)
            .await;
        assert_eq!(unit["phone"], "02-2700-1234");
        let (_, public) = (0, app.get_json("/api/v1/units/demo-jh-taipei", 200).await);
        assert_eq!(public["address"], "臺北市大安區示範路 1 號");
        for outsider in ["school.operator", "taipei.chief"] {
            let (status, _) = app.as_user(outsider).await.patch(path, &contact).await;
            assert_eq!(status, 403, "{outsider}");
        }
    }
);

both_databases!(
    merging_a_unit_moves_its_teachers_to_the_successor,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        admin
            .post(
                "/api/v1/units",
                &new_unit("353699", "臺北市立合併後國民中學"),
            )
            .await;
        let merge = json!({"reason": "裁併", "successor_code": "353699"});
        let (status, closed) = admin
            .post("/api/v1/units/demo-jh-taipei/close", &merge)
            .await;
        assert_eq!(status, 200, "{closed}");
        assert_eq!(closed["status"], "closed");
        assert_eq!(closed["successor_code"], "353699");
        let (_, me) = app.as_user("teacher.lin").await.get("/api/v1/me").await;
        assert_eq!(me["unit"]["code"], "353699");
        let (status, body) = admin
            .post("/api/v1/units/demo-jh-taipei/close", &merge)
            .await;
        assert_eq!((status, body["code"].as_str()), (409, Some("unit_closed")));
        admin
            .post_ok(
                "/api/v1/units/demo-es-newtaipei/close",
                &json!({"reason": " "}),
                400,
            )
            .await;
    }
);

both_databases!(
    a_unit_moves_to_another_reviewing_authority,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let moved = admin
            .post_ok(
                "/api/v1/units/demo-jh-taipei/reviewer",
                &json!({"reviewer_code": "k12ea-senior-high"}),
                200,
            )
            .await;
        assert_eq!(moved["reviewer_code"], "k12ea-senior-high");
        let (_, history) = admin.get("/api/v1/units/demo-jh-taipei/history").await;
        assert_eq!(history["items"][0]["change"], "reviewer");
        let (status, _) = admin
            .post(
                "/api/v1/units/demo-jh-taipei/reviewer",
                &json!({"reviewer_code": "demo-es-newtaipei"}),
            )
            .await;
        assert_eq!(status, 400, "a school cannot review");
    }
);

async fn import(admin: &UserClient<'_>, content_type: &str, body: Vec<u8>) -> (u16, Value) {
    let (status, report) = admin
        .upload("/api/v1/units/import", body, content_type)
        .await;
    assert!(!report.is_null(), "a JSON body");
    (status, report)
}

both_databases!(
    the_school_directory_imports_idempotently_from_csv_and_xlsx,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let csv = "學校代碼,學校名稱,縣市,類別,公私立,地址,電話,狀態\n\
               413601,臺北市立甲國民小學,臺北市,國民小學,市立,臺北市甲路,02-2222-1111,\n\
               023602,宜蘭縣立乙國民中學,宜蘭縣,國民中學,縣立,,,\n";
        let (status, report) = import(&admin, "text/csv", csv.as_bytes().to_vec()).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["added"], json!(["413601", "023602"]));
        let (_, again) = import(&admin, "text/csv", csv.as_bytes().to_vec()).await;
        assert_eq!(
            (
                again["added"].as_array().unwrap().len(),
                again["unchanged"].as_u64()
            ),
            (0, Some(2))
        );

        // The same directory half a year later, as a workbook: one renamed, one closed.
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        let rows = [
            ["code", "name", "county", "kind", "ownership", "status"],
            [
                "413601",
                "臺北市立甲實驗國民小學",
                "63000",
                "elementary",
                "local",
                "open",
            ],
            [
                "023602",
                "宜蘭縣立乙國民中學",
                "10002",
                "junior_high",
                "local",
                "裁併",
            ],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
        let bytes = workbook.save_to_buffer().unwrap();
        let xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        let (status, report) = import(&admin, xlsx, bytes).await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["changed"], json!(["413601"]));
        assert_eq!(report["closed"], json!(["023602"]));
        assert_eq!(
            app.get_json("/api/v1/units/023602", 200).await["status"],
            "closed"
        );

        let before = app.get_json("/api/v1/units?per_page=1", 200).await["total"].clone();
        let bad = "code,name,county,kind\n999001,好學校,臺北市,elementary\n,壞學校,火星,school\n";
        let (status, problem) = import(&admin, "text/csv", bad.as_bytes().to_vec()).await;
        assert_eq!(status, 400);
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["row 3: code", "row 3: county", "row 3: kind"]);
        assert_eq!(
            app.get_json("/api/v1/units?per_page=1", 200).await["total"],
            before,
            "nothing written"
        );
        let (status, _) = import(&admin, "application/json", b"{}".to_vec()).await;
        assert_eq!(status, 415);
    }
);

both_databases!(
    unit_forms_report_precisely_and_changes_reach_the_audit_log,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let bad = json!({"code": "bad code", "name": "", "kind": "school", "ownership": "public"});
        let body = admin.post_ok("/api/v1/units", &bad, 400).await;
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(
            fields,
            ["code", "name", "kind", "ownership"],
            "every bad field at once"
        );

        let (status, body) = admin
            .post(
                "/api/v1/units/demo-jh-taipei/reviewer",
                &json!({"reviewer_code": "nowhere"}),
            )
            .await;
        assert_eq!(
            (status, body["errors"][0]["field"].as_str()),
            (400, Some("reviewer_code"))
        );
        let (status, body) = admin
            .post(
                "/api/v1/units/demo-jh-taipei/close",
                &json!({"reason": "x", "successor_code": "nowhere"}),
            )
            .await;
        assert_eq!(
            (status, body["errors"][0]["field"].as_str()),
            (400, Some("successor_code"))
        );
        assert_eq!(admin.get("/api/v1/units/nowhere/history").await.0, 404);

        let path = app.url("/api/v1/units/demo-jh-taipei/contact");
        let chief = app.as_user("school.chief").await;
        app.client
            .patch(&path)
            .bearer_auth(chief.token())
            .json(&json!({"phone": "02-2700-1234"}))
            .send()
            .await
            .unwrap();
        let cleared: Value = app
            .client
            .patch(&path)
            .bearer_auth(chief.token())
            .json(&json!({"phone": ""}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert!(
            cleared["phone"].is_null(),
            "an empty string clears: {cleared}"
        );

        let (status, log) = admin
            .get("/api/v1/audit-log?actor=&target=demo-jh-taipei")
            .await;
        assert_eq!(status, 200, "an empty filter is no filter: {log}");
        let actions: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["unit.contact", "unit.contact"]);
        let (status, body) = admin.get("/api/v1/audit-log?actor=abc").await;
        assert_eq!(
            (status, body["errors"][0]["field"].as_str()),
            (400, Some("actor"))
        );
    }
);
