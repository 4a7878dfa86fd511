"""Marker for strings translated at render time.

The domain and the models stay free of Flask, so labels are plain English
strings marked with ``N_`` (extracted by pybabel, see babel.cfg) and the views
pass them through ``gettext`` when a request knows the user's language.
"""


def N_(text):
    return text


class TranslatableError(ValueError):
    """An error the UI shows in the user's language: ``msgid`` (marked with
    ``N_``) and its ``params``; ``str()`` is the English text (CLI, logs)."""

    def __init__(self, msgid, **params):
        self.msgid, self.params = msgid, params
        super().__init__(msgid % params if params else msgid)


# The refusal for a selected row the user may not see (or that is gone): the
# same words whether it exists or not, so nothing leaks.
NOT_YOURS = N_("Not found, or not yours to change.")
