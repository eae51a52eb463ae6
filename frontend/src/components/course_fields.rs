//! Controlled form fields for the course form: the form's state lives in one value, so steps
//! can come and go without losing what was typed. Each field shows the server's message for
//! it and links hint and error through `aria-describedby`.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

/// `(value, label)` choices.
pub type Options = Vec<(String, String)>;

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

fn below(id: &AttrValue, hint: &Option<AttrValue>, error: &Option<AttrValue>) -> Html {
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
pub struct TextFieldProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub onchange: Callback<String>,
    #[prop_or(AttrValue::Static("text"))]
    pub kind: AttrValue,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub step: Option<AttrValue>,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[component]
pub fn TextField(props: &TextFieldProps) -> Html {
    let invalid = props.error.is_some();
    let oninput = {
        let onchange = props.onchange.clone();
        Callback::from(move |e: InputEvent| {
            onchange.emit(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            { label_view(&props.id, &props.label, props.required) }
            <input
                id={props.id.clone()}
                type={props.kind.clone()}
                value={props.value.clone()}
                step={props.step.clone()}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={described_by(&props.id, props.hint.is_some(), invalid)}
                {oninput}
            />
            { below(&props.id, &props.hint, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct TextAreaProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub value: AttrValue,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

#[component]
pub fn TextArea(props: &TextAreaProps) -> Html {
    let invalid = props.error.is_some();
    let oninput = {
        let onchange = props.onchange.clone();
        Callback::from(move |e: InputEvent| {
            onchange.emit(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            { label_view(&props.id, &props.label, props.required) }
            <textarea
                id={props.id.clone()}
                rows="5"
                value={props.value.clone()}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={described_by(&props.id, props.hint.is_some(), invalid)}
                {oninput}
            />
            { below(&props.id, &props.hint, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    pub id: AttrValue,
    pub label: AttrValue,
    pub options: Options,
    pub value: AttrValue,
    pub onchange: Callback<String>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or(AttrValue::Static("請選擇"))]
    pub placeholder: AttrValue,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// A single choice as a `<select>`.
#[component]
pub fn Choice(props: &ChoiceProps) -> Html {
    let invalid = props.error.is_some();
    let onchange = {
        let onchange = props.onchange.clone();
        Callback::from(move |e: Event| {
            onchange.emit(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    html! {
        <div class={classes!("field", invalid.then_some("invalid"))}>
            { label_view(&props.id, &props.label, props.required) }
            <select
                id={props.id.clone()}
                aria-invalid={invalid.then_some("true")}
                aria-describedby={described_by(&props.id, props.hint.is_some(), invalid)}
                {onchange}
            >
                <option value="" selected={props.value.is_empty()}>{ props.placeholder.clone() }</option>
                { for props.options.iter().map(|(value, label)| html! {
                    <option key={value.clone()} value={value.clone()}
                        selected={*value == *props.value}>{ label }</option>
                }) }
            </select>
            { below(&props.id, &props.hint, &props.error) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckGroupProps {
    pub id: AttrValue,
    pub legend: AttrValue,
    pub options: Options,
    pub selected: Vec<String>,
    pub onchange: Callback<Vec<String>>,
    #[prop_or_default]
    pub required: bool,
    #[prop_or_default]
    pub hint: Option<AttrValue>,
    #[prop_or_default]
    pub error: Option<AttrValue>,
}

/// Several choices as checkboxes in a fieldset; the chosen codes keep the options' order.
#[component]
pub fn CheckGroup(props: &CheckGroupProps) -> Html {
    let invalid = props.error.is_some();
    html! {
        <fieldset
            class={classes!("check-group", invalid.then_some("invalid"))}
            id={props.id.clone()}
            aria-describedby={described_by(&props.id, props.hint.is_some(), invalid)}
        >
            <legend>
                { props.legend.clone() }
                if props.required {
                    <span class="required">{ "（必填，可複選）" }</span>
                }
            </legend>
            { for props.options.iter().map(|(value, label)| {
                let checked = props.selected.contains(value);
                let onchange = {
                    let (onchange, options, selected, value) = (
                        props.onchange.clone(),
                        props.options.clone(),
                        props.selected.clone(),
                        value.clone(),
                    );
                    Callback::from(move |e: Event| {
                        let on = e.target_unchecked_into::<HtmlInputElement>().checked();
                        let chosen = options
                            .iter()
                            .map(|(v, _)| v)
                            .filter(|v| if **v == value { on } else { selected.contains(*v) })
                            .cloned()
                            .collect();
                        onchange.emit(chosen);
                    })
                };
                let input_id = format!("{}-{}", props.id, value);
                html! {
                    <div class="field check" key={value.clone()}>
                        <input id={input_id.clone()} type="checkbox" value={value.clone()} {checked} {onchange} />
                        <label for={input_id}>{ label }</label>
                    </div>
                }
            }) }
            { below(&props.id, &props.hint, &props.error) }
        </fieldset>
    }
}
