"""Figures: drawn from real data with a real CJK font (a missing glyph warning fails the test)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont

import govdisclose
from govdisclose.analysis.compare import compare_agencies, compare_years
from govdisclose.analysis.composition import applicant_mix, outcome_composition
from govdisclose.analysis.measures import indicators
from govdisclose.exceptions import GovDiscloseError
from govdisclose.viz import fonts, plots


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return govdisclose.load_sample()


def _draw(fig: Figure) -> bytes:
    """Render the figure to PNG: glyph warnings would be raised here (warnings are errors)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=60)
    return buffer.getvalue()


def _texts(fig: Figure) -> str:
    parts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return " ".join(parts)


def test_the_cjk_font_is_real():
    family = fonts.use_cjk_font()
    assert matplotlib.rcParams["font.family"][0] == family
    path = findfont(FontProperties(family=family), fallback_to_default=False)
    assert fonts.has_cjk_glyphs(path)
    assert not fonts.has_cjk_glyphs(findfont(FontProperties(family="DejaVu Sans")))


def test_the_glyph_check_is_live():
    """Chinese text in a Latin-only font warns: so the other tests would catch tofu boxes."""
    fig = Figure()
    fig.text(0.5, 0.5, "予以公开", family="DejaVu Sans")
    with pytest.warns(UserWarning, match="missing from font"):
        _draw(fig)


def test_outcome_composition_over_years(sample):
    fig = plots.outcome_composition_plot(outcome_composition(sample, "平潭综合实验区"))
    png = _draw(fig)
    assert png.startswith(b"\x89PNG")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2019\nn=23", "2021\nn=69", "2023\nn=81", "2024\nn=218"]
    heights = {}
    for patch in ax.patches:
        heights[round(patch.get_x(), 3)] = heights.get(round(patch.get_x(), 3), 0) + patch.get_height()
    assert list(heights.values()) == pytest.approx([1.0] * 4)
    assert "予以公开" in _texts(fig) and "平潭综合实验区" in _texts(fig)


