"""Benchmark: printed forms (pdf_templates), rendering only, no database.

    .venv/bin/python bench/print_forms.py [--runs 20] [--batch 500]

Targets (issue 5): one form in under 50 ms; a batch of 500 visit record forms
in under 10 s and under 200 MB of memory. Prints, per form, the first render
(which also loads and registers the fonts) and the median of ``--runs``
renders; then the batch's time, PDF size, pages, the process's peak resident
size (getrusage; the CJK fonts alone take about 80 MB of it) and Python's
peak allocation during the batch (tracemalloc, measured in a second pass).
"""
import argparse
import io
import os
import random
import resource
import statistics
import sys
import time
import tracemalloc

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from pdf_templates import FORMS, PrintSettings, render, render_batch  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                "tests"))
from test_pdf_forms import SAMPLES  # noqa: E402  (the realistic sample of each form)

SETTINGS = PrintSettings(shop_name="示例维修服务有限公司")
WORDS = ("设备运行稳定", "读数偶有漂移", "希望提供操作培训", "交货准时", "售后响应及时",
         "XJ-200 示波器", "calibration", "价格略高", "计划明年增购")


def visit(i, rng):
    """A visit record form with some variety, so the font subset is realistic."""
    text = lambda n: "，".join(rng.choice(WORDS) for _ in range(n)) + "。"  # noqa: E731
    return dict(SAMPLES["visit_record"], customer=f"第{i}号客户有限公司",
                customer_code=f"C{i:06d}", feedback_stability=text(4),
                feedback_accuracy=text(3), feedback_after_sales=text(5), new_demands=text(2),
                satisfaction=rng.randint(1, 5))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()

    print(f"{'form':<24}{'first ms':>10}{'median ms':>11}{'max ms':>9}")
    for name in sorted(FORMS):
        start = time.perf_counter()
        render(name, SAMPLES[name], "zh", SETTINGS)
        first = (time.perf_counter() - start) * 1000
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            render(name, SAMPLES[name], "zh", SETTINGS)
            times.append((time.perf_counter() - start) * 1000)
        print(f"{name:<24}{first:>10.1f}{statistics.median(times):>11.1f}{max(times):>9.1f}")

    rng = random.Random(42)
    records = [visit(i, rng) for i in range(args.batch)]
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    pdf = render_batch("visit_record", records, "zh", SETTINGS)
    seconds = time.perf_counter() - start
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from pypdf import PdfReader
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"\nbatch of {args.batch} visit record forms: {seconds:.2f} s, {pages} pages, "
          f"{len(pdf) / 1e6:.1f} MB PDF")
    print(f"  process peak RSS: {rss_after:.0f} MB (fonts loaded, before the batch: "
          f"{rss_before:.0f} MB)")

    # tracemalloc slows rendering several times and adds its own memory: a second pass.
    tracemalloc.start()
    render_batch("visit_record", records, "zh", SETTINGS)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  Python peak allocation of the batch (tracemalloc): {peak / 1e6:.0f} MB")

if __name__ == "__main__":
    main()
