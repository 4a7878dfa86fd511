"""Stored codes and their (translatable) labels for every choice field.

Codes are what the database holds and what imports/exports round-trip;
labels are English msgids translated by the UI (zh_Hans_CN catalogue).
"""
from .i18n import N_

ROLES = (
    ("owner", N_("Owner")),
    ("manager", N_("Manager")),
    ("specialist", N_("Specialist")),
    ("staff", N_("Department staff")),
)

DEPARTMENTS = (
    ("service", N_("Customer service")),
    ("technical", N_("Technical")),
    ("quality", N_("Quality")),
    ("sales", N_("Sales")),
    ("production", N_("Production")),
    ("rnd", N_("R&D")),
    ("management", N_("Management")),
)

CUSTOMER_NATURE = (
    ("individual", N_("Individual")),
    ("enterprise", N_("Enterprise")),
    ("institution", N_("Institution")),
)

INDUSTRIES = (
    ("manufacturing", N_("Manufacturing")),
    ("research", N_("Research institute")),
    ("testing", N_("Testing lab")),
    ("medical", N_("Medical devices")),
    ("vehicle_repair", N_("Vehicle repair")),
    ("other", N_("Other")),
)

CUSTOMER_CLASS = (("A", N_("Class A")), ("B", N_("Class B")), ("C", N_("Class C")))

TIERS = (
    ("diamond", N_("Diamond")),
    ("platinum", N_("Platinum")),
    ("gold", N_("Gold")),
    ("regular", N_("Regular")),
)

LIFECYCLE = (("new", N_("New")), ("stable", N_("Stable")), ("dormant", N_("Dormant")))

CREDIT_RATINGS = (
    ("AAA", "AAA"), ("AA", "AA"), ("A", "A"), ("B", "B"), ("C", "C"),
)

CHANNELS = (
    ("onsite", N_("Onsite")),
    ("phone", N_("Phone")),
    ("video", N_("Video")),
    ("email", N_("Email")),
    ("messaging", N_("Messaging")),
)

CONTACT_DEPARTMENTS = (
    ("purchasing", N_("Purchasing")),
    ("technical", N_("Technical")),
    ("quality", N_("Quality")),
    ("production", N_("Production")),
    ("management", N_("Management")),
    ("other", N_("Other")),
)

REPAIR_STATUS = (
    ("received", N_("Received")),
    ("diagnosing", N_("Diagnosing")),
    ("repairing", N_("Repairing")),
    ("done", N_("Done")),
    ("delivered", N_("Delivered")),
    ("cancelled", N_("Cancelled")),
)

PLAN_KIND = (
    ("annual", N_("Annual")),
    ("quarterly", N_("Quarterly")),
    ("monthly", N_("Monthly")),
    ("adhoc", N_("Ad hoc")),
)

PLAN_STATUS = (
    ("draft", N_("Draft")),
    ("submitted", N_("Submitted")),
    ("approved", N_("Approved")),
    ("closed", N_("Closed")),
)

PLANNED_VISIT_STATUS = (
    ("planned", N_("Planned")),
    ("done", N_("Done")),
    ("missed", N_("Missed")),
    ("cancelled", N_("Cancelled")),
)

VISIT_FOCUS = (
    ("usage", N_("Usage experience and fit")),
    ("upgrade", N_("Service upgrade and added value")),
    ("reactivation", N_("Reactivation")),
    ("event", N_("Major event")),
    # A monthly plan's extra tasks (000 §5 月度回访计划).
    ("product_promotion", N_("New product promotion")),
    ("policy_briefing", N_("Policy briefing")),
    ("satisfaction_survey", N_("Satisfaction survey")),
)

ADHOC_STATUS = (
    ("requested", N_("Awaiting approval")),
    ("approved", N_("Approved")),
    ("refused", N_("Refused")),
)

ISSUE_LEVEL = (
    ("urgent", N_("Urgent")),
    ("important", N_("Important")),
    ("general", N_("General")),
)

ISSUE_CATEGORY = (
    ("product", N_("Product")),
    ("service", N_("Service")),
    ("delivery", N_("Delivery")),
    ("technical_support", N_("Technical support")),
    ("price", N_("Price")),
    ("other", N_("Other")),
)

ISSUE_STATUS = (
    ("open", N_("Open")),
    ("dispatched", N_("Dispatched")),
    ("in_progress", N_("In progress")),
    ("resolved", N_("Resolved")),
    ("closed", N_("Closed")),
)

# Workflow steps of a visit problem (domain/issues.py), as recorded in its follow-up log.
ISSUE_STEPS = (
    ("dispatch", N_("Dispatched")),
    ("start", N_("Handling started")),
    ("resolve", N_("Resolved")),
    ("follow_up", N_("Followed up")),
    ("confirm", N_("Customer confirmed, closed")),
    ("reopen", N_("Reopened")),
)

COMPLAINT_CHANNELS = (
    ("hotline", N_("Hotline")),
    ("phone", N_("Phone")),
    ("website", N_("Website")),
    ("email", N_("Email")),
    ("in_person", N_("In person")),
    ("social_media", N_("Social media")),
    ("visit", N_("Visit")),
)

