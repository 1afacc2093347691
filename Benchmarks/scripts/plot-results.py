#!/usr/bin/env python3
"""Draws rdkafka-bench's --json output: each Swift scenario's throughput against its C baseline
("vs C"), and every scenario's CPU time per record.

    swift run -c release rdkafka-bench --json > results.json
    python3 Benchmarks/scripts/plot-results.py results.json Benchmarks/results.png

A development aid, not part of CI: it needs matplotlib (pip install --user matplotlib, or a venv).
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402


def main(source, target):
    with open(source) as handle:
        report = json.load(handle)
    results = report["results"]
    swift = [r for r in results if r.get("baseline") and r.get("ratioToBaseline") is not None]
    timed = [r for r in results if r.get("cpuMicrosecondsPerRecord") is not None]

    figure, (ratios, cpu) = plt.subplots(
        1, 2, figsize=(13, 0.42 * max(len(swift), len(timed)) + 1.6), constrained_layout=True
    )

    names = [f'{r["scenario"]}  (vs {r["baseline"]})' for r in swift]
    values = [r["ratioToBaseline"] for r in swift]
    bars = ratios.barh(names, values, color=["#3a7" if v >= 0.8 else "#d84" for v in values])
    ratios.axvline(1.0, color="black", linewidth=0.8)
    ratios.bar_label(bars, labels=[f"{v:.2f}x" for v in values], padding=3, fontsize=8)
    ratios.invert_yaxis()
    ratios.set_xlabel("messages per second, Swift over its C baseline (1.0 = as fast as C)")
    ratios.set_title("vs C")

    names = [r["scenario"] for r in timed]
    values = [r["cpuMicrosecondsPerRecord"] for r in timed]
    colours = ["#889" if not r.get("baseline") else "#37a" for r in timed]
    bars = cpu.barh(names, values, color=colours)
    cpu.bar_label(bars, labels=[f"{v:.2f}" for v in values], padding=3, fontsize=8)
    cpu.invert_yaxis()
    cpu.set_xscale("log")
    cpu.set_xlabel("process CPU time per record, µs (log scale; grey: C baselines)")
    cpu.set_title("CPU per record")

    settings = report["settings"]
    figure.suptitle(
        f'rdkafka-bench, librdkafka {report["librdkafkaVersion"]}, {report["processors"]} cores, '
        f'{settings["records"]:,} records of {settings["valueSize"]} B, linger {settings["lingerMilliseconds"]} ms',
        fontsize=10,
    )
    figure.savefig(target, dpi=110)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: plot-results.py RESULTS.json OUTPUT.png")
    main(sys.argv[1], sys.argv[2])
