//! Walks every route of the OpenAPI document with every demo role and checks who gets in.
//! A route missing from the table below fails the test, so no new route goes unchecked.

use inservice_e2e::courses::course_form;
use inservice_e2e::{TestApp, both_databases, national_id};
use serde_json::{Value, json};
use utoipa::OpenApi;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account.
    SignedIn,
    /// Business accounts only.
    Business,
    /// The approvers of a pending operator application at demo-jh-taipei: its chief and the
    /// national centre.
    SchoolOperatorApprover,
    /// National-centre administrators.
    NationalAdmin,
    /// demo-jh-taipei's chief and contact (本單位教師帳號管理, 教師資料登錄), and the national centre.
    SchoolTeacherManager,
    /// bureau-63000's chief (修改本單位通訊資料), and the national centre.
    BureauContactEditor,
    /// Course registration and management at demo-jh-taipei: its three business accounts, and
    /// the national centre.
    SchoolCourseManager,
    /// bureau-63000's own courses (its accounts) and the national centre.
    BureauCourseManager,
    /// A demo-jh-taipei course's attendance, amendments and questionnaire summary: the school's
    /// course managers, the national centre and the course's reviewer (bureau-63000).
    SchoolCourseReader,
    /// The reviewers of demo-jh-taipei's courses: bureau-63000's accounts.
    CountyReviewer,
    /// Every unit that reviews courses (regional centres, the national centre, MOE).
    AnyReviewer,
    /// bureau-63000's chief only (自動審核功能設定).
    BureauChief,
    /// bureau-63000's accounts (自動審核瀏覽).
    BureauAccount,
    /// A teacher with a serving unit.
    TeacherWithUnit,
    /// Any teacher, with or without a serving unit.
    AnyTeacher,
    /// The exchange's staff: the national centre and county bureaus (bureau-63000's accounts).
    ExchangeStaff,
    /// Partner systems by their API key only: no person's session gets in.
    PartnerKey,
}

