"""Demo customers with their contacts, sales and equipment.

A customer's sales are drawn first; its annual purchase, class and lifecycle
are then derived from them, so the archive agrees with the sales register.
"""
from datetime import date, timedelta
from decimal import Decimal

import models as M
from domain.rule_defaults import DEFAULT_RULES

from . import demo_text as T
from .demo_context import bulk_insert, months_ago

RULES = {key: value for key, value, _, _ in DEFAULT_RULES}
CLASS_A_MIN = int(RULES["class_a_min_purchase"])
CLASS_B_MIN = int(RULES["class_b_min_purchase"])

SEGMENTS = (("manufacturing", 38), ("research", 10), ("testing", 12), ("medical", 10),
            ("vehicle_repair", 18), ("individual", 12))
BIG_SEGMENTS = ("manufacturing", "research", "testing")
ORG_SEGMENTS = BIG_SEGMENTS + ("medical",)


def customer_class(annual):
    if annual >= CLASS_A_MIN:
        return "A"
    return "B" if annual >= CLASS_B_MIN else "C"


# --- planning: who is what ------------------------------------------------

def quota(ctx, n, weights):
    """A shuffled list of n keys in proportion to ``weights`` (largest remainder)."""
    total = sum(w for _, w in weights)
    exact = [(k, n * w / total) for k, w in weights]
    counts = {k: int(x) for k, x in exact}
    by_remainder = sorted(exact, key=lambda kx: kx[1] - int(kx[1]), reverse=True)
    for k, _ in by_remainder[:n - sum(counts.values())]:
        counts[k] += 1
    keys = [k for k, _ in weights for _ in range(counts[k])]
    ctx.rng.shuffle(keys)
    return keys


def _sample(ctx, pool, k):
    return ctx.rng.sample(pool, min(len(pool), max(0, k)))


def plan_profiles(ctx, n):
    """One dict per customer with its segment and target class and flags."""
    profiles = [{"segment": s, "target": "C"} for s in quota(ctx, n, SEGMENTS)]
    big = [p for p in profiles if p["segment"] in BIG_SEGMENTS]
    for p in _sample(ctx, big, max(1, round(n * 0.10))):
        p["target"] = "A"
    b_count = max(1, round(n * 0.22))
    big_left = [p for p in big if p["target"] == "C"]
    b_big = _sample(ctx, big_left, round(b_count * 0.8))
    others = [p for p in profiles if p["segment"] == "medical"]
    for p in b_big + _sample(ctx, others, b_count - len(b_big)):
        p["target"] = "B"
    _plan_flags(ctx, n, profiles)
    return profiles


def _plan_flags(ctx, n, profiles):
    for p in profiles:
        p.update(dormant=False, new=False, prospect=False, dnd=False, strategic=False)
    c_class = [p for p in profiles if p["target"] == "C"]
    for p in _sample(ctx, c_class, round(n * 0.10)):
        p["dormant"] = True
    active_c = [p for p in c_class if not p["dormant"]]
    for p in _sample(ctx, active_c, round(n * 0.03)):
        p["prospect"] = True
    settled = [p for p in profiles if not (p["dormant"] or p["prospect"])]
    for p in _sample(ctx, settled, round(n * 0.15)):
        p["new"] = True
    for p in _sample(ctx, [p for p in profiles if p["target"] != "A"], max(1, round(n * 0.04))):
        p["dnd"] = True
    for p in _sample(ctx, [p for p in profiles if p["target"] == "B"], round(n * 0.02)):
        p["strategic"] = True


# --- identity ---------------------------------------------------------------

def _place(ctx):
    region, city, city_py, streets, _ = ctx.rng.choices(
        T.REGIONS, weights=[r[4] for r in T.REGIONS])[0]
    return region, city, city_py, f"{region}{ctx.pick(streets)}{ctx.rng.randint(1, 999)}号"


def _org_name(ctx, segment, city, region):
    brand, brand_py = ctx.pick(T.BRANDS)
    if segment == "manufacturing":
        suffix = "股份有限公司" if ctx.chance(0.2) else "有限公司"
        return f"{city}{brand}{ctx.pick(T.MANUFACTURING_KINDS)}{suffix}", "enterprise", brand_py
    if segment == "research":
        field = ctx.pick(T.RESEARCH_FIELDS)
        name = f"{city}市{field}研究所" if ctx.chance(0.5) else f"{region[:2]}{field}研究院"
        return name, "institution", None
    if segment == "testing":
        kind = ctx.pick(("检测技术有限公司", "计量校准服务有限公司", "检验检测认证有限公司"))
        return f"{city}{brand}{kind}", "enterprise", brand_py
    if ctx.chance(0.5):
        return f"{city}市{ctx.pick(T.HOSPITAL_ORDINALS)}人民医院", "institution", None
    return f"{city}{brand}医疗器械有限公司", "enterprise", brand_py


