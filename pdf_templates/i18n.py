"""Form labels in the print language, from the app's own Babel catalogue.

The forms use the same msgids as the UI (admin_app/translations), loaded with
plain Babel so that rendering needs no Flask request or app.
"""
import os
from functools import lru_cache

from babel.support import NullTranslations, Translations

from services.catalogs import compile_catalogs

TRANSLATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "admin_app", "translations")
LANGUAGES = ("zh", "en")
_CATALOGUE = {"zh": "zh_Hans_CN"}


def normalize(lang):
    """'zh', 'zh_Hans_CN', 'zh-CN' -> 'zh'; 'en', 'en_US' -> 'en'; else 'zh'."""
    primary = (lang or "zh").replace("-", "_").split("_")[0].lower()
    return primary if primary in LANGUAGES else "zh"


@lru_cache(maxsize=None)
def _translations(lang):
    locale = _CATALOGUE.get(lang)
    if locale is None:
        return NullTranslations()
    compile_catalogs(TRANSLATIONS_DIR)
    return Translations.load(TRANSLATIONS_DIR, [locale])


def gettext_for(lang):
    """A gettext function for ``lang`` (English msgids pass through)."""
    return _translations(normalize(lang)).gettext
