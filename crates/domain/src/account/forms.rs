//! The account forms (teacher sign-up, business application, a unit entering a teacher, profile
//! changes): every field checked at once, each failure named by its field.

use chrono::NaiveDate;

use super::{
    AccountKind, AccountName, Gender, check_email, check_job_title, check_password, check_phone,
    check_real_name, check_subjects,
};
use crate::identity::IdentityNumber;
use crate::permission::{self, AccountType};
use crate::validation::Collector;
use crate::{FieldErrors, UnitKind};

/// A birth date as typed (`YYYY-MM-DD`): required, a real date, and plausible for a teacher
/// (15 to 100 years before `today`).
pub fn check_birth_date(
    field: &str,
    text: &str,
    today: chrono::NaiveDate,
) -> Result<chrono::NaiveDate, FieldErrors> {
    let text = text.trim();
    if text.is_empty() {
        return Err(FieldErrors::single(field, "required", "請填寫出生日期"));
    }
    let date = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| FieldErrors::single(field, "invalid_date", "出生日期格式須為 YYYY-MM-DD"))?;
    let age_days = (today - date).num_days();
    if !(365 * 15..=365 * 100).contains(&age_days) {
        return Err(FieldErrors::single(
            field,
            "implausible_birth_date",
            "出生日期不合理，請確認",
        ));
    }
    Ok(date)
}

/// The fields every account form has, as typed.
#[derive(Debug, Clone, Copy, Default)]
pub struct BasicsInput<'a> {
    pub account_name: &'a str,
    pub password: &'a str,
    pub real_name: &'a str,
    pub national_id: &'a str,
    pub email: &'a str,
}

/// The fields every account form has (teacher sign-up, business application), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountBasics {
    pub name: AccountName,
    pub real_name: String,
    pub identity: IdentityNumber,
    pub email: String,
}

/// Checks name, password, real name, identity number and e-mail, collecting every failure.
pub fn check_account_basics(errors: &mut Collector, input: &BasicsInput) -> Option<AccountBasics> {
    let name = errors.check(AccountName::parse_field("account_name", input.account_name));
    errors.check(check_password(
        "password",
        input.password,
        Some(input.account_name.trim()),
    ));
    let real_name = errors.check(check_real_name("real_name", input.real_name));
    let identity = errors.check(IdentityNumber::parse_field(
        "national_id",
        input.national_id,
    ));
    let email = errors.check(check_email("email", input.email));
    Some(AccountBasics {
        name: name?,
        real_name: real_name?,
        identity: identity?,
        email: email?,
    })
}

/// Both the account agreement and the personal-data consent must be accepted.
pub fn check_consents(errors: &mut Collector, agreement: bool, privacy: bool) {
    for (accepted, field, message) in [
        (agreement, "accept_agreement", "請閱讀並同意帳號使用約定"),
        (privacy, "accept_privacy", "請閱讀並同意個人資料蒐集與利用"),
    ] {
        if !accepted {
            errors.fail(field, "must_accept", message);
        }
    }
}

/// A unit code as typed in a form: trimmed, blank meaning none.
pub fn typed_unit_code(text: Option<&str>) -> Option<String> {
    text.map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_owned)
}

/// The school a teacher names at sign-up, as found in the directory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedUnit {
    /// No unit was named.
    None,
    /// No unit has the code (or it is not a code).
    Unknown,
    /// The unit exists: whether it is open, and its kind.
    Found { open: bool, kind: UnitKind },
}

/// A teacher sign-up as typed (the basics apart).
#[derive(Debug, Clone, Copy, Default)]
pub struct SignUpInput<'a> {
    pub basics: BasicsInput<'a>,
    pub birth_date: &'a str,
    pub gender: &'a str,
    pub phone: Option<&'a str>,
    pub job_title: &'a str,
    pub subjects: &'a [String],
    pub accept_agreement: bool,
    pub accept_privacy: bool,
}

/// A valid teacher sign-up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUp {
    pub basics: AccountBasics,
    pub birth_date: NaiveDate,
    pub gender: Gender,
    pub phone: Option<String>,
    pub job_title: String,
    pub subjects: Vec<String>,
}

