//! The code lists of the course registration form (seed 002 附件四, `course_form.csv`), and the
//! remote-teaching software list that seed 001 (提案二 決議) asked for on digital courses.
//!
//! The lists are constants so validation needs no database; a test checks them against the
//! CSV the migrations load, so the two cannot drift apart.

/// A `(code, label)` list of one form field.
pub type CodeList = &'static [(&'static str, &'static str)];

/// Field 1: 班別類別 (see [`super::ClassType`] for what each implies).
pub const CLASS_TYPES: CodeList = &[
    ("1-1", "非學分班"),
    ("1-2", "非學分班 (校本研習)"),
    ("1-3", "非學分班 (種子研習)"),
    ("1-4", "非學分班 (專長認證研習)"),
    ("1-5", "學士學分班"),
    ("1-6", "碩士學分班"),
    ("1-7", "學士學位班"),
    ("1-8", "碩士學位班"),
];

/// Field 7: 進修階層, coded 1 to 4 in the API.
pub const LEVELS: CodeList = &[
    ("1", "第一階基礎：瞭解、熟悉"),
    ("2", "第二階進階：應用、分析"),
    ("3", "第三階領導：整合、評價"),
    ("4", "第四階研發：創新、推廣"),
];

/// Field 2: 辦理性質.
pub const NATURES: CodeList = &[("2-1", "自主辦理"), ("2-2", "委託辦理")];

/// Field 8: the instructor's kind.
pub const INSTRUCTOR_KINDS: CodeList = &[
    ("8-1", "大學教授"),
    ("8-2", "中小學(含幼兒園)教師"),
    ("8-3", "社會專業人士"),
];

/// Field 11: 實施方式 (several).
pub const MODES: CodeList = &[
    ("11-1", "講授"),
    ("11-2", "座談"),
    ("11-3", "工作坊"),
    ("11-4", "參訪實察"),
    ("11-5", "觀課議課"),
    ("11-6", "數位課程"),
    ("11-99", "其他"),
];
/// The digital mode: it needs the remote-teaching software.
pub const DIGITAL_MODE: &str = "11-6";
pub const OTHER_MODE: &str = "11-99";

/// Field 12: 課程時段 (several).
pub const TIME_SLOTS: CodeList = &[
    ("12-1", "週一至週五白天"),
    ("12-2", "週一至週五晚上"),
    ("12-3", "週末"),
    ("12-4", "暑假"),
    ("12-5", "寒假"),
    ("12-6", "數位遠距教學"),
];

/// Field 14: 參加對象教育階段別 (several).
pub const TARGET_STAGES: CodeList = &[
    ("14-1", "高級中等學校"),
    ("14-2", "高職職業學校"),
    ("14-3", "國中(含完全中學國中部)"),
    ("14-4", "國小"),
    ("14-5", "幼兒園"),
    ("14-6", "特殊教育學校"),
];

/// Field 15 (參加對象職稱別) is the job-title list of the accounts.
pub use crate::account::JOB_TITLES as TARGET_TITLES;
pub const OTHER_TITLE: &str = "15-99";

/// Field 21: 經費來源 (several; 21-12 excludes the others).
pub const FUNDING_SOURCES: CodeList = &[
    ("21-1", "教育部國教署"),
    ("21-2", "教育部師資藝教司"),
    ("21-3", "教育部高教司"),
    ("21-4", "教育部終身教育司"),
    ("21-5", "教育部資科司"),
    ("21-6", "教育部其他單位"),
    ("21-7", "教育局處"),
    ("21-8", "縣市政府"),
    ("21-9", "其他中央部會"),
    ("21-10", "民間機構"),
    ("21-11", "其他單位"),
    ("21-12", "無接受補助"),
];
pub const NO_FUNDING: &str = "21-12";

/// Field 22: 學員繳費情形.
pub const FEE_KINDS: CodeList = &[
    ("22-1", "全額負擔"),
    ("22-2", "學校部分補助"),
    ("22-3", "無繳費"),
    ("22-4", "無繳費但需繳保證金"),
];
pub const NO_FEE: &str = "22-3";

/// Field 26: 課程意見回饋問卷.
pub const FEEDBACK_KINDS: CodeList = &[
    ("26-1", "系統寄送問卷線上填答"),
    ("26-2", "紙本問卷上傳問卷結果"),
];

/// The remote-teaching software of digital courses (seed 001 共同研討(一) 提案二 決議). The
/// seed names no products; these are the ones Taiwan's schools use, with 其他 for the rest.
pub const REMOTE_SOFTWARE: CodeList = &[
    ("google_meet", "Google Meet"),
    ("microsoft_teams", "Microsoft Teams"),
    ("cisco_webex", "Cisco Webex"),
    ("zoom", "Zoom"),
    ("youtube_live", "YouTube 直播"),
    ("recorded", "預錄影片（非同步）"),
    ("other", "其他"),
];
pub const OTHER_SOFTWARE: &str = "other";

/// The label of `code` in `list`.
pub fn label(list: CodeList, code: &str) -> Option<&'static str> {
    list.iter().find(|(c, _)| *c == code).map(|(_, l)| *l)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM_CSV: &str = include_str!("../../../../migrations/data/course_form.csv");

    /// `(code, label)` of every option of `field` in the CSV, in its order.
    fn csv_options(field: &str) -> Vec<(String, String)> {
        FORM_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let cells: Vec<&str> = line.splitn(6, ',').collect();
                (cells[0] == field && !cells[2].is_empty())
                    .then(|| (cells[2].to_owned(), cells[3].to_owned()))
            })
            .collect()
    }

    fn as_owned(list: CodeList) -> Vec<(String, String)> {
        list.iter()
            .map(|(c, l)| ((*c).to_owned(), (*l).to_owned()))
            .collect()
    }

    #[test]
    fn every_code_list_is_the_one_the_form_prints() {
        for (field, list) in [
            ("1", CLASS_TYPES),
            ("2", NATURES),
            ("8", INSTRUCTOR_KINDS),
            ("11", MODES),
            ("12", TIME_SLOTS),
            ("14", TARGET_STAGES),
            ("15", TARGET_TITLES.as_slice()),
            ("21", FUNDING_SOURCES),
            ("22", FEE_KINDS),
            ("26", FEEDBACK_KINDS),
        ] {
            assert_eq!(as_owned(list), csv_options(field), "field {field}");
        }
    }

    #[test]
    fn levels_are_field_7_numbered_from_one() {
        let from_csv: Vec<(String, String)> = csv_options("7")
            .into_iter()
            .map(|(code, label)| (code.trim_start_matches("7-").to_owned(), label))
            .collect();
        assert_eq!(as_owned(LEVELS), from_csv);
    }

    #[test]
    fn every_class_type_has_its_label() {
        for class_type in super::super::ClassType::ALL {
            assert!(label(CLASS_TYPES, class_type.code()).is_some());
        }
    }

    #[test]
    fn labels_are_found_by_code() {
        assert_eq!(label(MODES, DIGITAL_MODE), Some("數位課程"));
        assert_eq!(label(FEE_KINDS, NO_FEE), Some("無繳費"));
        assert_eq!(label(MODES, "11-7"), None);
    }
}
