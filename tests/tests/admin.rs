//! National-centre administration: the audit log and the development mailbox.

use inservice_e2e::{TestApp, both_databases, national_id};
use serde_json::json;

both_databases!(
    the_national_centre_searches_the_audit_log,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let form = json!({
            "account_name": "audit.me", "password": "applicant pass 2026", "real_name": "稽核", "national_id": national_id('A', 7001),
            "email": "audit.me@x.tw", "phone": "02-2345-6789", "unit_code": "demo-jh-taipei", "account_type": "operator",
            "accept_agreement": true, "accept_privacy": true
        });
        let (_, applied) = app
            .post_json("/api/v1/accounts/business", &form, None)
            .await;
        let id = applied["id"].as_i64().unwrap();
        let chief = app.as_user("school.chief").await;
        chief
            .post(
                format!("/api/v1/business-accounts/{id}/approve"),
                &json!({}),
            )
            .await;

        let admin = app.as_user("centre.admin").await;
        let page = admin
            .get_ok(format!("/api/v1/audit-log?target={id}"), 200)
            .await;
        let actions: Vec<&str> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(
            actions,
            ["business_account.approve", "business_account.apply"],
            "newest first"
        );
        assert_eq!(page["items"][0]["actor_role"], "chief@junior_high");
        assert!(
            !page.to_string().contains(&national_id('A', 7001)),
            "no identity numbers in the log"
        );

        let (status, page) = admin
            .get("/api/v1/audit-log?action=business_account.approve&per_page=1")
            .await;
        assert_eq!((status, page["total"].as_u64()), (200, Some(1)));
        let (status, body) = chief.get("/api/v1/audit-log").await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("national_admin_required"))
        );
    }
);

both_databases!(
    the_development_mailbox_shows_queued_mail_to_the_admin,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let (status, _) = app
            .post_json(
                "/api/v1/auth/password-reset",
                &json!({"login": "teacher.lin"}),
                None,
            )
            .await;
        assert_eq!(status, 202);
        let admin = app.as_user("centre.admin").await;
        let mail = admin.get_ok("/api/v1/dev/mailbox", 200).await;
        assert_eq!(mail["items"][0]["to"], "teacher.lin@demo.inservice.tw");
        assert!(
            mail["items"][0]["body"]
                .as_str()
                .unwrap()
                .contains("/reset-password?token=")
        );
        let teacher = app.as_user("teacher.lin").await;
        assert_eq!(teacher.get("/api/v1/dev/mailbox").await.0, 403);
    }
);

/// Moves an account's last activity back in time, as if years had passed.
async fn age_account(app: &TestApp, login: &str, last_login: &str, warned: Option<&str>) {
    use sea_orm::ConnectionTrait;
    let conn = sea_orm::Database::connect(&app.database_url).await.unwrap();
    let warned = warned
        .map(|w| format!("'{w}'"))
        .unwrap_or_else(|| "NULL".into());
    let sql = format!(
        "UPDATE accounts SET last_login_at = '{last_login}', created_at = '{last_login}', idle_warned_at = {warned} WHERE account_name = '{login}'"
    );
    conn.execute_unprepared(&sql).await.unwrap();
}

both_databases!(
    idle_university_accounts_are_warned_then_deleted,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        age_account(&app, "uni.operator", "2023-01-01 00:00:00+00:00", None).await;
        age_account(&app, "school.operator", "2023-01-01 00:00:00+00:00", None).await;
        let now = chrono::Utc::now();

        let dry = app.db.sweep_idle_accounts(now, true).await.unwrap();
        assert_eq!(dry.warned, ["uni.operator"], "schools are exempt");
        assert!(
            app.db.recent_mail(10).await.unwrap().is_empty(),
            "a dry run changes nothing"
        );

        let report = app.db.sweep_idle_accounts(now, false).await.unwrap();
        assert_eq!(report.warned, ["uni.operator"]);
        let mail = app.db.recent_mail(10).await.unwrap();
        assert_eq!(mail[0].to_address, "uni.operator@demo.inservice.tw");
        let again = app.db.sweep_idle_accounts(now, false).await.unwrap();
        assert!(
            again.warned.is_empty() && again.deleted.is_empty(),
            "warned once, then the grace period"
        );

        let fifteen_days_ago = (now - chrono::Duration::days(15))
            .format("%Y-%m-%d %H:%M:%S+00:00")
            .to_string();
        age_account(
            &app,
            "uni.operator",
            "2023-01-01 00:00:00+00:00",
            Some(&fifteen_days_ago),
        )
        .await;
        let report = app.db.sweep_idle_accounts(now, false).await.unwrap();
        assert_eq!(report.deleted, ["uni.operator"]);
        let (status, _) = app
            .post_json(
                "/api/v1/auth/login",
                &json!({"login": "uni.operator", "password": inservice_persistence::DEMO_PASSWORD}),
                None,
            )
            .await;
        assert_eq!(status, 401);
    }
);