def _repair_shop_name(ctx, city, person):
    brand, brand_py = ctx.pick(T.BRANDS)
    roll = ctx.rng.random()
    if roll < 0.45:
        return f"{person}汽修店", None
    if roll < 0.75:
        return f"{city}{brand}汽车维修服务有限公司", brand_py
    return f"{brand}汽车快修中心{city}店", brand_py


def _email(ctx, domain_py, city_py, person_py):
    if domain_py:
        return f"{ctx.pick(('sales', 'info', 'caigou', 'service'))}@{domain_py}-{city_py}.com"
    if person_py:
        return f"{person_py}{ctx.rng.randint(1, 99)}@{ctx.pick(('163.com', '126.com'))}"
    return f"{ctx.rng.randint(10000000, 3999999999)}@qq.com"


def identity(ctx, segment):
    """Name, nature, industry, place and e-mail of one made-up customer."""
    region, city, city_py, address = _place(ctx)
    person, person_py = ctx.person()
    ident = {"region": region, "address": address, "person": None}
    if segment == "individual":
        ident.update(name=person, nature="individual", person=person,
                     industry="vehicle_repair" if ctx.chance(0.6) else "other",
                     address=address + f"{ctx.rng.randint(1, 30)}栋{ctx.rng.randint(1, 28)}0"
                                       f"{ctx.rng.randint(1, 4)}室",
                     email=_email(ctx, None, city_py, None))
    elif segment == "vehicle_repair":
        name, brand_py = _repair_shop_name(ctx, city, person)
        ident.update(name=name, nature="enterprise", industry="vehicle_repair",
                     person=person if name.startswith(person) else None,
                     email=_email(ctx, brand_py, city_py, person_py))
    else:
        name, nature, brand_py = _org_name(ctx, segment, city, region)
        ident.update(name=name, nature=nature, industry=segment,
                     email=_email(ctx, brand_py, city_py, None if brand_py else person_py))
    return ident


# --- sales ------------------------------------------------------------------

def _annual_target(ctx, p):
    if p["target"] == "A":
        return ctx.rng.randint(56, 150) * 100000
    if p["target"] == "B":
        return ctx.rng.randint(115, 420) * 10000
    if p["segment"] in ORG_SEGMENTS:
        return ctx.rng.randint(2, 85) * 10000
    if p["segment"] == "vehicle_repair":
        return ctx.rng.randint(5, 200) * 1000
    return ctx.rng.randint(8, 300) * 100


# Roughly the most units of one product a customer of the segment buys at once.
MAX_QUANTITY = {"vehicle_repair": 5, "individual": 4}
MAX_QUANTITY = {s: MAX_QUANTITY.get(s, 30) for s, _ in SEGMENTS}
SERVICES = ("CAL", "TRAIN")


def bought(c, until=None):
    """Names of the goods (not services) the customer bought, oldest first."""
    return [T.PRODUCTS[s["key"]][0].split("(")[0] for s in c["sales"]
            if s["key"] not in SERVICES and (until is None or s["sold_on"] <= until)]


def _sale_line(ctx, segment, share, day):
    keys = T.CATALOGUE[segment]
    fitting = [k for k in keys if T.PRODUCTS[k][1] * 4 <= share]
    if fitting:
        close = [k for k in fitting if T.PRODUCTS[k][1] * MAX_QUANTITY[segment] >= share]
        key = ctx.pick(close) if close else max(fitting, key=lambda k: T.PRODUCTS[k][1])
    else:
        key = min(keys, key=lambda k: T.PRODUCTS[k][1])
    unit = round(T.PRODUCTS[key][1] * ctx.rng.randint(88, 100) / 100)
    qty = max(1, round(share / unit))
    return {"key": key, "product": T.PRODUCTS[key][0], "unit": unit, "quantity": qty,
            "amount": qty * unit, "sold_on": day}


def _top_up(lines, floor):
    """Raise quantities until the year's total reaches the class floor."""
    while lines and sum(s["amount"] for s in lines) < floor:
        line = max(lines, key=lambda s: s["unit"])
        line["quantity"] += 1
        line["amount"] = line["quantity"] * line["unit"]


def _sale_days(ctx, p, count):
    if p["dormant"]:
        return [ctx.days_ago(190, 330) for _ in range(count)]
    return [ctx.days_ago(1, 170)] + [ctx.days_ago(1, 360) for _ in range(count - 1)]


