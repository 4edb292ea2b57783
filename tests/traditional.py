"""Traditional-character copies of Simplified text, for tests (the template wording, headings, titles).

The pairs are the hand table ``govdisclose.template.normalize`` used before it folded Traditional
characters with OpenCC: a fixed, independent list of the Traditional forms of the characters the
template prints, so a test's Traditional copy does not depend on the converter under test.
"""

from __future__ import annotations

# Traditional -> Simplified for the characters of the template wording, headings and titles.
PAIRS_TEXT = (
    "報报 開开 請请 數数 據据 結结 轉转 辦办 予予 區区 分分 處处 僅仅 國国 禁禁 "
    "險险 穩稳 護护 權权 屬属 於于 類类 內内 務务 過过 執执 卷卷 詢询 無无 機机 關关 掌掌 "
    "沒没 現现 製制 補补 後后 確确 訪访 舉举 報报 訴诉 複复 覆复 獲获 稱称 繳缴 費费 總总 "
    "繼继 續续 議议 維维 糾纠 審审 經经 規规 範范 發发 廢废 許许 決决 罰罚 強强 業业 額额 "
    "萬万 單单 組组 織织 構构 會会 務务 臺台 題题 進进 況况 項项 採采 購购 增增 減减 對对 "
    "務务 體体 動动 觀观 實实 際际 員员 縣县 門门 廳厅 區区 市市 鎮镇 鄉乡 條条 書书 "
    "計计 統统 態态 據据 問问 題题 應应 當当 與与 為为 這这 個个 時时 間间 來来 現现 "
    "準准 確确 爲为 於于 處处 凈净 幣币 圓圆 歲岁 衛卫 環环 納纳 復复 係系 讀读 陳陈 錄录 "
    "標标 級级 層层 歸归 檔档 圖图 網网 頁页 號号 點点 傳传 變变 邊边 將将 專专 從从 兩两 "
    "並并 裡里 裏里 們们 嚴严 區区 辦办 衆众 眾众 規规 則则 導导 黨党 質质 權权 億亿 "
    "祕秘 訟讼 認认 標标 綜综 驗验 "
)

#: (Traditional, Simplified) pairs, in table order (a Simplified character may have several).
PAIRS: tuple[tuple[str, str], ...] = tuple((p[0], p[1]) for p in PAIRS_TEXT.split() if len(p) == 2)

_TO_TRADITIONAL: dict[int, str] = {}
for _trad, _simp in PAIRS:
    _TO_TRADITIONAL.setdefault(ord(_simp), _trad)


def to_traditional(text: str, extra: dict[str, str] | None = None) -> str:
    """``text`` with every Simplified character of :data:`PAIRS` in its (first) Traditional form.

    ``extra`` maps further Simplified characters to Traditional ones (it wins over the table).
    """
    table = dict(_TO_TRADITIONAL)
    table.update({ord(s): t for s, t in (extra or {}).items()})
    return text.translate(table)
