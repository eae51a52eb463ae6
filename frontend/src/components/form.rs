//! Form parts shared by the account pages: labelled fields with their own error message, an
//! error summary that takes focus, and reading a submitted form.
//!
//! Inputs are uncontrolled: the browser keeps what was typed, the submit handler reads it all
//! from the form. Forms say `novalidate`, so the server's messages (in zh-TW) are the only ones.

use std::rc::Rc;

use web_sys::{FormData, HtmlElement, HtmlFormElement};
use yew::html::IntoPropValue;
use yew::prelude::*;

use crate::api::ApiError;

/// The fields of a submitted form, by `name`.
pub struct FormValues(Option<FormData>);

impl FormValues {
    /// Stops the browser's own submit and reads the form.
    pub fn from_submit(e: &SubmitEvent) -> Self {
        e.prevent_default();
        let form: HtmlFormElement = e.target_unchecked_into();
        Self(FormData::new_with_form(&form).ok())
    }

    /// The text as typed (passwords keep their spaces).
    pub fn raw(&self, name: &str) -> String {
        self.0
            .as_ref()
            .and_then(|data| data.get(name).as_string())
            .unwrap_or_default()
    }

    pub fn text(&self, name: &str) -> String {
        self.raw(name).trim().to_owned()
    }

    /// The trimmed text, `None` when blank.
    pub fn optional(&self, name: &str) -> Option<String> {
        Some(self.text(name)).filter(|v| !v.is_empty())
    }

    pub fn checked(&self, name: &str) -> bool {
        self.0.as_ref().is_some_and(|data| data.has(name))
    }
}

/// The server's message for `field`, if the last submit failed on it.
pub fn field_error(error: &Option<ApiError>, field: &str) -> Option<AttrValue> {
    error.as_ref().and_then(|e| {
        e.field_errors()
            .iter()
            .find(|f| f.field == field)
            .map(|f| AttrValue::from(f.message.clone()))
    })
}

