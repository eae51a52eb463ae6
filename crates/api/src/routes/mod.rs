//! Route handlers. Each is thin: parse, ask the domain or a repository, map to wire types.

pub mod admin;
pub mod attendance;
pub mod auth;
pub mod business;
pub mod calendar;
pub mod course_enrollments;
pub mod course_extras;
pub mod course_review;
pub mod course_views;
pub mod courses;
pub mod dashboard;
pub mod directory;
pub mod enrollment_exports;
pub mod enrollments;
pub mod feedback;
pub mod health;
pub mod me;
pub mod records;
pub mod reference;
pub mod roster_review;
pub(crate) mod table;
pub mod unit_teachers;
pub mod units_admin;
pub(crate) mod xlsx;

use inservice_domain::{FieldErrors, PageRequest, validation::Collector};

/// Parses an optional non-negative integer query parameter, naming the field on failure.
pub(crate) fn parse_integer(field: &str, value: Option<&str>) -> Result<Option<u64>, FieldErrors> {
    value
        .map(|text| {
            text.trim().parse::<u64>().map_err(|_| {
                FieldErrors::single(field, "not_an_integer", format!("{field} 必須是正整數"))
            })
        })
        .transpose()
}

/// Parses `page` and `per_page` into a validated page request, collecting both fields' errors.
pub(crate) fn parse_page(
    page: Option<&str>,
    per_page: Option<&str>,
) -> Result<PageRequest, FieldErrors> {
    // Range checks run even when the other field is not a number, so every problem shows at once.
    let mut errors = Collector::default();
    let page = errors.check(parse_integer("page", page)).flatten();
    let per_page = errors.check(parse_integer("per_page", per_page)).flatten();
    let request = errors.check(PageRequest::new(page, per_page));
    errors.finish()?;
    Ok(request.expect("no error was collected"))
}

/// The fields every account form has (teacher sign-up, business application), checked together.
pub(crate) struct AccountBasics {
    pub name: inservice_domain::account::AccountName,
    pub real_name: String,
    pub identity: inservice_domain::identity::IdentityNumber,
    pub email: String,
}

/// Checks name, password, real name, identity number and e-mail, collecting every failure.
pub(crate) fn check_account_basics(
    errors: &mut Collector,
    account_name: &str,
    password: &str,
    real_name: &str,
    national_id: &str,
    email: &str,
) -> Option<AccountBasics> {
    use inservice_domain::account;
    let name = errors.check(account::AccountName::parse_field(
        "account_name",
        account_name,
    ));
    errors.check(account::check_password(
        "password",
        password,
        Some(account_name.trim()),
    ));
    let real_name = errors.check(account::check_real_name("real_name", real_name));
    let identity = errors.check(inservice_domain::identity::IdentityNumber::parse_field(
        "national_id",
        national_id,
    ));
    let email = errors.check(account::check_email("email", email));
    Some(AccountBasics {
        name: name?,
        real_name: real_name?,
        identity: identity?,
        email: email?,
    })
}

/// Both the account agreement and the personal-data consent must be accepted.
pub(crate) fn check_consents(errors: &mut Collector, agreement: bool, privacy: bool) {
    for (accepted, field, message) in [
        (agreement, "accept_agreement", "請閱讀並同意帳號使用約定"),
        (privacy, "accept_privacy", "請閱讀並同意個人資料蒐集與利用"),
    ] {
        if !accepted {
            errors.check::<()>(Err(FieldErrors::single(field, "must_accept", message)));
        }
    }
}
