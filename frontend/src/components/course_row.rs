//! One course in a list: name linking to its page, status badges, and the facts a teacher
//! compares (unit, dates, hours, places, closing time).

use inservice_wire::CourseSummaryDto;
use yew::prelude::*;

use crate::components::app_link::AppLink;
use crate::format::{date_range, hours_text, local_time};
use crate::routes::Route;

/// The badge class of a registration status.
pub fn status_class(status: &str) -> &'static str {
    match status {
        "open" => "badge badge-open",
        "cancelled" => "badge badge-danger",
        "not_yet_open" => "badge",
        _ => "badge badge-muted",
    }
}

#[derive(Properties, PartialEq)]
pub struct CourseRowProps {
    pub course: CourseSummaryDto,
    /// Show the course's life-cycle state (organiser and reviewer lists).
    #[prop_or_default]
    pub show_state: bool,
    /// Show the reviewer's flags.
    #[prop_or_default]
    pub show_flags: bool,
}

#[component]
pub fn CourseRow(props: &CourseRowProps) -> Html {
    let c = &props.course;
    let county = c.unit.county_name.clone().unwrap_or_default();
    let flags = c.flags.clone().unwrap_or_default();
    html! {
        <li class="course-row" data-code={c.code.to_string()}>
            <h3 class="course-name">
                <AppLink to={Route::Course { code: c.code }} classes={classes!("course-link")}>
                    { &c.name }
                </AppLink>
            </h3>
            <p class="course-badges">
                if props.show_state {
                    <span class="badge badge-state">{ &c.state_label }</span>{ " " }
                }
                <span class={status_class(&c.registration_status)}>
                    { &c.registration_status_label }
                </span>
                if c.is_digital {
                    { " " }<span class="badge">{ "數位課程" }</span>
                }
                { for c.tags.iter().map(|t| html! {
                    <>{ " " }<span class="badge badge-tag">{ format!("〔{}〕", t.name) }</span></>
                }) }
            </p>
            <dl class="unit-meta">
                <div><dt>{ "課程代碼" }</dt><dd class="code">{ c.code }</dd></div>
                <div><dt>{ "開課單位" }</dt><dd>{ format!("{county} {}", c.unit.name) }</dd></div>
                <div><dt>{ "日期" }</dt><dd>{ date_range(&c.start_date, &c.end_date) }</dd></div>
                <div><dt>{ "時數" }</dt><dd>{ hours_text(c.hours) }</dd></div>
                <div><dt>{ "名額" }</dt><dd>{ format!("剩 {} / {}", c.places_left, c.capacity) }</dd></div>
                <div><dt>{ "報名截止" }</dt><dd>{ local_time(&c.registration_closes_at) }</dd></div>
            </dl>
            if props.show_flags && !flags.is_empty() {
                <ul class="flag-list" aria-label="審核提醒">
                    { for flags.iter().map(|f| html! { <li class="flag">{ &f.message }</li> }) }
                </ul>
            }
        </li>
    }
}
