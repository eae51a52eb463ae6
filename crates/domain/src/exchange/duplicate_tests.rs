use super::*;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn key<'a>(name: &'a str, start: &str, end: &str, half_hours: u32) -> RecordKey<'a> {
    RecordKey {
        name,
        start_date: date(start),
        end_date: date(end),
        half_hours,
    }
}

#[test]
fn the_same_course_written_differently_is_similar() {
    for (a, b) in [
        (
            "112學年度海洋教育研習",
            "112 學年度 海洋教育 研習（第一場）",
        ),
        ("112學年度海洋教育研習", "１１２學年度「海洋教育」研習"),
        ("STEAM 跨域課程設計工作坊", "steam跨域課程設計"),
        ("自然領域探究教學工作坊", "自然領域探究與實作教學"),
        ("性別平等教育知能研習", "性別平等教育知能研習會"),
        (
            "校園數位學習精進方案：教師增能研習",
            "校園數位學習精進方案－教師增能",
        ),
        ("生命教育教師研習（國小場）", "生命教育教師研習(國小場)"),
    ] {
        assert!(similar_names(a, b), "{a} / {b}");
        assert!(similar_names(b, a), "{b} / {a}");
    }
}

#[test]
fn different_subjects_are_not_similar() {
    for (a, b) in [
        ("數學領域教學研習", "英語領域教學研習"),
        ("海洋教育研習", "環境教育研習"),
        ("國語文教學研習", "英語文教學研習"),
        ("閱讀素養工作坊", "資訊素養工作坊"),
        ("班級經營研習", "學校行政研習"),
    ] {
        assert!(!similar_names(a, b), "{a} / {b}");
        assert!(!similar_names(b, a), "{b} / {a}");
    }
}

#[test]
fn names_made_only_of_generic_words_are_compared_whole() {
    assert!(similar_names("研習", " 研習 "));
    assert!(
        !similar_names("研習", "教學研習"),
        "two characters are not enough to contain"
    );
    assert!(similar_names("教學研習", "教學研習會"));
}

#[test]
fn containment_needs_at_least_four_characters() {
    // 海洋 is contained in the other but too short to say they are the same course.
    assert!(!similar_names("海洋研習", "海洋生態保育與永續發展研習"));
    assert!(similar_names("海洋生態研習", "海洋生態保育與永續發展研習"));
}

#[test]
fn similarity_is_reflexive_and_symmetric() {
    let names = [
        "112學年度海洋教育研習",
        "數學領域教學研習",
        "英語領域教學研習",
        "STEAM 跨域課程設計工作坊",
        "研習",
        "a",
        "",
        "（）",
    ];
    for a in names {
        assert!(similar_names(a, a), "{a}");
        for b in names {
            assert_eq!(similar_names(a, b), similar_names(b, a), "{a} / {b}");
        }
    }
}

#[test]
fn the_same_course_needs_the_same_dates_and_hours_too() {
    let counted = key("112學年度海洋教育研習", "2026-03-02", "2026-03-02", 6);
    let sent = key(
        "112 學年度 海洋教育 研習（第一場）",
        "2026-03-02",
        "2026-03-02",
        6,
    );
    assert!(same_course(&counted, &sent));
    for other in [
        RecordKey {
            start_date: date("2026-03-01"),
            ..sent
        },
        RecordKey {
            end_date: date("2026-03-03"),
            ..sent
        },
        RecordKey {
            half_hours: 5,
            ..sent
        },
        RecordKey {
            name: "環境教育研習",
            ..sent
        },
    ] {
        assert!(!same_course(&counted, &other), "{other:?}");
    }
}
