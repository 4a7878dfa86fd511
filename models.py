"""The registers of SPEC.md as Peewee models.

Models are bound to ``db``, a proxy the app factory (or a CLI/test) points at
SQLite or MySQL. No model reads Flask state. Foreign keys keep the database's
default RESTRICT: history is never deleted by cascade.
"""
from peewee import (
    BooleanField, CharField, DatabaseProxy, DateField, DateTimeField,
    DecimalField, DeferredForeignKey, ForeignKeyField, IntegerField, Model, SmallIntegerField,
    SQL, TextField,
)

from domain import choices as C
from domain.clock import now
from domain.i18n import N_

db = DatabaseProxy()


def Money(verbose_name, **kw):
    kw.setdefault("null", True)
    return DecimalField(max_digits=14, decimal_places=2, auto_round=True,
                        verbose_name=verbose_name, **kw)


def Choice(choices, verbose_name, max_length=20, **kw):
    return CharField(max_length=max_length, choices=choices,
                     verbose_name=verbose_name, **kw)


def Score(verbose_name, **kw):
    kw.setdefault("null", True)
    return SmallIntegerField(choices=C.SCORE, verbose_name=verbose_name, **kw)


class BaseModel(Model):
    created_at = DateTimeField(default=now, verbose_name=N_("Created at"))
    updated_at = DateTimeField(default=now, verbose_name=N_("Updated at"))
    # Raised by every save (services.versions): a save made from an older copy
    # is refused instead of overwriting what someone else saved meanwhile.
    version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")], verbose_name=N_("Version"))

    class Meta:
        database = db
        legacy_table_names = False

    def save(self, force_insert=False, only=None):
        """Insert, or update only if the row still has the version this copy
        was read with (the check is in the UPDATE itself: no extra query, and
        two saves of one version cannot both pass, whichever process makes
        them). Raises StaleRecord when it had moved on."""
        self.updated_at = now()
        if force_insert or self._pk is None:
            return super().save(force_insert=force_insert, only=only)
        expected = self.version
        if only is not None:
            only = [*only, type(self).version, type(self).updated_at]
        self.version = (expected or 0) + 1
        self._expected_version = expected
        try:
            rows = super().save(only=only)
        except Exception:
            self.version = expected
            raise
        finally:
            self._expected_version = None
        if not rows:
            self.version = expected
            raise StaleRecord(self)
        return rows

    def _pk_expr(self):
        expr = super()._pk_expr()
        expected = getattr(self, "_expected_version", None)
        return expr if expected is None else expr & (type(self).version == expected)


class StaleRecord(Exception):
    """A save from a copy older than the stored row: someone saved in between."""

    def __init__(self, record):
        super().__init__(f"{type(record).__name__} {record._pk} changed since it was read")
        self.record = record


class User(BaseModel):
    username = CharField(max_length=64, unique=True, verbose_name=N_("Username"))
    name = CharField(max_length=64, verbose_name=N_("Name"))
    department = Choice(C.DEPARTMENTS, N_("Department"), null=True, index=True)
    role = Choice(C.ROLES, N_("Role"), index=True)
    active = BooleanField(default=True, verbose_name=N_("Active"))
    password_hash = CharField(max_length=255, verbose_name=N_("Password"))
    locale = CharField(max_length=10, null=True, verbose_name=N_("Language"))
    # Part of the session token (get_id): raising it (logout, new password,
    # deactivation, new role) ends every session of the user at once.
    session_version = IntegerField(default=1, constraints=[SQL("DEFAULT 1")],
                                   verbose_name=N_("Session version"))
    must_change_password = BooleanField(default=False, constraints=[SQL("DEFAULT 0")],
                                        verbose_name=N_("Must choose a new password"))

    # What Flask-Login expects of a user, without importing it here.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_version}"

    def __str__(self):
        return self.name or self.username


