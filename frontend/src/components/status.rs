//! How a page says "loading" and "that failed".

use yew::prelude::*;

use crate::api::ApiError;

/// 「載入中…」, for inside a page's `aria-live` region.
#[component]
pub fn Loading() -> Html {
    html! { <p class="loading">{ "載入中…" }</p> }
}

#[derive(Properties, PartialEq)]
pub struct ErrorBoxProps {
    pub error: ApiError,
}

/// The error's zh-TW text, plus each field's message for a validation problem.
#[component]
pub fn ErrorBox(props: &ErrorBoxProps) -> Html {
    let fields = props.error.field_errors();
    html! {
        <div class="error" role="alert">
            <p class="error-title">{ props.error.to_string() }</p>
            if !fields.is_empty() {
                <ul class="error-fields">
                    { for fields.iter().map(|f| html! {
                        <li key={f.field.clone()} data-field={f.field.clone()}>{ &f.message }</li>
                    }) }
                </ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ForbiddenProps {
    pub children: Html,
}

/// Why this account cannot use the page.
#[component]
pub fn Forbidden(props: &ForbiddenProps) -> Html {
    html! {
        <div class="error" role="alert" id="page-forbidden">
            <p class="error-title">{ props.children.clone() }</p>
        </div>
    }
}
