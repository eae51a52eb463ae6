//! Accounts: sign-up, sessions, the own profile and business-account approval.
//!
//! Calls that need a login take the access token; [`crate::session`] supplies it and renews it.
//! The refresh token never passes through here: it lives in an HttpOnly cookie.

use gloo_net::http::{Request, RequestBuilder, Response};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::{ApiError, BASE, bytes, decode, get, problem, send};

/// The course-form field whose options are the job titles (職稱).
const JOB_TITLE_FIELD: i64 = 15;

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
    pub account_type_label: Option<String>,
    #[serde(default)]
    pub job_title: Option<JobTitle>,
    #[serde(default)]
    pub subjects: Vec<String>,
    #[serde(default)]
    pub personal_number: Option<String>,
    #[serde(default)]
    pub has_serving_unit: bool,
    /// The unit a teacher asked to join, while the request waits.
    #[serde(default)]
    pub requested_unit_code: Option<String>,
    /// A new e-mail address waiting for its confirmation link to be opened.
    #[serde(default)]
    pub pending_email: Option<String>,
}

impl Me {
    pub fn is_business(&self) -> bool {
        self.kind == "business"
    }

    /// A chief or contact of a unit: manages its teachers and contact data.
    pub fn is_unit_manager(&self) -> bool {
        self.is_business() && matches!(self.account_type.as_deref(), Some("chief" | "contact"))
    }

    /// An account of a unit that reviews courses (研習課程資料確認): a regional centre, the
    /// national centre, MOE or the curriculum task force.
    pub fn is_reviewer(&self) -> bool {
        self.is_business()
            && self.unit.as_ref().is_some_and(|u| {
                matches!(
                    u.kind.as_str(),
                    "moe"
                        | "national_centre"
                        | "k12_administration"
                        | "k12_division"
                        | "county_bureau"
                        | "curriculum_task_force"
                )
            })
    }

    /// A teacher who may use the teacher functions (a serving unit is set).
    pub fn is_active_teacher(&self) -> bool {
        self.kind == "teacher" && self.has_serving_unit
    }

    /// A manager of the national centre: administers units, the audit log and the mailbox.
    pub fn is_national_admin(&self) -> bool {
        self.is_unit_manager()
            && self
                .unit
                .as_ref()
                .is_some_and(|u| u.kind == "national_centre")
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
    /// A teacher's request to join a unit; `""` withdraws it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_unit_code: Option<String>,
    /// Needed when `email` changes the address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_password: Option<String>,
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

/// Everything stored about the signed-in person, as the JSON file's bytes; the password is
/// asked again because the copy holds the full identity number.
pub async fn export_me(token: String, current_password: String) -> Result<Vec<u8>, ApiError> {
    let request = bearer(Request::post(&format!("{BASE}/me/export")), &token);
    let body = serde_json::json!({ "current_password": current_password });
    bytes(send_json(request, &body).await?).await
}

/// Confirms a new e-mail address with the token from the confirmation mail.
pub async fn confirm_email(token: &str) -> Result<(), ApiError> {
    let request = Request::post(&format!("{BASE}/me/email/confirm"));
    done(send_json(request, &serde_json::json!({ "token": token })).await?).await
}

#[derive(Deserialize)]
struct FormOptions {
    fields: Vec<FormField>,
}

#[derive(Deserialize)]
struct FormField {
    field_no: i64,
    #[serde(default)]
    options: Vec<FormOption>,
}

#[derive(Deserialize)]
struct FormOption {
    code: String,
    #[serde(default)]
    label: Option<String>,
}

/// The job titles (職稱) in form order, from course-form field 15.
pub async fn job_titles() -> Result<Vec<JobTitle>, ApiError> {
    let form: FormOptions = get(Request::get(&format!("{BASE}/course-form/options"))).await?;
    let field = form
        .fields
        .into_iter()
        .find(|f| f.field_no == JOB_TITLE_FIELD);
    Ok(field
        .map(|f| f.options)
        .unwrap_or_default()
        .into_iter()
        .map(|o| JobTitle {
            label: o.label.unwrap_or_else(|| o.code.clone()),
            code: o.code,
        })
        .collect())
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
