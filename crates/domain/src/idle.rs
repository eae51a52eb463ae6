//! The idle-account rule (2024): business accounts of universities, agencies, social-education
//! institutions and legal persons that have not logged in for two years are warned by e-mail, and
//! deleted when nobody logs in within 14 days of the warning. Schools are exempt.

use chrono::{DateTime, Duration, Utc};

use crate::UnitKind;

pub const IDLE_AFTER_DAYS: i64 = 730;
pub const GRACE_DAYS: i64 = 14;

/// Whether the rule applies to business accounts of this kind of unit.
pub fn applies_to(kind: UnitKind) -> bool {
    matches!(
        kind,
        UnitKind::University
            | UnitKind::TeacherEducationUniversity
            | UnitKind::SocialEducationOrLegalPerson
            | UnitKind::LocalAgency
            | UnitKind::Moe
            | UnitKind::K12Administration
            | UnitKind::K12Division
            | UnitKind::CountyBureau
    )
}

/// What the sweep does with one account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdleAction {
    Keep,
    Warn,
    Delete,
}

/// Decides for an account last active at `last_active` (its last login, or its creation if it
/// never logged in) and warned at `warned_at`, if it was.
pub fn idle_action(
    last_active: DateTime<Utc>,
    warned_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> IdleAction {
    if now - last_active < Duration::days(IDLE_AFTER_DAYS) {
        return IdleAction::Keep;
    }
    match warned_at {
        // A login after the warning would have made the account active again (checked above).
        Some(warned) if now - warned >= Duration::days(GRACE_DAYS) => IdleAction::Delete,
        Some(_) => IdleAction::Keep,
        None => IdleAction::Warn,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(days_ago: i64) -> DateTime<Utc> {
        now() - Duration::days(days_ago)
    }

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-22T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn an_account_used_within_two_years_is_kept() {
        assert_eq!(idle_action(at(729), None, now()), IdleAction::Keep);
    }

    #[test]
    fn after_two_years_it_is_warned_once() {
        assert_eq!(idle_action(at(730), None, now()), IdleAction::Warn);
        assert_eq!(
            idle_action(at(800), Some(at(3)), now()),
            IdleAction::Keep,
            "waits out the grace period"
        );
    }

    #[test]
    fn fourteen_days_after_the_warning_it_is_deleted() {
        assert_eq!(idle_action(at(800), Some(at(13)), now()), IdleAction::Keep);
        assert_eq!(
            idle_action(at(800), Some(at(14)), now()),
            IdleAction::Delete
        );
    }

    #[test]
    fn schools_are_exempt_and_universities_and_agencies_are_not() {
        assert!(!applies_to(UnitKind::JuniorHigh));
        assert!(!applies_to(UnitKind::Kindergarten));
        assert!(applies_to(UnitKind::University));
        assert!(applies_to(UnitKind::SocialEducationOrLegalPerson));
        assert!(applies_to(UnitKind::CountyBureau));
    }
}
