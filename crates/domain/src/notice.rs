//! What the platform tells teachers by e-mail (zh-TW), and the one-tap calendar link.

use crate::course::Session;

/// The facts of a course a notice refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CourseFacts {
    pub code: i32,
    pub name: String,
    pub unit_name: String,
    /// e.g. `2026-12-19 09:00–12:00、2026-12-19 13:00–16:00`.
    pub when: String,
    pub venue: String,
    /// The course page.
    pub url: String,
}

impl CourseFacts {
    pub fn when_of(sessions: &[Session]) -> String {
        sessions
            .iter()
            .map(|s| {
                format!(
                    "{} {}–{}",
                    s.date,
                    s.starts_at.format("%H:%M"),
                    s.ends_at.format("%H:%M")
                )
            })
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// Every notice a teacher can get about an enrollment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    Enrolled,
    /// Holding a place until the organiser reviews it.
    Pending,
    Waiting {
        position: u64,
    },
    /// A lottery application was received.
    Applied,
    /// A place freed up (or the organiser gave one): now enrolled.
    Promoted,
    Accepted,
    Declined {
        reason: String,
    },
    /// The lottery gave a place.
    DrawnIn,
    /// The lottery gave no place: waiting in draw order.
    DrawnWaiting {
        position: u64,
    },
    Withdrawn,
    Cancelled {
        reason: String,
    },
    Postponed {
        reason: String,
    },
}

impl Notice {
    /// A short code stored with the message (the organiser's list of notifications).
    pub fn code(&self) -> &'static str {
        match self {
            Notice::Enrolled => "enrolled",
            Notice::Pending => "pending",
            Notice::Waiting { .. } => "waiting",
            Notice::Applied => "applied",
            Notice::Promoted => "promoted",
            Notice::Accepted => "accepted",
            Notice::Declined { .. } => "declined",
            Notice::DrawnIn => "drawn_in",
            Notice::DrawnWaiting { .. } => "drawn_waiting",
            Notice::Withdrawn => "withdrawn",
            Notice::Cancelled { .. } => "cancelled",
            Notice::Postponed { .. } => "postponed",
        }
    }

    /// Subject and body of the e-mail to `teacher` about `course`.
    pub fn render(&self, teacher: &str, course: &CourseFacts) -> (String, String) {
        let (headline, text) = match self {
            Notice::Enrolled => ("報名成功", "您已報名成功，請準時出席。".to_owned()),
            Notice::Pending => (
                "報名已送出，待開課單位審核",
                "開課單位審核報名後會再通知您結果。".to_owned(),
            ),
            Notice::Waiting { position } => (
                "已列入候補",
                format!(
                    "名額已滿，您目前是候補第 {position} 位；有名額釋出時會依序自動遞補並通知您。"
                ),
            ),
            Notice::Applied => (
                "已登記抽籤",
                "本課程於報名截止後公開抽籤，結果將以電子郵件通知您。".to_owned(),
            ),
            Notice::Promoted => (
                "候補遞補成功",
                "您已由候補遞補為正取，請準時出席。".to_owned(),
            ),
            Notice::Accepted => ("報名審核通過", "開課單位已錄取您，請準時出席。".to_owned()),
            Notice::Declined { reason } => (
                "報名未錄取",
                format!("開課單位未錄取您的報名。理由：{reason}"),
            ),
            Notice::DrawnIn => (
                "抽籤結果：錄取",
                "恭喜您在抽籤中錄取，請準時出席。".to_owned(),
            ),
            Notice::DrawnWaiting { position } => (
                "抽籤結果：候補",
                format!(
                    "本次抽籤未錄取，您依抽籤順序為候補第 {position} 位；有名額釋出時會自動遞補並通知您。"
                ),
            ),
            Notice::Withdrawn => ("已取消報名", "您已取消這門課程的報名。".to_owned()),
            Notice::Cancelled { reason } => (
                "課程取消通知",
                format!("很抱歉，這門課程已取消，請勿前往。取消原因：{reason}"),
            ),
            Notice::Postponed { reason } => (
                "課程延期通知",
                format!("這門課程已改期，新的上課時間如下。改期原因：{reason}"),
            ),
        };
        let subject = format!("【全國教師在職進修資訊網】{headline}：{}", course.name);
        let body = format!(
            "{teacher} 老師您好：\n\n{text}\n\n課程代碼：{}\n課程名稱：{}\n開課單位：{}\n上課時間：{}\n上課地點：{}\n課程頁面：{}\n\n此信由系統自動寄出，請勿直接回覆。",
            course.code, course.name, course.unit_name, course.when, course.venue, course.url
        );
        (subject, body)
    }
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode_component(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The "add to Google Calendar" link: from the first session's start to the last one's end,
/// in UTC (`YYYYMMDDTHHMMSSZ`).
pub fn google_calendar_url(
    name: &str,
    sessions: &[Session],
    details: &str,
    location: &str,
) -> String {
    let stamp =
        |instant: chrono::DateTime<chrono::Utc>| instant.format("%Y%m%dT%H%M%SZ").to_string();
    let (start, end) = match (sessions.first(), sessions.last()) {
        (Some(first), Some(last)) => (stamp(first.start()), stamp(last.end())),
        _ => (String::new(), String::new()),
    };
    format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={start}/{end}&details={}&location={}",
        encode_component(name),
        encode_component(details),
        encode_component(location)
    )
}

/// An account e-mail: its subject and text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountMail {
    pub subject: &'static str,
    pub body: String,
}

