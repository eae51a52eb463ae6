use std::io::Write;

use zip::CompressionMethod;
use zip::write::{SimpleFileOptions, ZipWriter};

use super::*;

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;

/// An archive of the given entries, deflated.
fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for (name, data) in entries {
        zip.start_file(*name, options).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

/// A workbook calamine can open, with `sheet` as the first sheet's XML and optional shared
/// strings.
fn workbook(sheet: &str, shared_strings: Option<&str>) -> Vec<u8> {
    let mut entries: Vec<(&str, &[u8])> = vec![
        (
            "_rels/.rels",
            br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ];
    if let Some(strings) = shared_strings {
        entries.push(("xl/sharedStrings.xml", strings.as_bytes()));
    }
    archive(&entries)
}

fn sheet(body: &str) -> String {
    format!("{HEAD}{body}</worksheet>")
}

fn cells(body: &str) -> String {
    sheet(&format!("<sheetData>{body}</sheetData>"))
}

fn reason<T: std::fmt::Debug>(result: Result<T, UploadError>) -> Reason {
    match result {
        Err(UploadError::Rejected { reason, .. }) => reason,
        other => panic!("not rejected: {other:?}"),
    }
}

fn small(change: impl FnOnce(&mut Limits)) -> Limits {
    let mut limits = Limits::SHEETS;
    change(&mut limits);
    limits
}

#[test]
fn a_workbook_we_export_passes_and_reads_as_before() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "報名編號").unwrap();
    sheet.write_string(0, 1, "姓名").unwrap();
    sheet.write_number(1, 0, 17).unwrap();
    sheet.write_string(2, 1, "王").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert_eq!(inspect_xlsx(&bytes, &Limits::SHEETS), Ok(()));
    assert_eq!(
        read_xlsx(&bytes, &Limits::SHEETS).unwrap(),
        [["報名編號", "姓名"], ["17", ""], ["", "王"]]
    );
}

#[test]
fn the_table_is_the_box_of_the_non_empty_cells() {
    let bytes = workbook(
        &cells(
            r#"<row r="2"><c r="B2" t="inlineStr"><is><t>a</t></is></c><c r="C2"/></row><row r="4"><c r="D4"><v>1.5</v></c></row>"#,
        ),
        None,
    );
    assert_eq!(
        read_xlsx(&bytes, &Limits::SHEETS).unwrap(),
        [["a", "", ""], ["", "", ""], ["", "", "1.5"]]
    );
}

#[test]
fn too_many_entries_are_refused() {
    let names: Vec<String> = (0..5).map(|n| format!("part{n}.xml")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"<a/>"[..])).collect();
    let limits = small(|l| l.max_entries = 4);
    assert_eq!(
        reason(inspect_xlsx(&archive(&entries), &limits)),
        Reason::WorkbookTooLarge
    );
    assert!(inspect_xlsx(&archive(&entries[..4]), &limits).is_ok());
}

#[test]
fn an_entry_or_the_whole_over_the_size_limits_is_refused() {
    let text = vec![b'x'; 3000];
    let one = archive(&[("a.bin", &text)]);
    let limits = small(|l| {
        l.max_entry_bytes = 2000;
        l.ratio_floor = u64::MAX;
    });
    assert_eq!(
        reason(inspect_xlsx(&one, &limits)),
        Reason::WorkbookTooLarge
    );
    let two = archive(&[("a.bin", &text[..1500]), ("b.bin", &text[..1500])]);
    assert!(inspect_xlsx(&two, &limits).is_ok());
    let limits = small(|l| {
        l.max_total_bytes = 2999;
        l.ratio_floor = u64::MAX;
    });
    assert_eq!(
        reason(inspect_xlsx(&two, &limits)),
        Reason::WorkbookTooLarge
    );
}

#[test]
fn an_entry_inflating_too_many_times_is_a_zip_bomb() {
    let zeros = vec![0u8; 2 << 20];
    assert_eq!(
        reason(inspect_xlsx(
            &archive(&[("x.bin", &zeros)]),
            &Limits::SHEETS
        )),
        Reason::ZipBomb
    );
    // Below the floor the same ratio is fine.
    assert!(inspect_xlsx(&archive(&[("x.bin", &zeros[..1 << 20])]), &Limits::SHEETS).is_ok());
}

/// Rewrites the uncompressed size of every entry, in the local and the central headers.
fn declare_size(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    let patch = |zip: &mut Vec<u8>, signature: &[u8; 4], offset: usize| {
        let mut at = 0;
        while let Some(found) = zip[at..].windows(4).position(|w| w == signature) {
            let start = at + found + offset;
            zip[start..start + 4].copy_from_slice(&size.to_le_bytes());
            at += found + 4;
        }
    };
    patch(&mut zip, b"PK\x03\x04", 22);
    patch(&mut zip, b"PK\x01\x02", 24);
    zip
}

