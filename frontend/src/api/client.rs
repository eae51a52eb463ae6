//! The one HTTP client of the API: every call is described once ([`Call`]) and sent by it.
//!
//! A call of a signed-in page goes out with the session's access token; when the server
//! answers 401 `unauthenticated` the session is renewed once (one refresh shared by every
//! caller waiting, see [`crate::session`]) and the call is sent again. Pages never see a token.
//! Every answer's status is checked before parsing: a success body becomes the typed response,
//! an error status becomes [`ApiError::Problem`] from its RFC 9457 body.

use std::rc::Rc;

use gloo_net::http::{Method, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{ApiError, BASE};
use inservice_wire::{Problem, ProblemCode};

use crate::session::Store;

const ACCEPT_JSON: &str = "application/json, application/problem+json";

/// How a call proves who sends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Without a token (public data, login, refresh).
    Anonymous,
    /// With the token when someone is signed in (a course page shows its organiser more).
    IfSignedIn,
    /// Only with a session; without one the call fails as 401 without being sent.
    SignedIn,
}

/// The session's handle for API calls; cheap to clone, equal when it is the same session store.
#[derive(Clone)]
pub struct Client {
    store: Option<Rc<Store>>,
}

impl PartialEq for Client {
    fn eq(&self, other: &Self) -> bool {
        match (&self.store, &other.store) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl Client {
    pub(crate) fn new(store: Rc<Store>) -> Self {
        Self { store: Some(store) }
    }

    fn call(&self, method: Method, path: &str) -> Call {
        Call {
            access: Access::SignedIn,
            ..Call::new(self.store.clone(), method, format!("{BASE}{path}"))
        }
    }

    /// A signed-in `GET` of `path` (below `/api/v1`).
    pub fn get(&self, path: &str) -> Call {
        self.call(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Call {
        self.call(Method::POST, path)
    }

    pub fn put(&self, path: &str) -> Call {
        self.call(Method::PUT, path)
    }

    pub fn patch(&self, path: &str) -> Call {
        self.call(Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Call {
        self.call(Method::DELETE, path)
    }

    /// A `GET` of a full URL the server gave (an attachment), with the token if signed in.
    pub fn get_url(&self, url: &str) -> Call {
        Call {
            access: Access::IfSignedIn,
            ..Call::new(self.store.clone(), Method::GET, url.to_owned())
        }
    }
}

/// An anonymous `GET` of `path` (below `/api/v1`).
pub fn public_get(path: &str) -> Call {
    Call::new(None, Method::GET, format!("{BASE}{path}"))
}

/// An anonymous `POST` of `path` (below `/api/v1`).
pub fn public_post(path: &str) -> Call {
    Call::new(None, Method::POST, format!("{BASE}{path}"))
}

enum Body {
    Empty,
    Json(Result<String, String>),
    Bytes(Vec<u8>, &'static str),
}

/// One request, kept as a description so it can be sent again after a refresh.
pub struct Call {
    store: Option<Rc<Store>>,
    access: Access,
    method: Method,
    url: String,
    query: Vec<(String, String)>,
    body: Body,
    accept: &'static str,
}

pub(crate) fn not_signed_in() -> ApiError {
    ApiError::Problem {
        status: 401,
        problem: Problem::new(401, ProblemCode::Unauthenticated, "需要登入", "請先登入。"),
    }
}

impl Call {
    fn new(store: Option<Rc<Store>>, method: Method, url: String) -> Self {
        Self {
            store,
            access: Access::Anonymous,
            method,
            url,
            query: Vec::new(),
            body: Body::Empty,
            accept: ACCEPT_JSON,
        }
    }

    /// Sends the token only when someone is signed in; anonymous otherwise.
    pub fn if_signed_in(mut self) -> Self {
        self.access = Access::IfSignedIn;
        self
    }

    /// Adds the parameters of a wire query type; absent (`None`) ones are left out.
    pub fn query_of<Q: Serialize>(mut self, query: &Q) -> Self {
        if let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(query) {
            for (key, value) in fields {
                if let serde_json::Value::String(value) = value {
                    self.query.push((key, value));
                }
            }
        }
        self
    }

    /// A JSON body.
    pub fn json<B: Serialize + ?Sized>(mut self, body: &B) -> Self {
        self.body = Body::Json(serde_json::to_string(body).map_err(|e| e.to_string()));
        self
    }

    /// A raw body (an upload) of `content_type`.
    pub fn bytes(mut self, data: Vec<u8>, content_type: &'static str) -> Self {
        self.body = Body::Bytes(data, content_type);
        self
    }

    /// What the answer may be, when it is not JSON (a workbook).
    pub fn accept(mut self, accept: &'static str) -> Self {
        self.accept = accept;
        self
    }

    /// One attempt, with `token` if given; any status.
    async fn attempt(&self, token: Option<&str>) -> Result<Response, ApiError> {
        let mut builder = RequestBuilder::new(&self.url)
            .method(self.method.clone())
            .header("Accept", self.accept);
        if !self.query.is_empty() {
            builder = builder.query(self.query.iter().map(|(k, v)| (k.as_str(), v)));
        }
        if let Some(token) = token {
            builder = builder.header("Authorization", &format!("Bearer {token}"));
        }
        let request = match &self.body {
            Body::Empty => builder.build(),
            Body::Json(Ok(text)) => builder
                .header("Content-Type", "application/json")
                .body(text.as_str()),
            Body::Json(Err(e)) => return Err(ApiError::Network(e.clone())),
            Body::Bytes(data, content_type) => builder
                .header("Content-Type", content_type)
                .body(js_sys::Uint8Array::from(data.as_slice())),
        }
        .map_err(|e| ApiError::Network(e.to_string()))?;
        request
            .send()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))
    }

    /// One attempt that turns an error status into its problem.
    async fn checked(&self, token: Option<&str>) -> Result<Response, ApiError> {
        let response = self.attempt(token).await?;
        if response.ok() {
            Ok(response)
        } else {
            Err(problem(response).await)
        }
    }

    /// Sends the call (with the token and one renewal as its access asks) and checks the status.
    async fn respond(self) -> Result<Response, ApiError> {
        let store = match (self.access, &self.store) {
            (Access::Anonymous, _) | (Access::IfSignedIn, None) => None,
            (Access::SignedIn, None) => return Err(not_signed_in()),
            (Access::IfSignedIn, Some(store)) if !store.signed_in() => None,
            (_, Some(store)) => Some(store.clone()),
        };
        match store {
            None => self.checked(None).await,
            Some(store) => {
                store
                    .authorized(|token| {
                        let call = &self;
                        async move { call.checked(Some(&token)).await }
                    })
                    .await
            }
        }
    }

    /// The answer as `T`.
    pub async fn fetch<T: DeserializeOwned>(self) -> Result<T, ApiError> {
        decode(self.respond().await?).await
    }

    /// The answer as `T`, and whether the server created something (201).
    pub async fn fetch_created<T: DeserializeOwned>(self) -> Result<(bool, T), ApiError> {
        let response = self.respond().await?;
        let created = response.status() == 201;
        Ok((created, decode(response).await?))
    }

    /// For answers without a body (202, 204).
    pub async fn done(self) -> Result<(), ApiError> {
        self.respond().await.map(|_| ())
    }

    /// The bytes of a file download (a workbook, a JSON copy).
    pub async fn download(self) -> Result<Vec<u8>, ApiError> {
        self.respond()
            .await?
            .binary()
            .await
            .map_err(|e| ApiError::Network(e.to_string()))
    }

    /// The answer whatever its status, for callers that read an error status's body too.
    pub async fn raw(self) -> Result<Response, ApiError> {
        self.attempt(None).await
    }
}

pub(crate) async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    response
        .json::<T>()
        .await
        .map_err(|e| ApiError::Decode(e.to_string()))
}

/// Turns an error status into a problem; a body that is no problem document
/// (a proxy's HTML page, say) still yields the status.
pub(crate) async fn problem(response: Response) -> ApiError {
    let status = response.status();
    let problem = response.json::<Problem>().await.unwrap_or_default();
    ApiError::Problem { status, problem }
}
