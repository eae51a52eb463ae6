//! Courses (研習課程): their life cycle, review routing and automatic approval, and the Art. 9
//! warnings a reviewer sees, and the 26-field registration form with its validation.

pub mod class_type;
pub mod codes;
pub mod form;
pub mod lifecycle;
pub mod schedule;
pub mod state;
pub mod warnings;

pub use class_type::ClassType;
pub use form::{Catalog, Contact, CourseForm, CourseInput, TagState, validate};
pub use lifecycle::{
    RegistrationStatus, ReviewFlag, effective_state, registration_status, review_flags,
    submission_errors,
};
pub use schedule::{Session, SessionInput};
pub use state::{CourseEvent, CourseState, TransitionError};
pub use warnings::{Warning, WarningKind, art9_warnings};

use crate::UnitKind;

/// Automatic approval (seed 002 附件一 二(三)5): only for schools, kindergartens and training
/// centres, only for non-credit classes, only with an authorising document number, and only where
/// the reviewing regional centre's chief switched it on.
pub fn auto_approves(
    unit_kind: UnitKind,
    class_type: ClassType,
    document_number: Option<&str>,
    centre_switch_on: bool,
) -> bool {
    let eligible_unit = matches!(
        unit_kind,
        UnitKind::SeniorHigh
            | UnitKind::VocationalHigh
            | UnitKind::JuniorHigh
            | UnitKind::Elementary
            | UnitKind::Kindergarten
            | UnitKind::SpecialEducationSchool
            | UnitKind::TeacherTrainingCentre
    );
    let eligible_class = matches!(
        class_type,
        ClassType::NonCredit | ClassType::NonCreditSchoolBased
    );
    let has_document = document_number.is_some_and(|d| !d.trim().is_empty());
    centre_switch_on && eligible_unit && eligible_class && has_document
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_condition_of_automatic_approval_is_needed() {
        let yes = auto_approves(
            UnitKind::Elementary,
            ClassType::NonCredit,
            Some("臺教師(三)字第1130000001號"),
            true,
        );
        assert!(yes);
        assert!(
            !auto_approves(
                UnitKind::Elementary,
                ClassType::NonCredit,
                Some("文號"),
                false
            ),
            "switch off"
        );
        assert!(
            !auto_approves(UnitKind::Elementary, ClassType::NonCredit, None, true),
            "no document number"
        );
        assert!(
            !auto_approves(UnitKind::Elementary, ClassType::NonCredit, Some("  "), true),
            "blank document number"
        );
        assert!(
            !auto_approves(UnitKind::Elementary, ClassType::Seed, Some("文號"), true),
            "seed classes are reviewed"
        );
        assert!(auto_approves(
            UnitKind::Kindergarten,
            ClassType::NonCreditSchoolBased,
            Some("文號"),
            true
        ));
    }

    #[test]
    fn only_schools_kindergartens_and_training_centres_qualify() {
        for kind in UnitKind::ALL {
            let expected = matches!(
                kind,
                UnitKind::SeniorHigh
                    | UnitKind::VocationalHigh
                    | UnitKind::JuniorHigh
                    | UnitKind::Elementary
                    | UnitKind::Kindergarten
                    | UnitKind::SpecialEducationSchool
                    | UnitKind::TeacherTrainingCentre
            );
            assert_eq!(
                auto_approves(kind, ClassType::NonCredit, Some("文號"), true),
                expected,
                "{kind}"
            );
        }
    }
}
