//! Spreadsheets for staff (.xlsx): write a sheet (header row bold, columns sized, every cell text so
//! Excel keeps ID numbers and codes as typed) and read the first sheet of an upload as text rows.
//! Imports map columns by their Chinese header, so column order does not matter.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use rust_xlsxwriter::{Format, Workbook};
use std::io::Cursor;

/// A download answer for an .xlsx file (`filename` is ASCII).
pub fn download(filename: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// One sheet: name, header row, data rows.
pub struct Sheet<'a> {
    pub name: &'a str,
    pub headers: &'a [&'a str],
    pub rows: Vec<Vec<String>>,
}

/// An .xlsx file of the given sheets.
pub fn write(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, String> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold().set_background_color("#E8EEF7");
    let text = Format::new().set_num_format("@");
    for s in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(s.name).map_err(|e| e.to_string())?;
        for (c, h) in s.headers.iter().enumerate() {
            let col = c as u16;
            ws.write_string_with_format(0, col, *h, &bold).map_err(|e| e.to_string())?;
            let widest = s
                .rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|v| v.chars().count())
                .max()
                .unwrap_or(0)
                .max(h.chars().count());
            ws.set_column_width(col, (widest as f64 * 2.0 + 2.0).min(60.0)).map_err(|e| e.to_string())?;
            ws.set_column_format(col, &text).map_err(|e| e.to_string())?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                ws.write_string_with_format(r as u32 + 1, c as u16, v, &text).map_err(|e| e.to_string())?;
            }
        }
    }
    wb.save_to_buffer().map_err(|e| e.to_string())
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "是" } else { "否" }.to_string(),
        other => other.to_string(),
    }
}

/// The rows of the first sheet as text (header row first). A clear Chinese error when the file is
/// not an .xlsx workbook.
pub fn read(bytes: &[u8]) -> Result<Vec<Vec<String>>, String> {
    let mut wb: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|_| "文件不是有效的 Excel 工作簿（.xlsx），请使用下载的模板填写".to_string())?;
    let range =
        wb.worksheet_range_at(0).ok_or("工作簿中没有工作表")?.map_err(|_| "无法读取第一个工作表".to_string())?;
    let all: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(cell_text).collect()).collect();
    // The same input hygiene as a form's fields (`crate::input`), naming the cell as the sheet shows it.
    for (i, row) in all.iter().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            if let Some(c) = domain::text::first_forbidden(cell) {
                let header = all.first().and_then(|h| h.get(j)).map_or("", |h| h.trim());
                return Err(format!(
                    "第 {} 行第 {} 列「{header}」含有不可见或控制字符（U+{:04X}），请删除后重新上传",
                    i + 1,
                    j + 1,
                    u32::from(c)
                ));
            }
        }
    }
    let rows: Vec<Vec<String>> = all.into_iter().filter(|r| r.iter().any(|c| !c.is_empty())).collect();
    Ok(rows)
}

/// Map data rows to records by header name: `columns` lists (header, field); a missing required
/// header is an error naming it.
pub fn by_header<'a>(rows: &'a [Vec<String>], columns: &[(&str, &str)]) -> Result<Vec<Vec<(String, &'a str)>>, String> {
    let Some(header) = rows.first() else { return Err("表格为空".into()) };
    let mut idx = Vec::new();
    for (h, field) in columns {
        match header.iter().position(|c| c.trim() == *h) {
            Some(i) => idx.push((i, field.to_string())),
            None => return Err(format!("缺少列「{h}」，请使用下载的模板")),
        }
    }
    Ok(rows[1..]
        .iter()
        .map(|r| idx.iter().map(|(i, f)| (f.clone(), r.get(*i).map(String::as_str).unwrap_or(""))).collect())
        .collect())
}

/// The records of an import sheet, each a field → cell map: `columns` lists (header, field); a header
/// of `required` missing is an error naming it, the others may be left out.
pub fn records(
    rows: &[Vec<String>],
    columns: &[(&str, &str)],
    required: &[&str],
) -> Result<Vec<std::collections::HashMap<String, String>>, String> {
    let needed: Vec<(&str, &str)> = columns.iter().copied().filter(|(h, _)| required.contains(h)).collect();
    by_header(rows, &needed)?;
    let Some(header) = rows.first() else { return Err("表格为空".into()) };
    let present: Vec<(&str, &str)> =
        columns.iter().copied().filter(|(h, _)| header.iter().any(|c| c.trim() == *h)).collect();
    Ok(by_header(rows, &present)?
        .into_iter()
        .map(|rec| rec.into_iter().map(|(f, v)| (f, v.to_owned())).collect())
        .collect())
}

/// Each problem of an import as staff read it: 第 3 行「身份证号码」：校验码错误… (`row:field` errors;
/// `columns` gives each field's header).
pub fn describe(errs: &domain::FieldErrors, columns: &[(&str, &str)]) -> Vec<String> {
    errs.0
        .iter()
        .map(|e| match e.field.split_once(':') {
            Some((row, field)) => {
                let column = columns.iter().find(|(_, f)| *f == field).map_or(field, |(h, _)| *h);
                format!("第 {row} 行「{column}」：{}", e.detail)
            }
            None => e.detail.clone(),
        })
        .collect()
}

/// The uploaded file of an import form (its multipart field `file`); `None` when none was chosen.
pub async fn upload(
    multipart: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Result<Vec<u8>, String>, crate::error::AppError> {
    let Ok(mut multipart) = multipart else { return Ok(Err("请通过页面上的表单选择文件上传".into())) };
    let mut file: Option<Vec<u8>> = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            file = Some(field.bytes().await.map_err(|_| crate::error::AppError::PayloadTooLarge)?.to_vec());
        }
    }
    Ok(file.filter(|f| !f.is_empty()).ok_or_else(|| "请选择要导入的 Excel 文件".to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_sheet_reads_back_as_text_including_long_id_numbers() {
        let bytes = write(&[Sheet {
            name: "专家",
            headers: &["姓名", "身份证号码"],
            rows: vec![
                vec!["张三".into(), "11010519491231002X".into()],
                vec!["李四".into(), "360426199101010071".into()],
            ],
        }])
        .expect("write");
        let rows = read(&bytes).expect("read");
        assert_eq!(rows[0], vec!["姓名", "身份证号码"]);
        assert_eq!(rows[2][1], "360426199101010071");
        let recs = by_header(&rows, &[("身份证号码", "id_number"), ("姓名", "name")]).expect("map");
        assert_eq!(recs[0][0], ("id_number".to_string(), "11010519491231002X"));
        assert!(by_header(&rows, &[("电话", "phone")]).unwrap_err().contains("电话"));
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_refused_in_chinese() {
        assert!(read(b"name,id\n").unwrap_err().contains(".xlsx"));
    }
}