#[test]
fn an_entry_inflating_past_its_declared_size_is_a_zip_bomb() {
    let honest = workbook(&cells(&"<row/>".repeat(500)), None);
    assert!(inspect_xlsx(&honest, &Limits::SHEETS).is_ok());
    let lying = declare_size(honest, 200);
    assert_eq!(
        reason(inspect_xlsx(&lying, &Limits::SHEETS)),
        Reason::ZipBomb
    );
}

#[test]
fn a_doctype_in_any_part_is_refused() {
    let laughs = r#"<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><sst><si><t>&b;</t></si></sst>"#;
    let bytes = workbook(&cells(""), Some(laughs));
    assert_eq!(
        reason(inspect_xlsx(&bytes, &Limits::SHEETS)),
        Reason::XmlDoctype
    );
    let hidden = archive(&[(
        "docProps/custom.dat",
        br#"<!DOCTYPE x SYSTEM "http://evil/"><x/>"#,
    )]);
    assert_eq!(
        reason(inspect_xlsx(&hidden, &Limits::SHEETS)),
        Reason::XmlDoctype
    );
}

#[test]
fn xml_parts_nest_within_the_depth_limit_and_binary_parts_are_not_held_to_it() {
    let deep = format!("{}{}", "<a>".repeat(70), "</a>".repeat(70));
    assert_eq!(
        reason(inspect_xlsx(
            &archive(&[("xl/deep.xml", deep.as_bytes())]),
            &Limits::SHEETS
        )),
        Reason::XmlTooDeep
    );
    let image: Vec<u8> = (0..20_000u32)
        .map(|n| if n % 7 == 0 { b'<' } else { (n % 251) as u8 })
        .collect();
    assert!(
        inspect_xlsx(
            &archive(&[("xl/media/image1.png", &image)]),
            &Limits::SHEETS
        )
        .is_ok()
    );
}

