"""An honest, correct submission (Pool, 50 threads, locks in a global order).
"""
