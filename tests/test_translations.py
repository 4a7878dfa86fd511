"""The zh_Hans_CN catalogue is complete, translated and safe to format.

When a test here fails after you added or changed a string: run
``bin/update-translations``, translate the new entries in
admin_app/translations/zh_Hans_CN/LC_MESSAGES/messages.po (no fuzzy flags,
no empty msgstr, same %(name)s placeholders) and run it again.
"""
import fnmatch
import os
import re

import pytest
from babel.messages.checkers import python_format
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg, parse_keywords
from babel.messages.pofile import read_po

import models as M
from domain import choices, registers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PO = os.path.join(ROOT, "admin_app", "translations", "zh_Hans_CN", "LC_MESSAGES", "messages.po")
# Same as bin/update-translations: `-k N_ -k _l -k lazy_gettext -k ngettext:1,2`
# and `--ignore-dirs ".* _* tests instance node_modules screenshots"`.
KEYWORDS = {**DEFAULT_KEYWORDS, **parse_keywords(["N_", "_l", "lazy_gettext", "ngettext:1,2"])}
IGNORE_DIRS = (".*", "_*", "tests", "instance", "node_modules", "screenshots")
HINT = ("run bin/update-translations and translate these entries in "
        "admin_app/translations/zh_Hans_CN/LC_MESSAGES/messages.po")
# %(name)s, %(num)d, %(x).2f … and bare %s / %d; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")


@pytest.fixture(scope="module")
def catalog():
    with open(PO, "rb") as f:
        return read_po(f, abort_invalid=True)


def _messages(catalog):
    return [m for m in catalog if m.id]


def _key(msgid, context=None):
    msgid = msgid[0] if isinstance(msgid, (tuple, list)) else msgid
    return (msgid, context) if context else msgid


def _strings(message):
    return message.string if isinstance(message.string, (tuple, list)) else (message.string,)


def _placeholders(text):
    return sorted(p for p in PLACEHOLDER.findall(text or "") if p != "%%")


def _show(message):
    return message.id[0] if isinstance(message.id, (tuple, list)) else message.id


def test_catalogue_is_chinese_with_one_plural_form(catalog):
    assert str(catalog.locale) == "zh_Hans_CN"
    assert catalog.num_plurals == 1
    assert len(_messages(catalog)) > 100


def test_every_message_is_translated_and_not_fuzzy(catalog):
    untranslated = [_show(m) for m in _messages(catalog)
                    if not all(s and s.strip() for s in _strings(m))
                    or len(_strings(m)) < (catalog.num_plurals if m.pluralizable else 1)]
    fuzzy = [_show(m) for m in _messages(catalog) if m.fuzzy]
    assert not untranslated, f"untranslated: {untranslated}; {HINT}"
    assert not fuzzy, f"fuzzy (check, then remove the flag): {fuzzy}"


def test_placeholders_are_kept(catalog):
    wrong = []
    for m in _messages(catalog):
        ids = m.id if isinstance(m.id, (tuple, list)) else (m.id,)
        # Chinese has one plural form: msgstr[0] serves every count, so it may
        # follow either the singular or the plural msgid.
        allowed = {tuple(_placeholders(i)) for i in ids}
        for s in _strings(m):
            if tuple(_placeholders(s)) not in allowed:
                wrong.append((_show(m), s))
    assert not wrong, f"placeholders differ between msgid and msgstr: {wrong}"


def test_python_format_strings_format_like_their_msgid(catalog):
    problems = []
    for m in _messages(catalog):
        if "python-format" in m.flags:
            try:
                python_format(catalog, m)
            except Exception as ex:  # TranslationError
                problems.append((_show(m), str(ex)))
    assert not problems, problems


def _extract_from_source():
    with open(os.path.join(ROOT, "babel.cfg")) as f:
        method_map, options_map = parse_mapping_cfg(f, "babel.cfg")

    def keep_dir(dirname):
        name = os.path.basename(dirname)
        return not any(fnmatch.fnmatch(name, pattern) for pattern in IGNORE_DIRS)

    found = {}
    for filename, lineno, msgid, _comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS, directory_filter=keep_dir):
        found.setdefault(_key(msgid, context), f"{filename}:{lineno}")
    return found


def test_every_string_in_the_source_is_in_the_catalogue(catalog):
    found = _extract_from_source()
    assert "Customer archive" in found and "Log in" in found  # python and jinja2 both read
    assert not any(where.startswith(("tests", ".venv")) for where in found.values())
    in_catalogue = {_key(m.id, m.context) for m in _messages(catalog)}
    missing = sorted((where, key) for key, where in found.items() if key not in in_catalogue)
    assert not missing, (
        f"{len(missing)} source string(s) missing from the zh_Hans_CN catalogue: "
        + "; ".join(f"{where} {key!r}" for where, key in missing) + f" — {HINT}")


def _choice_labels():
    for name in dir(choices):
        value = getattr(choices, name)
        if not (name.isupper() and isinstance(value, tuple)):
            continue
        for code, label in value:
            # CREDIT_RATINGS and SCORE show their codes: nothing to translate.
            if isinstance(label, str) and label != str(code):
                yield name, label


def test_choice_labels_model_names_and_registers_are_translated(catalog):
    translated = {m.id: m.string for m in _messages(catalog) if isinstance(m.id, str)}
    wanted = [(f"choices.{name}", label) for name, label in _choice_labels()]
    for model in M.ALL_MODELS:
        for field in model._meta.sorted_fields:
            if field.verbose_name:
                wanted.append((f"{model.__name__}.{field.name}", field.verbose_name))
    for reg in registers.REGISTERS:
        wanted += [(f"register {reg.endpoint}", reg.label),
                   (f"category of {reg.endpoint}", reg.category)]
    missing = [(where, text) for where, text in wanted if not translated.get(text)]
    assert not missing, f"labels without a translation: {missing}; {HINT}"


@pytest.mark.parametrize("english, chinese", [
    ("Customer archive", "客户档案"), ("Visit records", "客户回访记录"),
    ("Corrective & preventive actions", "纠正和预防措施"), ("Audit log", "操作日志"),
    ("Class A", "A类"), ("Specialist", "回访专员"), ("Department staff", "部门人员"),
])
def test_register_and_role_terms_follow_the_spec(catalog, english, chinese):
    assert catalog[english].string == chinese
