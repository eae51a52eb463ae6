//! Partners of the exchange (資訊傳報): what kind of system each is, what it cooperates on, and
//! the yearly re-confirmation of its contact person.

use chrono::{Days, NaiveDate};

use crate::FieldErrors;
pub use crate::roster::Light;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PartnerKind {
    /// A county's own in-service system.
    CountySystem,
    /// Another training platform.
    Platform,
}

impl PartnerKind {
    pub const ALL: [PartnerKind; 2] = [PartnerKind::CountySystem, PartnerKind::Platform];

    pub fn code(self) -> &'static str {
        match self {
            PartnerKind::CountySystem => "county_system",
            PartnerKind::Platform => "platform",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            PartnerKind::CountySystem => "縣市系統",
            PartnerKind::Platform => "合作平臺",
        }
    }

    pub fn from_code(code: &str) -> Option<PartnerKind> {
        PartnerKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What a partner exchanges with the platform; the order of [`CooperationItem::ALL`] is the
/// order they are listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CooperationItem {
    SendsRecords,
    RetrievesRecords,
    BaseData,
    Roaming,
}

impl CooperationItem {
    pub const ALL: [CooperationItem; 4] = [
        CooperationItem::SendsRecords,
        CooperationItem::RetrievesRecords,
        CooperationItem::BaseData,
        CooperationItem::Roaming,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CooperationItem::SendsRecords => "sends_records",
            CooperationItem::RetrievesRecords => "retrieves_records",
            CooperationItem::BaseData => "base_data",
            CooperationItem::Roaming => "roaming",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CooperationItem::SendsRecords => "傳送研習紀錄",
            CooperationItem::RetrievesRecords => "取回研習紀錄",
            CooperationItem::BaseData => "提供基本資料",
            CooperationItem::Roaming => "帳號漫遊",
        }
    }

    pub fn from_code(code: &str) -> Option<CooperationItem> {
        CooperationItem::ALL.into_iter().find(|i| i.code() == code)
    }
}

/// The cooperation items of a partner form: at least one (a partner that exchanges nothing is
/// not a partner), every code known; repeats dropped, in the order of [`CooperationItem::ALL`].
pub fn parse_items(codes: &[String]) -> Result<Vec<CooperationItem>, FieldErrors> {
    const FIELD: &str = "items";
    let mut chosen = Vec::new();
    let mut errors = Vec::new();
    for code in codes.iter().map(|c| c.trim()) {
        match CooperationItem::from_code(code) {
            Some(item) => chosen.push(item),
            None => errors.push(crate::FieldError::new(
                FIELD,
                "invalid_choice",
                format!("「{code}」不是合作項目的代碼"),
            )),
        }
    }
    if !errors.is_empty() {
        return Err(FieldErrors(errors));
    }
    if chosen.is_empty() {
        return Err(FieldErrors::single(
            FIELD,
            "required",
            "請至少選擇一項合作項目",
        ));
    }
    chosen.sort_unstable();
    chosen.dedup();
    Ok(chosen)
}

/// A contact person is re-confirmed at least once a year.
pub const CONTACT_VALID_DAYS: u64 = 365;
/// The last days of that year, in which the partner is reminded (days 336–365).
pub const CONTACT_REMINDER_DAYS: u64 = 30;

/// The last day a contact confirmed on `confirmed_on` is still valid.
pub fn contact_due(confirmed_on: Option<NaiveDate>) -> Option<NaiveDate> {
    confirmed_on?.checked_add_days(Days::new(CONTACT_VALID_DAYS))
}

/// Red when the contact was never confirmed or the year has run out, yellow in its last 30
/// days, green before.
pub fn contact_light(confirmed_on: Option<NaiveDate>, today: NaiveDate) -> Light {
    let Some(confirmed_on) = confirmed_on else {
        return Light::Red;
    };
    let days = (today - confirmed_on).num_days();
    let valid = CONTACT_VALID_DAYS as i64;
    let reminded_from = valid - CONTACT_REMINDER_DAYS as i64 + 1;
    if days > valid {
        Light::Red
    } else if days >= reminded_from {
        Light::Yellow
    } else {
        Light::Green
    }
}

/// Trimmed, lower-cased text of `min..=max` characters of `[a-z0-9-]`, for codes that end up in
/// URLs and keys.
pub(super) fn lower_code(
    field: &str,
    text: &str,
    label: &str,
    min: usize,
    max: usize,
) -> Result<String, FieldErrors> {
    let code = text.trim().to_ascii_lowercase();
    if code.is_empty() {
        return Err(FieldErrors::single(
            field,
            "required",
            format!("請填寫{label}"),
        ));
    }
    let well_formed = (min..=max).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !well_formed {
        return Err(FieldErrors::single(
            field,
            "invalid_code",
            format!("{label}須為 {min}–{max} 個英文字母、數字或 -"),
        ));
    }
    Ok(code)
}

/// A partner's code (`taipei-city`, `e-learning`): 2–32 of `[a-z0-9-]`, lower-cased.
pub fn parse_partner_code(field: &str, text: &str) -> Result<String, FieldErrors> {
    lower_code(field, text, "合作單位代碼", 2, 32)
}

#[cfg(test)]
#[path = "partner_tests.rs"]
mod tests;

/// The yearly reminder to a partner's contact: (subject, body).
pub fn contact_reminder(
    partner_name: &str,
    contact_name: &str,
    due: Option<NaiveDate>,
) -> (String, String) {
    let when = due.map_or_else(
        || "（尚未確認過）".to_owned(),
        |d| format!("（應於 {d} 前確認）"),
    );
    (
        format!("【全國教師在職進修資訊網】請確認「{partner_name}」的聯絡資料"),
        format!(
            "{contact_name} 您好：\n\n依資訊傳報合作規定，合作系統的聯絡人資料每年須重新確認一次{when}。\n\
             請回覆本信或聯繫全國推廣中心，確認聯絡人、電子郵件與電話仍然正確；\n\
             逾期未確認的合作系統將在管理頁面顯示紅燈。\n\n全國教師在職進修資訊網 全國推廣中心"
        ),
    )
}
