//! The login session: the access token lives only in memory, shared through a Yew context.
//!
//! The refresh token is an HttpOnly cookie the page never sees. On start the app trades it for a
//! session (`POST /auth/refresh`), so a reload keeps the user logged in. Refresh tokens work once,
//! so concurrent callers share one refresh instead of each presenting the same cookie (the second
//! would look like a stolen token and end the whole session).

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::rc::Rc;

use futures::future::{FutureExt, LocalBoxFuture, Shared};
use inservice_wire::{MeDto, ProblemCode, TokenResponse};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api::client::not_signed_in;
use crate::api::{ApiError, Client, accounts};

/// Renew this long (milliseconds) before the access token runs out.
const RENEW_MARGIN_MS: f64 = 60_000.0;

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    access_token: String,
    pub account: MeDto,
    /// When the access token expires, in milliseconds since the epoch.
    expires_at: f64,
}

impl From<TokenResponse> for Session {
    fn from(tokens: TokenResponse) -> Self {
        Self {
            access_token: tokens.access_token,
            account: tokens.account,
            expires_at: js_sys::Date::now() + tokens.expires_in as f64 * 1000.0,
        }
    }
}

impl Session {
    fn expiring(&self) -> bool {
        js_sys::Date::now() + RENEW_MARGIN_MS >= self.expires_at
    }
}

/// What components render from: the session, and whether the start-up check is done.
#[derive(Debug, Clone, Default, PartialEq)]
struct View {
    session: Option<Session>,
    restored: bool,
}

type Renewal = Shared<LocalBoxFuture<'static, Option<Session>>>;

/// The truth for async code, which must not read a render's (possibly stale) snapshot; the
/// API client reads the access token here.
pub(crate) struct Store {
    current: RefCell<Option<Session>>,
    renewal: RefCell<Option<Renewal>>,
    /// Counts logins and logouts, so a refresh that answers after one leaves it alone.
    changes: Cell<u64>,
    /// Where renders learn of a change (none in the stand-in store outside the provider).
    publish: Option<UseStateSetter<View>>,
}

impl Store {
    fn set(&self, session: Option<Session>) {
        *self.current.borrow_mut() = session.clone();
        if let Some(publish) = &self.publish {
            publish.set(View {
                session,
                restored: true,
            });
        }
    }

    /// Whether someone is signed in now.
    pub(crate) fn signed_in(&self) -> bool {
        self.current.borrow().is_some()
    }

    /// Trades the refresh cookie for a new session; one request however many callers wait.
    /// A 401 or 403 means logged out (the session is cleared); a network failure keeps what
    /// there is.
    async fn refresh(self: &Rc<Self>) -> Option<Session> {
        let pending = self.renewal.borrow().clone();
        let renewal = match pending {
            Some(renewal) => renewal,
            None => {
                let store = self.clone();
                let renewal = async move {
                    let before = store.changes.get();
                    let outcome = accounts::refresh().await;
                    store.renewal.borrow_mut().take();
                    let current = store.current.borrow().clone();
                    let session = match outcome {
                        // Someone logged in or out meanwhile: that is newer than this answer.
                        _ if store.changes.get() != before => current,
                        Ok(tokens) => Some(Session::from(tokens)),
                        Err(ApiError::Problem {
                            status: 401 | 403, ..
                        }) => None,
                        Err(_) => current,
                    };
                    store.set(session.clone());
                    session
                }
                .boxed_local()
                .shared();
                *self.renewal.borrow_mut() = Some(renewal.clone());
                renewal
            }
        };
        renewal.await
    }

