"""explain calls a workload GIL-bound whenever threads sped it up less than 1.5 times, without checking that processes did better.

Loses: explain
"""

_solution_explain = explain


def explain(table):
    result = _solution_explain(table)
    for workload, row in table.items():
        result[workload]["gil_bound"] = "threads" in row and row["sequential"] / row["threads"] < 1.5
    return result
