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
