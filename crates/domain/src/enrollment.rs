//! Enrollment (線上報名): who may enroll when, what a new enrollment becomes, the waiting list,
//! the fair lottery, withdrawal, and the warnings a teacher sees (never a refusal).

use chrono::{DateTime, Utc};

use crate::UnitKind;
use crate::course::{CourseState, RegistrationStatus, Session, registration_status};

/// Where an enrollment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EnrollmentStatus {
    /// Holds a place until the organiser accepts or declines it.
    Pending,
    /// Holds a place: the teacher takes part.
    Enrolled,
    /// On the waiting list, in order.
    Waiting,
    /// A lottery application, waiting for the draw.
    Applied,
    /// The teacher withdrew.
    Withdrawn,
    /// The organiser declined it.
    Declined,
    /// The course was cancelled.
    CourseCancelled,
}

impl EnrollmentStatus {
    pub const ALL: [EnrollmentStatus; 7] = [
        EnrollmentStatus::Pending,
        EnrollmentStatus::Enrolled,
        EnrollmentStatus::Waiting,
        EnrollmentStatus::Applied,
        EnrollmentStatus::Withdrawn,
        EnrollmentStatus::Declined,
        EnrollmentStatus::CourseCancelled,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EnrollmentStatus::Pending => "pending",
            EnrollmentStatus::Enrolled => "enrolled",
            EnrollmentStatus::Waiting => "waiting",
            EnrollmentStatus::Applied => "applied",
            EnrollmentStatus::Withdrawn => "withdrawn",
            EnrollmentStatus::Declined => "declined",
            EnrollmentStatus::CourseCancelled => "course_cancelled",
        }
    }

    pub fn from_code(code: &str) -> Option<EnrollmentStatus> {
        EnrollmentStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            EnrollmentStatus::Pending => "待開課單位審核",
            EnrollmentStatus::Enrolled => "報名成功",
            EnrollmentStatus::Waiting => "候補中",
            EnrollmentStatus::Applied => "已登記，待抽籤",
            EnrollmentStatus::Withdrawn => "已取消報名",
            EnrollmentStatus::Declined => "未錄取",
            EnrollmentStatus::CourseCancelled => "課程已取消",
        }
    }

    /// Whether it takes one of the course's places.
    pub fn holds_place(self) -> bool {
        matches!(self, EnrollmentStatus::Pending | EnrollmentStatus::Enrolled)
    }

    /// Whether the teacher is still in the running (a second enrollment is refused).
    pub fn is_active(self) -> bool {
        matches!(
            self,
            EnrollmentStatus::Pending
                | EnrollmentStatus::Enrolled
                | EnrollmentStatus::Waiting
                | EnrollmentStatus::Applied
        )
    }
}

/// How a course hands out its places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Allocation {
    /// First come, first served; the rest may wait.
    #[default]
    FirstCome,
    /// Applications during the window; a seeded draw when it closes.
    Lottery,
}

impl Allocation {
    pub fn code(self) -> &'static str {
        match self {
            Allocation::FirstCome => "first_come",
            Allocation::Lottery => "lottery",
        }
    }

    pub fn from_code(code: &str) -> Option<Allocation> {
        [Allocation::FirstCome, Allocation::Lottery]
            .into_iter()
            .find(|a| a.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Allocation::FirstCome => "先到先錄取",
            Allocation::Lottery => "報名截止後公開抽籤",
        }
    }
}

/// Why an enrollment is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("the course is not open for enrollment")]
    NotPublished,
    #[error("registration has not opened yet")]
    NotYetOpen,
    #[error("registration has closed")]
    Closed,
    #[error("the course was cancelled")]
    Cancelled,
    #[error("the course is full")]
    Full,
}

impl Refusal {
    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotPublished => "course_not_open",
            Refusal::NotYetOpen => "registration_not_open",
            Refusal::Closed => "registration_closed",
            Refusal::Cancelled => "course_cancelled",
            Refusal::Full => "course_full",
        }
    }
}

/// What a new enrollment becomes, before knowing whether a place is free.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// Take a place if one is free (enrolled, or pending when the organiser reviews); else wait
    /// (`may_wait`) or be refused as full.
    Place { pending: bool, may_wait: bool },
    /// A lottery application: no place until the draw.
    Apply,
}

/// Decides whether a teacher may enroll now, to the second of the registration window.
pub fn admission(
    state: CourseState,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    allocation: Allocation,
    organiser_reviews: bool,
    join_waiting_list: bool,
    now: DateTime<Utc>,
) -> Result<Admission, Refusal> {
    match registration_status(state, opens, closes, now) {
        RegistrationStatus::Open => Ok(match allocation {
            Allocation::Lottery => Admission::Apply,
            Allocation::FirstCome => Admission::Place {
                pending: organiser_reviews,
                may_wait: join_waiting_list,
            },
        }),
        RegistrationStatus::NotYetOpen => Err(Refusal::NotYetOpen),
        RegistrationStatus::Closed => Err(Refusal::Closed),
        RegistrationStatus::Cancelled => Err(Refusal::Cancelled),
        RegistrationStatus::Unavailable => Err(Refusal::NotPublished),
    }
}

