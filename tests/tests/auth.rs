//! Teacher sign-up, login, sessions and passwords, end to end on both databases.

use inservice_e2e::{TestApp, both_databases, national_id};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

const PASSWORD: &str = "correct horse 42 battery";

fn sign_up_form(name: &str, id: &str) -> Value {
    json!({
        "account_name": name,
        "password": PASSWORD,
        "real_name": "林小明",
        "national_id": id,
        "birth_date": "1985-03-02",
        "gender": "female",
        "email": format!("{name}@school.edu.tw"),
        "phone": "02-12345678#123",
        "unit_code": "demo-jh-taipei",
        "job_title": "15-4",
        "subjects": ["國語文", "數學"],
        "accept_agreement": true,
        "accept_privacy": true
    })
}

async fn sign_up(app: &TestApp, name: &str, id: &str) -> Value {
    let (status, body) = app
        .post_json("/api/v1/accounts/teachers", &sign_up_form(name, id), None)
        .await;
    assert_eq!(status, 201, "{body}");
    body
}

async fn log_in(app: &TestApp, login: &str, password: &str) -> (u16, Value) {
    app.post_json(
        "/api/v1/auth/login",
        &json!({"login": login, "password": password}),
        None,
    )
    .await
}

both_databases!(
    a_teacher_signs_up_logs_in_and_reads_the_profile,
    |app: TestApp| async move {
        let created = sign_up(&app, "lin.teacher", "A123456789").await;
        assert_eq!(created["identity_masked"], "A********9");
        assert_eq!(created["status"], "active");
        // Naming a school asks to join it; the school decides.
        assert_eq!(created["has_serving_unit"], false);
        assert!(created["unit"].is_null(), "{created}");
        assert_eq!(created["requested_unit_code"], "demo-jh-taipei");
        assert_eq!(created["job_title"]["label"], "合格專任教師");
        let number = created["personal_number"].as_str().unwrap();
        assert!(number.starts_with('T') && number.len() == 11, "{number}");

        let (status, session) = log_in(&app, "Lin.Teacher", PASSWORD).await;
        assert_eq!(status, 200, "{session}");
        assert_eq!(session["token_type"], "Bearer");
        assert_eq!(session["expires_in"], 900);
        let token = session["access_token"].as_str().unwrap();
        let (status, me) = app.get_authed("/api/v1/me", token).await;
        assert_eq!(status, 200);
        assert_eq!(me["personal_number"], number);
        assert_eq!(me["subjects"], json!(["國語文", "數學"]));

        let (status, by_email) = log_in(&app, "lin.teacher@school.edu.tw", PASSWORD).await;
        assert_eq!(status, 200, "login by e-mail: {by_email}");
    }
);

both_databases!(
    identity_numbers_are_never_stored_in_the_clear,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        let conn = sea_orm::Database::connect(&app.database_url).await.unwrap();
        let rows = conn
            .query_all_raw(Statement::from_string(
                conn.get_database_backend(),
                "SELECT identity_hash, identity_cipher, identity_masked FROM accounts",
            ))
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);
        for column in ["identity_hash", "identity_cipher", "identity_masked"] {
            let value: String = rows[0].try_get("", column).unwrap();
            assert!(!value.contains("A123456789"), "{column} holds the number");
        }
    }
);

both_databases!(sign_up_reports_every_bad_field, |app: TestApp| async move {
    let form = json!({
        "account_name": "1x", "password": "short", "real_name": " ", "national_id": "A123456788",
        "birth_date": "2024-01-01", "gender": "x", "email": "nope", "phone": "abc",
        "unit_code": "no-such-unit", "job_title": "15-77", "subjects": ["數學", "數學"],
        "accept_agreement": false, "accept_privacy": false
    });
    let (status, body) = app
        .post_json("/api/v1/accounts/teachers", &form, None)
        .await;
    assert_eq!(status, 400, "{body}");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in [
        "account_name",
        "password",
        "real_name",
        "national_id",
        "birth_date",
        "gender",
        "email",
        "phone",
        "job_title",
        "subjects",
        "unit_code",
        "accept_agreement",
        "accept_privacy",
    ] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    let checksum = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["field"] == "national_id")
        .unwrap();
    assert_eq!(checksum["code"], "invalid_identity_checksum");

    let mut no_birth_date = sign_up_form("someone.else", &national_id('B', 2));
    no_birth_date["birth_date"] = json!("");
    let (status, body) = app
        .post_json("/api/v1/accounts/teachers", &no_birth_date, None)
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errors"][0]["field"], "birth_date");
    assert_eq!(body["errors"][0]["code"], "required");

    let (status, body) = app
        .post_json(
            "/api/v1/accounts/teachers",
            &json!({"account_name": "x"}),
            None,
        )
        .await;
    assert_eq!(
        status, 400,
        "a body missing fields is a problem, not a 500: {body}"
    );
    assert_eq!(body["code"], "malformed_json");
});

