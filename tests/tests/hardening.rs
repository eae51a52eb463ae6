//! Hardening, end to end: bad text, attempt limits behind a proxy, lockouts that cannot be aimed
//! at someone else, retypes that need the right approver, and tokens that die with their session.

use inservice_e2e::{TestApp, both_databases};
use reqwest::Method;
use serde_json::{Value, json};

const PASSWORD: &str = inservice_persistence::DEMO_PASSWORD;

fn first_error(body: &Value) -> (String, String) {
    let error = &body["errors"][0];
    (
        error["field"].as_str().unwrap_or_default().to_owned(),
        error["code"].as_str().unwrap_or_default().to_owned(),
    )
}

/// Logs in as `login` from the client address `client` (the test server trusts loopback as its
/// TLS proxy, which names the client in `X-Forwarded-For`).
async fn log_in_from(app: &TestApp, login: &str, password: &str, client: &str) -> (u16, Value) {
    let response = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .header("x-forwarded-for", client)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .expect("request reaches the server");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn session(app: &TestApp, login: &str) -> Value {
    let (status, body) = log_in_from(app, login, PASSWORD, "192.0.2.10").await;
    assert_eq!(status, 200, "{body}");
    body
}

fn access(session: &Value) -> &str {
    session["access_token"].as_str().expect("an access token")
}

both_databases!(
    control_characters_and_oversized_text_are_refused_naming_the_field,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let (status, body) = app.get_json_any("/api/v1/courses?q=a%00b").await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(first_error(&body), ("q".into(), "control_character".into()));

        let long = "閱".repeat(101);
        let (status, body) = app.get_json_any(&format!("/api/v1/courses?q={long}")).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(first_error(&body), ("q".into(), "too_long".into()));

        let (status, body) = app
            .post_json(
                "/api/v1/auth/login",
                &json!({"login": "lin\u{0}", "password": "x"}),
                None,
            )
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            first_error(&body),
            ("login".into(), "control_character".into())
        );

        let (status, body) = app.get_json_any("/api/v1/units/demo%00jh").await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(body["code"], "malformed_path");

        let admin = app.as_user("centre.admin").await;
        let body = admin
            .patch_ok(
                "/api/v1/units/demo-jh-taipei/contact",
                &json!({"address": "路".repeat(201)}),
                400,
            )
            .await;
        assert_eq!(first_error(&body), ("address".into(), "too_long".into()));
        let body = admin
            .patch_ok(
                "/api/v1/units/demo-jh-taipei/contact",
                &json!({"address": "臺北市中正區\u{0}重慶南路"}),
                400,
            )
            .await;
        assert_eq!(
            first_error(&body),
            ("address".into(), "control_character".into())
        );
        // Nothing was half-written: the stored address is as it was.
        let (_, unit) = app.get_json_any("/api/v1/units/demo-jh-taipei").await;
        assert!(!unit.to_string().contains("路路路"), "{unit}");
    }
);

both_databases!(
    attempt_limits_count_the_client_behind_the_proxy,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        for _ in 0..20 {
            let (status, _) = log_in_from(&app, "nobody", "wrong password 1", "198.51.100.1").await;
            assert_ne!(status, 429);
        }
        let (status, body) = log_in_from(&app, "nobody2", "wrong password 1", "198.51.100.1").await;
        assert_eq!(status, 429, "{body}");
        // Another client behind the same proxy still has its own budget.
        let (status, body) = log_in_from(&app, "teacher.lin", PASSWORD, "198.51.100.2").await;
        assert_eq!(status, 200, "{body}");
        // IPv6 clients are counted by their /64.
        for n in 0..20 {
            let client = format!("2001:db8:1:2::{n:x}");
            log_in_from(&app, "nobody", "wrong password 1", &client).await;
        }
        let (status, _) = log_in_from(&app, "nobody", "wrong password 1", "2001:db8:1:2::ff").await;
        assert_eq!(status, 429);
    }
);

