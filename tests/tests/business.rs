//! Business-account applications and their approval by the right approver, on both databases.

use inservice_e2e::{TestApp, UserClient, both_databases, national_id};
use reqwest::Method;
use serde_json::{Value, json};

const PASSWORD: &str = "applicant pass 2026";

fn application(name: &str, id: &str, unit: &str, account_type: &str) -> Value {
    json!({
        "account_name": name, "password": PASSWORD, "real_name": "申請人", "national_id": id,
        "email": format!("{name}@school.edu.tw"), "phone": "02-2345-6789", "unit_code": unit,
        "account_type": account_type, "accept_agreement": true, "accept_privacy": true
    })
}

async fn apply(
    app: &TestApp,
    name: &str,
    id: &str,
    unit: &str,
    account_type: &str,
) -> (u16, Value) {
    app.post_json(
        "/api/v1/accounts/business",
        &application(name, id, unit, account_type),
        None,
    )
    .await
}

async fn queue_names(client: &UserClient<'_>) -> Vec<String> {
    let body = client.get_ok("/api/v1/business-accounts", 200).await;
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["account_name"].as_str().unwrap().to_owned())
        .collect()
}

async fn log_in_status(app: &TestApp, login: &str) -> (u16, Value) {
    app.post_json(
        "/api/v1/auth/login",
        &json!({"login": login, "password": PASSWORD}),
        None,
    )
    .await
}

both_databases!(
    a_schools_chief_approves_a_new_operator_who_can_then_log_in,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let (status, applied) = apply(
            &app,
            "new.operator",
            &national_id('A', 5001),
            "demo-jh-taipei",
            "operator",
        )
        .await;
        assert_eq!(status, 201, "{applied}");
        assert_eq!(applied["status"], "pending");
        let (status, body) = log_in_status(&app, "new.operator").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("account_pending"))
        );

        let chief = app.as_user("school.chief").await;
        assert_eq!(queue_names(&chief).await, ["new.operator"]);
        assert!(
            queue_names(&app.as_user("school.contact").await)
                .await
                .is_empty()
        );
        assert!(
            queue_names(&app.as_user("taipei.chief").await)
                .await
                .is_empty()
        );

        let id = applied["id"].as_i64().unwrap();
        let contact = app.as_user("school.contact").await;
        let (status, body) = contact
            .post(
                format!("/api/v1/business-accounts/{id}/approve"),
                &json!({}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("not_the_approver"))
        );
        let (status, body) = chief
            .post(
                format!("/api/v1/business-accounts/{id}/approve"),
                &json!({}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["status"], "active");
        let (status, session) = log_in_status(&app, "new.operator").await;
        assert_eq!(status, 200, "{session}");
        assert_eq!(session["account"]["account_type"], "operator");
        let (status, body) = chief
            .post(
                format!("/api/v1/business-accounts/{id}/approve"),
                &json!({}),
            )
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("account_state_changed"))
        );
    }
);

both_databases!(
    a_schools_chief_is_approved_by_its_regional_centre,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let (status, applied) = apply(
            &app,
            "second.chief",
            &national_id('A', 5002),
            "demo-jh-taipei",
            "chief",
        )
        .await;
        assert_eq!(status, 201, "{applied}");
        assert!(
            queue_names(&app.as_user("school.chief").await)
                .await
                .is_empty()
        );
        let bureau = app.as_user("taipei.chief").await;
        assert_eq!(queue_names(&bureau).await, ["second.chief"]);
        assert!(
            queue_names(&app.as_user("taipei.reviewer").await)
                .await
                .is_empty(),
            "operators do not manage accounts"
        );
        let id = applied["id"].as_i64().unwrap();
        bureau
            .post_ok(
                format!("/api/v1/business-accounts/{id}/approve"),
                &json!({}),
                200,
            )
            .await;
    }
);

