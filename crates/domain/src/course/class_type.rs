//! Class types (班別類別, course-form field 1) and what they imply for hours.

/// The eight class types of field 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassType {
    /// 1-1 非學分班
    NonCredit,
    /// 1-2 非學分班 (校本研習)
    NonCreditSchoolBased,
    /// 1-3 非學分班 (種子研習)
    Seed,
    /// 1-4 非學分班 (專長認證研習)
    SpecialtyCertification,
    /// 1-5 學士學分班
    BachelorCredit,
    /// 1-6 碩士學分班
    MasterCredit,
    /// 1-7 學士學位班
    BachelorDegree,
    /// 1-8 碩士學位班
    MasterDegree,
}

/// Hours per credit for credit and degree classes (Art. 10).
pub const HOURS_PER_CREDIT: u32 = 18;

impl ClassType {
    pub const ALL: [ClassType; 8] = [
        ClassType::NonCredit,
        ClassType::NonCreditSchoolBased,
        ClassType::Seed,
        ClassType::SpecialtyCertification,
        ClassType::BachelorCredit,
        ClassType::MasterCredit,
        ClassType::BachelorDegree,
        ClassType::MasterDegree,
    ];

    /// The form's option code, `1-1` to `1-8`.
    pub fn code(self) -> &'static str {
        ["1-1", "1-2", "1-3", "1-4", "1-5", "1-6", "1-7", "1-8"][self as usize]
    }

    pub fn from_code(code: &str) -> Option<ClassType> {
        ClassType::ALL.into_iter().find(|t| t.code() == code)
    }

    /// Credit and degree classes are counted in credits (1 credit = 18 hours).
    pub fn carries_credits(self) -> bool {
        matches!(
            self,
            ClassType::BachelorCredit
                | ClassType::MasterCredit
                | ClassType::BachelorDegree
                | ClassType::MasterDegree
        )
    }

    /// Training hours for a number of credits.
    pub fn hours_for_credits(credits: u32) -> u32 {
        credits * HOURS_PER_CREDIT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_the_form_and_round_trip() {
        assert_eq!(ClassType::NonCredit.code(), "1-1");
        assert_eq!(ClassType::MasterDegree.code(), "1-8");
        for t in ClassType::ALL {
            assert_eq!(ClassType::from_code(t.code()), Some(t));
        }
        assert_eq!(ClassType::from_code("1-9"), None);
    }

    #[test]
    fn credit_and_degree_classes_count_eighteen_hours_a_credit() {
        let credit: Vec<_> = ClassType::ALL
            .into_iter()
            .filter(|t| t.carries_credits())
            .map(ClassType::code)
            .collect();
        assert_eq!(credit, ["1-5", "1-6", "1-7", "1-8"]);
        assert_eq!(ClassType::hours_for_credits(1), 18);
        assert_eq!(ClassType::hours_for_credits(3), 54);
    }
}
