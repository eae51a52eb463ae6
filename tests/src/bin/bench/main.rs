//! `make bench`: public course search over 100,000 generated courses on PostgreSQL.
//!
//! Starts the real server over a fresh database (dropped at the end), adds a thousand schools
//! through the directory import, generates the courses, then times typical searches through HTTP
//! one request at a time, as a teacher's browser sends them.
//!
//! Then the registration rush (rush.rs): thousands of teachers enroll at the same moment in one
//! popular course, then spread over a hundred courses.
//!
//! Then the partner exchange (exchange.rs): a 200,000-record batch, its retrieval, and a
//! 1,000,000-row file with the peak memory.
//!
//! Options: `--courses N` (100000), `--requests N` per query (200, after 20 to warm up),
//! `--explain` (the full plans of every query), `--keep` (leave the database for psql),
//! `--rush N` teachers (3000; 0 skips the rush), `--no-search` (skip the search),
//! `--exchange N` records (200000; 0 skips the exchange), `--exchange-file N` rows (1000000; 0
//! skips the large file).

mod exchange;
mod rush;

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use chrono::{FixedOffset, Utc};
use inservice_e2e::{Backend, TestApp};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};
use serde_json::Value;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error + Send + Sync>>;

struct Options {
    courses: usize,
    requests: usize,
    explain: bool,
    keep: bool,
    rush: usize,
    search: bool,
    exchange: usize,
    exchange_file: usize,
}

fn options() -> Result<Options> {
    let mut options = Options {
        courses: 100_000,
        requests: 200,
        explain: false,
        keep: false,
        rush: 3000,
        search: true,
        exchange: 200_000,
        exchange_file: 1_000_000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = || args.next().and_then(|n| n.parse().ok()).filter(|n| *n > 0);
        match arg.as_str() {
            "--courses" => options.courses = number().ok_or("--courses needs a count")?,
            "--requests" => options.requests = number().ok_or("--requests needs a count")?,
            "--explain" => options.explain = true,
            "--keep" => options.keep = true,
            "--no-search" => options.search = false,
            "--exchange" => {
                options.exchange = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--exchange needs a count (0 skips the exchange)")?
            }
            "--exchange-file" => {
                options.exchange_file = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--exchange-file needs a count (0 skips the large file)")?
            }
            "--rush" => {
                options.rush = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--rush needs a count (0 skips the rush)")?
            }
            _ => Err(format!(
                "unknown argument {arg:?}; use --courses N, --requests N, --explain, --keep, \
                 --rush N, --no-search, --exchange N, --exchange-file N"
            ))?,
        }
    }
    Ok(options)
}

/// Typical school kinds, in roughly the proportions of the MOE directory without the
/// kindergartens' long tail: (kind, code part, name suffix, share out of 20).
const KINDS: [(&str, &str, &str, usize); 4] = [
    ("elementary", "es", "國民小學", 11),
    ("junior_high", "jh", "國民中學", 4),
    ("kindergarten", "kg", "幼兒園", 3),
    ("senior_high", "sh", "高級中學", 2),
];

/// 23 names, coprime with the 20-school kind cycle, so a county rarely repeats a school name.
const STEMS: [&str; 23] = [
    "中正", "中山", "仁愛", "信義", "民生", "光復", "復興", "忠孝", "和平", "文化", "大同", "建國",
    "成功", "自強", "育英", "博愛", "明德", "新生", "光華", "福德", "永安", "興華", "三民",
];

const SCHOOLS: usize = 1_000;

const WARM_UP: usize = 20;

/// `CourseState::PUBLIC_STORED`: the states public search shows.
const PUBLIC: &str =
    "state IN ('approved','roster_submitted','roster_confirmed','closed','cancelled')";

