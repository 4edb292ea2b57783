"""The SYNTHETIC report as a saved page of a (made-up) county government site."""

from __future__ import annotations

import html

from govdisclose.synth.grids import Span, blocks
from govdisclose.synth.report import SynthReport

__all__ = ["render_html"]

_SITE_STYLE = """<style>
body{margin:0;font-family:"Microsoft YaHei",SimSun,sans-serif;font-size:14px;color:#333}
.header{background:#0b4ea2;color:#fff;height:90px}.header h2{margin:0;padding:24px 40px;font-size:28px}
.nav ul{list-style:none;margin:0;padding:0;background:#063c82}.nav li{display:inline-block;padding:10px 18px}
.nav a,.footer a{color:#fff;text-decoration:none}.crumb{padding:10px 40px;color:#666}
.main{width:1000px;margin:0 auto}.info{color:#999;text-align:center;border-bottom:1px dashed #ccc;padding:8px}
.TRS_Editor table{margin:0 auto;border-collapse:collapse}.TRS_Editor td{border:1px solid #000;padding:5px}
.related li{line-height:28px}.footer{background:#333;color:#ccc;padding:20px 40px;line-height:24px}
</style>"""
_NAV = ("首页", "政务公开", "政务服务", "互动交流", "走进示例县", "政策文件", "政策解读", "新闻动态", "通知公告", "专题专栏")
_RELATED = ("政府信息公开指南", "政府信息公开制度", "法定公开内容", "依申请公开", "政府信息公开年报",
            "财政预决算", "重点领域信息公开", "建议提案办理", "人事信息", "规划计划")


def _td(span: Span) -> str:
    attrs = (f' rowspan="{span.rows}"' if span.rows > 1 else "") + (f' colspan="{span.cols}"' if span.cols > 1 else "")
    style = ' style="border:1px solid windowtext;padding:5px;text-align:center" valign="center"'
    body = html.escape(span.text) if span.value else f'<p style="text-indent:0em">{html.escape(span.text)}</p>'
    return f"<td{attrs}{style}>{body}</td>"


def render_html(report: SynthReport) -> str:
    """A saved page of a (made-up) county site: navigation, breadcrumb, the article in a
    ``TRS_Editor`` container with the tables (rowspan/colspan, Word-style inline styles),
    related links and a footer, as pages saved from government sites look."""
    site = "示例县人民政府（合成示例网站 SYNTHETIC）"
    nav = "".join(f'<li><a href="/{k}/">{name}</a></li>' for k, name in enumerate(_NAV))
    out = [
        "<!DOCTYPE html>", '<html lang="zh-CN"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="SiteName" content="{site}">',
        f"<title>{html.escape(report.title)}</title>", _SITE_STYLE,
        "<script>var _hmt=_hmt||[];function printPage(){window.print();}</script></head><body>",
        f'<div class="header"><h2>{site}</h2></div>', f'<div class="nav"><ul>{nav}</ul></div>',
        '<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政府信息公开年报</div>',
        '<div class="main">',
        f'<div class="info">发布时间：{report.year + 1}-01-20　来源：{html.escape(report.agency)}　'
        '字号：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>]　<a href="javascript:printPage()">打印</a></div>',
        '<div class="TRS_Editor">',
    ]
    for block in blocks(report):
        kind = block[0]
        if kind == "table":
            out.append('<table border="1" cellspacing="0" cellpadding="0" align="center" style="border-collapse:collapse"><tbody>')
            out += ["<tr>" + "".join(_td(s) for s in row) + "</tr>" for row in block[1]]
            out.append("</tbody></table>")
        elif kind == "title":
            out.append(f'<p style="text-align:center"><strong>{html.escape(block[1])}</strong></p>')
        elif kind == "heading":
            out.append(f'<p style="text-indent:2em"><strong>{html.escape(block[1])}</strong></p>')
        else:
            out.append(f'<p style="text-indent:2em">{html.escape(block[1])}</p>')
    related = "".join(f'<li><a href="/zwgk/{k}/">{name}</a></li>' for k, name in enumerate(_RELATED))
    out += [
        "</div>", f'<div class="related"><h4>相关链接</h4><ul>{related}</ul></div>', "</div>",
        f'<div class="footer">主办：{site}　地址：示例省示例市示例县示例路1号<br>'
        "网站标识码：SYNTHETIC　本网站为合成示例，所有内容均为虚构</div>",
        "</body></html>",
    ]
    return "\n".join(out)