def plan_sales(ctx, p):
    """The customer's sales over two years: the last 12 months make its class."""
    if p["prospect"]:
        return []
    target = _annual_target(ctx, p)
    recent = {"A": (3, 6), "B": (2, 5), "C": (1, 3)}[p["target"]]
    count = ctx.rng.randint(*recent)
    weights = [ctx.rng.uniform(0.5, 1.5) for _ in range(count)]
    days = _sale_days(ctx, p, count)
    lines = [_sale_line(ctx, p["segment"], target * w / sum(weights), d)
             for w, d in zip(weights, days)]
    _top_up(lines, {"A": CLASS_A_MIN, "B": CLASS_B_MIN}.get(p["target"], 0))
    older = 0 if p["new"] else ctx.rng.randint(1, min(3, 8 - count))
    share = target / count
    lines += [_sale_line(ctx, p["segment"], share * ctx.rng.uniform(0.5, 1.2),
                         ctx.days_ago(370, 725)) for _ in range(older)]
    return sorted(lines, key=lambda s: s["sold_on"])


def derive(ctx, customer):
    """Annual purchase, class, lifecycle and deal dates from the sales."""
    sales = customer["sales"]
    year_ago = ctx.today - timedelta(days=365)
    annual = sum(s["amount"] for s in sales if s["sold_on"] > year_ago)
    customer["annual"] = annual
    customer["cls"] = customer_class(annual)
    customer["first_deal"] = sales[0]["sold_on"] if sales else None
    customer["last_deal"] = sales[-1]["sold_on"] if sales else None
    if not sales:
        lifecycle = "new"
    elif customer["last_deal"] < months_ago(ctx.today, int(RULES["dormant_months"])):
        lifecycle = "dormant"
    elif customer["first_deal"] >= months_ago(ctx.today, int(RULES["new_months"])):
        lifecycle = "new"
    else:
        lifecycle = "stable"
    customer["lifecycle"] = lifecycle
    customer["is_key"] = customer["cls"] == "A" or customer["strategic"]


# --- the archive row --------------------------------------------------------

def _commercial_terms(ctx, c):
    cls, individual = c["cls"], c["nature"] == "individual"
    tiers = {"A": (("diamond", 6), ("platinum", 4)), "B": (("platinum", 4), ("gold", 6)),
             "C": (("gold", 2), ("regular", 8))}[cls]
    ratings = {"A": ("AAA", "AA"), "B": ("AA", "A"), "C": ("A", "B", "C")}[cls]
    limits = {"A": (2000000, 3000000), "B": (500000, 800000), "C": (50000, 100000, 200000)}[cls]
    channel = "onsite" if cls == "A" else ctx.weighted(
        (("phone", 5), ("messaging", 2), ("email", 1.5), ("video", 1.5)))
    return {
        "tier": "regular" if individual else ctx.weighted(tiers),
        "credit_rating": None if individual else ctx.pick(ratings),
        "credit_limit": None if individual else Decimal(ctx.pick(limits)),
        "payment_terms": "现结" if individual else ctx.pick(T.PAYMENT_TERMS),
        "preferred_channel": channel,
        "notes": ctx.pick(T.CUSTOMER_NOTES) if ctx.chance(0.3) else None,
    }


def _customer_row(ctx, c):
    row = {
        "code": c["code"], "name": c["name"], "nature": c["nature"],
        "industry": c["industry"], "region": c["region"], "address": c["address"],
        "phone": ctx.mobile(), "email": c["email"], "owner": c["owner"],
        "first_deal_on": c["first_deal"], "last_deal_on": c["last_deal"],
        "annual_purchase": Decimal(c["annual"]), "customer_class": c["cls"],
        "class_locked": False, "is_key": c["is_key"], "is_strategic": c["strategic"],
        "lifecycle": c["lifecycle"], "at_risk": False, "do_not_disturb": c["dnd"],
    }
    row.update(_commercial_terms(ctx, c))
    created = c["first_deal"] or ctx.days_ago(20, 400)
    return ctx.stamped(row, created, ctx.at(c["last_deal"] or created))


def _unique_identity(ctx, segment, used):
    for _ in range(20):
        ident = identity(ctx, segment)
        if ident["name"] not in used:
            break
    else:
        ident["name"] += f"(第{len(used)}分部)"
    used.add(ident["name"])
    return ident


def seed_customers(ctx, n):
    specialists = [ctx.users["zhangmin"], ctx.users["liuyang"]]
    used = set()
    for i, p in enumerate(plan_profiles(ctx, n), start=1):
        c = dict(p, code=f"C{i:06d}", owner=ctx.pick(specialists))
        c.update(_unique_identity(ctx, p["segment"], used))
        c["sales"] = plan_sales(ctx, p)
        derive(ctx, c)
        ctx.customers.append(c)
    bulk_insert(M.Customer, [_customer_row(ctx, c) for c in ctx.customers])
    ids = dict(M.Customer.select(M.Customer.code, M.Customer.id).tuples())
    for c in ctx.customers:
        c["id"] = ids[c["code"]]