fn access(method: &str, path: &str) -> Option<Access> {
    use Access::*;
    Some(match (method, path) {
        (
            "get",
            "/api/v1/health"
            | "/api/v1/ready"
            | "/api/v1/counties"
            | "/api/v1/units"
            | "/api/v1/units/{code}"
            | "/api/v1/taxonomy",
        )
        | ("get", "/api/v1/levels" | "/api/v1/course-form/options" | "/api/v1/tags") => Public,
        (
            "post",
            "/api/v1/accounts/teachers" | "/api/v1/accounts/business" | "/api/v1/auth/login",
        ) => Public,
        (
            "post",
            "/api/v1/auth/refresh" | "/api/v1/auth/logout" | "/api/v1/auth/password-reset",
        ) => Public,
        ("post", "/api/v1/auth/password-reset/confirm" | "/api/v1/me/email/confirm") => Public,
        (
            "get",
            "/api/v1/subject-areas"
            | "/api/v1/courses"
            | "/api/v1/courses/{code}"
            | "/api/v1/courses/{code}/attachments/{id}",
        ) => Public,
        ("put", "/api/v1/courses/{code}")
        | ("delete", "/api/v1/courses/{code}" | "/api/v1/courses/{code}/attachments/{id}") => {
            SchoolCourseManager
        }
        (
            "post",
            "/api/v1/courses/{code}/submit"
            | "/api/v1/courses/{code}/copy"
            | "/api/v1/courses/{code}/attachments",
        ) => SchoolCourseManager,
        (
            "post",
            "/api/v1/courses/{code}/approve"
            | "/api/v1/courses/{code}/return"
            | "/api/v1/courses/{code}/reject",
        ) => CountyReviewer,
        ("get" | "post", "/api/v1/units/{code}/courses") => BureauCourseManager,
        ("get", "/api/v1/review/courses") => AnyReviewer,
        ("get", "/api/v1/units/{code}/auto-approval") => BureauAccount,
        ("put", "/api/v1/units/{code}/auto-approval") => BureauChief,
        ("get", "/api/v1/me/favourites") | ("put" | "delete", "/api/v1/me/favourites/{code}") => {
            TeacherWithUnit
        }
        ("post", "/api/v1/tags" | "/api/v1/tags/{id}/retire") | ("patch", "/api/v1/tags/{id}") => {
            NationalAdmin
        }
        ("post", "/api/v1/courses/{code}/enrollments" | "/api/v1/enrollments/{id}/withdraw") => {
            TeacherWithUnit
        }
        ("get", "/api/v1/me/enrollments") => AnyTeacher,
        ("get" | "post" | "delete", "/api/v1/me/calendar-feed") => AnyTeacher,
        (
            "get",
            "/api/v1/courses/{code}/calendar.ics"
            | "/api/v1/courses/{code}/qr.svg"
            | "/api/v1/calendar-feeds/{token}",
        ) => Public,
        (
            "get",
            "/api/v1/courses/{code}/enrollments"
            | "/api/v1/courses/{code}/enrollments.xlsx"
            | "/api/v1/courses/{code}/notifications",
        ) => SchoolCourseManager,
        ("post", p)
            if p.starts_with("/api/v1/courses/{code}/enrollments/")
                || [
                    "/api/v1/courses/{code}/cancel",
                    "/api/v1/courses/{code}/postpone",
                    "/api/v1/courses/{code}/draw",
                ]
                .contains(&p) =>
        {
            SchoolCourseManager
        }
        (
            "get",
            "/api/v1/courses/{code}/attendance"
            | "/api/v1/courses/{code}/amendments"
            | "/api/v1/courses/{code}/feedback/summary"
            | "/api/v1/courses/{code}/feedback/summary.xlsx",
        ) => SchoolCourseReader,
        ("put", "/api/v1/courses/{code}/attendance" | "/api/v1/courses/{code}/feedback/paper") => {
            SchoolCourseManager
        }
        (
            "post",
            "/api/v1/courses/{code}/attendance/walk-ins"
            | "/api/v1/courses/{code}/attendance/sign-in-sheet"
            | "/api/v1/courses/{code}/roster/submit"
            | "/api/v1/courses/{code}/amendments",
        ) => SchoolCourseManager,
        (
            "post",
            "/api/v1/courses/{code}/roster/confirm" | "/api/v1/courses/{code}/roster/return",
        ) => CountyReviewer,
        (
            "get",
            "/api/v1/review/rosters" | "/api/v1/review/amendments" | "/api/v1/review/dashboard",
        )
        | ("post", "/api/v1/amendments/{id}/decision") => AnyReviewer,
        ("get", "/api/v1/me/records" | "/api/v1/me/records.xlsx")
        | ("post", "/api/v1/me/transcripts") => AnyTeacher,
        ("get", "/api/v1/transcripts/{code}") | ("get", "/api/v1/transcripts/{code}/qr.svg") => {
            Public
        }
        ("get", "/api/v1/units/{code}/dashboard") => BureauCourseManager,
        ("get" | "post", "/api/v1/courses/{code}/feedback") => TeacherWithUnit,
        ("get", "/api/v1/me")
        | ("post", "/api/v1/me/export")
        | ("patch", "/api/v1/me")
        | ("post", "/api/v1/me/password" | "/api/v1/auth/logout-all") => SignedIn,
        ("get", "/api/v1/business-accounts") => Business,
        ("post", p) if p.starts_with("/api/v1/business-accounts/{id}/") => SchoolOperatorApprover,
        ("delete", "/api/v1/business-accounts/{id}") => SchoolOperatorApprover,
        ("get", "/api/v1/dev/mailbox" | "/api/v1/audit-log" | "/api/v1/units/{code}/history") => {
            NationalAdmin
        }
        (
            "post",
            "/api/v1/units"
            | "/api/v1/units/import"
            | "/api/v1/units/{code}/close"
            | "/api/v1/units/{code}/reviewer",
        ) => NationalAdmin,
        ("patch", "/api/v1/units/{code}") => NationalAdmin,
        ("patch", "/api/v1/units/{code}/contact") => BureauContactEditor,
        ("get", "/api/v1/units/{code}/teacher-requests") => SchoolTeacherManager,
        ("post", p) if p.starts_with("/api/v1/units/{code}/teacher-requests/{id}/") => {
            SchoolTeacherManager
        }
        ("get", "/api/v1/units/{code}/teachers" | "/api/v1/units/{code}/teachers.xlsx") => {
            SchoolTeacherManager
        }
        (
            "post",
            "/api/v1/units/{code}/teachers" | "/api/v1/units/{code}/teachers/{id}/transfer-out",
        ) => SchoolTeacherManager,
        ("get", "/api/v1/exchange/template.xlsx") => Public,
        (
            "get",
            "/api/v1/exchange/partners"
            | "/api/v1/exchange/batches"
            | "/api/v1/exchange/batches/{id}"
            | "/api/v1/exchange/confirmations",
        ) => ExchangeStaff,
        (
            "post",
            "/api/v1/exchange/batches"
            | "/api/v1/exchange/base-data"
            | "/api/v1/exchange/confirmations",
        ) => ExchangeStaff,
        ("get", "/api/v1/exchange/records") | ("post", "/api/v1/exchange/records/query") => {
            PartnerKey
        }
        ("get" | "post" | "put", p) if p.starts_with("/api/v1/exchange/") => NationalAdmin,
        _ => return None,
    })
}

