//! The one place that decides who may do what: `authorize(principal, action, target)`.
//!
//! It reads the permission matrix ([`crate::permission`]), the approval rules
//! ([`crate::approval`]) and the no-serving-unit rule ([`crate::account::teacher_may`]).

use crate::UnitKind;
use crate::account::{TeacherAction, teacher_may};
use crate::approval::{self, BusinessRole};
use crate::permission::{self, AccountType, Function};

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Principal {
    Anonymous,
    Teacher {
        account_id: i32,
        unit_code: Option<String>,
    },
    Business {
        account_id: i32,
        role: BusinessRole,
    },
}

/// What they want to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Read, edit, export one's own account; change one's password; log out everywhere.
    OwnAccount,
    /// A teacher's own action besides reading records (enrolling, favourites…).
    Teacher(TeacherAction),
    /// See the business accounts one may decide about.
    ListBusinessAccounts,
    /// Approve, reject, retype, disable, enable or delete a business account.
    DecideBusinessAccount,
    /// 本單位教師帳號管理: list, search, export, transfer out, accept requests.
    ManageUnitTeachers,
    /// 教師資料登錄.
    EnterTeacherData,
    /// 修改本單位通訊資料.
    EditUnitContact,
    /// Create, edit, close, merge, move and import units.
    AdministerUnits,
    /// Read the audit log.
    ReadAuditLog,
    /// Read the development mailbox.
    ReadDevMailbox,
    /// 研習課程登錄: create and copy the unit's courses.
    RegisterCourse,
    /// 研習資料管理上傳: edit, submit, cancel the unit's courses and their attachments.
    ManageCourse,
    /// 本單位研習課程瀏覽: the unit's courses in every state.
    BrowseUnitCourses,
    /// 研習課程資料確認: decide the courses the target (reviewing) unit reviews.
    ReviewCourse,
    /// 自動審核瀏覽: see the unit's automatic-approval switches.
    ViewAutoApproval,
    /// 自動審核功能設定: switch automatic approval of courses and rosters (the chief only).
    SetAutoApproval,
    /// Create, edit and retire attribute tags.
    AdministerTags,
    /// 資訊傳報: the partner registry and its keys, every batch, the preschool export and the
    /// decisions on suspected duplicates.
    AdministerPartners,
    /// A county bureau's exchange work for the target (its own) unit: uploading its county
    /// partners' batches and confirming its back-end records month by month.
    OperateCountyExchange,
}

/// What the action is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target<'a> {
    Nothing,
    Unit(&'a str),
    /// A business account, with the unit that reviews its unit (Art. 11).
    BusinessAccount {
        account_id: i32,
        role: &'a BusinessRole,
        reviewer_code: &'a str,
    },
}

/// Why not. `code` is the stable problem code the API returns with 401/403.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("denied: {code}")]
pub struct Denied {
    pub code: &'static str,
    /// True when signing in could change the answer (HTTP 401 rather than 403).
    pub needs_login: bool,
}

const fn deny(code: &'static str) -> Result<(), Denied> {
    Err(Denied {
        code,
        needs_login: false,
    })
}

fn national_admin(role: &BusinessRole) -> bool {
    role.unit_kind == UnitKind::NationalCentre
        && permission::permits(
            role.unit_kind,
            role.account_type,
            Function::SubordinateAccounts,
        )
}

/// Whether `role` may use `function` for `unit`: its own unit by the matrix, any unit for the
/// national centre's administrators.
fn for_unit(role: &BusinessRole, unit: &str, function: Function) -> bool {
    national_admin(role)
        || (role.unit_code == unit
            && permission::permits(role.unit_kind, role.account_type, function))
}

/// What a teacher account may do: its own account, and teacher actions the serving unit (or
/// its absence) allows; everything else names the account it would need.
fn teacher(action: Action, has_serving_unit: bool) -> Result<(), Denied> {
    match action {
        Action::OwnAccount => Ok(()),
        Action::Teacher(act) if teacher_may(has_serving_unit, act) => Ok(()),
        Action::Teacher(_) => deny("no_serving_unit"),
        Action::ListBusinessAccounts | Action::DecideBusinessAccount => {
            deny("business_account_required")
        }
        Action::AdministerUnits
        | Action::ReadAuditLog
        | Action::ReadDevMailbox
        | Action::AdministerTags
        | Action::AdministerPartners => deny("national_admin_required"),
        Action::OperateCountyExchange => deny("business_account_required"),
        Action::RegisterCourse
        | Action::ManageCourse
        | Action::BrowseUnitCourses
        | Action::ReviewCourse
        | Action::ViewAutoApproval
        | Action::SetAutoApproval => deny("business_account_required"),
        _ => deny("not_permitted"),
    }
}

