//! Crafted uploads: workbooks that claim a billion shared strings, span the whole sheet grid or
//! inflate to a gigabyte, and CSV files past the row and column limits. Before the upload gate
//! these aborted the server process (a failed allocation is no panic); now each is a 422 problem
//! naming why, and the server goes on serving.

use std::io::{Cursor, Write};

use inservice_e2e::courses::course_form;
use inservice_e2e::{TestApp, both_databases};
use serde_json::Value;
use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

const UNIT: &str = "demo-jh-taipei";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
const SHEET_TAIL: &str = "</sheetData></worksheet>";

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

/// A workbook of the parts calamine reads, written entry by entry so that every attribute is
/// ours to choose; `sheet` receives the writer positioned inside the first sheet's entry.
fn workbook(
    shared_strings: Option<&str>,
    sheet: impl FnOnce(&mut ZipWriter<Cursor<Vec<u8>>>),
) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let part = |zip: &mut ZipWriter<_>, name: &str, text: &str| {
        zip.start_file(name, deflated()).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    part(
        &mut zip,
        "[Content_Types].xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
    );
    part(
        &mut zip,
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    part(
        &mut zip,
        "xl/workbook.xml",
        r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
    );
    part(
        &mut zip,
        "xl/_rels/workbook.xml.rels",
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
    );
    if let Some(strings) = shared_strings {
        part(&mut zip, "xl/sharedStrings.xml", strings);
    }
    zip.start_file("xl/worksheets/sheet1.xml", deflated())
        .unwrap();
    sheet(&mut zip);
    zip.finish().unwrap().into_inner()
}

/// One inline-string cell row, for a sheet that is otherwise harmless.
fn plain_sheet(zip: &mut ZipWriter<Cursor<Vec<u8>>>) {
    let cells = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    zip.write_all(format!("{SHEET_HEAD}{cells}{SHEET_TAIL}").as_bytes())
        .unwrap();
}

/// Shared strings claiming a billion entries: calamine reserved room for all of them (24 GB).
fn billion_shared_strings() -> Vec<u8> {
    let strings = r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1000000000" uniqueCount="1000000000"><si><t>code</t></si></sst>"#;
    workbook(Some(strings), plain_sheet)
}

/// Two cells, at `A1` and `XFD1048576` (the last cell of the grid), under a dimension that says
/// `A1`: calamine allocated every cell of the box between them.
fn whole_grid() -> Vec<u8> {
    workbook(None, |zip| {
        let cells = r#"<dimension ref="A1"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>code</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>"#;
        let head = SHEET_HEAD.trim_end_matches("<sheetData>");
        zip.write_all(format!("{head}{cells}</worksheet>").as_bytes())
            .unwrap();
    })
}

/// A sheet of one gigabyte of blanks, deflated to about a megabyte; written a megabyte at a
/// time so the test never holds the gigabyte.
fn zip_bomb() -> Vec<u8> {
    workbook(None, |zip| {
        zip.write_all(SHEET_HEAD.as_bytes()).unwrap();
        let blanks = vec![b' '; 1 << 20];
        for _ in 0..1024 {
            zip.write_all(&blanks).unwrap();
        }
        zip.write_all(SHEET_TAIL.as_bytes()).unwrap();
    })
}

async fn post(
    app: &TestApp,
    path: &str,
    token: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value, String) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("the server answers");
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    (status, response.json().await.unwrap_or(Value::Null), media)
}

async fn assert_serving(app: &TestApp) {
    assert_eq!(
        app.get("/api/v1/health").await.status(),
        200,
        "the server still serves"
    );
}

fn assert_rejected(what: &str, (status, problem, media): (u16, Value, String), code: &str) {
    assert_eq!(status, 422, "{what}: {problem}");
    assert_eq!(media, "application/problem+json", "{what}");
    assert_eq!(problem["code"], code, "{what}: {problem}");
    assert_eq!(problem["status"], 422, "{what}");
    assert!(
        !problem["detail"].as_str().unwrap_or("").is_empty(),
        "{what}: the detail says why"
    );
}

