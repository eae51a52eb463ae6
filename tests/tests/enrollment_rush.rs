//! A registration rush: 2,000 teachers press the button at the same moment for 40 places.
//! Exactly 40 get one, nobody gets two, nothing fails with a 5xx, and withdrawals move the
//! waiting list up in its order. On SQLite and on PostgreSQL.

use std::sync::Arc;

use inservice_e2e::courses::course_form;
use inservice_e2e::{TestApp, both_databases};
use serde_json::{Value, json};

const TEACHERS: usize = 2000;
const PLACES: u32 = 40;

both_databases!(
    two_thousand_teachers_rush_forty_places,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let reviewer = app.demo_token("taipei.reviewer").await;
        let mut form = course_form("熱門研習（搶報）");
        form["places_per_class"] = json!(PLACES);
        let code = app
            .published_course(&operator, "demo-jh-taipei", &reviewer, &form)
            .await;
        let teachers = app.teachers(TEACHERS, "demo-jh-taipei", "15-4").await;
        let app = Arc::new(app);
        let start = Arc::new(tokio::sync::Barrier::new(TEACHERS));
        let mut tasks = Vec::with_capacity(TEACHERS);
        for (index, (_, token)) in teachers.iter().cloned().enumerate() {
            let (app, start) = (app.clone(), start.clone());
            tasks.push(tokio::spawn(async move {
                start.wait().await;
                // Half ask for the waiting list, half do not.
                let body = json!({"join_waiting_list": index % 2 == 0});
                app.post_json(
                    &format!("/api/v1/courses/{code}/enrollments"),
                    &body,
                    Some(&token),
                )
                .await
            }));
        }
        let mut answers = Vec::with_capacity(TEACHERS);
        for task in tasks {
            answers.push(task.await.expect("the request task"));
        }
        let count = |status: u16, state: &str| {
            answers
                .iter()
                .filter(|(s, body)| {
                    *s == status
                        && (state.is_empty() || body["status"] == state || body["code"] == state)
                })
                .count()
        };
        let enrolled = count(201, "enrolled");
        let waiting = count(201, "waiting");
        let full = count(409, "course_full");
        assert!(answers.iter().all(|(s, _)| *s < 500), "no 5xx");
        assert_eq!(enrolled, PLACES as usize, "exactly the places");
        assert_eq!(
            enrolled + waiting + full,
            TEACHERS,
            "every other answer is waiting or full"
        );
        assert_eq!(
            waiting,
            TEACHERS / 2
                - answers
                    .iter()
                    .enumerate()
                    .filter(|(i, (s, b))| i % 2 == 0 && *s == 201 && b["status"] == "enrolled")
                    .count()
        );

        let page = app.get_json(&format!("/api/v1/courses/{code}"), 200).await;
        assert_eq!(page["places_left"], 0);
        let (_, list) = app
            .get_authed(
                &format!("/api/v1/courses/{code}/enrollments?per_page=1"),
                &operator,
            )
            .await;
        assert_eq!(list["counts"]["enrolled"], PLACES);
        assert_eq!(list["taken"], PLACES);
        assert_eq!(
            list["total"].as_u64().unwrap() as usize,
            enrolled + waiting,
            "one row per teacher"
        );

        // Five enrolled teachers withdraw: the first five on the waiting list move up.
        let mut queue: Vec<(u64, usize)> = answers
            .iter()
            .enumerate()
            .filter(|(_, (s, b))| *s == 201 && b["status"] == "waiting")
            .map(|(i, (_, b))| (b["position"].as_u64().unwrap(), i))
            .collect();
        queue.sort_unstable();
        let positions: Vec<u64> = queue.iter().map(|(p, _)| *p).collect();
        assert_eq!(
            positions,
            (1..=waiting as u64).collect::<Vec<_>>(),
            "positions 1..n, no gaps"
        );
        let leavers: Vec<(i64, &String)> = answers
            .iter()
            .zip(&teachers)
            .filter(|((s, b), _)| *s == 201 && b["status"] == "enrolled")
            .take(5)
            .map(|((_, b), (_, token))| (b["id"].as_i64().unwrap(), token))
            .collect();
        for (id, token) in &leavers {
            let (status, _) = app
                .post_json(
                    &format!("/api/v1/enrollments/{id}/withdraw"),
                    &json!({}),
                    Some(token),
                )
                .await;
            assert_eq!(status, 200);
        }
        for (position, index) in &queue {
            let (_, mine) = app
                .get_authed("/api/v1/me/enrollments", &teachers[*index].1)
                .await;
            let promoted = mine["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["course"]["code"] == code && e["status"] == "enrolled");
            assert_eq!(
                promoted,
                *position <= 5,
                "waiting #{position} promoted: {promoted}"
            );
            if *position > 8 {
                break;
            }
        }
        let page: Value = app.get_json(&format!("/api/v1/courses/{code}"), 200).await;
        assert_eq!(page["places_left"], 0);
    }
);
