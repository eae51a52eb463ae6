//! Education stages (教育階段) that the course taxonomy is organised by.

use std::fmt;
use std::str::FromStr;

use crate::FieldErrors;

/// The four stages of the course taxonomy (seed 002 附件五).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    Kindergarten,
    Elementary,
    JuniorHigh,
    SeniorHigh,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Kindergarten,
        Stage::Elementary,
        Stage::JuniorHigh,
        Stage::SeniorHigh,
    ];

    /// The stable code used in the API and in the reference tables.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Kindergarten => "kindergarten",
            Stage::Elementary => "elementary",
            Stage::JuniorHigh => "junior_high",
            Stage::SeniorHigh => "senior_high",
        }
    }

    /// The Traditional Chinese name shown to users.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Kindergarten => "幼兒園",
            Stage::Elementary => "國民小學",
            Stage::JuniorHigh => "國民中學",
            Stage::SeniorHigh => "高級中等學校",
        }
    }

    /// Parses the `stage` parameter of a request, naming the allowed values on failure.
    pub fn parse_field(field: &str, value: &str) -> Result<Stage, FieldErrors> {
        value.parse().map_err(|_| {
            FieldErrors::single(
                field,
                "invalid_stage",
                format!(
                    "教育階段必須是下列之一：{}",
                    Stage::ALL.map(Stage::code).join("、")
                ),
            )
        })
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The input was not one of the stage codes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stage code")]
pub struct UnknownStage;

impl FromStr for Stage {
    type Err = UnknownStage;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.code() == s)
            .ok_or(UnknownStage)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stage_round_trips_through_its_code() {
        for stage in Stage::ALL {
            assert_eq!(stage.code().parse::<Stage>(), Ok(stage));
        }
    }

    #[test]
    fn unknown_and_differently_cased_codes_are_rejected() {
        for bad in [
            "",
            "JUNIOR_HIGH",
            "junior-high",
            "university",
            " elementary",
        ] {
            assert_eq!(bad.parse::<Stage>(), Err(UnknownStage), "{bad:?}");
        }
    }

    #[test]
    fn a_bad_stage_parameter_names_the_field_and_the_allowed_values() {
        let FieldErrors(errors) = Stage::parse_field("stage", "college").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "stage");
        assert_eq!(errors[0].code, "invalid_stage");
        assert!(errors[0].message.contains("junior_high"));
    }

    #[test]
    fn labels_are_traditional_chinese() {
        assert_eq!(Stage::JuniorHigh.label(), "國民中學");
        assert_eq!(Stage::Kindergarten.label(), "幼兒園");
    }
}
