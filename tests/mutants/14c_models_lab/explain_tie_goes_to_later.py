"""explain keeps the LAST model with the smallest time: on a tie it picks the later model in MODELS.

Loses: explain
"""

_solution_explain = explain


def explain(table):
    result = _solution_explain(table)
    for workload, row in table.items():
        best = None
        for m in MODELS:
            if m in row and (best is None or row[m] <= row[best]):
                best = m
        result[workload]["best"] = best
    return result