/// Whether `role` may use `function` for its own unit `unit` (no administrator override).
fn own_unit(role: &BusinessRole, unit: &str, function: Function) -> bool {
    role.unit_code == unit && permission::permits(role.unit_kind, role.account_type, function)
}

pub fn authorize(principal: &Principal, action: Action, target: &Target<'_>) -> Result<(), Denied> {
    let (own, role) = match principal {
        Principal::Anonymous => {
            return Err(Denied {
                code: "unauthenticated",
                needs_login: true,
            });
        }
        Principal::Teacher { unit_code, .. } => return teacher(action, unit_code.is_some()),
        Principal::Business {
            account_id, role, ..
        } => (account_id, role),
    };
    let allowed = match (action, target) {
        (Action::OwnAccount, _) => true,
        (Action::Teacher(_), _) => return deny("teacher_account_required"),
        (Action::ListBusinessAccounts, _) => true,
        (
            Action::DecideBusinessAccount,
            Target::BusinessAccount {
                account_id,
                role: target,
                reviewer_code,
            },
        ) => {
            if own == account_id {
                return deny("not_the_approver");
            }
            if !approval::may_decide(role, target, reviewer_code) {
                return deny("not_the_approver");
            }
            true
        }
        (Action::ManageUnitTeachers, Target::Unit(unit)) => {
            for_unit(role, unit, Function::UnitTeacherAccounts)
        }
        (Action::EnterTeacherData, Target::Unit(unit)) => {
            for_unit(role, unit, Function::TeacherDataEntry)
        }
        (Action::EditUnitContact, Target::Unit(unit)) => {
            for_unit(role, unit, Function::UnitContactEdit)
        }
        (Action::RegisterCourse, Target::Unit(unit)) => {
            for_unit(role, unit, Function::CourseRegistration)
        }
        (Action::ManageCourse, Target::Unit(unit)) => {
            for_unit(role, unit, Function::CourseManagement)
        }
        (Action::BrowseUnitCourses, Target::Unit(unit)) => {
            for_unit(role, unit, Function::UnitCourseBrowse)
        }
        // Reviewing is the reviewing unit's own business: no administrator stands in for it.
        (Action::ReviewCourse, Target::Unit(reviewer)) => {
            own_unit(role, reviewer, Function::CourseReview)
        }
        (Action::ViewAutoApproval, Target::Unit(unit)) => {
            own_unit(role, unit, Function::AutoApprovalView)
        }
        (Action::SetAutoApproval, Target::Unit(unit)) => {
            own_unit(role, unit, Function::AutoApprovalSetting)
        }
        (
            Action::AdministerUnits
            | Action::ReadAuditLog
            | Action::ReadDevMailbox
            | Action::AdministerTags
            | Action::AdministerPartners,
            _,
        ) => {
            if national_admin(role) {
                true
            } else {
                return deny("national_admin_required");
            }
        }
        (Action::OperateCountyExchange, Target::Unit(unit)) => {
            national_admin(role)
                || (role.unit_code == *unit && role.unit_kind == UnitKind::CountyBureau)
        }
        _ => false,
    };
    if allowed {
        Ok(())
    } else {
        deny("not_permitted")
    }
}

