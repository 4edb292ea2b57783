"""Widget callbacks, headless: set a control's value, check the result and the output changed."""

from __future__ import annotations

import pandas as pd
import pytest

import govdisclose
from govdisclose.exceptions import GovDiscloseError
from govdisclose.viz import widgets


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return govdisclose.load_sample()


def _kinds(explorer) -> list[str]:
    return [sorted(o["data"])[0] for o in explorer.output.outputs]


def test_agency_explorer_follows_its_dropdowns(sample):
    ex = widgets.agency_explorer(sample, agency="平潭综合实验区", indicator="requests_received")
    assert ex.result["year"].tolist() == [2019, 2021, 2023, 2024]
    assert ex.result["value"].tolist() == [23, 70, 81, 218]
    assert "image/png" in _kinds(ex) and ex.error is None
    before = ex.output.outputs

    ex.controls["indicator"].value = "review_count"
    assert ex.result["value"].tolist() == [0, 3, 2, 7]
    assert ex.output.outputs != before

    ex.controls["agency"].value = "上海市科委"
    assert ex.result["year"].tolist() == [2024] and ex.result["value"].tolist() == [1]
    html = ex.output.outputs[0]["data"]["text/html"]
    assert "<table" in html and "2024" in html


def test_cross_agency_explorer_slider_and_multiselect(sample):
    ex = widgets.cross_agency_explorer(sample, year=2023, indicator="disclosure_rate")
    assert ex.result["agency"].tolist() == ["沭阳县发展和改革局", "平潭综合实验区", "外交部", "平潭综合实验区社会事业局", "平潭综合实验区自然资源与生态环境局"]
    assert list(ex.controls["year"].options) == [2019, 2020, 2021, 2022, 2023, 2024]

    ex.controls["year"].value = 2024
    assert ex.result["agency"].tolist() == ["平潭综合实验区社会事业局", "平潭综合实验区自然资源与生态环境局", "平潭综合实验区", "上海市科委"]
    assert ex.result["value"].tolist() == pytest.approx([(2 + 0) / 2, (23 + 9) / 69, 100 / 218, 9 / 35])  # truth of shs, zrz 2024

    ex.controls["indicator"].value = "requests_received"
    assert ex.result["value"].tolist() == [218, 69, 34, 2]  # 平潭, zrz, 上海科委, shs (truth: new_received total)

    ex.controls["agencies"].value = ("外交部",)  # no 2024 report: a row with the reason, no figure
    assert ex.result["reason"].tolist() == ["no report for 2024"]
    assert "image/png" not in _kinds(ex)
    assert any("text/plain" in o["data"] for o in ex.output.outputs)


def test_findings_explorer_filters(sample):
    findings = govdisclose.validate(sample)
    ex = widgets.findings_explorer(findings)
    everything = len(ex.result)
    assert everything == len(findings) > 0
    ex.controls["agency"].value = "上海市科委"
    assert set(ex.result["agency"]) == {"上海市科委"} and 0 < len(ex.result) < everything
    ex.controls["rule"].value = "requests.row_total"
    assert ex.result["rule"].tolist() == ["requests.row_total"]
    assert "carried_forward 总计" in ex.result["message"].iloc[0]


def test_errors_show_in_the_output_not_as_exceptions():
    import ipywidgets

    def compute(n):
        if n < 0:
            raise GovDiscloseError("negative")
        return pd.DataFrame({"n": [n]}), None, ["a caveat"]

    ex = widgets.Explorer("test", {"n": ipywidgets.IntSlider(value=1, min=-5, max=5)}, compute)
    assert ex.result["n"].tolist() == [1] and ex.output.outputs[-1]["data"]["text/plain"] == "注意 caveat: a caveat"
    ex.controls["n"].value = -1
    assert ex.result is None and ex.error == "negative"
    assert ex.output.outputs[0]["data"]["text/plain"] == "⚠ negative"


def test_static_placeholder_and_bad_input(sample):
    ex = widgets.cross_agency_explorer(sample)
    bundle = ex._repr_mimebundle_()
    assert "live in Jupyter only" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle
    with pytest.raises(GovDiscloseError, match="no reports for 2018"):
        widgets.cross_agency_explorer(sample, year=2018)
    with pytest.raises(govdisclose.UnknownAgencyError):
        widgets.agency_explorer(sample, agency="外交")


def test_peer_explorer_follows_the_peer_group_selector(sample):
    ex = widgets.peer_explorer(sample, agency="平潭综合实验区自然资源与生态环境局", indicator="requests_received")
    assert ex.result["year"].tolist() == [2019, 2020, 2021, 2022, 2023, 2024]
    assert set(ex.result["peer_group"]) == {"city · department · 自然资源"} and (ex.result["group_n"] == 1).all()
    assert "image/png" in _kinds(ex)
    ex.controls["peers"].value = ("level", "scope")  # 平潭's two departments are one group from 2022 on
    assert ex.result["group_n"].tolist() == [1, 1, 1, 2, 2, 2]
    assert ex.result["group_median"].tolist()[3:] == [(30 + 3) / 2, (19 + 1) / 2, (69 + 2) / 2]  # zrz and shs, truth of 2022–2024
    ex.controls["peers"].value = ("level",)
    assert ex.result["peer_group"].iloc[0] == "city" and ex.result["group_n"].tolist()[2] == 2  # with 平潭 itself in 2021


def test_cross_agency_explorer_peer_group_selector(sample):
    ex = widgets.cross_agency_explorer(sample, year=2023, indicator="requests_received")
    assert "county · department" in ex.controls["peer_group"].options
    ex.controls["peer_group"].value = "county · department"
    assert ex.result["agency"].tolist() == ["沭阳县发展和改革局"]
    ex.controls["year"].value = 2024  # 沭阳 has no 2024 report: the message, not an exception
    assert ex.result is None and "no agency of the peer group" in ex.error
