//! Units (單位): the bodies that supervise, review, offer courses or employ teachers.

use std::fmt;
use std::str::FromStr;

use crate::FieldErrors;

/// The kinds of unit the regulations distinguish (DOMAIN.md §2, permissions.csv columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitKind {
    /// 教育部 — the supervising ministry.
    Moe,
    /// 全國推廣中心 (國立高雄師範大學) — the national centre.
    NationalCentre,
    /// 教育部國民及學前教育署 — a regional centre for national schools.
    K12Administration,
    /// One of the five divisions of 國教署.
    K12Division,
    /// 縣市政府教育局(處) — the regional centre of one county or city.
    CountyBureau,
    /// 普通型高級中等學校課程推動工作圈.
    CurriculumTaskForce,
    TeacherEducationUniversity,
    University,
    SeniorHigh,
    VocationalHigh,
    JuniorHigh,
    Elementary,
    Kindergarten,
    SpecialEducationSchool,
    /// 非學校型態實驗教育機構.
    ExperimentalEducation,
    /// 社教機構與法人.
    SocialEducationOrLegalPerson,
    /// 高中課程學科中心.
    SubjectCentre,
    /// 教師研習中心.
    TeacherTrainingCentre,
    /// 地方政府機關 (衛生局、社會局…) and community colleges.
    LocalAgency,
}

impl UnitKind {
    pub const ALL: [UnitKind; 19] = [
        UnitKind::Moe,
        UnitKind::NationalCentre,
        UnitKind::K12Administration,
        UnitKind::K12Division,
        UnitKind::CountyBureau,
        UnitKind::CurriculumTaskForce,
        UnitKind::TeacherEducationUniversity,
        UnitKind::University,
        UnitKind::SeniorHigh,
        UnitKind::VocationalHigh,
        UnitKind::JuniorHigh,
        UnitKind::Elementary,
        UnitKind::Kindergarten,
        UnitKind::SpecialEducationSchool,
        UnitKind::ExperimentalEducation,
        UnitKind::SocialEducationOrLegalPerson,
        UnitKind::SubjectCentre,
        UnitKind::TeacherTrainingCentre,
        UnitKind::LocalAgency,
    ];

    pub fn code(self) -> &'static str {
        match self {
            UnitKind::Moe => "moe",
            UnitKind::NationalCentre => "national_centre",
            UnitKind::K12Administration => "k12_administration",
            UnitKind::K12Division => "k12_division",
            UnitKind::CountyBureau => "county_bureau",
            UnitKind::CurriculumTaskForce => "curriculum_task_force",
            UnitKind::TeacherEducationUniversity => "teacher_education_university",
            UnitKind::University => "university",
            UnitKind::SeniorHigh => "senior_high",
            UnitKind::VocationalHigh => "vocational_high",
            UnitKind::JuniorHigh => "junior_high",
            UnitKind::Elementary => "elementary",
            UnitKind::Kindergarten => "kindergarten",
            UnitKind::SpecialEducationSchool => "special_education_school",
            UnitKind::ExperimentalEducation => "experimental_education",
            UnitKind::SocialEducationOrLegalPerson => "social_education_or_legal_person",
            UnitKind::SubjectCentre => "subject_centre",
            UnitKind::TeacherTrainingCentre => "teacher_training_centre",
            UnitKind::LocalAgency => "local_agency",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Moe => "教育部",
            UnitKind::NationalCentre => "全國推廣中心",
            UnitKind::K12Administration => "教育部國民及學前教育署",
            UnitKind::K12Division => "國教署業務組",
            UnitKind::CountyBureau => "縣市政府教育局(處)",
            UnitKind::CurriculumTaskForce => "課程推動工作圈",
            UnitKind::TeacherEducationUniversity => "師資培育之大學",
            UnitKind::University => "大專校院",
            UnitKind::SeniorHigh => "高級中等學校",
            UnitKind::VocationalHigh => "技術型高級中等學校",
            UnitKind::JuniorHigh => "國民中學",
            UnitKind::Elementary => "國民小學",
            UnitKind::Kindergarten => "幼兒園",
            UnitKind::SpecialEducationSchool => "特殊教育學校",
            UnitKind::ExperimentalEducation => "非學校型態實驗教育機構",
            UnitKind::SocialEducationOrLegalPerson => "社教機構與法人",
            UnitKind::SubjectCentre => "高中課程學科中心",
            UnitKind::TeacherTrainingCentre => "教師研習中心",
            UnitKind::LocalAgency => "地方政府機關",
        }
    }

    /// Regional centres (區管中心) review the courses and rosters of the units under them.
    /// Schools whose teachers serve there (服務學校): the units a new teacher may ask to join.
    pub fn employs_teachers(self) -> bool {
        matches!(
            self,
            UnitKind::SeniorHigh
                | UnitKind::VocationalHigh
                | UnitKind::JuniorHigh
                | UnitKind::Elementary
                | UnitKind::Kindergarten
                | UnitKind::SpecialEducationSchool
                | UnitKind::ExperimentalEducation
        )
    }

    pub fn is_regional_centre(self) -> bool {
        matches!(
            self,
            UnitKind::K12Administration | UnitKind::K12Division | UnitKind::CountyBureau
        )
    }

    pub fn parse_field(field: &str, value: &str) -> Result<UnitKind, FieldErrors> {
        value.parse().map_err(|_| {
            FieldErrors::single(
                field,
                "invalid_unit_kind",
                format!("未知的單位類別：{value}"),
            )
        })
    }
}

