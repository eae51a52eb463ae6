//! The job-title (職稱) select, its choices loaded from the server's course-form options.

use yew::prelude::*;

use crate::components::form::Select;
use crate::components::status::ErrorBox;
use crate::hooks::{Fetch, use_job_titles};

#[derive(Properties, PartialEq)]
pub struct JobTitleSelectProps {
    pub id: AttrValue,
    #[prop_or(AttrValue::Static("job_title"))]
    pub name: AttrValue,
    #[prop_or(AttrValue::Static("職稱"))]
    pub label: AttrValue,
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub selected: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// Appears once the choices are there, so nothing can pick from an empty list.
#[component]
pub fn JobTitleSelect(props: &JobTitleSelectProps) -> Html {
    match use_job_titles() {
        Fetch::Loading => html! {
            <div class="field"><p class="loading">{ "職稱選項載入中…" }</p></div>
        },
        Fetch::Failed(error) => html! { <ErrorBox {error} /> },
        Fetch::Ready(options) => html! {
            <Select id={props.id.clone()} name={props.name.clone()} label={props.label.clone()}
                {options} placeholder={props.placeholder.clone()} selected={props.selected.clone()}
                required={props.required} error={props.error.clone()} />
        },
    }
}
