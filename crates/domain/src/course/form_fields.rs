//! The checks of single fields (and small groups) of the course form, each returning the
//! cleaned value or the field's errors.

use super::{
    Catalog, Contact, CourseInput, MAX_CREDITS, MAX_HOURS, MAX_ITEMS, MAX_TAGS, TagState,
    UNDIVIDED_CATEGORY,
};
use crate::course::ClassType;
use crate::course::codes::{self, CodeList};
use crate::validation::Collector;
use crate::{FieldErrors, Stage};

pub(super) fn error<T>(
    field: &str,
    code: &'static str,
    message: impl Into<String>,
) -> Result<T, FieldErrors> {
    Err(FieldErrors::single(field, code, message))
}

/// Trimmed text of 1..=`max` characters.
pub(super) fn text(
    field: &str,
    value: &str,
    label: &str,
    max: usize,
) -> Result<String, FieldErrors> {
    let value = value.trim();
    if value.is_empty() {
        return error(field, "required", format!("請填寫{label}"));
    }
    if value.chars().count() > max {
        return error(field, "too_long", format!("{label}最多 {max} 個字"));
    }
    Ok(value.to_owned())
}

/// Trimmed optional text: blank is `None`.
pub(super) fn optional_text(
    field: &str,
    value: Option<&str>,
    label: &str,
    max: usize,
) -> Result<Option<String>, FieldErrors> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => text(field, v, label, max).map(Some),
    }
}

pub(super) fn choice(
    field: &str,
    value: &str,
    list: CodeList,
    label: &str,
) -> Result<String, FieldErrors> {
    let value = value.trim();
    if value.is_empty() {
        return error(field, "required", format!("請選擇{label}"));
    }
    match codes::label(list, value) {
        Some(_) => Ok(value.to_owned()),
        None => error(
            field,
            "invalid_choice",
            format!(
                "{label}必須是下列代碼之一：{}",
                list.iter().map(|(c, _)| *c).collect::<Vec<_>>().join("、")
            ),
        ),
    }
}

/// At least one code of `list`, no duplicates; kept in the list's order.
pub(super) fn choices(
    field: &str,
    values: &[String],
    list: CodeList,
    label: &str,
) -> Result<Vec<String>, FieldErrors> {
    if values.is_empty() {
        return error(field, "required", format!("請至少選擇一項{label}"));
    }
    for value in values {
        if codes::label(list, value).is_none() {
            return error(
                field,
                "invalid_choice",
                format!("「{value}」不是{label}的代碼"),
            );
        }
    }
    if (1..values.len()).any(|i| values[..i].contains(&values[i])) {
        return error(field, "duplicate", format!("{label}有重複的選項"));
    }
    Ok(list
        .iter()
        .filter(|(code, _)| values.iter().any(|v| v == code))
        .map(|(code, _)| (*code).to_owned())
        .collect())
}

/// The free text that goes with an 其他 option: required when it is chosen, dropped otherwise.
pub(super) fn other_text(
    field: &str,
    chosen: bool,
    value: Option<&str>,
    label: &str,
) -> Result<Option<String>, FieldErrors> {
    let value = optional_text(field, value, label, 60)?;
    match (chosen, value) {
        (true, None) => error(field, "required", format!("選擇「其他」時請說明{label}")),
        (true, value) => Ok(value),
        (false, _) => Ok(None),
    }
}

pub(super) fn contact(index: usize, contact: &Contact) -> Result<Contact, FieldErrors> {
    let mut errors = Collector::default();
    let field = |name: &str| format!("contacts[{index}].{name}");
    let name = errors.check(text(&field("name"), &contact.name, "承辦人姓名", 30));
    let phone = errors.check(crate::account::check_phone(&field("phone"), &contact.phone));
    let email = errors.check(crate::account::check_email(&field("email"), &contact.email));
    errors.finish_with(|| {
        Some(Contact {
            name: name?,
            phone: phone?,
            email: email?,
        })
    })
}

