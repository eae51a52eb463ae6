//! Course forms and calls shared by the course tests.

use chrono::{Duration, Utc};
use serde_json::{Value, json};

use crate::TestApp;

/// A date `days` from today (Taiwan time), `YYYY-MM-DD`.
pub fn day(days: i64) -> String {
    let taipei = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    (Utc::now().with_timezone(&taipei).date_naive() + Duration::days(days)).to_string()
}

/// A complete course form: a junior-high science workshop three weeks ahead, registration open
/// from yesterday until a week before, six hours in two sessions, 40 places.
pub fn course_form(name: &str) -> Value {
    json!({
        "class_type": "1-1",
        "nature": "2-1",
        "document_number": "北市教師字第1150000001號",
        "name": name,
        "tag_ids": [],
        "subject_area": "J0402",
        "category": "1",
        "items": ["1-1-1"],
        "level": 2,
        "instructor_name": "陳老師",
        "instructor_kind": "8-2",
        "outline": "以實作引導教師設計素養導向的理化實驗課程，並分享評量規準。",
        "modes": ["11-1", "11-3"],
        "time_slots": ["12-3"],
        "hours": 6,
        "target_stages": ["14-3"],
        "target_titles": ["15-4", "15-5"],
        "registration_opens_at": format!("{}T09:00", day(-1)),
        "registration_closes_at": format!("{}T17:00", day(14)),
        "sessions": [
            {"date": day(21), "starts_at": "09:00", "ends_at": "12:00"},
            {"date": day(21), "starts_at": "13:00", "ends_at": "16:00"}
        ],
        "venue": "臺北市立示範國民中學 自然教室",
        "funding_sources": ["21-7"],
        "fee_kind": "22-3",
        "classes": 1,
        "places_per_class": 40,
        "contacts": [{"name": "王承辦", "phone": "02-2345-6789", "email": "office@school.example.tw"}],
        "feedback": "26-1"
    })
}

impl TestApp {
    /// Registers a course for `unit` and returns it (asserting 201).
    pub async fn create_course(&self, token: &str, unit: &str, form: &Value) -> Value {
        let (status, course) = self
            .post_json(&format!("/api/v1/units/{unit}/courses"), form, Some(token))
            .await;
        assert_eq!(status, 201, "create course: {course}");
        course
    }

    /// POSTs `/api/v1/courses/{code}/{action}` with `body`.
    pub async fn course_action(
        &self,
        token: &str,
        code: i64,
        action: &str,
        body: &Value,
    ) -> (u16, Value) {
        self.post_json(
            &format!("/api/v1/courses/{code}/{action}"),
            body,
            Some(token),
        )
        .await
    }

    /// Registers, submits and has the reviewer approve a course; returns its code.
    pub async fn published_course(
        &self,
        organiser: &str,
        unit: &str,
        reviewer: &str,
        form: &Value,
    ) -> i64 {
        let course = self.create_course(organiser, unit, form).await;
        let code = course["code"].as_i64().expect("a course code");
        let (status, submitted) = self
            .course_action(organiser, code, "submit", &json!({}))
            .await;
        assert_eq!(status, 200, "submit: {submitted}");
        if submitted["review"]["state"] == "submitted" {
            let (status, approved) = self
                .course_action(reviewer, code, "approve", &json!({}))
                .await;
            assert_eq!(status, 200, "approve: {approved}");
        }
        code
    }
}

impl TestApp {
    /// Moves a course's two sessions (09–12, 13–16) to `days_ago` days before today and closes
    /// its registration, so its roster can be worked on (the API never dates a course in the
    /// past).
    pub async fn end_course(&self, code: i64, days_ago: i64) {
        let d = day(-days_ago);
        self.execute(&format!(
            "UPDATE courses SET sessions = '[[\"{d}\",\"09:00\",\"12:00\"],[\"{d}\",\"13:00\",\"16:00\"]]', \
             start_date = '{d}', end_date = '{d}', registration_closes_at = registration_opens_at \
             WHERE id = {code}"
        ))
        .await;
    }

    /// Enrolls each token's teacher in a course (asserting a place).
    pub async fn enroll_all(&self, code: i64, tokens: &[&str]) {
        for token in tokens {
            let (status, body) = self
                .post_json(
                    &format!("/api/v1/courses/{code}/enrollments"),
                    &serde_json::json!({}),
                    Some(token),
                )
                .await;
            assert_eq!(status, 201, "enroll: {body}");
            assert_eq!(body["status"], "enrolled");
        }
    }
}
