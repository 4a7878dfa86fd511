"""The monthly customer-demand trend report 客户需求趋势报告 as plain data.

Reads the figures and charts (domain/kpis.py, domain/kpi_charts.py) and the
report's lists — new demands, escalated complaints, at-risk customers — and
hands pdf_templates/demand_report.py a dict of strings, numbers and msgids
(the template translates the msgid fields, documented there). Lists are
capped at ``limit`` rows, the total is given beside them; every query is an
aggregate or a capped, joined select, so a month of a large shop stays fast.
``user`` narrows everything to that person's records (access scope).
"""
from peewee import JOIN, SQL, Case, fn

import models as M
from domain import access, choices, escalation, kpi_charts, kpis
from domain.kpi_sql import within
from domain.classification import RISK_REASONS


def _scoped(query, model, user):
    return query if user is None else access.scope_query(query, model, user)


def _labels(vocabulary):
    return dict(vocabulary)


def figures(period, rules, now, user):
    out = []
    for f in kpis.figures(period, rules=rules, now=now, user=user):
        out.append(dict(label=f.label, value=kpis.display(f.value, f.unit),
                        target=kpis.display_target(f.target, f.unit),
                        met=f.met, previous=kpis.display(f.previous, f.unit), trend=f.trend))
    return out


def charts(period, rules, now, user):
    return [dict(title=s.title, kind=s.kind, categories=s.categories, series=s.series,
                 max_value=s.max_value)
            for s in kpi_charts.chart_specs(period, rules=rules, now=now, user=user)]


def demands(period, user, limit):
    D, C = M.Demand, M.Customer
    in_period = within(D.raised_on, period)
    kinds = _scoped(D.select(D.kind, fn.COUNT(SQL("*")), fn.SUM(D.expected_value))
                    .where(in_period).group_by(D.kind), D, user)
    by_kind = {kind: (n, kpis.number(total)) for kind, n, total in kinds.tuples()}
    kind_rows = [(label, *by_kind[code]) for code, label in choices.DEMAND_KIND
                 if code in by_kind]
    rows = _scoped(D.select(D.raised_on, C.name, D.kind, D.description, D.status,
                            D.expected_value).join(C).where(in_period), D, user)
    rows = rows.order_by(D.expected_value.desc(nulls="LAST"), D.raised_on, D.id).limit(limit)
    kinds_, statuses = _labels(choices.DEMAND_KIND), _labels(choices.DEMAND_STATUS)
    return kind_rows, [dict(raised_on=r[0], customer=r[1], kind=kinds_.get(r[2], r[2]),
                            description=r[3], status=statuses.get(r[4], r[4]),
                            expected_value=r[5]) for r in rows.tuples()]


def escalated(period, user, limit):
    K, C = M.Complaint, M.Customer
    where = (K.escalation_level > 0) & within(K.escalated_at, period)
    total = _scoped(K.select(fn.COUNT(SQL("*"))).where(where), K, user).scalar() or 0
    rows = _scoped(K.select(K.number, C.name, K.received_at, K.category, K.escalation_level,
                            K.escalation_reason, K.status).join(C).where(where), K, user)
    rows = rows.order_by(K.escalation_level.desc(), K.escalated_at.desc(), K.id).limit(limit)
    categories, statuses = _labels(choices.COMPLAINT_CATEGORY), _labels(choices.COMPLAINT_STATUS)
    levels = dict(escalation.LEVELS)
    out = []
    for number, name, received, category, level, reason, status in rows.tuples():
        label = escalation.reason_label("complaint", reason)
        out.append(dict(number=number, customer=name, received_at=received,
                        category=categories.get(category, category),
                        level=levels[min(level, escalation.TOP_LEVEL)],
                        reason=label, reason_text=None if label else reason,
                        status=statuses.get(status, status)))
    return total, out


def at_risk(now, rules, user, limit):
    C, U = M.Customer, M.User
    conditions = kpi_charts.risk_conditions(now, rules)
    where = C.at_risk == True  # noqa: E712 — SQL
    total = _scoped(C.select(fn.COUNT(SQL("*"))).where(where), C, user).scalar() or 0
    flags = [Case(None, [(conditions[code], 1)], 0) for code, _label in RISK_REASONS]
    rows = _scoped(C.select(C.code, C.name, U.name, C.customer_class, C.lifecycle,
                            C.annual_purchase, *flags)
                   .join(U, JOIN.LEFT_OUTER, on=(C.owner == U.id)).where(where), C, user)
    rows = rows.order_by(C.annual_purchase.desc(), C.code).limit(limit)
    lifecycles = _labels(choices.LIFECYCLE)
    out = []
    for code, name, owner, cls, stage, amount, *hits in rows.tuples():
        out.append(dict(code=code, name=name, owner=owner or "", customer_class=cls,
                        lifecycle=lifecycles.get(stage, stage), annual_purchase=kpis.number(amount),
                        reasons=[label for (_c, label), hit in zip(RISK_REASONS, hits) if hit]))
    return total, out


def report_data(period, *, rules, now, user=None, limit=50):
    """Everything the demand-trend report prints for ``period``."""
    kind_rows, demand_rows = demands(period, user, limit)
    escalated_total, escalated_rows = escalated(period, user, limit)
    risk_total, risk_rows = at_risk(now, rules, user, limit)
    return dict(
        period=period.key, generated=now.strftime("%Y-%m-%d %H:%M"),
        person=str(user) if user is not None and user.role not in access.MANAGEMENT else None,
        figures=figures(period, rules, now, user), charts=charts(period, rules, now, user),
        top_problems=kpi_charts.top_problems(period, user=user, limit=10),
        demand_kinds=kind_rows, demands=demand_rows,
        demands_total=sum(n for _label, n, _value in kind_rows),
        escalated=escalated_rows, escalated_total=escalated_total,
        at_risk=risk_rows, at_risk_total=risk_total,
    )
