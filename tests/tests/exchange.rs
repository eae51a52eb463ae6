//! The partner exchange (資訊傳報) end to end on both databases: the partner registry and the
//! door (keys, allow-lists), batches with dry runs, idempotency, corrections with history,
//! unmatched teachers matched at sign-up, every format and bad files, the back-end county's
//! monthly confirmation, duplicates across sources counted once, retrieval by cursor, and the
//! preschool export.

use inservice_e2e::exchange::{
    CHEN, LIN, WANG, XLSX, batch_json, batch_xlsx, batch_xml, from_source, last_month,
    partner_input, row,
};
use inservice_e2e::{TestApp, both_databases, national_id};
use serde_json::json;

both_databases!(
    partners_are_registered_and_only_their_keys_from_their_addresses_get_in,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let school = app.as_user("school.chief").await;

        // Only the national centre registers partners; every field is checked.
        let input = partner_input("hsinchu-sys", Some("10018"), &["sends_records"], false);
        let (status, _) = school.post("/api/v1/exchange/partners", &input).await;
        assert_eq!(status, 403);
        let mut bad = input.clone();
        bad["allow_list"] = json!("10.0.0.1/8\nnot-an-address");
        bad["code"] = json!("Bad Code");
        let (status, problem) = admin.post("/api/v1/exchange/partners", &bad).await;
        assert_eq!(status, 400, "{problem}");
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(
            fields.contains(&"allow_list") && fields.contains(&"code"),
            "{fields:?}"
        );

        let mut partner = app.partner(&admin, input.clone()).await;
        let (status, _) = admin.post("/api/v1/exchange/partners", &input).await;
        assert_eq!(status, 409, "the code is taken");
        assert!(partner.key.starts_with("isk_"));
        let listed = admin.get_ok("/api/v1/exchange/partners", 200).await;
        let text = listed.to_string();
        assert!(
            !text.contains(&partner.key),
            "a key is shown once, never listed"
        );
        assert_eq!(listed["items"][0]["keys"][0]["prefix"], partner.key[..12]);

        // From its own address it gets in; from elsewhere it is refused and logged.
        let (status, _) = partner.get("/api/v1/exchange/batches").await;
        assert_eq!(status, 200);
        partner.from = Some("203.0.113.9".into());
        let (status, problem) = partner.get("/api/v1/exchange/batches").await;
        assert_eq!(status, 403);
        assert_eq!(problem["code"], "address_not_allowed");
        let denials = admin.get_ok("/api/v1/exchange/denials", 200).await;
        assert_eq!(denials["items"][0]["ip"], "203.0.113.9");
        assert_eq!(denials["items"][0]["partner_code"], "hsinchu-sys");
        assert_eq!(denials["items"][0]["reason"], "address_not_allowed");
        // An IPv6 network on the list lets its addresses in.
        let mut widened = input.clone();
        widened["allow_list"] = json!("127.0.0.1/32, 2001:db8::/32");
        admin
            .put_ok(
                format!("/api/v1/exchange/partners/{}", partner.id),
                &widened,
                200,
            )
            .await;
        partner.from = Some("2001:db8::7".into());
        assert_eq!(partner.get("/api/v1/exchange/batches").await.0, 200);
        partner.from = None;

        // Unknown and revoked keys get 401.
        let real = partner.key.clone();
        partner.key = "isk_not-a-key".into();
        let (status, problem) = partner.get("/api/v1/exchange/batches").await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (401, Some("api_key_invalid"))
        );
        partner.key = real;
        let key_id = listed["items"][0]["keys"][0]["id"].as_i64().unwrap();
        admin
            .post_ok(
                format!(
                    "/api/v1/exchange/partners/{}/keys/{key_id}/revocation",
                    partner.id
                ),
                json!({}),
                200,
            )
            .await;
        let (status, problem) = partner.get("/api/v1/exchange/batches").await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (401, Some("api_key_revoked"))
        );
        // A second key (rotation) works while the first stays revoked.
        let issued = admin
            .post_ok(
                format!("/api/v1/exchange/partners/{}/keys", partner.id),
                json!({"label": "2027"}),
                201,
            )
            .await;
        partner.key = issued["secret"].as_str().unwrap().to_owned();
        assert_eq!(partner.get("/api/v1/exchange/batches").await.0, 200);
        let shown = admin.get_ok("/api/v1/exchange/partners", 200).await;
        assert_eq!(shown["items"][0]["keys"].as_array().unwrap().len(), 2);
        assert!(shown["items"][0]["keys"][0]["last_used_at"].is_string());
        assert_eq!(shown["items"][0]["contact_light"], "green");
    }
);

