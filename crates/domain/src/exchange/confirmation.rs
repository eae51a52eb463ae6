//! Monthly confirmation by a back-end county (Art. 12-3): the county confirms the previous
//! month's exchanged records by the 5th.

use std::fmt;

use chrono::{Datelike, NaiveDate};

use super::partner::Light;
use crate::FieldErrors;

/// The day of the following month by which a month is confirmed.
pub const CONFIRMATION_DAY: u32 = 5;

/// A calendar month; years 1–9999, the ones written with four digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YearMonth {
    year: i32,
    month: u32,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<YearMonth> {
        ((1..=9999).contains(&year) && (1..=12).contains(&month))
            .then_some(YearMonth { year, month })
    }

    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// `2026-11` (the month may be one digit).
    pub fn parse(field: &str, text: &str) -> Result<YearMonth, FieldErrors> {
        let parsed = text.trim().split_once('-').and_then(|(year, month)| {
            let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
            let well_formed = year.len() == 4 && (1..=2).contains(&month.len());
            if !(well_formed && digits(year) && digits(month)) {
                return None;
            }
            YearMonth::new(year.parse().ok()?, month.parse().ok()?)
        });
        parsed.ok_or_else(|| {
            FieldErrors::single(field, "invalid_month", "月份格式應為 YYYY-MM，例如 2026-11")
        })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn next(self) -> YearMonth {
        match self.month {
            12 => YearMonth {
                year: self.year + 1,
                month: 1,
            },
            month => YearMonth {
                month: month + 1,
                ..self
            },
        }
    }

    pub fn previous(self) -> YearMonth {
        match self.month {
            1 => YearMonth {
                year: self.year - 1,
                month: 12,
            },
            month => YearMonth {
                month: month - 1,
                ..self
            },
        }
    }

    fn day(self, day: u32) -> NaiveDate {
        // Always a date: the month is 1–12, the day at most its length, and the year (at most
        // one past 1–9999 after next/previous) well inside chrono's range.
        NaiveDate::from_ymd_opt(self.year, self.month, day).unwrap_or(NaiveDate::MIN)
    }

    pub fn first_day(self) -> NaiveDate {
        self.day(1)
    }

    pub fn last_day(self) -> NaiveDate {
        let leap = self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0);
        let days = match self.month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        self.day(days)
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// The last day to confirm `month`: the 5th of the following month.
pub fn confirmation_deadline(month: YearMonth) -> NaiveDate {
    month.next().day(CONFIRMATION_DAY)
}

/// The months from `since` to the month before `today` that are not `confirmed`, oldest first:
/// red once their deadline has passed, yellow until then (the previous month, up to the 5th).
pub fn months_due(
    today: NaiveDate,
    confirmed: &[YearMonth],
    since: YearMonth,
) -> Vec<(YearMonth, Light)> {
    let last = YearMonth::of(today).previous();
    let mut due = Vec::new();
    let mut month = since;
    while month <= last {
        if !confirmed.contains(&month) {
            let light = if today > confirmation_deadline(month) {
                Light::Red
            } else {
                Light::Yellow
            };
            due.push((month, light));
        }
        month = month.next();
    }
    due
}

#[cfg(test)]
#[path = "confirmation_tests.rs"]
mod tests;
