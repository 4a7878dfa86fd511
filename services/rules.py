"""The rule register as a typed ``Rules`` object, and its default rows."""
from domain.rule_defaults import DEFAULT_RULES
from domain.rules import Rules
from models import Rule, db


def current_rules():
    """Rules from the register (defaults for any key it lacks)."""
    return Rules([(r.key, r.value, r.unit) for r in Rule.select(Rule.key, Rule.value, Rule.unit)])


def ensure_default_rules():
    """Insert the default row of every rule the register lacks; return how many."""
    with db.atomic():
        have = {r.key for r in Rule.select(Rule.key)}
        missing = [dict(key=k, value=v, unit=u, description=d)
                   for k, v, u, d in DEFAULT_RULES if k not in have]
        if missing:
            Rule.insert_many(missing).execute()
    return len(missing)
