//! The reference data itself: embedded CSV tables and the fixed lists of counties and centres.

use serde::Deserialize;

pub const TAXONOMY_CSV: &str = include_str!("../data/taxonomy.csv");
pub const LEVELS_CSV: &str = include_str!("../data/levels.csv");
pub const COURSE_FORM_CSV: &str = include_str!("../data/course_form.csv");
pub const ATTRIBUTE_TAGS_CSV: &str = include_str!("../data/attribute_tags.csv");
pub const SUBJECT_AREAS_CSV: &str = include_str!("../data/subject_areas.csv");

/// The 22 counties and cities with their administrative division codes, in the official order.
pub const COUNTIES: [(&str, &str, &str); 22] = [
    ("63000", "臺北市", "Taipei City"),
    ("65000", "新北市", "New Taipei City"),
    ("68000", "桃園市", "Taoyuan City"),
    ("66000", "臺中市", "Taichung City"),
    ("67000", "臺南市", "Tainan City"),
    ("64000", "高雄市", "Kaohsiung City"),
    ("10002", "宜蘭縣", "Yilan County"),
    ("10004", "新竹縣", "Hsinchu County"),
    ("10005", "苗栗縣", "Miaoli County"),
    ("10007", "彰化縣", "Changhua County"),
    ("10008", "南投縣", "Nantou County"),
    ("10009", "雲林縣", "Yunlin County"),
    ("10010", "嘉義縣", "Chiayi County"),
    ("10013", "屏東縣", "Pingtung County"),
    ("10014", "臺東縣", "Taitung County"),
    ("10015", "花蓮縣", "Hualien County"),
    ("10016", "澎湖縣", "Penghu County"),
    ("10017", "基隆市", "Keelung City"),
    ("10018", "新竹市", "Hsinchu City"),
    ("10020", "嘉義市", "Chiayi City"),
    ("09020", "金門縣", "Kinmen County"),
    ("09007", "連江縣", "Lienchiang County"),
];

/// A unit that exists from the first migration on: (code, name, kind, county, parent).
pub type FixedUnit = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// The supervising ministry, the national centre, 國教署 with its five divisions and the task force.
/// County bureaus are derived from [`COUNTIES`] by [`county_bureaus`].
pub const CENTRAL_UNITS: [FixedUnit; 9] = [
    ("moe", "教育部", "moe", None, None),
    (
        "national-centre",
        "國立高雄師範大學(全國推廣中心)",
        "national_centre",
        Some("64000"),
        Some("moe"),
    ),
    (
        "k12ea",
        "教育部國民及學前教育署",
        "k12_administration",
        None,
        Some("moe"),
    ),
    (
        "k12ea-senior-high",
        "教育部國民及學前教育署高級中等教育組",
        "k12_division",
        None,
        Some("k12ea"),
    ),
    (
        "k12ea-elementary-junior",
        "教育部國民及學前教育署國中小教育組",
        "k12_division",
        None,
        Some("k12ea"),
    ),
    (
        "k12ea-preschool",
        "教育部國民及學前教育署學前教育組",
        "k12_division",
        None,
        Some("k12ea"),
    ),
    (
        "k12ea-indigenous-special",
        "教育部國民及學前教育署原民特教組",
        "k12_division",
        None,
        Some("k12ea"),
    ),
    (
        "k12ea-student-affairs",
        "教育部國民及學前教育署學務校安組",
        "k12_division",
        None,
        Some("k12ea"),
    ),
    (
        "curriculum-task-force",
        "普通型高級中等學校課程推動工作圈",
        "curriculum_task_force",
        None,
        Some("k12ea"),
    ),
];

/// One education bureau per county: the six special municipalities call it 教育局, the rest 教育處.
pub fn county_bureaus() -> Vec<(String, String, String)> {
    const MUNICIPALITIES: [&str; 6] = ["63000", "65000", "68000", "66000", "67000", "64000"];
    COUNTIES
        .iter()
        .map(|(code, name, _)| {
            let office = if MUNICIPALITIES.contains(code) {
                "教育局"
            } else {
                "教育處"
            };
            (
                format!("bureau-{code}"),
                format!("{name}政府{office}"),
                (*code).to_owned(),
            )
        })
        .collect()
}

#[derive(Debug, Deserialize)]
pub struct TaxonomyRecord {
    pub stage_code: String,
    pub category_code: String,
    pub category_name: String,
    pub subcategory_code: Option<String>,
    pub subcategory_name: Option<String>,
    pub item_code: Option<String>,
    pub item_name: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct LevelRecord {
    pub level_code: i32,
    pub level_name: String,
    pub verbs: String,
    pub definition: String,
    pub verb_definitions: String,
    pub suggested_participants: String,
    pub example_course_code: String,
    pub example_course_name: String,
}

#[derive(Debug, Deserialize)]
pub struct CourseFormRecord {
    pub field_no: i32,
    pub field_name: String,
    pub option_code: Option<String>,
    pub option_label: Option<String>,
    pub multi: String,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct TagRecord {
    pub tag_name: String,
    pub evidence: String,
    pub added_date_iso: Option<String>,
    pub deleted_date_iso: Option<String>,
    pub definition_updated_iso: Option<String>,
    pub source: String,
}

#[derive(Debug, Deserialize)]
pub struct SubjectAreaRecord {
    pub code: String,
    pub stage: String,
    pub domain: String,
    pub subject: Option<String>,
    pub source: String,
}

/// Reads an embedded table; empty fields become `None`.
pub fn read<T: for<'de> Deserialize<'de>>(text: &str) -> Result<Vec<T>, csv::Error> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_parses_with_the_documented_row_counts() {
        let taxonomy: Vec<TaxonomyRecord> = read(TAXONOMY_CSV).unwrap();
        assert_eq!(taxonomy.len(), 519);
        let junior_items = taxonomy
            .iter()
            .filter(|r| r.stage_code == "junior_high" && r.item_code.is_some());
        assert_eq!(junior_items.count(), 118);
        assert_eq!(read::<LevelRecord>(LEVELS_CSV).unwrap().len(), 4);
        assert_eq!(read::<CourseFormRecord>(COURSE_FORM_CSV).unwrap().len(), 94);
        assert_eq!(read::<TagRecord>(ATTRIBUTE_TAGS_CSV).unwrap().len(), 25);
        let areas: Vec<SubjectAreaRecord> = read(SUBJECT_AREAS_CSV).unwrap();
        assert_eq!(areas.len(), 188);
        let stages = ["kindergarten", "elementary", "junior_high", "senior_high"];
        assert!(areas.iter().all(|a| stages.contains(&a.stage.as_str())));
        assert!(
            areas
                .iter()
                .any(|a| a.code == "J0402" && a.subject.as_deref() == Some("理化"))
        );
    }

    #[test]
    fn there_is_one_bureau_per_county_with_unique_codes() {
        let bureaus = county_bureaus();
        assert_eq!(bureaus.len(), 22);
        assert_eq!(
            bureaus[0],
            (
                "bureau-63000".into(),
                "臺北市政府教育局".into(),
                "63000".into()
            )
        );
        assert!(
            bureaus
                .iter()
                .any(|(_, name, _)| name == "宜蘭縣政府教育處")
        );
        let mut codes: Vec<_> = bureaus.iter().map(|b| &b.0).collect();
        codes.dedup();
        assert_eq!(codes.len(), 22);
    }
}