class Customer(BaseModel):
    code = CharField(max_length=20, unique=True, verbose_name=N_("Code"))
    name = CharField(max_length=128, index=True, verbose_name=N_("Name"))
    nature = Choice(C.CUSTOMER_NATURE, N_("Nature"), default="enterprise")
    industry = Choice(C.INDUSTRIES, N_("Industry"), default="other", index=True)
    region = CharField(max_length=64, null=True, index=True, verbose_name=N_("Region"))
    address = CharField(max_length=255, null=True, verbose_name=N_("Address"))
    phone = CharField(max_length=40, null=True, verbose_name=N_("Phone"))
    email = CharField(max_length=128, null=True, verbose_name=N_("Email"))
    owner = ForeignKeyField(User, null=True, backref="customers", verbose_name=N_("Responsible person"))
    first_deal_on = DateField(null=True, verbose_name=N_("First deal date"))
    last_deal_on = DateField(null=True, index=True, verbose_name=N_("Last deal date"))
    annual_purchase = Money(N_("Annual purchase amount"), default=0, null=False)
    customer_class = Choice(C.CUSTOMER_CLASS, N_("Class"), max_length=1, default="C", index=True)
    class_locked = BooleanField(default=False, verbose_name=N_("Class override locked"))
    is_key = BooleanField(default=False, index=True, verbose_name=N_("Key customer"))
    is_strategic = BooleanField(default=False, verbose_name=N_("Strategic (manager)"))
    tier = Choice(C.TIERS, N_("Tier"), default="regular")
    lifecycle = Choice(C.LIFECYCLE, N_("Lifecycle"), default="new", index=True)
    at_risk = BooleanField(default=False, index=True, verbose_name=N_("At risk"))
    credit_rating = Choice(C.CREDIT_RATINGS, N_("Credit rating"), max_length=4, null=True)
    credit_limit = Money(N_("Credit limit"))
    payment_terms = CharField(max_length=64, null=True, verbose_name=N_("Payment terms"))
    preferred_channel = Choice(C.CHANNELS, N_("Preferred channel"), null=True)
    do_not_disturb = BooleanField(default=False, verbose_name=N_("Do not disturb"))
    notes = TextField(null=True, verbose_name=N_("Notes"))

    def __str__(self):
        return f"{self.name} ({self.code})"


class Contact(BaseModel):
    customer = ForeignKeyField(Customer, backref="contacts", verbose_name=N_("Customer"))
    name = CharField(max_length=64, index=True, verbose_name=N_("Name"))
    position = CharField(max_length=64, null=True, verbose_name=N_("Position"))
    department = Choice(C.CONTACT_DEPARTMENTS, N_("Department"), null=True)
    phone = CharField(max_length=40, null=True, verbose_name=N_("Phone"))
    email = CharField(max_length=128, null=True, verbose_name=N_("Email"))
    birthday = DateField(null=True, verbose_name=N_("Birthday"))
    is_decision_maker = BooleanField(default=False, verbose_name=N_("Decision maker"))
    is_primary = BooleanField(default=False, verbose_name=N_("Primary contact"))

    def __str__(self):
        return self.name


class VisitPlan(BaseModel):
    name = CharField(max_length=128, verbose_name=N_("Name"))
    kind = Choice(C.PLAN_KIND, N_("Kind"), index=True)
    period_start = DateField(index=True, verbose_name=N_("Period start"))
    period_end = DateField(verbose_name=N_("Period end"))
    status = Choice(C.PLAN_STATUS, N_("Status"), default="draft", index=True)
    created_by = ForeignKeyField(User, null=True, backref="plans_created", verbose_name=N_("Created by"))
    approved_by = ForeignKeyField(User, null=True, backref="plans_approved", verbose_name=N_("Approved by"))
    approved_at = DateTimeField(null=True, verbose_name=N_("Approved at"))

    def __str__(self):
        return self.name


