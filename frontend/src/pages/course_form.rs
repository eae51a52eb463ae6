//! 研習課程登錄: the 26-field registration form in four steps, for a new course of the
//! signed-in account's unit or to change an existing one.
//!
//! The whole form is one value in a reducer, so moving between steps keeps everything. The
//! server checks every field; its messages appear beside the fields, and the steps holding
//! errors are marked.

use std::rc::Rc;

use inservice_wire::{ContactDto, CourseFormDto, CourseSessionDto};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::accounts::MeExt;
use crate::api::courses;
use crate::api::courses::CourseExt;
use crate::api::{self, ApiError, TagStatus};
use crate::components::form::ErrorSummary;
use crate::components::status::{ErrorBox, Forbidden, Loading};
use crate::hooks::{Fetch, use_fetch, use_require_login, use_title};
use crate::pages::course_form_steps::{Catalog, StepContent};
use crate::routes::Route;
use crate::session::use_auth;

/// The steps and the form fields on each (server field names, before any `[` or `.`).
pub const STEPS: [(&str, &[&str]); 4] = [
    (
        "課程訊息",
        &[
            "class_type",
            "credits",
            "nature",
            "document_number",
            "name",
            "tag_ids",
            "subject_area",
            "category",
            "items",
            "level",
            "instructor_name",
            "instructor_kind",
            "outline",
        ],
    ),
    (
        "實施方式與時數",
        &[
            "modes",
            "mode_other",
            "remote_software",
            "remote_software_other",
            "time_slots",
            "hours",
        ],
    ),
    (
        "時間地點與對象",
        &[
            "registration_opens_at",
            "registration_closes_at",
            "sessions",
            "venue",
            "schedule_note",
            "target_stages",
            "target_titles",
            "target_title_other",
        ],
    ),
    (
        "經費與聯絡",
        &[
            "funding_sources",
            "subsidy_amount",
            "fee_kind",
            "fee_amount",
            "classes",
            "places_per_class",
            "contacts",
            "feedback",
            "allocation",
            "review_enrollments",
        ],
    ),
];

/// The step that holds a server field such as `sessions[1].ends_at`.
fn step_of(field: &str) -> usize {
    let base = field.split(['[', '.']).next().unwrap_or(field);
    STEPS
        .iter()
        .position(|(_, fields)| fields.contains(&base))
        .unwrap_or(0)
}

#[derive(Clone, Default, PartialEq)]
pub struct FormState(pub CourseFormDto);

pub struct Edit(Rc<dyn Fn(&mut CourseFormDto)>);

impl Reducible for FormState {
    type Action = Edit;

    fn reduce(self: Rc<Self>, action: Edit) -> Rc<Self> {
        let mut next = self.0.clone();
        (action.0)(&mut next);
        Rc::new(FormState(next))
    }
}

/// Changes the form; every change is applied to the latest state.
#[derive(Clone)]
pub struct Editor(UseReducerDispatcher<FormState>);

impl PartialEq for Editor {
    fn eq(&self, _: &Self) -> bool {
        // The dispatcher never changes for the life of the form.
        true
    }
}

impl Editor {
    pub fn apply(&self, change: impl Fn(&mut CourseFormDto) + 'static) {
        self.0.dispatch(Edit(Rc::new(change)));
    }

    pub fn text(&self, set: fn(&mut CourseFormDto, String)) -> Callback<String> {
        let editor = self.clone();
        Callback::from(move |value: String| editor.apply(move |f| set(f, value.clone())))
    }

    pub fn list(&self, set: fn(&mut CourseFormDto, Vec<String>)) -> Callback<Vec<String>> {
        let editor = self.clone();
        Callback::from(move |value: Vec<String>| editor.apply(move |f| set(f, value.clone())))
    }
}

/// A new course's form: the usual choices filled in, the account's contact data as the first
/// contact person, one session. Every field is named, so a field added to the wire type is a
/// compile error here until the form decides its start.
fn blank(name: &str, email: &str, phone: &str) -> CourseFormDto {
    CourseFormDto {
        version: None,
        class_type: "1-1".into(),
        credits: None,
        nature: "2-1".into(),
        document_number: None,
        name: String::new(),
        tag_ids: Vec::new(),
        subject_area: String::new(),
        category: String::new(),
        items: Vec::new(),
        level: Some(1),
        instructor_name: String::new(),
        instructor_kind: String::new(),
        outline: String::new(),
        modes: Vec::new(),
        mode_other: None,
        remote_software: Vec::new(),
        remote_software_other: None,
        time_slots: Vec::new(),
        hours: None,
        target_stages: Vec::new(),
        target_titles: Vec::new(),
        target_title_other: None,
        registration_opens_at: String::new(),
        registration_closes_at: String::new(),
        sessions: vec![CourseSessionDto {
            date: String::new(),
            starts_at: "09:00".into(),
            ends_at: "12:00".into(),
        }],
        venue: String::new(),
        schedule_note: None,
        funding_sources: vec!["21-12".into()],
        subsidy_amount: None,
        fee_kind: "22-3".into(),
        fee_amount: None,
        classes: Some(1),
        places_per_class: None,
        contacts: vec![ContactDto {
            name: name.to_owned(),
            phone: phone.to_owned(),
            email: email.to_owned(),
        }],
        feedback: "26-1".into(),
        allocation: "first_come".into(),
        review_enrollments: false,
    }
}

