//! The client-side routes; the server answers every unknown path with `index.html`.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::apply::ApplyPage;
use crate::pages::approvals::ApprovalsPage;
use crate::pages::home::Home;
use crate::pages::login::LoginPage;
use crate::pages::not_found::NotFound;
use crate::pages::password_reset::{ForgotPasswordPage, ResetPasswordPage};
use crate::pages::profile::ProfilePage;
use crate::pages::signup::SignupPage;
use crate::pages::taxonomy::TaxonomyPage;
use crate::pages::units::UnitsPage;

#[derive(Debug, Clone, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Home,
    #[at("/taxonomy")]
    Taxonomy,
    #[at("/units")]
    Units,
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
    #[at("/apply")]
    Apply,
    #[at("/approvals")]
    Approvals,
    #[not_found]
    #[at("/404")]
    NotFound,
}

pub fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Taxonomy => html! { <TaxonomyPage /> },
        Route::Units => html! { <UnitsPage /> },
        Route::Login => html! { <LoginPage /> },
        Route::Signup => html! { <SignupPage /> },
        Route::Profile => html! { <ProfilePage /> },
        Route::ForgotPassword => html! { <ForgotPasswordPage /> },
        Route::ResetPassword => html! { <ResetPasswordPage /> },
        Route::Apply => html! { <ApplyPage /> },
        Route::Approvals => html! { <ApprovalsPage /> },
        Route::NotFound => html! { <NotFound /> },
    }
}