/// Checks a teacher sign-up. The named school becomes the teacher's only when it accepts (as
/// any later change of school): naming a unit must not make anyone its teacher, nor a member of
/// a bureau or centre, so only open schools may be named.
pub fn check_sign_up(
    input: &SignUpInput,
    unit: NamedUnit,
    today: NaiveDate,
) -> Result<SignUp, FieldErrors> {
    let mut errors = Collector::default();
    let basics = check_account_basics(&mut errors, &input.basics);
    let birth_date = errors.check(check_birth_date("birth_date", input.birth_date, today));
    let gender = errors.check(Gender::from_code(input.gender).ok_or_else(|| {
        FieldErrors::single("gender", "invalid_gender", "請選擇性別（male 或 female）")
    }));
    let phone = errors.check(
        input
            .phone
            .filter(|p| !p.trim().is_empty())
            .map(|p| check_phone("phone", p))
            .transpose(),
    );
    let job_title = errors.check(check_job_title("job_title", input.job_title));
    let subjects = errors.check(check_subjects("subjects", input.subjects));
    match unit {
        NamedUnit::None => {}
        NamedUnit::Unknown => errors.fail(
            "unit_code",
            "unknown_unit",
            "找不到這個服務單位，請用單位查詢確認代碼",
        ),
        NamedUnit::Found { open, kind } if !open || !kind.employs_teachers() => errors.fail(
            "unit_code",
            "not_a_school",
            "只能申請加入開放中的學校；教育局、中心與已裁撤的單位不能作為服務學校",
        ),
        NamedUnit::Found { .. } => {}
    }
    check_consents(&mut errors, input.accept_agreement, input.accept_privacy);
    errors.finish_with(|| {
        Some(SignUp {
            basics: basics?,
            birth_date: birth_date?,
            gender: gender?,
            phone: phone?,
            job_title: job_title?,
            subjects: subjects?,
        })
    })
}

/// A business-account application as typed (the basics apart).
#[derive(Debug, Clone, Copy, Default)]
pub struct ApplicationInput<'a> {
    pub basics: BasicsInput<'a>,
    pub phone: &'a str,
    pub account_type: &'a str,
    pub accept_agreement: bool,
    pub accept_privacy: bool,
}

/// A valid business-account application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub basics: AccountBasics,
    pub phone: String,
    pub account_type: AccountType,
    /// The unit applied to.
    pub unit_code: String,
}

/// The account type of a business account, by its code.
pub fn parse_account_type(field: &str, code: &str) -> Result<AccountType, FieldErrors> {
    AccountType::from_code(code).ok_or_else(|| {
        FieldErrors::single(
            field,
            "invalid_account_type",
            "帳號類別須為 chief、contact 或 operator",
        )
    })
}

/// Checks a business-account application to `unit` (its code and kind, `None` when no unit has
/// the typed code): the type must be one the unit's kind may have.
pub fn check_application(
    input: &ApplicationInput,
    unit: Option<(String, UnitKind)>,
) -> Result<Application, FieldErrors> {
    let mut errors = Collector::default();
    let basics = check_account_basics(&mut errors, &input.basics);
    let phone = errors.check(check_phone("phone", input.phone));
    let account_type = errors.check(parse_account_type("account_type", input.account_type));
    match (&unit, account_type) {
        (None, _) => errors.fail(
            "unit_code",
            "unknown_unit",
            "找不到這個單位，請用單位查詢確認代碼",
        ),
        (Some((_, kind)), Some(account_type))
            if !permission::allowed_account_types(*kind).contains(&account_type) =>
        {
            errors.fail(
                "account_type",
                "type_not_allowed_for_unit",
                "大專校院、社教機構及法人僅能申請作業人員帳號",
            );
        }
        _ => {}
    }
    check_consents(&mut errors, input.accept_agreement, input.accept_privacy);
    errors.finish_with(|| {
        Some(Application {
            basics: basics?,
            phone: phone?,
            account_type: account_type?,
            unit_code: unit?.0,
        })
    })
}

/// A teacher a unit enters (教師資料登錄), checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnteredTeacher {
    pub identity: IdentityNumber,
    pub real_name: String,
    pub email: String,
    pub job_title: String,
}

/// Checks the fields of a teacher a unit enters.
pub fn check_teacher_entry(
    national_id: &str,
    real_name: &str,
    email: &str,
    job_title: &str,
) -> Result<EnteredTeacher, FieldErrors> {
    let mut errors = Collector::default();
    let identity = errors.check(IdentityNumber::parse_field("national_id", national_id));
    let real_name = errors.check(check_real_name("real_name", real_name));
    let email = errors.check(check_email("email", email));
    let job_title = errors.check(check_job_title("job_title", job_title));
    errors.finish_with(|| {
        Some(EnteredTeacher {
            identity: identity?,
            real_name: real_name?,
            email: email?,
            job_title: job_title?,
        })
    })
}

