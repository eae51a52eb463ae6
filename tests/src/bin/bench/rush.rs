//! The registration rush: thousands of teachers press 「我要報名」 at the same moment, for one
//! popular course and spread over a hundred courses. Reports answers per second and latency,
//! and checks nothing was oversold.

use std::sync::Arc;
use std::time::{Duration, Instant};

use inservice_e2e::TestApp;
use inservice_e2e::courses::course_form;
use serde_json::{Value, json};

use crate::Result;

const UNIT: &str = "demo-jh-taipei";

/// One answer: how long it took, its status and its body.
type Answer = (Duration, u16, Value);

/// What one wave of simultaneous enrollments did.
struct Wave {
    elapsed: Duration,
    times: Vec<Duration>,
    enrolled: usize,
    waiting: usize,
    other: usize,
}

impl Wave {
    fn ms(&self, percentile: usize) -> f64 {
        let rank = (self.times.len() * percentile).div_ceil(100).max(1);
        self.times[rank - 1].as_secs_f64() * 1000.0
    }

    fn print(&self, label: &str) {
        println!(
            "{label}: {} answers in {:.2} s = {:.0}/s; min {:.1} ms, p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; \
             {} enrolled, {} waiting, {} other",
            self.times.len(),
            self.elapsed.as_secs_f64(),
            self.times.len() as f64 / self.elapsed.as_secs_f64(),
            self.times[0].as_secs_f64() * 1000.0,
            self.ms(50),
            self.ms(95),
            self.ms(99),
            self.ms(100),
            self.enrolled,
            self.waiting,
            self.other
        );
    }
}

/// The organiser's and the reviewer's tokens (logging in for every course would meet the
/// login rate limit).
struct Staff {
    operator: String,
    reviewer: String,
}

/// Publishes a course of `places` places; returns its code.
async fn course(app: &TestApp, staff: &Staff, name: &str, places: u32) -> i64 {
    let mut form = course_form(name);
    form["places_per_class"] = json!(places);
    app.published_course(&staff.operator, UNIT, &staff.reviewer, &form)
        .await
}

/// Every teacher enrolls in `codes[i % codes.len()]` at once (joining the waiting list when
/// full); every answer must be 201. The requests come from a runtime and an HTTP client of
/// their own, as from browsers elsewhere: sharing the server's runtime would make the client
/// compete with the server's database I/O and measure that instead.
async fn wave(app: &Arc<TestApp>, tokens: &[String], codes: &[i64]) -> Result<Wave> {
    let requests: Vec<(String, String)> = tokens
        .iter()
        .enumerate()
        .map(|(index, token)| {
            let code = codes[index % codes.len()];
            (
                app.url(&format!("/api/v1/courses/{code}/enrollments")),
                token.clone(),
            )
        })
        .collect();
    let client_side = std::thread::spawn(move || -> Result<(Duration, Vec<Answer>)> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()?;
        runtime.block_on(async move {
            let client = reqwest::Client::new();
            let start = Arc::new(tokio::sync::Barrier::new(requests.len() + 1));
            let mut tasks = Vec::with_capacity(requests.len());
            for (url, token) in requests {
                let (client, start) = (client.clone(), start.clone());
                tasks.push(tokio::spawn(async move {
                    start.wait().await;
                    let started = Instant::now();
                    let response = client
                        .post(&url)
                        .bearer_auth(&token)
                        .json(&json!({"join_waiting_list": true}))
                        .send()
                        .await;
                    let (status, body) = match response {
                        Ok(r) => (
                            r.status().as_u16(),
                            r.json::<Value>().await.unwrap_or_default(),
                        ),
                        Err(e) => (0, Value::String(e.to_string())),
                    };
                    (started.elapsed(), status, body)
                }));
            }
            start.wait().await;
            let began = Instant::now();
            let mut answers = Vec::with_capacity(tasks.len());
            for task in tasks {
                answers.push(task.await?);
            }
            Ok((began.elapsed(), answers))
        })
    });
    let (elapsed, answers) = tokio::task::spawn_blocking(move || client_side.join())
        .await?
        .map_err(|_| "the client thread panicked")??;
    if let Some((_, status, body)) = answers.iter().find(|(_, s, _)| *s != 201) {
        Err(format!("an enrollment answered {status}: {body}"))?;
    }
    let count = |state: &str| {
        answers
            .iter()
            .filter(|(_, _, b)| b["status"] == state)
            .count()
    };
    let (enrolled, waiting) = (count("enrolled"), count("waiting"));
    let mut times: Vec<Duration> = answers.iter().map(|(t, _, _)| *t).collect();
    times.sort();
    Ok(Wave {
        elapsed,
        times,
        enrolled,
        waiting,
        other: answers.len() - enrolled - waiting,
    })
}

/// Checks that a course took exactly the places it should: all of them, never more.
async fn taken_exactly(app: &TestApp, code: i64, places: u64) -> Result<()> {
    let page = app.get_json(&format!("/api/v1/courses/{code}"), 200).await;
    let taken = page["capacity"].as_u64().unwrap_or(0) - page["places_left"].as_u64().unwrap_or(0);
    if taken != places {
        Err(format!(
            "course {code} holds {taken} places, expected {places}"
        ))?;
    }
    Ok(())
}

pub async fn run(app: Arc<TestApp>, teachers: usize) -> Result<()> {
    println!(
        "\nregistration rush: {teachers} teachers press 「我要報名」 at once (HTTP, keep-alive)"
    );
    let made = Instant::now();
    let tokens: Vec<String> = app
        .teachers(teachers, UNIT, "15-4")
        .await
        .into_iter()
        .map(|(_, token)| token)
        .collect();
    println!(
        "({teachers} teacher accounts made in {:.1} s)",
        made.elapsed().as_secs_f64()
    );

    let staff = Staff {
        operator: app.demo_token("school.operator").await,
        reviewer: app.demo_token("taipei.reviewer").await,
    };
    let places = (teachers / 6).max(1) as u32;
    let hot = course(&app, &staff, "熱門研習（搶報基準）", places).await;
    let one = wave(&app, &tokens, &[hot]).await?;
    one.print(&format!("one course, {places} places"));
    if one.enrolled != places as usize {
        Err(format!("{} enrolled for {places} places", one.enrolled))?;
    }
    taken_exactly(&app, hot, u64::from(places)).await?;

    // The same teachers again, now spread over a hundred courses of 10 places each.
    let mut codes = Vec::with_capacity(100);
    for i in 0..100 {
        codes.push(course(&app, &staff, &format!("分散搶報基準 {i}"), 10).await);
    }
    let spread = wave(&app, &tokens, &codes).await?;
    spread.print("100 courses, 10 places each");
    // Course k gets the teachers k, k + 100, k + 200, …
    let wanted = |k: usize| (teachers + 99 - k) / 100;
    let expected: usize = (0..codes.len()).map(|k| wanted(k).min(10)).sum();
    if spread.enrolled != expected {
        Err(format!(
            "{} enrolled for {expected} places",
            spread.enrolled
        ))?;
    }
    for (k, code) in codes.iter().enumerate() {
        taken_exactly(&app, *code, wanted(k).min(10) as u64).await?;
    }
    Ok(())
}