/// What is sent: blank optional texts become absent, a second contact left empty is dropped,
/// credit classes let the server count 18 hours a credit.
fn cleaned(form: &CourseFormDto) -> CourseFormDto {
    let blank_to_none = |v: &Option<String>| v.clone().filter(|t| !t.trim().is_empty());
    let credit = matches!(form.class_type.as_str(), "1-5" | "1-6" | "1-7" | "1-8");
    CourseFormDto {
        document_number: blank_to_none(&form.document_number),
        mode_other: blank_to_none(&form.mode_other),
        remote_software_other: blank_to_none(&form.remote_software_other),
        target_title_other: blank_to_none(&form.target_title_other),
        schedule_note: blank_to_none(&form.schedule_note),
        credits: if credit { form.credits } else { None },
        hours: if credit { None } else { form.hours },
        contacts: form
            .contacts
            .iter()
            .enumerate()
            .filter(|(i, c)| {
                *i == 0
                    || !(c.name.trim().is_empty()
                        && c.phone.trim().is_empty()
                        && c.email.trim().is_empty())
            })
            .map(|(_, c)| c.clone())
            .collect(),
        ..form.clone()
    }
}

#[derive(Properties, PartialEq)]
pub struct CourseFormPageProps {
    /// The course to change; `None` registers a new one.
    #[prop_or_default]
    pub code: Option<i32>,
}

#[component]
pub fn CourseFormPage(props: &CourseFormPageProps) -> Html {
    use_title(if props.code.is_some() {
        "修改研習課程"
    } else {
        "研習課程登錄"
    });
    let Some(session) = use_require_login() else {
        return html! { <Loading /> };
    };
    let me = session.account.clone();
    let Some(unit) = me.unit.clone().filter(|_| me.is_business()) else {
        return html! { <Forbidden>{ "研習課程登錄限業務帳號使用。" }</Forbidden> };
    };
    html! {
        <CourseFormLoader code={props.code} unit_code={unit.code.clone()} unit_name={unit.name.clone()}
            name={me.real_name.clone()} email={me.email.clone()} phone={me.phone.clone().unwrap_or_default()} />
    }
}

#[derive(Properties, PartialEq)]
struct LoaderProps {
    code: Option<i32>,
    unit_code: AttrValue,
    unit_name: AttrValue,
    name: AttrValue,
    email: AttrValue,
    phone: AttrValue,
}

/// Loads the reference data (and the course being changed), then shows the form.
#[component]
fn CourseFormLoader(props: &LoaderProps) -> Html {
    let auth = use_auth();
    let areas = use_fetch((), |()| courses::subject_areas());
    let options = use_fetch((), |()| courses::form_options());
    let tags = use_fetch((), |()| api::tags(TagStatus::Active));
    let existing = use_fetch(props.code, move |code| async move {
        match code {
            Some(code) => courses::course(&auth.client, code).await.map(Some),
            None => Ok(None),
        }
    });
    let ready = (&*areas, &*options, &*tags, &*existing);
    match ready {
        (Fetch::Failed(e), ..)
        | (_, Fetch::Failed(e), ..)
        | (_, _, Fetch::Failed(e), _)
        | (.., Fetch::Failed(e)) => {
            html! { <ErrorBox error={e.clone()} /> }
        }
        (
            Fetch::Ready(areas),
            Fetch::Ready(options),
            Fetch::Ready(tags),
            Fetch::Ready(existing),
        ) => {
            if existing.as_ref().is_some_and(|c| !c.can("edit")) {
                return html! { <Forbidden>{ "這門課程目前不能修改（只有開課單位可修改，已不予核准、已取消或已結案的課程不能修改）。" }</Forbidden> };
            }
            let mut tag_options: Vec<(String, String)> = tags
                .items
                .iter()
                .map(|t| (t.id.to_string(), t.name.clone()))
                .collect();
            // A retired tag the course already carries stays choosable for it.
            if let Some(course) = existing {
                for t in &course.tags {
                    if !tag_options.iter().any(|(id, _)| *id == t.id.to_string()) {
                        tag_options.push((t.id.to_string(), format!("{}（已停用）", t.name)));
                    }
                }
            }
            let catalog = Catalog {
                areas: areas.items.clone(),
                options: options.clone(),
                tags: tag_options,
            };
            let initial = existing.as_ref().map_or_else(
                || blank(&props.name, &props.email, &props.phone),
                |c| c.form(),
            );
            let unit = existing
                .as_ref()
                .map_or(props.unit_code.to_string(), |c| c.unit.code.clone());
            let unit_name = existing
                .as_ref()
                .map_or(props.unit_name.to_string(), |c| c.unit.name.clone());
            html! {
                <CourseEditor code={props.code} {unit} {unit_name} {initial} catalog={Rc::new(catalog)} />
            }
        }
        _ => html! { <Loading /> },
    }
}

