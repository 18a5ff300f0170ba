"""explain reads all five models from every row: a table without gevent (not installed) raises KeyError.

Loses: explain
"""


def explain(table):
    conclusions = {}
    for workload, row in table.items():
        if "sequential" not in row:
            raise ValueError(f"{workload}: no sequential baseline")
        best = min(MODELS, key=lambda m: (row[m], MODELS.index(m)))
        speedups = {m: round(row["sequential"] / row[m], 2) for m in MODELS}
        gil_bound = speedups["threads"] < 1.5 and speedups["processes"] >= 1.5
        conclusions[workload] = {"best": best, "speedups": speedups, "gil_bound": gil_bound}
    return conclusions