/// The directory CSV of [`SCHOOLS`] schools spread evenly over the counties.
fn directory_csv(counties: &[(String, String)]) -> String {
    let mut csv = String::from("code,name,county,kind,ownership\n");
    for i in 0..SCHOOLS {
        let (county_code, county_name) = &counties[i % counties.len()];
        let n = i / counties.len();
        let mut slot = n % 20;
        let (kind, short, suffix, _) = KINDS
            .iter()
            .find(|k| {
                let hit = slot < k.3;
                slot = slot.saturating_sub(k.3);
                hit
            })
            .expect("the shares add up to 20");
        let stem = STEMS[n % STEMS.len()];
        writeln!(
            csv,
            "bench-{short}-{county_code}-{n:03},{county_name}立{stem}{suffix},{county_code},{kind},local"
        )
        .expect("writing to a String");
    }
    csv
}

/// Loads the data; returns a school and an attribute tag for the searches to name.
async fn load(app: &TestApp, options: &Options) -> Result<(String, i64)> {
    app.seed_demo_accounts().await;
    let admin = app.demo_token("centre.admin").await;
    let counties: Vec<(String, String)> = app.get_json("/api/v1/counties", 200).await["items"]
        .as_array()
        .ok_or("no county list")?
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap_or_default().into(),
                c["name"].as_str().unwrap_or_default().into(),
            )
        })
        .collect();
    let response = app
        .client
        .post(app.url("/api/v1/units/import"))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(directory_csv(&counties))
        .send()
        .await?;
    let status = response.status();
    let report: Value = response.json().await.unwrap_or_default();
    if !status.is_success() || report["added"].as_array().map(Vec::len) != Some(SCHOOLS) {
        Err(format!("unit import answered {status}: {report}"))?;
    }
    let mut units = app.db.unit_codes_like("bench-").await?;
    units.sort();
    units.extend(app.db.unit_codes_like("demo-").await?);
    let stored = app
        .db
        .generate_courses(&units, options.courses, 2026, false, Utc::now())
        .await?;
    println!(
        "loaded {SCHOOLS} schools and {stored} courses of {} units",
        units.len()
    );
    let tag = app.get_json("/api/v1/tags", 200).await["items"][0]["id"].as_i64();
    Ok((units[0].clone(), tag.ok_or("no active attribute tag")?))
}