class PlannedVisit(BaseModel):
    plan = ForeignKeyField(VisitPlan, backref="items", verbose_name=N_("Plan"))
    customer = ForeignKeyField(Customer, backref="planned_visits", verbose_name=N_("Customer"))
    due_on = DateField(index=True, verbose_name=N_("Due date"))
    channel = Choice(C.CHANNELS, N_("Channel"), default="phone")
    focus = Choice(C.VISIT_FOCUS, N_("Focus"), null=True)
    assignee = ForeignKeyField(User, null=True, backref="planned_visits", verbose_name=N_("Assignee"))
    status = Choice(C.PLANNED_VISIT_STATUS, N_("Status"), default="planned", index=True)
    # Circular with Visit.planned_visit; resolved once Visit is declared.
    visit = DeferredForeignKey("Visit", null=True, backref="fulfils",
                               verbose_name=N_("Visit record"))
    # Which occurrence of the period a generated item is (1..n); None for an
    # ad hoc visit. Regeneration matches items by it, so hand-edited due
    # dates, assignees and channels survive.
    slot = SmallIntegerField(null=True, verbose_name=N_("Window (start month)"))
    reason = TextField(null=True, verbose_name=N_("Reason"))
    # 上门回访需提前预约时间及对接人 (000 §11): the appointment of an onsite visit.
    appointment_at = DateTimeField(null=True, verbose_name=N_("Appointment"))
    appointment_contact = CharField(max_length=64, null=True,
                                    verbose_name=N_("Contact person for the appointment"))

    class Meta:
        indexes = ((("plan", "customer", "slot"), True),
                   (("assignee", "due_on"), False))

    def __str__(self):
        return f"{self.due_on} {self.customer.name}"


class Visit(BaseModel):
    customer = ForeignKeyField(Customer, backref="visits", verbose_name=N_("Customer"))
    planned_visit = ForeignKeyField(PlannedVisit, null=True, backref="visits", verbose_name=N_("Planned visit"))
    visited_at = DateTimeField(default=now, index=True, verbose_name=N_("Visited at"))
    channel = Choice(C.CHANNELS, N_("Channel"), default="phone")
    staff = ForeignKeyField(User, null=True, backref="visits", verbose_name=N_("Staff"))
    contact_person = CharField(max_length=64, null=True, verbose_name=N_("Contact person"))
    purpose = CharField(max_length=255, null=True, verbose_name=N_("Purpose"))
    feedback_stability = TextField(null=True, verbose_name=N_("Product stability"))
    feedback_accuracy = TextField(null=True, verbose_name=N_("Product accuracy"))
    feedback_delivery = TextField(null=True, verbose_name=N_("Delivery time"))
    feedback_after_sales = TextField(null=True, verbose_name=N_("After-sales response"))
    suggestion_price = TextField(null=True, verbose_name=N_("Price suggestions"))
    suggestion_support = TextField(null=True, verbose_name=N_("Technical support suggestions"))
    satisfaction = Score(N_("Satisfaction"))
    new_demands = TextField(null=True, verbose_name=N_("New demands"))
    follow_up_needed = BooleanField(default=False, verbose_name=N_("Follow-up needed"))
    # Entered later than the rule allows after the visit (visit_record_entry_working_days).
    entered_late = BooleanField(default=False, index=True, verbose_name=N_("Entered late"))

    def __str__(self):
        return f"{self.visited_at:%Y-%m-%d} {self.customer.name}"


class Sale(BaseModel):
    customer = ForeignKeyField(Customer, backref="sales", verbose_name=N_("Customer"))
    sold_on = DateField(index=True, verbose_name=N_("Date"))
    product = CharField(max_length=128, verbose_name=N_("Product / model"))
    quantity = IntegerField(default=1, verbose_name=N_("Quantity"))
    amount = Money(N_("Amount"), null=False)
    visit = ForeignKeyField(Visit, null=True, backref="sales", verbose_name=N_("Originating visit"))

    def __str__(self):
        return f"{self.product} {self.sold_on}"


class Equipment(BaseModel):
    customer = ForeignKeyField(Customer, backref="equipment", verbose_name=N_("Customer"))
    model_name = CharField(max_length=128, verbose_name=N_("Product model"))
    serial_no = CharField(max_length=64, index=True, verbose_name=N_("Serial / plate number"))
    purchased_on = DateField(null=True, verbose_name=N_("Purchased on"))
    warranty_until = DateField(null=True, verbose_name=N_("Warranty until"))

    def __str__(self):
        return f"{self.model_name} {self.serial_no}"


