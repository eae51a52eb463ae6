//! The client-side routes; the server answers every unknown path with `index.html`.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages::home::Home;
use crate::pages::not_found::NotFound;
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
    #[not_found]
    #[at("/404")]
    NotFound,
}

pub fn switch(route: Route) -> Html {
    match route {
        Route::Home => html! { <Home /> },
        Route::Taxonomy => html! { <TaxonomyPage /> },
        Route::Units => html! { <UnitsPage /> },
        Route::NotFound => html! { <NotFound /> },
    }
}
