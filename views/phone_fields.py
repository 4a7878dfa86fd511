"""Phone fields of every register's form and list cells, cleaned one way
(domain.phones) before they are saved."""
from wtforms.validators import ValidationError

from domain import phones

from .messages import translated

PHONE_FIELDS = ("phone", "complainant_phone")


def clean_phone(form, field):
    """WTForms validator: the typed number becomes its one spelling, or the
    field is refused with the reason in the user's language."""
    if not field.data:
        return
    try:
        field.data = phones.clean(field.data)
    except phones.PhoneRefused as ex:
        raise ValidationError(translated(ex)) from None
