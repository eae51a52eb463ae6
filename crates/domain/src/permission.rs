//! Who may do what: the permission matrix of unit kind × business-account type × function
//! (seed 002 附件一 肆, seed 004 附件二), as data, with one function that reads it.

use std::fmt;

use crate::UnitKind;

/// The three kinds of business account (業務帳號).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AccountType {
    /// 總負責人: all functions, manages the unit's other business accounts.
    Chief,
    /// 連絡人: as the chief, without managing business accounts.
    Contact,
    /// 作業人員: courses, hours and statistics only.
    Operator,
}

impl AccountType {
    pub const ALL: [AccountType; 3] = [
        AccountType::Chief,
        AccountType::Contact,
        AccountType::Operator,
    ];

    pub fn code(self) -> &'static str {
        match self {
            AccountType::Chief => "chief",
            AccountType::Contact => "contact",
            AccountType::Operator => "operator",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            AccountType::Chief => "總負責人",
            AccountType::Contact => "連絡人",
            AccountType::Operator => "作業人員",
        }
    }

    pub fn from_code(code: &str) -> Option<AccountType> {
        AccountType::ALL.into_iter().find(|t| t.code() == code)
    }
}

impl fmt::Display for AccountType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The functions of the permission table, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Function {
    /// 研習課程登錄
    CourseRegistration,
    /// 研習資料管理上傳 (course management, rosters and hours)
    CourseManagement,
    /// 研習課程資料確認 (review of courses and rosters)
    CourseReview,
    /// 自動審核功能設定
    AutoApprovalSetting,
    /// 自動審核瀏覽
    AutoApprovalView,
    /// 本單位研習課程瀏覽
    UnitCourseBrowse,
    /// 本單位帳號管理 — the unit's business accounts
    UnitBusinessAccounts,
    /// 本單位帳號管理 — the unit's teacher accounts
    UnitTeacherAccounts,
    /// 轄下單位帳號管理
    SubordinateAccounts,
    /// 教師資料登錄
    TeacherDataEntry,
    /// 修改本單位通訊資料
    UnitContactEdit,
    /// 修改個人基本資料
    ProfileEdit,
    /// 變更登入密碼
    PasswordChange,
    /// 統計圖表(全國)
    StatsNational,
    /// 統計圖表(縣市)
    StatsCounty,
    /// 統計圖表(本校)
    StatsUnit,
    /// 學科中心統計圖表
    StatsSubjectCentre,
}

impl Function {
    pub const ALL: [Function; 17] = [
        Function::CourseRegistration,
        Function::CourseManagement,
        Function::CourseReview,
        Function::AutoApprovalSetting,
        Function::AutoApprovalView,
        Function::UnitCourseBrowse,
        Function::UnitBusinessAccounts,
        Function::UnitTeacherAccounts,
        Function::SubordinateAccounts,
        Function::TeacherDataEntry,
        Function::UnitContactEdit,
        Function::ProfileEdit,
        Function::PasswordChange,
        Function::StatsNational,
        Function::StatsCounty,
        Function::StatsUnit,
        Function::StatsSubjectCentre,
    ];

