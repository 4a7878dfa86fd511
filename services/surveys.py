"""Planning satisfaction surveys for a period (domain/surveys.py), marking
them sent, in one transaction each with its audit row."""
from collections import Counter
from datetime import datetime, time

from peewee import fn

import models as M
from domain import periods
from domain import surveys as D
from domain.i18n import N_, TranslatableError
from services import audit
from services.bulk import insert_rows
from services.key_customers import key_ids_for_year
from services.rules import current_rules
from services.steps import apply_each
from services.transactions import writing

# The form goes out the way the customer prefers to be reached.
METHOD_BY_CHANNEL = {"onsite": "onsite", "phone": "phone", "email": "email",
                     "video": "online", "messaging": "online"}


class SurveyError(TranslatableError):
    """A survey plan that cannot be made."""


def _latest(rows):
    """{customer: (at, value)} of the last row per customer (rows in time order)."""
    return {customer: (at, value) for customer, at, value in rows}


def _facts(period, rules):
    S, V = M.SatisfactionSurvey, M.Visit
    longest = max(rules["survey_key_customer_months"], rules["survey_all_customers_months"],
                  rules["survey_dissatisfied_months"])
    since = datetime.combine(D.months_before(period.start, longest), time())
    returned = _latest(S.select(S.customer, S.returned_at, S.overall)
                       .where(S.returned_at >= since).order_by(S.customer, S.returned_at)
                       .tuples())
    open_since = dict(S.select(S.customer, fn.MAX(S.created_at))
                      .where(S.status.in_(("planned", "sent"))).group_by(S.customer).tuples())
    since_dissatisfied = datetime.combine(
        D.months_before(period.start, rules["survey_dissatisfied_months"]), time())
    visits = _latest(V.select(V.customer, V.visited_at, V.satisfaction)
                     .where((V.visited_at >= since_dissatisfied) & V.satisfaction.is_null(False))
                     .order_by(V.customer, V.visited_at).tuples())
    in_period = {c for (c,) in S.select(S.customer).where(S.period == period.key).tuples()}
    keys = key_ids_for_year(period.start.year)
    customers = M.Customer.select(M.Customer.id, M.Customer.do_not_disturb,
                                  M.Customer.preferred_channel).tuples()
    facts, channels = [], {}
    for cid, quiet, channel in customers:
        channels[cid] = channel
        facts.append(D.Facts(cid, cid in keys, bool(quiet), returned.get(cid),
                             open_since.get(cid), visits.get(cid), cid in in_period))
    return facts, channels


def plan_surveys(period_key, *, now, user=None, rules=None, ip=None):
    """Planned surveys for the quarter ``period_key`` (2027-Q1) for every
    customer due one. Returns {reason: count, "do_not_disturb": n,
    "already": n} — running it again for the period adds nothing."""
    try:
        period = periods.parse("quarter", period_key)
    except periods.PeriodError as ex:
        raise SurveyError(ex.msgid, **ex.params)
    rules = rules or current_rules()
    with writing():
        facts, channels = _facts(period, rules)
        due = D.plan(facts, period.start, rules)
        S = M.SatisfactionSurvey
        insert_rows([S.customer, S.period, S.method, S.status, S.plan_reason, S.created_at,
                     S.updated_at],
                    [(cid, period.key, METHOD_BY_CHANNEL.get(channels[cid], "email"), "planned",
                      why, now, now) for cid, why in due])
        counts = Counter(why for _cid, why in due)
        result = {code: counts.get(code, 0) for code in ("dissatisfied", "key", "general")}
        result["do_not_disturb"] = sum(1 for f in facts if f.do_not_disturb)
        result["already"] = sum(1 for f in facts if f.in_period and not f.do_not_disturb)
        audit.record(user=getattr(user, "id", user), action="action",
                     register="satisfaction_survey", ip=ip,
                     changes={"plan": [period.key, result]})
    return result


def mark_sent(survey_ids, *, user, now, ip=None):
    """Planned surveys among ``survey_ids`` (those the user may see) sent now."""
    def decide(survey):
        if survey.status != "planned":
            raise SurveyError(N_("Only a planned survey can be sent."))
        return {"status": "sent", "sent_at": now}

    return apply_each(M.SatisfactionSurvey, "satisfaction_survey", survey_ids, "send",
                      user=user, decide=decide, error=SurveyError, ip=ip)


def status_of(survey):
    """The status a survey's dates and scores say it is in."""
    scored = any(getattr(survey, f) not in (None, "") for f in M.SatisfactionSurvey.SCORE_FIELDS)
    if survey.returned_at or scored:
        return "returned"
    if survey.sent_at:
        return "sent"
    return "planned"