/// One typical search: the HTTP parameters, and the SQL `search_courses` builds for them
/// (crates/persistence/src/courses/read.rs), for EXPLAIN.
struct Case {
    params: Vec<(&'static str, String)>,
    condition: String,
    order: &'static str,
    offset: u64,
}

impl Case {
    fn new(params: &[(&'static str, &str)], condition: &str) -> Case {
        Case {
            params: params.iter().map(|(k, v)| (*k, (*v).to_owned())).collect(),
            condition: condition.to_owned(),
            order: "start_date DESC",
            offset: 0,
        }
    }

    fn label(&self) -> String {
        let pairs: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        if pairs.is_empty() {
            "(no filter)".into()
        } else {
            pairs.join("&")
        }
    }

    /// The two statements of one search: the total, then the page (20 rows).
    fn sql(&self) -> [String; 2] {
        let filter = format!("{PUBLIC}{}", self.condition);
        [
            format!("SELECT COUNT(*) FROM courses WHERE {filter}"),
            format!(
                "SELECT * FROM courses WHERE {filter} ORDER BY {}, id DESC LIMIT 20 OFFSET {}",
                self.order, self.offset
            ),
        ]
    }
}

/// The keyword condition as `search_courses` writes it on PostgreSQL when no unit's name has
/// the word (true of the bench's words): the pattern, and the word's two-character pieces for
/// `idx_courses_search_bigrams`.
fn keyword(word: &str) -> String {
    let pieces: Vec<String> = inservice_domain::search::bigrams(word)
        .iter()
        .map(|p| format!("\"{p}\""))
        .collect();
    format!(
        " AND (search_text LIKE '%{word}%' ESCAPE '\\' \
         AND course_bigrams(search_text) @> CAST('{{{}}}' AS text[]))",
        pieces.join(",")
    )
}

fn cases(school: &str, tag: i64) -> Vec<Case> {
    let taipei = FixedOffset::east_opt(8 * 3600).expect("UTC+8");
    let today = Utc::now().with_timezone(&taipei).date_naive();
    let (from, to) = (
        today.to_string(),
        (today + chrono::Duration::days(30)).to_string(),
    );
    let (county, tag) = ("63000", tag.to_string());
    let mut open = Case::new(
        &[("open", "true"), ("sort", "registration_closes_at")],
        " AND state = 'approved' AND registration_opens_at <= now() AND registration_closes_at > now()",
    );
    open.order = "registration_closes_at ASC";
    let mut deep = Case::new(&[("page", "50")], "");
    deep.offset = 49 * 20;
    vec![
        Case::new(&[], ""),
        open,
        Case::new(
            &[("county", county), ("stage", "junior_high")],
            &format!(" AND county_code = '{county}' AND stage = 'junior_high'"),
        ),
        Case::new(&[("q", "閱讀")], &keyword("閱讀")),
        Case::new(&[("q", "素養導向")], &keyword("素養導向")),
        Case::new(
            &[("tag", &tag)],
            &format!(" AND id IN (SELECT course_id FROM course_tags WHERE tag_id = {tag})"),
        ),
        Case::new(
            &[("category", "1"), ("level", "2")],
            " AND category = '1' AND level = 2",
        ),
        Case::new(
            &[("mode", "digital"), ("has_places", "true")],
            " AND is_digital = true AND enrolled_count < capacity",
        ),
        Case::new(
            &[("from", &from), ("to", &to)],
            &format!(" AND end_date >= '{from}' AND start_date <= '{to}'"),
        ),
        Case::new(&[("unit", school)], &format!(" AND unit_code = '{school}'")),
        deep,
    ]
}

/// Latency of one query: the total it reports and the sorted request times.
struct Timing {
    total: u64,
    times: Vec<Duration>,
}

impl Timing {
    fn ms(&self, percentile: usize) -> f64 {
        let rank = (self.times.len() * percentile).div_ceil(100).max(1);
        self.times[rank - 1].as_secs_f64() * 1000.0
    }
}

/// Sends the search `count` times one after the other; every answer must be 200.
async fn time(app: &TestApp, case: &Case, count: usize) -> Result<Timing> {
    let url = app.url("/api/v1/courses");
    let (mut times, mut total) = (Vec::with_capacity(count), None);
    for _ in 0..count {
        let started = Instant::now();
        let response = app.client.get(&url).query(&case.params).send().await?;
        let status = response.status();
        let body = response.bytes().await?;
        times.push(started.elapsed());
        if status != 200 {
            Err(format!(
                "{} answered {status}: {}",
                case.label(),
                String::from_utf8_lossy(&body)
            ))?;
        }
        if total.is_none() {
            total = serde_json::from_slice::<Value>(&body)?["total"].as_u64();
        }
    }
    times.sort();
    let total = total.ok_or("no total in the answer")?;
    Ok(Timing { total, times })
}

/// Pads to `width` terminal columns; CJK characters take two.
fn pad(text: &str, width: usize) -> String {
    let used: usize = text
        .chars()
        .map(|c| if c >= '\u{1100}' { 2 } else { 1 })
        .sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

async fn rows(conn: &DatabaseConnection, sql: &str) -> Result<Vec<sea_orm::QueryResult>> {
    let statement = Statement::from_string(DbBackend::Postgres, sql);
    conn.query_all_raw(statement)
        .await
        .map_err(|e| format!("{sql}: {e}").into())
}

/// The first column of the first row, as text.
async fn scalar(conn: &DatabaseConnection, sql: &str) -> Result<String> {
    let rows = rows(conn, &format!("SELECT ({sql})::text AS v")).await?;
    Ok(rows.first().ok_or("no row")?.try_get("", "v")?)
}

async fn explain(conn: &DatabaseConnection, sql: &str) -> Result<Vec<String>> {
    let plan = rows(conn, &format!("EXPLAIN (ANALYZE, BUFFERS) {sql}")).await?;
    Ok(plan
        .iter()
        .map(|r| r.try_get("", "QUERY PLAN"))
        .collect::<std::result::Result<_, _>>()?)
}

async fn run(app: &TestApp, options: &Options) -> Result<()> {
    let started = Instant::now();
    let (school, tag) = load(app, options).await?;
    let sql = sea_orm::Database::connect(&app.database_url).await?;
    // A long-lived table has statistics and a visibility map (index-only scans skip the heap);
    // without this, autovacuum would bring both at some moment in the middle of the timings.
    sql.execute_unprepared("VACUUM ANALYZE").await?;
    let load_time = started.elapsed();

    let context = format!(
        "SELECT version() || E'\\n' || COUNT(*) || ' courses (' || COUNT(*) FILTER (WHERE {PUBLIC}) \
         || ' published), courses table with indexes ' \
         || pg_size_pretty(pg_total_relation_size('courses')) FROM courses"
    );
    println!("{}", scalar(&sql, &context).await?);
    println!(
        "load (schools, courses, VACUUM ANALYZE): {:.1} s",
        load_time.as_secs_f64()
    );
    println!(
        "{} sequential requests per query after {WARM_UP} to warm up, keep-alive; \
         ms per whole HTTP round trip\n",
        options.requests
    );
    println!(
        "{}  total     p50     p95     p99     max",
        pad("query", 46)
    );
    let cases = cases(&school, tag);
    let mut slowest: Option<(f64, &Case)> = None;
    for case in &cases {
        time(app, case, WARM_UP).await?;
        let t = time(app, case, options.requests).await?;
        let (p50, p95, p99, max) = (t.ms(50), t.ms(95), t.ms(99), t.ms(100));
        println!(
            "{}{:>7} {p50:>7.1} {p95:>7.1} {p99:>7.1} {max:>7.1}",
            pad(&case.label(), 46),
            t.total
        );
        if slowest.is_none_or(|(worst, _)| p50 > worst) {
            slowest = Some((p50, case));
        }
    }
    let explained: Vec<&Case> = match slowest {
        _ if options.explain => cases.iter().collect(),
        Some((_, case)) => vec![case],
        None => Vec::new(),
    };
    println!("\nEXPLAIN (ANALYZE, BUFFERS) of the slowest by p50 (--explain: of every query)");
    for case in explained {
        for statement in case.sql() {
            let plan = explain(&sql, &statement).await?;
            println!("\n-- {}\n{statement};", case.label());
            for line in plan
                .iter()
                .enumerate()
                .filter(|(i, l)| options.explain || *i == 0 || l.contains(" Time: "))
            {
                println!("  {}", line.1);
            }
        }
    }
    Ok(sql.close().await?)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match options() {
        Ok(options) => options,
        Err(error) => {
            eprintln!("bench: {error}");
            return ExitCode::from(2);
        }
    };
    // Checked first so an unreachable server is one clear line, not a skip or a panic.
    let admin_url = inservice_e2e::postgres_admin_url();
    if let Err(error) = sea_orm::Database::connect(&admin_url).await {
        eprintln!(
            "bench: PostgreSQL is not reachable at {admin_url} ({error}); start it or set INSERVICE_TEST_PG"
        );
        return ExitCode::from(2);
    }
    let Some(app) = TestApp::spawn(Backend::Postgres).await else {
        eprintln!("bench: could not start the server over PostgreSQL at {admin_url}");
        return ExitCode::from(2);
    };
    let app = std::sync::Arc::new(app);
    // On Ctrl-C the app is still dropped below, and with it the bench database.
    let all = async {
        if options.search {
            run(&app, &options).await?;
        } else {
            app.seed_demo_accounts().await;
        }
        if options.rush > 0 {
            rush::run(app.clone(), options.rush).await?;
        }
        if options.exchange > 0 {
            exchange::run(app.clone(), options.exchange, options.exchange_file).await?;
        }
        Result::Ok(())
    };
    let result: Result<()> = tokio::select! {
        result = all => result,
        _ = tokio::signal::ctrl_c() => Err("interrupted".into()),
    };
    if options.keep {
        println!("\nkept the database: psql {}", app.database_url);
        std::mem::forget(app);
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("bench failed: {error}");
            ExitCode::FAILURE
        }
    }
}