pub(super) fn tags(
    ids: &[i32],
    catalog: &impl Catalog,
    kept: &[i32],
) -> Result<Vec<i32>, FieldErrors> {
    if ids.len() > MAX_TAGS {
        return error("tag_ids", "too_many", format!("屬性標籤最多 {MAX_TAGS} 個"));
    }
    if (1..ids.len()).any(|i| ids[..i].contains(&ids[i])) {
        return error("tag_ids", "duplicate", "屬性標籤有重複");
    }
    for id in ids {
        match catalog.tag(*id) {
            TagState::Active => {}
            // A course keeps a tag retired after it was tagged (old courses keep their tags).
            TagState::Retired if kept.contains(id) => {}
            TagState::Retired => {
                return error("tag_ids", "retired_tag", "這個屬性標籤已停用，不能再加註");
            }
            TagState::Unknown => return error("tag_ids", "unknown_tag", "沒有這個屬性標籤"),
        }
    }
    Ok(ids.to_vec())
}

pub(super) fn items(
    input: &CourseInput,
    stage: Option<Stage>,
    category: Option<&str>,
    catalog: &impl Catalog,
) -> Result<Vec<String>, FieldErrors> {
    let (Some(stage), Some(category)) = (stage, category) else {
        // Reported on the stage or category field already.
        return Ok(Vec::new());
    };
    if category == UNDIVIDED_CATEGORY {
        if input.items.is_empty() {
            return Ok(Vec::new());
        }
        return error(
            "items",
            "not_in_category",
            "「實用知能與生活素養」範疇不分課程細項，請勿選擇細項",
        );
    }
    if input.items.is_empty() {
        return error("items", "required", "請至少選擇一個課程細項");
    }
    if input.items.len() > MAX_ITEMS {
        return error("items", "too_many", format!("課程細項最多 {MAX_ITEMS} 個"));
    }
    for code in &input.items {
        match catalog.item_category(stage, code) {
            Some(found) if found == category => {}
            Some(_) => {
                return error(
                    "items",
                    "not_in_category",
                    format!("課程細項 {code} 不屬於所選的進修範疇"),
                );
            }
            None => {
                return error(
                    "items",
                    "not_in_stage",
                    format!("課程細項 {code} 不在「{}」的課程分類中", stage.label()),
                );
            }
        }
    }
    if (1..input.items.len()).any(|i| input.items[..i].contains(&input.items[i])) {
        return error("items", "duplicate", "課程細項有重複");
    }
    Ok(input.items.clone())
}

/// Field 13 in half hours; credit classes count 18 hours a credit (Art. 10-3).
pub(super) fn half_hours(
    input: &CourseInput,
    class_type: Option<ClassType>,
) -> Result<(Option<u32>, u32), FieldErrors> {
    let Some(class_type) = class_type else {
        return Ok((None, 0));
    };
    if class_type.carries_credits() {
        let Some(credits) = input.credits.filter(|c| *c > 0) else {
            return error("credits", "required", "學分班與學位班請填寫學分數");
        };
        if credits > MAX_CREDITS {
            return error(
                "credits",
                "out_of_range",
                format!("學分數最多 {MAX_CREDITS}"),
            );
        }
        let hours = ClassType::hours_for_credits(credits);
        if let Some(given) = input.hours
            && (given - f64::from(hours)).abs() > f64::EPSILON
        {
            return error(
                "hours",
                "hours_mismatch",
                format!("學分班一學分採計 18 小時，{credits} 學分應為 {hours} 小時"),
            );
        }
        return Ok((Some(credits), hours * 2));
    }
    if input.credits.is_some() {
        return error("credits", "not_allowed", "非學分班不填學分數");
    }
    let Some(hours) = input.hours else {
        return error("hours", "required", "請填寫研習時數");
    };
    if !hours.is_finite() || hours <= 0.0 || hours > MAX_HOURS {
        return error(
            "hours",
            "out_of_range",
            format!("研習時數必須大於 0 且不超過 {MAX_HOURS} 小時"),
        );
    }
    let doubled = hours * 2.0;
    if (doubled - doubled.round()).abs() > 1e-9 {
        return error("hours", "not_half_hour_step", "研習時數以 0.5 小時為單位");
    }
    Ok((None, doubled.round() as u32))
}

pub(super) fn positive(
    field: &str,
    value: Option<u32>,
    label: &str,
    max: u32,
) -> Result<u32, FieldErrors> {
    match value {
        None => error(field, "required", format!("請填寫{label}")),
        Some(0) => error(field, "out_of_range", format!("{label}必須大於 0")),
        Some(n) if n > max => error(field, "out_of_range", format!("{label}最多 {max}")),
        Some(n) => Ok(n),
    }
}