/// A business role, for building principals in tests and callers.
pub fn business(
    account_id: i32,
    unit_code: &str,
    unit_kind: UnitKind,
    account_type: AccountType,
) -> Principal {
    Principal::Business {
        account_id,
        role: BusinessRole {
            unit_code: unit_code.to_owned(),
            unit_kind,
            account_type,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCHOOL: &str = "demo-jh-taipei";

    fn teacher(unit: Option<&str>) -> Principal {
        Principal::Teacher {
            account_id: 1,
            unit_code: unit.map(str::to_owned),
        }
    }

    #[test]
    fn anonymous_callers_must_log_in() {
        let denied =
            authorize(&Principal::Anonymous, Action::OwnAccount, &Target::Nothing).unwrap_err();
        assert_eq!((denied.code, denied.needs_login), ("unauthenticated", true));
    }

    #[test]
    fn a_teacher_without_a_serving_unit_only_reads_records_and_keeps_the_account() {
        let without = teacher(None);
        assert!(authorize(&without, Action::OwnAccount, &Target::Nothing).is_ok());
        assert!(
            authorize(
                &without,
                Action::Teacher(TeacherAction::ReadRecords),
                &Target::Nothing
            )
            .is_ok()
        );
        let denied = authorize(
            &without,
            Action::Teacher(TeacherAction::Enroll),
            &Target::Nothing,
        )
        .unwrap_err();
        assert_eq!(denied.code, "no_serving_unit");
        assert!(
            authorize(
                &teacher(Some(SCHOOL)),
                Action::Teacher(TeacherAction::Enroll),
                &Target::Nothing
            )
            .is_ok()
        );
    }

    #[test]
    fn teachers_have_no_business_functions() {
        let t = teacher(Some(SCHOOL));
        for (action, code) in [
            (Action::ListBusinessAccounts, "business_account_required"),
            (Action::ManageUnitTeachers, "not_permitted"),
            (Action::AdministerUnits, "national_admin_required"),
        ] {
            assert_eq!(
                authorize(&t, action, &Target::Unit(SCHOOL))
                    .unwrap_err()
                    .code,
                code
            );
        }
    }

    #[test]
    fn unit_functions_follow_the_matrix_for_the_own_unit_only() {
        let cases = [
            (AccountType::Chief, true, true, true),
            (AccountType::Contact, true, true, true),
            (AccountType::Operator, false, false, false),
        ];
        for (account_type, manage, enter, contact) in cases {
            let p = business(2, SCHOOL, UnitKind::JuniorHigh, account_type);
            let own = Target::Unit(SCHOOL);
            assert_eq!(
                authorize(&p, Action::ManageUnitTeachers, &own).is_ok(),
                manage,
                "{account_type}"
            );
            assert_eq!(
                authorize(&p, Action::EnterTeacherData, &own).is_ok(),
                enter,
                "{account_type}"
            );
            assert_eq!(
                authorize(&p, Action::EditUnitContact, &own).is_ok(),
                contact,
                "{account_type}"
            );
            assert!(
                authorize(
                    &p,
                    Action::ManageUnitTeachers,
                    &Target::Unit("another-school")
                )
                .is_err()
            );
        }
    }

    #[test]
    fn a_bureau_has_no_teacher_data_entry_but_manages_its_own_teachers() {
        let bureau = business(
            3,
            "bureau-63000",
            UnitKind::CountyBureau,
            AccountType::Chief,
        );
        assert!(
            authorize(
                &bureau,
                Action::ManageUnitTeachers,
                &Target::Unit("bureau-63000")
            )
            .is_ok()
        );
        assert!(
            authorize(
                &bureau,
                Action::EnterTeacherData,
                &Target::Unit("bureau-63000")
            )
            .is_err()
        );
        assert!(authorize(&bureau, Action::ManageUnitTeachers, &Target::Unit(SCHOOL)).is_err());
    }

    #[test]
    fn the_national_centre_administers_everything_but_its_operators_do_not() {
        let admin = business(
            4,
            "national-centre",
            UnitKind::NationalCentre,
            AccountType::Contact,
        );
        let operator = business(
            5,
            "national-centre",
            UnitKind::NationalCentre,
            AccountType::Operator,
        );
        for action in [
            Action::AdministerUnits,
            Action::ReadAuditLog,
            Action::ReadDevMailbox,
            Action::ManageUnitTeachers,
        ] {
            assert!(
                authorize(&admin, action, &Target::Unit(SCHOOL)).is_ok(),
                "{action:?}"
            );
        }
        assert_eq!(
            authorize(&operator, Action::AdministerUnits, &Target::Nothing)
                .unwrap_err()
                .code,
            "national_admin_required"
        );
    }

    #[test]
    fn business_accounts_are_decided_by_their_approver_and_never_by_themselves() {
        let applicant = BusinessRole {
            unit_code: SCHOOL.into(),
            unit_kind: UnitKind::JuniorHigh,
            account_type: AccountType::Operator,
        };
        let target = Target::BusinessAccount {
            account_id: 9,
            role: &applicant,
            reviewer_code: "bureau-63000",
        };
        let chief = business(6, SCHOOL, UnitKind::JuniorHigh, AccountType::Chief);
        assert!(authorize(&chief, Action::DecideBusinessAccount, &target).is_ok());
        let contact = business(7, SCHOOL, UnitKind::JuniorHigh, AccountType::Contact);
        assert_eq!(
            authorize(&contact, Action::DecideBusinessAccount, &target)
                .unwrap_err()
                .code,
            "not_the_approver"
        );
        let itself = business(9, SCHOOL, UnitKind::JuniorHigh, AccountType::Chief);
        let own_role = BusinessRole {
            account_type: AccountType::Chief,
            ..applicant.clone()
        };
        let own = Target::BusinessAccount {
            account_id: 9,
            role: &own_role,
            reviewer_code: "bureau-63000",
        };
        assert!(authorize(&itself, Action::DecideBusinessAccount, &own).is_err());
    }

    #[test]
    fn every_business_role_may_list_its_queue_and_look_after_its_account() {
        for kind in UnitKind::ALL {
            for account_type in AccountType::ALL {
                let p = business(8, "u", kind, account_type);
                assert!(authorize(&p, Action::ListBusinessAccounts, &Target::Nothing).is_ok());
                assert!(authorize(&p, Action::OwnAccount, &Target::Nothing).is_ok());
            }
        }
    }

    #[test]
    fn course_functions_follow_the_matrix_for_every_unit_kind_and_account_type() {
        let cases = [
            (Action::RegisterCourse, Function::CourseRegistration),
            (Action::ManageCourse, Function::CourseManagement),
            (Action::BrowseUnitCourses, Function::UnitCourseBrowse),
            (Action::ReviewCourse, Function::CourseReview),
            (Action::ViewAutoApproval, Function::AutoApprovalView),
            (Action::SetAutoApproval, Function::AutoApprovalSetting),
        ];
        for kind in UnitKind::ALL {
            for account_type in AccountType::ALL {
                let p = business(10, "own-unit", kind, account_type);
                for (action, function) in cases {
                    let expected = permission::permits(kind, account_type, function);
                    assert_eq!(
                        authorize(&p, action, &Target::Unit("own-unit")).is_ok(),
                        expected,
                        "{action:?} {kind} {account_type}"
                    );
                }
            }
        }
    }

    #[test]
    fn courses_of_another_unit_are_out_of_reach_and_reviews_have_no_stand_in() {
        let operator = business(11, SCHOOL, UnitKind::JuniorHigh, AccountType::Operator);
        assert!(authorize(&operator, Action::ManageCourse, &Target::Unit(SCHOOL)).is_ok());
        assert!(
            authorize(
                &operator,
                Action::ManageCourse,
                &Target::Unit("another-school")
            )
            .is_err()
        );
        let admin = business(
            12,
            "national-centre",
            UnitKind::NationalCentre,
            AccountType::Chief,
        );
        assert!(authorize(&admin, Action::ManageCourse, &Target::Unit(SCHOOL)).is_ok());
        assert!(
            authorize(&admin, Action::ReviewCourse, &Target::Unit("bureau-63000")).is_err(),
            "the national centre reviews its own jurisdiction only"
        );
        let reviewer = business(
            13,
            "bureau-63000",
            UnitKind::CountyBureau,
            AccountType::Operator,
        );
        assert!(
            authorize(
                &reviewer,
                Action::ReviewCourse,
                &Target::Unit("bureau-63000")
            )
            .is_ok()
        );
        assert!(
            authorize(
                &reviewer,
                Action::SetAutoApproval,
                &Target::Unit("bureau-63000")
            )
            .is_err(),
            "only the chief switches automatic approval"
        );
        assert!(
            authorize(
                &reviewer,
                Action::ViewAutoApproval,
                &Target::Unit("bureau-63000")
            )
            .is_ok()
        );
    }

    #[test]
    fn partners_are_the_national_centres_and_a_bureau_operates_its_own_county_exchange() {
        let bureau = "bureau-63000";
        let operator = business(21, bureau, UnitKind::CountyBureau, AccountType::Operator);
        let own = Target::Unit(bureau);
        assert!(authorize(&operator, Action::OperateCountyExchange, &own).is_ok());
        assert_eq!(
            authorize(
                &operator,
                Action::OperateCountyExchange,
                &Target::Unit("bureau-64000")
            )
            .unwrap_err()
            .code,
            "not_permitted"
        );
        assert_eq!(
            authorize(&operator, Action::AdministerPartners, &Target::Nothing)
                .unwrap_err()
                .code,
            "national_admin_required"
        );
        let school = business(22, SCHOOL, UnitKind::JuniorHigh, AccountType::Chief);
        assert!(
            authorize(
                &school,
                Action::OperateCountyExchange,
                &Target::Unit(SCHOOL)
            )
            .is_err()
        );
        assert_eq!(
            authorize(&teacher(Some(SCHOOL)), Action::OperateCountyExchange, &own)
                .unwrap_err()
                .code,
            "business_account_required"
        );
    }

    #[test]
    fn teachers_get_business_refusals_for_course_work_and_tags_are_for_the_national_centre() {
        let t = teacher(Some(SCHOOL));
        assert_eq!(
            authorize(&t, Action::RegisterCourse, &Target::Unit(SCHOOL))
                .unwrap_err()
                .code,
            "business_account_required"
        );
        assert_eq!(
            authorize(&t, Action::AdministerTags, &Target::Nothing)
                .unwrap_err()
                .code,
            "national_admin_required"
        );
        let chief = business(14, SCHOOL, UnitKind::JuniorHigh, AccountType::Chief);
        assert_eq!(
            authorize(&chief, Action::AdministerTags, &Target::Nothing)
                .unwrap_err()
                .code,
            "national_admin_required"
        );
    }
}
