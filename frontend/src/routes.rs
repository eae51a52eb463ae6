//! The client-side routes; the server answers every unknown path with `index.html`.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::admin_duplicates::AdminDuplicatesPage;
use crate::pages::admin_partners::AdminPartnersPage;
use crate::pages::admin_tags::AdminTagsPage;
use crate::pages::admin_units::AdminUnitsPage;
use crate::pages::amendments::RosterReviewPage;
use crate::pages::apply::ApplyPage;
use crate::pages::approvals::ApprovalsPage;
use crate::pages::attendance::AttendancePage;
use crate::pages::audit::AuditPage;
use crate::pages::course::CoursePage;
use crate::pages::course_enrollments::CourseEnrollmentsPage;
use crate::pages::course_form::CourseFormPage;
use crate::pages::courses::CoursesPage;
use crate::pages::dashboard::DashboardPage;
use crate::pages::exchange_confirmations::ExchangeConfirmationsPage;
use crate::pages::exchange_log::ExchangeLogPage;
use crate::pages::exchange_upload::ExchangeUploadPage;
use crate::pages::favourites::FavouritesPage;
use crate::pages::feedback::{FeedbackPage, FeedbackSummaryPage};
use crate::pages::home::Home;
use crate::pages::login::LoginPage;
use crate::pages::mailbox::MailboxPage;
use crate::pages::my_enrollments::MyEnrollmentsPage;
use crate::pages::not_found::NotFound;
use crate::pages::password_reset::{ConfirmEmailPage, ForgotPasswordPage, ResetPasswordPage};
use crate::pages::profile::ProfilePage;
use crate::pages::records::{RecordsPage, TranscriptPage, VerifyPage};
use crate::pages::review_queue::ReviewQueuePage;
use crate::pages::signup::SignupPage;
use crate::pages::taxonomy::TaxonomyPage;
use crate::pages::unit_contact::UnitContactPage;
use crate::pages::unit_courses::UnitCoursesPage;
use crate::pages::unit_teachers::UnitTeachersPage;
use crate::pages::units::UnitsPage;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/taxonomy")]
    Taxonomy,
    #[at("/units")]
    Units,
    #[at("/courses")]
    Courses,
    #[at("/courses/:code")]
    Course { code: i32 },
    #[at("/courses/:code/edit")]
    CourseEdit { code: i32 },
    #[at("/courses/:code/enrollments")]
    CourseEnrollments { code: i32 },
    #[at("/courses/:code/attendance")]
    Attendance { code: i32 },
    #[at("/courses/:code/feedback")]
    Feedback { code: i32 },
    #[at("/courses/:code/feedback/summary")]
    FeedbackSummary { code: i32 },
    #[at("/my/enrollments")]
    MyEnrollments,
    #[at("/my/records")]
    MyRecords,
    #[at("/my/transcripts/:code")]
    Transcript { code: String },
    #[at("/verify")]
    VerifyForm,
    #[at("/verify/:code")]
    Verify { code: String },
    #[at("/review/rosters")]
    ReviewRosters,
    #[at("/dashboard")]
    Dashboard,
    #[at("/unit/courses")]
    UnitCourses,
    #[at("/unit/courses/new")]
    NewCourse,
    #[at("/review/courses")]
    ReviewCourses,
    #[at("/favourites")]
    Favourites,
    #[at("/admin/tags")]
    AdminTags,
    #[at("/login")]
    Login,
    #[at("/signup")]
    Signup,
    #[at("/profile")]
    Profile,
    #[at("/forgot-password")]
    ForgotPassword,
    #[at("/reset-password")]
    ResetPassword,
    #[at("/confirm-email")]
    ConfirmEmail,
    #[at("/apply")]
    Apply,
    #[at("/approvals")]
    Approvals,
    #[at("/unit/teachers")]
    UnitTeachers,
    #[at("/unit/contact")]
    UnitContact,
    #[at("/admin/units")]
    AdminUnits,
    #[at("/admin/audit")]
    AdminAudit,
    #[at("/admin/mailbox")]
    AdminMailbox,
    #[at("/admin/partners")]
    AdminPartners,
    #[at("/admin/duplicates")]
    AdminDuplicates,
    #[at("/exchange/upload")]
    ExchangeUpload,
    #[at("/exchange/confirmations")]
    ExchangeConfirmations,
    #[at("/exchange/log")]
    ExchangeLog,
    #[not_found]
    #[at("/404")]
    NotFound,
}

pub fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Taxonomy => html! { <TaxonomyPage /> },
        Route::Units => html! { <UnitsPage /> },
        Route::Courses => html! { <CoursesPage /> },
        Route::Course { code } => html! { <CoursePage {code} /> },
        Route::CourseEdit { code } => html! { <CourseFormPage code={Some(code)} /> },
        Route::CourseEnrollments { code } => html! { <CourseEnrollmentsPage {code} /> },
        Route::Attendance { code } => html! { <AttendancePage {code} /> },
        Route::Feedback { code } => html! { <FeedbackPage {code} /> },
        Route::FeedbackSummary { code } => html! { <FeedbackSummaryPage {code} /> },
        Route::MyEnrollments => html! { <MyEnrollmentsPage /> },
        Route::MyRecords => html! { <RecordsPage /> },
        Route::Transcript { code } => html! { <TranscriptPage code={code} /> },
        Route::VerifyForm => html! { <VerifyPage code="" /> },
        Route::Verify { code } => html! { <VerifyPage code={code} /> },
        Route::ReviewRosters => html! { <RosterReviewPage /> },
        Route::Dashboard => html! { <DashboardPage /> },
        Route::UnitCourses => html! { <UnitCoursesPage /> },
        Route::NewCourse => html! { <CourseFormPage /> },
        Route::ReviewCourses => html! { <ReviewQueuePage /> },
        Route::Favourites => html! { <FavouritesPage /> },
        Route::AdminTags => html! { <AdminTagsPage /> },
        Route::Login => html! { <LoginPage /> },
        Route::Signup => html! { <SignupPage /> },
        Route::Profile => html! { <ProfilePage /> },
        Route::ForgotPassword => html! { <ForgotPasswordPage /> },
        Route::ResetPassword => html! { <ResetPasswordPage /> },
        Route::ConfirmEmail => html! { <ConfirmEmailPage /> },
        Route::Apply => html! { <ApplyPage /> },
        Route::Approvals => html! { <ApprovalsPage /> },
        Route::UnitTeachers => html! { <UnitTeachersPage /> },
        Route::UnitContact => html! { <UnitContactPage /> },
        Route::AdminUnits => html! { <AdminUnitsPage /> },
        Route::AdminAudit => html! { <AuditPage /> },
        Route::AdminMailbox => html! { <MailboxPage /> },
        Route::AdminPartners => html! { <AdminPartnersPage /> },
        Route::AdminDuplicates => html! { <AdminDuplicatesPage /> },
        Route::ExchangeUpload => html! { <ExchangeUploadPage /> },
        Route::ExchangeConfirmations => html! { <ExchangeConfirmationsPage /> },
        Route::ExchangeLog => html! { <ExchangeLogPage /> },
        Route::NotFound => html! { <NotFound /> },
    }
}
