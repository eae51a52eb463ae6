//! The read API, end to end over HTTP, on SQLite and on PostgreSQL.

use inservice_e2e::{Backend, TestApp, both_databases};
use serde_json::Value;

fn assert_problem(body: &Value, status: u16, code: &str) {
    assert_eq!(body["status"], status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["type"], format!("urn:inservice:problem:{code}"));
    assert!(
        body["title"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
    assert!(
        body["detail"].as_str().is_some_and(|t| !t.is_empty()),
        "{body}"
    );
}

fn error_fields(body: &Value) -> Vec<&str> {
    body["errors"]
        .as_array()
        .map(|a| a.iter().filter_map(|e| e["field"].as_str()).collect())
        .unwrap_or_default()
}

async fn problem(app: &TestApp, path: &str, status: u16) -> Value {
    let response = app.get(path).await;
    assert_eq!(response.status().as_u16(), status, "GET {path}");
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json", "GET {path}");
    response.json().await.unwrap()
}

both_databases!(
    health_reports_the_database_and_a_request_id,
    |app: TestApp| async move {
        let response = app.get("/api/v1/health").await;
        assert_eq!(response.status(), 200);
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_owned();
        assert_eq!(id.len(), 36, "a generated UUID: {id}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["database"]["status"], "ok");
        assert_eq!(body["database"]["pending_migrations"], 0);
        let engine = if app.backend == Backend::Sqlite {
            "sqlite"
        } else {
            "postgresql"
        };
        assert_eq!(body["database"]["engine"], engine);

        let traced = app
            .client
            .get(app.url("/api/v1/health"))
            .header("x-request-id", "partner-42")
            .send()
            .await
            .unwrap();
        assert_eq!(traced.headers()["x-request-id"], "partner-42");
        let hostile = app
            .client
            .get(app.url("/api/v1/health"))
            .header("x-request-id", "<script>")
            .send()
            .await
            .unwrap();
        assert_ne!(hostile.headers()["x-request-id"], "<script>");
    }
);

both_databases!(
    junior_high_taxonomy_has_every_item_of_the_reference_table,
    |app: TestApp| async move {
        let body = app
            .get_json("/api/v1/taxonomy?stage=junior_high", 200)
            .await;
        assert_eq!(body["stage_label"], "國民中學");
        assert_eq!(body["item_count"], 118);
        let categories = body["categories"].as_array().unwrap();
        assert_eq!(categories.len(), 6);
        let subcategories: Vec<&Value> = categories
            .iter()
            .flat_map(|c| c["subcategories"].as_array().unwrap())
            .collect();
        assert_eq!(subcategories.len(), 23);
        let served: Vec<(String, String)> = subcategories
            .iter()
            .flat_map(|s| s["items"].as_array().unwrap())
            .map(|i| {
                (
                    i["code"].as_str().unwrap().to_owned(),
                    i["name"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let table = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../migrations/data/taxonomy.csv"
        ))
        .unwrap();
        let expected: Vec<(String, String)> = table
            .lines()
            .skip(1)
            .map(|line| line.split(',').collect::<Vec<_>>())
            .filter(|cols| cols[0] == "junior_high" && !cols[5].is_empty())
            .map(|cols| (cols[5].to_owned(), cols[6].to_owned()))
            .collect();
        assert_eq!(served, expected);
        assert!(
            categories[5]["subcategories"]
                .as_array()
                .unwrap()
                .is_empty(),
            "category 6 is not subdivided"
        );
    }
);

both_databases!(
    every_stage_has_its_documented_item_count,
    |app: TestApp| async move {
        for (stage, items) in [
            ("kindergarten", 135),
            ("elementary", 118),
            ("junior_high", 118),
            ("senior_high", 121),
        ] {
            let body = app
                .get_json(&format!("/api/v1/taxonomy?stage={stage}"), 200)
                .await;
            assert_eq!(body["item_count"], items, "{stage}");
        }
    }
);

both_databases!(
    a_missing_or_unknown_stage_is_a_field_error,
    |app: TestApp| async move {
        let body = problem(&app, "/api/v1/taxonomy", 400).await;
        assert_problem(&body, 400, "validation_failed");
        assert_eq!(body["errors"][0]["field"], "stage");
        assert_eq!(body["errors"][0]["code"], "required");
        let body = problem(&app, "/api/v1/taxonomy?stage=college", 400).await;
        assert_eq!(body["errors"][0]["code"], "invalid_stage");
    }
);

both_databases!(
    counties_are_the_22_in_official_order,
    |app: TestApp| async move {
        let body = app.get_json("/api/v1/counties", 200).await;
        assert_eq!(body["total"], 22);
        assert_eq!(body["items"][0]["code"], "63000");
        assert_eq!(body["items"][0]["name"], "臺北市");
        assert_eq!(body["items"][21]["name"], "連江縣");
    }
);

both_databases!(
    units_filter_by_county_kind_and_name,
    |app: TestApp| async move {
        let bureaus = app
            .get_json("/api/v1/units?kind=county_bureau&per_page=100", 200)
            .await;
        assert_eq!(bureaus["total"], 22);
        assert!(
            bureaus["items"]
                .as_array()
                .unwrap()
                .iter()
                .all(|u| u["is_regional_centre"] == true)
        );

        let taipei = app.get_json("/api/v1/units?county=63000", 200).await;
        let names: Vec<&str> = taipei["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"臺北市政府教育局"), "{names:?}");
        assert!(
            names.contains(&"臺北市立示範國民中學"),
            "demo school: {names:?}"
        );

        // People type 台 for the official 臺.
        let informal = app.get_json("/api/v1/units?name=台北市政府", 200).await;
        assert_eq!(informal["total"], 1);
        assert_eq!(informal["items"][0]["code"], "bureau-63000");

        let combined = app
            .get_json(
                "/api/v1/units?county=64000&kind=county_bureau&name=教育局",
                200,
            )
            .await;
        assert_eq!(combined["total"], 1);
        assert_eq!(combined["items"][0]["county"]["name"], "高雄市");

        let wildcard = app.get_json("/api/v1/units?name=%25", 200).await;
        assert_eq!(wildcard["total"], 0, "a % in the keyword is literal");

        let divisions = app.get_json("/api/v1/units?kind=k12_division", 200).await;
        assert_eq!(divisions["total"], 5);
        assert!(divisions["items"][0]["county"].is_null());
    }
);

both_databases!(units_are_paginated, |app: TestApp| async move {
    let first = app.get_json("/api/v1/units?per_page=5", 200).await;
    let second = app.get_json("/api/v1/units?per_page=5&page=2", 200).await;
    assert_eq!(first["items"].as_array().unwrap().len(), 5);
    assert_eq!(second["page"], 2);
    assert_eq!(first["total"], second["total"]);
    assert_ne!(first["items"][0]["code"], second["items"][0]["code"]);
    let total = first["total"].as_u64().unwrap();
    assert_eq!(
        total,
        9 + 22 + 7 + 2 * 22,
        "central units, bureaus, demo units and two demo schools per county"
    );
    let beyond = app.get_json("/api/v1/units?per_page=5&page=100", 200).await;
    assert!(beyond["items"].as_array().unwrap().is_empty());
    assert_eq!(beyond["total"], total);
    // A page so far out that its offset passes what a database counts in 64 bits is empty too.
    for list in ["units", "courses"] {
        let absurd = app
            .get_json(
                &format!("/api/v1/{list}?per_page=100&page={}", u64::MAX),
                200,
            )
            .await;
        assert!(absurd["items"].as_array().unwrap().is_empty(), "{list}");
    }
});

both_databases!(
    bad_unit_queries_report_every_field,
    |app: TestApp| async move {
        let body = problem(
            &app,
            "/api/v1/units?county=Taipei&kind=school&page=0&per_page=500",
            400,
        )
        .await;
        assert_problem(&body, 400, "validation_failed");
        assert_eq!(error_fields(&body), ["county", "kind", "page", "per_page"]);
        let body = problem(&app, "/api/v1/units?page=abc", 400).await;
        assert_eq!(body["errors"][0]["code"], "not_an_integer");
        let long = "校".repeat(101);
        let body = problem(&app, &format!("/api/v1/units?name={long}"), 400).await;
        assert_eq!(error_fields(&body), ["name"]);
    }
);

both_databases!(a_unit_is_read_by_code, |app: TestApp| async move {
    let unit = app.get_json("/api/v1/units/bureau-10002", 200).await;
    assert_eq!(unit["name"], "宜蘭縣政府教育處");
    assert_eq!(unit["kind"], "county_bureau");
    assert_eq!(unit["kind_label"], "縣市政府教育局(處)");
    assert_eq!(unit["county"]["code"], "10002");
    let division = app.get_json("/api/v1/units/k12ea-preschool", 200).await;
    assert_eq!(division["parent_code"], "k12ea");
    let missing = problem(&app, "/api/v1/units/no-such-unit", 404).await;
    assert_problem(&missing, 404, "unit_not_found");
    let malformed = problem(&app, "/api/v1/units/bad%20code", 400).await;
    assert_eq!(error_fields(&malformed), ["code"]);
});

both_databases!(
    levels_form_options_and_tags_are_served,
    |app: TestApp| async move {
        let levels = app.get_json("/api/v1/levels", 200).await;
        assert_eq!(levels["total"], 4);
        assert_eq!(levels["items"][0]["name"], "第一階基礎");
        assert_eq!(levels["items"][3]["verbs"], "創新、推廣");

        let form = app.get_json("/api/v1/course-form/options", 200).await;
        let fields = form["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 26);
        assert_eq!(fields[0]["name"], "班別類別");
        assert_eq!(fields[0]["options"].as_array().unwrap().len(), 8);
        assert_eq!(fields[14]["field_no"], 15);
        assert_eq!(fields[14]["input_kind"], "multi");
        assert_eq!(fields[14]["options"].as_array().unwrap().len(), 17);
        assert_eq!(fields[8]["input_kind"], "text");
        assert!(fields[8]["options"].as_array().unwrap().is_empty());
        let sections: Vec<&str> = fields
            .iter()
            .map(|f| f["section"].as_str().unwrap())
            .collect();
        assert_eq!(sections.iter().filter(|s| **s == "course").count(), 13);
        assert_eq!(sections.iter().filter(|s| **s == "registration").count(), 7);

        let active = app.get_json("/api/v1/tags", 200).await;
        let names: Vec<&str> = active["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert!(names.contains(&"國際教育") && names.contains(&"媒體素養"));
        assert!(
            !names.contains(&"教專評鑑") && !names.contains(&"SDGs"),
            "retired tags are not offered"
        );
        assert!(
            !names.contains(&"有效教學"),
            "implicit candidates are not tags"
        );
        let retired = app.get_json("/api/v1/tags?status=retired", 200).await;
        assert_eq!(retired["total"], 2);
        let all = app.get_json("/api/v1/tags?status=all", 200).await;
        assert_eq!(all["total"], 23);
        let digital = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "精進數位")
            .unwrap();
        assert_eq!(digital["added_on"], "2023-02-01");
        assert_eq!(
            digital["definition_updated_on"],
            serde_json::json!(["2023-08-08", "2024-08-01"])
        );
        let bad = problem(&app, "/api/v1/tags?status=old", 400).await;
        assert_eq!(error_fields(&bad), ["status"]);
    }
);

both_databases!(
    unknown_routes_are_problems_with_security_headers,
    |app: TestApp| async move {
        let body = problem(&app, "/api/v1/no-such-thing", 404).await;
        assert_problem(&body, 404, "route_not_found");
        let response = app.get("/api/v1/counties").await;
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["x-frame-options"], "DENY");
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"),
            "{csp}"
        );
        assert!(
            headers.get("strict-transport-security").is_none(),
            "no HSTS in development"
        );
        let posted = app
            .client
            .post(app.url("/api/v1/counties"))
            .send()
            .await
            .unwrap();
        assert!(posted.status().is_client_error());
        assert_eq!(posted.headers()["content-type"], "application/problem+json");
    }
);

both_databases!(cors_allows_only_listed_origins, |app: TestApp| async move {
    let preflight = |origin: &'static str| {
        app.client
            .request(reqwest::Method::OPTIONS, app.url("/api/v1/counties"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let allowed = preflight("https://partner.example.tw").await.unwrap();
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://partner.example.tw"
    );
    let refused = preflight("https://evil.example.com").await.unwrap();
    assert!(
        refused
            .headers()
            .get("access-control-allow-origin")
            .is_none()
    );
});

both_databases!(
    the_api_documents_itself_offline,
    |app: TestApp| async move {
        let served = app.get_json("/api/v1/openapi.json", 200).await;
        let generated: Value = serde_json::from_str(&inservice_api::openapi_json()).unwrap();
        assert_eq!(served, generated);
        let redirect = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
            .get(app.url("/api/docs"))
            .send()
            .await
            .unwrap();
        assert_eq!(redirect.status(), 308);
        let page = app.get("/api/docs/").await;
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        assert!(html.contains("swagger-ui-bundle.js"));
        assert!(!html.contains("https://"), "no asset comes from a CDN");
        let bundle = app.get("/api/docs/swagger-ui-bundle.js").await;
        assert_eq!(bundle.status(), 200);
        assert!(bundle.bytes().await.unwrap().len() > 100_000);
    }
);