    /// The row of the permission table (permissions.csv) that grants this function to a unit.
    pub fn table_row(self) -> &'static str {
        match self {
            Function::CourseRegistration => "研習課程登錄",
            Function::CourseManagement => "研習資料管理上傳",
            Function::CourseReview => "研習課程資料確認",
            Function::AutoApprovalSetting => "自動審核功能設定",
            Function::AutoApprovalView => "自動審核瀏覽",
            Function::UnitCourseBrowse => "本單位研習課程瀏覽",
            Function::UnitBusinessAccounts | Function::UnitTeacherAccounts => "本單位帳號管理",
            Function::SubordinateAccounts => "轄下單位帳號管理",
            Function::TeacherDataEntry => "教師資料登錄",
            Function::UnitContactEdit => "修改本單位通訊資料",
            Function::ProfileEdit => "修改個人基本資料",
            Function::PasswordChange => "變更登入密碼",
            Function::StatsNational => "統計圖表(全國)",
            Function::StatsCounty => "統計圖表(縣市)",
            Function::StatsUnit => "統計圖表(本校)",
            Function::StatsSubjectCentre => "學科中心統計圖表",
        }
    }

    /// The account types that may use the function where the unit has it (business_account_roles.csv,
    /// and seed 002 附件一 二(三)5: only a regional centre's chief sets auto-approval).
    pub fn account_types(self) -> &'static [AccountType] {
        use AccountType::*;
        match self {
            Function::UnitBusinessAccounts | Function::AutoApprovalSetting => &[Chief],
            Function::UnitTeacherAccounts
            | Function::TeacherDataEntry
            | Function::SubordinateAccounts
            | Function::UnitContactEdit => &[Chief, Contact],
            _ => &[Chief, Contact, Operator],
        }
    }
}

/// The unit columns of the permission table; several unit kinds share one column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitColumn {
    Moe,
    NationalCentre,
    K12Administration,
    CountyBureau,
    CurriculumTaskForce,
    University,
    School,
    SocialEducationOrLegalPerson,
    ExperimentalEducation,
    SubjectCentre,
}

impl UnitColumn {
    pub const ALL: [UnitColumn; 10] = [
        UnitColumn::Moe,
        UnitColumn::NationalCentre,
        UnitColumn::K12Administration,
        UnitColumn::CountyBureau,
        UnitColumn::CurriculumTaskForce,
        UnitColumn::University,
        UnitColumn::School,
        UnitColumn::SocialEducationOrLegalPerson,
        UnitColumn::ExperimentalEducation,
        UnitColumn::SubjectCentre,
    ];

    /// The column header in permissions.csv.
    pub fn header(self) -> &'static str {
        match self {
            UnitColumn::Moe => "教育部",
            UnitColumn::NationalCentre => "國立高雄師範大學",
            UnitColumn::K12Administration => "教育部國教署",
            UnitColumn::CountyBureau => "各縣市政府教育局(處)",
            UnitColumn::CurriculumTaskForce => "普通型高級中等學校課程推動工作圈",
            UnitColumn::University => "師資培育之大學",
            UnitColumn::School => "高級中等以下學校及幼兒園",
            UnitColumn::SocialEducationOrLegalPerson => "社教與法人機構",
            UnitColumn::ExperimentalEducation => "非學校型態實驗教育機構",
            UnitColumn::SubjectCentre => "高中課程學科中心",
        }
    }

    /// The column a unit kind reads its permissions from. Universities share the teacher-education
    /// universities' column; training centres count as schools; local agencies as legal persons.
    pub fn of(kind: UnitKind) -> UnitColumn {
        match kind {
            UnitKind::Moe => UnitColumn::Moe,
            UnitKind::NationalCentre => UnitColumn::NationalCentre,
            UnitKind::K12Administration | UnitKind::K12Division => UnitColumn::K12Administration,
            UnitKind::CountyBureau => UnitColumn::CountyBureau,
            UnitKind::CurriculumTaskForce => UnitColumn::CurriculumTaskForce,
            UnitKind::TeacherEducationUniversity | UnitKind::University => UnitColumn::University,
            UnitKind::SeniorHigh
            | UnitKind::VocationalHigh
            | UnitKind::JuniorHigh
            | UnitKind::Elementary
            | UnitKind::Kindergarten
            | UnitKind::SpecialEducationSchool
            | UnitKind::TeacherTrainingCentre => UnitColumn::School,
            UnitKind::SocialEducationOrLegalPerson | UnitKind::LocalAgency => {
                UnitColumn::SocialEducationOrLegalPerson
            }
            UnitKind::ExperimentalEducation => UnitColumn::ExperimentalEducation,
            UnitKind::SubjectCentre => UnitColumn::SubjectCentre,
        }
    }

    /// The column's place in [`UnitColumn::ALL`] (declared in the same order; a test checks).
    fn index(self) -> usize {
        self as usize
    }
}

