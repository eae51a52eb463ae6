//! 找不到頁面: every path the router does not know.

use yew::prelude::*;

use crate::components::app_link::AppLink;
use crate::hooks::use_title;
use crate::routes::Route;

#[component]
pub fn NotFound() -> Html {
    use_title("找不到頁面");
    html! {
        <section class="not-found" aria-labelledby="not-found-title">
            <h1 id="not-found-title">{ "找不到頁面" }</h1>
            <p>{ "您要找的頁面不存在，可能是網址有誤或頁面已移除。" }</p>
            <p><AppLink to={Route::Home} id="not-found-home">{ "回到首頁" }</AppLink></p>
        </section>
    }
}
