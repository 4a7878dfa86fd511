"""Compiled message catalogues (.mo are not in git): built from the .po on
first use, by the app at startup and by the PDF forms when they render
without an app (tests, CLI)."""
import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogs(directory):
    """Compile every messages.po under ``directory`` whose .mo is missing or older."""
    for root, _dirs, files in os.walk(directory):
        for name in files:
            if not name.endswith(".po"):
                continue
            po = os.path.join(root, name)
            mo = po[:-3] + ".mo"
            if os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(po):
                continue
            with open(po, "rb") as f:
                catalog = read_po(f)
            # Write then rename: a reader never sees half a file.
            with open(mo + ".tmp", "wb") as f:
                write_mo(f, catalog)
            os.replace(mo + ".tmp", mo)