both_databases!(
    a_batch_is_checked_by_a_dry_run_then_committed_once_and_corrected_with_history,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let lin = app.as_user("teacher.lin").await;
        let partner = app
            .partner(
                &admin,
                partner_input("e-learn", None, &["sends_records"], false),
            )
            .await;
        let stranger = national_id('M', 4242);
        let rows = vec![
            row("C1", "R1", LIN, "3", "2026-03-02"),
            row("C1", "R2", WANG, "3", "2026-03-02"),
            row("C1", "R3", &stranger, "3", "2026-03-02"),
        ];

        // The dry run reports and writes nothing.
        let report = partner.send_rows("dry_run=true", &rows, 200).await;
        assert_eq!(
            (
                report["status"].as_str(),
                report["created"].as_u64(),
                report["unmatched"].as_u64()
            ),
            (Some("dry_run"), Some(2), Some(1)),
            "{report}"
        );
        assert!(from_source(&lin.get_ok("/api/v1/me/records", 200).await, "e-learn").is_empty());

        // Committed: the records carry the partner as their source.
        let committed = partner.send_rows("", &rows, 201).await;
        assert_eq!(committed["status"], "committed");
        assert_eq!(committed["created"], 2);
        let before = lin.get_ok("/api/v1/me/records", 200).await;
        assert_eq!(
            from_source(&before, "e-learn"),
            vec![("C1".to_owned(), 3.0, "counted".to_owned())]
        );

        // The same batch again changes nothing.
        let again = partner.send_rows("", &rows, 201).await;
        assert_eq!(
            (
                again["created"].as_u64(),
                again["updated"].as_u64(),
                again["unchanged"].as_u64()
            ),
            (Some(0), Some(0), Some(3)),
            "{again}"
        );
        let after = lin.get_ok("/api/v1/me/records", 200).await;
        assert_eq!(after["total_hours"], before["total_hours"]);

        // A corrected row updates the record; the old values stay in its history.
        let corrected = vec![row("C1", "R1", LIN, "4.5", "2026-03-02")];
        let fixed = partner.send_rows("", &corrected, 201).await;
        assert_eq!(fixed["updated"], 1, "{fixed}");
        let now = lin.get_ok("/api/v1/me/records", 200).await;
        assert_eq!(from_source(&now, "e-learn")[0].1, 4.5);
        assert_eq!(
            now["total_hours"].as_f64().unwrap(),
            before["total_hours"].as_f64().unwrap() + 1.5
        );
        let history = app
            .db
            .record_history_for_partner_record(partner.id as i32, "R1")
            .await
            .unwrap();
        assert_eq!(history.len(), 1);
        assert!(history[0].contains("\"half_hours\":6"), "{history:?}");

        // The unknown teacher's row waited; signing up matches it.
        let form = json!({
            "account_name": "stranger.teacher",
            "password": "correct horse 42 battery",
            "real_name": "陌生人",
            "national_id": stranger,
            "birth_date": "1985-03-02",
            "gender": "female",
            "email": "stranger@school.edu.tw",
            "phone": "02-12345678",
            "unit_code": "demo-jh-taipei",
            "job_title": "15-4",
            "subjects": ["數學"],
            "accept_agreement": true,
            "accept_privacy": true
        });
        app.anonymous()
            .post_ok("/api/v1/accounts/teachers", &form, 201)
            .await;
        let session = app
            .anonymous()
            .post_ok(
                "/api/v1/auth/login",
                json!({"login": "stranger.teacher", "password": "correct horse 42 battery"}),
                200,
            )
            .await;
        let newcomer = app.bearer(session["access_token"].as_str().unwrap());
        let records = newcomer.get_ok("/api/v1/me/records", 200).await;
        assert_eq!(from_source(&records, "e-learn").len(), 1, "{records}");

        // The log has every batch, dry run included, newest first.
        let log = admin.get_ok("/api/v1/exchange/batches", 200).await;
        let statuses: Vec<&str> = log["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["status"].as_str().unwrap())
            .collect();
        assert_eq!(statuses, ["committed", "committed", "committed", "dry_run"]);
        assert_eq!(log["success"][0]["committed"], 3);
    }
);

