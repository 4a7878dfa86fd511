"""What each importable register takes from a spreadsheet, as data.

For every register: the fields a file may fill, the columns recognised but
never imported (computed by the system), the header names clerks use for
each field besides its own name and label in both languages, and how a row
finds the record it updates (``match``: tiers of fields, tried in order —
a customer by code, else by exact name). ``extra``: columns that are not
fields of the register ({name: (label, max length)}): a customer list's
联系人 becomes the customer's contact (services.import_write). ``example``:
values of the template's example row besides those its column types suggest
(services.import_template); None leaves a column empty there.
"""
from collections import namedtuple
from datetime import date, datetime

import models as M
from domain.i18n import N_

Spec = namedtuple("Spec", "endpoint model fields ignored aliases match extra example",
                  defaults=({}, {}))

# Columns of any register a file may carry that are never imported: row
# numbers, our own timestamps, and the 'reason' column of a refused-rows file.
ALWAYS_IGNORED = ("id", "created_at", "updated_at", "序号", "行号", "no.", "#",
                  "reason", "原因", "拒绝原因")

CUSTOMER = Spec(
    "customer", M.Customer,
    fields=("code", "name", "nature", "industry", "region", "address", "phone", "email",
            "owner", "first_deal_on", "last_deal_on", "annual_purchase", "customer_class",
            "class_locked", "is_strategic", "tier", "credit_rating", "credit_limit",
            "payment_terms", "preferred_channel", "do_not_disturb", "notes"),
    ignored=("is_key", "lifecycle", "at_risk"),
    aliases={
        "code": ("客户编号", "客户编码", "客户代码", "编号", "编码", "代码", "customer code",
                 "customer no"),
        "name": ("客户名称", "客户名", "客户", "名称", "公司名称", "单位名称", "公司", "单位",
                 "customer", "customer name", "company"),
        "nature": ("客户性质", "性质", "客户类型", "类型"),
        "industry": ("行业", "所属行业"),
        "region": ("地区", "区域", "省份", "城市", "所在地区"),
        "address": ("地址", "详细地址", "联系地址"),
        "phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "座机", "固话", "tel",
                  "telephone", "mobile"),
        "email": ("邮箱", "电子邮箱", "电子邮件", "e-mail", "mail"),
        "owner": ("负责人", "业务员", "专员", "客服专员", "回访专员", "责任人", "responsible"),
        "first_deal_on": ("首次成交", "首次成交日期", "首次交易日期"),
        "last_deal_on": ("最近成交", "最近成交日期", "最后成交日期", "最后交易日期"),
        "annual_purchase": ("年采购额", "年采购金额", "年度采购额", "采购额"),
        "customer_class": ("客户等级", "等级", "客户分类", "分类", "类别", "级别", "level"),
        "tier": ("会员等级", "客户层级", "层级"),
        "credit_rating": ("信用等级", "信用评级"),
        "credit_limit": ("赊销额度", "信用额度"),
        "payment_terms": ("付款方式", "付款条件", "账期"),
        "preferred_channel": ("偏好渠道", "首选渠道"),
        "do_not_disturb": ("免打扰", "勿扰"),
        "notes": ("备注", "说明", "remark", "remarks", "memo"),
        "contact": ("联系人", "联系人姓名", "contact", "contact name"),
    },
    match=(("code",), ("name",)),
    extra={"contact": (N_("Contact person"), 64)},
    example={"code": None, "name": "苏州精诚仪器有限公司", "region": "苏州",
             "address": "苏州市工业园区星湖街 328 号", "phone": "0512-66881234",
             "email": "service@example.com", "first_deal_on": date(2024, 1, 5),
             "last_deal_on": date(2025, 6, 27), "annual_purchase": 128000,
             "credit_limit": 50000, "payment_terms": "月结 30 天", "notes": "年底回访",
             "contact": "王工"},
)

_CUSTOMER_REF = ("客户", "客户名称", "客户编号", "所属客户", "公司", "单位", "customer name")

CONTACT = Spec(
    "contact", M.Contact,
    fields=("customer", "name", "position", "department", "phone", "email", "birthday",
            "is_decision_maker", "is_primary"),
    ignored=(),
    aliases={
        "customer": _CUSTOMER_REF,
        "name": ("联系人", "姓名", "联系人姓名", "contact", "contact name"),
        "position": ("职务", "职位", "岗位", "title"),
        "department": ("部门", "所在部门"),
        "phone": ("电话", "联系电话", "手机", "手机号", "手机号码", "tel", "mobile"),
        "email": ("邮箱", "电子邮箱", "电子邮件", "e-mail"),
        "birthday": ("生日", "出生日期"),
        "is_decision_maker": ("决策人", "是否决策人"),
        "is_primary": ("主要联系人", "首要联系人", "primary"),
    },
    match=(("customer", "name"),),
    example={"name": "王工", "position": "技术主管", "phone": "13800138000",
             "email": "wang@example.com", "birthday": date(1980, 5, 6)},
)