class RepairOrder(BaseModel):
    number = CharField(max_length=32, unique=True, verbose_name=N_("Number"))
    customer = ForeignKeyField(Customer, backref="repair_orders", verbose_name=N_("Customer"))
    equipment = ForeignKeyField(Equipment, null=True, backref="repair_orders", verbose_name=N_("Equipment"))
    received_at = DateTimeField(default=now, index=True, verbose_name=N_("Received at"))
    fault = TextField(verbose_name=N_("Fault description"))
    under_warranty = BooleanField(default=False, verbose_name=N_("Under warranty"))
    technician = ForeignKeyField(User, null=True, backref="repairs", verbose_name=N_("Technician"))
    diagnosis = TextField(null=True, verbose_name=N_("Diagnosis"))
    parts = TextField(null=True, verbose_name=N_("Parts"))
    labour = Money(N_("Labour"))
    cost = Money(N_("Cost"))
    status = Choice(C.REPAIR_STATUS, N_("Status"), default="received", index=True)
    completed_at = DateTimeField(null=True, verbose_name=N_("Completed at"))
    customer_signoff = CharField(max_length=64, null=True, verbose_name=N_("Customer sign-off"))
    feedback_score = Score(N_("Customer feedback score"))

    def __str__(self):
        return self.number


class VisitIssue(BaseModel):
    visit = ForeignKeyField(Visit, null=True, backref="issues", verbose_name=N_("Visit"))
    customer = ForeignKeyField(Customer, backref="visit_issues", verbose_name=N_("Customer"))
    description = TextField(verbose_name=N_("Description"))
    category = Choice(C.ISSUE_CATEGORY, N_("Category"), default="other", index=True)
    level = Choice(C.ISSUE_LEVEL, N_("Level"), default="general", index=True)
    department = Choice(C.DEPARTMENTS, N_("Responsible department"), null=True, index=True)
    assignee = ForeignKeyField(User, null=True, backref="visit_issues", verbose_name=N_("Assignee"))
    raised_at = DateTimeField(default=now, index=True, verbose_name=N_("Raised at"))
    dispatch_due = DateTimeField(null=True, verbose_name=N_("Dispatch deadline"))
    response_due = DateTimeField(null=True, verbose_name=N_("Response deadline"))
    resolve_due = DateTimeField(null=True, index=True, verbose_name=N_("Resolution deadline"))
    is_complex = BooleanField(default=False, verbose_name=N_("Complex"))
    level_reason = TextField(null=True, verbose_name=N_("Reason for the level change"))
    dispatched_at = DateTimeField(null=True, verbose_name=N_("Dispatched at"))
    responded_at = DateTimeField(null=True, verbose_name=N_("Responded at"))
    solution = TextField(null=True, verbose_name=N_("Solution"))
    resolved_at = DateTimeField(null=True, verbose_name=N_("Resolved at"))
    confirmed_at = DateTimeField(null=True, verbose_name=N_("Customer confirmed at"))
    customer_evaluation = Score(N_("Customer's evaluation"))
    next_follow_up_on = DateField(null=True, index=True, verbose_name=N_("Next follow-up date"))
    status = Choice(C.ISSUE_STATUS, N_("Status"), default="open", index=True)
    escalation_level = SmallIntegerField(default=0, verbose_name=N_("Escalation level"))
    escalated_at = DateTimeField(null=True, verbose_name=N_("Escalated at"))
    escalation_reason = TextField(null=True, verbose_name=N_("Escalation reason"))
    # Bit per deadline the SLA sweep has already escalated (domain/escalation.py).
    sla_missed = SmallIntegerField(default=0, constraints=[SQL("DEFAULT 0")],
                                    verbose_name=N_("Missed deadlines"))

    def __str__(self):
        return f"#{self.id} {self.description[:30]}"


