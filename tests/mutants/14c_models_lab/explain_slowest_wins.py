"""explain picks the model with the LARGEST number as best (reads the figures as speeds, not seconds).

Loses: explain
"""

_solution_explain = explain


def explain(table):
    result = _solution_explain(table)
    for workload, row in table.items():
        measured = [m for m in MODELS if m in row]
        result[workload]["best"] = max(measured, key=lambda m: row[m])
    return result