both_databases!(
    universities_apply_as_operators_and_the_national_centre_approves,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let (status, body) = apply(
            &app,
            "uni.chief",
            &national_id('F', 5003),
            "demo-university",
            "chief",
        )
        .await;
        assert_eq!(status, 400);
        assert_eq!(body["errors"][0]["code"], "type_not_allowed_for_unit");
        let (status, _) = apply(
            &app,
            "uni.second",
            &national_id('F', 5003),
            "demo-university",
            "operator",
        )
        .await;
        assert_eq!(status, 201);
        assert_eq!(
            queue_names(&app.as_user("centre.admin").await).await,
            ["uni.second"]
        );
        assert!(
            queue_names(&app.as_user("taipei.chief").await)
                .await
                .is_empty()
        );
    }
);

both_databases!(
    one_business_account_per_identity_number,
    |app: TestApp| async move {
        let id = national_id('A', 5004);
        assert_eq!(
            apply(&app, "first.try", &id, "demo-jh-taipei", "operator")
                .await
                .0,
            201
        );
        let (status, body) = apply(&app, "second.try", &id, "demo-es-newtaipei", "operator").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (409, Some("business_account_exists"))
        );
    }
);

both_databases!(
    a_rejection_carries_its_reason_and_blocks_login,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let (_, applied) = apply(
            &app,
            "not.staff",
            &national_id('A', 5005),
            "demo-jh-taipei",
            "contact",
        )
        .await;
        let id = applied["id"].as_i64().unwrap();
        let chief = app.as_user("school.chief").await;
        let path = format!("/api/v1/business-accounts/{id}/reject");
        let (status, body) = chief.post(&path, &json!({"reason": "  "})).await;
        assert_eq!(
            (status, body["errors"][0]["field"].as_str()),
            (400, Some("reason"))
        );
        let body = chief
            .post_ok(&path, &json!({"reason": "非本校教職員"}), 200)
            .await;
        assert_eq!(body["status_reason"], "非本校教職員");
        let (status, body) = log_in_status(&app, "not.staff").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("account_disabled"))
        );
    }
);

both_databases!(
    approvers_retype_disable_enable_and_delete_accounts,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let id_number = national_id('A', 5006);
        let (_, applied) = apply(
            &app,
            "staff.member",
            &id_number,
            "demo-jh-taipei",
            "operator",
        )
        .await;
        let id = applied["id"].as_i64().unwrap();
        let chief = app.as_user("school.chief").await;
        let at = |action: &str| format!("/api/v1/business-accounts/{id}/{action}");
        assert_eq!(chief.post(&at("approve"), &json!({})).await.0, 200);
        let (status, body) = chief
            .post(&at("type"), &json!({"account_type": "contact"}))
            .await;
        assert_eq!(
            (status, body["account_type"].as_str()),
            (200, Some("contact"))
        );

        let (_, session) = log_in_status(&app, "staff.member").await;
        chief
            .post_ok(&at("disable"), &json!({"reason": "離職"}), 200)
            .await;
        let (status, _) = app
            .post_json(
                "/api/v1/auth/refresh",
                &json!({"refresh_token": session["refresh_token"]}),
                None,
            )
            .await;
        assert_eq!(status, 401, "a disabled account's sessions end");
        assert_eq!(chief.post(&at("enable"), &json!({})).await.0, 200);
        assert_eq!(log_in_status(&app, "staff.member").await.0, 200);

        let response = chief
            .request(Method::DELETE, format!("/api/v1/business-accounts/{id}"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 204);
        let (status, _) = apply(
            &app,
            "staff.again",
            &id_number,
            "demo-es-newtaipei",
            "operator",
        )
        .await;
        assert_eq!(
            status, 201,
            "the identity number may apply again after deletion"
        );
    }
);

both_databases!(
    teachers_and_strangers_cannot_decide,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let teacher = app.as_user("teacher.lin").await;
        let (status, body) = teacher.get("/api/v1/business-accounts").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("business_account_required"))
        );
        let chief = app.as_user("school.chief").await;
        let (status, body) = chief
            .post("/api/v1/business-accounts/999999/approve", &json!({}))
            .await;
        assert_eq!(
            (status, body["code"].as_str()),
            (404, Some("account_not_found"))
        );
        let (status, _) = app
            .post_json("/api/v1/business-accounts/1/approve", &json!({}), None)
            .await;
        assert_eq!(status, 401);
    }
);
