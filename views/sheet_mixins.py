"""The spreadsheet tools every register's view gets (issue 6), as one base:
inline cell editing, bulk edit, import and export (BaseView mixes it in)."""
from .bulk_edit import BulkEditMixin
from .export import ExportMixin
from .import_view import ImportMixin
from .inline_edit import InlineEditMixin


class SheetMixin(InlineEditMixin, BulkEditMixin, ImportMixin, ExportMixin):
    pass