# --- contacts ----------------------------------------------------------------

def _contact_departments(ctx, c):
    if c["nature"] == "individual":
        return ["other"]
    if c["person"]:  # a shop named after its owner
        return ["management"] + (["technical"] if ctx.chance(0.5) else [])
    pool = ["purchasing", "technical", "quality", "production", "management"]
    first = ctx.pick(("purchasing", "technical"))
    pool.remove(first)
    return [first] + ctx.rng.sample(pool, ctx.rng.randint(0, 2))


def _position(ctx, c, dept):
    if c["person"] and dept == "management":
        return "店主"
    if c["segment"] == "medical" and c["nature"] == "institution":
        return {"management": "设备科科长", "technical": "医学工程师"}.get(
            dept, ctx.pick(T.CONTACT_POSITIONS[dept]))
    if c["segment"] == "vehicle_repair" and dept == "technical":
        return "维修技师"
    return ctx.pick(T.CONTACT_POSITIONS[dept])


def _contact(ctx, c, dept, first, taken):
    name, name_py = ctx.person()
    if first and c["person"]:
        name = c["person"]
    while name in taken:
        name, name_py = ctx.person()
    taken.append(name)
    position = None if c["nature"] == "individual" else _position(ctx, c, dept)
    domain = c["email"].split("@")[1] if c["nature"] != "individual" else "163.com"
    birthday = date(ctx.rng.randint(1962, 1998), ctx.rng.randint(1, 12), ctx.rng.randint(1, 28))
    decision = dept == "management" or c["nature"] == "individual" or (
        position is not None and "经理" in position and dept == "purchasing")
    return {"name": name, "position": position, "department": dept, "phone": ctx.mobile(),
            "email": f"{name_py}@{domain}", "birthday": birthday,
            "is_decision_maker": decision, "is_primary": first}


def seed_contacts(ctx):
    rows = []
    for c in ctx.customers:
        taken = []
        c["contacts"] = [_contact(ctx, c, dept, i == 0, taken)
                         for i, dept in enumerate(_contact_departments(ctx, c))]
        for contact in c["contacts"]:
            rows.append(ctx.stamped(dict(contact, customer=c["id"]),
                                    c["first_deal"] or ctx.days_ago(20, 400)))
    bulk_insert(M.Contact, rows)
    ids = {(cid, name): pk for pk, cid, name in
           M.Contact.select(M.Contact.id, M.Contact.customer, M.Contact.name).tuples()}
    for c in ctx.customers:
        for contact in c["contacts"]:
            contact["id"] = ids[(c["id"], contact["name"])]


# --- equipment and sales -----------------------------------------------------

def seed_equipment(ctx):
    rows, serial = [], 0
    for c in ctx.customers:
        tracked = [s for s in c["sales"] if T.PRODUCTS[s["key"]][2]]
        c["equipment"] = []
        for sale in ctx.rng.sample(tracked, min(len(tracked), ctx.rng.randint(0, 3))):
            serial += 1
            years = 2 if c["cls"] == "A" else 1
            eq = {"_key": sale["key"], "model_name": sale["product"].split("(")[0],
                  "serial_no": f"{T.PRODUCTS[sale['key']][2]}-{sale['sold_on']:%y}{serial:05d}",
                  "purchased_on": sale["sold_on"],
                  "warranty_until": sale["sold_on"] + timedelta(days=365 * years)}
            c["equipment"].append(eq)
            rows.append(ctx.stamped(dict(eq, customer=c["id"]), sale["sold_on"]))
    bulk_insert(M.Equipment, rows)
    ids = dict(M.Equipment.select(M.Equipment.serial_no, M.Equipment.id).tuples())
    for c in ctx.customers:
        for eq in c["equipment"]:
            eq["id"] = ids[eq["serial_no"]]


def _originating_visit(ctx, c, sale):
    """A visit 3-45 days before the sale, for about 40% of last year's sales."""
    if sale["sold_on"] <= ctx.today - timedelta(days=365) or not ctx.chance(0.4):
        return None
    before = [v for v in c.get("visits", ())
              if 3 <= (sale["sold_on"] - v["day"]).days <= 45]
    return before[-1]["id"] if before else None


def seed_sales(ctx):
    """Inserted after the visits so a sale can name the visit that produced it."""
    rows = []
    for c in ctx.customers:
        for s in c["sales"]:
            rows.append(ctx.stamped({
                "customer": c["id"], "sold_on": s["sold_on"], "product": s["product"],
                "quantity": s["quantity"], "amount": Decimal(s["amount"]),
                "visit": _originating_visit(ctx, c, s)}, ctx.at(s["sold_on"])))
    bulk_insert(M.Sale, rows)
