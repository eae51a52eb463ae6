//! Who approves, changes and removes business accounts (seed 004 附件二, seed 002 附件一 三(三)).

use crate::UnitKind;
use crate::permission::{self, AccountType, Function, UnitColumn};

/// A business account as far as approval rules care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessRole {
    pub unit_code: String,
    pub unit_kind: UnitKind,
    pub account_type: AccountType,
}

/// Who decides about an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Approver {
    /// The chief (總負責人) of the account's own unit: for its contacts and operators.
    UnitChief(String),
    /// The regional centre that reviews the unit: for a school's chief.
    RegionalCentre(String),
    /// The national centre: for universities, legal persons and the centres' own chiefs.
    NationalCentre,
}

/// The approver of `applicant`, whose unit is reviewed by the unit `reviewer_code` (Art. 11).
pub fn approver(applicant: &BusinessRole, reviewer_code: &str) -> Approver {
    let column = UnitColumn::of(applicant.unit_kind);
    let own_management = permission::unit_has(column, Function::UnitBusinessAccounts);
    if !own_management {
        return Approver::NationalCentre;
    }
    if applicant.account_type != AccountType::Chief {
        return Approver::UnitChief(applicant.unit_code.clone());
    }
    let centre_or_ministry = applicant.unit_kind.is_regional_centre()
        || matches!(
            applicant.unit_kind,
            UnitKind::Moe | UnitKind::NationalCentre | UnitKind::CurriculumTaskForce
        );
    if centre_or_ministry || reviewer_code == applicant.unit_code {
        Approver::NationalCentre
    } else {
        Approver::RegionalCentre(reviewer_code.to_owned())
    }
}

/// Whether `actor` may approve, reject, retype, disable or delete `applicant`'s account. The
/// national centre's account managers may decide every account.
pub fn may_decide(actor: &BusinessRole, applicant: &BusinessRole, reviewer_code: &str) -> bool {
    let national_admin = actor.unit_kind == UnitKind::NationalCentre
        && permission::permits(
            actor.unit_kind,
            actor.account_type,
            Function::SubordinateAccounts,
        );
    if national_admin {
        return true;
    }
    match approver(applicant, reviewer_code) {
        Approver::UnitChief(code) => {
            actor.unit_code == code
                && permission::permits(
                    actor.unit_kind,
                    actor.account_type,
                    Function::UnitBusinessAccounts,
                )
        }
        Approver::RegionalCentre(code) => {
            actor.unit_code == code
                && permission::permits(
                    actor.unit_kind,
                    actor.account_type,
                    Function::SubordinateAccounts,
                )
        }
        Approver::NationalCentre => false,
    }
}

fn rank(approver: &Approver) -> u8 {
    match approver {
        Approver::UnitChief(_) => 0,
        Approver::RegionalCentre(_) => 1,
        Approver::NationalCentre => 2,
    }
}

/// The account whose approver must decide a retype of `applicant` to `new_type`: the account as
/// it is or as it will be, whichever needs the higher approval. So a unit's chief can move its
/// staff between contact and operator, but only the regional centre makes or unmakes a chief.
pub fn retype_decided_as(
    applicant: &BusinessRole,
    reviewer_code: &str,
    new_type: AccountType,
) -> BusinessRole {
    let retyped = BusinessRole {
        account_type: new_type,
        ..applicant.clone()
    };
    if rank(&approver(&retyped, reviewer_code)) >= rank(&approver(applicant, reviewer_code)) {
        retyped
    } else {
        applicant.clone()
    }
}

