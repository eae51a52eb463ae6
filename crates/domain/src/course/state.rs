//! The course life cycle: draft → submitted → approved (published) / returned / rejected →
//! running → ended → roster submitted → roster confirmed → closed; cancelled from any state before
//! closed. Changing an approved course sends it back to review (Art. 11-8).

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CourseState {
    Draft,
    Submitted,
    /// Approved and published; `auto` marks automatic approval.
    Approved {
        auto: bool,
    },
    Returned,
    Rejected,
    Running,
    Ended,
    RosterSubmitted,
    RosterConfirmed,
    Closed,
    Cancelled,
}

/// What can happen to a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CourseEvent {
    Submit,
    Approve,
    AutoApprove,
    Return,
    Reject,
    /// The organiser changed a course: drafts, returned and still-pending courses stay as they
    /// are, an approved course goes back to review.
    Edit,
    Start,
    End,
    SubmitRoster,
    ConfirmRoster,
    ReturnRoster,
    Close,
    Cancel,
}

/// The event does not apply in the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{event:?} is not possible while the course is {from}")]
pub struct TransitionError {
    pub from: CourseState,
    pub event: CourseEvent,
}

impl CourseState {
    pub fn code(self) -> &'static str {
        match self {
            CourseState::Draft => "draft",
            CourseState::Submitted => "submitted",
            CourseState::Approved { .. } => "approved",
            CourseState::Returned => "returned",
            CourseState::Rejected => "rejected",
            CourseState::Running => "running",
            CourseState::Ended => "ended",
            CourseState::RosterSubmitted => "roster_submitted",
            CourseState::RosterConfirmed => "roster_confirmed",
            CourseState::Closed => "closed",
            CourseState::Cancelled => "cancelled",
        }
    }

    /// The stored state: `code` as [`Self::code`] wrote it, `auto` for automatic approval.
    /// Running and ended are never stored: they follow from the dates.
    pub fn from_stored(code: &str, auto: bool) -> Option<CourseState> {
        Some(match code {
            "draft" => CourseState::Draft,
            "submitted" => CourseState::Submitted,
            "approved" => CourseState::Approved { auto },
            "returned" => CourseState::Returned,
            "rejected" => CourseState::Rejected,
            "roster_submitted" => CourseState::RosterSubmitted,
            "roster_confirmed" => CourseState::RosterConfirmed,
            "closed" => CourseState::Closed,
            "cancelled" => CourseState::Cancelled,
            _ => return None,
        })
    }

    /// The stored states teachers can find in public search.
    pub const PUBLIC_STORED: [&'static str; 5] = [
        "approved",
        "roster_submitted",
        "roster_confirmed",
        "closed",
        "cancelled",
    ];

    /// The zh-TW label of the state.
    pub fn label(self) -> &'static str {
        match self {
            CourseState::Draft => "草稿",
            CourseState::Submitted => "審核中",
            CourseState::Approved { auto: false } => "已核准",
            CourseState::Approved { auto: true } => "已自動核准",
            CourseState::Returned => "退回修改",
            CourseState::Rejected => "不予核准",
            CourseState::Running => "進行中",
            CourseState::Ended => "已結束",
            CourseState::RosterSubmitted => "名單待確認",
            CourseState::RosterConfirmed => "名單已確認",
            CourseState::Closed => "已結案",
            CourseState::Cancelled => "已取消",
        }
    }

    /// Whether teachers can find the course in public search.
    pub fn is_public(self) -> bool {
        matches!(
            self,
            CourseState::Approved { .. }
                | CourseState::Running
                | CourseState::Ended
                | CourseState::RosterSubmitted
                | CourseState::RosterConfirmed
                | CourseState::Closed
                | CourseState::Cancelled
        )
    }

    /// The state after `event`, or why it cannot happen.
    pub fn apply(self, event: CourseEvent) -> Result<CourseState, TransitionError> {
        use CourseEvent as E;
        use CourseState as S;
        let next = match (self, event) {
            (S::Draft | S::Returned, E::Submit) => S::Submitted,
            (S::Submitted, E::Approve) => S::Approved { auto: false },
            (S::Submitted, E::AutoApprove) => S::Approved { auto: true },
            (S::Submitted, E::Return) => S::Returned,
            (S::Submitted, E::Reject) => S::Rejected,
            (S::Draft | S::Returned | S::Submitted, E::Edit) => self,
            (S::Approved { .. }, E::Edit) => S::Submitted,
            (S::Approved { .. }, E::Start) => S::Running,
            (S::Running, E::End) => S::Ended,
            (S::Ended, E::SubmitRoster) => S::RosterSubmitted,
            (S::RosterSubmitted, E::ConfirmRoster) => S::RosterConfirmed,
            (S::RosterSubmitted, E::ReturnRoster) => S::Ended,
            (S::RosterConfirmed, E::Close) => S::Closed,
            (S::Closed | S::Cancelled | S::Rejected, E::Cancel) => {
                return Err(TransitionError { from: self, event });
            }
            (_, E::Cancel) => S::Cancelled,
            _ => return Err(TransitionError { from: self, event }),
        };
        Ok(next)
    }
}

