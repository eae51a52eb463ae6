//! Accounts: names, passwords, contact data, lockout after failed logins, teacher numbers.

use std::fmt;

use crate::FieldErrors;

mod forms;
pub use forms::*;

/// Teacher personal accounts and business accounts (Art. 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountKind {
    Teacher,
    Business,
}

impl AccountKind {
    pub fn code(self) -> &'static str {
        match self {
            AccountKind::Teacher => "teacher",
            AccountKind::Business => "business",
        }
    }

    pub fn from_code(code: &str) -> Option<AccountKind> {
        [AccountKind::Teacher, AccountKind::Business]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// Where an account stands. Only active accounts may log in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountStatus {
    Active,
    /// A business-account application waiting for its approver (Art. 4).
    Pending,
    Rejected,
    Disabled,
}

impl AccountStatus {
    pub const ALL: [AccountStatus; 4] = [
        AccountStatus::Active,
        AccountStatus::Pending,
        AccountStatus::Rejected,
        AccountStatus::Disabled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountStatus::Active => "active",
            AccountStatus::Pending => "pending",
            AccountStatus::Rejected => "rejected",
            AccountStatus::Disabled => "disabled",
        }
    }

    pub fn from_code(code: &str) -> Option<AccountStatus> {
        AccountStatus::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// Gender as recorded on the sign-up form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn code(self) -> &'static str {
        match self {
            Gender::Male => "male",
            Gender::Female => "female",
        }
    }

    pub fn from_code(code: &str) -> Option<Gender> {
        [Gender::Male, Gender::Female]
            .into_iter()
            .find(|g| g.code() == code)
    }
}

/// An account name (帳號): fixed once created. 4–30 characters of ASCII letters, digits, `.`, `_`
/// and `-`, starting with a letter; compared case-insensitively, stored in lower case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AccountName(String);

