//! The committed `openapi/openapi.json` must be exactly what the code generates, and document
//! every field and every operation.

use serde_json::Value;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[test]
fn the_committed_spec_matches_the_code() {
    let generated = inservice_api::openapi_json();
    assert!(
        COMMITTED == generated,
        "openapi/openapi.json is out of date: run `make openapi` and commit the result"
    );
}

#[test]
fn every_operation_and_schema_property_is_documented() {
    let spec: Value = serde_json::from_str(COMMITTED).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(
                operation["summary"].is_string() || operation["description"].is_string(),
                "{method} {path}"
            );
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.keys().any(|s| s.starts_with('5')),
                "{method} {path} documents no 5xx"
            );
        }
    }
    for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
        for (field, property) in schema["properties"].as_object().into_iter().flatten() {
            let documented = property["description"].is_string()
                || property["oneOf"]
                    .as_array()
                    .is_some_and(|v| v.iter().any(|s| s["description"].is_string()));
            assert!(documented, "{name}.{field} has no description");
        }
    }
}

/// Every request passes the input guard and the extractors, which answer 400 (and, for JSON
/// bodies over 1 MB, 413) before any handler: every operation documents them (found by
/// `make fuzz`), and upload bodies are bytes, not JSON arrays of numbers.
#[test]
fn every_operation_documents_malformed_requests() {
    let spec: Value = serde_json::from_str(COMMITTED).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(
                responses.contains_key("400"),
                "{method} {path} documents no 400"
            );
            let content = operation["requestBody"]["content"].as_object();
            for (media, body) in content.into_iter().flatten() {
                if media.ends_with("json") {
                    assert!(
                        responses.contains_key("413"),
                        "{method} {path} documents no 413"
                    );
                } else if media != "text/csv" {
                    assert_eq!(body["schema"]["type"], "string", "{method} {path} {media}");
                    assert_eq!(
                        body["schema"]["format"], "binary",
                        "{method} {path} {media}"
                    );
                }
            }
        }
    }
}
