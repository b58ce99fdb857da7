"""A government site's identity from site.yaml (generator/identity.py), read back from a real build:
the footer's 主办/承办/网站标识码/备案号/纠错 on every page, the agency's own logo and favicon copied
in, tappable phones and e-mails, the 网站地图, a Chinese 404, a description on every page."""

from __future__ import annotations

import html as htmllib
import re
import shutil
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from generator.identity import linked, tel

FIXTURE = Path(__file__).parent / "fixtures" / "gov-identity"
SITE = yaml.safe_load((FIXTURE / "site_config/site.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("identity") / "gov-identity"
    shutil.copytree(FIXTURE, root)
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 0
    return root / "site"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "<html" in p.read_text(encoding="utf-8"))


def footer(html: str) -> str:
    return html[html.index('<div class="md-copyright dc-footer">'):html.index("</footer>")]


def text(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", "", fragment)))


def test_every_page_s_footer_carries_the_identity_of_the_site(built):
    found = pages(built)
    assert len(found) > 20 and built / "404.html" in found and built / "guide/index.html" in found
    for path in found:
        html = path.read_text(encoding="utf-8")
        foot = footer(html)
        said = text(foot)
        where = path.relative_to(built)
        assert f"主办单位：{SITE['sponsor']}" in said, where
        assert f"承办单位：{SITE['organizer']}" in said, where
        assert f"网站标识码：{SITE['site_code']}" in said, where
        assert SITE["icp"] in said and SITE["police_record"] in said, where
        assert f"本站由{SITE['operator']}维护" in said and "数据截至 2026-11-23" in said, where
        # links to the official verification sites: links only (no <img>, no script from them)
        assert '<a href="https://beian.miit.gov.cn/" rel="noopener noreferrer">浙ICP备12345678号-1</a>' in foot, where
        assert 'href="https://beian.mps.gov.cn/#/query/webSearch?code=33079902000123"' in foot, where
        assert "<img" not in foot and "<script" not in foot, where
        # the feedback address, escaped once in its attribute
        assert '<a href="https://zfgs.example.gov.cn/jiucuo/?from=footer&amp;lang=zh" rel="noopener">纠错 / 意见反馈</a>' in foot
        assert re.search(r'<a href="[./]*sitemap/">网站地图</a>', foot), where
        assert '联系方式：<a href="tel:057112345678">0571-12345678</a>（工作日　9:00—17:00）' in foot, where


def test_the_agency_s_own_logo_and_favicon_are_copied_in_and_used(built):
    logo = built / "assets/identity/logo.png"
    icon = built / "assets/identity/favicon.ico"
    assert logo.read_bytes() == (FIXTURE / SITE["logo"]).read_bytes()
    assert icon.read_bytes() == (FIXTURE / SITE["favicon"]).read_bytes()
    home = (built / "index.html").read_text(encoding="utf-8")
    assert '<img src="assets/identity/logo.png" alt="测试县行政执法公示平台">' in home
    assert '<link rel="icon" href="assets/identity/favicon.ico">' in home
    deep = (built / "decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    assert 'src="../../../../assets/identity/logo.png"' in deep
    assert "assets/images/favicon.png" not in home  # Material's book is gone


def test_without_a_logo_the_site_shows_a_scale_not_material_s_book(example_built):
    home = (example_built / "site/index.html").read_text(encoding="utf-8")
    assert '<link rel="icon" href="assets/favicon.svg">' in home
    assert (example_built / "site/assets/favicon.svg").is_file()
    logo = home[home.index('class="md-header__button md-logo"'):]
    logo = logo[:logo.index("</a>")]
    assert "<svg" in logo and "M12 3c-1.27" in logo  # material/scale-balance, not material/library


def test_no_dark_mode_toggle_and_one_calm_palette(example_built):
    for path in pages(example_built / "site"):
        html = path.read_text(encoding="utf-8")
        assert 'data-md-component="palette"' not in html and "palette.js" not in html, path
        assert 'data-md-color-scheme="default" data-md-color-primary="custom"' in html, path


def test_phones_and_mail_are_links_and_the_appeal_bodies_have_address_and_phone(built):
    agency = (built / "agencies/town/index.html").read_text(encoding="utf-8")
    assert '<a href="tel:057112345001">0571-12345001</a>' in agency
    assert '<a href="tel:057112345">0571-12345</a>' in agency
    assert '<a href="mailto:jubao@town.example.gov.cn">jubao@town.example.gov.cn</a>' in agency
    assert "测试县城关镇人民路1号　县行政复议局一楼窗口" in agency
    assert '<a href="tel:057112345100">0571-12345100（行政复议咨询）</a>' in agency
    assert '电话：<a href="tel:057112345200">0571-12345200</a>' in agency
    decision = (built / "decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    stamps = decision[decision.index('<section class="dc-stamps"'):decision.index("</section>")]
    assert "测试县人民政府<span class=\"dc-contact\">（地址：测试县城关镇人民路1号" in stamps
    assert 'href="tel:057112345200"' in stamps


def test_a_chinese_404_page(built):
    page = (built / "404.html").read_text(encoding="utf-8")
    assert "没有找到这个页面" in page and "404 - Not found" not in page
    assert re.search(r'href="[^"]*sitemap/">查看网站地图</a>', page)


def test_the_site_map_lists_every_public_section_and_agency(built):
    page = (built / "sitemap/index.html").read_text(encoding="utf-8")
    for section in ("agencies/", "officers/", "powers/", "benchmarks/", "decisions/", "certificates/", "search/",
                    "downloads/", "statistics/", "legal/", "supervision/", "howto/", "about/"):
        assert f'href="../{section}"' in page, section
    assert 'href="../agencies/town/"' in page and 'href="../agencies/town/decisions/2025/"' in page
    assert "guide/" not in page


def test_every_page_has_its_own_description_escaped_once(built):
    seen: dict[str, Path] = {}
    for path in pages(built):
        html = path.read_text(encoding="utf-8")
        found = re.findall(r'<meta name="description" content="([^"]*)">', html)
        assert len(found) == 1, path
        said = htmllib.unescape(found[0])
        assert len(said) > 10 and "<" not in said and "&" not in said and "DISCLOSE" not in said, (path, said)
        if path.name == "index.html" and path.parent != built:
            assert seen.setdefault(said, path) == path, (path, seen[said])  # each page its own
    decision = (built / "decisions/town/2025/national-day/index.html").read_text(encoding="utf-8")
    said = htmllib.unescape(re.search(r'<meta name="description" content="([^"]*)">', decision)[1])
    assert said == "测试县测试镇人民政府对张某某作出的行政处罚决定（测兴政罚决字〔2025〕第1号）：罚款，罚款 1,000 元。作出日期 2025-09-30。"
    withdrawn = (built / "decisions/town/2025/revoked/index.html").read_text(encoding="utf-8")
    assert "撤回公告：" in withdrawn and "秘密的原始事实文字" not in withdrawn


@pytest.mark.parametrize(("value", "message"), [
    ("site_config/没有这个文件.png", "找不到文件 site_config/没有这个文件.png"),
    ("site_config/标识.png", "找不到文件 site_config/标识.png"),  # a folder of that name is not a file
])
def test_a_missing_logo_is_a_located_error(tree, capsys, value, message):
    root = tree("gov-identity")
    (root / "site_config/标识.png").mkdir()
    path = root / "site_config/site.yaml"
    text = path.read_text(encoding="utf-8").replace(f"logo: {SITE['logo']}", f"logo: {value}")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("logo:"))
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert f"site_config/site.yaml:{line}:7: 错误 F012 「网站标识图片」(logo)：{message}" in err, err
    assert main(["build", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert not (root / "site").exists()


def test_a_favicon_linking_out_of_the_project_is_refused(tree, tmp_path, capsys):
    root = tree("gov-identity")
    outside = tmp_path / "elsewhere.ico"
    outside.write_bytes((FIXTURE / SITE["favicon"]).read_bytes())
    (root / "site_config/favicon.ico").unlink()
    (root / "site_config/favicon.ico").symlink_to(outside)
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert "F012 「浏览器标签图标」(favicon)：文件在项目目录以外" in capsys.readouterr().err


@pytest.mark.parametrize(("value", "why"), [
    ("../logo.png", "路径中不能有 .."),
    ("/etc/logo.png", "不能是绝对路径或网址"),
    ("https://example.com/logo.png", "不能是绝对路径或网址"),
    ("site_config/logo.exe", "文件类型只能是"),
    ("site_config\\\\logo.png", "路径用 / 分隔"),
])
def test_a_logo_path_of_the_wrong_shape_is_a_located_error(tree, capsys, value, why):
    root = tree("gov-identity")
    path = root / "site_config/site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"logo: {SITE['logo']}", f"logo: '{value}'"),
                    encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    err = capsys.readouterr().err
    assert "F003 「网站标识图片」(logo)填写有误" in err and why in err, err


@pytest.mark.parametrize("value", ["javascript:alert(1)", "找我们", "mailto:a@b.cn", '"><script>alert(1)</script>'])
def test_feedback_is_a_web_address_or_an_e_mail_only(tree, capsys, value):
    root = tree("gov-identity")
    path = root / "site_config/site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"feedback: {SITE['feedback']}", f"feedback: '{value}'"),
                    encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert "「纠错与意见反馈」(feedback)填写有误：只能是 http:// 或 https:// 开头的网址，或者电子邮箱" in capsys.readouterr().err


def test_phone_numbers_in_text_become_links_dates_and_markup_do_not():
    assert str(linked("电话0571-12345678（9:00—17:00）")) == '电话<a href="tel:057112345678">0571-12345678</a>（9:00—17:00）'
    assert str(linked("2026-11-23 起")) == "2026-11-23 起"
    assert str(linked('<b>"12345"</b>')) == '&lt;b&gt;&#34;<a href="tel:12345">12345</a>&#34;&lt;/b&gt;'
    assert str(linked("写信 a.b@x.gov.cn")) == '写信 <a href="mailto:a.b@x.gov.cn">a.b@x.gov.cn</a>'
    assert tel("（0571）没有") == "" and tel("(0571)88880000") == "057188880000" and tel(None) == ""


@pytest.mark.parametrize(("name", "data", "why"), [
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.domain)</script></svg>',
     "SVG 图片里有脚本、事件、链接或外部引用"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><rect onload="alert(2)"/></svg>', "SVG 图片里有脚本"),
    ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>',
     "SVG 图片里有脚本"),
    ("logo.svg", b"<html><body>not a drawing</body></html>", "文件不是 SVG 图片"),
    ("logo.png", b"GIF89a\x01\x00\x01\x00", "文件内容不是 PNG 图片（扩展名与内容不符）"),
])
def test_a_logo_that_is_not_a_plain_image_is_refused(tree, capsys, name, data, why):
    """An SVG opened on its own runs its scripts as the site: Pages hosts send no CSP to stop it."""
    root = tree("gov-identity")
    (root / "site_config" / name).write_bytes(data)
    path = root / "site_config/site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"logo: {SITE['logo']}", f"logo: site_config/{name}"),
                    encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 1
    assert why in capsys.readouterr().err


def test_a_plain_svg_logo_is_accepted(tree, capsys):
    root = tree("gov-identity")
    (root / "site_config/logo.svg").write_bytes(
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        b'<defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/></svg>')
    path = root / "site_config/site.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(f"logo: {SITE['logo']}", "logo: site_config/logo.svg"),
                    encoding="utf-8")
    assert main(["validate", "--project", str(root), "--today", "2026-11-23"]) == 0, capsys.readouterr().err


def test_the_police_record_link_takes_its_number_from_the_text_as_written():
    from generator.identity import police_code

    assert police_code('示公网安备"><script>x</script>123号') == "123"
    assert police_code("示公网安备&#34;123号") == "123"