impl AccountName {
    pub fn parse_field(field: &str, text: &str) -> Result<AccountName, FieldErrors> {
        let name = text.trim().to_ascii_lowercase();
        let well_formed = (4..=30).contains(&name.len())
            && name.starts_with(|c: char| c.is_ascii_lowercase())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
        if well_formed {
            Ok(AccountName(name))
        } else {
            Err(FieldErrors::single(
                field,
                "invalid_account_name",
                "帳號須為 4 到 30 個英數字（可含 . _ -），並以英文字母開頭",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 128;
/// The longest e-mail address (RFC 5321); no login (account name or address) is longer.
pub const EMAIL_MAX_CHARS: usize = 254;

/// The password policy: 10–128 characters with at least one letter and one digit, and not
/// containing the account name. Long passphrases are welcome; no other composition rules, which
/// only push people to predictable patterns.
pub fn check_password(
    field: &str,
    password: &str,
    account_name: Option<&str>,
) -> Result<(), FieldErrors> {
    let chars = password.chars().count();
    let fail = |code, message: &str| Err(FieldErrors::single(field, code, message));
    if chars < PASSWORD_MIN_CHARS {
        return fail("password_too_short", "密碼至少需要 10 個字元");
    }
    if chars > PASSWORD_MAX_CHARS {
        return fail("password_too_long", "密碼最多 128 個字元");
    }
    if !password.chars().any(|c| c.is_alphabetic()) || !password.chars().any(|c| c.is_ascii_digit())
    {
        return fail("password_too_simple", "密碼需同時包含英文字母與數字");
    }
    if let Some(name) = account_name
        && password.to_lowercase().contains(&name.to_lowercase())
    {
        return fail("password_contains_account_name", "密碼不可包含帳號名稱");
    }
    Ok(())
}

/// A plausible e-mail address: one `@`, something before it, a dotted domain after it, no spaces.
pub fn check_email(field: &str, email: &str) -> Result<String, FieldErrors> {
    let email = email.trim();
    let valid = email.len() <= EMAIL_MAX_CHARS
        && !email.chars().any(char::is_whitespace)
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if valid {
        Ok(email.to_owned())
    } else {
        Err(FieldErrors::single(
            field,
            "invalid_email",
            "電子郵件格式不正確",
        ))
    }
}

/// A phone number: digits with optional `+`, spaces, `-`, `(`, `)` and `#` (extension), 6–30 chars.
pub fn check_phone(field: &str, phone: &str) -> Result<String, FieldErrors> {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let valid = (6..=30).contains(&phone.len())
        && digits >= 6
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || "+-() #".contains(c));
    if valid {
        Ok(phone.to_owned())
    } else {
        Err(FieldErrors::single(
            field,
            "invalid_phone",
            "電話號碼格式不正確，例如 02-12345678#123",
        ))
    }
}

/// Failed logins before an account is locked, and for how long.
pub const MAX_FAILED_LOGINS: u32 = 5;
pub const LOCKOUT_MINUTES: i64 = 15;

/// The effect of a failed login on the account's counter: the new count, and the lock (in minutes
/// from now) when this failure reaches the limit. The counter restarts after a lock.
pub fn after_failed_login(failed_so_far: u32) -> (u32, Option<i64>) {
    let failed = failed_so_far + 1;
    if failed >= MAX_FAILED_LOGINS {
        (0, Some(LOCKOUT_MINUTES))
    } else {
        (failed, None)
    }
}

/// The check digit that completes a teacher's personal number (Luhn, over the nine digits).
fn luhn_digit(digits: &[u32]) -> u32 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                *d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// The teacher's personal unique identifier (教師個人專用識別號碼): `T` and ten digits, the last a
/// check digit, made from a random seed so it reveals nothing about the person.
pub fn personal_number(seed: u64) -> String {
    let body = 100_000_000 + seed % 900_000_000;
    let digits: Vec<u32> = body
        .to_string()
        .chars()
        .filter_map(|c| c.to_digit(10))
        .collect();
    format!("T{body}{}", luhn_digit(&digits))
}

/// Whether a personal number is well formed with a matching check digit.
pub fn is_personal_number(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('T') else {
        return false;
    };
    if rest.len() != 10 || !rest.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let digits: Vec<u32> = rest.chars().filter_map(|c| c.to_digit(10)).collect();
    luhn_digit(&digits[..9]) == digits[9]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_kinds_statuses_and_genders_round_trip() {
        for kind in [AccountKind::Teacher, AccountKind::Business] {
            assert_eq!(AccountKind::from_code(kind.code()), Some(kind));
        }
        for status in AccountStatus::ALL {
            assert_eq!(AccountStatus::from_code(status.code()), Some(status));
        }
        for gender in [Gender::Male, Gender::Female] {
            assert_eq!(Gender::from_code(gender.code()), Some(gender));
        }
        assert_eq!(AccountStatus::from_code("deleted"), None);
    }

    #[test]
    fn account_names_are_normalised_to_lower_case() {
        assert_eq!(
            AccountName::parse_field("n", " Teacher.Lin ")
                .unwrap()
                .as_str(),
            "teacher.lin"
        );
    }

    #[test]
    fn account_names_must_start_with_a_letter_and_fit_the_length() {
        for bad in ["abc", "1abc", "_abc", "ab cd", "林老師", &"a".repeat(31)] {
            assert!(AccountName::parse_field("n", bad).is_err(), "{bad}");
        }
        for good in ["abcd", "a-b_c.d", &"a".repeat(30)] {
            assert!(AccountName::parse_field("n", good).is_ok(), "{good}");
        }
    }

    #[test]
    fn the_password_policy_names_the_broken_rule() {
        let code = |p: &str| {
            check_password("password", p, Some("teacher01"))
                .unwrap_err()
                .0[0]
                .code
        };
        assert_eq!(code("short1"), "password_too_short");
        assert_eq!(code(&format!("a1{}", "x".repeat(127))), "password_too_long");
        assert_eq!(code("onlyletterslong"), "password_too_simple");
        assert_eq!(code("1234567890123"), "password_too_simple");
        assert_eq!(code("myTEACHER01pass"), "password_contains_account_name");
        assert!(check_password("password", "correct horse 42 battery", Some("teacher01")).is_ok());
        assert!(check_password("password", "長長的中文密碼也可以2026", None).is_ok());
    }

    #[test]
    fn exactly_ten_characters_is_long_enough() {
        assert!(check_password("p", "abcdefghi1", None).is_ok());
        assert!(check_password("p", "abcdefgh1", None).is_err());
    }

    #[test]
    fn emails_and_phones_are_checked_for_shape() {
        assert_eq!(
            check_email("e", " lin@school.edu.tw ").unwrap(),
            "lin@school.edu.tw"
        );
        for bad in [
            "",
            "lin",
            "lin@",
            "@x.tw",
            "lin@tw",
            "l in@x.tw",
            "a@b@c.tw",
            "lin@.tw",
        ] {
            assert!(check_email("e", bad).is_err(), "{bad}");
        }
        assert!(check_phone("p", "02-1234-5678#123").is_ok());
        assert!(check_phone("p", "+886 912 345 678").is_ok());
        for bad in ["12345", "02-abc-5678", ""] {
            assert!(check_phone("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_fifth_failure_locks_for_fifteen_minutes_and_restarts_the_count() {
        let mut failed = 0;
        for attempt in 1..=4 {
            let (count, lock) = after_failed_login(failed);
            assert_eq!((count, lock), (attempt, None));
            failed = count;
        }
        assert_eq!(after_failed_login(failed), (0, Some(15)));
    }

    #[test]
    fn personal_numbers_carry_a_check_digit() {
        for seed in [0, 1, 42, 899_999_999, u64::MAX] {
            let number = personal_number(seed);
            assert_eq!(number.len(), 11, "{number}");
            assert!(is_personal_number(&number), "{number}");
        }
        let number = personal_number(42);
        let last = number.chars().last().unwrap().to_digit(10).unwrap();
        let tampered = format!("{}{}", &number[..10], (last + 1) % 10);
        assert!(!is_personal_number(&tampered));
        assert!(!is_personal_number("X1234567890"));
    }
}

/// Job titles (參加對象職稱別, course form field 15): the code and its label.
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

pub fn job_title_label(code: &str) -> Option<&'static str> {
    JOB_TITLES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, label)| *label)
}

/// Validates a job-title code against the form's list.
pub fn check_job_title(field: &str, code: &str) -> Result<String, FieldErrors> {
    match job_title_label(code) {
        Some(_) => Ok(code.to_owned()),
        None => Err(FieldErrors::single(
            field,
            "invalid_job_title",
            "請選擇職稱（研習課程登錄表第 15 欄的代碼，例如 15-4）",
        )),
    }
}

pub const MAX_SUBJECTS: usize = 10;
pub const MAX_SUBJECT_CHARS: usize = 30;

/// Teaching subjects (任教科目): several allowed, each a short non-blank text, no duplicates.
pub fn check_subjects(field: &str, subjects: &[String]) -> Result<Vec<String>, FieldErrors> {
    let cleaned: Vec<String> = subjects.iter().map(|s| s.trim().to_owned()).collect();
    if cleaned.len() > MAX_SUBJECTS {
        return Err(FieldErrors::single(
            field,
            "too_many",
            format!("任教科目最多 {MAX_SUBJECTS} 項"),
        ));
    }
    if cleaned
        .iter()
        .any(|s| s.is_empty() || s.chars().count() > MAX_SUBJECT_CHARS)
    {
        return Err(FieldErrors::single(
            field,
            "invalid_subject",
            format!("每個任教科目須為 1 到 {MAX_SUBJECT_CHARS} 字"),
        ));
    }
    let mut unique = cleaned.clone();
    unique.sort();
    unique.dedup();
    if unique.len() != cleaned.len() {
        return Err(FieldErrors::single(
            field,
            "duplicate_subject",
            "任教科目不可重複",
        ));
    }
    Ok(cleaned)
}

/// A person's name as written on their ID: 1–60 characters, not blank.
pub fn check_real_name(field: &str, name: &str) -> Result<String, FieldErrors> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        Err(FieldErrors::single(
            field,
            "invalid_name",
            "姓名須為 1 到 60 字",
        ))
    } else {
        Ok(name.to_owned())
    }
}

#[cfg(test)]
mod profile_tests {
    use super::*;

    #[test]
    fn job_titles_are_the_form_codes() {
        assert_eq!(check_job_title("t", "15-4").unwrap(), "15-4");
        assert_eq!(job_title_label("15-13"), Some("園長"));
        assert!(check_job_title("t", "15-17").is_err());
        assert!(check_job_title("t", "teacher").is_err());
    }

    #[test]
    fn subjects_are_trimmed_bounded_and_unique() {
        let ok = check_subjects("s", &[" 國語文 ".into(), "數學".into()]).unwrap();
        assert_eq!(ok, ["國語文", "數學"]);
        assert!(check_subjects("s", &[]).unwrap().is_empty());
        assert_eq!(
            check_subjects("s", &["數學".into(), "數學".into()])
                .unwrap_err()
                .0[0]
                .code,
            "duplicate_subject"
        );
        assert_eq!(
            check_subjects("s", &["  ".into()]).unwrap_err().0[0].code,
            "invalid_subject"
        );
        let many: Vec<String> = (0..11).map(|i| format!("科目{i}")).collect();
        assert_eq!(
            check_subjects("s", &many).unwrap_err().0[0].code,
            "too_many"
        );
    }

    #[test]
    fn names_must_not_be_blank() {
        assert_eq!(check_real_name("n", " 林小明 ").unwrap(), "林小明");
        assert!(check_real_name("n", "   ").is_err());
        assert!(check_real_name("n", &"林".repeat(61)).is_err());
    }
}

/// What a teacher does in the system, for the no-serving-unit rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TeacherAction {
    ReadRecords,
    ReadProfile,
    EditProfile,
    ChangePassword,
    ExportPersonalData,
    Enroll,
    Withdraw,
    Favourite,
    AnswerQuestionnaire,
}

/// A teacher without a serving unit (無服務學校) may only read their records and look after their
/// own account (001 共同研討(二) 提案三); enrolling and the rest wait until a unit is set.
pub fn teacher_may(has_serving_unit: bool, action: TeacherAction) -> bool {
    has_serving_unit
        || matches!(
            action,
            TeacherAction::ReadRecords
                | TeacherAction::ReadProfile
                | TeacherAction::EditProfile
                | TeacherAction::ChangePassword
                | TeacherAction::ExportPersonalData
        )
}

#[cfg(test)]
mod serving_unit_tests {
    use super::*;

    #[test]
    fn without_a_serving_unit_only_records_and_the_own_account_remain() {
        for action in [
            TeacherAction::Enroll,
            TeacherAction::Withdraw,
            TeacherAction::Favourite,
            TeacherAction::AnswerQuestionnaire,
        ] {
            assert!(!teacher_may(false, action), "{action:?}");
            assert!(teacher_may(true, action), "{action:?}");
        }
        for action in [
            TeacherAction::ReadRecords,
            TeacherAction::ReadProfile,
            TeacherAction::EditProfile,
            TeacherAction::ChangePassword,
            TeacherAction::ExportPersonalData,
        ] {
            assert!(teacher_may(false, action), "{action:?}");
        }
    }
}
