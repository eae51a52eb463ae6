//! The four steps of the course form. Only valid choices are offered: subject areas of the
//! chosen stage, the taxonomy items of that stage and category, active tags.

use std::rc::Rc;

use inservice_wire::{
    ContactDto, CourseFormDto, CourseFormOptions, CourseSessionDto, SubjectAreaDto,
};
use yew::prelude::*;

use crate::api::courses::FormOptionsExt;
use crate::api::{self, ApiError};
use crate::components::course_fields::{CheckGroup, Choice, Options, TextArea, TextField};
use crate::components::form::field_error;
use crate::hooks::{Fetch, use_fetch};
use crate::pages::course_form::Editor;
use crate::pages::courses::{CATEGORIES, STAGES};

/// The reference data the form offers.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalog {
    pub areas: Vec<SubjectAreaDto>,
    pub options: CourseFormOptions,
    /// Active tags (and the retired ones the course already has), `(id, name)`.
    pub tags: Options,
}

#[derive(Properties, PartialEq)]
pub struct StepProps {
    pub step: usize,
    pub form: CourseFormDto,
    pub editor: Editor,
    pub catalog: Rc<Catalog>,
    pub error: Option<ApiError>,
}

fn opts(list: &[(&str, &str)]) -> Options {
    list.iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect()
}

fn number_text<T: ToString>(value: Option<T>) -> AttrValue {
    value.map(|v| v.to_string()).unwrap_or_default().into()
}

fn opt_text(value: &Option<String>) -> AttrValue {
    value.clone().unwrap_or_default().into()
}

fn is_credit(class_type: &str) -> bool {
    matches!(class_type, "1-5" | "1-6" | "1-7" | "1-8")
}

#[component]
pub fn StepContent(props: &StepProps) -> Html {
    match props.step {
        0 => html! { <CourseStep ..props.clone_props() /> },
        1 => html! { <ModesStep ..props.clone_props() /> },
        2 => html! { <ScheduleStep ..props.clone_props() /> },
        _ => html! { <OtherStep ..props.clone_props() /> },
    }
}

impl StepProps {
    fn clone_props(&self) -> StepProps {
        StepProps {
            step: self.step,
            form: self.form.clone(),
            editor: self.editor.clone(),
            catalog: self.catalog.clone(),
            error: self.error.clone(),
        }
    }

    fn err(&self, field: &str) -> Option<AttrValue> {
        field_error(&self.error, field)
    }
}