both_databases!(
    one_teacher_account_per_identity_number,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        let (status, body) = app
            .post_json(
                "/api/v1/accounts/teachers",
                &sign_up_form("another.name", "a123456789"),
                None,
            )
            .await;
        assert_eq!(status, 409);
        assert_eq!(body["code"], "identity_already_registered");
        let text = body.to_string();
        assert!(
            !text.contains("lin.teacher") && !text.contains("林小明"),
            "nothing about the existing account: {text}"
        );

        let (status, body) = app
            .post_json(
                "/api/v1/accounts/teachers",
                &sign_up_form("LIN.teacher", &national_id('B', 1)),
                None,
            )
            .await;
        assert_eq!(status, 409);
        assert_eq!(body["code"], "account_name_taken");
    }
);

both_databases!(
    wrong_password_and_unknown_account_look_the_same,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        let (status_wrong, wrong) = log_in(&app, "lin.teacher", "not the password 1").await;
        let (status_unknown, unknown) = log_in(&app, "nobody.here", "not the password 1").await;
        assert_eq!((status_wrong, status_unknown), (401, 401));
        assert_eq!(wrong, unknown);
    }
);

both_databases!(
    five_failed_logins_lock_the_account,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        for _ in 0..5 {
            let (status, _) = log_in(&app, "lin.teacher", "wrong password 99").await;
            assert_eq!(status, 401);
        }
        let (status, body) = log_in(&app, "lin.teacher", PASSWORD).await;
        assert_eq!(status, 401);
        assert_eq!(
            body["code"], "account_locked",
            "even the right password waits: {body}"
        );
    }
);

both_databases!(
    refresh_tokens_rotate_and_a_reused_one_ends_the_session,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        let (_, session) = log_in(&app, "lin.teacher", PASSWORD).await;
        let first = session["refresh_token"].as_str().unwrap().to_owned();
        let (status, renewed) = app
            .post_json(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": first}),
                None,
            )
            .await;
        assert_eq!(status, 200, "{renewed}");
        let second = renewed["refresh_token"].as_str().unwrap().to_owned();
        assert_ne!(first, second);
        let (status, _) = app
            .get_authed("/api/v1/me", renewed["access_token"].as_str().unwrap())
            .await;
        assert_eq!(status, 200);

        let (status, _) = app
            .post_json(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": first}),
                None,
            )
            .await;
        assert_eq!(status, 401, "a used token is refused");
        let (status, _) = app
            .post_json(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": second}),
                None,
            )
            .await;
        assert_eq!(status, 401, "and its whole family is revoked");
    }
);

both_databases!(
    browsers_keep_the_refresh_token_in_an_http_only_cookie,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        let response = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"login": "lin.teacher", "password": PASSWORD, "use_cookie": true}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let cookie = response.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .to_owned();
        for part in [
            "inservice_refresh=",
            "HttpOnly",
            "SameSite=Strict",
            "Path=/api/v1/auth",
        ] {
            assert!(cookie.contains(part), "{part} missing in {cookie}");
        }
        let body: Value = response.json().await.unwrap();
        assert!(
            body["refresh_token"].is_null(),
            "not in the body when a cookie carries it"
        );

        let pair = cookie.split(';').next().unwrap().to_owned();
        let renewed = app
            .client
            .post(app.url("/api/v1/auth/refresh"))
            .header("cookie", &pair)
            .send()
            .await
            .unwrap();
        assert_eq!(renewed.status(), 200);
        let next = renewed.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        assert_ne!(next, pair);

        let out = app
            .client
            .post(app.url("/api/v1/auth/logout"))
            .header("cookie", &next)
            .send()
            .await
            .unwrap();
        assert_eq!(out.status(), 204);
        assert!(
            out.headers()["set-cookie"]
                .to_str()
                .unwrap()
                .contains("Max-Age=0")
        );
        let after = app
            .client
            .post(app.url("/api/v1/auth/refresh"))
            .header("cookie", &next)
            .send()
            .await
            .unwrap();
        assert_eq!(after.status(), 401);
    }
);

