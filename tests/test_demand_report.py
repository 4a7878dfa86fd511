"""The monthly customer-demand trend report: its data, the PDF (text extracted
with pypdf), the download on the dashboard and the CLI."""
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from pypdf import PdfReader

import models as M
from domain.rules import Rules
from pdf_templates import demand_report
from services.report_data import report_data
from tests import factories as F
from tests import kpi_dataset as K
from tests.conftest import login

RULES = Rules()


@pytest.fixture
def data(users, monkeypatch):
    for module in ("views.dashboard", "views.dashboard_files", "views.dashboard_links",
                   "views.escalate_actions", "admin_app.cli_report"):
        monkeypatch.setattr(f"{module}.now", lambda: K.NOW)
    customers = K.build(users)
    c0, c30 = customers[0], customers[30]
    M.Demand.create(customer=c0, raised_on=date(2027, 1, 8), source="visit",
                    kind="product_improvement", description="希望增加数据导出功能",
                    expected_value=Decimal("80000"))
    M.Demand.create(customer=c30, raised_on=date(2027, 1, 9), source="call",
                    kind="order_opportunity", description="计划采购两台XJ-300",
                    expected_value=Decimal("120000"))
    M.Demand.create(customer=c30, raised_on=date(2027, 2, 9), source="call",
                    kind="service_upgrade", description="二月的需求不算")
    M.Complaint.update(escalation_level=2, escalated_at=datetime(2027, 1, 21, 9),
                       escalation_reason="sla:close").where(
        M.Complaint.customer == customers[33]).execute()
    M.Complaint.update(escalation_level=1, escalated_at=datetime(2027, 1, 15, 9),
                       escalation_reason="客户要求经理回电").where(
        M.Complaint.customer == customers[0]).execute()
    M.Customer.update(at_risk=True, lifecycle="dormant").where(M.Customer.id == c0.id).execute()
    M.Customer.update(at_risk=True).where(M.Customer.id == customers[33].id).execute()
    return customers


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def test_report_data_of_the_month(data, users):
    report = report_data(K.JANUARY, rules=RULES, now=K.NOW)
    assert report["period"] == "2027-01" and report["person"] is None
    values = {f["label"]: f["value"] for f in report["figures"]}
    assert values["Visit coverage"] == "98.0 %" and values["Key-customer renewal"] == "90.0 %"
    assert report["demands_total"] == 2
    assert [d["description"] for d in report["demands"]] == [  # by expected value
        "计划采购两台XJ-300", "希望增加数据导出功能"]
    assert report["demand_kinds"] == [("Product improvement", 1, Decimal("80000")),
                                      ("Order opportunity", 1, Decimal("120000"))]
    assert report["escalated_total"] == 2
    first = report["escalated"][0]
    assert first["level"] == "Level 2 (manager)"
    assert first["reason"] == "The complaint was not closed in time."
    assert report["escalated"][1]["reason_text"] == "客户要求经理回电"
    assert report["at_risk_total"] == 2
    reasons = {r["name"]: r["reasons"] for r in report["at_risk"]}
    assert reasons[data[0].name] == ["No sale for a long time"]
    assert reasons[data[33].name] == ["An open complaint is past its closing deadline"]
    assert [c["title"] for c in report["charts"]][0] == "Visits planned and done per week"
    mine = report_data(K.JANUARY, rules=RULES, now=K.NOW, user=users["spec1"])
    assert mine["person"] == "张专员" and mine["at_risk_total"] == 1
    assert mine["escalated_total"] == 1 and mine["demands_total"] == 1


def test_rows_are_plain_data(data):
    sections = demand_report.rows(report_data(K.JANUARY, rules=RULES, now=K.NOW))
    tables = [s for s in sections if isinstance(s, demand_report.Table)]
    figures = tables[0].rows
    assert figures[0] == ("Visit coverage", "98.0 %", "≥ 98.0 %", "Met", "—", "")
    assert figures[4][3] == "Not met" and figures[4][5] == "↑"
    charts = [s for s in sections if isinstance(s, demand_report.Chart)]
    assert [c.kind for c in charts] == ["bars", "stacked", "hbars", "hbars", "hbars"]


def test_the_pdf_in_chinese_has_the_figures_and_headings(data):
    content = demand_report.render(report_data(K.JANUARY, rules=RULES, now=K.NOW), "zh")
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    for expected in ("客户需求趋势报告", "2027-01", "98.0 %", "≥ 98.0 %", "37.5 %", "89.9",
                     "回访覆盖率", "投诉按时结案率", "达标", "未达标", "高频问题",
                     "新增需求", "升级投诉", "危险客户", "计划采购两台XJ-300", "客户要求经理回电"):
        assert expected in text, expected
    # The same data gives the same bytes.
    assert content == demand_report.render(report_data(K.JANUARY, rules=RULES, now=K.NOW), "zh")


def test_the_pdf_in_english(data):
    text = pdf_text(demand_report.render(report_data(K.JANUARY, rules=RULES, now=K.NOW), "en"))
    for expected in ("Customer demand trend report", "Visit coverage", "98.0 %",
                     "Escalated complaints", "At-risk customers"):
        assert expected in text, expected


def test_an_empty_month_prints(app, users):
    report = report_data(K.JANUARY, rules=RULES, now=K.NOW)
    text = pdf_text(demand_report.render(report, "en"))
    assert "—" in text and "0 new demands" in text


def test_long_lists_are_capped_with_their_total(data):
    for n in range(7):
        M.Demand.create(customer=data[1], raised_on=date(2027, 1, 20), source="visit",
                        kind="service_upgrade", description=f"需求{n}")
    report = report_data(K.JANUARY, rules=RULES, now=K.NOW, limit=5)
    assert report["demands_total"] == 9 and len(report["demands"]) == 5
    assert "The first 5 of 9 are listed." in pdf_text(demand_report.render(report, "en"))


def test_download_from_the_dashboard(client, users, data):
    login(client, "manager")
    html = client.get("/admin/?period=month&month=2027-01").get_data(as_text=True)
    assert 'href="/admin/report/?month=2027-01"' in html
    response = client.get("/admin/report/?month=2027-01&lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "98.0 %" in pdf_text(response.data)
    entry = M.AuditLog.get(M.AuditLog.action == "print")
    assert entry.register == "report" and "2027-01" in entry.changes
    assert client.get("/admin/report/?month=2027-99").status_code == 400


def test_a_specialist_downloads_their_own_report(client, users, data):
    login(client, "spec1")
    text = pdf_text(client.get("/admin/report/?month=2027-01&lang=en").data)
    assert "100.0 %" in text and "张专员" in text and data[33].name not in text


def test_cli(app, data, tmp_path):
    out = tmp_path / "report.pdf"
    result = app.test_cli_runner().invoke(args=["report", "--month", "2027-01", "--out",
                                                str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "2027-01" in result.output and "98.0 %" in pdf_text(out.read_bytes())
    bad = app.test_cli_runner().invoke(args=["report", "--month", "January", "--out",
                                             str(out)])
    assert bad.exit_code != 0 and "2027-01" in bad.output
    F.customer()  # the CLI left an audit row without a user
    assert M.AuditLog.get(M.AuditLog.register == "report").user_id is None