class Complaint(BaseModel):
    number = CharField(max_length=20, unique=True, verbose_name=N_("Number"))
    customer = ForeignKeyField(Customer, backref="complaints", verbose_name=N_("Customer"))
    complainant = CharField(max_length=64, null=True, verbose_name=N_("Complainant"))
    complainant_phone = CharField(max_length=40, null=True,
                                  verbose_name=N_("Complainant's phone"))
    # 投诉对象: what or whom the complaint is about (domain.complaints.TARGET_FIELDS).
    target_kind = Choice(C.COMPLAINT_TARGETS, N_("Complaint target"), null=True)
    target_equipment = ForeignKeyField(Equipment, null=True, backref="complaints",
                                       verbose_name=N_("Target equipment"))
    target_staff = ForeignKeyField(User, null=True, backref="complaints_about",
                                   verbose_name=N_("Target staff member"))
    target_department = Choice(C.DEPARTMENTS, N_("Target department"), null=True)
    received_at = DateTimeField(default=now, index=True, verbose_name=N_("Received at"))
    channel = Choice(C.COMPLAINT_CHANNELS, N_("Channel"), default="phone")
    category = Choice(C.COMPLAINT_CATEGORY, N_("Category"), index=True)
    description = TextField(verbose_name=N_("Description"))
    severity = Choice(C.SEVERITY, N_("Severity"), default="medium")
    department = Choice(C.DEPARTMENTS, N_("Responsible department"), null=True, index=True)
    handler = ForeignKeyField(User, null=True, backref="complaints", verbose_name=N_("Handler"))
    status = Choice(C.COMPLAINT_STATUS, N_("Status"), default="received", index=True)
    contact_due = DateTimeField(null=True, verbose_name=N_("Contact deadline"))
    response_due = DateTimeField(null=True, verbose_name=N_("Response deadline"))
    plan_due = DateTimeField(null=True, verbose_name=N_("Handling plan deadline"))
    close_due = DateTimeField(null=True, index=True, verbose_name=N_("Closing deadline"))
    # 承诺处理期限: told to the customer; missing it escalates like the other deadlines.
    promised_due = DateTimeField(null=True, verbose_name=N_("Promised to the customer by"))
    contacted_at = DateTimeField(null=True, verbose_name=N_("Contacted at"))
    responded_at = DateTimeField(null=True, verbose_name=N_("Responded at"))
    planned_at = DateTimeField(null=True, verbose_name=N_("Handling plan at"))
    closed_at = DateTimeField(null=True, verbose_name=N_("Closed at"))
    root_cause_category = Choice(C.ROOT_CAUSE_CATEGORY, N_("Root-cause category"), null=True)
    root_cause = TextField(null=True, verbose_name=N_("Root cause"))
    responsibility = CharField(max_length=128, null=True, verbose_name=N_("Responsibility"))
    solution = TextField(null=True, verbose_name=N_("Solution"))
    compensation = CharField(max_length=255, null=True, verbose_name=N_("Compensation"))
    customer_satisfied = BooleanField(null=True, verbose_name=N_("Customer satisfied"))
    customer_score = Score(N_("Customer score"))
    escalation_level = SmallIntegerField(default=0, verbose_name=N_("Escalation level"))
    escalated_at = DateTimeField(null=True, verbose_name=N_("Escalated at"))
    escalation_reason = TextField(null=True, verbose_name=N_("Escalation reason"))
    sla_missed = SmallIntegerField(default=0, constraints=[SQL("DEFAULT 0")],
                                    verbose_name=N_("Missed deadlines"))
    reopen_count = SmallIntegerField(default=0, constraints=[SQL("DEFAULT 0")],
                                      verbose_name=N_("Times reopened"))
    # The next recurrence check of a closed complaint (tracking, rule complaint_recheck_days).
    recheck_on = DateField(null=True, index=True, verbose_name=N_("Recurrence check due"))

    def __str__(self):
        return self.number


class ComplaintFollowUp(BaseModel):
    complaint = ForeignKeyField(Complaint, backref="follow_ups", verbose_name=N_("Complaint"))
    at = DateTimeField(default=now, index=True, verbose_name=N_("At"))
    by = ForeignKeyField(User, null=True, backref="complaint_follow_ups", verbose_name=N_("By"))
    step = Choice(C.COMPLAINT_STEPS, N_("Step"), null=True)
    action = TextField(verbose_name=N_("Measure taken"))
    result = TextField(null=True, verbose_name=N_("Result"))
    next_step = TextField(null=True, verbose_name=N_("Next step"))
    # The customer's verdict when the step asked for it (close, satisfied or not).
    customer_satisfied = BooleanField(null=True, verbose_name=N_("Customer satisfied"))
    customer_score = Score(N_("Customer score"))

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"