#[derive(Properties, PartialEq)]
struct EditorProps {
    code: Option<i32>,
    unit: String,
    unit_name: String,
    initial: CourseFormDto,
    catalog: Rc<Catalog>,
}

#[component]
fn CourseEditor(props: &EditorProps) -> Html {
    let auth = use_auth();
    let navigator = use_navigator();
    let state = {
        let initial = props.initial.clone();
        use_reducer(move || FormState(initial))
    };
    let editor = Editor(state.dispatcher());
    let step = use_state(|| 0_usize);
    let error = use_state(|| None::<ApiError>);
    let busy = use_state(|| false);
    let steps_with_errors: Vec<usize> = (*error)
        .as_ref()
        .map(|e| e.field_errors().iter().map(|f| step_of(&f.field)).collect())
        .unwrap_or_default();
    let go = |target: usize| {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set(target))
    };
    let on_save = {
        let (auth, form, error, busy, step) = (
            auth.clone(),
            state.0.clone(),
            error.clone(),
            busy.clone(),
            step.clone(),
        );
        let (code, unit) = (props.code, props.unit.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (auth, error, busy, step, navigator) = (
                auth.clone(),
                error.clone(),
                busy.clone(),
                step.clone(),
                navigator.clone(),
            );
            let form = cleaned(&form);
            let unit = unit.clone();
            busy.set(true);
            spawn_local(async move {
                let result = match code {
                    Some(code) => courses::update(&auth.client, code, &form).await,
                    None => courses::create(&auth.client, &unit, &form).await,
                };
                busy.set(false);
                match result {
                    Ok(course) => {
                        if let Some(navigator) = navigator {
                            navigator.push(&Route::Course { code: course.code });
                        }
                    }
                    Err(e) => {
                        if let Some(first) = e.field_errors().first() {
                            step.set(step_of(&first.field));
                        }
                        error.set(Some(e));
                    }
                }
            });
        })
    };
    let current = *step;
    html! {
        <section class="course-form-page" aria-labelledby="course-form-title">
            <h1 id="course-form-title">
                { if props.code.is_some() { "修改研習課程" } else { "研習課程登錄" } }
            </h1>
            <p class="lead">{ format!("開課單位：{}", props.unit_name) }</p>
            <nav class="form-steps" aria-label="登錄步驟">
                <ol>
                    { for STEPS.iter().enumerate().map(|(i, (title, _))| html! {
                        <li>
                            <button type="button" id={format!("form-step-{}", i + 1)}
                                class={classes!(steps_with_errors.contains(&i).then_some("has-error"))}
                                aria-current={(i == current).then_some("step")}
                                onclick={go(i)}>
                                { format!("{}. {title}", i + 1) }
                                if steps_with_errors.contains(&i) {
                                    <span class="visually-hidden">{ "（有錯誤）" }</span>
                                }
                            </button>
                        </li>
                    }) }
                </ol>
            </nav>
            if let Some(error) = &*error {
                <ErrorSummary error={error.clone()} />
            }
            <form class="account-form course-form" novalidate=true onsubmit={on_save}>
                <fieldset>
                    <legend>{ format!("{}. {}", current + 1, STEPS[current].0) }</legend>
                    <StepContent step={current} form={state.0.clone()} editor={editor.clone()}
                        catalog={props.catalog.clone()} error={(*error).clone()} />
                </fieldset>
                <div class="form-actions">
                    if current > 0 {
                        <button type="button" id="form-prev" onclick={go(current - 1)}>{ "上一步" }</button>
                    }
                    if current + 1 < STEPS.len() {
                        <button type="button" id="form-next" onclick={go(current + 1)}>{ "下一步" }</button>
                    }
                    <button type="submit" class="primary" id="form-save" disabled={*busy}>
                        { if props.code.is_some() { "儲存修改" } else { "儲存草稿" } }
                    </button>
                </div>
                <p class="hint">{ "儲存後可在課程頁面上傳附件並送出審核。" }</p>
            </form>
        </section>
    }
}