    /// Runs an authenticated request with the current access token: renewed first when about
    /// to expire, and once more (with a retry) when the server answers 401 `unauthenticated`.
    pub(crate) async fn authorized<T, F, Fut>(self: &Rc<Self>, request: F) -> Result<T, ApiError>
    where
        F: Fn(String) -> Fut,
        Fut: Future<Output = Result<T, ApiError>>,
    {
        let mut session = self.current.borrow().clone();
        if session.as_ref().is_some_and(Session::expiring) {
            session = self.refresh().await;
        }
        let Some(session) = session else {
            return Err(not_signed_in());
        };
        match request(session.access_token).await {
            Err(ApiError::Problem {
                status: 401,
                problem,
            }) if problem.code == ProblemCode::Unauthenticated => match self.refresh().await {
                Some(renewed) => request(renewed.access_token).await,
                None => Err(ApiError::Problem {
                    status: 401,
                    problem,
                }),
            },
            other => other,
        }
    }
}

/// The context value: a snapshot for rendering plus the shared store for actions.
#[derive(Clone)]
pub struct Auth {
    /// The logged-in session as of this render.
    pub session: Option<Session>,
    /// False until the start-up refresh has answered; pages wait before redirecting to login.
    pub restored: bool,
    /// The API client of this session: it adds the token and renews it.
    pub client: Client,
    store: Rc<Store>,
}

impl PartialEq for Auth {
    fn eq(&self, other: &Self) -> bool {
        self.session == other.session
            && self.restored == other.restored
            && Rc::ptr_eq(&self.store, &other.store)
    }
}

impl Auth {
    pub fn account(&self) -> Option<&MeDto> {
        self.session.as_ref().map(|s| &s.account)
    }

    /// Starts a session from a login's answer.
    pub fn start(&self, tokens: TokenResponse) {
        self.store.changes.set(self.store.changes.get() + 1);
        self.store.set(Some(tokens.into()));
    }

    /// Forgets the session locally (the server already ended it).
    pub fn clear(&self) {
        self.store.changes.set(self.store.changes.get() + 1);
        self.store.set(None);
    }

    /// Keeps the session but shows changed account data (after `PATCH /me`).
    pub fn update_account(&self, account: MeDto) {
        let current = self.store.current.borrow().clone();
        if let Some(session) = current {
            self.store.set(Some(Session { account, ..session }));
        }
    }

    /// Trades the refresh cookie for a new session (see [`Store`]).
    pub async fn refresh(&self) -> Option<Session> {
        self.store.refresh().await
    }

    /// Ends this browser's session on the server (and its cookie), then forgets it.
    pub async fn log_out(&self) -> Result<(), ApiError> {
        let outcome = accounts::log_out().await;
        self.clear();
        outcome
    }
}

#[derive(Properties, PartialEq)]
pub struct SessionProviderProps {
    #[prop_or_default]
    pub children: Html,
}

/// Holds the session for everything inside and restores it from the cookie on start.
#[component]
pub fn SessionProvider(props: &SessionProviderProps) -> Html {
    let view = use_state(View::default);
    let store = {
        let publish = view.setter();
        use_memo((), move |()| {
            Rc::new(Store {
                current: RefCell::new(None),
                renewal: RefCell::new(None),
                changes: Cell::new(0),
                publish: Some(publish),
            })
        })
    };
    let auth = Auth {
        session: view.session.clone(),
        restored: view.restored,
        client: Client::new((*store).clone()),
        store: (*store).clone(),
    };
    {
        let auth = auth.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                auth.refresh().await;
            });
        });
    }
    html! {
        <ContextProvider<Auth> context={auth}>{ props.children.clone() }</ContextProvider<Auth>>
    }
}

/// The session context; every page is inside [`SessionProvider`]. Outside one (never in the
/// app) nobody is signed in and the client only makes anonymous calls.
#[hook]
pub fn use_auth() -> Auth {
    let fallback = use_memo((), |()| {
        Rc::new(Store {
            current: RefCell::new(None),
            renewal: RefCell::new(None),
            changes: Cell::new(0),
            publish: None,
        })
    });
    use_context::<Auth>().unwrap_or_else(|| Auth {
        session: None,
        restored: true,
        client: Client::new((*fallback).clone()),
        store: (*fallback).clone(),
    })
}