/// The fields of a profile change that need no look-up; each `None` when not sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileFields {
    /// `Some(None)`: a blank phone clears it.
    pub phone: Option<Option<String>>,
    pub job_title: Option<String>,
    pub subjects: Option<Vec<String>>,
}

/// The profile fields as typed; `None` for a field not sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileInput<'a> {
    pub phone: Option<&'a str>,
    pub job_title: Option<&'a str>,
    pub subjects: Option<&'a [String]>,
}

/// Checks the e-mail address of a profile change; the other fields follow in
/// [`check_profile_fields`], after the password check the new address may need.
pub fn check_profile_email(errors: &mut Collector, email: Option<&str>) -> Option<String> {
    errors
        .check(email.map(|e| check_email("email", e)).transpose())
        .flatten()
}

/// The new address, when it differs from the current one (case aside).
pub fn changed_email(checked: Option<&str>, current: &str) -> Option<String> {
    checked
        .filter(|e| !e.eq_ignore_ascii_case(current.trim()))
        .map(str::to_owned)
}

/// A new address needs the current password: `None` when none was typed, else whether it was
/// right. Otherwise a stolen session could take over the account through the reset mail.
pub fn check_reauthentication(errors: &mut Collector, password_right: Option<bool>) {
    match password_right {
        None => errors.fail(
            "current_password",
            "reauthentication_required",
            "變更電子郵件需要輸入目前的密碼",
        ),
        Some(false) => errors.fail("current_password", "wrong_password", "目前的密碼不正確"),
        Some(true) => {}
    }
}

/// Checks phone, job title and subjects of a profile change.
pub fn check_profile_fields(errors: &mut Collector, input: &ProfileInput) -> ProfileFields {
    let phone = errors.check(
        input
            .phone
            .map(|p| {
                if p.trim().is_empty() {
                    Ok(None)
                } else {
                    check_phone("phone", p).map(Some)
                }
            })
            .transpose(),
    );
    let job_title = errors.check(
        input
            .job_title
            .map(|t| check_job_title("job_title", t))
            .transpose(),
    );
    let subjects = errors.check(
        input
            .subjects
            .map(|s| check_subjects("subjects", s))
            .transpose(),
    );
    ProfileFields {
        phone: phone.flatten(),
        job_title: job_title.flatten(),
        subjects: subjects.flatten(),
    }
}

/// What a profile change asks of the serving unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitRequest<'a> {
    /// Not sent: nothing changes.
    Keep,
    /// Blank: withdraw a pending request.
    Withdraw,
    /// Ask to join the unit of this (trimmed) code, once it is found open.
    Join(&'a str),
    /// Refused; the error is collected.
    Refused,
}

/// Who may ask for which unit: teachers only, and not the unit they are in.
pub fn unit_request<'a>(
    errors: &mut Collector,
    typed: Option<&'a str>,
    kind: AccountKind,
    current_unit: Option<&str>,
) -> UnitRequest<'a> {
    match typed.map(str::trim) {
        None => UnitRequest::Keep,
        Some("") => UnitRequest::Withdraw,
        Some(_) if kind != AccountKind::Teacher => {
            errors.fail(
                "requested_unit_code",
                "teachers_only",
                "只有教師帳號可以申請服務單位",
            );
            UnitRequest::Refused
        }
        Some(code) if current_unit == Some(code) => {
            errors.fail(
                "requested_unit_code",
                "already_in_unit",
                "您已在這個服務單位",
            );
            UnitRequest::Refused
        }
        Some(code) => UnitRequest::Join(code),
    }
}

/// The requested unit as found: only an open unit can be asked for.
pub fn requested_unit_found(
    errors: &mut Collector,
    open_unit_code: Option<String>,
) -> Option<String> {
    if open_unit_code.is_none() {
        errors.fail(
            "requested_unit_code",
            "unknown_unit",
            "找不到這個服務單位，或已裁撤",
        );
    }
    open_unit_code
}

#[cfg(test)]
#[path = "forms_tests.rs"]
mod tests;