/// To the new address: the link that makes it the account's.
pub fn email_change_confirmation(
    real_name: &str,
    account_name: &str,
    link: &str,
    hours: i64,
) -> AccountMail {
    AccountMail {
        subject: "全國教師在職進修資訊網：確認新的電子郵件",
        body: format!(
            "{real_name} 您好：\n\n帳號 {account_name} 申請將電子郵件改為這個地址。\n請於 {hours} 小時內開啟以下連結確認（只能使用一次），確認後才會生效：\n\n{link}\n\n若不是您本人申請，請忽略這封信。\n"
        ),
    }
}

/// To the old address: someone asked to move the account's mail elsewhere.
pub fn email_change_warning(real_name: &str, account_name: &str, new_email: &str) -> AccountMail {
    AccountMail {
        subject: "全國教師在職進修資訊網：電子郵件變更通知",
        body: format!(
            "{real_name} 您好：\n\n帳號 {account_name} 剛申請將電子郵件改為 {new_email}，新地址確認後即生效。\n若不是您本人申請，請立即登入變更密碼並「登出所有裝置」，或聯絡您的服務單位。\n"
        ),
    }
}

/// A single-use link to set a new password, valid for `minutes`.
pub fn password_reset(
    real_name: &str,
    account_name: &str,
    link: &str,
    minutes: i64,
) -> AccountMail {
    AccountMail {
        subject: "全國教師在職進修資訊網：重設密碼",
        body: format!(
            "{real_name} 您好：\n\n我們收到重設「全國教師在職進修資訊網」帳號 {account_name} 密碼的申請。\n請於 {minutes} 分鐘內開啟以下連結設定新密碼（只能使用一次）：\n\n{link}\n\n若不是您本人申請，請忽略這封信，您的密碼不會改變。\n"
        ),
    }
}

/// To a teacher whose unit entered them: the new account and the link to set its password,
/// valid for `days`.
pub fn teacher_account_created(
    real_name: &str,
    account_name: &str,
    link: &str,
    days: i64,
) -> AccountMail {
    AccountMail {
        subject: "全國教師在職進修資訊網：您的教師帳號已建立",
        body: format!(
            "{real_name} 您好：\n\n您的服務單位已在「全國教師在職進修資訊網」為您建立教師帳號 {account_name}。\n請於 {days} 日內開啟以下連結設定密碼：\n\n{link}\n"
        ),
    }
}

/// To a business account unused for two years: it is deleted unless used within `grace_days`.
pub fn idle_account_warning(real_name: &str, account_name: &str, grace_days: i64) -> AccountMail {
    AccountMail {
        subject: "全國教師在職進修資訊網：業務帳號即將刪除通知",
        body: format!(
            "{real_name} 您好：\n\n您在「全國教師在職進修資訊網」的業務帳號 {account_name} 已超過兩年未登入。\n依規定，若 {grace_days} 日內仍未登入，帳號將被刪除（日後仍可重新申請）。\n"
        ),
    }
}

