//! Partner systems in the tests: registering one with a key, calling as it (from an address of
//! our choosing, through the loopback proxy's `X-Forwarded-For`), and batches in the exchange
//! format as JSON, XML and xlsx.

use reqwest::Method;
use serde_json::{Value, json};

use crate::{TestApp, UserClient};

/// The identity numbers of demo teachers (see `crates/persistence/src/demo.rs`).
pub const LIN: &str = "O109000108";
pub const WANG: &str = "A209000116";
/// 陳老師 teaches at the demo kindergarten (Kaohsiung).
pub const CHEN: &str = "E209000129";

/// A partner form; `items` are cooperation item codes.
pub fn partner_input(code: &str, county: Option<&str>, items: &[&str], confirm: bool) -> Value {
    json!({
        "code": code,
        "name": format!("{code} 研習系統"),
        "kind": if county.is_some() { "county_system" } else { "platform" },
        "county_code": county,
        "unit_code": null,
        "items": items,
        "needs_confirmation": confirm,
        "allow_list": "127.0.0.1/32\n::1/128",
        "rate_per_minute": 6000,
        "contact_name": "資訊組長",
        "contact_email": format!("{code}@partner.example.tw"),
        "contact_phone": "02-2345-6789",
        "enabled": true,
    })
}

/// Calls as one partner system, by its key.
pub struct PartnerClient<'a> {
    pub app: &'a TestApp,
    pub id: i64,
    pub key: String,
    /// The client address the proxy names (`None`: loopback itself).
    pub from: Option<String>,
}

impl TestApp {
    /// Registers a partner (as `admin`) and issues it a key.
    pub async fn partner<'a>(&'a self, admin: &UserClient<'_>, input: Value) -> PartnerClient<'a> {
        let partner = admin
            .post_ok("/api/v1/exchange/partners", &input, 201)
            .await;
        let id = partner["id"].as_i64().expect("a partner id");
        let issued = admin
            .post_ok(
                format!("/api/v1/exchange/partners/{id}/keys"),
                json!({"label": "正式機"}),
                201,
            )
            .await;
        PartnerClient {
            app: self,
            id,
            key: issued["secret"].as_str().expect("a secret").to_owned(),
            from: None,
        }
    }
}

impl PartnerClient<'_> {
    pub fn request(&self, method: Method, path: &str) -> reqwest::RequestBuilder {
        let mut request = self
            .app
            .client
            .request(method, self.app.url(path))
            .header("x-api-key", &self.key);
        if let Some(from) = &self.from {
            request = request.header("x-forwarded-for", from);
        }
        request
    }

    async fn answer(request: reqwest::RequestBuilder) -> (u16, Value) {
        let response = request.send().await.expect("request reaches the server");
        let status = response.status().as_u16();
        let text = response.text().await.unwrap_or_default();
        (status, serde_json::from_str(&text).unwrap_or(Value::Null))
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        Self::answer(self.request(Method::GET, path)).await
    }

    /// Sends a batch body of `content_type`; `query` like `dry_run=true`.
    pub async fn send(
        &self,
        query: &str,
        body: impl Into<reqwest::Body>,
        content_type: &str,
    ) -> (u16, Value) {
        let path = format!("/api/v1/exchange/batches?{query}");
        Self::answer(
            self.request(Method::POST, &path)
                .header("content-type", content_type)
                .body(body),
        )
        .await
    }

    /// Sends JSON rows; asserts `status` and returns the body.
    pub async fn send_rows(&self, query: &str, rows: &[Value], status: u16) -> Value {
        let (actual, body) = self
            .send(query, batch_json(rows).to_string(), "application/json")
            .await;
        assert_eq!(actual, status, "batch {query}: {body}");
        body
    }
}

/// One row of the exchange format for a teacher's record.
pub fn row(course: &str, record: &str, identity: &str, hours: &str, date: &str) -> Value {
    json!({
        "partner_course_id": course,
        "course_name": format!("{course} 海洋教育研習"),
        "organiser_code": null,
        "organiser_name": "臺北市教師研習中心",
        "start_date": date,
        "end_date": date,
        "category": "1",
        "stage": "junior_high",
        "class_type": "1-1",
        "tags": null,
        "partner_record_id": record,
        "identity_number": identity,
        "teacher_name": "測試教師",
        "hours": hours,
        "attended_on": null,
    })
}

pub fn batch_json(rows: &[Value]) -> Value {
    json!({"format_version": "1", "rows": rows})
}

/// The same rows as the XML of the format.
pub fn batch_xml(rows: &[Value]) -> String {
    let mut xml =
        String::from(r#"<?xml version="1.0" encoding="UTF-8"?><exchange format_version="1">"#);
    for row in rows {
        xml.push_str("<row>");
        for (key, value) in row.as_object().expect("a row object") {
            let text = match value {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            let text = text.replace('&', "&amp;").replace('<', "&lt;");
            xml.push_str(&format!("<{key}>{text}</{key}>"));
        }
        xml.push_str("</row>");
    }
    xml.push_str("</exchange>");
    xml
}

/// The same rows as a workbook with the Chinese header of the template.
pub fn batch_xlsx(rows: &[Value]) -> Vec<u8> {
    use inservice_domain::exchange::RECORD_COLUMNS;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, column) in RECORD_COLUMNS.iter().enumerate() {
        sheet
            .write_string(0, c as u16, column.label)
            .expect("a header cell");
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, column) in RECORD_COLUMNS.iter().enumerate() {
            let text = match &row[column.key] {
                Value::Null => continue,
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            sheet
                .write_string(r as u32 + 1, c as u16, text)
                .expect("a cell");
        }
    }
    book.save_to_buffer().expect("a workbook")
}

pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The hours of a teacher's records from `source`, and the teacher's total.
pub fn from_source(records: &Value, source: &str) -> Vec<(String, f64, String)> {
    records["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter(|r| r["source"] == source)
        .map(|r| {
            (
                r["partner_course_id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                r["hours"].as_f64().expect("hours"),
                r["standing"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// A date in the previous month (the 10th), `YYYY-MM-DD`, and that month `YYYY-MM`.
pub fn last_month() -> (String, String) {
    use chrono::Datelike;
    let today = chrono::Utc::now().date_naive();
    let first = today.with_day(1).expect("the 1st");
    let previous = first - chrono::Duration::days(1);
    let day = previous.with_day(10).expect("the 10th");
    (
        day.to_string(),
        format!("{:04}-{:02}", day.year(), day.month()),
    )
}
