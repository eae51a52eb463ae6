//! Art. 9: topics that do not count as in-service training unless the authority agrees. The
//! reviewer sees a warning; nothing is rejected automatically.

/// Why a course may not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WarningKind {
    RoutineBusiness,
    Meeting,
    StudentActivity,
    Leisure,
    Religion,
    Visit,
    /// Other topics unrelated to teaching (選務工作說明會…).
    NonTeaching,
}

impl WarningKind {
    pub fn code(self) -> &'static str {
        match self {
            WarningKind::RoutineBusiness => "routine_business",
            WarningKind::Meeting => "meeting",
            WarningKind::StudentActivity => "student_activity",
            WarningKind::Leisure => "leisure",
            WarningKind::Religion => "religion",
            WarningKind::Visit => "visit",
            WarningKind::NonTeaching => "non_teaching",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WarningKind::RoutineBusiness => "學校例行性業務",
            WarningKind::Meeting => "行政會議",
            WarningKind::StudentActivity => "學生活動",
            WarningKind::Leisure => "休閒娛樂",
            WarningKind::Religion => "宗教",
            WarningKind::Visit => "純參訪",
            WarningKind::NonTeaching => "非教育業務",
        }
    }
}

/// Keywords per kind, as written in Art. 9 and its usual disguises.
const KEYWORDS: [(WarningKind, &[&str]); 7] = [
    (
        WarningKind::RoutineBusiness,
        &[
            "校務會議",
            "期初校務",
            "期末校務",
            "例行業務",
            "業務說明會",
            "工作會報",
            "交接",
            "學年會議",
            "教科書選購",
            "願景計畫",
            "校慶籌備",
        ],
    ),
    (
        WarningKind::Meeting,
        &[
            "行政會議",
            "主管會議",
            "會議",
            "朝會",
            "晨會",
            "說明會議",
            "小組會議",
        ],
    ),
    (
        WarningKind::StudentActivity,
        &[
            "學生活動",
            "運動會",
            "校慶",
            "畢業典禮",
            "園遊會",
            "班親會",
            "學生營隊",
            "週會",
            "童軍露營",
            "戶外教學",
            "師生座談",
            "社團成果",
        ],
    ),
    (
        WarningKind::Leisure,
        &[
            "舞蹈",
            "瑜珈",
            "瑜伽",
            "理財",
            "調酒",
            "插花",
            "品酒",
            "烘焙",
            "旅遊",
            "郊遊",
            "聚餐",
            "卡拉OK",
            "國際標準舞",
            "元極舞",
            "法輪功",
            "減肥",
            "雞尾酒",
            "養生",
        ],
    ),
    (
        WarningKind::Religion,
        &[
            "宗教", "禮佛", "禱告", "查經", "祈福", "法會", "禪修", "佛經", "風水", "命理",
        ],
    ),
    (WarningKind::Visit, &["參訪", "參觀", "旅行", "見學之旅"]),
    (WarningKind::NonTeaching, &["選務", "選舉工作", "投開票"]),
];

/// A keyword found in a course field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    pub keyword: &'static str,
    /// `name` or `outline`.
    pub field: &'static str,
}

/// Flags names and outlines that look like Art. 9 topics; each kind is reported once per field,
/// with the first keyword that matched.
pub fn art9_warnings(name: &str, outline: &str) -> Vec<Warning> {
    let mut warnings = Vec::new();
    for (field, text) in [("name", name), ("outline", outline)] {
        for (kind, keywords) in KEYWORDS {
            if let Some(keyword) = keywords.iter().find(|k| text.contains(*k)) {
                warnings.push(Warning {
                    kind,
                    keyword,
                    field,
                });
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(name: &str) -> Vec<WarningKind> {
        art9_warnings(name, "")
            .into_iter()
            .map(|w| w.kind)
            .collect()
    }

    #[test]
    fn each_art9_topic_is_flagged() {
        assert_eq!(
            kinds("114學年度第一學期期初校務會議"),
            [WarningKind::RoutineBusiness, WarningKind::Meeting]
        );
        assert_eq!(kinds("全校運動會籌備"), [WarningKind::StudentActivity]);
        assert_eq!(kinds("教師瑜珈舒壓"), [WarningKind::Leisure]);
        assert_eq!(kinds("新春祈福法會"), [WarningKind::Religion]);
        assert_eq!(kinds("日本教育參訪"), [WarningKind::Visit]);
        assert_eq!(kinds("選務工作說明"), [WarningKind::NonTeaching]);
        assert_eq!(kinds("風水命理入門"), [WarningKind::Religion]);
    }

    #[test]
    fn ordinary_courses_are_not_flagged() {
        assert!(
            art9_warnings("素養導向評量設計工作坊", "以實作引導教師設計素養導向評量").is_empty()
        );
        assert!(art9_warnings("差異化教學與補救教學", "").is_empty());
    }

    #[test]
    fn the_outline_is_checked_too_and_the_field_is_named() {
        let warnings = art9_warnings("數位學習研習", "研習後安排烘焙體驗與聚餐");
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            (warnings[0].field, warnings[0].keyword),
            ("outline", "烘焙")
        );
        assert_eq!(warnings[0].kind.label(), "休閒娛樂");
    }
}