class CorrectiveAction(BaseModel):
    number = CharField(max_length=20, unique=True, verbose_name=N_("Number"))
    source = Choice(C.CAPA_SOURCE, N_("Source"), default="internal")
    source_ref = CharField(max_length=64, null=True, verbose_name=N_("Source reference"))
    problem = TextField(verbose_name=N_("Problem"))
    root_cause = TextField(null=True, verbose_name=N_("Root cause"))
    action_type = Choice(C.CAPA_TYPE, N_("Type"), default="corrective")
    action = TextField(null=True, verbose_name=N_("Measures"))
    department = Choice(C.DEPARTMENTS, N_("Department"), null=True, index=True)
    owner = ForeignKeyField(User, null=True, backref="corrective_actions", verbose_name=N_("Responsible person"))
    due_on = DateField(null=True, index=True, verbose_name=N_("Due date"))
    status = Choice(C.CAPA_STATUS, N_("Status"), default="open", index=True)
    verification_notes = TextField(null=True, verbose_name=N_("Verification notes"))
    verified_by = ForeignKeyField(User, null=True, backref="verified_actions", verbose_name=N_("Verified by"))
    verified_at = DateTimeField(null=True, verbose_name=N_("Verified at"))

    def __str__(self):
        return self.number


class SatisfactionSurvey(BaseModel):
    customer = ForeignKeyField(Customer, backref="surveys", verbose_name=N_("Customer"))
    period = CharField(max_length=10, index=True, verbose_name=N_("Period"))
    respondent_department = CharField(max_length=64, null=True, verbose_name=N_("Respondent department"))
    method = Choice(C.SURVEY_METHOD, N_("Method"), default="email")
    sent_at = DateTimeField(null=True, verbose_name=N_("Sent at"))
    returned_at = DateTimeField(null=True, verbose_name=N_("Returned at"))
    score_design = Score(N_("Design"))
    score_quality = Score(N_("Product quality"))
    score_delivery = Score(N_("Delivery"))
    score_service = Score(N_("Service & communication"))
    score_price = Score(N_("Price"))
    score_competitors = Score(N_("Compared with competitors"))
    overall = DecimalField(max_digits=3, decimal_places=2, null=True, verbose_name=N_("Overall"))
    expectations = TextField(null=True, verbose_name=N_("Expectations"))
    complaints = TextField(null=True, verbose_name=N_("Complaints"))
    # Planned by domain/surveys.py for the period (004 §5.1), then sent and returned.
    status = Choice(C.SURVEY_STATUS, N_("Status"), default="planned", index=True)
    plan_reason = Choice(C.SURVEY_PLAN_REASON, N_("Planned because"), null=True)

    SCORE_FIELDS = ("score_design", "score_quality", "score_delivery",
                    "score_service", "score_price", "score_competitors")

    def __str__(self):
        return f"{self.period} #{self.id}"


class CareEvent(BaseModel):
    customer = ForeignKeyField(Customer, backref="care_events", verbose_name=N_("Customer"))
    contact = ForeignKeyField(Contact, null=True, backref="care_events", verbose_name=N_("Contact"))
    kind = Choice(C.CARE_KIND, N_("Kind"))
    scheduled_for = DateField(index=True, verbose_name=N_("Scheduled for"))
    done_at = DateTimeField(null=True, verbose_name=N_("Done at"))
    channel = Choice(C.CHANNELS, N_("Channel"), null=True)
    notes = TextField(null=True, verbose_name=N_("Notes"))

    def __str__(self):
        return f"{self.kind} {self.scheduled_for}"


class Interaction(BaseModel):
    customer = ForeignKeyField(Customer, backref="interactions", verbose_name=N_("Customer"))
    at = DateTimeField(default=now, index=True, verbose_name=N_("At"))
    direction = Choice(C.DIRECTION, N_("Direction"), default="inbound")
    channel = Choice(C.CHANNELS, N_("Channel"), default="phone")
    staff = ForeignKeyField(User, null=True, backref="interactions", verbose_name=N_("Staff"))
    summary = TextField(verbose_name=N_("Summary"))
    complaint = ForeignKeyField(Complaint, null=True, backref="interactions", verbose_name=N_("Complaint"))
    visit = ForeignKeyField(Visit, null=True, backref="interactions", verbose_name=N_("Visit"))

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"


class Demand(BaseModel):
    customer = ForeignKeyField(Customer, backref="demands", verbose_name=N_("Customer"))
    raised_on = DateField(index=True, verbose_name=N_("Raised on"))
    source = Choice(C.DEMAND_SOURCE, N_("Source"), default="visit")
    kind = Choice(C.DEMAND_KIND, N_("Kind"))
    description = TextField(verbose_name=N_("Description"))
    forwarded_to = Choice(C.DEMAND_FORWARD, N_("Forwarded to"), null=True)
    status = Choice(C.DEMAND_STATUS, N_("Status"), default="new", index=True)
    expected_value = Money(N_("Expected value"))

    def __str__(self):
        return self.description[:40]


