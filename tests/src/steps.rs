//! Steps many suites repeat, as calls on a [`UserClient`] or the [`TestApp`]: publishing the
//! standard course, enrolling, attendance, the roster, the teacher's records.

use serde_json::{Value, json};

use crate::TestApp;
use crate::client::UserClient;
use crate::courses::course_form;

/// The demo school the standard courses belong to.
pub const DEMO_SCHOOL: &str = "demo-jh-taipei";

impl TestApp {
    /// Seeds the demo accounts and the demo courses; returns how many courses were written.
    pub async fn seed_demo_accounts_and_courses(&self) -> usize {
        self.seed_demo_accounts().await;
        self.seed_demo_courses().await
    }

    /// Has `school.operator` register `form` for [`DEMO_SCHOOL`] and `taipei.reviewer` approve
    /// it (the demo accounts must be seeded); returns its code.
    pub async fn demo_published(&self, form: &Value) -> i64 {
        let operator = self.as_user("school.operator").await;
        let reviewer = self.as_user("taipei.reviewer").await;
        operator.publish_course(DEMO_SCHOOL, &reviewer, form).await
    }

    /// [`TestApp::demo_published`] of the standard [`course_form`] named `name`.
    pub async fn demo_course(&self, name: &str) -> i64 {
        self.demo_published(&course_form(name)).await
    }

    /// Enrolls each client's teacher in a course (asserting a place).
    pub async fn enroll_each(&self, code: i64, clients: &[&UserClient<'_>]) {
        for client in clients {
            let body = client
                .post_ok(
                    format!("/api/v1/courses/{code}/enrollments"),
                    json!({}),
                    201,
                )
                .await;
            assert_eq!(body["status"], "enrolled");
        }
    }
}

impl UserClient<'_> {
    /// Registers a course for `unit` and returns it (asserting 201).
    pub async fn create_course(&self, unit: &str, form: &Value) -> Value {
        self.post_ok(format!("/api/v1/units/{unit}/courses"), form, 201)
            .await
    }

    /// POSTs `/api/v1/courses/{code}/{action}` with `body`.
    pub async fn course_action(&self, code: i64, action: &str, body: &Value) -> (u16, Value) {
        self.post(format!("/api/v1/courses/{code}/{action}"), body)
            .await
    }

    /// Registers `form` for `unit`, submits it and has `reviewer` approve it (when it needs
    /// review); returns its code.
    pub async fn publish_course(&self, unit: &str, reviewer: &UserClient<'_>, form: &Value) -> i64 {
        self.app()
            .published_course(self.token(), unit, reviewer.token(), form)
            .await
    }

    /// Enrolls in course `code`, asking for the waiting list when full if `wait`.
    pub async fn enroll(&self, code: i64, wait: bool) -> (u16, Value) {
        self.post(
            format!("/api/v1/courses/{code}/enrollments"),
            json!({"join_waiting_list": wait}),
        )
        .await
    }

    /// The course's attendance sheet (asserting 200).
    pub async fn attendance(&self, code: i64) -> Value {
        self.get_ok(format!("/api/v1/courses/{code}/attendance"), 200)
            .await
    }

    /// Saves attendance `entries` of course `code`.
    pub async fn save_attendance(&self, code: i64, entries: Value) -> (u16, Value) {
        self.put(
            format!("/api/v1/courses/{code}/attendance"),
            json!({ "entries": entries }),
        )
        .await
    }

    /// Submits the roster of course `code`.
    pub async fn submit_roster(&self, code: i64) -> (u16, Value) {
        self.post(format!("/api/v1/courses/{code}/roster/submit"), json!({}))
            .await
    }

    /// Confirms the roster of course `code`.
    pub async fn confirm_roster(&self, code: i64) -> (u16, Value) {
        self.post(format!("/api/v1/courses/{code}/roster/confirm"), json!({}))
            .await
    }

    /// The signed-in teacher's record page (asserting 200).
    pub async fn records(&self) -> Value {
        self.get_ok("/api/v1/me/records", 200).await
    }
}
