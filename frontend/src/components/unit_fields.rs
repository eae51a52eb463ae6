//! The fields of a unit (name, kind, county, ownership, contact data), shared by the create and
//! edit forms of 單位管理; `prefix` keeps the ids of several forms on one page apart.

use inservice_wire::{NewUnit, UnitDto, UnitInput};
use yew::prelude::*;

use crate::api::ApiError;
use crate::api::units::{OWNERSHIPS, UNIT_KINDS};
use crate::components::form::{Choices, FormValues, Input, Select, field_error};

/// Reads the unit fields of a submitted form; `code` is empty when the form has none.
pub fn read_unit(form: &FormValues) -> NewUnit {
    NewUnit {
        code: form.text("code"),
        unit: UnitInput {
            name: form.text("name"),
            kind: form.text("kind"),
            county_code: form.optional("county_code"),
            ownership: form.text("ownership"),
            address: form.optional("address"),
            phone: form.optional("phone"),
            email: form.optional("email"),
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct UnitFieldsProps {
    /// Id prefix: `unit` gives `unit-name`, `unit-kind`, …
    pub prefix: AttrValue,
    /// The unit being edited; `None` for a new one, which also asks for the code.
    #[prop_or_default]
    pub unit: Option<UnitDto>,
    /// The counties as `(code, name)`.
    pub counties: Choices,
    #[prop_or_default]
    pub error: Option<ApiError>,
}

#[component]
pub fn UnitFields(props: &UnitFieldsProps) -> Html {
    let id = |field: &str| AttrValue::from(format!("{}-{field}", props.prefix));
    let error = props.error.clone();
    let err = |field: &str| field_error(&error, field);
    let unit = props.unit.as_ref();
    let value = |f: fn(&UnitDto) -> Option<String>| unit.and_then(f).map(AttrValue::from);
    html! {
        <>
            if unit.is_none() {
                <Input id={id("code")} name="code" label="單位代碼" required=true autocomplete="off"
                    error={err("code")}
                    hint={html! { "學校請用教育部學校代碼，例如 413601；設定後不能更改。" }} />
            }
            <Input id={id("name")} name="name" label="單位名稱" required=true autocomplete="off"
                value={value(|u| Some(u.name.clone()))} error={err("name")} />
            <Select id={id("kind")} name="kind" label="單位類別" options={&UNIT_KINDS[..]}
                placeholder="請選擇" required=true selected={value(|u| Some(u.kind.clone()))}
                error={err("kind")} />
            <Select id={id("county")} name="county_code" label="縣市"
                options={props.counties.clone()} placeholder="無（全國性單位）"
                selected={value(|u| u.county.as_ref().map(|c| c.code.clone()))}
                error={err("county_code")} />
            <Select id={id("ownership")} name="ownership" label="公私立" options={&OWNERSHIPS[..]}
                required=true selected={Some(value(|u| Some(u.ownership.clone()))
                    .unwrap_or(AttrValue::Static("local")))}
                error={err("ownership")} />
            <Input id={id("address")} name="address" label="地址" autocomplete="off"
                value={value(|u| u.address.clone())} error={err("address")} />
            <Input id={id("phone")} name="phone" label="電話" kind="tel" autocomplete="off"
                value={value(|u| u.phone.clone())} error={err("phone")} />
            <Input id={id("email")} name="email" label="電子郵件" kind="email" autocomplete="off"
                value={value(|u| u.email.clone())} error={err("email")} />
        </>
    }
}