both_databases!(
    xml_and_workbooks_carry_the_same_rows_and_bad_files_write_nothing,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let lin = app.as_user("teacher.lin").await;
        let partner = app
            .partner(
                &admin,
                partner_input("xml-platform", None, &["sends_records"], false),
            )
            .await;
        let rows = vec![row("X1", "XR1", LIN, "2", "2026-04-01")];
        let (status, report) = partner
            .send("dry_run=true", batch_xml(&rows), "application/xml")
            .await;
        assert_eq!(
            (status, report["created"].as_u64()),
            (200, Some(1)),
            "{report}"
        );
        let (status, report) = partner.send("", batch_xlsx(&rows), XLSX).await;
        assert_eq!(
            (status, report["created"].as_u64()),
            (201, Some(1)),
            "{report}"
        );
        let (status, report) = partner.send("", batch_xml(&rows), "application/xml").await;
        assert_eq!(
            (status, report["unchanged"].as_u64()),
            (201, Some(1)),
            "{report}"
        );

        // Not a workbook, wrong columns, broken XML, an XML bomb, a wrong version: 400/422, clear.
        let (status, problem) = partner.send("", "not a zip at all", XLSX).await;
        assert_eq!(status, 400, "{problem}");
        assert_eq!(problem["errors"][0]["code"], "unreadable_file");
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "姓名").unwrap();
        sheet.write_string(0, 1, "電話").unwrap();
        let (status, problem) = partner.send("", book.save_to_buffer().unwrap(), XLSX).await;
        assert_eq!(status, 400, "{problem}");
        let codes: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["code"].as_str().unwrap())
            .collect();
        assert!(
            codes.contains(&"unknown_column") && codes.contains(&"missing_column"),
            "{codes:?}"
        );
        let (status, problem) = partner
            .send(
                "",
                "<exchange format_version=\"1\"><row><hours>3",
                "application/xml",
            )
            .await;
        assert_eq!(status, 400, "{problem}");
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><exchange format_version="1"/>"#;
        let (status, problem) = partner.send("", bomb, "application/xml").await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (422, Some("xml_doctype"))
        );
        let (status, problem) = partner
            .send(
                "",
                json!({"format_version": "9", "rows": []}).to_string(),
                "application/json",
            )
            .await;
        assert_eq!(status, 400);
        assert_eq!(problem["errors"][0]["code"], "unsupported_format_version");
        let (status, _) = partner.send("", "a,b", "text/csv").await;
        assert_eq!(status, 415);
        let (status, _) = partner
            .send(
                "",
                "{\"format_version\": \"1\", \"rows\": [",
                "application/json",
            )
            .await;
        assert_eq!(status, 400);

        // 10,000 bad rows among good ones: refused with a report, nothing written.
        let mut many = vec![row("B1", "OK1", LIN, "1", "2026-05-01")];
        for i in 0..10_000 {
            many.push(row("B1", &format!("BAD{i}"), LIN, "2.3", "2026-05-01"));
        }
        let (status, problem) = partner
            .send("", batch_json(&many).to_string(), "application/json")
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (422, Some("batch_refused")),
            "{problem}"
        );
        assert_eq!(problem["errors"][0]["field"], "rows[2].hours");
        assert_eq!(problem["errors"].as_array().unwrap().len(), 200);
        let records = lin.get_ok("/api/v1/me/records", 200).await;
        assert!(
            from_source(&records, "xml-platform")
                .iter()
                .all(|(c, _, _)| c != "B1")
        );
        let log = admin
            .get_ok("/api/v1/exchange/batches?per_page=1", 200)
            .await;
        assert_eq!(log["items"][0]["status"], "failed");
        assert_eq!(log["items"][0]["refused"], 10_000);
        assert_eq!(log["items"][0]["problems"].as_array().unwrap().len(), 1_000);
        assert_eq!(log["items"][0]["problems_truncated"], true);
    }
);