both_databases!(
    logging_out_everywhere_revokes_every_session,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        let (_, phone) = log_in(&app, "lin.teacher", PASSWORD).await;
        let (_, laptop) = log_in(&app, "lin.teacher", PASSWORD).await;
        let (status, _) = app
            .post_json(
                "/api/v1/auth/logout-all",
                &json!({}),
                laptop["access_token"].as_str(),
            )
            .await;
        assert_eq!(status, 204);
        for session in [&phone, &laptop] {
            let (status, _) = app
                .post_json(
                    "/api/v1/auth/refresh",
                    &json!({"refresh_token": session["refresh_token"]}),
                    None,
                )
                .await;
            assert_eq!(status, 401);
        }
    }
);

both_databases!(a_teacher_changes_the_password, |app: TestApp| async move {
    sign_up(&app, "lin.teacher", "A123456789").await;
    let (_, session) = log_in(&app, "lin.teacher", PASSWORD).await;
    let token = session["access_token"].as_str().unwrap();
    let change =
        |current: &str, new: &str| json!({"current_password": current, "new_password": new});
    let (status, body) = app
        .post_json(
            "/api/v1/me/password",
            &change("not it at all 1", "brand new pass 2026"),
            Some(token),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (400, Some("wrong_password")),
        "a wrong current password is a field error, not a lost session"
    );
    let (status, body) = app
        .post_json(
            "/api/v1/me/password",
            &change(PASSWORD, "short1"),
            Some(token),
        )
        .await;
    assert_eq!(
        (status, body["errors"][0]["code"].as_str()),
        (400, Some("password_too_short"))
    );
    let (status, _) = app
        .post_json(
            "/api/v1/me/password",
            &change(PASSWORD, "brand new pass 2026"),
            Some(token),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(log_in(&app, "lin.teacher", PASSWORD).await.0, 401);
    assert_eq!(
        log_in(&app, "lin.teacher", "brand new pass 2026").await.0,
        200
    );
    let (status, _) = app
        .post_json(
            "/api/v1/auth/refresh",
            &json!({"refresh_token": session["refresh_token"]}),
            None,
        )
        .await;
    assert_eq!(status, 401, "the old session ended");
});

both_databases!(
    a_forgotten_password_is_reset_by_an_emailed_single_use_link,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        let (status, _) = app
            .post_json(
                "/api/v1/auth/password-reset",
                &json!({"login": "lin.teacher@school.edu.tw"}),
                None,
            )
            .await;
        assert_eq!(status, 202);
        let (status, _) = app
            .post_json(
                "/api/v1/auth/password-reset",
                &json!({"login": "nobody@school.edu.tw"}),
                None,
            )
            .await;
        assert_eq!(status, 202, "the same answer for an unknown address");

        let mail = app.db.recent_mail(10).await.unwrap();
        assert_eq!(mail.len(), 1);
        assert_eq!(mail[0].to_address, "lin.teacher@school.edu.tw");
        let token = mail[0]
            .body
            .split("token=")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_owned();

        let confirm = json!({"token": token, "new_password": "reset pass 2026 ok"});
        let (status, body) = app
            .post_json("/api/v1/auth/password-reset/confirm", &confirm, None)
            .await;
        assert_eq!(status, 204, "{body}");
        let (status, body) = app
            .post_json("/api/v1/auth/password-reset/confirm", &confirm, None)
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (400, Some("invalid_reset_token"))
        );
        assert_eq!(
            log_in(&app, "lin.teacher", "reset pass 2026 ok").await.0,
            200
        );
    }
);