/// Step 1: class, nature, name and tags, stage–domain–subject, category, items, level,
/// instructor, outline.
#[component]
fn CourseStep(props: &StepProps) -> Html {
    let (f, e, o) = (&props.form, &props.editor, &props.catalog.options);
    let area_stage = props
        .catalog
        .areas
        .iter()
        .find(|a| a.code == f.subject_area)
        .map(|a| a.stage.clone());
    let stage = use_state(|| area_stage.clone().unwrap_or_default());
    let shown_stage = area_stage.unwrap_or_else(|| (*stage).clone());
    let taxonomy = use_fetch(shown_stage.clone(), |stage| async move {
        if stage.is_empty() {
            Ok(None)
        } else {
            api::taxonomy(&stage).await.map(Some)
        }
    });
    let on_stage = {
        let (stage, editor) = (stage.clone(), e.clone());
        Callback::from(move |value: String| {
            stage.set(value);
            editor.apply(|f| {
                f.subject_area.clear();
                f.items.clear();
            });
        })
    };
    let areas: Options = props
        .catalog
        .areas
        .iter()
        .filter(|a| a.stage == shown_stage)
        .map(|a| {
            let label = match &a.subject {
                Some(subject) => format!("{}–{subject}", a.domain),
                None => a.domain.clone(),
            };
            (a.code.clone(), label)
        })
        .collect();
    let items: Options = match &*taxonomy {
        Fetch::Ready(Some(tree)) => tree
            .categories
            .iter()
            .filter(|c| c.code == f.category)
            .flat_map(|c| c.subcategories.iter())
            .flat_map(|s| {
                if s.items.is_empty() {
                    vec![(s.code.clone(), format!("{} {}", s.code, s.name))]
                } else {
                    s.items
                        .iter()
                        .map(|i| {
                            (
                                i.code.clone(),
                                format!("{} {}（{}）", i.code, i.name, s.name),
                            )
                        })
                        .collect()
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let selected_tags: Vec<String> = f.tag_ids.iter().map(|t| t.to_string()).collect();
    let on_tags = {
        let editor = e.clone();
        Callback::from(move |ids: Vec<String>| {
            editor.apply(move |f| f.tag_ids = ids.iter().filter_map(|i| i.parse().ok()).collect())
        })
    };
    let on_category = {
        let editor = e.clone();
        Callback::from(move |value: String| {
            editor.apply(move |f| {
                f.category = value.clone();
                f.items.clear();
            })
        })
    };
    html! {
        <>
            <Choice id="form-class-type" label="班別類別" required=true options={o.choices(1)}
                value={f.class_type.clone()} onchange={e.text(|f, v| f.class_type = v)}
                error={props.err("class_type")} />
            if is_credit(&f.class_type) {
                <TextField id="form-credits" label="學分數" kind="number" required=true
                    value={number_text(f.credits)} hint="一學分採計 18 小時"
                    onchange={e.text(|f, v| f.credits = v.trim().parse().ok())}
                    error={props.err("credits")} />
            }
            <Choice id="form-nature" label="辦理性質" required=true options={o.choices(2)}
                value={f.nature.clone()} onchange={e.text(|f, v| f.nature = v)}
                error={props.err("nature")} />
            <TextField id="form-document-number" label="依據文號" value={opt_text(&f.document_number)}
                hint="主管機關核定研習時數的公文文號；委託辦理必填，自動審核也需要文號"
                onchange={e.text(|f, v| f.document_number = Some(v))}
                error={props.err("document_number")} />
            <TextField id="form-name" label="研習名稱" required=true value={f.name.clone()}
                hint="系列課程請依場次區別名稱，例如「（第二場）」"
                onchange={e.text(|f, v| f.name = v)} error={props.err("name")} />
            <CheckGroup id="form-tags" legend="專案屬性標籤（最多 3 個）" options={props.catalog.tags.clone()}
                selected={selected_tags} onchange={on_tags} error={props.err("tag_ids")} />
            <Choice id="form-stage" label="教育階段" required=true options={opts(&STAGES)}
                value={shown_stage.clone()} onchange={on_stage} />
            <Choice id="form-subject-area" label="教育階段-領域-科目" required=true options={areas}
                value={f.subject_area.clone()} onchange={e.text(|f, v| f.subject_area = v)}
                error={props.err("subject_area")} />
            <Choice id="form-category" label="進修範疇" required=true options={opts(&CATEGORIES)}
                value={f.category.clone()} onchange={on_category} error={props.err("category")} />
            if f.category == "6" {
                <p class="hint">{ "「實用知能與生活素養」範疇不分課程細項。" }</p>
            } else if !items.is_empty() {
                <CheckGroup id="form-items" legend="課程細項" required=true options={items}
                    selected={f.items.clone()} onchange={e.list(|f, v| f.items = v)}
                    error={props.err("items")} />
            } else if let Some(message) = props.err("items") {
                <p class="field-error">{ message }</p>
            }
            <Choice id="form-level" label="進修階層" required=true options={o.choices(7)
                    .into_iter()
                    .map(|(code, label)| (code.trim_start_matches("7-").to_owned(), label))
                    .collect::<Options>()}
                value={number_text(f.level)} onchange={e.text(|f, v| f.level = v.parse().ok())}
                error={props.err("level")} />
            <TextField id="form-instructor" label="師資姓名" required=true value={f.instructor_name.clone()}
                onchange={e.text(|f, v| f.instructor_name = v)} error={props.err("instructor_name")} />
            <Choice id="form-instructor-kind" label="師資類別" required=true options={o.choices(8)}
                value={f.instructor_kind.clone()} onchange={e.text(|f, v| f.instructor_kind = v)}
                error={props.err("instructor_kind")} />
            <TextArea id="form-outline" label="課程大綱" required=true value={f.outline.clone()}
                hint="簡述辦理目的與課程內容" onchange={e.text(|f, v| f.outline = v)}
                error={props.err("outline")} />
        </>
    }
}

/// Step 2: modes (with the remote-teaching software of digital courses), time slots, hours.
#[component]
fn ModesStep(props: &StepProps) -> Html {
    let (f, e, o) = (&props.form, &props.editor, &props.catalog.options);
    let digital = f.modes.iter().any(|m| m == "11-6");
    html! {
        <>
            <CheckGroup id="form-modes" legend="實施方式" required=true options={o.choices(11)}
                selected={f.modes.clone()} onchange={e.list(|f, v| f.modes = v)}
                error={props.err("modes")} />
            if f.modes.iter().any(|m| m == "11-99") {
                <TextField id="form-mode-other" label="其他實施方式" required=true
                    value={opt_text(&f.mode_other)} onchange={e.text(|f, v| f.mode_other = Some(v))}
                    error={props.err("mode_other")} />
            }
            if digital {
                <CheckGroup id="form-software" legend="遠距教學軟體" required=true
                    options={o.software()} selected={f.remote_software.clone()}
                    onchange={e.list(|f, v| f.remote_software = v)}
                    error={props.err("remote_software")} />
                if f.remote_software.iter().any(|s| s == "other") {
                    <TextField id="form-software-other" label="其他軟體" required=true
                        value={opt_text(&f.remote_software_other)}
                        onchange={e.text(|f, v| f.remote_software_other = Some(v))}
                        error={props.err("remote_software_other")} />
                }
            }
            <CheckGroup id="form-slots" legend="課程時段" required=true options={o.choices(12)}
                selected={f.time_slots.clone()} onchange={e.list(|f, v| f.time_slots = v)}
                error={props.err("time_slots")} />
            if is_credit(&f.class_type) {
                <p class="hint" id="form-hours-credit">
                    { format!("學分班研習時數 = 學分數 × 18 = {} 小時", f.credits.unwrap_or(0) * 18) }
                </p>
            } else {
                <TextField id="form-hours" label="研習時數（小時）" kind="number" step="0.5" required=true
                    value={number_text(f.hours)} hint="最小單位 0.5 小時；不可超過上課時間（數位課程除外）"
                    onchange={e.text(|f, v| f.hours = v.trim().parse().ok())}
                    error={props.err("hours")} />
            }
        </>
    }
}

/// Step 3: registration window, sessions, place, audience.
#[component]
fn ScheduleStep(props: &StepProps) -> Html {
    let (f, e, o) = (&props.form, &props.editor, &props.catalog.options);
    let session_field = |index: usize, set: fn(&mut CourseSessionDto, String)| {
        let editor = e.clone();
        Callback::from(move |value: String| {
            editor.apply(move |f| {
                if let Some(session) = f.sessions.get_mut(index) {
                    set(session, value.clone());
                }
            })
        })
    };
    let add_session = {
        let editor = e.clone();
        Callback::from(move |_: MouseEvent| {
            editor.apply(|f| {
                let last = f.sessions.last().cloned().unwrap_or_default();
                f.sessions.push(CourseSessionDto {
                    date: last.date,
                    starts_at: "13:00".into(),
                    ends_at: "16:00".into(),
                });
            })
        })
    };
    let remove_session = |index: usize| {
        let editor = e.clone();
        Callback::from(move |_: MouseEvent| {
            editor.apply(move |f| {
                if f.sessions.len() > 1 {
                    f.sessions.remove(index);
                }
            })
        })
    };
    html! {
        <>
            <TextField id="form-opens" label="報名開始（日期與時間）" kind="datetime-local" required=true
                value={f.registration_opens_at.clone()}
                onchange={e.text(|f, v| f.registration_opens_at = v)}
                error={props.err("registration_opens_at")} />
            <TextField id="form-closes" label="報名截止（日期與時間）" kind="datetime-local" required=true
                value={f.registration_closes_at.clone()} hint="須晚於報名開始，且不晚於第一個場次開始"
                onchange={e.text(|f, v| f.registration_closes_at = v)}
                error={props.err("registration_closes_at")} />
            <fieldset class="sessions-editor" id="form-sessions">
                <legend>{ "上課場次" }<span class="required">{ "（必填）" }</span></legend>
                if let Some(message) = props.err("sessions") {
                    <p class="field-error">{ message }</p>
                }
                { for f.sessions.iter().enumerate().map(|(i, s)| html! {
                    <div class="session-row" key={i}>
                        <TextField id={format!("form-session-{i}-date")} label={format!("第 {} 場日期", i + 1)}
                            kind="date" value={s.date.clone()} onchange={session_field(i, |s, v| s.date = v)}
                            error={props.err(&format!("sessions[{i}].date"))} />
                        <TextField id={format!("form-session-{i}-starts")} label="開始" kind="time"
                            value={s.starts_at.clone()} onchange={session_field(i, |s, v| s.starts_at = v)}
                            error={props.err(&format!("sessions[{i}].starts_at"))} />
                        <TextField id={format!("form-session-{i}-ends")} label="結束" kind="time"
                            value={s.ends_at.clone()} onchange={session_field(i, |s, v| s.ends_at = v)}
                            error={props.err(&format!("sessions[{i}].ends_at"))} />
                        if f.sessions.len() > 1 {
                            <button type="button" class="small" onclick={remove_session(i)}>
                                { format!("刪除第 {} 場", i + 1) }
                            </button>
                        }
                    </div>
                }) }
                <button type="button" id="form-add-session" onclick={add_session}>{ "新增場次" }</button>
            </fieldset>
            <TextField id="form-venue" label="上課地點" required=true value={f.venue.clone()}
                onchange={e.text(|f, v| f.venue = v)} error={props.err("venue")} />
            <TextArea id="form-schedule-note" label="課程表及注意事項" value={opt_text(&f.schedule_note)}
                onchange={e.text(|f, v| f.schedule_note = Some(v))} error={props.err("schedule_note")} />
            <CheckGroup id="form-target-stages" legend="參加對象教育階段" required=true
                options={o.choices(14)} selected={f.target_stages.clone()}
                onchange={e.list(|f, v| f.target_stages = v)} error={props.err("target_stages")} />
            <CheckGroup id="form-target-titles" legend="參加對象職稱" required=true
                options={o.choices(15)} selected={f.target_titles.clone()}
                onchange={e.list(|f, v| f.target_titles = v)} error={props.err("target_titles")} />
            if f.target_titles.iter().any(|t| t == "15-99") {
                <TextField id="form-title-other" label="其他職稱" required=true
                    value={opt_text(&f.target_title_other)}
                    onchange={e.text(|f, v| f.target_title_other = Some(v))}
                    error={props.err("target_title_other")} />
            }
        </>
    }
}

/// Step 4: funding, fees, places, contacts, questionnaire.
#[component]
fn OtherStep(props: &StepProps) -> Html {
    let (f, e, o) = (&props.form, &props.editor, &props.catalog.options);
    let contact = |index: usize, set: fn(&mut ContactDto, String)| {
        let editor = e.clone();
        Callback::from(move |value: String| {
            editor.apply(move |f| {
                while f.contacts.len() <= index {
                    f.contacts.push(Default::default());
                }
                set(&mut f.contacts[index], value.clone());
            })
        })
    };
    let review_toggle = {
        let editor = e.clone();
        Callback::from(move |event: Event| {
            let on = event
                .target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked();
            editor.apply(move |f| f.review_enrollments = on)
        })
    };
    let person = |i: usize| {
        let c = f.contacts.get(i).cloned().unwrap_or_default();
        html! {
            <fieldset class="contact" id={format!("form-contact-{i}")}>
                <legend>{ if i == 0 { "承辦人" } else { "第二位承辦人（選填）" } }</legend>
                <TextField id={format!("form-contact-{i}-name")} label="姓名" required={i == 0}
                    value={c.name.clone()} onchange={contact(i, |c, v| c.name = v)}
                    error={props.err(&format!("contacts[{i}].name"))} />
                <TextField id={format!("form-contact-{i}-phone")} label="電話" kind="tel" required={i == 0}
                    value={c.phone.clone()} onchange={contact(i, |c, v| c.phone = v)}
                    error={props.err(&format!("contacts[{i}].phone"))} />
                <TextField id={format!("form-contact-{i}-email")} label="電子郵件" kind="email" required={i == 0}
                    value={c.email.clone()} onchange={contact(i, |c, v| c.email = v)}
                    error={props.err(&format!("contacts[{i}].email"))} />
            </fieldset>
        }
    };
    html! {
        <>
            <CheckGroup id="form-funding" legend="經費來源" required=true options={o.choices(21)}
                selected={f.funding_sources.clone()} onchange={e.list(|f, v| f.funding_sources = v)}
                error={props.err("funding_sources")} />
            if !f.funding_sources.iter().any(|s| s == "21-12") {
                <TextField id="form-subsidy" label="補助金額（新臺幣元）" kind="number"
                    value={number_text(f.subsidy_amount)}
                    onchange={e.text(|f, v| f.subsidy_amount = v.trim().parse().ok())}
                    error={props.err("subsidy_amount")} />
            }
            <Choice id="form-fee-kind" label="學員繳費情形" required=true options={o.choices(22)}
                value={f.fee_kind.clone()} onchange={e.text(|f, v| f.fee_kind = v)}
                error={props.err("fee_kind")} />
            if !f.fee_kind.is_empty() && f.fee_kind != "22-3" {
                <TextField id="form-fee-amount" label="金額（新臺幣元）" kind="number" required=true
                    value={number_text(f.fee_amount)}
                    onchange={e.text(|f, v| f.fee_amount = v.trim().parse().ok())}
                    error={props.err("fee_amount")} />
            }
            <TextField id="form-classes" label="辦理班數" kind="number" required=true
                value={number_text(f.classes)} onchange={e.text(|f, v| f.classes = v.trim().parse().ok())}
                error={props.err("classes")} />
            <TextField id="form-places" label="每班人數" kind="number" required=true
                value={number_text(f.places_per_class)}
                onchange={e.text(|f, v| f.places_per_class = v.trim().parse().ok())}
                error={props.err("places_per_class")} />
            if let Some(message) = props.err("contacts") {
                <p class="field-error">{ message }</p>
            }
            { person(0) }
            { person(1) }
            <Choice id="form-feedback" label="課程意見回饋問卷" required=true options={o.choices(26)}
                value={f.feedback.clone()} onchange={e.text(|f, v| f.feedback = v)}
                error={props.err("feedback")} />
            <Choice id="form-allocation" label="錄取方式" required=true
                options={opts(&[("first_come", "先到先錄取（額滿可候補）"), ("lottery", "報名截止後公開抽籤（參加對象優先）")])}
                value={f.allocation.clone()} onchange={e.text(|f, v| f.allocation = v)}
                error={props.err("allocation")} />
            <div class="field check">
                <input id="form-review-enrollments" type="checkbox" checked={f.review_enrollments}
                    onchange={review_toggle} />
                <label for="form-review-enrollments">{ "報名須經本單位審核後才錄取" }</label>
            </div>
        </>
    }
}
