"""Every setting is declared once and documented in the README."""
import os

from admin_app.settings import SETTINGS, from_environ


def test_every_setting_is_documented():
    with open(os.path.join(os.path.dirname(__file__), "..", "README.md"),
              encoding="utf-8") as f:
        readme = f.read()
    for s in SETTINGS:
        assert f"`{s.name}`" in readme, s.name
        assert s.help


def test_environment_values_are_typed_like_defaults():
    found = from_environ({"PAGE_SIZE": "50", "TIMEZONE": "Asia/Shanghai", "OTHER": "x"})
    assert found == {"PAGE_SIZE": 50, "TIMEZONE": "Asia/Shanghai"}


def test_the_last_owner_cannot_demote_themselves_and_nothing_is_saved(client, users):
    import models as M
    from tests.conftest import login
    from tests.html_forms import form_fields
    login(client, "owner")
    me = users["owner"]
    data = form_fields(client.get(f"/admin/user/edit/?id={me.id}").get_data(as_text=True))
    r = client.post(f"/admin/user/edit/?id={me.id}", data={**data, "role": "manager"})
    assert r.status_code == 200 and "last active owner" in r.get_data(as_text=True)
    assert M.User.get_by_id(me.id).role == "owner"