both_databases!(
    a_back_end_countys_records_count_once_it_confirms_the_month,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let bureau = app.as_user("taipei.reviewer").await;
        let other_bureau = app.as_user("k12.reviewer").await;
        let lin = app.as_user("teacher.lin").await;
        let partner = app
            .partner(
                &admin,
                partner_input("taipei-sys", Some("63000"), &["sends_records"], true),
            )
            .await;
        let (day, month) = last_month();
        let before = lin.get_ok("/api/v1/me/records", 200).await;
        // The bureau uploads for its county's partner; another county's staff may not.
        let rows = vec![row("T1", "TR1", LIN, "6", &day)];
        let (status, _) = other_bureau
            .upload(
                "/api/v1/exchange/batches?partner=taipei-sys",
                batch_json(&rows).to_string(),
                "application/json",
            )
            .await;
        assert_eq!(status, 403);
        let (status, report) = bureau
            .upload(
                "/api/v1/exchange/batches?partner=taipei-sys",
                batch_json(&rows).to_string(),
                "application/json",
            )
            .await;
        assert_eq!(status, 201, "{report}");
        assert_eq!(report["run_by"], "taipei.reviewer");
        let waiting = lin.get_ok("/api/v1/me/records", 200).await;
        assert_eq!(from_source(&waiting, "taipei-sys")[0].2, "awaiting_county");
        assert_eq!(
            waiting["total_hours"], before["total_hours"],
            "not counted yet"
        );

        let months = bureau.get_ok("/api/v1/exchange/confirmations", 200).await;
        let due = months["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["month"] == month.as_str())
            .cloned()
            .unwrap();
        assert_eq!(due["pending"], 1);
        assert!(due["light"] == "yellow" || due["light"] == "red");
        let (status, _) = bureau
            .post(
                "/api/v1/exchange/confirmations",
                json!({"month": "2999-01"}),
            )
            .await;
        assert_eq!(status, 400, "only past months");
        let done = bureau
            .post_ok(
                "/api/v1/exchange/confirmations",
                json!({"month": month}),
                201,
            )
            .await;
        assert_eq!(done["confirmed_records"], 1);
        let (status, problem) = bureau
            .post("/api/v1/exchange/confirmations", json!({"month": month}))
            .await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (409, Some("month_already_confirmed"))
        );
        let counted = lin.get_ok("/api/v1/me/records", 200).await;
        assert_eq!(from_source(&counted, "taipei-sys")[0].2, "counted");
        assert_eq!(
            counted["total_hours"].as_f64().unwrap(),
            before["total_hours"].as_f64().unwrap() + 6.0
        );
        drop(partner);
    }
);