both_databases!(
    protected_routes_need_a_valid_token,
    |app: TestApp| async move {
        let response = app.get("/api/v1/me").await;
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
        let (status, body) = app.get_authed("/api/v1/me", "not.a.token").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (401, Some("unauthenticated"))
        );
    }
);

both_databases!(a_teacher_edits_the_profile, |app: TestApp| async move {
    sign_up(&app, "lin.teacher", "A123456789").await;
    let (_, session) = log_in(&app, "lin.teacher", PASSWORD).await;
    let token = session["access_token"].as_str().unwrap();
    let patch = |body: Value| {
        app.client
            .patch(app.url("/api/v1/me"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let response =
        patch(json!({"phone": "0912-345-678", "subjects": ["自然科學"], "job_title": "15-3"}))
            .await
            .unwrap();
    assert_eq!(response.status(), 200);
    let me: Value = response.json().await.unwrap();
    assert_eq!(me["phone"], "0912-345-678");
    assert_eq!(me["subjects"], json!(["自然科學"]));
    assert_eq!(me["job_title"]["code"], "15-3");
    assert_eq!(
        me["email"], "lin.teacher@school.edu.tw",
        "untouched fields stay"
    );

    let response = patch(json!({"email": "bad", "job_title": "99"}))
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "job_title"]);
    let (_, me) = app.get_authed("/api/v1/me", token).await;
    assert_eq!(
        me["job_title"]["code"], "15-3",
        "nothing half-written after a failed update"
    );
});

both_databases!(
    a_teacher_downloads_everything_stored_about_them,
    |app: TestApp| async move {
        sign_up(&app, "lin.teacher", "A123456789").await;
        let (_, session) = log_in(&app, "lin.teacher", PASSWORD).await;
        let token = session["access_token"].as_str().unwrap();
        let (status, refused) = app
            .post_json(
                "/api/v1/me/export",
                &json!({"current_password": "not my password 1"}),
                Some(token),
            )
            .await;
        assert_eq!(status, 400, "the full copy needs the password: {refused}");
        assert_eq!(refused["errors"][0]["code"], "wrong_password");
        let response = app
            .client
            .post(app.url("/api/v1/me/export"))
            .bearer_auth(token)
            .json(&json!({"current_password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        assert!(
            response.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("attachment")
        );
        let export: Value = response.json().await.unwrap();
        assert_eq!(
            export["identity_number"], "A123456789",
            "the owner sees the full number"
        );
        assert_eq!(export["account"]["identity_masked"], "A********9");
        assert_eq!(export["consents"][1]["document"], "personal_data");
        assert!(export["consents"][1]["accepted_at"].is_string());
        assert_eq!(export["sessions"].as_array().unwrap().len(), 1);
        let actions: Vec<&str> = export["activity"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["action"].as_str().unwrap())
            .collect();
        assert!(actions.contains(&"account.sign_up"), "{actions:?}");
        assert!(
            !export["activity"].to_string().contains("A123456789"),
            "the audit log never holds the number"
        );
    }
);

both_databases!(
    sign_up_cannot_make_anyone_a_member_of_a_bureau_or_a_closed_unit,
    |app: TestApp| async move {
        let mut form = sign_up_form("lin.teacher", "A123456789");
        form["unit_code"] = json!("bureau-63000");
        let (status, body) = app
            .post_json("/api/v1/accounts/teachers", &form, None)
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["errors"][0]["field"], "unit_code");
        assert_eq!(body["errors"][0]["code"], "not_a_school");
        // The school's managers see the request and accept it; only then is it the teacher's.
        let created = sign_up(&app, "lin.teacher", "A123456789").await;
        app.seed_demo_accounts().await;
        let chief = app.as_user("school.chief").await;
        let requests = chief
            .get_ok("/api/v1/units/demo-jh-taipei/teacher-requests", 200)
            .await;
        assert!(requests.to_string().contains("lin.teacher"), "{requests}");
        let accepted = chief
            .post_ok(
                format!(
                    "/api/v1/units/demo-jh-taipei/teacher-requests/{}/accept",
                    created["id"]
                ),
                &json!({}),
                200,
            )
            .await;
        assert_eq!(accepted["unit_code"], "demo-jh-taipei");
    }
);
