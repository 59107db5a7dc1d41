"""XLSX exports people open in Excel: columns as wide as their content, the header frozen,
formulas neutralised."""

import io

from openpyxl import load_workbook

from core.exports import MAX_WIDTH, xlsx_bytes


def test_columns_fit_their_content_and_the_header_stays_in_view():
    rows = [["Entity", "Personnel"], ["A very long entity name that needs room", 12], ["X" * 200, 3]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"Coverage": rows})))["Coverage"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == MAX_WIDTH  # capped
    assert sheet.column_dimensions["B"].width == len("Personnel") + 2
    assert sheet["A3"].value == "X" * 200


def test_a_sheet_with_lines_above_its_table_freezes_below_the_tables_header():
    rows = [["Appendix E", "AAA"], ["Cycle", 2026], [], ["Unit", "Personnel"], ["Ops", 7]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"E": rows}, header_rows={"E": 4})))["E"]
    assert sheet.freeze_panes == "A5"


def test_formulas_are_neutralised():
    sheet = load_workbook(io.BytesIO(xlsx_bytes({"S": [["Note"], ["=HYPERLINK(1)"]]})))["S"]
    assert sheet["A2"].value == "'=HYPERLINK(1)"