/// A sent message's text without the secrets it carried: the value of every `token=` in a
/// link (password resets, account activation) is replaced, so the outbox does not keep live
/// links once the mail has left.
pub fn without_link_secrets(text: &str) -> String {
    const MARK: &str = "token=";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(MARK) {
        let (before, after) = rest.split_at(at + MARK.len());
        out.push_str(before);
        let secret_len = after
            .find(|c: char| {
                !(c.is_ascii_alphanumeric()
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || c == '%')
            })
            .unwrap_or(after.len());
        if secret_len > 0 {
            out.push_str("[已寄出，不保留]");
        }
        rest = &after[secret_len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, NaiveTime};

    use super::*;

    #[test]
    fn account_mails_name_the_account_and_carry_the_link() {
        let reset = password_reset("王小明", "wang", "https://x.tw/reset-password?token=t", 30);
        assert_eq!(reset.subject, "全國教師在職進修資訊網：重設密碼");
        assert_eq!(
            reset.body,
            "王小明 您好：\n\n我們收到重設「全國教師在職進修資訊網」帳號 wang 密碼的申請。\n請於 30 分鐘內開啟以下連結設定新密碼（只能使用一次）：\n\nhttps://x.tw/reset-password?token=t\n\n若不是您本人申請，請忽略這封信，您的密碼不會改變。\n"
        );
        let created = teacher_account_created("王小明", "t1234", "https://x.tw/l", 3);
        assert_eq!(
            created.subject,
            "全國教師在職進修資訊網：您的教師帳號已建立"
        );
        assert_eq!(
            created.body,
            "王小明 您好：\n\n您的服務單位已在「全國教師在職進修資訊網」為您建立教師帳號 t1234。\n請於 3 日內開啟以下連結設定密碼：\n\nhttps://x.tw/l\n"
        );
        let idle = idle_account_warning("陳大華", "chen", 14);
        assert_eq!(idle.subject, "全國教師在職進修資訊網：業務帳號即將刪除通知");
        assert_eq!(
            idle.body,
            "陳大華 您好：\n\n您在「全國教師在職進修資訊網」的業務帳號 chen 已超過兩年未登入。\n依規定，若 14 日內仍未登入，帳號將被刪除（日後仍可重新申請）。\n"
        );
    }

    #[test]
    fn sent_mail_keeps_no_live_link() {
        let text =
            "請開啟 https://x.tw/reset-password?token=abc_DEF-123 設定。\n另 ?a=1&token=Z9 結束";
        let kept = without_link_secrets(text);
        assert!(
            !kept.contains("abc_DEF-123") && !kept.contains("Z9 "),
            "{kept}"
        );
        assert!(
            kept.contains("reset-password?token=[已寄出，不保留] 設定"),
            "{kept}"
        );
        assert_eq!(without_link_secrets("沒有連結"), "沒有連結");
    }

    fn sessions() -> Vec<Session> {
        let day = NaiveDate::from_ymd_opt(2026, 12, 19).unwrap();
        let t = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        vec![
            Session {
                date: day,
                starts_at: t(9),
                ends_at: t(12),
            },
            Session {
                date: day,
                starts_at: t(13),
                ends_at: t(16),
            },
        ]
    }

    fn facts() -> CourseFacts {
        CourseFacts {
            code: 42,
            name: "理化工作坊".into(),
            unit_name: "示範國中".into(),
            when: CourseFacts::when_of(&sessions()),
            venue: "自然教室".into(),
            url: "https://inservice.example/courses/42".into(),
        }
    }

    #[test]
    fn notices_name_the_course_and_what_happened() {
        let (subject, body) = Notice::Cancelled {
            reason: "講師臨時無法出席".into(),
        }
        .render("林老師", &facts());
        assert_eq!(
            subject,
            "【全國教師在職進修資訊網】課程取消通知：理化工作坊"
        );
        assert!(body.starts_with("林老師 老師您好"));
        assert!(body.contains("取消原因：講師臨時無法出席"));
        assert!(body.contains("2026-12-19 09:00–12:00、2026-12-19 13:00–16:00"));
        assert!(body.contains("https://inservice.example/courses/42"));
        let (_, waiting) = Notice::Waiting { position: 3 }.render("林老師", &facts());
        assert!(waiting.contains("候補第 3 位"));
    }

    #[test]
    fn every_notice_has_its_own_code() {
        let all = [
            Notice::Enrolled,
            Notice::Pending,
            Notice::Waiting { position: 1 },
            Notice::Applied,
            Notice::Promoted,
            Notice::Accepted,
            Notice::Declined {
                reason: String::new(),
            },
            Notice::DrawnIn,
            Notice::DrawnWaiting { position: 1 },
            Notice::Withdrawn,
            Notice::Cancelled {
                reason: String::new(),
            },
            Notice::Postponed {
                reason: String::new(),
            },
        ];
        let mut codes: Vec<_> = all.iter().map(Notice::code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn the_calendar_link_is_in_utc_and_encoded() {
        let url = google_calendar_url("理化 工作坊", &sessions(), "課程代碼 42", "自然教室");
        assert!(url.starts_with(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text=%E7%90%86%E5%8C%96%20"
        ));
        assert!(
            url.contains("&dates=20261219T010000Z/20261219T080000Z&"),
            "{url}"
        );
        assert!(url.contains("&location=%E8%87%AA"));
    }
}
