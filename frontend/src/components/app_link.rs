//! A router link that can carry an `id` and marks itself `aria-current="page"`.
//!
//! yew-router's `Link` takes neither an id nor ARIA attributes, and the header's links
//! need both (tests find them by id, screen readers learn the current page).

use yew::prelude::*;
use yew_router::prelude::*;

use crate::routes::Route;

#[derive(Properties, PartialEq)]
pub struct AppLinkProps {
    pub to: Route,
    #[prop_or_default]
    pub id: Option<AttrValue>,
    #[prop_or_default]
    pub classes: Classes,
    /// Whether to say `aria-current="page"` on the current page (the nav does, the logo not).
    #[prop_or(true)]
    pub mark_current: bool,
    #[prop_or_default]
    pub children: Html,
}

#[component]
pub fn AppLink(props: &AppLinkProps) -> Html {
    let navigator = use_navigator();
    let current = use_route::<Route>();
    let onclick = {
        let to = props.to.clone();
        Callback::from(move |e: MouseEvent| {
            // Modified clicks (new tab, new window) stay with the browser.
            if e.meta_key() || e.ctrl_key() || e.shift_key() || e.alt_key() || e.button() != 0 {
                return;
            }
            if let Some(navigator) = &navigator {
                e.prevent_default();
                navigator.push(&to);
            }
        })
    };
    let aria_current =
        (props.mark_current && current.as_ref() == Some(&props.to)).then_some("page");
    html! {
        <a
            id={props.id.clone()}
            class={props.classes.clone()}
            href={props.to.to_path()}
            aria-current={aria_current}
            {onclick}
        >
            { props.children.clone() }
        </a>
    }
}
