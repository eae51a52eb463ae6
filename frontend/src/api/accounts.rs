//! Accounts: sign-up, sessions, the own profile and business-account approval.
//!
//! Calls that need a login take the access token; [`crate::session`] supplies it and renews it.
//! The refresh token never passes through here: it lives in an HttpOnly cookie.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{ApiError, BASE, decode, problem, send};

/// Job titles of course-form field 15 (職稱), in form order.
pub const JOB_TITLES: [(&str, &str); 17] = [
    ("15-1", "師資培育之大學教師"),
    ("15-2", "校長、副校長"),
    ("15-3", "兼任行政職務教師(如主任、秘書、組長等)"),
    ("15-4", "合格專任教師"),
    ("15-5", "代理代課教師"),
    ("15-6", "兼任教師"),
    ("15-7", "行政職員"),
    ("15-8", "教育實習生"),
    ("15-9", "師資生"),
    ("15-10", "教學支援人員"),
    ("15-11", "教官"),
    ("15-12", "專任運動教練"),
    ("15-13", "園長"),
    ("15-14", "教保員助理教保員"),
    ("15-15", "保母"),
    ("15-16", "課後照顧人員"),
    ("15-99", "其他"),
];

/// "國語文、數學, 英語" → ["國語文", "數學", "英語"].
pub fn parse_subjects(text: &str) -> Vec<String> {
    text.split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct AccountUnit {
    pub code: String,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct JobTitle {
    pub code: String,
    pub label: String,
}

/// The signed-in account (`GET /me`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Me {
    pub id: i64,
    pub account_name: String,
    pub kind: String,
    pub status: String,
    pub real_name: String,
    pub identity_masked: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub unit: Option<AccountUnit>,
    #[serde(default)]
    pub account_type: Option<String>,
    #[serde(default)]
    pub job_title: Option<JobTitle>,
    #[serde(default)]
    pub subjects: Vec<String>,
    #[serde(default)]
    pub personal_number: Option<String>,
    #[serde(default)]
    pub has_serving_unit: bool,
}

impl Me {
    pub fn is_business(&self) -> bool {
        self.kind == "business"
    }
}

/// A new or renewed session.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub expires_in: u64,
    pub account: Me,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeacherSignUp {
    pub account_name: String,
    pub password: String,
    pub real_name: String,
    pub national_id: String,
    pub birth_date: String,
    pub gender: String,
    pub email: String,
    pub phone: Option<String>,
    pub unit_code: Option<String>,
    pub job_title: String,
    pub subjects: Vec<String>,
    pub accept_agreement: bool,
    pub accept_privacy: bool,
}

/// Changes to the own profile; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProfileUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subjects: Option<Vec<String>>,
}

pub(super) fn bearer(builder: RequestBuilder, token: &str) -> RequestBuilder {
    builder.header("Authorization", &format!("Bearer {token}"))
}

pub(super) async fn send_json<B: Serialize>(
    builder: RequestBuilder,
    body: &B,
) -> Result<Response, ApiError> {
    builder
        .header("Accept", "application/json, application/problem+json")
        .json(body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))
}

pub(super) async fn answer<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        decode(response).await
    } else {
        Err(problem(response).await)
    }
}

/// For answers without a body (202, 204).
pub(super) async fn done(response: Response) -> Result<(), ApiError> {
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
}

pub async fn sign_up(form: &TeacherSignUp) -> Result<Me, ApiError> {
    answer(send_json(Request::post(&format!("{BASE}/accounts/teachers")), form).await?).await
}

/// Logs in; the refresh token comes back as an HttpOnly cookie, never in the body.
pub async fn log_in(login: &str, password: &str) -> Result<Tokens, ApiError> {
    #[derive(Serialize)]
    struct Login<'a> {
        login: &'a str,
        password: &'a str,
        use_cookie: bool,
    }
    let body = Login {
        login,
        password,
        use_cookie: true,
    };
    answer(send_json(Request::post(&format!("{BASE}/auth/login")), &body).await?).await
}

/// Renews the session with the refresh cookie the browser sends by itself.
pub async fn refresh() -> Result<Tokens, ApiError> {
    answer(send(Request::post(&format!("{BASE}/auth/refresh"))).await?).await
}

pub async fn log_out() -> Result<(), ApiError> {
    done(send(Request::post(&format!("{BASE}/auth/logout"))).await?).await
}

pub async fn log_out_everywhere(token: String) -> Result<(), ApiError> {
    let url = format!("{BASE}/auth/logout-all");
    done(send(bearer(Request::post(&url), &token)).await?).await
}

pub async fn me(token: String) -> Result<Me, ApiError> {
    answer(send(bearer(Request::get(&format!("{BASE}/me")), &token)).await?).await
}

pub async fn update_me(token: String, changes: ProfileUpdate) -> Result<Me, ApiError> {
    let request = bearer(Request::patch(&format!("{BASE}/me")), &token);
    answer(send_json(request, &changes).await?).await
}

pub async fn change_password(token: String, current: String, new: String) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Change {
        current_password: String,
        new_password: String,
    }
    let body = Change {
        current_password: current,
        new_password: new,
    };
    let request = bearer(Request::post(&format!("{BASE}/me/password")), &token);
    done(send_json(request, &body).await?).await
}

pub async fn request_password_reset(login: &str) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Reset<'a> {
        login: &'a str,
    }
    let url = format!("{BASE}/auth/password-reset");
    done(send_json(Request::post(&url), &Reset { login }).await?).await
}

pub async fn confirm_password_reset(token: &str, new_password: &str) -> Result<(), ApiError> {
    #[derive(Serialize)]
    struct Confirm<'a> {
        token: &'a str,
        new_password: &'a str,
    }
    let url = format!("{BASE}/auth/password-reset/confirm");
    let body = Confirm {
        token,
        new_password,
    };
    done(send_json(Request::post(&url), &body).await?).await
}
