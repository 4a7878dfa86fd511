"""The UI speaks Simplified Chinese or English: per user, else per browser."""
import models as M
from tests import factories as F
from tests.conftest import login


def test_browser_language_picks_chinese_by_default(client, users):
    F.customer(owner=users["spec1"], customer_class="A")
    login(client, "owner")
    zh = client.get("/admin/customer/", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    html = zh.get_data(as_text=True)
    assert "客户档案" in html          # menu entry (ours)
    assert "列表" in html              # Flask-Admin's own catalogue
    assert "A类" in html               # choice label
    en = client.get("/admin/customer/", headers={"Accept-Language": "en-US,en;q=0.9"})
    html = en.get_data(as_text=True)
    assert "Customer archive" in html and "Class A" in html and "客户档案" not in html


def test_user_choice_wins_over_browser_and_is_kept(client, users):
    login(client, "owner")
    client.post("/lang/en", headers={"Referer": "http://localhost/admin/"})
    assert M.User.get(M.User.username == "owner").locale == "en"
    html = client.get("/admin/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "Customer archive" in html
    client.post("/lang/zh_Hans_CN")
    html = client.get("/admin/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "客户档案" in html


def test_validation_errors_and_flashes_are_translated(client, users):
    login(client, "owner")
    client.post("/lang/zh_Hans_CN")
    r = client.post("/admin/rule/new/", data={"key": "", "value": "1", "unit": "days"})
    html = r.get_data(as_text=True)
    assert "该字段是必填字段" in html or "必填" in html  # WTForms' zh catalogue
    r = client.post("/login", data={"username": "x", "password": "y"})


def test_login_page_in_both_languages(client):
    assert "登录" in client.get("/login", headers={"Accept-Language": "zh"}).get_data(as_text=True)
    assert "Log in" in client.get("/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