COMPLAINT_CATEGORY = (
    ("product_quality", N_("Product quality")),
    ("service_attitude", N_("Service attitude")),
    ("repair_workmanship", N_("Repair workmanship")),
    ("delivery", N_("Delivery")),
    ("price", N_("Price")),
    ("other", N_("Other")),
)

SEVERITY = (
    ("high", N_("High")),
    ("medium", N_("Medium")),
    ("low", N_("Low")),
)

COMPLAINT_STATUS = (
    ("received", N_("Received")),
    ("acknowledged", N_("Acknowledged")),
    ("investigating", N_("Investigating")),
    ("resolving", N_("Resolving")),
    ("awaiting_customer", N_("Awaiting customer")),
    ("closed", N_("Closed")),
    ("reopened", N_("Reopened")),
)

# Workflow steps of a complaint (domain/complaints.py), as recorded in its follow-ups.
COMPLAINT_STEPS = (
    ("dispatch", N_("Dispatched")),
    ("acknowledge", N_("Acknowledged (customer contacted)")),
    ("investigate", N_("Investigation started (customer answered)")),
    ("resolve", N_("Handling plan set")),
    ("await_customer", N_("Solution given, awaiting the customer")),
    ("close", N_("Closed")),
    ("reopen", N_("Reopened")),
    ("note", N_("Follow-up note")),
    ("not_satisfied", N_("Customer not satisfied: handled again")),
    ("track", N_("Tracking note (recurrence check)")),
)

# What a complaint is about (投诉对象).
COMPLAINT_TARGETS = (
    ("equipment", N_("Product / equipment")),
    ("staff", N_("Staff member")),
    ("department", N_("Department")),
)

ROOT_CAUSE_CATEGORY = (
    ("design", N_("Design")),
    ("production", N_("Production")),
    ("service_process", N_("Service process")),
    ("misuse", N_("Misuse")),
    ("other", N_("Other")),
)

CAPA_SOURCE = (
    ("complaint", N_("Complaint")),
    ("visit_issue", N_("Visit problem")),
    ("survey", N_("Survey")),
    ("internal", N_("Internal")),
)

CAPA_TYPE = (("corrective", N_("Corrective")), ("preventive", N_("Preventive")))

CAPA_STATUS = (
    ("open", N_("Open")),
    ("in_progress", N_("In progress")),
    ("done", N_("Done")),
    ("verified", N_("Verified")),
)

SURVEY_METHOD = (
    ("mail", N_("Mail")),
    ("email", N_("Email")),
    ("phone", N_("Phone")),
    ("onsite", N_("Onsite")),
    ("online", N_("Online")),
)

SURVEY_STATUS = (
    ("planned", N_("Planned")),
    ("sent", N_("Sent")),
    ("returned", N_("Returned")),
)

# Why a survey was planned (domain/surveys.py), most pressing first.
SURVEY_PLAN_REASON = (
    ("dissatisfied", N_("Said they were dissatisfied")),
    ("key", N_("Key customer, yearly")),
    ("general", N_("Every customer, where possible")),
)

CARE_KIND = (
    ("birthday", N_("Birthday greeting")),
    ("holiday", N_("Holiday greeting")),
    ("tips", N_("Usage/maintenance tips")),
    ("invitation", N_("Event invitation")),
)

DIRECTION = (("inbound", N_("Inbound")), ("outbound", N_("Outbound")))

DEMAND_SOURCE = (
    ("visit", N_("Visit")),
    ("complaint", N_("Complaint")),
    ("survey", N_("Survey")),
    ("call", N_("Call")),
)

DEMAND_KIND = (
    ("product_improvement", N_("Product improvement")),
    ("service_upgrade", N_("Service upgrade")),
    ("order_opportunity", N_("Order opportunity")),
)

DEMAND_FORWARD = (("sales", N_("Sales")), ("rnd", N_("R&D")))

DEMAND_STATUS = (
    ("new", N_("New")),
    ("following", N_("Following")),
    ("won", N_("Won")),
    ("lost", N_("Lost")),
)

RULE_UNITS = (
    ("amount", N_("Amount")),
    ("minutes", N_("Minutes")),
    ("hours", N_("Hours")),
    ("working_days", N_("Working days")),
    ("days", N_("Days")),
    ("months", N_("Months")),
    ("text", N_("Text")),
    ("percent", N_("Percent")),
    ("time", N_("Time of day")),
    ("count", N_("Count")),
)

AUDIT_ACTIONS = (
    ("create", N_("Create")),
    ("update", N_("Update")),
    ("delete", N_("Delete")),
    ("action", N_("Action")),
    ("import", N_("Import")),
    ("export", N_("Export")),
    ("print", N_("Print")),
    ("login", N_("Login")),
    ("backup", N_("Backup")),
    ("restore", N_("Restore")),
    ("login_failed", N_("Failed login")),
    ("lockout", N_("Login lockout")),
    ("logout", N_("Logout")),
    ("password", N_("Password change")),
)

SCORE = tuple((i, str(i)) for i in range(1, 6))
