"""A list action posted with only ids the user may not see changes nothing
and says so: every action of every register, as a specialist holding
another specialist's ids (and its form page posted on, where it has one)."""
import pytest
from peewee import fn

import models as M

from . import world as W
from .conftest import login

# What the follow-up form pages of actions are posted with.
FORM = {"note": "x", "reason": "x", "step": "confirm", "scope": "selected", "year": "2027",
        "assignee": "", "department": "quality", "value": ""}


def snapshot():
    """Rows and their versions, per register: any write changes one."""
    out = {}
    for model in M.ALL_MODELS:
        if "version" in model._meta.fields:
            out[model.__name__] = model.select(fn.COUNT(model.id), fn.SUM(model.version)) \
                .tuples().get()
        elif "id" in model._meta.fields:
            out[model.__name__] = model.select(fn.COUNT(model.id)).scalar()
    return out


def _messages(client):
    with client.session_transaction() as session:
        return [text for _category, text in session.pop("_flashes", [])]


def _actions(app, world):
    for view in app.extensions["customer_service_admin"]._views:
        theirs = world["spec2"].get(view.endpoint)
        if theirs is None and view.endpoint == "visit_plan":
            continue  # plans are shared: a specialist sees them all
        if theirs is not None:
            for name in getattr(view, "_actions_data", {}):
                yield view.endpoint, name, theirs.id


@pytest.mark.parametrize("who", ["spec1", "tech"])
def test_an_action_on_invisible_rows_changes_nothing_and_says_so(app, client, users, who):
    world = W.build(users)
    login(client, who)
    silent, changed = [], []
    for endpoint, name, other in _actions(app, world):
        base = f"/admin/{endpoint}"
        before = snapshot()
        r = client.post(f"{base}/action/", data={"action": name, "rowid": [other],
                                                 "url": f"{base}/"})
        status = r.status_code
        location = r.headers.get("Location", "")
        if status == 302 and location.startswith(f"{base}/") and "?" in location:
            r = client.post(location, data=FORM)  # the action's form page
            status = r.status_code
        assert status < 500, (endpoint, name, status)
        if snapshot() != before:
            changed.append((endpoint, name))
        said = status in (403, 404) or _messages(client)
        if not said:
            silent.append((endpoint, name))
    assert changed == []
    assert silent == []
