"""The command line's workbooks, round trip with openpyxl (what officials' tools write and read):
a registry typed in a spreadsheet goes in, results and the progress report come out as
workbooks that openpyxl reads back with Vietnamese headers, typed numbers and formats."""

from __future__ import annotations

import datetime
import json
import os
import pathlib
import subprocess

import pytest

openpyxl = pytest.importorskip("openpyxl")

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def cli() -> pathlib.Path:
    """The `htx-rules` binary (built here when the Rust tests have not built it yet)."""
    # where cargo builds it: test.sh sets CARGO_TARGET_DIR (target/py) for the wheel
    exe = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target")) / "debug" / "htx-rules"
    if not exe.exists():
        subprocess.run(
            ["cargo", "build", "-q", "-p", "htx-rules-cli"], cwd=ROOT, check=True
        )
    return exe


def run(cli: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(cli), *args], capture_output=True, text=True, check=False
    )


def test_eval_workbook_round_trip(cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src = tmp_path / "htx.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Hợp tác xã"
    ws.append(
        [
            "Mã",
            "Loại hình",
            "Ngày thành lập",
            "Thành viên - Tổng số",
            "Người lao động - Tổng số",
            "Người lao động - Số nữ",
            "Người quản lý",
        ]
    )
    ws.append(
        [
            "BT-HTX-0001",
            "Hợp tác xã",
            datetime.date(2024, 3, 15),
            12,
            40,
            31,
            '[{"role":"director","gender":"female"}]',
        ]
    )
    ws.append(["BT-HTX-0002", "htx", None, 3, 10, 12, None])
    wb.save(src)

    out = tmp_path / "ket-qua.xlsx"
    r = run(cli, "eval", "--entity", "cooperative", "--as-of", "2025-06-30",
            "--format", "xlsx", "--output", str(out), str(src))
    assert r.returncode == 0, r.stderr

    res = openpyxl.load_workbook(out)
    assert res.sheetnames[0] == "Kết quả"
    sheet = res["Kết quả"]
    headers = [c.value for c in sheet[1]]
    assert headers[0] == "Mã số"
    share = headers.index("Tỷ lệ lao động nữ")
    assert headers[share + 1].startswith("Tỷ lệ lao động nữ")
    row = [c for c in sheet[2]]
    assert row[0].value == "BT-HTX-0001"
    assert row[share].value == "có"
    assert row[share + 1].value == pytest.approx(0.775)
    assert "%" in row[share + 1].number_format
    women_managed = headers.index("HTX do phụ nữ tham gia quản lý")
    assert row[women_managed].value == "có"
    # the second record's problem is on its row, by the field's label
    problems = headers.index("Lỗi dữ liệu")
    assert sheet.cell(row=3, column=problems + 1).value
    assert "/workers" not in sheet.cell(row=3, column=problems + 1).value
    assert sheet.cell(row=2, column=problems + 1).value is None

    # English headers with --lang en
    out_en = tmp_path / "results.xlsx"
    r = run(cli, "--lang", "en", "eval", "--entity", "cooperative", "--as-of", "2025-06-30",
            "--format", "xlsx", "-o", str(out_en), str(src))
    assert r.returncode == 0, r.stderr
    en = openpyxl.load_workbook(out_en)["Results"]
    assert "Female labour share" in [c.value for c in en[1]]


def test_report_workbook(cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    out = tmp_path / "bao-cao.xlsx"
    r = run(cli, "report", "--as-of", "2026-06-30", "--format", "xlsx", "-o", str(out))
    assert r.returncode == 0, r.stderr
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "Tóm tắt"
    summary = wb["Tóm tắt"]
    assert [c.value for c in summary[1]][:6] == [
        "Giai đoạn", "Chỉ tiêu", "Kết quả", "Mục tiêu", "Tình trạng", "Còn thiếu",
    ]
    rows = list(summary.iter_rows(min_row=2, values_only=True))
    as_json = json.loads(
        run(cli, "report", "--as-of", "2026-06-30", "--format", "json").stdout
    )
    assert len(rows) == sum(len(p["indicators"]) for p in as_json["phases"])
    shares = [r for r in rows if isinstance(r[2], float) and r[2] < 1]
    assert shares, "shares are numbers"
    assert summary.page_setup.orientation == "landscape"
    assert "Giai đoạn 1 (2023–2025)" in wb.sheetnames and "Theo nhóm" in wb.sheetnames
