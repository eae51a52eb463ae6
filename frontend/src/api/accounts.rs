//! Accounts: sign-up, sessions, the own profile.
//!
//! Calls that need a login go through the session's [`Client`]. The refresh token never passes
//! through here: it lives in an HttpOnly cookie.

use inservice_wire::{
    CourseFormOptions, CurrentPassword, EmailConfirmation, JobTitleDto, LoginRequest, MeDto,
    PasswordChange, PasswordResetConfirm, PasswordResetRequest, ProfileUpdate, TeacherSignUp,
    TokenResponse,
};

use super::client::{public_get, public_post};
use super::{ApiError, Client};

/// The course-form field whose options are the job titles (職稱).
const JOB_TITLE_FIELD: i32 = 15;

/// "國語文、數學, 英語" → ["國語文", "數學", "英語"].
pub fn parse_subjects(text: &str) -> Vec<String> {
    text.split([',', '，', '、'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What the SPA asks of the signed-in account (`GET /me`).
pub trait MeExt {
    fn is_business(&self) -> bool;
    /// A chief or contact of a unit: manages its teachers and contact data.
    fn is_unit_manager(&self) -> bool;
    /// An account of a unit that reviews courses (研習課程資料確認): a regional centre, the
    /// national centre, MOE or the curriculum task force.
    fn is_reviewer(&self) -> bool;
    /// A teacher who may use the teacher functions (a serving unit is set).
    fn is_active_teacher(&self) -> bool;
    /// A manager of the national centre: administers units, the audit log and the mailbox.
    fn is_national_admin(&self) -> bool;
    /// Staff of a county bureau (縣市政府教育局(處)), any account type: uploads its county
    /// partners' batches and confirms its back-end records month by month.
    fn is_county_bureau(&self) -> bool;
    /// Who works in the partner exchange (資訊傳報): the national centre's managers and the
    /// county bureaus' staff.
    fn works_exchange(&self) -> bool {
        self.is_national_admin() || self.is_county_bureau()
    }
}

impl MeExt for MeDto {
    fn is_business(&self) -> bool {
        self.kind == "business"
    }

    fn is_unit_manager(&self) -> bool {
        self.is_business() && matches!(self.account_type.as_deref(), Some("chief" | "contact"))
    }

    fn is_reviewer(&self) -> bool {
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

    fn is_active_teacher(&self) -> bool {
        self.kind == "teacher" && self.has_serving_unit
    }

    fn is_national_admin(&self) -> bool {
        self.is_unit_manager()
            && self
                .unit
                .as_ref()
                .is_some_and(|u| u.kind == "national_centre")
    }

    fn is_county_bureau(&self) -> bool {
        self.is_business()
            && self
                .unit
                .as_ref()
                .is_some_and(|u| u.kind == "county_bureau")
    }
}

pub async fn sign_up(form: &TeacherSignUp) -> Result<MeDto, ApiError> {
    public_post("/accounts/teachers").json(form).fetch().await
}

/// Logs in; the refresh token comes back as an HttpOnly cookie, never in the body.
pub async fn log_in(login: &str, password: &str) -> Result<TokenResponse, ApiError> {
    let body = LoginRequest {
        login: login.to_owned(),
        password: password.to_owned(),
        use_cookie: true,
    };
    public_post("/auth/login").json(&body).fetch().await
}

/// Renews the session with the refresh cookie the browser sends by itself.
pub async fn refresh() -> Result<TokenResponse, ApiError> {
    public_post("/auth/refresh").fetch().await
}

pub async fn log_out() -> Result<(), ApiError> {
    public_post("/auth/logout").done().await
}

pub async fn log_out_everywhere(client: &Client) -> Result<(), ApiError> {
    client.post("/auth/logout-all").done().await
}

pub async fn me(client: &Client) -> Result<MeDto, ApiError> {
    client.get("/me").fetch().await
}

pub async fn update_me(client: &Client, changes: &ProfileUpdate) -> Result<MeDto, ApiError> {
    client.patch("/me").json(changes).fetch().await
}

/// Everything stored about the signed-in person, as the JSON file's bytes; the password is
/// asked again because the copy holds the full identity number.
pub async fn export_me(client: &Client, current_password: String) -> Result<Vec<u8>, ApiError> {
    let body = CurrentPassword { current_password };
    client.post("/me/export").json(&body).download().await
}

/// Confirms a new e-mail address with the token from the confirmation mail.
pub async fn confirm_email(token: &str) -> Result<(), ApiError> {
    let body = EmailConfirmation {
        token: token.to_owned(),
    };
    public_post("/me/email/confirm").json(&body).done().await
}

/// The job titles (職稱) in form order, from course-form field 15.
pub async fn job_titles() -> Result<Vec<JobTitleDto>, ApiError> {
    let form: CourseFormOptions = public_get("/course-form/options").fetch().await?;
    let field = form
        .fields
        .into_iter()
        .find(|f| f.field_no == JOB_TITLE_FIELD);
    Ok(field
        .map(|f| f.options)
        .unwrap_or_default()
        .into_iter()
        .map(|o| JobTitleDto {
            label: o.label.unwrap_or_else(|| o.code.clone()),
            code: o.code,
        })
        .collect())
}

pub async fn change_password(
    client: &Client,
    current_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    let body = PasswordChange {
        current_password,
        new_password,
    };
    client.post("/me/password").json(&body).done().await
}

pub async fn request_password_reset(login: &str) -> Result<(), ApiError> {
    let body = PasswordResetRequest {
        login: login.to_owned(),
    };
    public_post("/auth/password-reset").json(&body).done().await
}

pub async fn confirm_password_reset(token: &str, new_password: &str) -> Result<(), ApiError> {
    let body = PasswordResetConfirm {
        token: token.to_owned(),
        new_password: new_password.to_owned(),
    };
    public_post("/auth/password-reset/confirm")
        .json(&body)
        .done()
        .await
}