const ROLES: [&str; 12] = [
    "anonymous",
    "teacher.lin",
    "teacher.nounit",
    "school.chief",
    "school.contact",
    "school.operator",
    "taipei.chief",
    "taipei.reviewer",
    "k12.reviewer",
    "uni.operator",
    "moe.chief",
    "centre.admin",
];

fn allowed(access: Access, role: &str) -> bool {
    match access {
        Access::Public => true,
        Access::SignedIn => role != "anonymous",
        Access::Business => role != "anonymous" && !role.starts_with("teacher."),
        Access::SchoolOperatorApprover => role == "school.chief" || role == "centre.admin",
        Access::NationalAdmin => role == "centre.admin",
        Access::BureauContactEditor => ["taipei.chief", "centre.admin"].contains(&role),
        Access::SchoolTeacherManager => {
            ["school.chief", "school.contact", "centre.admin"].contains(&role)
        }
        Access::SchoolCourseManager => [
            "school.chief",
            "school.contact",
            "school.operator",
            "centre.admin",
        ]
        .contains(&role),
        Access::BureauCourseManager => {
            ["taipei.chief", "taipei.reviewer", "centre.admin"].contains(&role)
        }
        Access::SchoolCourseReader => [
            "school.chief",
            "school.contact",
            "school.operator",
            "centre.admin",
            "taipei.chief",
            "taipei.reviewer",
        ]
        .contains(&role),
        Access::CountyReviewer | Access::BureauAccount => {
            ["taipei.chief", "taipei.reviewer"].contains(&role)
        }
        Access::AnyReviewer => [
            "taipei.chief",
            "taipei.reviewer",
            "k12.reviewer",
            "moe.chief",
            "centre.admin",
        ]
        .contains(&role),
        Access::BureauChief => role == "taipei.chief",
        Access::TeacherWithUnit => role == "teacher.lin",
        Access::AnyTeacher => role.starts_with("teacher."),
        Access::ExchangeStaff => {
            ["taipei.chief", "taipei.reviewer", "centre.admin"].contains(&role)
        }
        Access::PartnerKey => false,
    }
}

/// A published course of demo-jh-taipei, fresh for each check since some checks change it.
async fn published_course(
    app: &TestApp,
    tokens: &std::collections::HashMap<&str, String>,
    serial: u32,
) -> i64 {
    app.published_course(
        &tokens["school.operator"],
        "demo-jh-taipei",
        &tokens["taipei.reviewer"],
        &course_form(&format!("權限檢查課程 {serial}")),
    )
    .await
}

/// A body that gets past extraction for each route, so the answer reflects authorisation.
fn body_for(path: &str) -> Value {
    match path {
        p if p.ends_with("/reject") || p.ends_with("/disable") => json!({"reason": "檢查權限"}),
        p if p.ends_with("/type") => json!({"account_type": "contact"}),
        "/api/v1/me/password" => json!({"current_password": "x", "new_password": "y"}),
        "/api/v1/auth/login" => json!({"login": "x", "password": "y"}),
        "/api/v1/auth/password-reset" => json!({"login": "nobody"}),
        "/api/v1/auth/password-reset/confirm" => {
            json!({"token": "x", "new_password": "long enough 123"})
        }
        "/api/v1/units/{code}/teachers" => {
            json!({"national_id": national_id('D', 1), "real_name": "登錄", "email": "entry@x.tw", "job_title": "15-4"})
        }
        _ => json!({}),
    }
}

