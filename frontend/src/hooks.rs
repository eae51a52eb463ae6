//! Hooks shared by the pages: loading API data, naming the page, requiring a login, the job
//! titles.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{ApiError, accounts};
use crate::components::form::Choices;
use crate::pages::login::LoginQuery;
use crate::routes::Route;
use crate::session::{Session, use_auth};

/// Where a request stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetch<T> {
    Loading,
    Ready(T),
    Failed(ApiError),
}

impl<T> From<Result<T, ApiError>> for Fetch<T> {
    fn from(result: Result<T, ApiError>) -> Self {
        match result {
            Ok(value) => Self::Ready(value),
            Err(error) => Self::Failed(error),
        }
    }
}

/// Runs `fetch(deps)` whenever `deps` change and holds its outcome.
///
/// An answer that arrives after `deps` changed again (or after the page went away) is
/// dropped, so a slow earlier request never overwrites the newer one.
#[hook]
pub fn use_fetch<D, T, F, Fut>(deps: D, fetch: F) -> UseStateHandle<Fetch<T>>
where
    D: PartialEq + Clone + 'static,
    T: 'static,
    F: FnOnce(D) -> Fut + 'static,
    Fut: Future<Output = Result<T, ApiError>> + 'static,
{
    let state = use_state(|| Fetch::Loading);
    {
        let state = state.clone();
        use_effect_with(deps, move |deps| {
            let current = Rc::new(Cell::new(true));
            state.set(Fetch::Loading);
            let request = fetch(deps.clone());
            let still_current = current.clone();
            spawn_local(async move {
                let outcome = request.await;
                if still_current.get() {
                    state.set(outcome.into());
                }
            });
            move || current.set(false)
        });
    }
    state
}

/// The last action of a page that reloads its data after each success: `version` changes
/// after every success (a dependency for [`use_fetch`]), `message` holds the last outcome, and
/// `done` reports one.
pub struct ActionOutcome {
    pub version: u32,
    pub message: Option<Result<String, ApiError>>,
    pub done: Callback<Result<String, ApiError>>,
}

#[hook]
pub fn use_action_outcome() -> ActionOutcome {
    let version = use_state(|| 0_u32);
    let message = use_state(|| None::<Result<String, ApiError>>);
    let done = {
        let (version, message) = (version.clone(), message.clone());
        Callback::from(move |result: Result<String, ApiError>| {
            if result.is_ok() {
                version.set(*version + 1);
            }
            message.set(Some(result));
        })
    };
    ActionOutcome {
        version: *version,
        message: (*message).clone(),
        done,
    }
}

/// Sets the document title, so the tab and screen readers name the page.
#[hook]
pub fn use_title(page: &'static str) {
    use_effect_with(page, |page| {
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            let site = "全國教師在職進修資訊網";
            if page.is_empty() {
                document.set_title(site);
            } else {
                document.set_title(&format!("{page}｜{site}"));
            }
        }
    });
}

/// The logged-in session, or `None` while it is being restored; once it is known that nobody
/// is logged in, goes to the login page.
#[hook]
pub fn use_require_login() -> Option<Session> {
    let auth = use_auth();
    let navigator = use_navigator();
    let missing = auth.restored && auth.session.is_none();
    use_effect_with(missing, move |missing| {
        if *missing && let Some(navigator) = navigator {
            let query = LoginQuery {
                notice: Some("login_required".into()),
            };
            let _ = navigator.replace_with_query(&Route::Login, &query);
        }
    });
    auth.session
}

thread_local! {
    /// The job titles once loaded: they change only with a new server release.
    static JOB_TITLES: RefCell<Option<Choices>> = const { RefCell::new(None) };
}

/// The job titles (職稱) as `(code, label)` choices, from course-form field 15; fetched once
/// per page load and then served from memory.
#[hook]
pub fn use_job_titles() -> Fetch<Choices> {
    let cached = JOB_TITLES.with(|c| c.borrow().clone());
    let state = use_state(move || cached.map_or(Fetch::Loading, Fetch::Ready));
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            if matches!(*state, Fetch::Loading) {
                spawn_local(async move {
                    let outcome = accounts::job_titles().await.map(|titles| {
                        let choices: Choices =
                            titles.into_iter().map(|t| (t.code, t.label)).collect();
                        JOB_TITLES.with(|c| *c.borrow_mut() = Some(choices.clone()));
                        choices
                    });
                    state.set(outcome.into());
                });
            }
        });
    }
    (*state).clone()
}
