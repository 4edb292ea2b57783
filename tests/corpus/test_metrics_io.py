"""The tidy frame on disk: Parquet and CSV round trips, never overwriting unasked, clear errors
for files that are not metrics tables."""

from __future__ import annotations

import pandas as pd
import pytest

from govdisclose.corpus.loader import load_reports
from govdisclose.corpus.metrics_io import read_metrics, write_metrics, write_table
from govdisclose.exceptions import CorruptDocumentError, GovDiscloseError, PathNotFoundError
from govdisclose.tidy import COLUMNS

from conftest import DATA


def test_metrics_round_trip_parquet_and_csv(tmp_path):
    metrics = load_reports([DATA / "mfa_2023.txt", DATA / "shanghai_stcsm_2024.txt", DATA / "pingtan_2021.txt"], progress=False)
    for name in ("m.parquet", "m.csv"):
        path = write_metrics(metrics, tmp_path / name)
        back = read_metrics(path)
        pd.testing.assert_frame_equal(back, metrics)
        fee = back.query("item == 'fees.amount' and agency == '外交部'")
        assert fee["value"].item() == 5270.6597 and fee["raw"].item() == "5270.6597万元"
        blank = back.query("agency == '上海市科委' and item == 'carried_forward' and applicant == 'total'")
        assert blank["state"].item() == "blank" and pd.isna(blank["value"].item()) and blank["raw"].item() == ""
    assert list(read_metrics(tmp_path / "m.csv").columns) == list(COLUMNS)


def test_write_metrics_never_overwrites_unasked(tmp_path):
    metrics = load_reports([DATA / "mfa_2023.txt"], progress=False)
    target = tmp_path / "m.csv"
    target.write_text("keep me", encoding="utf-8")
    with pytest.raises(GovDiscloseError, match="already exists"):
        write_metrics(metrics, target)
    assert target.read_text(encoding="utf-8") == "keep me"
    write_metrics(metrics, target, force=True)
    assert len(read_metrics(target)) == 200
    with pytest.raises(GovDiscloseError, match="Parquet .* or CSV"):
        write_metrics(metrics, tmp_path / "m.xlsx")
    assert not list(tmp_path.glob(".*tmp"))


def test_read_metrics_bad_files(tmp_path):
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(CorruptDocumentError, match="broken.parquet"):
        read_metrics(tmp_path / "broken.parquet")
    (tmp_path / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(GovDiscloseError, match="missing columns"):
        read_metrics(tmp_path / "other.csv")
    with pytest.raises(PathNotFoundError):
        read_metrics(tmp_path / "absent.csv")
    with pytest.raises(FileNotFoundError, match="absent.csv: no such file"):
        read_metrics(tmp_path / "absent.csv")


def test_a_csv_without_the_year_column_is_refused_not_read_as_blank_years(tmp_path):
    metrics = load_reports([DATA / "mfa_2023.txt"], progress=False)
    write_table(metrics.drop(columns="year"), tmp_path / "no_year.csv")
    with pytest.raises(GovDiscloseError, match="missing columns year"):
        read_metrics(tmp_path / "no_year.csv")