both_databases!(
    every_route_admits_exactly_the_roles_the_matrix_allows,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let mut tokens = std::collections::HashMap::new();
        for role in ROLES.iter().filter(|r| **r != "anonymous") {
            tokens.insert(*role, app.demo_token(role).await);
        }
        let spec = inservice_api::ApiDoc::openapi();
        let mut checked = 0;
        let mut serial = 6000;
        for (path, item) in &spec.paths.paths {
            let methods = [
                ("get", item.get.is_some()),
                ("post", item.post.is_some()),
                ("patch", item.patch.is_some()),
                ("delete", item.delete.is_some()),
                ("put", item.put.is_some()),
            ];
            for (method, _) in methods.iter().filter(|(_, present)| *present) {
                let access = access(method, path)
                    .unwrap_or_else(|| panic!("{method} {path} has no expected access: add it"));
                for role in ROLES {
                    let unit = if path.contains("/teacher") {
                        "demo-jh-taipei"
                    } else {
                        "bureau-63000"
                    };
                    let mut concrete = path.replace("{code}", unit);
                    if path.starts_with("/api/v1/courses/{code}")
                        || path.starts_with("/api/v1/me/favourites/{code}")
                    {
                        serial += 1;
                        let code = published_course(&app, &tokens, serial).await;
                        concrete = path.replace("{code}", &code.to_string());
                    }
                    if concrete.contains("/teachers/{id}") {
                        // A fresh teacher of the unit for each check, since a transfer moves them.
                        serial += 1;
                        let form = json!({
                            "account_name": format!("walkteacher{serial}"), "password": "walk password 2026", "real_name": "測試",
                            "national_id": national_id('C', serial), "birth_date": "1980-01-01", "gender": "male",
                            "email": format!("walkteacher{serial}@x.tw"), "unit_code": "demo-jh-taipei", "job_title": "15-4",
                            "accept_agreement": true, "accept_privacy": true
                        });
                        let (status, created) = app
                            .post_json("/api/v1/accounts/teachers", &form, None)
                            .await;
                        assert_eq!(status, 201, "{created}");
                        concrete = concrete.replace("{id}", &created["id"].to_string());
                    } else if concrete.contains("{id}") {
                        // A fresh pending operator application for each check, since decisions change it.
                        serial += 1;
                        let form = json!({
                            "account_name": format!("walk{serial}"), "password": "walk password 2026", "real_name": "測試",
                            "national_id": national_id('A', serial), "email": format!("walk{serial}@x.tw"), "phone": "02-2345-6789",
                            "unit_code": "demo-jh-taipei", "account_type": "operator", "accept_agreement": true, "accept_privacy": true
                        });
                        let (status, applied) = app
                            .post_json("/api/v1/accounts/business", &form, None)
                            .await;
                        assert_eq!(status, 201, "{applied}");
                        concrete = concrete.replace("{id}", &applied["id"].to_string());
                    }
                    let url = app.url(&concrete);
                    let mut request = match *method {
                        "get" => app.client.get(&url),
                        "post" => app.client.post(&url).json(&body_for(path)),
                        "patch" => app.client.patch(&url).json(&body_for(path)),
                        "put" => app.client.put(&url).json(&body_for(path)),
                        "delete" => app.client.delete(&url),
                        other => unreachable!("{other}"),
                    };
                    if let Some(token) = tokens.get(role) {
                        request = request.bearer_auth(token);
                    }
                    let status = request.send().await.unwrap().status().as_u16();
                    if *path == "/api/v1/auth/logout-all" && tokens.contains_key(role) {
                        // Logging out everywhere ends the role's token at once: sign in again
                        // (from another client address, so the walk stays inside the limits).
                        let session = app
                            .client
                            .post(app.url("/api/v1/auth/login"))
                            .header("x-forwarded-for", format!("192.0.2.{}", checked % 250 + 1))
                            .json(&json!({"login": role, "password": inservice_persistence::DEMO_PASSWORD}))
                            .send()
                            .await
                            .unwrap()
                            .json::<serde_json::Value>()
                            .await
                            .unwrap();
                        let token = session["access_token"]
                            .as_str()
                            .expect("a new session")
                            .to_owned();
                        tokens.insert(role, token);
                    }
                    if access == Access::Public {
                        // Public routes judge credentials in the body (login, refresh).
                        assert!(
                            status != 403 && status < 500,
                            "{role} on {method} {path}: {status}"
                        );
                    } else if allowed(access, role) {
                        assert!(
                            ![401, 403].contains(&status),
                            "{role} should reach {method} {path}, got {status}"
                        );
                    } else {
                        let expected = if role == "anonymous" { 401 } else { 403 };
                        assert_eq!(status, expected, "{role} on {method} {path}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(
            checked >= 86 * ROLES.len(),
            "only {checked} checks: did the spec lose routes?"
        );
    }
);
