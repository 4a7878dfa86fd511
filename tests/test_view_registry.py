"""Walk every registered view: each name it configures exists on its model
(Flask-Admin ignores misspelled names silently)."""
import pytest
from flask_admin.model.filters import BaseFilter
from peewee import Field

from domain import access
from domain.registers import QUEUES, REGISTERS


def _views(app):
    return [v for v in app.extensions["customer_service_admin"]._views if hasattr(v, "model")]


def test_every_register_has_a_view_and_policy(app):
    endpoints = {v.endpoint for v in _views(app)}
    assert endpoints == {r.endpoint for r in REGISTERS + QUEUES}
    pages = {v.endpoint for v in app.extensions["customer_service_admin"]._views
             if not hasattr(v, "model") and v.endpoint != "admin"}
    assert set(access.POLICIES) == endpoints | pages
    assert len(REGISTERS) == 21  # the 20 of SPEC.md and the ad hoc visit requests


@pytest.mark.parametrize("attr", ["column_list", "column_filters", "column_searchable_list",
                                  "column_editable_list", "column_details_exclude_list",
                                  "column_export_exclude_list", "form_excluded_columns"])
def test_configured_columns_exist(app, attr):
    for view in _views(app):
        fields = view.model._meta.fields
        for name in getattr(view, attr, None) or ():
            if isinstance(name, Field):
                assert name.name in name.model._meta.fields, (view.endpoint, attr, name)
            elif isinstance(name, BaseFilter):  # a filter of its own (the work queue)
                assert name.column.model is view.model, (view.endpoint, attr, name)
            else:
                assert name in fields, (view.endpoint, attr, name)


def test_lists_show_no_raw_ids(app):
    for view in _views(app):
        assert "id" not in (view.column_list or ()), view.endpoint


def test_every_field_has_a_label(app):
    for view in _views(app):
        for name in view.model._meta.fields:
            if name == "id":
                continue
            assert str(view.column_labels[name]) != name, (view.endpoint, name)