/// `aria-describedby` for a field with an optional hint and error.
fn described_by(id: &str, hint: bool, error: bool) -> Option<String> {
    let ids: Vec<String> = [(hint, "hint"), (error, "error")]
        .into_iter()
        .filter(|(present, _)| *present)
        .map(|(_, suffix)| format!("{id}-{suffix}"))
        .collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

fn label_view(id: &AttrValue, label: &AttrValue, required: bool) -> Html {
    html! {
        <label for={id.clone()}>
            { label.clone() }
            if required {
                <span class="required">{ "（必填）" }</span>
            }
        </label>
    }
}

fn below_view(id: &AttrValue, hint: &Option<Html>, error: &Option<AttrValue>) -> Html {
    html! {
        <>
            if let Some(hint) = hint {
                <p class="hint" id={format!("{id}-hint")}>{ hint.clone() }</p>
            }
            if let Some(error) = error {
                <p class="field-error" id={format!("{id}-error")}>{ error.clone() }</p>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct InputProps {
    pub id: AttrValue,
    pub name: AttrValue,
    pub label: AttrValue,
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub autocomplete: Option<AttrValue>,
    /// The initial value.
    #[prop_or_default]
    pub value: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<Html>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A labelled `<input>` with its hint and error below, both linked by `aria-describedby`.
#[component]
pub fn Input(props: &InputProps) -> Html {
    let invalid = props.error.is_some();
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            { label_view(&props.id, &props.label, props.required) }
            <input
                id={props.id.clone()}
                name={props.name.clone()}
                type={props.kind.clone()}
                required={props.required}
                autocomplete={props.autocomplete.clone()}
                value={props.value.clone()}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={described_by(&props.id, props.hint.is_some(), invalid)}
            />
            { below_view(&props.id, &props.hint, &props.error) }
        </div>
    }
}

/// The `(value, label)` choices of a [`Select`]: a fixed list or one loaded from the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Choices(pub Rc<[(AttrValue, AttrValue)]>);

impl IntoPropValue<Choices> for &'static [(&'static str, &'static str)] {
    fn into_prop_value(self) -> Choices {
        let pairs = self
            .iter()
            .map(|&(v, l)| (AttrValue::Static(v), AttrValue::Static(l)));
        Choices(pairs.collect())
    }
}

impl<V: Into<AttrValue>, L: Into<AttrValue>> FromIterator<(V, L)> for Choices {
    fn from_iter<I: IntoIterator<Item = (V, L)>>(pairs: I) -> Self {
        Self(
            pairs
                .into_iter()
                .map(|(v, l)| (v.into(), l.into()))
                .collect(),
        )
    }
}

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    pub id: AttrValue,
    pub name: AttrValue,
    pub label: AttrValue,
    pub options: Choices,
    /// A first, empty choice such as 「請選擇」.
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    #[prop_or_default]
    pub selected: Option<AttrValue>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[component]
pub fn Select(props: &SelectProps) -> Html {
    let invalid = props.error.is_some();
    let selected = props.selected.as_deref().unwrap_or("");
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            { label_view(&props.id, &props.label, props.required) }
            <select
                id={props.id.clone()}
                name={props.name.clone()}
                required={props.required}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={described_by(&props.id, false, invalid)}
            >
                if let Some(placeholder) = &props.placeholder {
                    <option value="" selected={selected.is_empty()}>{ placeholder.clone() }</option>
                }
                { for props.options.0.iter().map(|(value, label)| html! {
                    <option key={value.to_string()} value={value.clone()}
                        selected={value == selected}>{ label.clone() }</option>
                }) }
            </select>
            { below_view(&props.id, &None, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckboxProps {
    pub id: AttrValue,
    pub name: AttrValue,
    pub children: Html,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A required consent checkbox, its label beside it.
#[component]
pub fn Checkbox(props: &CheckboxProps) -> Html {
    let invalid = props.error.is_some();
    html! {
        <div class={classes!("field", "check", invalid.then_some("invalid"))}>
            <input
                id={props.id.clone()}
                name={props.name.clone()}
                type="checkbox"
                value="yes"
                required=true
                aria-invalid={invalid.then_some("true")}
                aria-describedby={described_by(&props.id, false, invalid)}
            />
            <label for={props.id.clone()}>{ props.children.clone() }</label>
            { below_view(&props.id, &None, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ErrorSummaryProps {
    pub error: ApiError,
    /// Server field name → id of its input, so each message links to its field.
    #[prop_or_default]
    pub fields: &'static [(&'static str, &'static str)],
}

/// What went wrong with a submit; takes keyboard focus so screen readers start here.
#[component]
pub fn ErrorSummary(props: &ErrorSummaryProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(props.error.clone(), move |_| {
            if let Some(element) = node.cast::<HtmlElement>() {
                let _ = element.focus();
            }
        });
    }
    let headline = match &props.error {
        ApiError::Problem { problem, .. } if !problem.detail.is_empty() => problem.detail.clone(),
        other => other.to_string(),
    };
    let target = |field: &str| {
        props
            .fields
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, id)| format!("#{id}"))
    };
    let fields = props.error.field_errors();
    html! {
        <div class="error error-summary" role="alert" tabindex="-1" ref={node}>
            <p class="error-title">{ headline }</p>
            if !fields.is_empty() {
                <ul class="error-fields">
                    { for fields.iter().map(|f| html! {
                        <li data-field={f.field.clone()}>
                            if let Some(href) = target(&f.field) {
                                <a {href}>{ &f.message }</a>
                            } else {
                                { &f.message }
                            }
                        </li>
                    }) }
                </ul>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticeProps {
    #[prop_or_default]
    pub id: Option<AttrValue>,
    pub children: Html,
}

/// A success message, announced politely.
#[component]
pub fn Notice(props: &NoticeProps) -> Html {
    html! {
        <div class="notice" id={props.id.clone()} role="status">{ props.children.clone() }</div>
    }
}