both_databases!(
    a_lockout_holds_the_guessing_address_only_and_hides_whether_the_account_exists,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        for _ in 0..5 {
            let (status, _) =
                log_in_from(&app, "teacher.lin", "wrong password 1", "203.0.113.5").await;
            assert_eq!(status, 401);
        }
        let (status, locked) = log_in_from(&app, "teacher.lin", PASSWORD, "203.0.113.5").await;
        assert_eq!(
            (status, locked["code"].as_str()),
            (401, Some("account_locked"))
        );
        // The owner, elsewhere, is not locked out.
        let (status, body) = log_in_from(&app, "teacher.lin", PASSWORD, "203.0.113.77").await;
        assert_eq!(status, 200, "{body}");
        // An unknown account answers exactly alike.
        for _ in 0..5 {
            log_in_from(&app, "no.such.teacher", "wrong password 1", "203.0.113.5").await;
        }
        let (status, unknown) = log_in_from(&app, "no.such.teacher", PASSWORD, "203.0.113.5").await;
        assert_eq!(status, 401);
        assert_eq!(unknown["code"], "account_locked");
        assert_eq!(unknown["detail"], locked["detail"]);
    }
);

both_databases!(
    a_unit_chief_cannot_make_its_operator_a_chief,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app
            .db
            .login_candidates("school.operator")
            .await
            .unwrap()
            .remove(0);
        let chief = app.as_user("school.chief").await;
        let path = format!("/api/v1/business-accounts/{}/type", operator.id);
        chief
            .post_ok(&path, &json!({"account_type": "chief"}), 403)
            .await;
        let stored = app.db.account(operator.id).await.unwrap().unwrap();
        assert_eq!(stored.account_type, operator.account_type, "unchanged");
        // Between contact and operator, the unit's chief decides.
        chief
            .post_ok(&path, &json!({"account_type": "contact"}), 200)
            .await;
        // The regional centre, which approves chiefs, may make one.
        let centre = app.as_user("taipei.chief").await;
        centre
            .post_ok(&path, &json!({"account_type": "chief"}), 200)
            .await;
    }
);

both_databases!(
    access_tokens_die_with_their_session_and_their_grants,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        // Logout ends that session's access token at once, not 15 minutes later.
        let first = session(&app, "teacher.lin").await;
        let second = session(&app, "teacher.lin").await;
        let (status, _) = app
            .post_json(
                "/api/v1/auth/logout",
                &json!({"refresh_token": first["refresh_token"]}),
                None,
            )
            .await;
        assert_eq!(status, 204);
        assert_eq!(app.get_authed("/api/v1/me", access(&first)).await.0, 401);
        assert_eq!(app.get_authed("/api/v1/me", access(&second)).await.0, 200);
        // Logging out everywhere ends every session.
        let (status, _) = app
            .post_json("/api/v1/auth/logout-all", &json!({}), Some(access(&second)))
            .await;
        assert_eq!(status, 204);
        assert_eq!(app.get_authed("/api/v1/me", access(&second)).await.0, 401);

        // A retype ends the tokens that carry the old type; a refresh carries the new one.
        let operator = session(&app, "school.operator").await;
        let chief = app.as_user("school.chief").await;
        let id = operator["account"]["id"].as_i64().unwrap();
        chief
            .post_ok(
                format!("/api/v1/business-accounts/{id}/type"),
                &json!({"account_type": "contact"}),
                200,
            )
            .await;
        assert_eq!(app.get_authed("/api/v1/me", access(&operator)).await.0, 401);
        let (status, renewed) = app
            .post_json(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": operator["refresh_token"]}),
                None,
            )
            .await;
        assert_eq!(status, 200, "{renewed}");
        let (status, me) = app.get_authed("/api/v1/me", access(&renewed)).await;
        assert_eq!(
            (status, me["account_type"].as_str()),
            (200, Some("contact"))
        );

        // Disabling an account ends its tokens at once.
        chief
            .post_ok(
                format!("/api/v1/business-accounts/{id}/disable"),
                &json!({"reason": "離職"}),
                200,
            )
            .await;
        assert_eq!(app.get_authed("/api/v1/me", access(&renewed)).await.0, 401);
    }
);