#[test]
fn a_dimension_past_the_grid_limits_is_refused() {
    let rows = workbook(&sheet(r#"<dimension ref="A1:B20001"/><sheetData/>"#), None);
    assert_eq!(
        reason(inspect_xlsx(&rows, &Limits::SHEETS)),
        Reason::TooManyRows
    );
    let columns = workbook(&sheet(r#"<dimension ref="A1:GS1"/><sheetData/>"#), None);
    assert_eq!(
        reason(inspect_xlsx(&columns, &Limits::SHEETS)),
        Reason::TooManyColumns
    );
    let fine = workbook(&sheet(r#"<dimension ref="A1:GR20000"/><sheetData/>"#), None);
    assert!(inspect_xlsx(&fine, &Limits::SHEETS).is_ok());
}

#[test]
fn cells_and_rows_past_the_limits_are_refused() {
    let grid = workbook(
        &cells(
            r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>1</v></c></row>"#,
        ),
        None,
    );
    assert_eq!(
        reason(inspect_xlsx(&grid, &Limits::SHEETS)),
        Reason::TooManyRows
    );
    let wide = workbook(&cells(r#"<row r="1"><c r="XFD1"><v>1</v></c></row>"#), None);
    assert_eq!(
        reason(inspect_xlsx(&wide, &Limits::SHEETS)),
        Reason::TooManyColumns
    );
    let row = workbook(&cells(r#"<row r="20001"/>"#), None);
    assert_eq!(
        reason(inspect_xlsx(&row, &Limits::SHEETS)),
        Reason::TooManyRows
    );
    // Where calamine's u32 arithmetic would wrap round to a small number.
    let wrapping = workbook(
        &cells(r#"<row><c r="A4294967297"><v>1</v></c></row>"#),
        None,
    );
    assert_eq!(
        reason(inspect_xlsx(&wrapping, &Limits::SHEETS)),
        Reason::TooManyRows
    );
    let letters = workbook(
        &cells(r#"<row><c r="AAAAAAAAAAAAAAAAAAAAA1"><v>1</v></c></row>"#),
        None,
    );
    assert_eq!(
        reason(inspect_xlsx(&letters, &Limits::SHEETS)),
        Reason::TooManyColumns
    );
}

#[test]
fn cells_without_references_are_held_to_the_limits_as_calamine_places_them() {
    // No `r` anywhere: calamine counts the positions, and reading checks each one.
    let wide = workbook(
        &cells(&format!("<row>{}</row>", "<c><v>1</v></c>".repeat(201))),
        None,
    );
    assert!(inspect_xlsx(&wide, &Limits::SHEETS).is_ok());
    assert_eq!(
        reason(read_xlsx(&wide, &Limits::SHEETS)),
        Reason::TooManyColumns
    );
    let tall = workbook(&cells(&"<row><c><v>1</v></c></row>".repeat(30)), None);
    let limits = small(|l| l.max_rows = 20);
    assert_eq!(reason(inspect_xlsx(&tall, &limits)), Reason::TooManyRows);
    let spread = workbook(
        &cells(
            r#"<row r="1"><c r="A1"><v>1</v></c></row><row r="50"><c r="T50"><v>1</v></c></row>"#,
        ),
        None,
    );
    let limits = small(|l| l.max_cells = 999);
    assert_eq!(reason(read_xlsx(&spread, &limits)), Reason::TooManyCells);
    let limits = small(|l| l.max_cells = 1000);
    assert_eq!(read_xlsx(&spread, &limits).unwrap().len(), 50);
}

#[test]
fn shared_strings_past_the_limit_are_refused() {
    let claimed = r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1000000000"><si><t>a</t></si></sst>"#;
    let bytes = workbook(&cells(""), Some(claimed));
    assert_eq!(
        reason(inspect_xlsx(&bytes, &Limits::SHEETS)),
        Reason::TooManySharedStrings
    );
    let overflow = claimed.replace("1000000000", "99999999999999999999999999");
    let bytes = workbook(&cells(""), Some(&overflow));
    assert_eq!(
        reason(inspect_xlsx(&bytes, &Limits::SHEETS)),
        Reason::TooManySharedStrings
    );
    let signed = claimed.replace("1000000000", "+5");
    assert!(matches!(
        inspect_xlsx(&workbook(&cells(""), Some(&signed)), &Limits::SHEETS),
        Err(UploadError::Unreadable(_))
    ));
    let held = format!("<sst>{}</sst>", "<si><t>a</t></si>".repeat(11));
    let limits = small(|l| l.max_shared_strings = 10);
    assert_eq!(
        reason(inspect_xlsx(&workbook(&cells(""), Some(&held)), &limits)),
        Reason::TooManySharedStrings
    );
}

#[test]
fn references_read_as_calamine_reads_them() {
    assert_eq!(parse_reference(b"A1"), Some((0, Some(0))));
    assert_eq!(
        parse_reference(b"xfd1048576"),
        Some((1_048_575, Some(16_383)))
    );
    assert_eq!(parse_reference(b"7"), Some((6, None)));
    assert_eq!(parse_reference(b"A0"), None);
    assert_eq!(parse_reference(b"A1B"), None);
    assert_eq!(parse_reference(b"$A$1"), None);
    assert_eq!(
        parse_reference(b"A99999999999999999999999").map(|p| p.0),
        Some(u64::MAX - 1)
    );
}

#[test]
fn broken_files_stay_unreadable() {
    assert!(matches!(
        read_xlsx(b"PK\x03\x04 broken", &Limits::SHEETS),
        Err(UploadError::Unreadable(_))
    ));
    assert!(matches!(
        read_xlsx(&archive(&[("a.txt", b"hello")]), &Limits::SHEETS),
        Err(UploadError::Unreadable(_))
    ));
}

#[test]
fn csv_rows_columns_and_cells_have_limits() {
    let limits = small(|l| {
        l.max_rows = 3;
        l.max_columns = 3;
        l.max_cells = 8;
    });
    assert_eq!(read_csv(b"a,b,c\n1,2,3\n", &limits).unwrap().len(), 2);
    assert_eq!(
        reason(read_csv(b"a\nb\nc\nd\n", &limits)),
        Reason::TooManyRows
    );
    assert_eq!(
        reason(read_csv(b"a,b,c,d\n", &limits)),
        Reason::TooManyColumns
    );
    assert_eq!(
        reason(read_csv(b"a,b,c\n1,2,3\n4,5,6\n", &limits)),
        Reason::TooManyCells
    );
    assert!(matches!(
        read_csv(b"a,\xff\n", &limits),
        Err(UploadError::Unreadable(_))
    ));
}

#[test]
fn a_rejection_is_a_422_problem_with_its_code() {
    let error: AppError = UploadError::rejected(Reason::ZipBomb, "太大").into();
    let problem = error.problem();
    assert_eq!((problem.status, problem.code.as_str()), (422, "zip_bomb"));
    assert_eq!(problem.problem_type, "urn:inservice:problem:zip_bomb");
    let error: AppError = UploadError::Unreadable("壞了".into()).into();
    let problem = error.problem();
    assert_eq!(
        (problem.status, problem.errors[0].code.as_str()),
        (400, "unreadable_file")
    );
}

#[test]
fn a_directory_csv_with_a_bom_is_read_into_rows() {
    let rows = read_csv(
        "\u{feff}code,name,county,kind\nx1,甲,臺北市,elementary\n".as_bytes(),
        &Limits::SHEETS,
    )
    .unwrap();
    let counties = [("臺北市".to_owned(), "63000".to_owned())].into();
    assert_eq!(
        inservice_domain::directory::parse_rows(rows, &counties)
            .unwrap()
            .len(),
        1
    );
}
