//! Who reviews a unit's courses and rosters (regulations Art. 11, 「課程審核單位」).

use crate::{CountyCode, UnitKind};

/// Who runs a school: it decides the competent authority of senior highs and special schools.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Ownership {
    /// 國立 — run by the central government.
    National,
    /// 縣市立 / 直轄市立 — run by a county or city.
    Local,
    /// 私立.
    Private,
}

impl Ownership {
    pub const ALL: [Ownership; 3] = [Ownership::National, Ownership::Local, Ownership::Private];

    pub fn code(self) -> &'static str {
        match self {
            Ownership::National => "national",
            Ownership::Local => "local",
            Ownership::Private => "private",
        }
    }

    pub fn from_code(code: &str) -> Option<Ownership> {
        Ownership::ALL.into_iter().find(|o| o.code() == code)
    }
}

/// The reviewing authority of a unit, as the code of the reviewing unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewingAuthority {
    /// 全國推廣中心 (`national-centre`).
    NationalCentre,
    /// A division of 國教署, or 國教署 itself (`k12ea…`).
    K12(&'static str),
    /// The education bureau of a county (`bureau-<county>`).
    CountyBureau(CountyCode),
    /// Regional centres, MOE and the national centre confirm their own courses.
    Itself,
}

impl ReviewingAuthority {
    /// The reviewing unit's code, given the code of the unit under review (for [`Self::Itself`]).
    pub fn unit_code(&self, own_code: &str) -> String {
        match self {
            ReviewingAuthority::NationalCentre => "national-centre".to_owned(),
            ReviewingAuthority::K12(code) => (*code).to_owned(),
            ReviewingAuthority::CountyBureau(county) => format!("bureau-{county}"),
            ReviewingAuthority::Itself => own_code.to_owned(),
        }
    }
}

/// Art. 11: universities and legal persons → the national centre; national and private senior
/// highs, vocational and special schools → 國教署; local schools down to kindergartens, local
/// training centres, experimental education and local agencies → their county's bureau.
/// A unit without a county that would need one falls back to the national centre, which can
/// transfer it (the transfer is kept in the unit's history).
pub fn reviewing_authority(
    kind: UnitKind,
    ownership: Ownership,
    county: Option<&CountyCode>,
) -> ReviewingAuthority {
    let bureau = || match county {
        Some(county) => ReviewingAuthority::CountyBureau(county.clone()),
        None => ReviewingAuthority::NationalCentre,
    };
    let central = ownership != Ownership::Local;
    match kind {
        UnitKind::Moe
        | UnitKind::NationalCentre
        | UnitKind::K12Administration
        | UnitKind::K12Division
        | UnitKind::CountyBureau => ReviewingAuthority::Itself,
        UnitKind::TeacherEducationUniversity
        | UnitKind::University
        | UnitKind::SocialEducationOrLegalPerson => ReviewingAuthority::NationalCentre,
        UnitKind::CurriculumTaskForce | UnitKind::SubjectCentre => {
            ReviewingAuthority::K12("k12ea-senior-high")
        }
        UnitKind::SeniorHigh | UnitKind::VocationalHigh if central => {
            ReviewingAuthority::K12("k12ea-senior-high")
        }
        UnitKind::SpecialEducationSchool if central => {
            ReviewingAuthority::K12("k12ea-indigenous-special")
        }
        UnitKind::TeacherTrainingCentre if ownership == Ownership::National => {
            ReviewingAuthority::K12("k12ea")
        }
        UnitKind::SeniorHigh
        | UnitKind::VocationalHigh
        | UnitKind::SpecialEducationSchool
        | UnitKind::TeacherTrainingCentre
        | UnitKind::JuniorHigh
        | UnitKind::Elementary
        | UnitKind::Kindergarten
        | UnitKind::ExperimentalEducation
        | UnitKind::LocalAgency => bureau(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn taipei() -> CountyCode {
        CountyCode::parse_field("county", "63000").unwrap()
    }

    #[test]
    fn universities_and_legal_persons_are_reviewed_by_the_national_centre() {
        for kind in [
            UnitKind::University,
            UnitKind::TeacherEducationUniversity,
            UnitKind::SocialEducationOrLegalPerson,
        ] {
            for ownership in Ownership::ALL {
                assert_eq!(
                    reviewing_authority(kind, ownership, Some(&taipei())),
                    ReviewingAuthority::NationalCentre
                );
            }
        }
    }

    #[test]
    fn national_and_private_senior_highs_go_to_the_k12_administration() {
        for kind in [UnitKind::SeniorHigh, UnitKind::VocationalHigh] {
            for ownership in [Ownership::National, Ownership::Private] {
                let authority = reviewing_authority(kind, ownership, Some(&taipei()));
                assert_eq!(authority.unit_code("x"), "k12ea-senior-high");
            }
        }
        let special =
            reviewing_authority(UnitKind::SpecialEducationSchool, Ownership::National, None);
        assert_eq!(special.unit_code("x"), "k12ea-indigenous-special");
    }

    #[test]
    fn local_schools_down_to_kindergartens_go_to_their_county_bureau() {
        for kind in [
            UnitKind::SeniorHigh,
            UnitKind::JuniorHigh,
            UnitKind::Elementary,
            UnitKind::Kindergarten,
            UnitKind::SpecialEducationSchool,
            UnitKind::TeacherTrainingCentre,
            UnitKind::LocalAgency,
            UnitKind::ExperimentalEducation,
        ] {
            let authority = reviewing_authority(kind, Ownership::Local, Some(&taipei()));
            assert_eq!(authority.unit_code("x"), "bureau-63000", "{kind}");
        }
        // Private junior highs and below are reviewed locally too.
        let private =
            reviewing_authority(UnitKind::Elementary, Ownership::Private, Some(&taipei()));
        assert_eq!(private, ReviewingAuthority::CountyBureau(taipei()));
    }

    #[test]
    fn a_national_training_centre_is_reviewed_by_its_competent_authority() {
        let authority = reviewing_authority(
            UnitKind::TeacherTrainingCentre,
            Ownership::National,
            Some(&taipei()),
        );
        assert_eq!(authority.unit_code("x"), "k12ea");
    }

    #[test]
    fn regional_centres_review_their_own_courses() {
        for kind in [
            UnitKind::CountyBureau,
            UnitKind::K12Division,
            UnitKind::NationalCentre,
            UnitKind::Moe,
        ] {
            let authority = reviewing_authority(kind, Ownership::Local, Some(&taipei()));
            assert_eq!(authority.unit_code("bureau-63000"), "bureau-63000");
        }
    }

    #[test]
    fn a_local_unit_without_a_county_falls_back_to_the_national_centre() {
        assert_eq!(
            reviewing_authority(UnitKind::Elementary, Ownership::Local, None),
            ReviewingAuthority::NationalCentre
        );
    }
}