impl fmt::Display for UnitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The input was not one of the unit-kind codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown unit kind")]
pub struct UnknownUnitKind;

impl FromStr for UnitKind {
    type Err = UnknownUnitKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        UnitKind::ALL
            .into_iter()
            .find(|kind| kind.code() == s)
            .ok_or(UnknownUnitKind)
    }
}

/// A unit's public code (單位代碼): ASCII letters, digits, `-` and `_`, at most 32 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitCode(String);

impl UnitCode {
    pub const MAX_LEN: usize = 32;

    pub fn parse_field(field: &str, value: &str) -> Result<UnitCode, FieldErrors> {
        let well_formed = !value.is_empty()
            && value.len() <= Self::MAX_LEN
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if well_formed {
            Ok(UnitCode(value.to_owned()))
        } else {
            Err(FieldErrors::single(
                field,
                "invalid_unit_code",
                "單位代碼只能包含英數字、- 與 _，最長 32 字元",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_kind_round_trips_and_codes_and_labels_are_unique() {
        let mut codes = HashSet::new();
        let mut labels = HashSet::new();
        for kind in UnitKind::ALL {
            assert_eq!(kind.code().parse::<UnitKind>(), Ok(kind));
            assert!(codes.insert(kind.code()), "duplicate code {}", kind.code());
            assert!(
                labels.insert(kind.label()),
                "duplicate label {}",
                kind.label()
            );
        }
    }

    #[test]
    fn only_the_k12_administration_its_divisions_and_bureaus_are_regional_centres() {
        let regional: Vec<_> = UnitKind::ALL
            .into_iter()
            .filter(|k| k.is_regional_centre())
            .collect();
        assert_eq!(
            regional,
            [
                UnitKind::K12Administration,
                UnitKind::K12Division,
                UnitKind::CountyBureau
            ]
        );
    }

    #[test]
    fn unknown_kinds_are_a_field_error() {
        let err = UnitKind::parse_field("kind", "school").unwrap_err();
        assert_eq!(err.0[0].code, "invalid_unit_kind");
    }

    #[test]
    fn unit_codes_accept_reference_and_school_codes() {
        for good in [
            "moe",
            "bureau-63000",
            "013601",
            "K12_div_1",
            &"a".repeat(32),
        ] {
            assert!(UnitCode::parse_field("code", good).is_ok(), "{good}");
        }
    }

    #[test]
    fn unit_codes_reject_empty_long_and_foreign_characters() {
        for bad in ["", "a b", "學校", "../etc", &"a".repeat(33)] {
            assert!(UnitCode::parse_field("code", bad).is_err(), "{bad}");
        }
    }
}
