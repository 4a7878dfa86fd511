"""The XLSX template of an import: a register's columns, one example row, and
a second sheet with the allowed values of each choice column (the cells of
those columns offer them as a drop-down list).

Plain data in, bytes out: the view gives the labels in the user's language.
"""
import io
from datetime import date, datetime

import openpyxl
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from peewee import (BooleanField, DateField, DateTimeField, DecimalField, ForeignKeyField,
                    IntegerField)

ROWS_OFFERED = 5000   # rows of a choice column that get the drop-down list


def example_values(spec):
    """{column: value} of the template's example row: the register's own
    examples (Spec.example), else what the column's type suggests — a
    choice's default (else its first code), No, a date, an amount. Foreign
    keys are None: the caller knows a customer and a user to name."""
    values = {}
    for name in spec.fields + tuple(spec.extra):
        field = spec.model._meta.fields.get(name)
        if name in spec.example or field is None or isinstance(field, ForeignKeyField):
            values[name] = spec.example.get(name)
        elif field.choices:
            values[name] = field.default if field.default is not None else field.choices[0][0]
        elif isinstance(field, BooleanField):
            values[name] = False
        elif isinstance(field, DateTimeField):
            values[name] = datetime(2024, 1, 5, 10, 30)
        elif isinstance(field, DateField):
            values[name] = date(2024, 1, 5)
        elif isinstance(field, DecimalField):
            values[name] = 12800
        elif isinstance(field, IntegerField):
            values[name] = 1
        else:
            values[name] = None
    return values


def template_xlsx(*, title, columns, example, values_title, choices):
    """``columns`` [label], ``example`` [value] (one per column), ``choices``
    {column index: [allowed label]} → the .xlsx file's bytes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(columns))
    sheet.append(list(example))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, label in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(label) * 2 + 2)
    sheet.freeze_panes = "A2"
    values = book.create_sheet(values_title[:31])
    for n, (index, allowed) in enumerate(sorted(choices.items()), start=1):
        letter = get_column_letter(n)
        values.cell(row=1, column=n, value=columns[index]).font = Font(bold=True)
        for row, label in enumerate(allowed, start=2):
            values.cell(row=row, column=n, value=label)
        values.column_dimensions[letter].width = max(12, len(columns[index]) * 2 + 2)
        listed = (f"{quote_sheetname(values.title)}!${letter}$2:${letter}$"
                  f"{len(allowed) + 1}")
        check = DataValidation(type="list", formula1=listed, allow_blank=True)
        target = get_column_letter(index + 1)
        check.add(f"{target}2:{target}{ROWS_OFFERED}")
        sheet.add_data_validation(check)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