both_databases!(
    the_same_course_from_two_sources_is_counted_once_until_decided,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let lin = app.as_user("teacher.lin").await;
        let first = app
            .partner(
                &admin,
                partner_input("platform-a", None, &["sends_records"], false),
            )
            .await;
        let second = app
            .partner(
                &admin,
                partner_input("platform-b", None, &["sends_records"], false),
            )
            .await;
        let before = lin.get_ok("/api/v1/me/records", 200).await["total_hours"]
            .as_f64()
            .unwrap();
        first
            .send_rows("", &[row("A-77", "A-77-1", LIN, "3", "2026-06-06")], 201)
            .await;
        let mut repeat = row("B-9", "B-9-1", LIN, "3", "2026-06-06");
        repeat["course_name"] = json!("A-77 海洋教育研習（第一場）");
        let report = second.send_rows("", &[repeat], 201).await;
        assert_eq!(report["duplicates"], 1, "{report}");
        let records = lin.get_ok("/api/v1/me/records", 200).await;
        assert_eq!(
            from_source(&records, "platform-b")[0].2,
            "suspected_duplicate"
        );
        assert_eq!(
            records["total_hours"].as_f64().unwrap(),
            before + 3.0,
            "counted once"
        );

        let list = admin.get_ok("/api/v1/exchange/duplicates", 200).await;
        let id = list["items"][0]["record_id"].as_i64().unwrap();
        assert_eq!(list["items"][0]["other_source"], "platform-a");
        let (status, _) = admin
            .post(
                format!("/api/v1/exchange/duplicates/{id}/decision"),
                json!({"decision": "maybe"}),
            )
            .await;
        assert_eq!(status, 400);
        admin
            .post_ok(
                format!("/api/v1/exchange/duplicates/{id}/decision"),
                json!({"decision": "distinct"}),
                204,
            )
            .await;
        let records = lin.get_ok("/api/v1/me/records", 200).await;
        assert_eq!(records["total_hours"].as_f64().unwrap(), before + 6.0);
        assert!(
            admin.get_ok("/api/v1/exchange/duplicates", 200).await["items"]
                .as_array()
                .unwrap()
                .is_empty()
        );
    }
);

both_databases!(
    retrieval_pages_by_cursor_and_sees_a_later_record_exactly_once,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let county = app
            .partner(
                &admin,
                partner_input("taipei-fetch", Some("63000"), &["retrieves_records"], false),
            )
            .await;
        let sender = app
            .partner(
                &admin,
                partner_input("sender", None, &["sends_records"], false),
            )
            .await;
        // Only a partner with the item retrieves.
        let (status, problem) = sender.get("/api/v1/exchange/records").await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (403, Some("cooperation_item_missing"))
        );
        let (status, _) = county
            .send("", batch_json(&[]).to_string(), "application/json")
            .await;
        assert_eq!(status, 403, "retrieving is not sending");

        sender
            .send_rows(
                "",
                &[
                    row("S1", "S1-1", LIN, "2", "2026-07-01"),
                    row("S1", "S1-2", WANG, "2", "2026-07-01"),
                ],
                201,
            )
            .await;
        // Wang serves in New Taipei: only Lin's record is Taipei's.
        let mut seen = Vec::new();
        let (_, page) = county.get("/api/v1/exchange/records?limit=1").await;
        let ours: Vec<_> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["source"] == "sender")
            .cloned()
            .collect();
        seen.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["record_id"].as_i64().unwrap()),
        );
        let mut cursor = page["next_cursor"].as_str().unwrap().to_owned();
        let mut more = page["has_more"].as_bool().unwrap();
        while more {
            let (_, page) = county
                .get(&format!("/api/v1/exchange/records?limit=1&cursor={cursor}"))
                .await;
            seen.extend(
                page["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["record_id"].as_i64().unwrap()),
            );
            cursor = page["next_cursor"].as_str().unwrap().to_owned();
            more = page["has_more"].as_bool().unwrap();
        }
        let _ = ours;
        // A record written after the first pages comes on the next page, once.
        sender
            .send_rows("", &[row("S2", "S2-1", LIN, "1", "2026-07-02")], 201)
            .await;
        let (_, page) = county
            .get(&format!("/api/v1/exchange/records?cursor={cursor}"))
            .await;
        let late: Vec<&serde_json::Value> = page["items"].as_array().unwrap().iter().collect();
        assert_eq!(late.len(), 1, "{page}");
        assert_eq!(late[0]["partner_course_id"], "S2");
        assert_eq!(late[0]["identity_number"], LIN);
        seen.push(late[0]["record_id"].as_i64().unwrap());
        let cursor = page["next_cursor"].as_str().unwrap().to_owned();
        let (_, page) = county
            .get(&format!("/api/v1/exchange/records?cursor={cursor}"))
            .await;
        assert!(page["items"].as_array().unwrap().is_empty());
        let mut unique = seen.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seen.len(), "nothing twice: {seen:?}");
        // XML on request.
        let response = county
            .request(reqwest::Method::GET, "/api/v1/exchange/records?limit=1")
            .header("accept", "application/xml")
            .send()
            .await
            .unwrap();
        assert!(
            response
                .text()
                .await
                .unwrap()
                .contains("<records next_cursor=")
        );
        let (status, _) = county.get("/api/v1/exchange/records?cursor=x").await;
        assert_eq!(status, 400);
        // A workbook on request, the cursor in its headers.
        let response = county
            .request(reqwest::Method::GET, "/api/v1/exchange/records?limit=2")
            .header("accept", XLSX)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers().contains_key("x-next-cursor"));
        let cells = inservice_e2e::workbook_cells(&response.bytes().await.unwrap());
        assert_eq!(cells[0][0], "record_id");
        assert_eq!(cells.len(), 3, "a header and two records");

        // A platform that speaks for no county names its teachers.
        let platform = app
            .partner(
                &admin,
                partner_input("named-fetch", None, &["retrieves_records"], false),
            )
            .await;
        let (status, _) = platform.get("/api/v1/exchange/records").await;
        assert_eq!(status, 403);
        let query = |body: serde_json::Value| {
            let request = platform
                .request(reqwest::Method::POST, "/api/v1/exchange/records/query")
                .json(&body);
            async move {
                let response = request.send().await.unwrap();
                (
                    response.status().as_u16(),
                    response
                        .json::<serde_json::Value>()
                        .await
                        .unwrap_or_default(),
                )
            }
        };
        let (status, page) = query(json!({"identity_numbers": [WANG]})).await;
        assert_eq!(status, 200, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(
            !items.is_empty() && items.iter().all(|r| r["identity_number"] == WANG),
            "{page}"
        );
        let (status, problem) = query(json!({"identity_numbers": ["A123456780"]})).await;
        assert_eq!(status, 400);
        assert_eq!(problem["errors"][0]["field"], "identity_numbers[0]");
        let (status, _) = query(json!({"identity_numbers": []})).await;
        assert_eq!(status, 400);
    }
);