both_databases!(
    crafted_workbooks_are_refused_and_the_server_keeps_serving,
    |app: TestApp| async move {
        // Built first: the bomb takes a while, and an idle pooled connection would go stale.
        let crafted = [
            (
                "a billion shared strings",
                billion_shared_strings(),
                "too_many_shared_strings",
            ),
            ("cells at A1 and XFD1048576", whole_grid(), "too_many_rows"),
            ("a gigabyte deflated", zip_bomb(), "zip_bomb"),
        ];
        app.seed_demo_accounts().await;
        let operator = app.demo_token("school.operator").await;
        let admin = app.demo_token("centre.admin").await;
        // A draft is enough: the sheet used to be read before the course's state was looked at.
        let draft = app
            .create_course(&operator, UNIT, &course_form("上傳檢查研習"))
            .await;
        let sign_in = format!(
            "/api/v1/courses/{}/attendance/sign-in-sheet",
            draft["code"].as_i64().unwrap()
        );
        for (what, bytes, code) in crafted {
            assert!(bytes.len() < 10 << 20, "{what} fits the upload limit");
            let answer = post(&app, &sign_in, &operator, XLSX, bytes.clone()).await;
            assert_rejected(&format!("sign-in sheet, {what}"), answer, code);
            assert_serving(&app).await;
            let answer = post(&app, "/api/v1/units/import", &admin, XLSX, bytes).await;
            assert_rejected(&format!("directory import, {what}"), answer, code);
            assert_serving(&app).await;
        }

        // Good files still go through both doors.
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        let rows = [
            ["code", "name", "county", "kind"],
            ["413699", "臺北市立上傳國民小學", "63000", "elementary"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
        let (status, report, _) = post(
            &app,
            "/api/v1/units/import",
            &admin,
            XLSX,
            book.save_to_buffer().unwrap(),
        )
        .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(report["added"], serde_json::json!(["413699"]));

        let reviewer = app.demo_token("taipei.reviewer").await;
        let code = app
            .published_course(&operator, UNIT, &reviewer, &course_form("簽到上傳研習"))
            .await;
        let teachers = app.teachers(1, UNIT, "15-4").await;
        app.enroll_all(code, &[teachers[0].1.as_str()]).await;
        app.end_course(code, 1).await;
        let exported = app
            .client
            .get(app.url(&format!(
                "/api/v1/courses/{code}/enrollments.xlsx?kind=sign_in"
            )))
            .bearer_auth(&operator)
            .send()
            .await
            .unwrap();
        assert_eq!(exported.status(), 200);
        let exported = exported.bytes().await.unwrap().to_vec();
        let (status, saved, _) = post(
            &app,
            &format!("/api/v1/courses/{code}/attendance/sign-in-sheet"),
            &operator,
            XLSX,
            exported,
        )
        .await;
        assert_eq!(status, 200, "{saved}");
    }
);

both_databases!(
    csv_files_past_the_row_or_column_limit_are_refused,
    |app: TestApp| async move {
        app.seed_demo_accounts().await;
        let admin = app.demo_token("centre.admin").await;
        let mut tall = String::from("code,name,county,kind\n");
        for n in 0..20_000 {
            tall.push_str(&format!("{n:06},學校{n},臺北市,elementary\n"));
        }
        let answer = post(
            &app,
            "/api/v1/units/import",
            &admin,
            "text/csv",
            tall.into_bytes(),
        )
        .await;
        assert_rejected("20,001 CSV rows", answer, "too_many_rows");
        let wide = format!("code,name,county,kind{}\n", ",x".repeat(197));
        let answer = post(
            &app,
            "/api/v1/units/import",
            &admin,
            "text/csv",
            wide.into_bytes(),
        )
        .await;
        assert_rejected("201 CSV columns", answer, "too_many_columns");
        assert_serving(&app).await;
    }
);