/// Whether `actor` may give `applicant` the type `new_type`.
pub fn may_retype(
    actor: &BusinessRole,
    applicant: &BusinessRole,
    reviewer_code: &str,
    new_type: AccountType,
) -> bool {
    may_decide(
        actor,
        &retype_decided_as(applicant, reviewer_code, new_type),
        reviewer_code,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_unit_chief_cannot_make_its_operator_a_chief() {
        let chief = role(SCHOOL, UnitKind::JuniorHigh, AccountType::Chief);
        let operator = role(SCHOOL, UnitKind::JuniorHigh, AccountType::Operator);
        assert!(may_retype(&chief, &operator, BUREAU, AccountType::Contact));
        assert!(!may_retype(&chief, &operator, BUREAU, AccountType::Chief));
        let centre = role(BUREAU, UnitKind::CountyBureau, AccountType::Chief);
        assert!(may_retype(&centre, &operator, BUREAU, AccountType::Chief));
        assert!(!may_retype(
            &centre,
            &operator,
            BUREAU,
            AccountType::Contact
        ));
        // Unmaking a chief is the chief's approver's decision too.
        assert!(may_retype(&centre, &chief, BUREAU, AccountType::Operator));
        assert!(!may_retype(&chief, &chief, BUREAU, AccountType::Operator));
        let national = role(
            "national-centre",
            UnitKind::NationalCentre,
            AccountType::Chief,
        );
        assert!(may_retype(&national, &operator, BUREAU, AccountType::Chief));
    }

    fn role(code: &str, kind: UnitKind, account_type: AccountType) -> BusinessRole {
        BusinessRole {
            unit_code: code.into(),
            unit_kind: kind,
            account_type,
        }
    }

    const SCHOOL: &str = "demo-jh-taipei";
    const BUREAU: &str = "bureau-63000";

    #[test]
    fn a_schools_chief_is_approved_by_its_regional_centre() {
        let applicant = role(SCHOOL, UnitKind::JuniorHigh, AccountType::Chief);
        assert_eq!(
            approver(&applicant, BUREAU),
            Approver::RegionalCentre(BUREAU.into())
        );
        for account_type in [AccountType::Chief, AccountType::Contact] {
            assert!(may_decide(
                &role(BUREAU, UnitKind::CountyBureau, account_type),
                &applicant,
                BUREAU
            ));
        }
        assert!(!may_decide(
            &role(BUREAU, UnitKind::CountyBureau, AccountType::Operator),
            &applicant,
            BUREAU
        ));
        assert!(!may_decide(
            &role("bureau-64000", UnitKind::CountyBureau, AccountType::Chief),
            &applicant,
            BUREAU
        ));
        assert!(!may_decide(
            &role(SCHOOL, UnitKind::JuniorHigh, AccountType::Chief),
            &applicant,
            BUREAU
        ));
    }

    #[test]
    fn contacts_and_operators_are_approved_by_their_units_chief() {
        for account_type in [AccountType::Contact, AccountType::Operator] {
            let applicant = role(SCHOOL, UnitKind::JuniorHigh, account_type);
            assert_eq!(
                approver(&applicant, BUREAU),
                Approver::UnitChief(SCHOOL.into())
            );
            assert!(may_decide(
                &role(SCHOOL, UnitKind::JuniorHigh, AccountType::Chief),
                &applicant,
                BUREAU
            ));
            assert!(!may_decide(
                &role(SCHOOL, UnitKind::JuniorHigh, AccountType::Contact),
                &applicant,
                BUREAU
            ));
            assert!(!may_decide(
                &role("other-school", UnitKind::JuniorHigh, AccountType::Chief),
                &applicant,
                BUREAU
            ));
            assert!(!may_decide(
                &role(BUREAU, UnitKind::CountyBureau, AccountType::Chief),
                &applicant,
                BUREAU
            ));
        }
    }

    #[test]
    fn university_and_legal_person_operators_go_to_the_national_centre() {
        for kind in [
            UnitKind::University,
            UnitKind::TeacherEducationUniversity,
            UnitKind::SocialEducationOrLegalPerson,
        ] {
            let applicant = role("u", kind, AccountType::Operator);
            assert_eq!(
                approver(&applicant, "national-centre"),
                Approver::NationalCentre
            );
            assert!(may_decide(
                &role(
                    "national-centre",
                    UnitKind::NationalCentre,
                    AccountType::Contact
                ),
                &applicant,
                "national-centre"
            ));
            assert!(!may_decide(
                &role(
                    "national-centre",
                    UnitKind::NationalCentre,
                    AccountType::Operator
                ),
                &applicant,
                "national-centre"
            ));
            assert!(!may_decide(
                &role(BUREAU, UnitKind::CountyBureau, AccountType::Chief),
                &applicant,
                "national-centre"
            ));
        }
    }

    #[test]
    fn a_regional_centres_own_chief_is_approved_by_the_national_centre() {
        let applicant = role(BUREAU, UnitKind::CountyBureau, AccountType::Chief);
        assert_eq!(approver(&applicant, BUREAU), Approver::NationalCentre);
        assert!(!may_decide(
            &role(BUREAU, UnitKind::CountyBureau, AccountType::Chief),
            &applicant,
            BUREAU
        ));
    }

    #[test]
    fn the_national_centre_may_decide_every_account() {
        let admin = role(
            "national-centre",
            UnitKind::NationalCentre,
            AccountType::Chief,
        );
        let applicant = role(SCHOOL, UnitKind::JuniorHigh, AccountType::Operator);
        assert!(may_decide(&admin, &applicant, BUREAU));
    }
}