class Rule(BaseModel):
    key = CharField(max_length=64, unique=True, verbose_name=N_("Key"))
    value = CharField(max_length=64, verbose_name=N_("Value"))
    unit = Choice(C.RULE_UNITS, N_("Unit"))
    description = CharField(max_length=255, null=True, verbose_name=N_("Description"))

    def __str__(self):
        return self.key


class Holiday(BaseModel):
    day = DateField(unique=True, verbose_name=N_("Date"))
    name = CharField(max_length=64, verbose_name=N_("Name"))
    is_working_day = BooleanField(default=False, verbose_name=N_("Make-up working day"))

    def __str__(self):
        return f"{self.day} {self.name}"


class AuditLog(Model):
    """Append-only; no updated_at because a row is never changed."""
    at = DateTimeField(default=now, index=True, verbose_name=N_("At"))
    user = ForeignKeyField(User, null=True, backref="audit_entries", verbose_name=N_("User"))
    action = Choice(C.AUDIT_ACTIONS, N_("Action"), index=True)
    register = CharField(max_length=40, index=True, verbose_name=N_("Register"))
    record_id = CharField(max_length=40, null=True, verbose_name=N_("Record"))
    changes = TextField(null=True, verbose_name=N_("Changes"))
    ip = CharField(max_length=45, null=True, verbose_name=N_("IP"))

    class Meta:
        database = db
        table_name = "audit_log"
        # A record's history (conflict messages, restores) without a scan.
        indexes = ((("register", "record_id"), False),)

    def __str__(self):
        return f"{self.action} {self.register}#{self.record_id}"


class Escalation(Model):
    """Append-only log of escalations: the SLA sweep's (``deadline`` names the
    missed deadline; unique per record, so a miss escalates once) and a
    manager's (``deadline`` empty, ``by`` and ``reason`` given)."""
    register = CharField(max_length=40, verbose_name=N_("Register"))
    record_id = IntegerField(verbose_name=N_("Record"))
    level = SmallIntegerField(verbose_name=N_("Escalation level"))
    at = DateTimeField(default=now, index=True, verbose_name=N_("At"))
    by = ForeignKeyField(User, null=True, backref="escalations", verbose_name=N_("By"))
    deadline = CharField(max_length=20, null=True, verbose_name=N_("Missed deadline"))
    due = DateTimeField(null=True, verbose_name=N_("Was due"))
    reason = TextField(null=True, verbose_name=N_("Escalation reason"))

    class Meta:
        database = db
        table_name = "escalation"
        # With ``due``: a deadline that falls due again (a new handling plan,
        # the next follow-up) is logged again; the same miss never twice.
        indexes = ((("register", "record_id", "deadline", "due"), True),)


class NumberSequence(Model):
    """The last number handed out per prefix (TS-2026-, CA-2026-, C): bumped in
    the transaction that saves the record, so numbers have no gaps and two
    clerks saving at once queue on the row instead of colliding."""
    name = CharField(max_length=32, primary_key=True)
    value = IntegerField(default=0)

    class Meta:
        database = db
        table_name = "number_sequence"


class JobRun(Model):
    """When a background job (the SLA sweep) last ran and what it did."""
    name = CharField(max_length=32, primary_key=True)
    started_at = DateTimeField(null=True)
    finished_at = DateTimeField(null=True)
    result = TextField(null=True)

    class Meta:
        database = db
        table_name = "job_run"


class LoginFailure(Model):
    """One failed login, counted by name and by address within the lockout
    window (services.login_guard); rows older than the window are pruned."""
    at = DateTimeField(default=now)
    username = CharField(max_length=64)
    ip = CharField(max_length=45, null=True)

    class Meta:
        database = db
        table_name = "login_failure"
        indexes = ((("username", "at"), False), (("ip", "at"), False), (("at",), False))


class LoginLock(Model):
    """A name ("user:…") or an address ("ip:…") refused until ``until``."""
    key = CharField(max_length=120, primary_key=True)
    until = DateTimeField()

    class Meta:
        database = db
        table_name = "login_lock"



