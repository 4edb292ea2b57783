"""The template's printed words live in one subpackage, govdisclose/template/ (issue 8).

Outside it, no code of the package spells a row label, column or block header or section heading
of the template: readers, mapping, checks, analysis, presentation and the synthetic generator take
them from ``govdisclose.template``. Docstrings and comments may quote the template (examples and
explanations); string literals in code may not.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import govdisclose

PACKAGE = Path(govdisclose.__file__).resolve().parent
HOME = PACKAGE / "template"

# Words only the template prints: every one names a row, a column, a block or a section.
TEMPLATE_WORDS = (
    "本年新收", "上年结转", "结转下年", "予以公开", "部分公开", "不予公开", "国家秘密", "第三方", "内部事务", "过程性",
    "执法案卷", "行政查询", "不掌握", "另行制作", "补正后", "重复申请", "出版物", "大量反复", "重新出具", "逾期不补正",
    "缴纳费用", "自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "申请人情况",
    "本年制发", "本年废止", "现行有效", "新制作", "新公开", "上一年项目", "处理决定", "收费金额", "采购项目", "规范性文件",
    "行政许可", "行政处罚", "行政强制", "行政事业性收费", "对外管理服务", "行政复议", "行政诉讼", "复议后起诉", "直接起诉",
    "结果维持", "结果纠正", "其他结果", "尚未审结", "主动公开", "收到和处理", "主要问题", "其他需要报告", "总体情况",
    "办理结果", "不予处理", "无法提供", "其他处理",
)
_WORDS = re.compile("|".join(map(re.escape, TEMPLATE_WORDS)))


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def template_words_in_code(path: Path) -> list[tuple[int, str]]:
    """(line, word) for every template word in a string literal of ``path`` that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstring_nodes(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            found.extend((node.lineno, m.group(0)) for m in _WORDS.finditer(node.value))
    return found


def test_the_check_sees_template_words_in_code(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text('"""本年新收 in a docstring is fine."""\nLABEL = "一、本年新收政府信息公开申请数量"  # 结转下年 in a comment too\n',
                      encoding="utf-8")
    assert template_words_in_code(sample) == [(2, "本年新收")]


def test_the_template_words_are_the_catalogues():
    labels = " ".join(govdisclose.catalogue()["label_zh"])
    in_catalogue = [w for w in TEMPLATE_WORDS if w in labels]
    assert len(in_catalogue) >= 40  # the list is the template's own wording, not made up


def test_template_words_appear_only_in_the_template_subpackage():
    offenders = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if HOME in path.parents:
            continue
        found = template_words_in_code(path)
        if found:
            offenders[str(path.relative_to(PACKAGE))] = found[:5]
    assert not offenders, f"template wording outside govdisclose/template/: {offenders}"