both_databases!(
    the_preschool_export_sends_each_record_once,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let preschool = app
            .partner(
                &admin,
                partner_input(
                    "preschool",
                    None,
                    &["retrieves_records", "base_data"],
                    false,
                ),
            )
            .await;
        let sender = app
            .partner(
                &admin,
                partner_input("kg-platform", None, &["sends_records"], false),
            )
            .await;
        let mut kg = row("K1", "K1-1", CHEN, "3", "2026-08-01");
        kg["stage"] = json!("kindergarten");
        sender
            .send_rows("", &[kg, row("K2", "K2-1", LIN, "3", "2026-08-01")], 201)
            .await;
        let dry = admin
            .post_ok(
                "/api/v1/exchange/preschool-exports?dry_run=true",
                json!({}),
                200,
            )
            .await;
        assert_eq!(dry["rows"], 1, "{dry}");
        let first = admin
            .post_ok("/api/v1/exchange/preschool-exports", json!({}), 201)
            .await;
        assert_eq!(first["rows"], 1);
        let second = admin
            .post_ok("/api/v1/exchange/preschool-exports", json!({}), 201)
            .await;
        assert_eq!(second["rows"], 0, "nothing goes twice");
        let (status, batches) = preschool.get("/api/v1/exchange/preschool-exports").await;
        assert_eq!(status, 200);
        let id = batches["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|b| b["records"] == 1)
            .unwrap()["id"]
            .as_i64()
            .unwrap();
        let (_, page) = preschool
            .get(&format!("/api/v1/exchange/preschool-exports/{id}/records"))
            .await;
        assert_eq!(page["items"][0]["identity_number"], CHEN);
        let (status, _) = sender.get("/api/v1/exchange/preschool-exports").await;
        assert_eq!(status, 403);

        // The daily job exports from the 15th, once a month.
        let mut again = row("K3", "K3-1", CHEN, "2", "2026-08-02");
        again["stage"] = json!("kindergarten");
        sender.send_rows("", &[again], 201).await;
        let at = |day: &str| {
            chrono::DateTime::parse_from_rfc3339(&format!("2099-09-{day}T02:00:00+00:00"))
                .unwrap()
                .with_timezone(&chrono::Utc)
        };
        let job = |day| inservice::exchange::preschool_export_if_due(&app.db, "preschool", at(day));
        assert_eq!(job("14").await.unwrap(), None, "not before the 15th");
        assert_eq!(job("15").await.unwrap(), Some(1));
        assert_eq!(job("16").await.unwrap(), None, "once a month");
    }
);