class ImportMapping(Model):
    """What a user said an unknown column of an import holds (``field``; ""
    to leave it out), per register and header: offered again next time."""
    user = ForeignKeyField(User, backref="import_mappings", verbose_name=N_("User"))
    register = CharField(max_length=40, verbose_name=N_("Register"))
    header = CharField(max_length=190, verbose_name=N_("Column in the file"))
    field = CharField(max_length=64, verbose_name=N_("Field"))
    updated_at = DateTimeField(default=now, verbose_name=N_("Updated at"))

    class Meta:
        database = db
        table_name = "import_mapping"
        indexes = ((("user", "register", "header"), True),)


class VisitIssueFollowUp(BaseModel):
    """The follow-up log of a visit problem (回访问题跟踪): one line per step,
    like a complaint's follow-ups (domain.issues)."""
    issue = ForeignKeyField(VisitIssue, backref="follow_ups", verbose_name=N_("Visit problem"))
    at = DateTimeField(default=now, index=True, verbose_name=N_("At"))
    by = ForeignKeyField(User, null=True, backref="issue_follow_ups", verbose_name=N_("By"))
    step = Choice(C.ISSUE_STEPS, N_("Step"), null=True)
    action = TextField(verbose_name=N_("Measure taken"))
    result = TextField(null=True, verbose_name=N_("Result"))
    next_step = TextField(null=True, verbose_name=N_("Next step"))

    class Meta:
        table_name = "visit_issue_follow_up"

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"


class AdhocRequest(BaseModel):
    """A request for an ad hoc visit (临时回访需求), approved or refused by a
    manager; approval plans the visit (domain.adhoc)."""
    customer = ForeignKeyField(Customer, backref="adhoc_requests", verbose_name=N_("Customer"))
    reason = TextField(verbose_name=N_("Reason"))
    wished_on = DateField(null=True, verbose_name=N_("Wished date"))
    requested_by = ForeignKeyField(User, null=True, backref="adhoc_requests",
                                   verbose_name=N_("Requested by"))
    requested_at = DateTimeField(default=now, index=True, verbose_name=N_("Requested at"))
    status = Choice(C.ADHOC_STATUS, N_("Status"), default="requested", index=True)
    decided_by = ForeignKeyField(User, null=True, backref="adhoc_decisions",
                                 verbose_name=N_("Decided by"))
    decided_at = DateTimeField(null=True, verbose_name=N_("Decided at"))
    decision_note = TextField(null=True, verbose_name=N_("Decision note"))
    planned_visit = ForeignKeyField(PlannedVisit, null=True, backref="requests",
                                    verbose_name=N_("Planned visit"))
    due_on = DateField(null=True, verbose_name=N_("Due date"))

    def __str__(self):
        return f"{self.requested_at:%Y-%m-%d} {self.customer.name}"


class PlanAdjustment(BaseModel):
    """One quarterly adjustment of an annual plan (000 §9): what it changed."""
    plan = ForeignKeyField(VisitPlan, backref="adjustments", verbose_name=N_("Plan"))
    quarter = SmallIntegerField(verbose_name=N_("Quarter"))
    at = DateTimeField(default=now, verbose_name=N_("At"))
    by = ForeignKeyField(User, null=True, backref="plan_adjustments", verbose_name=N_("By"))
    added = IntegerField(default=0, verbose_name=N_("Added"))
    restored = IntegerField(default=0, verbose_name=N_("Restored"))
    cancelled = IntegerField(default=0, verbose_name=N_("Cancelled"))
    moved = IntegerField(default=0, verbose_name=N_("Moved"))
    # {"added": [customer ids], "cancelled": [...], "moved": [...], ...}
    details = TextField(null=True, verbose_name=N_("Changes"))

    def __str__(self):
        return f"{self.plan_id} Q{self.quarter} {self.at:%Y-%m-%d}"


ALL_MODELS = [
    User, Customer, Contact, VisitPlan, PlannedVisit, Visit, Sale, Equipment,
    RepairOrder, VisitIssue, Complaint, ComplaintFollowUp, CorrectiveAction,
    SatisfactionSurvey, CareEvent, Interaction, Demand, Rule, Holiday, AuditLog,
    Escalation, NumberSequence, JobRun, LoginFailure, LoginLock, ImportMapping,
    VisitIssueFollowUp, AdhocRequest, PlanAdjustment,
]
