#!/usr/bin/env python3
"""Draws rdkafka-bench's --json output: each Swift scenario's throughput against its C baseline
("vs C"), and every scenario's CPU time per record. Given an earlier run as well, draws its bars
beside the new ones (lighter), so that a change shows as the difference between each pair.

    swift run -c release rdkafka-bench --json > results.json
    python3 Benchmarks/scripts/plot-results.py results.json Benchmarks/results.png
    python3 Benchmarks/scripts/plot-results.py results.json Benchmarks/results.png --before old.json

A development aid, not part of CI: it needs matplotlib (pip install --user matplotlib, or a venv).
"""

import argparse
import json

import matplotlib

matplotlib.use("Agg")  # files only, no display
import matplotlib.pyplot as plt  # noqa: E402

NEW, OLD = "#37a", "#9bd"
NEW_C, OLD_C = "#667", "#bbc"


def load(path):
    with open(path) as handle:
        return json.load(handle)


def by_scenario(report):
    return {r["scenario"]: r for r in report["results"]} if report else {}


def paired_bars(axis, names, new_values, old_values, new_colours, old_colours, label_format):
    """One horizontal bar per name for the new run; with an earlier run, its bar just below."""
    paired = any(v is not None for v in old_values)
    height = 0.4 if paired else 0.8
    positions = range(len(names))
    bars = axis.barh([p - (height / 2 if paired else 0) for p in positions], new_values, height=height, color=new_colours)
    axis.bar_label(bars, labels=[label_format(v) for v in new_values], padding=3, fontsize=7)
    if paired:
        shown = [(p, v, c) for p, v, c in zip(positions, old_values, old_colours) if v is not None]
        old_bars = axis.barh(
            [p + height / 2 for p, _, _ in shown], [v for _, v, _ in shown], height=height, color=[c for _, _, c in shown]
        )
        axis.bar_label(old_bars, labels=[label_format(v) for _, v, _ in shown], padding=3, fontsize=6, color="#555")
    axis.set_yticks(list(positions), names)
    axis.invert_yaxis()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("output")
    parser.add_argument("--before", help="an earlier run's --json, drawn beside each bar")
    arguments = parser.parse_args()

    report = load(arguments.results)
    before = by_scenario(load(arguments.before)) if arguments.before else {}
    results = report["results"]
    swift = [r for r in results if r.get("baseline") and r.get("ratioToBaseline") is not None]
    timed = [r for r in results if r.get("cpuMicrosecondsPerRecord") is not None]

    figure, (ratios, cpu) = plt.subplots(
        1, 2, figsize=(13, 0.42 * max(len(swift), len(timed)) + 1.8), constrained_layout=True
    )

    paired_bars(
        ratios,
        [f'{r["scenario"]}  (vs {r["baseline"]})' for r in swift],
        [r["ratioToBaseline"] for r in swift],
        [before.get(r["scenario"], {}).get("ratioToBaseline") for r in swift],
        [NEW] * len(swift),
        [OLD] * len(swift),
        lambda v: f"{v:.2f}x",
    )
    ratios.axvline(1.0, color="black", linewidth=0.8)
    ratios.set_xlabel("messages per second, Swift over its C baseline (1.0 = as fast as C)")
    ratios.set_title("vs C" + ("  (dark: this run, light: before)" if before else ""))

    paired_bars(
        cpu,
        [r["scenario"] for r in timed],
        [r["cpuMicrosecondsPerRecord"] for r in timed],
        [before.get(r["scenario"], {}).get("cpuMicrosecondsPerRecord") for r in timed],
        [NEW_C if not r.get("baseline") else NEW for r in timed],
        [OLD_C if not r.get("baseline") else OLD for r in timed],
        lambda v: f"{v:.2f}",
    )
    cpu.set_xscale("log")
    cpu.set_xlabel("process CPU time per record, µs (log scale; grey: C baselines)")
    cpu.set_title("CPU per record")

    settings = report["settings"]
    figure.suptitle(
        f'rdkafka-bench, librdkafka {report["librdkafkaVersion"]}, {report["processors"]} cores, '
        f'{settings["records"]:,} records of {settings["valueSize"]} B, linger {settings["lingerMilliseconds"]} ms',
        fontsize=10,
    )
    figure.savefig(arguments.output, dpi=110)


if __name__ == "__main__":
    main()