both_databases!(
    tokens_name_issuer_audience_and_key,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        use base64::Engine;
        let session = session(&app, "teacher.lin").await;
        let token = access(&session);
        let part = |i: usize| -> Value {
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(token.split('.').nth(i).unwrap())
                .unwrap();
            serde_json::from_slice(&bytes).unwrap()
        };
        assert_eq!(part(0)["kid"].as_str().map(str::len), Some(16));
        let claims = part(1);
        assert_eq!(claims["iss"], "http://127.0.0.1:8080");
        assert_eq!(claims["aud"], "inservice-api");
        assert!(claims["sid"].as_str().is_some_and(|s| !s.is_empty()));
        // A token signed with another key is refused.
        let forged = format!(
            "{}.{}.AAAA",
            token.split('.').next().unwrap(),
            token.split('.').nth(1).unwrap()
        );
        assert_eq!(app.get_authed("/api/v1/me", &forged).await.0, 401);
    }
);

both_databases!(
    a_new_email_address_needs_the_password_and_its_mailbox,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let token = app.as_user("teacher.lin").await;
        let (_, before) = token.get("/api/v1/me").await;
        let old = before["email"].as_str().unwrap().to_owned();
        let change = |body: Value| {
            let token = token.clone();
            async move { token.patch("/api/v1/me", &body).await }
        };
        let (status, body) = change(json!({"email": "taken.over@evil.example"})).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(
            first_error(&body),
            (
                "current_password".into(),
                "reauthentication_required".into()
            )
        );
        let (status, body) = change(
            json!({"email": "taken.over@evil.example", "current_password": "wrong password 1"}),
        )
        .await;
        assert_eq!(first_error(&body).1, "wrong_password", "{status} {body}");

        let (status, me) =
            change(json!({"email": "lin.new@school.edu.tw", "current_password": PASSWORD})).await;
        assert_eq!(status, 200, "{me}");
        assert_eq!(me["email"], old.as_str(), "not before it is confirmed");
        assert_eq!(me["pending_email"], "lin.new@school.edu.tw");
        let mail = app.db.recent_mail(10).await.unwrap();
        let warning = mail
            .iter()
            .find(|m| m.to_address == old)
            .expect("the old address is told");
        assert!(warning.body.contains("lin.new@school.edu.tw"));
        let confirmation = mail
            .iter()
            .find(|m| m.to_address == "lin.new@school.edu.tw")
            .expect("a confirmation to the new address");
        let link_token = confirmation.body.split("token=").nth(1).unwrap();
        let link_token = link_token.split_whitespace().next().unwrap();

        let (status, _) = app
            .post_json(
                "/api/v1/me/email/confirm",
                &json!({"token": "guessed"}),
                None,
            )
            .await;
        assert_eq!(status, 400);
        let (status, _) = app
            .post_json(
                "/api/v1/me/email/confirm",
                &json!({"token": link_token}),
                None,
            )
            .await;
        assert_eq!(status, 204);
        let (_, after) = token.get("/api/v1/me").await;
        assert_eq!(after["email"], "lin.new@school.edu.tw");
        assert!(after["pending_email"].is_null());
        let (status, _) = app
            .post_json(
                "/api/v1/me/email/confirm",
                &json!({"token": link_token}),
                None,
            )
            .await;
        assert_eq!(status, 400, "the link works once");
    }
);

both_databases!(
    personal_answers_are_not_cached_and_the_sqlite_file_is_private,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let token = app.as_user("teacher.lin").await;
        let response = token
            .request(Method::GET, "/api/v1/me")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["cache-control"], "no-store");
        if app.backend == inservice_e2e::Backend::Sqlite {
            use std::os::unix::fs::PermissionsExt;
            let path = app
                .database_url
                .trim_start_matches("sqlite://")
                .split('?')
                .next()
                .unwrap()
                .to_owned();
            for file in [path.clone(), format!("{path}-wal"), format!("{path}-shm")] {
                if let Ok(meta) = std::fs::metadata(&file) {
                    assert_eq!(meta.permissions().mode() & 0o777, 0o600, "{file}");
                }
            }
        }
    }
);