SALE = Spec(
    "sale", M.Sale,
    fields=("customer", "sold_on", "product", "quantity", "amount"),
    ignored=("visit",),
    aliases={
        "customer": _CUSTOMER_REF + ("购买单位", "购货单位"),
        "sold_on": ("日期", "销售日期", "成交日期", "下单日期", "date"),
        "product": ("产品", "型号", "产品型号", "品名", "规格型号", "model"),
        "quantity": ("数量", "qty"),
        "amount": ("金额", "销售额", "成交金额", "总金额", "合同金额", "total"),
    },
    match=(("customer", "sold_on", "product"),),
    example={"product": "XJ-200", "quantity": 2, "amount": 15800},
)

EQUIPMENT = Spec(
    "equipment", M.Equipment,
    fields=("customer", "model_name", "serial_no", "purchased_on", "warranty_until"),
    ignored=(),
    aliases={
        "customer": _CUSTOMER_REF + ("使用单位",),
        "model_name": ("型号", "产品型号", "设备型号", "机型", "model"),
        "serial_no": ("序列号", "出厂编号", "设备编号", "车牌", "车牌号", "serial", "sn",
                      "plate"),
        "purchased_on": ("购买日期", "购置日期", "购买时间"),
        "warranty_until": ("保修期至", "保修截止", "保修到期", "质保期至", "保修期"),
    },
    match=(("customer", "serial_no"),),
    example={"model_name": "XJ-200", "serial_no": "SN-2024-0001",
             "warranty_until": date(2026, 1, 5)},
)

VISIT = Spec(
    "visit", M.Visit,
    fields=("customer", "visited_at", "channel", "staff", "contact_person", "purpose",
            "feedback_stability", "feedback_accuracy", "feedback_delivery",
            "feedback_after_sales", "suggestion_price", "suggestion_support",
            "satisfaction", "new_demands", "follow_up_needed"),
    ignored=("planned_visit", "entered_late"),
    aliases={
        "customer": _CUSTOMER_REF + ("回访客户", "回访单位"),
        "visited_at": ("回访时间", "回访日期", "日期", "时间", "date"),
        "channel": ("回访方式", "方式", "渠道"),
        "staff": ("回访人", "回访人员", "专员", "客服"),
        "contact_person": ("联系人", "受访人", "被访人"),
        "purpose": ("回访目的", "目的", "主题"),
        "satisfaction": ("满意度", "满意度评分", "评分"),
        "new_demands": ("新需求", "需求"),
        "follow_up_needed": ("需跟进", "是否跟进", "需要跟进"),
    },
    match=(("customer", "visited_at"),),
    example={"contact_person": "王工", "purpose": "季度回访", "feedback_stability": "运行稳定",
             "satisfaction": 5, "new_demands": "希望增加远程诊断"},
)

COMPLAINT = Spec(
    "complaint", M.Complaint,
    fields=("number", "customer", "complainant", "received_at", "channel", "category",
            "description", "severity", "department", "handler", "status",
            "root_cause_category", "root_cause", "responsibility", "solution",
            "compensation", "customer_satisfied", "customer_score", "closed_at"),
    # Deadlines, escalation and workflow timestamps belong to the workflow.
    ignored=("contact_due", "response_due", "plan_due", "close_due", "contacted_at",
             "responded_at", "planned_at", "escalation_level", "escalated_at",
             "escalation_reason", "sla_missed", "reopen_count"),
    aliases={
        "number": ("投诉编号", "编号", "单号", "投诉单号"),
        "customer": _CUSTOMER_REF + ("投诉单位", "投诉客户"),
        "complainant": ("投诉人",),
        "received_at": ("投诉时间", "投诉日期", "受理时间", "日期", "date"),
        "channel": ("投诉渠道", "渠道", "方式"),
        "category": ("投诉类别", "类别", "投诉类型", "类型"),
        "description": ("投诉内容", "内容", "问题描述", "描述"),
        "severity": ("严重程度", "等级"),
        "department": ("责任部门", "部门"),
        "handler": ("处理人", "负责人"),
        "status": ("状态", "处理状态"),
        "solution": ("处理结果", "解决方案", "处理方案"),
        "compensation": ("赔偿", "补偿"),
        "customer_satisfied": ("客户是否满意", "是否满意"),
        "customer_score": ("客户评分", "评分"),
        "closed_at": ("结案时间", "关闭时间"),
    },
    match=(("number",),),
    example={"number": None, "complainant": "王工", "received_at": datetime(2024, 1, 5, 9, 30),
             "description": "设备读数漂移", "status": "received", "root_cause_category": None,
             "root_cause": None, "responsibility": None, "solution": None,
             "compensation": None, "customer_satisfied": None, "customer_score": None,
             "closed_at": None},
)

SPECS = {s.endpoint: s for s in (CUSTOMER, CONTACT, SALE, EQUIPMENT, VISIT, COMPLAINT)}


def spec(endpoint):
    return SPECS[endpoint]
