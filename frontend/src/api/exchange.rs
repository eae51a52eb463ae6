//! The partner exchange (資訊傳報): the partner registry and its keys (national centre),
//! batches uploaded by staff for a partner, the exchange log, the counties' monthly
//! confirmation and the decisions on suspected duplicates; with the zh-TW names of the codes
//! these calls answer with.

use inservice_wire::{
    BatchLogDto, BatchLogQuery, BatchQuery, BatchReportDto, ConfirmMonthInput, CountyMonthDto,
    CountyMonthsDto, CountyMonthsQuery, DenialListDto, DuplicateDecisionInput, DuplicateListDto,
    IssuedKeyDto, NewKeyInput, PartnerDto, PartnerInput, PartnerKeyDto, PartnerListDto,
};

use super::{ApiError, Client};

/// The workbook template of the exchange format; public, so a plain link downloads it.
pub const TEMPLATE_URL: &str = "/api/v1/exchange/template.xlsx";

/// Cooperation items (`items`) in the order the server lists them.
pub const ITEMS: [(&str, &str); 4] = [
    ("sends_records", "傳送研習紀錄"),
    ("retrieves_records", "取回研習紀錄"),
    ("base_data", "提供基本資料"),
    ("roaming", "帳號漫遊"),
];

/// Partner kinds.
pub const KINDS: [(&str, &str); 2] = [("county_system", "縣市系統"), ("platform", "合作平臺")];

/// The columns of the exchange format, by key, with their headers in the template. The server
/// names a row problem's column by its key.
const COLUMNS: [(&str, &str); 15] = [
    ("partner_course_id", "課程代碼"),
    ("course_name", "課程名稱"),
    ("organiser_code", "辦理單位代碼"),
    ("organiser_name", "辦理單位名稱"),
    ("start_date", "開始日期"),
    ("end_date", "結束日期"),
    ("category", "研習類別"),
    ("stage", "教育階段"),
    ("class_type", "課程性質"),
    ("tags", "研習屬性"),
    ("partner_record_id", "紀錄代碼"),
    ("identity_number", "身分證統一編號或居留證統一證號"),
    ("teacher_name", "姓名"),
    ("hours", "研習時數"),
    ("attended_on", "上課日期"),
];

fn label_of<'a>(pairs: &'a [(&str, &'a str)], code: &'a str) -> &'a str {
    pairs
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, label)| label)
}

pub fn item_label(code: &str) -> &str {
    label_of(&ITEMS, code)
}

/// A column's header; `row` (the row as a whole) and `file` have their own words.
pub fn column_label(field: &str) -> &str {
    match field {
        "row" => "整列",
        "file" => "檔案",
        other => label_of(&COLUMNS, other),
    }
}

/// 綠燈／黃燈／紅燈 of a `light` code.
pub fn light_label(light: &str) -> &'static str {
    match light {
        "green" => "綠燈",
        "yellow" => "黃燈",
        "red" => "紅燈",
        _ => "燈號不明",
    }
}

/// A batch's `status`.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "dry_run" => "試算",
        "committed" => "已寫入",
        "failed" => "失敗",
        _ => "不明",
    }
}

/// A batch's `kind`.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "records" => "研習紀錄",
        "base_data" => "基本資料",
        "preschool_export" => "幼教平臺匯出",
        other => other,
    }
}

/// A batch's `format`.
pub fn format_label(format: &str) -> &str {
    match format {
        "json" => "JSON",
        "xml" => "XML",
        "xlsx" => "Excel",
        other => other,
    }
}

/// Why a call was refused at the door.
pub fn denial_label(reason: &str) -> &str {
    match reason {
        "address_not_allowed" => "來源位址不在允許清單",
        "key_revoked" => "金鑰已撤銷",
        "key_unknown" => "金鑰無效",
        "partner_disabled" => "合作系統已停用",
        "rate_limited" => "超過每分鐘呼叫次數",
        other => other,
    }
}

/// The badge of a teacher's record that does not count (yet); `None` for a counted one.
pub fn standing_label(standing: &str) -> Option<&'static str> {
    match standing {
        "counted" => None,
        "awaiting_county" => Some("待縣市確認"),
        "suspected_duplicate" => Some("疑似重複，暫不重複計入"),
        "duplicate" => Some("重複，不計入"),
        _ => Some("暫不計入"),
    }
}

/// 「rows[12].hours」 (a refused batch's field) → 「第 12 列 研習時數」.
pub fn row_place(field: &str) -> String {
    let parsed = field
        .strip_prefix("rows[")
        .and_then(|rest| rest.split_once("]."));
    match parsed {
        Some(("0", column)) => column_label(column).to_owned(),
        Some((row, column)) => format!("第 {row} 列 {}", column_label(column)),
        None => column_label(field).to_owned(),
    }
}