/// A teacher may withdraw while the enrollment is active and the course has not started;
/// afterwards only the organiser records absence.
pub fn may_withdraw(status: EnrollmentStatus, first_session: &Session, now: DateTime<Utc>) -> bool {
    status.is_active() && now < first_session.start()
}

/// The target-stage code (course-form field 14) of a teacher's serving unit, where it has one.
pub fn target_stage_of(kind: UnitKind) -> Option<&'static str> {
    Some(match kind {
        UnitKind::SeniorHigh => "14-1",
        UnitKind::VocationalHigh => "14-2",
        UnitKind::JuniorHigh => "14-3",
        UnitKind::Elementary => "14-4",
        UnitKind::Kindergarten => "14-5",
        UnitKind::SpecialEducationSchool => "14-6",
        _ => return None,
    })
}

/// Whether the course targets the teacher: their stage (when their unit has one) and their
/// job title are among the course's targets.
pub fn targeted(
    target_stages: &[String],
    target_titles: &[String],
    unit_kind: Option<UnitKind>,
    job_title: Option<&str>,
) -> (bool, bool) {
    let stage = match unit_kind.and_then(target_stage_of) {
        Some(stage) => target_stages.iter().any(|s| s == stage),
        None => true,
    };
    let title = job_title.is_none_or(|t| target_titles.iter().any(|x| x == t));
    (stage, title)
}

/// Something worth telling a teacher who enrolls; none stops the enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrollWarning {
    /// Another of the teacher's courses meets at the same time.
    Overlap { course_id: i32, name: String },
    /// The course is meant for other stages.
    OtherStage,
    /// The course is meant for other job titles.
    OtherTitle,
}

impl EnrollWarning {
    pub fn code(&self) -> &'static str {
        match self {
            EnrollWarning::Overlap { .. } => "overlap",
            EnrollWarning::OtherStage => "other_stage",
            EnrollWarning::OtherTitle => "other_title",
        }
    }

    pub fn message(&self) -> String {
        match self {
            EnrollWarning::Overlap { course_id, name } => {
                format!("與您已報名的課程 {course_id}「{name}」上課時間重疊")
            }
            EnrollWarning::OtherStage => "本課程的參加對象不包含您服務學校的教育階段".to_owned(),
            EnrollWarning::OtherTitle => "本課程的參加對象不包含您的職稱".to_owned(),
        }
    }
}

fn overlaps(a: &[Session], b: &[Session]) -> bool {
    a.iter()
        .any(|x| b.iter().any(|y| x.start() < y.end() && y.start() < x.end()))
}

/// The warnings for enrolling in a course with `sessions`, given the teacher's other active
/// enrollments `(course id, name, sessions)` and whether the course targets them.
pub fn enroll_warnings(
    sessions: &[Session],
    others: &[(i32, String, Vec<Session>)],
    targeted: (bool, bool),
) -> Vec<EnrollWarning> {
    let mut warnings: Vec<EnrollWarning> = others
        .iter()
        .filter(|(_, _, theirs)| overlaps(sessions, theirs))
        .map(|(course_id, name, _)| EnrollWarning::Overlap {
            course_id: *course_id,
            name: name.clone(),
        })
        .collect();
    if !targeted.0 {
        warnings.push(EnrollWarning::OtherStage);
    }
    if !targeted.1 {
        warnings.push(EnrollWarning::OtherTitle);
    }
    warnings
}

/// SplitMix64: a tiny, fully specified generator, so anyone can re-run a draw from its seed.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (rejection sampling, so no index is favoured).
    fn below(&mut self, bound: u64) -> u64 {
        let zone = u64::MAX - u64::MAX % bound;
        loop {
            let x = self.next();
            if x < zone {
                return x % bound;
            }
        }
    }
}

fn shuffle(ids: &mut [i32], rng: &mut SplitMix64) {
    for i in (1..ids.len()).rev() {
        let j = rng.below(i as u64 + 1) as usize;
        ids.swap(i, j);
    }
}

/// The lottery (公開抽籤): applicants the course targets first, then the rest, each group in a
/// random order from `seed`. The same seed and applicants always give the same order, whatever
/// order the applicants come in. Returns enrollment ids in draw order.
pub fn draw(seed: u64, applicants: &[(i32, bool)]) -> Vec<i32> {
    let mut rng = SplitMix64(seed);
    let mut group = |priority: bool| {
        let mut ids: Vec<i32> = applicants
            .iter()
            .filter(|(_, p)| *p == priority)
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        shuffle(&mut ids, &mut rng);
        ids
    };
    let mut order = group(true);
    order.extend(group(false));
    order
}

#[cfg(test)]
#[path = "enrollment_tests.rs"]
mod tests;