/// The permission table: one row per table row, one flag per [`UnitColumn`] in order.
const TABLE: [(&str, [u8; 10]); 16] = [
    ("研習課程登錄", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("研習資料管理上傳", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("研習課程資料確認", [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
    ("自動審核功能設定", [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
    ("自動審核瀏覽", [1, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
    ("本單位研習課程瀏覽", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("本單位帳號管理", [1, 1, 1, 1, 1, 0, 1, 0, 1, 0]),
    ("轄下單位帳號管理", [0, 1, 1, 1, 1, 0, 0, 0, 0, 0]),
    ("教師資料登錄", [0, 0, 0, 0, 0, 0, 1, 0, 1, 0]),
    ("修改本單位通訊資料", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("修改個人基本資料", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("變更登入密碼", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]),
    ("統計圖表(全國)", [1, 1, 0, 0, 0, 0, 0, 0, 0, 0]),
    ("統計圖表(縣市)", [0, 1, 1, 1, 0, 0, 0, 0, 0, 0]),
    ("統計圖表(本校)", [0, 1, 0, 0, 0, 1, 1, 1, 1, 0]),
    ("學科中心統計圖表", [0, 0, 0, 0, 1, 0, 0, 0, 0, 0]),
];

/// Whether units of this column have the function at all.
pub fn unit_has(column: UnitColumn, function: Function) -> bool {
    TABLE
        .iter()
        .find(|(row, _)| *row == function.table_row())
        .is_some_and(|(_, flags)| flags[column.index()] == 1)
}

/// Whether a business account of `account_type` at a unit of `kind` may use `function`.
pub fn permits(kind: UnitKind, account_type: AccountType, function: Function) -> bool {
    unit_has(UnitColumn::of(kind), function) && function.account_types().contains(&account_type)
}

/// Universities, social-education institutions, legal persons (and agencies) hold operator
/// accounts only (seed 004 附件二): their units have no account management of their own.
pub fn allowed_account_types(kind: UnitKind) -> Vec<AccountType> {
    if unit_has(UnitColumn::of(kind), Function::UnitBusinessAccounts) {
        AccountType::ALL.to_vec()
    } else {
        vec![AccountType::Operator]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_indexes_follow_the_listed_order() {
        for (i, column) in UnitColumn::ALL.into_iter().enumerate() {
            assert_eq!(column.index(), i);
        }
    }

    const PERMISSIONS_CSV: &str = include_str!("../../../migrations/data/permissions.csv");
    const ROLES_CSV: &str = include_str!("../../../migrations/data/business_account_roles.csv");

    /// The source table as (row name → header → flag), read from the CSV the project ships.
    fn source_table() -> Vec<(String, Vec<(String, bool)>)> {
        let mut lines = PERMISSIONS_CSV.lines();
        let headers: Vec<&str> = lines.next().unwrap().split(',').collect();
        lines
            .map(|line| {
                let cells: Vec<&str> = line.split(',').collect();
                let flags = (2..12)
                    .map(|i| (headers[i].to_owned(), cells[i] == "1"))
                    .collect();
                (cells[1].to_owned(), flags)
            })
            .collect()
    }

    #[test]
    fn every_cell_of_the_permission_table_is_honoured_for_the_chief() {
        let table = source_table();
        assert_eq!(table.len(), 16);
        for (row, flags) in &table {
            let functions: Vec<Function> = Function::ALL
                .into_iter()
                .filter(|f| f.table_row() == row)
                .collect();
            assert!(!functions.is_empty(), "row {row} has no function");
            for (header, granted) in flags {
                let column = UnitColumn::ALL
                    .into_iter()
                    .find(|c| c.header() == header)
                    .unwrap();
                for function in &functions {
                    assert_eq!(unit_has(column, *function), *granted, "{row} × {header}");
                    for kind in UnitKind::ALL
                        .into_iter()
                        .filter(|k| UnitColumn::of(*k) == column)
                    {
                        assert_eq!(
                            permits(kind, AccountType::Chief, *function),
                            *granted,
                            "{row} × {kind}"
                        );
                    }
                }
            }
        }
    }

    /// Maps the role table's function names onto ours.
    fn role_functions(name: &str) -> Vec<Function> {
        match name {
            "研習課程登錄作業" => vec![Function::CourseRegistration],
            "研習課程管理/資料上傳" => vec![Function::CourseManagement],
            "本單位業務帳號管理" => vec![Function::UnitBusinessAccounts],
            "本單位教師帳號管理" => vec![Function::UnitTeacherAccounts],
            "教師資料登錄" => vec![Function::TeacherDataEntry],
            "統計圖表" => vec![
                Function::StatsUnit,
                Function::StatsCounty,
                Function::StatsNational,
            ],
            other => panic!("unknown role function {other}"),
        }
    }

    #[test]
    fn every_row_of_the_role_table_is_honoured_at_a_school() {
        let mut rows = 0;
        for line in ROLES_CSV.lines().skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            let account_type = AccountType::ALL
                .into_iter()
                .find(|t| t.label() == cells[0])
                .unwrap();
            for function in role_functions(cells[1]) {
                let expected = cells[2] == "1" && unit_has(UnitColumn::School, function);
                assert_eq!(
                    permits(UnitKind::JuniorHigh, account_type, function),
                    expected,
                    "{line}"
                );
            }
            rows += 1;
        }
        assert_eq!(rows, 18);
    }

    #[test]
    fn only_a_regional_centres_chief_sets_auto_approval() {
        for kind in [
            UnitKind::CountyBureau,
            UnitKind::K12Administration,
            UnitKind::K12Division,
        ] {
            assert!(permits(
                kind,
                AccountType::Chief,
                Function::AutoApprovalSetting
            ));
            assert!(!permits(
                kind,
                AccountType::Contact,
                Function::AutoApprovalSetting
            ));
            assert!(!permits(
                kind,
                AccountType::Operator,
                Function::AutoApprovalSetting
            ));
            assert!(permits(
                kind,
                AccountType::Operator,
                Function::AutoApprovalView
            ));
        }
        assert!(!permits(
            UnitKind::Elementary,
            AccountType::Chief,
            Function::AutoApprovalSetting
        ));
    }

    #[test]
    fn operators_only_register_courses_report_hours_and_read_statistics() {
        let allowed: Vec<Function> = Function::ALL
            .into_iter()
            .filter(|f| permits(UnitKind::Elementary, AccountType::Operator, *f))
            .collect();
        assert_eq!(
            allowed,
            [
                Function::CourseRegistration,
                Function::CourseManagement,
                Function::UnitCourseBrowse,
                Function::ProfileEdit,
                Function::PasswordChange,
                Function::StatsUnit,
            ]
        );
    }

    #[test]
    fn universities_and_legal_persons_may_hold_operator_accounts_only() {
        for kind in [
            UnitKind::University,
            UnitKind::TeacherEducationUniversity,
            UnitKind::SocialEducationOrLegalPerson,
        ] {
            assert_eq!(
                allowed_account_types(kind),
                [AccountType::Operator],
                "{kind}"
            );
        }
        assert_eq!(
            allowed_account_types(UnitKind::JuniorHigh),
            AccountType::ALL
        );
        assert_eq!(
            allowed_account_types(UnitKind::CountyBureau),
            AccountType::ALL
        );
    }

    #[test]
    fn account_type_codes_round_trip() {
        for t in AccountType::ALL {
            assert_eq!(AccountType::from_code(t.code()), Some(t));
        }
        assert_eq!(AccountType::from_code("admin"), None);
    }
}
