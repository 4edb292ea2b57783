"""The metric catalogue is the data contract: shipped intact, stable codes, both templates."""

from __future__ import annotations

import pandas as pd
import pytest

import govdisclose
from govdisclose.template.catalogue import APPLICANTS, item_info, requests_rows, template_cells

from conftest import SHARED


def test_catalogue_shape_and_columns():
    cat = govdisclose.catalogue()
    assert list(cat.columns) == ["table", "item", "applicant_dim", "templates", "group", "leaf", "unit", "label_zh", "label_en"]
    assert len(cat) == 79
    assert cat["table"].value_counts().to_dict() == {"active_disclosure": 29, "requests": 26, "review_litigation": 15, "headline": 9}
    assert set(cat.loc[cat["table"] == "headline", "templates"]) == {"pre2019"}
    assert not cat.duplicated(["table", "item"]).any()


def test_catalogue_is_a_copy():
    cat = govdisclose.catalogue()
    cat.loc[0, "item"] = "changed"
    assert govdisclose.catalogue().loc[0, "item"] == "regulations.issued"


def test_shipped_catalogue_matches_the_spec():
    spec = SHARED / "spec" / "catalogue.csv"
    if not spec.exists():
        pytest.skip(f"the shared spec (outside the repository) is not at {spec}")
    shipped = pd.read_csv(spec, dtype=str, keep_default_na=False)
    ours = govdisclose.catalogue()
    assert list(ours["item"]) == list(shipped["item"])
    assert list(ours["label_zh"]) == list(shipped["label_zh"])
    assert list(ours["unit"]) == list(shipped["unit"])


@pytest.mark.parametrize("template,cells", [("2021", 200), ("2019", 198)])
def test_template_cell_counts(template, cells):
    assert len(template_cells(template)) == cells


def test_mixed_layout_has_186_cells():
    # hongze 2023/2024: 2021 table 2 and a single （六）其他处理 row
    assert len(template_cells("2021", single_other_handling=True)) == 186


def test_requests_rows_order():
    rows = requests_rows("2021")
    assert rows[:3] == ("new_received", "carried_over", "granted")
    assert rows[-1] == "carried_forward"
    assert "other_handling" in requests_rows("2019") and "other_handling.other" not in requests_rows("2019")


def test_applicants_in_printed_order():
    assert APPLICANTS == ("natural_person", "commercial_enterprise", "research_institution",
                          "social_welfare_org", "legal_service_org", "other_org", "total")


def test_unknown_codes_raise_catalogue_error():
    with pytest.raises(govdisclose.CatalogueError, match="unknown item 'granted_fully'"):
        item_info("requests", "granted_fully")
    with pytest.raises(govdisclose.CatalogueError, match="unknown table"):
        item_info("requests_table", "granted")
    with pytest.raises(govdisclose.CatalogueError, match="unknown template"):
        requests_rows("2018")
    assert issubclass(govdisclose.CatalogueError, govdisclose.GovDiscloseError)