/// A request and what it must be answered: method, URL, the operation's path template, body,
/// token, status and problem code.
type MalformedCase<'a> = (
    reqwest::Method,
    &'a str,
    &'a str,
    Option<Value>,
    Option<&'a str>,
    u16,
    &'a str,
);

/// The statuses that `spec` documents for `method` `path` (a path template).
fn documented_statuses(spec: &Value, method: &str, path: &str) -> Vec<String> {
    spec["paths"][path][method]["responses"]
        .as_object()
        .map(|responses| responses.keys().cloned().collect())
        .unwrap_or_default()
}

// Found by `make fuzz` (schemathesis): requests the input guard or an extractor refuses before
// any handler runs were answered 400 (or 413) by operations whose documents named no such status.
both_databases!(
    malformed_requests_answer_statuses_the_document_names,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let spec: Value = serde_json::from_str(&inservice_api::openapi_json()).unwrap();
        let admin = app.as_user("centre.admin").await;
        let huge = "字".repeat(400_000);
        let cases: Vec<MalformedCase> = vec![
            // An i32 path parameter out of range.
            (
                reqwest::Method::GET,
                "/api/v1/courses/2147483648",
                "/api/v1/courses/{code}",
                None,
                None,
                400,
                "malformed_path",
            ),
            // A control character in a path parameter.
            (
                reqwest::Method::DELETE,
                "/api/v1/business-accounts/%07x",
                "/api/v1/business-accounts/{id}",
                None,
                Some(admin.token()),
                400,
                "malformed_path",
            ),
            (
                reqwest::Method::GET,
                "/api/v1/calendar-feeds/a%1Bb",
                "/api/v1/calendar-feeds/{token}",
                None,
                None,
                400,
                "malformed_path",
            ),
            // No JSON body at all.
            (
                reqwest::Method::POST,
                "/api/v1/auth/login",
                "/api/v1/auth/login",
                None,
                None,
                400,
                "malformed_json",
            ),
            (
                reqwest::Method::POST,
                "/api/v1/auth/password-reset",
                "/api/v1/auth/password-reset",
                None,
                None,
                400,
                "malformed_json",
            ),
            // A control character anywhere in a JSON body.
            (
                reqwest::Method::POST,
                "/api/v1/auth/logout",
                "/api/v1/auth/logout",
                Some(json!("\u{1e}x")),
                None,
                400,
                "validation_failed",
            ),
            (
                reqwest::Method::POST,
                "/api/v1/courses/1/approve",
                "/api/v1/courses/{code}/approve",
                Some(json!({"reason": "\u{98}T"})),
                Some(admin.token()),
                400,
                "validation_failed",
            ),
            // A JSON body over 1 MB.
            (
                reqwest::Method::POST,
                "/api/v1/auth/login",
                "/api/v1/auth/login",
                Some(json!({"login": huge, "password": "x"})),
                None,
                413,
                "payload_too_large",
            ),
        ];
        for (method, url, template, body, bearer, status, code) in cases {
            let mut request = app.client.request(method.clone(), app.url(url));
            if let Some(body) = &body {
                request = request.json(body);
            }
            if let Some(token) = bearer {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.expect("request reaches the server");
            let content_type = response
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            assert_eq!(response.status().as_u16(), status, "{method} {url}");
            assert_eq!(content_type, "application/problem+json", "{method} {url}");
            let problem: Value = response.json().await.unwrap();
            assert_eq!(problem["code"], code, "{method} {url}: {problem}");
            let method = method.as_str().to_ascii_lowercase();
            let documented = documented_statuses(&spec, &method, template);
            assert!(
                documented.contains(&status.to_string()),
                "{method} {template} answers {status} but documents only {documented:?}"
            );
        }
    }
);