impl fmt::Display for CourseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CourseEvent as E;
    use CourseState as S;

    const ALL_STATES: [CourseState; 12] = [
        S::Draft,
        S::Submitted,
        S::Approved { auto: false },
        S::Approved { auto: true },
        S::Returned,
        S::Rejected,
        S::Running,
        S::Ended,
        S::RosterSubmitted,
        S::RosterConfirmed,
        S::Closed,
        S::Cancelled,
    ];

    fn run(events: &[CourseEvent]) -> Result<CourseState, TransitionError> {
        events
            .iter()
            .try_fold(S::Draft, |state, event| state.apply(*event))
    }

    #[test]
    fn the_whole_life_of_a_course() {
        let closed = run(&[
            E::Submit,
            E::Approve,
            E::Start,
            E::End,
            E::SubmitRoster,
            E::ConfirmRoster,
            E::Close,
        ]);
        assert_eq!(closed, Ok(S::Closed));
    }

    #[test]
    fn a_returned_course_is_edited_and_submitted_again() {
        assert_eq!(
            run(&[E::Submit, E::Return, E::Edit, E::Submit, E::Approve]),
            Ok(S::Approved { auto: false })
        );
    }

    #[test]
    fn a_pending_course_may_still_be_corrected() {
        assert_eq!(run(&[E::Submit, E::Edit]), Ok(S::Submitted));
    }

    #[test]
    fn editing_an_approved_course_sends_it_back_to_review() {
        assert_eq!(run(&[E::Submit, E::AutoApprove, E::Edit]), Ok(S::Submitted));
    }

    #[test]
    fn automatic_approval_is_marked() {
        assert_eq!(
            run(&[E::Submit, E::AutoApprove]),
            Ok(S::Approved { auto: true })
        );
    }

    #[test]
    fn a_returned_roster_goes_back_to_the_organiser() {
        assert_eq!(
            run(&[
                E::Submit,
                E::Approve,
                E::Start,
                E::End,
                E::SubmitRoster,
                E::ReturnRoster
            ]),
            Ok(S::Ended)
        );
    }

    #[test]
    fn cancellation_is_possible_until_closed_and_never_twice() {
        for state in ALL_STATES {
            let cancelled = state.apply(E::Cancel);
            match state {
                S::Closed | S::Cancelled | S::Rejected => assert!(cancelled.is_err(), "{state}"),
                _ => assert_eq!(cancelled, Ok(S::Cancelled), "{state}"),
            }
        }
    }

    #[test]
    fn nothing_skips_review() {
        assert!(S::Draft.apply(E::Approve).is_err());
        assert!(S::Draft.apply(E::Start).is_err());
        assert!(S::Rejected.apply(E::Submit).is_err());
        assert!(
            S::Closed.apply(E::Edit).is_err(),
            "closed courses change only through an amendment"
        );
        assert!(
            S::Running.apply(E::SubmitRoster).is_err(),
            "the roster comes after the end"
        );
    }

    #[test]
    fn stored_states_round_trip_and_public_ones_are_listed() {
        for state in ALL_STATES {
            if matches!(state, S::Running | S::Ended) {
                continue;
            }
            let auto = matches!(state, S::Approved { auto: true });
            assert_eq!(CourseState::from_stored(state.code(), auto), Some(state));
            assert_eq!(
                CourseState::PUBLIC_STORED.contains(&state.code()),
                state.is_public(),
                "{state}"
            );
        }
        assert_eq!(CourseState::from_stored("running", false), None);
    }

    #[test]
    fn only_reviewed_courses_are_public() {
        assert!(
            !S::Draft.is_public()
                && !S::Submitted.is_public()
                && !S::Returned.is_public()
                && !S::Rejected.is_public()
        );
        assert!(S::Approved { auto: true }.is_public() && S::Closed.is_public());
    }
}