both_databases!(
    base_data_updates_teachers_with_a_dry_run_and_history,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.as_user("centre.admin").await;
        let lin = app.as_user("teacher.lin").await;
        let county = app
            .partner(
                &admin,
                partner_input("taipei-base", Some("63000"), &["base_data"], false),
            )
            .await;
        let body =
            |rows: serde_json::Value| json!({"format_version": "1", "rows": rows}).to_string();
        let send = |query: &'static str, text: String| {
            let request = county
                .request(
                    reqwest::Method::POST,
                    &format!("/api/v1/exchange/base-data?{query}"),
                )
                .header("content-type", "application/json")
                .body(text);
            async move {
                let response = request.send().await.unwrap();
                let status = response.status().as_u16();
                (
                    status,
                    response
                        .json::<serde_json::Value>()
                        .await
                        .unwrap_or_default(),
                )
            }
        };
        // Another county's unit is refused; an unknown teacher is reported; nothing is written.
        let (status, report) = send(
            "dry_run=true",
            body(json!([
                {"identity_number": LIN, "job_title": "15-3", "subjects": "數學;自然科學"},
                {"identity_number": WANG, "unit_code": "demo-es-newtaipei"},
                {"identity_number": national_id('M', 777), "job_title": "15-4"},
            ])),
        )
        .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            (
                report["updated"].as_u64(),
                report["refused"].as_u64(),
                report["unmatched"].as_u64()
            ),
            (Some(1), Some(1), Some(1)),
            "{report}"
        );
        assert_eq!(report["problems"][0]["code"], "unit_outside_county");
        let before = lin.get_ok("/api/v1/me", 200).await;
        assert_eq!(before["job_title"]["code"], "15-4");

        let rows =
            json!([{"identity_number": LIN, "job_title": "15-3", "subjects": "數學;自然科學"}]);
        let (status, report) = send("", body(rows.clone())).await;
        assert_eq!(
            (status, report["updated"].as_u64()),
            (201, Some(1)),
            "{report}"
        );
        let after = lin.get_ok("/api/v1/me", 200).await;
        assert_eq!(after["job_title"]["code"], "15-3");
        assert_eq!(after["subjects"], json!(["數學", "自然科學"]));
        let (_, report) = send("", body(rows)).await;
        assert_eq!(report["unchanged"], 1, "the same again changes nothing");
        let audit = admin
            .get_ok("/api/v1/audit-log?action=teacher_base_data_refreshed", 200)
            .await;
        assert_eq!(audit["total"], 1, "{audit}");
        assert!(
            audit["items"][0]["summary"]
                .as_str()
                .unwrap()
                .contains("15-4"),
            "the previous values are kept"
        );
        // A key without the item may not.
        let records_only = app
            .partner(
                &admin,
                partner_input("records-only", None, &["sends_records"], false),
            )
            .await;
        let (status, problem) = records_only
            .request(reqwest::Method::POST, "/api/v1/exchange/base-data")
            .header("content-type", "application/json")
            .body(body(json!([])))
            .send()
            .await
            .map(|r| (r.status().as_u16(), r))
            .unwrap();
        assert_eq!(status, 403);
        assert_eq!(
            problem.json::<serde_json::Value>().await.unwrap()["code"],
            "cooperation_item_missing"
        );
    }
);