def test_ranking_bars_flag_small_n_and_list_missing(sample):
    fig = plots.ranking_plot(compare_agencies(sample, 2023, indicator="legal_person_share"))
    _draw(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["平潭综合实验区", "外交部", "平潭综合实验区社会事业局", "平潭综合实验区自然资源与生态环境局"]  # 沭阳: no value, not a 0 bar
    assert [p.get_width() for p in ax.patches[:4]] == pytest.approx([1 / 81, 0.0, 0.0, 0.0])
    assert [p.get_hatch() for p in ax.patches[:4]] == [None, "//", "//", "//"]  # 外交部 18, shs 1, zrz 19 requests
    assert "沭阳县发展和改革局" in ax.get_xlabel() and "not 0" in ax.get_xlabel()
    assert "(n=81)" in _texts(fig)


def test_heatmap_annotates_shares(sample):
    fig = plots.outcome_heatmap(outcome_composition(sample, years=[2023]))
    _draw(fig)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["外交部", "平潭综合实验区", "平潭综合实验区社会事业局", "平潭综合实验区自然资源与生态环境局", "沭阳县发展和改革局"]
    annotations = [t.get_text() for t in ax.texts]
    assert annotations[:6] == ["29%", "0%", "18%", "35%", "0%", "18%"]  # 外交部 5, 0, 3, 6, 0, 3 of 17


def test_applicant_mix_marks_missing_parts(sample):
    fig = plots.applicant_mix_plot(applicant_mix(sample, years=[2023]))
    _draw(fig)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["外交部  n=18", "平潭综合实验区  n=81", "平潭综合实验区社会事业局  n=1", "平潭综合实验区自然资源与生态环境局  n=19", "沭阳县发展和改革局  n=26 部分缺失"]
    assert "left out, not counted as 0" in fig.axes[0].get_xlabel()


def test_trend_marks_the_template_change(sample):
    years = compare_years(sample, "平潭综合实验区", indicators=["licensing_decisions"], warn=False)
    fig = plots.trend_plot(years)
    _draw(fig)
    ax = fig.axes[0]
    styles = [line.get_linestyle() for line in ax.get_lines() if len(line.get_xdata()) == 2 and line.get_marker() in ("None", None, "")]
    assert styles.count(":") == 1 and styles.count("-") == 2  # 2019→2021 dotted
    assert "模板 2019→2021" in _texts(fig)
    with pytest.raises(GovDiscloseError, match="one indicator"):
        plots.trend_plot(compare_years(sample, "外交部", warn=False))


def test_distribution_and_saving(sample, tmp_path):
    fig = plots.distribution_plot(indicators(sample), "disclosure_rate", highlight_year=2023)
    path = plots.save_figure(fig, tmp_path / "figs" / "distribution.png")
    assert path.read_bytes().startswith(b"\x89PNG")
    assert "公开率" in fig.axes[0].get_title()
    assert len(fig.axes[0].collections) == 15  # one dot per report with a value (zrz 2023: (七)总计 unreadable)


def test_plots_refuse_the_wrong_frame(sample):
    with pytest.raises(GovDiscloseError, match="needs a frame with columns"):
        plots.ranking_plot(sample)
    with pytest.raises(GovDiscloseError, match="nothing to plot"):
        plots.outcome_heatmap(outcome_composition(sample).iloc[0:0])


@pytest.fixture
def no_known_fonts(monkeypatch):
    saved = matplotlib.rcParams["font.family"]
    fonts.find_cjk_font.cache_clear()
    monkeypatch.delenv("GOVDISCLOSE_CJK_FONT", raising=False)
    monkeypatch.setattr(fonts, "_family_file", lambda family: None)
    monkeypatch.setattr(fonts, "_system_candidates", lambda: [])
    yield
    fonts.find_cjk_font.cache_clear()
    matplotlib.rcParams["font.family"] = saved


def test_pip_fallback_font(no_known_fonts):
    pytest.importorskip("mplfonts", reason="the pure-pip font package is not installed")
    family, path = fonts.find_cjk_font()
    assert path.endswith("NotoSansCJKsc-Regular.otf") and family.startswith("Noto Sans CJK SC")
    assert fonts.has_cjk_glyphs(findfont(FontProperties(family=family), fallback_to_default=False))


def test_no_cjk_font_is_a_clear_error(no_known_fonts, monkeypatch):
    monkeypatch.setattr(fonts, "_mplfonts_candidates", lambda: [])
    with pytest.raises(fonts.CJKFontNotFoundError, match="fonts-noto-cjk") as info:
        fonts.use_cjk_font()
    assert isinstance(info.value, GovDiscloseError)


def test_font_from_the_environment(no_known_fonts, monkeypatch, tmp_path):
    bad = tmp_path / "latin.ttf"
    bad.write_bytes(Path(findfont(FontProperties(family="DejaVu Sans"))).read_bytes())
    monkeypatch.setenv("GOVDISCLOSE_CJK_FONT", str(bad))
    with pytest.raises(fonts.CJKFontNotFoundError, match="has no Chinese glyphs"):
        fonts.find_cjk_font()
    monkeypatch.setenv("GOVDISCLOSE_CJK_FONT", str(tmp_path / "none.ttf"))
    with pytest.raises(fonts.CJKFontNotFoundError, match="is not a font file"):
        fonts.find_cjk_font()


def test_figures_display_in_a_fresh_notebook_without_matplotlib_magic(sample):
    """IPython's display machinery (what Jupyter uses) finds a PNG, not '<Figure size … with 1 Axes>'."""
    from IPython.core.interactiveshell import InteractiveShell

    fig = plots.ranking_plot(compare_agencies(sample, 2023, indicator="disclosure_rate"))
    data, _ = InteractiveShell.instance().display_formatter.format(fig)
    assert data["image/png"][:4] == b"\x89PNG"
    assert isinstance(fig, plots.ReportFigure) and fig.canvas.manager is None  # not managed by pyplot: shown once


def test_show_never_raises_in_plain_python():
    import os
    import subprocess
    import sys

    code = ("import govdisclose; from govdisclose.viz import plots; "
            "from govdisclose.analysis.composition import applicant_mix; "
            "plots.applicant_mix_plot(applicant_mix(govdisclose.load_sample(), '外交部')).show(); print('shown')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, "MPLBACKEND": "Agg"})
    assert done.returncode == 0 and done.stdout.strip() == "shown"
    assert "cannot open a window" in done.stderr and "save_figure" in done.stderr


@pytest.mark.parametrize("suffix", [".png", ".pdf", ".svg"])
def test_save_figure_formats_carry_the_cjk_font(sample, tmp_path, suffix):
    fig = plots.outcome_composition_plot(outcome_composition(sample, "平潭综合实验区"))
    data = plots.save_figure(fig, tmp_path / f"composition{suffix}").read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG")
    elif suffix == ".pdf":
        assert data.startswith(b"%PDF") and b"/FontFile2" in data  # the TrueType font embedded
        assert b"NotoSansCJK" in data or b"SourceHan" in data or b"WenQuanYi" in data
    else:
        assert b"<svg" in data and b"<text" not in data  # text drawn as outlines: no font needed to view it


def test_save_figure_refuses_other_formats(sample, tmp_path):
    fig = plots.trend_plot(compare_years(sample, "外交部", indicators=["requests_received"], warn=False))
    with pytest.raises(GovDiscloseError, match="use one of .png, .pdf, .svg"):
        plots.save_figure(fig, tmp_path / "trend.jpeg")


def test_a_single_point_trend_has_a_sane_axis_from_zero(sample):
    """外交部 has one report: the axis runs from 0 past its 18 requests, not 17.96…18.04."""
    ax = plots.trend_plot(compare_years(sample, "外交部", indicators=["requests_received"], warn=False)).axes[0]
    low, high = ax.get_ylim()
    assert low == 0 and 18 < high < 30


def test_rate_trends_start_at_zero(sample):
    years = compare_years(sample, "平潭综合实验区", indicators=["disclosure_rate"], warn=False)
    ax = plots.trend_plot(years).axes[0]
    low, high = ax.get_ylim()
    assert low == 0 and 0.519 < high <= 1.05  # 2023: 42 of 81, the highest year
    assert ax.yaxis.get_major_formatter()(0.5, 0) == "50%"


def test_a_two_row_heatmap_has_horizontal_labels(sample):
    two = sample[sample["agency"].isin(["上海市科委", "平潭综合实验区"])]
    ax = plots.outcome_heatmap(outcome_composition(two, years=[2024])).axes[0]
    labels = ax.get_yticklabels()
    assert [t.get_text() for t in labels] == ["上海市科委", "平潭综合实验区"]
    assert all(t.get_rotation() == 0 for t in labels) and all(t.get_rotation() == 0 for t in ax.get_xticklabels())


def test_a_rate_at_100_percent_is_not_cut_at_the_edge(sample):
    ax = plots.distribution_plot(indicators(sample), "disclosure_rate").axes[0]
    assert ax.get_xlim()[0] == 0 and ax.get_xlim()[1] > 1.0  # 沭阳 2023: 26 of 26