/// How a batch file is sent, by its extension.
pub fn batch_type(file_name: &str) -> Option<&'static str> {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") {
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    } else if lower.ends_with(".xml") {
        Some("application/xml")
    } else if lower.ends_with(".json") {
        Some("application/json")
    } else {
        None
    }
}

pub async fn partners(client: &Client) -> Result<PartnerListDto, ApiError> {
    client.get("/exchange/partners").fetch().await
}

pub async fn create_partner(client: &Client, input: &PartnerInput) -> Result<PartnerDto, ApiError> {
    client.post("/exchange/partners").json(input).fetch().await
}

pub async fn update_partner(
    client: &Client,
    id: i32,
    input: &PartnerInput,
) -> Result<PartnerDto, ApiError> {
    client
        .put(&format!("/exchange/partners/{id}"))
        .json(input)
        .fetch()
        .await
}

/// Records that the partner's contacts were re-confirmed today.
pub async fn confirm_contacts(client: &Client, id: i32) -> Result<PartnerDto, ApiError> {
    client
        .post(&format!("/exchange/partners/{id}/contacts-confirmation"))
        .fetch()
        .await
}

/// Issues a key; its secret is in this answer only.
pub async fn issue_key(client: &Client, id: i32, label: String) -> Result<IssuedKeyDto, ApiError> {
    client
        .post(&format!("/exchange/partners/{id}/keys"))
        .json(&NewKeyInput { label })
        .fetch()
        .await
}

pub async fn revoke_key(client: &Client, id: i32, key_id: i32) -> Result<PartnerKeyDto, ApiError> {
    client
        .post(&format!("/exchange/partners/{id}/keys/{key_id}/revocation"))
        .fetch()
        .await
}

pub async fn denials(client: &Client) -> Result<DenialListDto, ApiError> {
    client.get("/exchange/denials").fetch().await
}

/// A file to send as a batch for a partner.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchFile {
    pub partner: String,
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// Sends `file` as a batch: a dry run (200) checks and writes nothing; otherwise the batch is
/// written (201) or, with any refused row, refused whole (422 `batch_refused`).
pub async fn send_batch(
    client: &Client,
    file: &BatchFile,
    dry_run: bool,
) -> Result<BatchReportDto, ApiError> {
    let query = BatchQuery {
        dry_run: dry_run.then(|| "true".to_owned()),
        partner: Some(file.partner.clone()),
        name: Some(file.name.clone()),
    };
    client
        .post("/exchange/batches")
        .query_of(&query)
        .bytes(file.bytes.clone(), file.content_type)
        .fetch()
        .await
}

/// One page of the exchange log; `partner` empty for every partner (the national centre).
pub async fn batches(
    client: &Client,
    partner: &str,
    page: u64,
    per_page: u64,
) -> Result<BatchLogDto, ApiError> {
    let query = BatchLogQuery {
        partner: (!partner.is_empty()).then(|| partner.to_owned()),
        page: Some(page.max(1).to_string()),
        per_page: Some(per_page.to_string()),
    };
    client
        .get("/exchange/batches")
        .query_of(&query)
        .fetch()
        .await
}

/// A county's months; `county` empty for the caller's own (a bureau).
pub async fn months(client: &Client, county: &str) -> Result<CountyMonthsDto, ApiError> {
    let query = CountyMonthsQuery {
        county_code: (!county.is_empty()).then(|| county.to_owned()),
    };
    client
        .get("/exchange/confirmations")
        .query_of(&query)
        .fetch()
        .await
}

pub async fn confirm_month(
    client: &Client,
    month: &str,
    county: &str,
) -> Result<CountyMonthDto, ApiError> {
    let body = ConfirmMonthInput {
        month: month.to_owned(),
        county_code: (!county.is_empty()).then(|| county.to_owned()),
    };
    client
        .post("/exchange/confirmations")
        .json(&body)
        .fetch()
        .await
}

pub async fn duplicates(client: &Client) -> Result<DuplicateListDto, ApiError> {
    client.get("/exchange/duplicates").fetch().await
}

/// `same` (counted once) or `distinct` (both count).
pub async fn decide_duplicate(client: &Client, id: i32, same: bool) -> Result<(), ApiError> {
    let body = DuplicateDecisionInput {
        decision: if same { "same" } else { "distinct" }.to_owned(),
    };
    client
        .post(&format!("/exchange/duplicates/{id}/decision"))
        .json(&body)
        .done()
        .await
}
