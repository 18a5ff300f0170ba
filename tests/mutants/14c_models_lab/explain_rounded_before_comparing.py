"""explain decides gil_bound from the ROUNDED speed-ups: 1.497 rounds to 1.5 and no longer counts as "below 1.5".

Loses: explain
"""

_solution_explain = explain


def explain(table):
    result = _solution_explain(table)
    for conclusion in result.values():
        s = conclusion["speedups"]
        conclusion["gil_bound"] = "threads" in s and "processes" in s and s["threads"] < 1.5 and s["processes"] >= 1.5
    return result
